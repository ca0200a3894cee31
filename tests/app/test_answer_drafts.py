"""AppTest: an open attempt's answers are kept as they are given (answer_drafts.csv) and come
back, with the same questions, in a new session (a reload) that opens ``?quiz=<id>``."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.quiz.attempts import Draw
from course.store.csvstore import Store
from course.store.tables import ANSWER_DRAFTS, ATTEMPTS
from tests.helpers.apptest import QUIZ, answer, open_quiz, submit, write_bank

KEY = f"quiz:{QUIZ}"


@pytest.fixture
def bank(content_dirs: tuple[Path, Path]) -> str:
    return write_bank(content_dirs[1])


def reload_quiz(app_test):
    """A new session of the same learner at /quizzes?quiz=apptest, as after a browser reload."""
    at = app_test(user="ada").run()
    at.query_params["quiz"] = QUIZ
    return at.switch_page("views/pages/quizzes.py").run()


def test_three_answers_are_kept_and_come_back_after_a_reload(app_test, make_account, data_dir: Path, bank) -> None:
    make_account("ada")
    at = open_quiz(app_test)
    draw: Draw = at.session_state["quizzes:draw"]
    at.radio(key=f"{KEY}:apptest-single").set_value("Right one").run()
    at.radio(key=f"{KEY}:apptest-tf").set_value("False").run()
    at.selectbox(key=f"{KEY}:apptest-ordering:0").set_value("second").run()
    kept = Store(data_dir).read(ANSWER_DRAFTS).frame
    assert kept["attempt_id"].unique().tolist() == [draw.attempt_id]
    assert dict(zip(kept["question_id"], kept["answer"], strict=True)) == {
        "apptest-single": "Right one",
        "apptest-tf": "false",
        "apptest-ordering": '["second", null, null]',
    }

    again = reload_quiz(app_test)
    assert not again.exception, again.exception
    resumed: Draw = again.session_state["quizzes:draw"]
    assert resumed == draw  # the same attempt, questions and option order
    assert again.radio(key=f"{KEY}:apptest-single").value == "Right one"
    assert again.radio(key=f"{KEY}:apptest-tf").value == "False"
    assert again.selectbox(key=f"{KEY}:apptest-ordering:0").value == "second"
    assert again.selectbox(key=f"{KEY}:apptest-ordering:1").value is None
    assert any("3 answers given so far are back" in i.value for i in again.info)

    answer(again)  # change and complete them, then submit: the submitted answers are scored
    submit(again)
    assert Store(data_dir).read(ATTEMPTS).frame["attempt_id"].tolist() == [draw.attempt_id]
    rows = len(Store(data_dir).read(ANSWER_DRAFTS).frame)
    after = reload_quiz(app_test)  # a stored attempt is not resumed, and no draft row is added
    assert "quizzes:draw" not in after.session_state
    assert len(Store(data_dir).read(ANSWER_DRAFTS).frame) == rows
