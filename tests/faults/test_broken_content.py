"""Every content validator fed a corpus of broken files: a clear problem each, no traceback.

The corpus is generated from the real course: each lesson, the glossary and each question
bank is damaged in one way at a time (truncated front matter, wrong types, tabs in YAML,
1 MB lines, binary bytes, bytes that are not UTF-8, an empty file) and run through the same
``check`` that tutors and CI use. BOMs and CRLF line ends are not damage: those files must
still load without a problem.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from course.check import collect_problems

ROOT = Path(__file__).resolve().parents[2]


def truncate_front_matter(raw: bytes) -> bytes:
    """Cut a lesson inside its front matter, a YAML file inside its last list item."""
    if raw.startswith(b"---"):
        return raw[: raw.index(b"\n", 10) + 1]
    if b"- " not in raw:  # a mapping with no list (the final exam): cut after its first key
        return raw[: raw.index(b":") + 1]
    last_item = raw.rindex(b"\n- ") if b"\n- " in raw else raw.rindex(b"- ")
    return raw[: last_item + 3]


def wrong_types(raw: bytes) -> bytes:
    text = raw.decode()
    for key in ("order", "version", "duration_min", "points"):
        text, count = re.subn(rf"(?m)^(\s*){key}:.*$", rf"\1{key}: [not, a, number]", text, count=1)
        if count:
            return text.encode()
    return re.sub(r"(?m)^(\s*)(\w+):\s*\S.*$", r"\1\2: {nested: [wrong]}", text, count=1).encode()


def tabs_in_yaml(raw: bytes) -> bytes:
    return re.sub(rb"(?m)^  (?=\S)", b"\t", raw, count=3)


def one_mb_line(raw: bytes) -> bytes:
    return raw + b"\n" + b"x" * 1_048_576 + b"\n"


def binary(raw: bytes) -> bytes:
    return bytes(range(256)) * 8


def empty(raw: bytes) -> bytes:
    return b""


def not_utf8(raw: bytes) -> bytes:
    return raw.replace(b"e", b"\xe9", 5)


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated-front-matter": truncate_front_matter,
    "wrong-types": wrong_types,
    "tabs": tabs_in_yaml,
    "1mb-line": one_mb_line,
    "binary": binary,
    "empty": empty,
    "not-utf8": not_utf8,
}
# What the problem says for each damage: the validator's own message, never an exception's text.
EXPECTED: dict[str, str] = {
    "truncated-front-matter": (
        r"front matter is not closed|invalid YAML|must be a (YAML )?mapping|Input should be a valid dictionary"
        # a bank cut inside its last list item leaves that item incomplete
        r"|missing required field '\w+'|String should have at least \d+ characters?"
    ),
    "wrong-types": r"\w+: Input should be a valid (integer|string)",
    "tabs": r"invalid YAML: found character '\\t' that cannot start any token",
    "1mb-line": r"file is larger than \d+ KiB|invalid YAML",
    "binary": r"file is not valid UTF-8 text",
    "empty": r"file is empty: a lesson needs front matter and a body|the glossary must be a YAML list of terms"
    r"|a question bank must be a YAML mapping|the references file must be a YAML list of entries",
    "not-utf8": r"file is not valid UTF-8 text",
}
HARMLESS: dict[str, Callable[[bytes], bytes]] = {
    "bom": lambda raw: b"\xef\xbb\xbf" + raw,
    "crlf": lambda raw: raw.replace(b"\n", b"\r\n"),
}


def content_files() -> list[str]:
    lessons = sorted(p.name for p in (ROOT / "lessons").iterdir() if p.suffix in {".md", ".yaml"})
    banks = sorted(p.name for p in (ROOT / "quizzes").glob("*.yaml"))
    return [f"lessons/{name}" for name in lessons] + [f"quizzes/{name}" for name in banks]


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("lessons", "quizzes"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.setenv("MESO_LESSONS_DIR", str(tmp_path / "lessons"))
    monkeypatch.setenv("MESO_QUIZZES_DIR", str(tmp_path / "quizzes"))
    return tmp_path


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("relative", content_files())
def test_damaged_file_gives_clear_problem(corpus: Path, relative: str, damage: str) -> None:
    target = corpus / relative
    target.write_bytes(DAMAGE[damage](target.read_bytes()))
    problems = collect_problems()  # must not raise
    mine = [p for p in problems if p.path.name == target.name]
    assert mine, f"{damage} in {relative} went unnoticed"
    for problem in mine:
        text = str(problem)
        assert problem.severity == "error", text
        # "file:line: message" (no line for a file refused whole), one short line
        pattern = rf"(.*/)?{re.escape(target.name)}(:\d+)?: .*?({EXPECTED[damage]}).*"
        assert re.fullmatch(pattern, text), text
        assert "\n" not in text and len(text) < 2_000


@pytest.mark.parametrize("change", sorted(HARMLESS))
@pytest.mark.parametrize("relative", content_files())
def test_bom_and_crlf_still_load(corpus: Path, relative: str, change: str) -> None:
    target = corpus / relative
    target.write_bytes(HARMLESS[change](target.read_bytes()))
    assert [str(p) for p in collect_problems() if p.path.name == target.name] == []
