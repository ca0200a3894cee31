"""What a valid clinical case file is (``cases/<id>.yaml``); see ``cases/README.md``.

Pydantic checks each case's shape (unknown keys are refused as typos); what a schema cannot
check (the step graph, ids that must exist elsewhere in the course) is checked in
:mod:`course.cases.loading`. Every model is frozen, so a loaded case can be shared between
sessions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from course.content.models import ReferenceKey, ShortText, Slug, Strict
from course.content.problems import Problem

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=6000)]
Feedback = Annotated[str, StringConstraints(strip_whitespace=True, max_length=6000)]

FROM_PLAN = "from_plan"
PLAN_FIELDS = ("technique", "product_class", "region", "sessions", "interval")


class CaseObjective(Strict):
    """What the case assesses; it counts towards the mastery of ``lesson``."""

    text: ShortText
    lesson: Slug


class Patient(Strict):
    label: ShortText
    age: int = Field(ge=0, le=120)
    sex: Literal["female", "male"]
    request: Text
    history: Text
    medications: Text
    photos: Text


class Option(Strict):
    """One answer of a choice step."""

    id: Slug
    text: Text
    feedback: Feedback = ""  # required non-empty: checked with a plain message, see loading
    score: int = Field(default=0, ge=-100, le=100)
    next: Slug | None = None
    unsafe: Text | None = None


class ChoiceStep(Strict):
    kind: Literal["choice"]
    id: Slug
    prompt: Text
    multiple: bool = False
    options: tuple[Option, ...] = Field(min_length=1)
    next: Slug | None = None  # the next step of a multiple-choice step

    @property
    def max_points(self) -> int:
        if self.multiple:
            return sum(o.score for o in self.options if o.score > 0)
        return max(0, *(o.score for o in self.options))

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class Finding(Strict):
    ask: ShortText
    finding: Text


class InformationStep(Strict):
    kind: Literal["information"]
    id: Slug
    prompt: Text
    findings: tuple[Finding, ...] = Field(min_length=1)
    next: Slug | None = None

    @property
    def max_points(self) -> int:
        return 0


class PlanField(Strict):
    options: tuple[ShortText, ...] = Field(min_length=2)
    accept: tuple[ShortText, ...] = Field(min_length=1)
    score: int = Field(default=1, ge=0, le=100)
    feedback: Text


class PlanFields(Strict):
    technique: PlanField | None = None
    product_class: PlanField | None = None
    region: PlanField | None = None
    sessions: PlanField | None = None
    interval: PlanField | None = None

    def present(self) -> tuple[tuple[str, PlanField], ...]:
        """The fields the step asks for, in the fixed order of :data:`PLAN_FIELDS`."""
        return tuple((name, f) for name in PLAN_FIELDS if (f := getattr(self, name)) is not None)


class PlanStep(Strict):
    kind: Literal["plan"]
    id: Slug
    prompt: Text
    fields: PlanFields
    next: Slug | None = None

    @property
    def max_points(self) -> int:
        return sum(f.score for _, f in self.fields.present())


class PlacementStep(Strict):
    kind: Literal["placement"]
    id: Slug
    prompt: Text = "Place the needle: set the angle and the inserted length."
    region: Slug
    technique: Annotated[str, StringConstraints(pattern=r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*|from_plan)$")]
    """A skin-model technique id, or ``from_plan``: the technique chosen in the last plan step."""
    score: int = Field(default=4, ge=1, le=100)
    feedback: Text
    next: Slug | None = None

    @property
    def max_points(self) -> int:
        return self.score


class Variant(Strict):
    if_chosen: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+\.[a-z0-9-]+$")], ...] | None = None
    text: Text
    next: Slug | None = None


class OutcomeStep(Strict):
    kind: Literal["outcome"]
    id: Slug
    prompt: Text | None = None
    variants: tuple[Variant, ...] = Field(min_length=1)

    @property
    def max_points(self) -> int:
        return 0


class DebriefStep(Strict):
    kind: Literal["debrief"]
    id: Slug
    text: Text
    recommended: tuple[Slug, ...] | None = None
    read_more: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+#[a-z0-9-]+$")], ...] = ()

    @property
    def max_points(self) -> int:
        return 0


Step = Annotated[
    ChoiceStep | InformationStep | PlanStep | PlacementStep | OutcomeStep | DebriefStep,
    Field(discriminator="kind"),
]
STEP_KINDS = ("choice", "information", "plan", "placement", "outcome", "debrief")


class CaseFile(Strict):
    """The whole file, as pydantic validates it."""

    id: Slug
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160)]
    summary: ShortText
    duration_min: int = Field(gt=0, le=600)
    pass_mark: int = Field(ge=0, le=100)
    objectives: tuple[CaseObjective, ...] = Field(min_length=1)
    sources: tuple[ReferenceKey, ...] = Field(min_length=1)
    patient: Patient
    start: Slug
    steps: tuple[Step, ...] = Field(min_length=2)


AnyStep = ChoiceStep | InformationStep | PlanStep | PlacementStep | OutcomeStep | DebriefStep


@dataclass(frozen=True)
class Case:
    """A case that passed every check, with its file and the line of each step."""

    data: CaseFile
    path: Path
    step_lines: dict[str, int] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.data.id

    @property
    def title(self) -> str:
        return self.data.title

    def step(self, step_id: str) -> AnyStep:
        return self.steps[step_id]

    @cached_property
    def steps(self) -> dict[str, AnyStep]:
        return {s.id: s for s in self.data.steps}

    @cached_property
    def recommended(self) -> tuple[str, ...]:
        """The case's recommended path: the first debrief (in file order) that declares one."""
        for step in self.data.steps:
            if isinstance(step, DebriefStep) and step.recommended:
                return step.recommended
        return ()

    @property
    def max_score(self) -> int:
        """The sum of the step maxima along the recommended path."""
        steps = self.steps
        return sum(steps[s].max_points for s in self.recommended if s in steps)


@dataclass(frozen=True)
class CaseCatalog:
    """Every case that loaded, in title order, and the problems of those that did not."""

    cases: tuple[Case, ...] = ()
    broken: dict[Path, tuple[Problem, ...]] = field(default_factory=dict)

    def find(self, case_id: str) -> Case | None:
        return next((c for c in self.cases if c.id == case_id), None)
