"""Clinical cases on their own: validation (one small case per defect, each reported with its
file and line), scoring of every step kind including the placement and the must-pass failure,
replay, and the store (once-only commits, finish in one write, resume)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from course.cases.graph import graph_findings
from course.cases.loading import CaseContext, load_cases, parse_case
from course.cases.progress import AlreadyCommitted, CaseRuns
from course.cases.scoring import CaseAnswerError, StaleRun, advance, case_outcome, replay, score_step, start_state
from course.simulator.loading import load_skin_model
from course.simulator.scoring import drill_score
from course.store.csvstore import Store
from course.store.tables import CASE_ATTEMPTS, CASE_STEPS
from tests.helpers.cases import MINI, mini_case, on_target, write_case


@pytest.fixture(scope="module")
def context() -> CaseContext:
    return CaseContext.current()


@pytest.fixture(scope="module")
def skin():
    return load_skin_model()


def problems_of(data: dict, context: CaseContext, tmp_path: Path) -> list[str]:
    path = write_case(tmp_path, data)
    case, problems = parse_case(path.read_text(encoding="utf-8"), path, context)
    assert case is None, "the defect was not found"
    return [str(p) for p in problems]


def steps_with(change) -> dict:
    data = copy.deepcopy(MINI)
    change(data["steps"])
    return data


def test_the_mini_case_is_valid(context: CaseContext, tmp_path: Path) -> None:
    path = write_case(tmp_path, mini_case())
    case, problems = parse_case(path.read_text(encoding="utf-8"), path, context)
    assert problems == [] and case is not None
    assert case.max_score == 2 + 2 + 4


def set_next(steps, step_index, value, option=None):
    if option is None:
        steps[step_index]["next"] = value
    else:
        steps[step_index]["options"][option]["next"] = value


DEFECTS = {
    "unknown next step": (lambda s: set_next(s, 1, "nowhere"), "next step 'nowhere' does not exist"),
    "unreachable step": (
        lambda s: s.insert(4, {"id": "lonely", "kind": "outcome", "variants": [{"text": "x", "next": "end"}]}),
        "step 'lonely' cannot be reached from the start step",
    ),
    "dead end": (lambda s: s[2].pop("next"), "step 'place' is a dead end"),
    "cycle without an exit": (
        lambda s: (
            set_next(s, 1, "loop"),
            s.insert(2, {"id": "loop", "kind": "outcome", "variants": [{"text": "again", "next": "plan"}]}),
        ),
        "is in a cycle with no way out",
    ),
    "option without feedback": (lambda s: s[0]["options"][0].update(feedback=""), "option 'ask' has no feedback"),
    "unknown technique": (
        lambda s: s[1]["fields"]["technique"].update(options=["nappage", "papule", "acupuncture"]),
        "unknown technique 'acupuncture'",
    ),
    "unknown region": (lambda s: s[2].update(region="elbow"), "unknown region 'elbow'"),
    "placement without a sourced thickness": (
        lambda s: s[2].update(region="scalp", technique="papule"),
        "cannot be scored in the scalp",
    ),
    "recommended is not a path": (
        lambda s: s[4].update(recommended=["greet", "place", "later", "end"]),
        "goes from 'greet' to 'place'",
    ),
    "unknown read_more anchor": (
        lambda s: s[4].update(read_more=["techniques#no-such-section"]),
        "lesson 'techniques' has no section 'no-such-section'",
    ),
    "unknown citation": (lambda s: s[0].update(prompt="Why? [@no-such-key-1999]"), "'@no-such-key-1999' is not a key"),
    "if_chosen names no option": (
        lambda s: s[3]["variants"][0].update(if_chosen=["greet.dance"]),
        "if_chosen 'greet.dance' is not an option",
    ),
    "duplicate step id": (lambda s: s[3].update(id="plan"), "duplicate step id 'plan'"),
    "single choice with one option": (lambda s: s[0]["options"].pop(1), "a choice needs at least two options"),
    "unknown step kind": (lambda s: s[3].update(kind="quiz"), "unknown step kind 'quiz'"),
    "accept not among the options": (
        lambda s: s[1]["fields"]["technique"].update(accept=["point-by-point"]),
        "'point-by-point' is not one of its options",
    ),
}


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_each_defect_is_reported_with_its_line(defect: str, context: CaseContext, tmp_path: Path) -> None:
    change, expected = DEFECTS[defect]
    problems = problems_of(steps_with(change), context, tmp_path)
    found = [p for p in problems if expected in p]
    assert found, problems
    assert all(p.startswith(f"{tmp_path / 'mini.yaml'}:") for p in found)  # file and line
    line = int(found[0].split(":")[1])
    assert line > 1


def test_unknown_lesson_source_and_keys_at_the_top(context: CaseContext, tmp_path: Path) -> None:
    data = mini_case(sources=["not-a-ref"], objectives=[{"text": "x", "lesson": "no-lesson"}], extra="typo")
    problems = " ".join(problems_of(data, context, tmp_path))
    assert "unknown field" in problems  # a typo of a key is refused before the cross-checks
    data.pop("extra")
    problems = " ".join(problems_of(data, context, tmp_path))
    assert "source 'not-a-ref' is not a key" in problems and "unknown lesson 'no-lesson'" in problems


def test_id_must_match_the_file_name(context: CaseContext, tmp_path: Path) -> None:
    path = write_case(tmp_path, mini_case(), name="other")
    _, problems = parse_case(path.read_text(encoding="utf-8"), path, context)
    assert any("does not match the file name" in str(p) for p in problems)


def test_a_broken_file_leaves_the_others_loaded(context: CaseContext, tmp_path: Path) -> None:
    write_case(tmp_path, mini_case())
    (tmp_path / "bad.yaml").write_text("id: bad\nsteps: [\n", encoding="utf-8")
    catalog = load_cases(tmp_path, context)
    assert [c.id for c in catalog.cases] == ["mini"]
    assert [p.name for p in catalog.broken] == ["bad.yaml"]
    assert "invalid YAML" in str(catalog.broken[tmp_path / "bad.yaml"][0])


def test_graph_findings_on_a_clean_case_are_empty(context: CaseContext, tmp_path: Path) -> None:
    catalog = load_cases(None, context)
    assert catalog.broken == {}
    for case in catalog.cases:
        assert graph_findings(case.data) == []


# --- scoring -----------------------------------------------------------------------------------


@pytest.fixture
def mini(context: CaseContext, tmp_path: Path):
    path = write_case(tmp_path, mini_case())
    case, _ = parse_case(path.read_text(encoding="utf-8"), path, context)
    return case


def play(case, answers, skin):
    state = start_state(case)
    for answer in answers:
        result = score_step(state, answer, skin)
        state = advance(state, result.record, result.unsafe)
    return state


def test_the_recommended_path_scores_full_marks(mini, skin) -> None:
    angle, length = on_target(skin, "forehead", "papule")
    state = play(mini, [{"options": ["ask"]}, {"technique": "papule"}, {"angle": angle, "length_mm": length}, {}], skin)
    outcome = case_outcome(state)
    assert state.finished and outcome.score == 8 and outcome.max_score == 8
    assert outcome.percentage == 100 and outcome.passed and outcome.failed_step is None
    assert outcome.path == ("greet", "plan", "place", "later", "end")


def test_the_placement_is_scored_by_the_drill_rule(mini, skin) -> None:
    state = play(mini, [{"options": ["ask"]}, {"technique": "papule"}], skin)
    rule = skin.data.general.drill_scoring
    # inside the band but near its bottom: on target, yet not full marks (the drill's centre-line rule)
    edge = score_step(state, {"angle": 90, "length_mm": 0.9}, skin)
    placement = skin.assess("forehead", "papule", 90, 0.9)
    assert placement.verdict.value == "on-target" and edge.record.answer["verdict"] == "on-target"
    assert edge.record.points == round(drill_score(placement, rule).score * 4, 2) == round(0.68 * 4, 2)
    assert edge.record.answer["off_centre_mm"] == round(drill_score(placement, rule).off_centre_mm, 3)
    assert "from the target's centre line" in edge.feedback[0]
    centre = score_step(state, {"angle": 90, "length_mm": 0.476}, skin)  # the forehead dermis's centre line
    assert centre.record.points == 4
    deep = score_step(state, {"angle": 90, "length_mm": 1.5}, skin)  # 1.5 mm: below the 0.9 mm forehead dermis
    assert deep.record.answer["verdict"] == "too-deep"
    assert deep.record.points == round(drill_score(skin.assess("forehead", "papule", 90, 1.5), rule).score * 4, 2)
    far = score_step(state, {"angle": 90, "length_mm": 6}, skin)
    assert far.record.points == 0  # far past the band: nothing


def test_from_plan_uses_the_technique_chosen_in_the_plan(mini, skin) -> None:
    state = play(mini, [{"options": ["ask"]}, {"technique": "nappage"}], skin)
    result = score_step(state, {"angle": 10, "length_mm": 4}, skin)
    assert result.record.answer["technique"] == "nappage"
    assert result.record.max_points == 4


def test_an_unsafe_choice_fails_whatever_the_score(mini, skin) -> None:
    state = play(mini, [{"options": ["jab"]}], skin)
    outcome = case_outcome(state)
    assert state.finished and not outcome.passed
    assert outcome.failed_step == "greet" and outcome.reason == "No history."


def test_an_unsafe_choice_with_full_points_still_fails(context: CaseContext, tmp_path: Path, skin) -> None:
    data = mini_case()
    data["steps"][0]["options"][1].update(score=50)  # more points than the whole recommended path
    path = write_case(tmp_path, data)
    case, _ = parse_case(path.read_text(encoding="utf-8"), path, context)
    outcome = case_outcome(play(case, [{"options": ["jab"]}], skin))
    assert outcome.percentage >= case.data.pass_mark and not outcome.passed


def test_the_outcome_depends_on_earlier_choices(context: CaseContext, tmp_path: Path, skin) -> None:
    data = mini_case()
    data["steps"][0]["options"][1].update(next="plan", unsafe=None)
    data["steps"][0]["options"][1].pop("unsafe")
    path = write_case(tmp_path, data)
    case, problems = parse_case(path.read_text(encoding="utf-8"), path, context)
    assert case is not None, problems
    both = [{"technique": "papule"}, {"angle": 10, "length_mm": 4}]
    jab = play(case, [{"options": ["jab"]}, *both], skin)
    ask = play(case, [{"options": ["ask"]}, *both], skin)
    assert score_step(jab, {}, skin).record.answer == {"variant": 0}
    assert score_step(ask, {}, skin).record.answer == {"variant": 1}


def test_answers_the_step_cannot_take_are_refused(mini, skin) -> None:
    state = start_state(mini)
    with pytest.raises(CaseAnswerError):
        score_step(state, {"options": []}, skin)
    with pytest.raises(CaseAnswerError):
        score_step(state, {"options": ["dance"]}, skin)
    with pytest.raises(CaseAnswerError):
        score_step(state, {"options": ["ask", "jab"]}, skin)
    plan = play(mini, [{"options": ["ask"]}], skin)
    with pytest.raises(CaseAnswerError):
        score_step(plan, {"technique": "acupuncture"}, skin)
    place = play(mini, [{"options": ["ask"]}, {"technique": "papule"}], skin)
    with pytest.raises(CaseAnswerError):
        score_step(place, {"angle": 120, "length_mm": 4}, skin)


def test_replay_rebuilds_the_state_and_refuses_a_changed_case(mini, skin) -> None:
    first = score_step(start_state(mini), {"options": ["ask"]}, skin)
    state = replay(mini, [first.record])
    assert state.current == "plan" and state.chosen == {"greet.ask"}
    wrong = first.record.__class__(0, "plan", "plan", {}, 0, 0, "place")
    with pytest.raises(StaleRun):
        replay(mini, [wrong])


# --- the store --------------------------------------------------------------------------------


def test_each_step_is_one_row_committed_once_and_the_finish_one_attempt(mini, skin, tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    runs = CaseRuns(store)
    run = runs.new_run("amy", mini)
    stale = run
    run = runs.commit(run, {"options": ["ask"]}, skin).run
    with pytest.raises(AlreadyCommitted):  # a second tab, or a double click: no going back
        runs.commit(stale, {"options": ["jab"]}, skin)
    assert len(store.read(CASE_STEPS).frame) == 1
    resumed = runs.resume("amy", mini)
    assert resumed.run_id == run.run_id and resumed.state.current == "plan"
    run = runs.commit(resumed, {"technique": "papule"}, skin).run
    run = runs.commit(run, {"angle": 10, "length_mm": 4}, skin).run
    done = runs.commit(run, {}, skin)
    assert done.outcome is not None and done.outcome.passed
    attempts = store.read(CASE_ATTEMPTS).frame
    assert len(attempts) == 1 and attempts.iloc[0]["path"] == "greet plan place later end"
    assert runs.outcome_of(run.run_id) == done.outcome
    assert runs.resume("amy", mini).run_id != run.run_id  # a finished run is not resumed


def test_a_failed_attempt_stores_the_step_and_the_reason(mini, skin, tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    runs = CaseRuns(store)
    done = runs.commit(runs.new_run("amy", mini), {"options": ["jab"]}, skin)
    row = store.read(CASE_ATTEMPTS).frame.iloc[0]
    assert done.outcome is not None and row["passed"] == "false"
    assert row["failed_step"] == "greet" and row["reason"] == "No history."


# --- the debrief's drawing and the analytics ---------------------------------------------------


def test_the_path_drawing_marks_unsafe_and_off_path_steps_in_shape_and_words(mini) -> None:
    from course.cases.figures import path_alt, path_figure

    taken, recommended = ["greet", "end"], list(mini.recommended)
    fig = path_figure(mini, taken, recommended, unsafe=["greet"])
    yours, theirs = fig.data
    assert list(yours.marker.symbol) == ["x", "circle"] and list(theirs.marker.symbol) == ["circle"] * 5
    assert yours.text[0] == "1. greet (unsafe)"
    alt = path_alt(mini, taken, recommended, unsafe=["greet"])
    assert "left the recommended path at step 2" in alt and "greet (choice) was unsafe" in alt


def test_unsafe_choices_branches_and_mastery_rows(mini, skin, tmp_path: Path) -> None:
    from course.analytics.cases import branch_counts, case_mastery, case_records, case_statuses, unsafe_choices

    store = Store(tmp_path / "data")
    runs = CaseRuns(store)
    for learner in ("amy", "ben"):
        runs.commit(runs.new_run(learner, mini), {"options": ["jab"]}, skin)
    run = runs.commit(runs.new_run("cal", mini), {"options": ["ask"]}, skin).run
    steps, attempts = store.read(CASE_STEPS).frame, store.read(CASE_ATTEMPTS).frame
    unsafe = unsafe_choices(steps, {"mini": mini})
    assert unsafe.values.tolist() == [["mini", "greet", "Inject", 2, 2]]
    branches = {(s, t): n for s, t, n in branch_counts(steps, "mini").values.tolist()}
    assert branches == {
        ("greet", "greet.jab"): 2,
        ("greet.jab", "end"): 2,
        ("greet", "greet.ask"): 1,
        ("greet.ask", "plan"): 1,
    }
    rows = case_mastery(attempts, "amy", {"mini": mini})
    assert rows[["lesson", "objective", "earned", "possible"]].values.tolist() == [
        ["techniques", "case:mini", 0.0, 8.0]
    ]
    result = store.read(CASE_ATTEMPTS)
    assert case_statuses(case_records(result, "cal"), runs.open_cases("cal"), ["mini"])["mini"].status == "in progress"
    amy = case_statuses(case_records(result, "amy"), runs.open_cases("amy"), ["mini"])["mini"]
    assert (amy.status, amy.best_percentage, amy.runs) == ("failed", 0.0, 1)
    assert run.state.current == "plan"


def test_rows_after_reads_only_the_new_complete_rows(tmp_path: Path) -> None:
    from course.store.tables import Table

    store = Store(tmp_path / "data")
    table = Table("t.csv", ("a", "b"))
    assert store.size(table) == 0 and store.rows_after(table, 0) == []
    store.append(table, [{"a": "1", "b": "x"}])
    mark = store.size(table)
    store.append(table, [{"a": "2", "b": 'say "hi", then go'}])
    with open(store.path(table), "ab") as handle:
        handle.write(b'3,"torn')  # a writer killed mid-line, inside a quoted field
    assert store.rows_after(table, 0) == [{"a": "1", "b": "x"}, {"a": "2", "b": 'say "hi", then go'}]
    assert store.rows_after(table, mark) == [{"a": "2", "b": 'say "hi", then go'}]
    store.append(table, [{"a": "4", "b": "y"}])  # closes the torn line, which stays garbled
    assert [r["a"] for r in store.rows_after(table, mark)] == ["2", "4"]
    assert [r["a"] for r in store.rows_after(table, 10**9)] == ["1", "2", "4"]  # past the end: read it all
