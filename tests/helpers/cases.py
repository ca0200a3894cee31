"""Playing clinical cases in tests: the answers that follow the recommended path, a route through
an unsafe choice, and small case files built in a test's folder (one defect each).

Answers are in the package's format (:func:`course.cases.scoring.score_step`); the AppTest and
browser tests turn them into widget actions.
"""

from __future__ import annotations

import copy
import itertools
from pathlib import Path
from typing import Any

import yaml

from course.cases.models import (
    Case,
    ChoiceStep,
    InformationStep,
    OutcomeStep,
    PlacementStep,
    PlanStep,
)
from course.cases.scoring import RunState, advance, placement_technique, score_step, start_state
from course.simulator.geometry import Verdict
from course.simulator.model import SkinModel
from course.simulator.scoring import drill_score

MAX_STEPS = 200


def on_target(skin: SkinModel, region: str, technique: str) -> tuple[float, float]:
    """An angle and inserted length (whole degrees, tenths of a mm) that land in the target close
    enough to its centre line for full marks (the drill's rule, which cases use too)."""
    rule = skin.data.general.drill_scoring
    for angle in (10, 15, 20, 5, 30, 45, 60, 90):
        for tenths in range(5, int(skin.max_length_mm * 10) + 1):
            placement = skin.assess(region, technique, angle, tenths / 10)
            if placement.verdict is Verdict.ON_TARGET and drill_score(placement, rule).score == 1.0:
                return float(angle), tenths / 10
    raise AssertionError(f"no on-target placement for {technique} in {region}")


def too_deep(skin: SkinModel, region: str, technique: str) -> tuple[float, float]:
    """A placement that misses the target (perpendicular, the longest needle)."""
    return 90.0, float(skin.max_length_mm)


def answer_for(state: RunState, target: str | None, skin: SkinModel, unsafe: bool = False) -> dict[str, Any]:
    """An answer to the current step that leads to ``target`` (None: any safe way on)."""
    step = state.case.step(state.current)
    if isinstance(step, ChoiceStep):
        if step.multiple:
            return {"options": [o.id for o in step.options if o.score > 0 and not o.unsafe]}
        options = [o for o in step.options if (target is None or o.next == target)]
        options = [o for o in options if bool(o.unsafe) == unsafe] or options
        best = max(options, key=lambda o: o.score)
        return {"options": [best.id]}
    if isinstance(step, InformationStep):
        return {"asked": list(range(len(step.findings)))}
    if isinstance(step, PlanStep):
        return {name: f.accept[0] for name, f in step.fields.present()}
    if isinstance(step, PlacementStep):
        angle, length = on_target(skin, step.region, placement_technique(step, state))
        return {"angle": angle, "length_mm": length}
    assert isinstance(step, OutcomeStep)
    return {}


def recommended_answers(case: Case, skin: SkinModel) -> list[tuple[str, dict[str, Any]]]:
    """(step id, answer) for each step of the recommended path, in order."""
    path = list(case.recommended)
    state = start_state(case)
    out = []
    for here, there in itertools.pairwise(path):
        assert state.current == here, (state.current, here)
        answer = answer_for(state, there, skin)
        result = score_step(state, answer, skin)
        out.append((here, answer))
        state = advance(state, result.record, result.unsafe)
    return out


def unsafe_answers(case: Case, skin: SkinModel) -> list[tuple[str, dict[str, Any]]] | None:
    """A route to a debrief through the first unsafe option met on the recommended path (or None)."""
    recommended = list(case.recommended)
    following = dict(itertools.pairwise(recommended))
    state = start_state(case)
    out: list[tuple[str, dict[str, Any]]] = []
    took_unsafe = False
    while not state.finished and len(out) < MAX_STEPS:
        step = state.case.step(state.current)
        if not took_unsafe and isinstance(step, ChoiceStep) and not step.multiple:
            bad = next((o for o in step.options if o.unsafe), None)
            if bad is not None:
                answer: dict[str, Any] = {"options": [bad.id]}
                took_unsafe = True
            else:
                answer = answer_for(state, following.get(state.current), skin)
        else:
            answer = answer_for(state, following.get(state.current), skin)
        result = score_step(state, answer, skin)
        out.append((state.current, answer))
        state = advance(state, result.record, result.unsafe)
    return out if took_unsafe and state.finished else None


# --- small case files --------------------------------------------------------------------------

MINI: dict[str, Any] = {
    "id": "mini",
    "title": "Mini case",
    "summary": "A tiny case for tests.",
    "duration_min": 5,
    "pass_mark": 60,
    "objectives": [{"text": "Pick a technique", "lesson": "techniques"}],
    "sources": ["amin-2006"],
    "patient": {
        "label": "Ms X., 40",
        "age": 40,
        "sex": "female",
        "request": "Softer lines.",
        "history": "Well.",
        "medications": "None.",
        "photos": "Fine lines.",
    },
    "start": "greet",
    "steps": [
        {
            "id": "greet",
            "kind": "choice",
            "prompt": "What first? [@amin-2006]",
            "options": [
                {"id": "ask", "text": "Ask", "feedback": "Good.", "score": 2, "next": "plan"},
                {"id": "jab", "text": "Inject", "feedback": "Bad.", "score": 0, "next": "end", "unsafe": "No history."},
            ],
        },
        {
            "id": "plan",
            "kind": "plan",
            "prompt": "Plan.",
            "fields": {
                "technique": {"options": ["nappage", "papule"], "accept": ["papule"], "score": 2, "feedback": "F."}
            },
            "next": "place",
        },
        {
            "id": "place",
            "kind": "placement",
            "region": "forehead",
            "technique": "from_plan",
            "score": 4,
            "feedback": "Shallow.",
            "next": "later",
        },
        {
            "id": "later",
            "kind": "outcome",
            "variants": [
                {"if_chosen": ["greet.jab"], "text": "Nodules.", "next": "end"},
                {"text": "All well.", "next": "end"},
            ],
        },
        {
            "id": "end",
            "kind": "debrief",
            "text": "Done.",
            "recommended": ["greet", "plan", "place", "later", "end"],
            "read_more": ["techniques#the-papule-technique"],
        },
    ],
}


def mini_case(**changes: Any) -> dict[str, Any]:
    """A deep copy of :data:`MINI` with top-level keys replaced."""
    data = copy.deepcopy(MINI)
    data.update(changes)
    return data


def write_case(folder: Path, data: dict[str, Any], name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or data.get('id', 'mini')}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
