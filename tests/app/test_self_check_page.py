"""AppTest of a self-check on a lesson page: answered on the spot, feedback and explanation
shown, kept as practice in practice.csv, and no quiz attempt created."""

from __future__ import annotations

from pathlib import Path

from course.content.lessons import load_catalog
from course.quiz.models import SingleQuestion
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, DRAFTS, PRACTICE, RESPONSES
from tests.helpers.apptest import open_url_path, texts

QUESTION = "tech-gun-hygiene"
KEY = f"selfcheck:lesson:techniques:{QUESTION}"


def gun_question(real_quizzes) -> SingleQuestion:
    question = real_quizzes.questions[QUESTION]
    assert isinstance(question, SingleQuestion)
    return question


def test_answering_a_self_check_shows_feedback_and_stores_practice_only(
    app_test, make_account, data_dir: Path, real_quizzes
) -> None:
    make_account("ada")
    question = gun_question(real_quizzes)
    wrong = next(o for o in question.options if not o.correct)
    right = next(o for o in question.options if o.correct)
    lesson = next(lesson for lesson in load_catalog().lessons if lesson.id == "techniques")
    at = open_url_path(app_test(user="ada").run(), lesson.url_path)
    assert question.prompt in texts(at)
    assert question.explanation not in texts(at)  # nothing of the key before an answer
    at.radio(key=KEY).set_value(wrong.text)
    at.button(key=f"{KEY}:check").click().run()
    assert any("Not right" in e.value for e in at.error)
    assert wrong.feedback and wrong.feedback in texts(at)
    assert f"**Why:** {question.explanation}" in texts(at)
    assert f"**Right answer:** {right.text}" in texts(at)
    at.radio(key=KEY).set_value(right.text)
    at.button(key=f"{KEY}:check").click().run()
    assert any("Right." in s.value for s in at.success)
    store = Store(data_dir)
    rows = store.read(PRACTICE).frame
    assert list(rows["question_id"]) == [QUESTION, QUESTION]
    assert list(rows["correct"]) == ["false", "true"]
    assert set(rows["learner"]) == {"ada"} and set(rows["lesson_id"]) == {"techniques"}
    for table in (ATTEMPTS, RESPONSES, DRAFTS):
        assert not store.path(table).exists()


def test_without_an_account_a_self_check_is_marked_but_not_kept(app_test, data_dir: Path, real_quizzes) -> None:
    question = gun_question(real_quizzes)
    right = next(o for o in question.options if o.correct)
    at = open_url_path(app_test().run(), "lesson-techniques")
    at.radio(key=KEY).set_value(right.text)
    at.button(key=f"{KEY}:check").click().run()
    assert any("Right." in s.value for s in at.success)
    assert "sign in to keep" in texts(at)
    assert not Store(data_dir).path(PRACTICE).exists()


def test_checking_without_an_answer_asks_for_one(app_test, data_dir: Path) -> None:
    at = open_url_path(app_test().run(), "lesson-techniques")
    at.button(key=f"{KEY}:check").click().run()
    assert any("Give an answer first" in w.value for w in at.warning)
    assert not Store(data_dir).path(PRACTICE).exists()
