"""Typed quiz content: questions of seven types, bank settings, and a learner's answers.

Pydantic checks the *shape* of a bank file (fields, types, ranges; unknown keys are typos);
:mod:`course.quiz.banks` then checks what a schema cannot (one correct option, known lesson,
known layer, ...). Every model is frozen, so a loaded bank can be shared by all sessions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from course.content.models import Slug, Strict
from course.content.problems import Problem

QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
Prompt = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Choice = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Anchor = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=500)]
Citation = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=300)]
WaivableRule = Literal[
    "longest-key",
    "unequal-options",
    "all-none-of-above",
    "absolute-cue",
    "near-duplicate",
    "narrow-tolerance",
    "critical-unsourced",
    "tick-all-pays",
]
"""The item-writing rules of :mod:`course.quiz.item_rules` a question may waive, with a reason."""

QUESTION_TYPES = ("single", "multiple", "true_false", "numeric", "ordering", "matching", "diagram")


class ImageRef(Strict):
    """A picture shown with the prompt: a path under ``assets/`` and its text alternative."""

    path: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    alt: Choice


class Option(Strict):
    text: Choice
    correct: bool = False
    feedback: Prompt | None = None


class Pair(Strict):
    left: Choice
    right: Choice


class QuestionBase(Strict):
    """What every question has; ``lesson`` is filled from the bank's default on load."""

    id: QuestionId
    prompt: Prompt
    lesson: Slug | None = None
    objective: Slug
    section: Anchor | None = None
    points: float = Field(default=1, gt=0, le=100)
    critical: bool = False
    explanation: Prompt
    image: ImageRef | None = None
    level: Literal["recall", "application"] = "recall"  # application: a case, then a decision or a computation
    tags: tuple[Slug, ...] = ()  # e.g. "safety": what a must-pass question is about
    sources: tuple[Citation, ...] = ()  # where the keyed answer comes from
    waive: dict[WaivableRule, Reason] = Field(default_factory=dict)  # rule -> why this item keeps it
    # confidence-based marking in a quiz that asks for it: None = as its type allows (all-or-nothing
    # types carry a certainty), false = never; true on a type with partial credit is a bank error
    cbm: bool | None = None


class SingleQuestion(QuestionBase):
    type: Literal["single"]
    options: list[Option] = Field(min_length=2, max_length=12)

    @property
    def right(self) -> str:
        return next(o.text for o in self.options if o.correct)


class MultipleQuestion(QuestionBase):
    type: Literal["multiple"]
    options: list[Option] = Field(min_length=2, max_length=12)

    @property
    def right(self) -> frozenset[str]:
        return frozenset(o.text for o in self.options if o.correct)


class TrueFalseQuestion(QuestionBase):
    type: Literal["true_false"]
    answer: bool
    feedback: dict[bool, Prompt] | None = None


class NumericQuestion(QuestionBase):
    type: Literal["numeric"]
    answer: float
    tolerance: float = Field(ge=0)
    unit: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30)] | None = None


class OrderingQuestion(QuestionBase):
    type: Literal["ordering"]
    items: list[Choice] = Field(min_length=2, max_length=10)  # in the correct order


class MatchingQuestion(QuestionBase):
    type: Literal["matching"]
    pairs: list[Pair] = Field(min_length=2, max_length=10)
    distractors: list[Choice] = Field(default_factory=list, max_length=10)

    @property
    def key(self) -> dict[str, str]:
        return {p.left: p.right for p in self.pairs}


class DiagramQuestion(QuestionBase):
    type: Literal["diagram"]
    region: Slug
    answer: Slug  # a layer id of the skin model


Question = Annotated[
    SingleQuestion
    | MultipleQuestion
    | TrueFalseQuestion
    | NumericQuestion
    | OrderingQuestion
    | MatchingQuestion
    | DiagramQuestion,
    Field(discriminator="type"),
]


class Settings(Strict):
    """How a bank is taken; every field has a default so a tutor writes only what differs."""

    pass_mark: float = Field(default=70, ge=0, le=100)
    draw: int | None = Field(default=None, ge=1, le=200)
    shuffle_questions: bool = True
    shuffle_options: bool = True
    time_limit_min: float | None = Field(default=None, gt=0, le=600)
    max_attempts: int | None = Field(default=None, ge=1, le=1000)
    cbm: bool = False  # confidence-based marking: a certainty with each all-or-nothing answer (course.quiz.cbm)


