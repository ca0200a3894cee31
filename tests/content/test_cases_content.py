"""The real clinical cases as content: each loads, every step and every debrief can be reached and
every path can end, the recommended path is playable to a pass, an unsafe route fails, and the
case cites its sources (every unsafe option says why with a reference)."""

from __future__ import annotations

import pytest

from course.cases.graph import reachable
from course.cases.loading import case_files, cited_keys, load_cases
from course.cases.models import ChoiceStep, DebriefStep
from course.cases.scoring import advance, case_outcome, score_step, start_state
from course.content.bibliography import find_citations, load_references
from course.simulator.loading import load_skin_model
from tests.helpers.cases import recommended_answers, unsafe_answers

REAL = [path.stem for path in case_files()]


def test_every_case_file_loads() -> None:
    catalog = load_cases()
    assert catalog.broken == {}, {str(p): [str(x) for x in v] for p, v in catalog.broken.items()}
    assert {c.id for c in catalog.cases} == set(REAL)
    assert {"rejuvenation-routine", "contraindication"} <= set(REAL)


@pytest.mark.parametrize("case_id", REAL)
def test_every_step_and_every_debrief_is_reachable(case_id: str) -> None:
    case = load_cases().find(case_id)
    seen = reachable(case.data.start, case.steps)
    assert seen == set(case.steps)
    assert any(isinstance(case.step(s), DebriefStep) for s in seen)


@pytest.mark.parametrize("case_id", REAL)
def test_the_recommended_path_plays_end_to_end_to_a_pass(case_id: str) -> None:
    case = load_cases().find(case_id)
    skin = load_skin_model()
    state = start_state(case)
    for _, answer in recommended_answers(case, skin):
        result = score_step(state, answer, skin)
        state = advance(state, result.record, result.unsafe)
    outcome = case_outcome(state)
    assert state.path == case.recommended
    assert outcome.passed and outcome.percentage == 100


@pytest.mark.parametrize("case_id", REAL)
def test_an_unsafe_route_exists_and_fails(case_id: str) -> None:
    case = load_cases().find(case_id)
    skin = load_skin_model()
    route = unsafe_answers(case, skin)
    assert route is not None, "every case has a must-pass step"
    state = start_state(case)
    for _, answer in route:
        result = score_step(state, answer, skin)
        state = advance(state, result.record, result.unsafe)
    assert state.finished and not case_outcome(state).passed


@pytest.mark.parametrize("case_id", REAL)
def test_the_case_cites_its_sources(case_id: str) -> None:
    case = load_cases().find(case_id)
    references = load_references()
    keys = cited_keys(case.data)
    assert case.data.sources and all(k in references for k in keys)
    for step in case.data.steps:
        if isinstance(step, DebriefStep):
            assert find_citations(step.text), f"debrief '{step.id}' cites nothing"
        if isinstance(step, ChoiceStep):
            for option in step.options:
                if option.unsafe:
                    assert find_citations(option.feedback), f"unsafe option '{option.id}' gives no source"


@pytest.mark.parametrize("case_id", REAL)
def test_the_learner_is_spoken_to(case_id: str) -> None:
    """Learner-facing text speaks to the trainee, never about the course or its sources' files."""
    text = (load_cases().find(case_id).path).read_text(encoding="utf-8").lower()
    for phrase in ("the customer", "the article says", "research log", "todo", "tbd"):
        assert phrase not in text
