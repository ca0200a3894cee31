"""AppTest of a quiz with confidence-based marking, end to end: the marks explained, a certainty
choice for each all-or-nothing question (none for the others), submit, the CBM score, the
review with each certainty and its mark, and the rows of ``certainty.csv``."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, CERTAINTY, RESPONSES
from tests.helpers.apptest import open_quiz, submit, texts
from tests.helpers.cbm import BANK, QUIZ

KEY = f"quiz:{QUIZ}"


@pytest.fixture
def bank(content_dirs: tuple[Path, Path]) -> None:
    (content_dirs[1] / f"{QUIZ}.yaml").write_text(BANK)


def certainty(at, question_id: str):
    return at.radio(key=f"{KEY}:{question_id}:certainty")


def take_mixed_attempt(app_test):
    """Open the CBM quiz, check its certainty widgets, answer, submit: diagram right at 3, single
    wrong at 3, true/false right at 1, multiple A+C (no certainty), number right (cbm: false)."""
    at = open_quiz(app_test, quiz=QUIZ)
    assert any("Confidence-based marking" in i.value and "6 times" in i.value for i in at.info)
    radios = {r.key for r in at.radio}
    for question_id in ("cbm-single", "cbm-tf", "cbm-diagram"):
        assert f"{KEY}:{question_id}:certainty" in radios
    assert f"{KEY}:cbm-multiple:certainty" not in radios and f"{KEY}:cbm-numeric:certainty" not in radios
    assert certainty(at, "cbm-single").options == ["1 (low): +1 / 0", "2 (mid): +2 / -2", "3 (high): +3 / -6"]

    at.selectbox(key=f"{KEY}:cbm-diagram").set_value("papillary-dermis").run()  # outside the form
    certainty(at, "cbm-diagram").set_value(3).run()
    at.radio(key=f"{KEY}:cbm-single").set_value("Wrong one")
    certainty(at, "cbm-single").set_value(3)
    at.radio(key=f"{KEY}:cbm-tf").set_value("False")
    certainty(at, "cbm-tf").set_value(1)
    at.checkbox(key=f"{KEY}:cbm-multiple:0").check()
    at.checkbox(key=f"{KEY}:cbm-multiple:2").check()
    at.text_input(key=f"{KEY}:cbm-numeric").input("0.86")
    submit(at, QUIZ)
    assert not at.exception, at.exception
    return at


def test_a_cbm_quiz_end_to_end(app_test, make_account, data_dir: Path, bank: None) -> None:
    """diagram right at 3 = 3; single wrong at 3 = -6; true/false right at 1 = 1; multiple (no
    certainty, 2 points) A+C = 2; number (cbm: false) right = 1. Score 1 of 3 + 3 + 3 + 2 + 1 = 12."""
    make_account("ada")
    at = take_mixed_attempt(app_test)
    assert [m.value for m in at.metric] == ["1 / 12", "8%"]
    assert any("Not passed" in e.value and "below the pass mark of 50%" in e.value for e in at.error)
    shown = texts(at)
    assert "average mark per question with a certainty is -0.67" in shown  # (3 - 6 + 1) / 3
    assert "Without the certainties, your answers earned 83% of the points." in shown  # 5 of 6
    assert "**1. :material/check_circle: Right** · 3 / 3 marks" in shown
    assert "**2. :material/cancel: Not right** · -6 / 3 marks" in shown
    assert "**Your certainty:** 3 (high), wrong: -6 marks" in shown
    assert "**Your certainty:** 1 (low), right: 1 mark" in shown
    assert "**3. :material/check_circle: Right** · 2 / 2 points" in shown  # the multiple: no certainty

    store = Store(data_dir)
    (attempt,) = store.read(ATTEMPTS).frame.to_dict("records")
    assert (attempt["score"], attempt["max_score"], attempt["passed"]) == (1, 12, "false")
    rows = store.read(CERTAINTY).frame
    assert set(rows["attempt_id"]) == {attempt["attempt_id"]}
    assert dict(zip(rows["question_id"], rows["certainty"], strict=True)) == {
        "cbm-diagram": "3",
        "cbm-single": "3",
        "cbm-tf": "1",
    }
    responses = store.read(RESPONSES).frame.set_index("question_id")
    assert responses.loc["cbm-single", "points"] == 0 and responses.loc["cbm-diagram", "points"] == 1


def test_a_wrong_must_pass_answer_fails_even_at_low_certainty(
    app_test, make_account, data_dir: Path, bank: None
) -> None:
    """Everything right at 3 but the must-pass true/false, wrong at 1 (0 marks): 3 + 3 + 2 + 1 = 9
    of 12 = 75%, above the pass mark, and still not passed."""
    make_account("ada")
    at = open_quiz(app_test, quiz=QUIZ)
    at.selectbox(key=f"{KEY}:cbm-diagram").set_value("papillary-dermis").run()
    certainty(at, "cbm-diagram").set_value(3).run()
    at.radio(key=f"{KEY}:cbm-single").set_value("Right one")
    certainty(at, "cbm-single").set_value(3)
    at.radio(key=f"{KEY}:cbm-tf").set_value("True")
    certainty(at, "cbm-tf").set_value(1)
    at.checkbox(key=f"{KEY}:cbm-multiple:0").check()
    at.checkbox(key=f"{KEY}:cbm-multiple:2").check()
    at.text_input(key=f"{KEY}:cbm-numeric").input("0.86")
    submit(at, QUIZ)
    assert [m.value for m in at.metric] == ["9 / 12", "75%"]
    (error,) = [e.value for e in at.error]
    assert "must-pass" in error and "below the pass mark" not in error


def test_an_answer_without_a_certainty_counts_as_low_and_resume_keeps_the_choices(
    app_test, make_account, data_dir: Path, bank: None
) -> None:
    make_account("ada")
    first = open_quiz(app_test, quiz=QUIZ)
    draw = first.session_state["quizzes:draw"]
    again = open_quiz(app_test, quiz=QUIZ)  # a reload: sign in again, Resume
    assert again.session_state["quizzes:draw"] == draw
    assert certainty(again, "cbm-single").value is None
    again.radio(key=f"{KEY}:cbm-single").set_value("Right one")
    submit(again, QUIZ)
    assert not again.exception, again.exception
    assert [m.value for m in again.metric] == ["1 / 12", "8%"]
    assert "**Your certainty:** 1 (low), right: 1 mark" in texts(again)
    assert "**Your certainty:** none (no answer, so 0 marks)" in texts(again)
    rows = Store(data_dir).read(CERTAINTY).frame.set_index("question_id")["certainty"]
    assert rows.to_dict() == {"cbm-single": "1", "cbm-tf": "", "cbm-diagram": ""}


def test_my_progress_shows_the_calibration_of_the_certainties(
    app_test, make_account, data_dir: Path, bank: None
) -> None:
    """After the mixed attempt: right at 3 (diagram), wrong at 3 (single), right at 1 (true/false)."""
    make_account("ada")
    take_mixed_attempt(app_test)
    at = app_test(user="ada").run()
    at.switch_page("views/pages/my_progress.py").run()
    assert not at.exception, at.exception
    assert "How sure, how right" in [s.value for s in at.subheader]
    assert len(at.get("plotly_chart")) == 3  # scores, mastery, calibration
    shown = texts(at)
    assert "- Certainty 1 (low): 1 of 1 right (100%)" in shown
    assert "- Certainty 3 (high): 1 of 2 right (50%)" in shown and "over-confident" in shown


def test_tutors_see_must_pass_questions_answered_wrong_at_high_certainty(
    app_test, make_account, data_dir: Path, bank: None
) -> None:
    make_account("ada", name="Ada Lovelace")
    make_account("tina", tutor=True)
    at = open_quiz(app_test, quiz=QUIZ)
    at.radio(key=f"{KEY}:cbm-tf").set_value("True")  # the must-pass statement is false
    certainty(at, "cbm-tf").set_value(3)
    submit(at, QUIZ)
    assert not at.exception, at.exception

    results = app_test(user="tina").run()
    results.switch_page("views/pages/tutor_results.py").run()
    results.get("button_group")[0].set_value("Confident and wrong")
    results.run()
    assert not results.exception, results.exception
    assert any("**1 answer** by **1 learner**" in m.value for m in results.markdown)
    (table,) = [d.value for d in results.dataframe]
    assert table[["learner", "name", "question", "question_id"]].values.tolist() == [
        ["ada", "Ada Lovelace", "This statement is false.", "cbm-tf"]
    ]
    assert table["where"][0].startswith("quizzes/cbmtest.yaml:")
