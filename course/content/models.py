"""Typed content models: what a valid lesson or glossary entry is.

Pydantic validates the YAML front matter; every model is frozen so a loaded lesson can be
cached and shared between sessions without anyone mutating it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from course.content.problems import Problem

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


def _reference_key(value: str) -> str:
    """A lesson's source is a key of ``lessons/references.yaml``, never a free-text citation.

    >>> _reference_key("meng-2022")
    'meng-2022'
    """
    if not re.fullmatch(SLUG_PATTERN, value) or len(value) > 60:
        raise ValueError(
            f"'{value[:60]}' is not a reference key: list keys of lessons/references.yaml "
            "(lowercase letters, digits and hyphens, e.g. meng-2022), and put the full citation there"
        )
    return value


ReferenceKey = Annotated[str, AfterValidator(_reference_key)]
"""A key of the bibliography (``lessons/references.yaml``), e.g. ``singsing-2022``."""


class Strict(BaseModel):
    """Base for content models: unknown keys are typos, and loaded content is immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Objective(Strict):
    """A learning objective; quiz questions point at it by ``id``."""

    id: Slug
    text: ShortText


class LessonMeta(Strict):
    """The YAML front matter of ``lessons/NN-slug.md``."""

    id: Slug
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    order: int = Field(ge=0, le=999)
    objectives: tuple[Objective, ...] = Field(min_length=1)
    duration_min: int = Field(gt=0, le=600)
    sources: tuple[ReferenceKey, ...] = Field(min_length=1)
    summary: ShortText | None = None


@dataclass(frozen=True)
class FigureRef:
    """A figure marker in a lesson body: ``{{ figure: name key=value }}``."""

    name: str
    params: tuple[tuple[str, str], ...]
    line: int

    @property
    def options(self) -> dict[str, str]:
        return dict(self.params)


@dataclass(frozen=True)
class CheckRef:
    """A self-check marker in a lesson body: ``{{ check: bank/question-id }}``.

    The lesson page asks that question on the spot; ``check`` makes sure it exists.
    """

    bank: str
    question: str
    line: int


Block = str | FigureRef | CheckRef
"""A piece of a lesson body: markdown text, a figure, or a self-check question."""


@dataclass(frozen=True)
class Lesson:
    """A loaded, valid lesson: front matter, then the body split around its markers."""

    meta: LessonMeta
    path: Path
    body: str
    blocks: tuple[Block, ...]
    mtime_ns: int = 0
    body_line: int = 1
    """The file line where the body starts, so a problem found in the body names its line."""
    source_lines: tuple[int | None, ...] = ()
    """The file line of each entry of ``meta.sources``, in the same order."""

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def url_path(self) -> str:
        """Stable URL path: the lesson id, never the file name or the position."""
        return f"lesson-{self.meta.id}"


class Term(Strict):
    """One glossary entry; ``aliases`` are other spellings linked to the same entry."""

    term: ShortText
    definition: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    aliases: tuple[ShortText, ...] = ()
    source: ShortText | None = None

    @property
    def anchor(self) -> str:
        return "".join(c if c.isalnum() else "-" for c in self.term.lower()).strip("-")


@dataclass(frozen=True)
class Catalog:
    """Every lesson that loaded, and every problem of those that did not.

    ``broken`` maps a file to its problems so the app can still give that file a page that
    explains what is wrong, while all the valid lessons keep working.
    """

    lessons: tuple[Lesson, ...]
    broken: dict[Path, tuple[Problem, ...]] = field(default_factory=dict)

    def find(self, lesson_id: str) -> tuple[int, Lesson] | None:
        """The lesson with this id and its index in the course (0 for the first), or None.

        Links, quiz reviews and stored progress name lessons by id; a lesson since removed,
        renamed or broken is not in the catalog, and callers say so instead of failing.
        """
        return next(((index, lesson) for index, lesson in enumerate(self.lessons) if lesson.id == lesson_id), None)
