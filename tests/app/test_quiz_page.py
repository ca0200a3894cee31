"""AppTest of the Quizzes page: take a quiz with known answers, submit once, see the score and
the review, find the rows in both CSV files; nothing of the answer key reaches the page early.

The real banks are copied to a tmp folder (``content_dirs``) and a test bank with one question
of every type, in a fixed order, is added beside them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from course.quiz.answers import MAX_NUMBER_CHARS
from course.quiz.attempts import Draw
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, DRAFTS, RESPONSES
from tests.helpers.apptest import QUIZ, answer, open_quiz, submit, texts, write_bank

PASS_ANSWERS = "pass"
# shown order: the diagram question first (its figure cannot be inside the form), then the rest
SHOWN = [
    "apptest-diagram",
    "apptest-single",
    "apptest-multiple",
    "apptest-tf",
    "apptest-numeric",
    "apptest-ordering",
    "apptest-matching",
]
SECRETS = ["APPTEST-EXPLANATION-SINGLE", "APPTEST-FEEDBACK-RIGHT", "APPTEST-FEEDBACK-WRONG", "correct", "0.86"]


@pytest.fixture
def bank(content_dirs: tuple[Path, Path]) -> str:
    return write_bank(content_dirs[1])


def page_source(at) -> str:
    """Everything the browser would receive for this run: every element's protobuf, as text."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def test_take_a_quiz_with_known_answers(app_test, make_account, data_dir: Path, bank: str) -> None:
    make_account("ada")
    at = open_quiz(app_test)
    draw: Draw = at.session_state["quizzes:draw"]
    assert draw.quiz == QUIZ and list(draw.question_ids) == [s for s in SHOWN[1:]] + ["apptest-diagram"]
    assert Store(data_dir).read(DRAFTS).frame["attempt_id"].tolist() == [draw.attempt_id]
    source = page_source(at)
    assert "Which option is right?" in source and "Right one" in source and "Wrong one" in source
    for secret in SECRETS:
        assert secret not in source, f"{secret!r} reached the page before submission"
    answer(at)
    submit(at)
    assert not at.exception, at.exception

    assert [m.value for m in at.metric] == ["5.33333 / 8", "67%"]
    assert any("Passed" in s.value for s in at.success)
    shown = texts(at)
    assert "**Your answer:** Papillary dermis" in shown and "**Right answer:** Papillary dermis" in shown
    assert "**Your answer:** A-ok; B-bad  \n**Right answer:** A-ok; C-ok" in shown
    assert "**Your answer:** first → third → second  \n**Right answer:** first → second → third" in shown
    assert "> APPTEST-FEEDBACK-RIGHT" in shown and "**Why:** APPTEST-EXPLANATION-SINGLE" in shown
    assert "Sources: ([WHO 2010](/references#who-2010))" in shown  # the works the key rests on, linked
    assert "**3. :material/cancel: Not right** · 0 / 2 points" in shown
    assert "**6. :material/adjust: Partly right** · 0.333333 / 1 point" in shown and "/ 1 points" not in shown
    links = [str(link.proto) for link in at.get("page_link")]
    assert any("Revise: History" in link and f"section={bank}" in link for link in links), links

    store = Store(data_dir)
    (row,) = store.read(ATTEMPTS).frame.to_dict("records")
    assert (row["learner"], row["quiz"], row["score"], row["max_score"], row["passed"], row["outcome"]) == (
        "ada",
        QUIZ,
        pytest.approx(5.333333),
        8,
        "true",
        "submitted",
    )
    assert row["attempt_id"] == draw.attempt_id and row["submitted"].endswith("+00:00")
    responses = store.read(RESPONSES).frame.set_index("question_id")
    assert sorted(responses.index) == sorted(SHOWN)
    assert responses.loc["apptest-numeric", "answer"] == "0.9"
    assert responses.loc["apptest-multiple", "answer"] == '["A-ok", "B-bad"]'
    assert responses.loc["apptest-ordering", "points"] == pytest.approx(1 / 3)
    assert set(responses["attempt_id"]) == {draw.attempt_id}


def test_passing_a_read_lessons_quiz_completes_it_and_leads_on(
    app_test, make_account, data_dir: Path, bank: str
) -> None:
    from course.accounts.progress import LessonProgress

    make_account("ada")
    at = open_quiz(app_test)
    answer(at)
    submit(at)
    box = at.get("flex_container")
    text = texts(at)
    assert "You passed the quiz for lesson 2." in text  # the bank checks lesson 2, not yet marked read
    LessonProgress(Store(data_dir)).set_complete("ada", "history", done=True)
    at = open_quiz(app_test)
    answer(at)
    submit(at)
    text = texts(at)
    assert "**Lesson 2 complete.** You read *History: from Bray-et-Lû to international consensus*" in text
    assert any(link.value.startswith("Next: lesson 1,") for link in at.get("page_link")), box
    # lesson 1 is still to read, so it is next


