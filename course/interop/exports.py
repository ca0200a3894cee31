"""One entry point for every question-bank export: pick the banks, write the format.

The CLI (``python -m course export``) and the tutors' *Exports* page both call
:func:`export_banks`, so they write the same file and list the same skipped questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from course.content.bibliography import current_references
from course.interop.gift import write_gift
from course.interop.moodle_xml import write_moodle_xml
from course.interop.questions import Export, select_banks
from course.paths import ASSETS_DIR
from course.quiz.models import QuizCatalog

BankFormat = Literal["gift", "moodle-xml"]
BANK_FORMATS: tuple[BankFormat, ...] = ("gift", "moodle-xml")


@dataclass(frozen=True)
class FormatInfo:
    """What a person and a browser need to know about a format."""

    label: str
    suffix: str
    mime: str


FORMAT_INFO: dict[BankFormat, FormatInfo] = {
    "gift": FormatInfo("GIFT", ".gift.txt", "text/plain"),
    "moodle-xml": FormatInfo("Moodle XML", ".moodle.xml", "application/xml"),
}


def export_banks(
    fmt: BankFormat,
    quizzes: QuizCatalog,
    names: Sequence[str] = (),
    lessons: Path | None = None,
    assets: Path = ASSETS_DIR,
) -> Export:
    """The banks named (all when none) in ``fmt``; the sources resolve against the
    bibliography of the ``lessons`` folder (default: the course's; a broken entry leaves its key
    as it is)."""
    banks = select_banks(quizzes, names)
    references = dict(current_references(lessons).entries)
    if fmt == "gift":
        return write_gift(banks, references)
    return write_moodle_xml(banks, references, assets)


def file_name(fmt: BankFormat, names: Sequence[str] = ()) -> str:
    """The download's name: ``meso-academy-<bank or 'banks'>.<format suffix>`` (no user text
    reaches it but bank ids, which are slugs).

    >>> file_name("gift", ["history"]), file_name("moodle-xml")
    ('meso-academy-history.gift.txt', 'meso-academy-banks.moodle.xml')
    """
    stem = names[0] if len(names) == 1 else "banks"
    return f"meso-academy-{stem}{FORMAT_INFO[fmt].suffix}"
