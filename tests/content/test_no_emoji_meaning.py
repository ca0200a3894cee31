"""No meaning carried by emoji: without an emoji font they show as empty boxes (issue 18).

Every learner-facing content file, the code of every page, figure and diagram, and the
reliability marks the figures print, say it in words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from course.paths import ROOT
from course.simulator.schema import RELIABILITY_MARK, RELIABILITY_WORDS

# pictographs and the dingbats used as status marks (check, cross, warning, question, star)
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2b55\u2705\u274c\u2753\u2757\ufe0f]")
CONTENT = sorted(
    [
        *(ROOT / "lessons").glob("*.md"),
        *(ROOT / "lessons").glob("*.yaml"),
        *(ROOT / "quizzes").glob("*.yaml"),
        *(ROOT / "cases").glob("*.yaml"),
        ROOT / "assets" / "diagrams" / "ALT.md",
    ]
)


@pytest.mark.parametrize("path", CONTENT, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_content_says_it_in_words(path: Path) -> None:
    found = [
        f"{path.name}:{number}: {line.strip()[:80]}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if EMOJI.search(line) and not (path.suffix == ".yaml" and line.lstrip().startswith("#"))
    ]
    assert not found, found


def test_reliability_marks_are_words() -> None:
    for mark in (*RELIABILITY_MARK.values(), *RELIABILITY_WORDS.values()):
        assert not EMOJI.search(mark), mark
    assert RELIABILITY_MARK["commonly-described"].strip() and RELIABILITY_MARK["not-verified"].strip()


CODE = sorted(
    [
        *(ROOT / "views").rglob("*.py"),
        *(ROOT / "views").rglob("*.js"),
        *(ROOT / "course").rglob("*.py"),
        ROOT / "app.py",
    ]
)


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_and_figures_say_it_in_words(path: Path) -> None:
    """What the pages, figures and diagrams print (every line of their code, strings included)."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if EMOJI.search(line)
    ]
    assert not found, found