def test_a_missed_must_pass_question_fails_and_says_why(app_test, make_account, bank: str) -> None:
    make_account("ada")
    at = open_quiz(app_test)
    answer(at, right=False)
    submit(at)
    assert [m.value for m in at.metric] == ["4.33333 / 8", "54%"]
    (error,) = [e.value for e in at.error]
    assert "**Not passed.**" in error and "below the pass mark of 60%" in error
    assert "must-pass safety question" in error and "Must-pass question(s) missed: 4." in error


def test_an_empty_submission_gets_a_message_and_stores_nothing(
    app_test, make_account, data_dir: Path, bank: str
) -> None:
    make_account("ada")
    at = open_quiz(app_test)
    submit(at)
    assert any("not answered any question" in e.value for e in at.error)
    assert "quizzes:draw" in at.session_state  # still taking it
    assert not Store(data_dir).path(ATTEMPTS).exists()


def test_a_huge_number_answer_gets_a_message(app_test, make_account, data_dir: Path, bank: str) -> None:
    """A 1 MB paste reaches the server cut to the box's max_chars (the browser's maxlength and
    Streamlit's own cut), one more than a number may have: refused with a message, not stored."""
    make_account("ada")
    at = open_quiz(app_test)
    box = at.text_input(key=f"quiz:{QUIZ}:apptest-numeric")
    assert box.max_chars == MAX_NUMBER_CHARS + 1
    box.input(("9" * 1_000_000)[: box.max_chars])
    submit(at)
    assert any("too long for a number" in e.value for e in at.error)
    assert not Store(data_dir).path(ATTEMPTS).exists()


def test_submitting_the_same_attempt_twice_stores_it_once(app_test, make_account, data_dir: Path, bank: str) -> None:
    """A second tab (or a double click) submits a draw that is already stored."""
    make_account("ada")
    first = open_quiz(app_test)
    draw = first.session_state["quizzes:draw"]
    second = app_test(user="ada").run()
    second.switch_page("views/pages/quizzes.py").run()
    assert second.button(key=f"quizzes:start:{QUIZ}").label == "Resume"
    second.button(key=f"quizzes:start:{QUIZ}").click().run()
    assert second.session_state["quizzes:draw"] == draw  # the other tab resumed the same attempt
    for at in (first, second):
        answer(at)
        submit(at)
        assert not at.exception, at.exception
    assert any("already submitted" in i.value for i in second.info)
    assert [m.value for m in second.metric] == ["5.33333 / 8", "67%"]  # the stored result, shown again
    assert len(Store(data_dir).read(ATTEMPTS).frame) == 1
    assert len(Store(data_dir).read(RESPONSES).frame) == 7


def test_the_attempts_limit_disables_start(app_test, make_account, content_dirs: tuple[Path, Path]) -> None:
    write_bank(content_dirs[1], max_attempts="1")
    make_account("ada")
    at = open_quiz(app_test)
    answer(at)
    submit(at)
    at.button(key="quizzes:back").click().run()
    button = at.button(key=f"quizzes:start:{QUIZ}")
    assert button.disabled
    assert any("attempts left: 0 of 1" in c.value for c in at.caption)


def test_a_broken_bank_shows_its_problem_and_the_others_work(
    app_test, make_account, content_dirs: tuple[Path, Path], bank: str
) -> None:
    make_account("ada")
    (content_dirs[1] / "broken-bank.yaml").write_text("id: broken-bank\ntitle: Broken\nversion: 1\nquestions: [\n")
    at = app_test(user="ada").run()
    at.switch_page("views/pages/quizzes.py").run()
    assert not at.exception
    assert any("cannot be taken until its question file is fixed" in e.value for e in at.error)
    assert any("broken-bank.yaml" in m.value and "invalid YAML" in m.value for m in at.markdown)
    at.button(key=f"quizzes:start:{QUIZ}").click().run()
    assert at.session_state["quizzes:draw"].quiz == QUIZ


def test_signed_out_visitors_are_asked_to_sign_in(app_test, bank: str) -> None:
    at = app_test().run()
    at.switch_page("views/pages/quizzes.py").run()
    assert any("Please sign in" in i.value for i in at.info)
    assert not at.get("form")