class ExamSpec(Strict):
    """How the final exam draws: ``draw_per_bank`` from each bank, or ``per_bank[bank]`` for the
    banks named there (weight by risk: more safety, less history; 0 leaves a bank out)."""

    draw_per_bank: int = Field(ge=1, le=50)
    per_bank: dict[Slug, Annotated[int, Field(ge=0, le=50)]] = Field(default_factory=dict)


class BankHeader(Strict):
    """A bank file; questions are validated one by one afterwards so each gets its own line."""

    id: Slug
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    version: int = Field(ge=1)
    lesson: Slug | None = None
    settings: Settings = Field(default_factory=Settings)
    exam: ExamSpec | None = None
    questions: list[object] = Field(default_factory=list)


@dataclass(frozen=True)
class Bank:
    """A valid bank file: its header and its validated questions (``lesson`` filled in)."""

    id: str
    title: str
    version: int
    lesson: str | None
    settings: Settings
    questions: tuple[Question, ...]
    path: Path
    exam: ExamSpec | None = None
    lines: Mapping[str, int] = field(default_factory=dict)  # question id -> line of its ``id:`` in the file


@dataclass(frozen=True)
class Quiz:
    """Something a learner can take: a bank, the final exam or a review of their mistakes.

    Questions are drawn from each pool in turn (``draw_per_pool`` of them, or all), which is
    how one rule covers a bank (one pool) and the final exam (one pool per bank).
    """

    id: str
    title: str
    version: str
    settings: Settings
    pools: tuple[tuple[Question, ...], ...]
    draw_per_pool: int | None = None
    pool_draws: tuple[int, ...] | None = None  # per pool, overriding draw_per_pool (the exam's weights)

    def draws(self) -> tuple[int, ...]:
        """How many questions each pool gives an attempt (never more than it holds)."""
        if self.pool_draws is not None:
            return tuple(min(n, len(pool)) for n, pool in zip(self.pool_draws, self.pools, strict=True))
        if self.draw_per_pool is None:
            return tuple(len(pool) for pool in self.pools)
        return tuple(min(self.draw_per_pool, len(pool)) for pool in self.pools)

    @property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for pool in self.pools for q in pool}

    @property
    def draw_size(self) -> int:
        return sum(self.draws())


# --- answers ----------------------------------------------------------------------------
# single: option text; multiple: the ticked texts; true_false: bool; numeric: float;
# ordering: the item put in each position (None = left empty); matching: left -> right;
# diagram: a layer id. None means "not answered".
Answer = str | bool | float | tuple[str | None, ...] | frozenset[str] | Mapping[str, str | None] | None


# the learner's review of mistakes is a quiz with no bank; no bank may take its id
MISTAKES_QUIZ = "review-mistakes"
MISTAKES_TITLE = "Review my mistakes"


@dataclass(frozen=True)
class QuizCatalog:
    """Every bank that loaded, the problems of those that did not, and warnings."""

    banks: tuple[Bank, ...]
    broken: dict[Path, tuple[Problem, ...]] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()

    def bank(self, bank_id: str) -> Bank | None:
        return next((b for b in self.banks if b.id == bank_id), None)

    @property
    def questions(self) -> dict[str, Question]:
        """Every question of every valid bank, by id (the final exam has none of its own)."""
        return {q.id: q for bank in self.banks for q in bank.questions}

    def quiz(self, quiz_id: str) -> Quiz | None:
        """The quiz a learner takes for a bank id (the final exam draws from all others)."""
        bank = self.bank(quiz_id)
        if bank is None:
            return None
        if bank.exam is not None:
            drawn = [b for b in self.banks if b.exam is None and b.questions]
            counts = tuple(bank.exam.per_bank.get(b.id, bank.exam.draw_per_bank) for b in drawn)
            pools = tuple(b.questions for b in drawn)
            return Quiz(bank.id, bank.title, str(bank.version), bank.settings, pools, bank.exam.draw_per_bank, counts)
        return Quiz(bank.id, bank.title, str(bank.version), bank.settings, (bank.questions,), bank.settings.draw)

