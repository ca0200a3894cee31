"""AppTest of Practice → Clinical cases: the list, every real case played down its recommended
path (a pass) and down an unsafe path (a must-pass failure), resume after a new session, and a
broken case shown on its own page while the others work."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from course.cases.loading import case_files, load_cases
from course.cases.models import ChoiceStep, InformationStep, OutcomeStep, PlacementStep, PlanStep
from course.simulator.loading import load_skin_model
from course.store.csvstore import Store
from course.store.tables import CASE_ATTEMPTS, CASE_STEPS
from tests.helpers.cases import recommended_answers, unsafe_answers

PAGE = "views/pages/cases.py"
REAL = [path.stem for path in case_files()]


def open_case(app_test, case_id: str, user: str = "amy") -> AppTest:
    at = app_test(user).run()
    at.switch_page(PAGE)
    at.query_params["case"] = case_id
    return at.run()


def prefix(at: AppTest, case_id: str) -> str:
    run = at.session_state[f"case:{case_id}:run"]
    return f"case:{case_id}:{run.run_id}:{len(run.state.records)}"


def play(at: AppTest, case_id: str, step_id: str, answer: dict) -> AppTest:
    """Answer the current step through its widgets, as a learner would."""
    case = load_cases().find(case_id)
    step = case.step(step_id)
    here = prefix(at, case_id)
    if isinstance(step, ChoiceStep):
        if step.multiple:
            for option in answer["options"]:
                at.checkbox(key=f"{here}:{option}").check()
        else:
            at.radio(key=f"{here}:choice").set_value(answer["options"][0])
        return at.button(key=f"{here}:submit").click().run()
    if isinstance(step, InformationStep):
        for i in answer["asked"]:
            at.toggle(key=f"{here}:ask:{i}").set_value(True)
        at.run()
        return at.button(key=f"{here}:continue").click().run()
    if isinstance(step, PlanStep):
        for name, value in answer.items():
            at.selectbox(key=f"{here}:{name}").set_value(value)
        return at.button(key=f"{here}:submit").click().run()
    if isinstance(step, PlacementStep):
        at.number_input(key=f"{here}:needle:angle:number").set_value(answer["angle"])
        at.number_input(key=f"{here}:needle:length:number").set_value(answer["length_mm"])
        at.run()
        return at.button(key=f"{here}:commit").click().run()
    assert isinstance(step, OutcomeStep)
    return at.button(key=f"{here}:continue").click().run()


def test_the_list_shows_every_case_with_its_status(app_test, make_account) -> None:
    make_account("amy")
    at = app_test("amy").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    for case in load_cases().cases:
        assert case.title in text
    assert "Not started" in text


@pytest.mark.parametrize("case_id", REAL)
def test_the_recommended_path_passes(app_test, make_account, data_dir: Path, case_id: str) -> None:
    make_account("amy")
    case = load_cases().find(case_id)
    at = open_case(app_test, case_id)
    assert not at.exception
    for step_id, answer in recommended_answers(case, load_skin_model()):
        at = play(at, case_id, step_id, answer)
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
    assert any(s.value.startswith("**Passed**") for s in at.success)
    assert any(h.value == "Debrief" for h in at.subheader)
    rows = Store(data_dir).read(CASE_ATTEMPTS).frame
    assert rows["passed"].tolist() == ["true"] and rows["case"].tolist() == [case_id]
    steps = Store(data_dir).read(CASE_STEPS).frame
    assert steps["step"].tolist() == list(case.recommended[:-1])


@pytest.mark.parametrize("case_id", REAL)
def test_an_unsafe_path_fails_whatever_the_score(app_test, make_account, data_dir: Path, case_id: str) -> None:
    make_account("amy")
    case = load_cases().find(case_id)
    route = unsafe_answers(case, load_skin_model())
    assert route is not None, f"{case_id} has no unsafe choice on its recommended path"
    at = open_case(app_test, case_id)
    for step_id, answer in route:
        at = play(at, case_id, step_id, answer)
        assert not at.exception
    assert any("Failed on safety" in e.value for e in at.error)
    row = Store(data_dir).read(CASE_ATTEMPTS).frame.iloc[0]
    assert row["passed"] == "false" and row["failed_step"] and row["reason"]


def test_a_new_session_resumes_the_run(app_test, make_account, data_dir: Path) -> None:
    make_account("amy")
    case = load_cases().find("rejuvenation-routine")
    route = recommended_answers(case, load_skin_model())
    at = open_case(app_test, case.id)
    for step_id, answer in route[:3]:
        at = play(at, case.id, step_id, answer)
    again = open_case(app_test, case.id)  # a reload: a new session, the same learner
    run = again.session_state[f"case:{case.id}:run"]
    assert run.state.current == route[3][0]
    assert len(run.state.records) == 3
    assert "Step 4" in " ".join(m.value for m in again.markdown)


def test_a_broken_case_explains_itself_and_the_others_work(
    app_test, make_account, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    for path in case_files():
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("MESO_CASES_DIR", str(folder))
    make_account("amy")
    at = app_test("amy").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "broken.yaml (needs fixing)" in " ".join(m.value for m in at.markdown)
    at.query_params["case"] = "broken"
    at.run()
    assert any("broken.yaml:" in e.value and "invalid YAML" in e.value for e in at.error), [e.value for e in at.error]
    good = open_case(app_test, REAL[0])
    assert not good.exception and not good.error


def finish(data_dir: Path, learner: str, case_id: str, route) -> None:
    """Play a route through the package, as the page would, for the progress and results pages."""
    from course.cases.progress import CaseRuns

    runs = CaseRuns(Store(data_dir))
    case = load_cases().find(case_id)
    run = runs.new_run(learner, case)
    for _, answer in route:
        run = runs.commit(run, answer, load_skin_model()).run


def test_my_progress_shows_cases_and_counts_them_towards_lesson_mastery(app_test, make_account, data_dir) -> None:
    make_account("amy")
    case = load_cases().find("contraindication")
    finish(data_dir, "amy", case.id, recommended_answers(case, load_skin_model()))
    at = app_test("amy").run()
    at.switch_page("views/pages/my_progress.py").run()
    assert not at.exception
    assert "Clinical cases" in [h.value for h in at.subheader]
    tables = [df.value for df in at.dataframe]
    runs = next(t for t in tables if "Case" in t.columns)
    assert runs["Case"].tolist() == [case.title] and runs["Result"].tolist() == ["Passed"]
    (mastery,) = [m.value for m in at.markdown if m.value.startswith("- **") and " points" in m.value]
    rows = mastery.splitlines()  # the list of mastery per lesson
    named = {o.lesson for o in case.data.objectives}
    assert len(rows) == len(named)  # one row per lesson the case's objectives name
    assert all("**: 100% (strong)," in row for row in rows)


def test_tutors_see_branches_and_unsafe_choices(app_test, make_account, data_dir) -> None:
    make_account("tess", tutor=True)
    make_account("amy")
    make_account("ben")
    case = load_cases().find("contraindication")
    skin = load_skin_model()
    finish(data_dir, "amy", case.id, recommended_answers(case, skin))
    finish(data_dir, "ben", case.id, unsafe_answers(case, skin))
    at = app_test("tess").run()
    at.switch_page("views/pages/tutor_results.py").run()
    assert not at.exception
    at.selectbox(key="results:case").set_value(case.id).run()
    assert not at.exception
    unsafe = next(df.value for df in at.dataframe if "option" in df.value.columns)
    assert unsafe["learners"].tolist()[0] == 1 and unsafe["case"].tolist()[0] == case.title
    captions = " ".join(c.value for c in at.caption)
    assert "Branches taken in the case" in captions and "1 learner" in captions
