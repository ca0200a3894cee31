"""Scoring a case run, one committed step at a time, and replaying stored steps.

Pure: no I/O. :mod:`course.cases.progress` stores what :func:`score_step` returns and feeds the
stored rows back through :func:`replay`, so a reload resumes exactly where the learner was.

* A **choice** scores its option's points (tick-all: the sum of the ticked options); an option
  with ``unsafe`` is a must-pass violation that fails the case whatever the score.
* A **plan** scores each field's points when the choice is one of its ``accept`` values.
* A **placement** is judged by the needle simulator (:meth:`SkinModel.assess`) and scored with
  the drills' rule (:func:`course.simulator.scoring.drill_score`: distance from the target band's
  centre line, with the tolerance the skin model states; 0 to 1) times the step's points: there
  is one scoring of a needle placement in the course.
* **Information** and **outcome** steps score nothing; asking is recorded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from course.cases.models import (
    FROM_PLAN,
    Case,
    ChoiceStep,
    DebriefStep,
    InformationStep,
    OutcomeStep,
    PlacementStep,
    PlanStep,
)
from course.errors import MesoError
from course.simulator.geometry import Placement, SkinInputError
from course.simulator.model import SkinModel
from course.simulator.scoring import drill_score


class CaseAnswerError(MesoError, ValueError):
    """An answer the step cannot take (nothing chosen, an unknown option...); the message is for the learner."""


class StaleRun(MesoError):
    """Stored steps that no longer fit the case (it was edited since): the run cannot resume."""


@dataclass(frozen=True)
class StepRecord:
    """One committed step as it is stored: what was answered and what it scored."""

    seq: int
    step: str
    kind: str
    answer: Mapping[str, Any]
    points: float
    max_points: float
    next: str | None

    def encoded_answer(self) -> str:
        return json.dumps(self.answer, separators=(",", ":"), sort_keys=True)


@dataclass(frozen=True)
class StepResult:
    """What committing a step gives: the record to store and what to show the learner."""

    record: StepRecord
    feedback: tuple[str, ...] = ()
    unsafe: str | None = None
    placement: Placement | None = None


@dataclass(frozen=True)
class RunState:
    """Where a run stands after its committed steps."""

    case: Case
    records: tuple[StepRecord, ...] = ()
    current: str = ""
    chosen: frozenset[str] = frozenset()  # "step.option" ids chosen so far
    plan: Mapping[str, str] = field(default_factory=dict)  # the last plan's choices
    unsafe: tuple[tuple[str, str], ...] = ()  # (step id, why) of each unsafe choice

    @property
    def finished(self) -> bool:
        return isinstance(self.case.steps.get(self.current), DebriefStep)

    @property
    def path(self) -> tuple[str, ...]:
        """The step ids taken, the current one last."""
        return (*(r.step for r in self.records), self.current)

    @property
    def score(self) -> float:
        return round(sum(r.points for r in self.records), 2)


@dataclass(frozen=True)
class CaseOutcome:
    """A finished run: score, maximum, percentage, passed, and the must-pass failure if any."""

    score: float
    max_score: float
    percentage: float
    passed: bool
    failed_step: str | None
    reason: str | None
    path: tuple[str, ...]


def start_state(case: Case) -> RunState:
    return RunState(case, current=case.data.start)


def placement_technique(step: PlacementStep, state: RunState) -> str:
    """The technique a placement is scored for: its own, or the one chosen in the last plan."""
    if step.technique != FROM_PLAN:
        return step.technique
    chosen = state.plan.get("technique")
    if chosen:
        return chosen
    for other in state.case.data.steps:  # no plan on this path: the plan's first accepted technique
        if isinstance(other, PlanStep) and other.fields.technique is not None:
            return other.fields.technique.accept[0]
    raise CaseAnswerError("This placement needs a technique, and no plan chose one.")


def outcome_variant(step: OutcomeStep, chosen: frozenset[str]) -> int:
    """The index of the first variant whose ``if_chosen`` names an earlier choice (the last is the default)."""
    for i, variant in enumerate(step.variants):
        if variant.if_chosen is None or chosen.intersection(variant.if_chosen):
            return i
    return len(step.variants) - 1


def score_step(state: RunState, answer: Mapping[str, Any], skin: SkinModel | None = None) -> StepResult:
    """Score the answer to the run's current step; raise :class:`CaseAnswerError` for one it cannot take.

    >>> from course.cases.loading import load_cases
    >>> case = load_cases().find("rejuvenation-routine")
    >>> state = start_state(case)
    >>> result = score_step(state, {"options": ["take-history"]})
    >>> result.record.points == result.record.max_points, result.record.next
    (True, 'history')
    """
    step = state.case.steps[state.current]
    seq = len(state.records)
    if isinstance(step, ChoiceStep):
        picked = list(dict.fromkeys(str(o) for o in answer.get("options", ())))
        options = [step.option(o) for o in picked]
        if any(o is None for o in options):
            raise CaseAnswerError("That option is not part of this step.")
        chosen = [o for o in options if o is not None]
        if not step.multiple and len(chosen) != 1:
            raise CaseAnswerError("Choose one option, then commit.")
        points = float(sum(o.score for o in chosen))
        target = step.next if step.multiple else chosen[0].next
        unsafe = next((o.unsafe for o in chosen if o.unsafe), None)
        feedback = tuple(f"**{o.text}** — {o.feedback}" for o in chosen) if step.multiple else (chosen[0].feedback,)
        record = StepRecord(seq, step.id, step.kind, {"options": picked}, points, step.max_points, target)
        return StepResult(record, feedback, unsafe)
    if isinstance(step, InformationStep):
        asked = sorted({int(i) for i in answer.get("asked", ()) if 0 <= int(i) < len(step.findings)})
        return StepResult(StepRecord(seq, step.id, step.kind, {"asked": asked}, 0.0, 0.0, step.next))
    if isinstance(step, PlanStep):
        choices: dict[str, str] = {}
        points = 0.0
        notes: list[str] = []
        for name, plan_field in step.fields.present():
            value = answer.get(name)
            if value not in plan_field.options:
                raise CaseAnswerError(f"Choose the {name.replace('_', ' ')} of your plan, then commit.")
            choices[name] = str(value)
            right = value in plan_field.accept
            points += plan_field.score if right else 0
            verdict = "Good choice." if right else "Not the best choice."
            notes.append(f"**{name.replace('_', ' ').capitalize()}: {value}.** {verdict} {plan_field.feedback}")
        record = StepRecord(seq, step.id, step.kind, choices, points, float(step.max_points), step.next)
        return StepResult(record, tuple(notes))
    if isinstance(step, PlacementStep):
        if skin is None:
            raise CaseAnswerError("The needle simulator is unavailable, so this placement cannot be scored.")
        technique = placement_technique(step, state)
        try:
            placement = skin.assess(
                step.region, technique, float(answer.get("angle", -1)), float(answer.get("length_mm", -1))
            )
        except (SkinInputError, TypeError, ValueError) as exc:
            raise CaseAnswerError(str(exc)) from exc
        scored = drill_score(placement, skin.data.general.drill_scoring)
        points = round(scored.score * step.score, 2)
        stored = {
            "technique": technique,
            "angle": round(placement.angle_deg, 2),
            "length_mm": round(placement.length_mm, 2),
            "depth_mm": round(placement.depth_mm, 3),
            "distance_mm": round(placement.distance_mm, 3),
            "layer": placement.band.id if placement.band else "surface",
            "verdict": placement.verdict.value,
        }
        if scored.off_centre_mm is not None:
            stored["off_centre_mm"] = round(scored.off_centre_mm, 3)
        record = StepRecord(seq, step.id, step.kind, stored, points, float(step.score), step.next)
        headline = f"{placement.headline} Score {scored.score:.0%}: {scored.words}."
        return StepResult(record, (headline, step.feedback), placement=placement)
    if isinstance(step, OutcomeStep):
        index = outcome_variant(step, state.chosen)
        target = step.variants[index].next
        return StepResult(StepRecord(seq, step.id, step.kind, {"variant": index}, 0.0, 0.0, target))
    raise CaseAnswerError("This case is finished: there is nothing left to commit.")


def advance(state: RunState, record: StepRecord, unsafe: str | None = None) -> RunState:
    """The state after one more committed step."""
    step = state.case.steps[record.step]
    chosen = state.chosen
    plan = state.plan
    if isinstance(step, ChoiceStep):
        chosen = chosen | {f"{step.id}.{o}" for o in record.answer.get("options", ())}
        if unsafe is None:
            unsafe = next(
                (o.unsafe for o in step.options if o.id in record.answer.get("options", ()) and o.unsafe), None
            )
    if isinstance(step, PlanStep):
        plan = {str(k): str(v) for k, v in record.answer.items()}
    unsafe_list = state.unsafe + (((step.id, unsafe),) if unsafe else ())
    return RunState(state.case, (*state.records, record), record.next or "", chosen, plan, unsafe_list)


def replay(case: Case, records: Sequence[StepRecord]) -> RunState:
    """Rebuild a run from its stored steps, in order; :class:`StaleRun` if they no longer fit the case."""
    state = start_state(case)
    for expected, record in enumerate(sorted(records, key=lambda r: r.seq)):
        if record.seq != expected or record.step != state.current or record.step not in case.steps:
            raise StaleRun("This case has changed since you started it, so a fresh run has begun.")
        if record.next is not None and record.next not in case.steps:
            raise StaleRun("This case has changed since you started it, so a fresh run has begun.")
        state = advance(state, record)
    return state


def case_outcome(state: RunState) -> CaseOutcome:
    """The score, percentage and verdict of a finished run.

    The maximum is the sum of the step maxima along the case's recommended path; the total
    counts as 0 below 0 and the percentage is capped at 100. An unsafe choice fails the case.
    """
    case = state.case
    maximum = float(case.max_score)
    score = max(0.0, state.score)
    percentage = 100.0 if maximum <= 0 else min(100.0, round(score / maximum * 100, 2))
    failed = state.unsafe[0] if state.unsafe else None
    passed = failed is None and percentage >= case.data.pass_mark
    return CaseOutcome(
        score=round(score, 2),
        max_score=maximum,
        percentage=percentage,
        passed=passed,
        failed_step=failed[0] if failed else None,
        reason=failed[1] if failed else None,
        path=state.path,
    )
