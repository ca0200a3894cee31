"""An attempt's life: seeded draw, draft, resume, limits on the server, submit once."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from course.quiz.answers import AnswerError, choice_order, decode_answer, encode_answer, left_order
from course.quiz.attempts import (
    EXPIRED,
    AlreadySubmitted,
    AttemptLimitReached,
    Attempts,
    Draw,
    EmptySubmission,
    attempts_left,
    display_order,
    draw_questions,
)
from course.quiz.models import MatchingQuestion, Question, Quiz, QuizCatalog, Settings
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, DRAFTS, RESPONSES
from tests.helpers.banks import RIGHT, fixture_catalog

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog() -> QuizCatalog:
    return fixture_catalog()


@pytest.fixture
def clock() -> list[datetime]:
    return [T0]


@pytest.fixture
def attempts(tmp_path: Path, clock: list[datetime]) -> Attempts:
    return Attempts(Store(tmp_path), clock=lambda: clock[0])


def quiz(catalog: QuizCatalog, quiz_id: str) -> Quiz:
    found = catalog.quiz(quiz_id)
    assert found is not None
    return found


# --- drawing --------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_draw(catalog: QuizCatalog) -> None:
    exam = quiz(catalog, "final-exam")
    assert draw_questions(exam, 42) == draw_questions(exam, 42)
    draws = {draw_questions(exam, seed) for seed in range(30)}
    assert len(draws) > 1
    for draw in draws:
        assert len(draw) == 4 and len(set(draw)) == 4
        assert sum(q.startswith("ob-") for q in draw) == 2  # two from each bank


def test_unshuffled_bank_keeps_its_order(catalog: QuizCatalog) -> None:
    bank = quiz(catalog, "valid-bank")
    assert draw_questions(bank, 1) == tuple(RIGHT)
    assert choice_order(bank.questions["vb-single"], 1, shuffle_options=False) == ("A", "B")


def test_items_to_order_are_never_shown_in_the_right_order(catalog: QuizCatalog) -> None:
    question = quiz(catalog, "valid-bank").questions["vb-ordering"]
    for seed in range(50):
        shown = choice_order(question, seed, shuffle_options=False)
        assert sorted(shown) == sorted(["first", "second", "third"]) and shown != ("first", "second", "third")


def test_matching_offers_rights_and_distractors(catalog: QuizCatalog) -> None:
    question = quiz(catalog, "valid-bank").questions["vb-matching"]
    assert isinstance(question, MatchingQuestion)
    assert sorted(choice_order(question, 3, True)) == ["Junction", "Muscle", "Superficial"]
    assert left_order(question, 3, shuffle_options=False) == ("Papule", "Nappage")


def test_diagram_questions_are_shown_first_and_the_rest_keep_their_drawn_order(catalog: QuizCatalog) -> None:
    questions = quiz(catalog, "valid-bank").questions
    drawn = [questions[q] for q in ("vb-numeric", "vb-single", "vb-diagram", "vb-matching", "vb-true-false")]
    shown = [q.id for q in display_order(drawn)]
    assert shown == ["vb-diagram", "vb-numeric", "vb-single", "vb-matching", "vb-true-false"]
    assert [q.id for q in display_order(drawn[:2])] == ["vb-numeric", "vb-single"]  # no diagram: unchanged


@pytest.mark.parametrize("question_id", list(RIGHT))
def test_answers_survive_the_csv_cell(catalog: QuizCatalog, question_id: str) -> None:
    question: Question = quiz(catalog, "valid-bank").questions[question_id]
    text = encode_answer(question, RIGHT[question_id])
    assert isinstance(text, str) and "\n" not in text
    assert decode_answer(question, text) == RIGHT[question_id]
    assert encode_answer(question, None) == "" and decode_answer(question, "") is None


def test_multiple_choice_is_stored_as_a_json_list_in_option_order(catalog: QuizCatalog) -> None:
    question = quiz(catalog, "valid-bank").questions["vb-multiple"]
    assert encode_answer(question, frozenset({"C", "A"})) == '["A", "C"]'


# --- start, resume, limits ---------------------------------------------------------------------


def test_start_saves_a_draft_and_a_reload_resumes_it(tmp_path: Path, attempts: Attempts, catalog: QuizCatalog) -> None:
    exam = quiz(catalog, "final-exam")
    started = attempts.start("ada", exam)
    assert not started.resumed
    row = Store(tmp_path).read(DRAFTS).frame.iloc[-1]
    assert row["attempt_id"] == started.draw.attempt_id and row["started"] == "2026-03-01T09:00:00+00:00"
    again = Attempts(Store(tmp_path), clock=attempts.clock).start("ada", exam)  # a new session, after a reload
    assert again.resumed and again.draw == started.draw
    assert attempts.start("bob", exam).draw.attempt_id != started.draw.attempt_id


def test_a_changed_bank_restarts_the_draft_with_a_notice(attempts: Attempts, catalog: QuizCatalog) -> None:
    bank = quiz(catalog, "valid-bank")
    first = attempts.start("ada", bank)
    changed = Quiz(bank.id, bank.title, "4", bank.settings, bank.pools)
    second = attempts.start("ada", changed)
    assert not second.resumed and second.draw.attempt_id != first.draw.attempt_id
    assert "has changed" in second.notices[0]
    assert attempts.used("ada", bank.id) == 0  # the dropped draft is not an attempt


def test_the_attempts_limit_is_enforced(attempts: Attempts, catalog: QuizCatalog) -> None:
    bank = quiz(catalog, "other-bank")  # max_attempts: 2
    for _ in range(2):
        draw = attempts.start("ada", bank).draw
        attempts.submit(draw, bank.settings, bank.questions, {q: True for q in draw.question_ids})
    with pytest.raises(AttemptLimitReached, match="all 2 attempts"):
        attempts.start("ada", bank)
    assert attempts.start("bob", bank).draw.learner == "bob"


def test_attempts_left_counts_down_to_zero_and_no_limit_is_none() -> None:
    limited = Settings(max_attempts=2)
    assert [attempts_left(limited, used) for used in range(4)] == [2, 1, 0, 0]  # never negative
    assert attempts_left(Settings(), used=50) is None


def test_a_late_submission_is_recorded_as_expired(
    tmp_path: Path, attempts: Attempts, catalog: QuizCatalog, clock: list[datetime]
) -> None:
    bank = quiz(catalog, "other-bank")  # time_limit_min: 10
    draw = attempts.start("ada", bank).draw
    clock[0] = T0 + timedelta(minutes=10, seconds=29)  # within the grace period
    assert attempts.seconds_left(draw, bank.settings) == 0
    early = attempts.submit(draw, bank.settings, bank.questions, {q: True for q in draw.question_ids})
    assert early.status == "submitted"
    draw = attempts.start("ada", bank).draw
    clock[0] += timedelta(minutes=11)
    late = attempts.submit(draw, bank.settings, bank.questions, {q: True for q in draw.question_ids})
    assert late.status == EXPIRED and late.outcome.score == 0 and not late.outcome.passed
    assert "Time was up" in late.outcome.reasons[0]
    rows = Store(tmp_path).read(ATTEMPTS).frame
    assert list(rows["outcome"]) == ["submitted", "expired"] and list(rows["passed"]) == ["true", "false"]


def test_a_draft_left_past_its_limit_is_expired_when_reopened(
    attempts: Attempts, catalog: QuizCatalog, clock: list[datetime]
) -> None:
    bank = quiz(catalog, "other-bank")
    first = attempts.start("ada", bank).draw
    clock[0] += timedelta(hours=1)
    reopened = attempts.start("ada", bank)
    assert not reopened.resumed and "ran out of time" in reopened.notices[0]
    assert attempts.used("ada", bank.id) == 1
    with pytest.raises(AlreadySubmitted):
        attempts.submit(first, bank.settings, bank.questions, {q: True for q in first.question_ids})


# --- submitting -----------------------------------------------------------------------------------


def test_submit_stores_one_attempt_row_and_one_response_per_question(
    tmp_path: Path, attempts: Attempts, catalog: QuizCatalog, clock: list[datetime]
) -> None:
    bank = quiz(catalog, "valid-bank")
    draw = attempts.start("ada", bank).draw
    clock[0] += timedelta(minutes=3)
    answers = {**RIGHT, "vb-multiple": frozenset({"A", "B"}), "vb-numeric": None}
    result = attempts.submit(draw, bank.settings, bank.questions, answers)
    assert (result.outcome.score, result.outcome.max_score) == (6.0, 8.0)
    store = Store(tmp_path)
    (row,) = store.read(ATTEMPTS).frame.to_dict("records")
    assert row == {
        "attempt_id": draw.attempt_id,
        "learner": "ada",
        "quiz": "valid-bank",
        "started": "2026-03-01T09:00:00+00:00",
        "submitted": "2026-03-01T09:03:00+00:00",
        "score": 6.0,
        "max_score": 8,
        "percentage": 75.0,
        "passed": "true",
        "bank_version": "3",
        "outcome": "submitted",
    }
    responses = store.read(RESPONSES).frame.set_index("question_id")
    assert list(responses.index) == list(RIGHT)
    assert responses.loc["vb-multiple", "answer"] == '["A", "B"]'
    assert responses.loc["vb-multiple", "points"] == 0 and responses.loc["vb-multiple", "correct"] == "false"
    assert responses.loc["vb-numeric", "answer"] == ""
    assert responses.loc["vb-matching", "points"] == 2 and responses.loc["vb-matching", "correct"] == "true"
    assert attempts.open_drafts("ada") == {}


def test_a_second_submit_of_the_same_attempt_stores_nothing(
    tmp_path: Path, attempts: Attempts, catalog: QuizCatalog
) -> None:
    bank = quiz(catalog, "valid-bank")
    draw = attempts.start("ada", bank).draw
    attempts.submit(draw, bank.settings, bank.questions, RIGHT)
    with pytest.raises(AlreadySubmitted, match="already submitted"):
        attempts.submit(draw, bank.settings, bank.questions, RIGHT)
    assert len(Store(tmp_path).read(ATTEMPTS).frame) == 1
    assert len(Store(tmp_path).read(RESPONSES).frame) == 7


def test_simultaneous_submits_of_one_attempt_from_many_threads_store_it_once(
    tmp_path: Path, attempts: Attempts, catalog: QuizCatalog
) -> None:
    bank = quiz(catalog, "valid-bank")
    draws = [attempts.start(f"u{n}", bank).draw for n in range(4)]
    outcomes: list[str] = []

    def submit(draw: Draw) -> None:
        try:
            attempts.submit(draw, bank.settings, bank.questions, RIGHT)
            outcomes.append("stored")
        except AlreadySubmitted:
            outcomes.append("refused")

    threads = [threading.Thread(target=submit, args=(d,)) for d in draws for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes).count("stored") == 4 and outcomes.count("refused") == 12
    frame = Store(tmp_path).read(ATTEMPTS).frame
    assert sorted(frame["attempt_id"]) == sorted(d.attempt_id for d in draws)
    assert len(Store(tmp_path).read(RESPONSES).frame) == 28


SUBMIT_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from course.quiz.attempts import AlreadySubmitted, Attempts, Draw
from course.store.csvstore import Store
from tests.helpers.banks import RIGHT, fixture_catalog
bank = fixture_catalog().quiz("other-bank")
draw = Draw("same-attempt", "ada", "other-bank", "2026-03-01T09:00:00+00:00", 1, ("ob-one", "ob-two"), "1")
try:
    Attempts(Store({folder!r}), clock=lambda: draw.started_at).submit(draw, bank.settings, bank.questions,
                                                                   {{"ob-one": True, "ob-two": False}})
    print("stored")
except AlreadySubmitted:
    print("refused")
"""


def test_two_processes_submitting_the_same_attempt_store_it_once(tmp_path: Path) -> None:
    script = SUBMIT_SCRIPT.format(root=str(ROOT), folder=str(tmp_path))
    processes = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    said = sorted(p.communicate(timeout=120)[0].strip() for p in processes)
    assert said == ["refused", "stored"]
    assert list(Store(tmp_path).read(ATTEMPTS).frame["attempt_id"]) == ["same-attempt"]
    assert len(Store(tmp_path).read(RESPONSES).frame) == 2


def test_an_empty_submission_is_refused_and_nothing_is_stored(
    tmp_path: Path, attempts: Attempts, catalog: QuizCatalog
) -> None:
    bank = quiz(catalog, "valid-bank")
    draw = attempts.start("ada", bank).draw
    blank = {"vb-multiple": frozenset(), "vb-ordering": (None, None, None), "vb-matching": {"Papule": None}}
    with pytest.raises(EmptySubmission, match="not answered any question"):
        attempts.submit(draw, bank.settings, bank.questions, blank)
    assert not Store(tmp_path).path(ATTEMPTS).exists()
    assert attempts.open_drafts("ada")["valid-bank"] == draw  # still open: the learner can go on


def test_a_forged_answer_is_refused_with_a_message(tmp_path: Path, attempts: Attempts, catalog: QuizCatalog) -> None:
    bank = quiz(catalog, "valid-bank")
    draw = attempts.start("ada", bank).draw
    with pytest.raises(AnswerError, match="reload"):
        attempts.submit(draw, bank.settings, bank.questions, {**RIGHT, "vb-single": "x" * 1_000_000})
    assert not Store(tmp_path).path(ATTEMPTS).exists()


def test_a_stored_attempt_can_be_shown_again(attempts: Attempts, catalog: QuizCatalog, clock: list[datetime]) -> None:
    bank = quiz(catalog, "valid-bank")
    draw = attempts.start("ada", bank).draw
    answers = {**RIGHT, "vb-ordering": ("second", "first", "third")}
    first = attempts.submit(draw, bank.settings, bank.questions, answers)
    shown, stored_answers = attempts.stored(draw, bank.settings, bank.questions)
    assert stored_answers == answers
    assert shown.outcome == first.outcome and shown.submitted == first.submitted


def test_an_expired_attempt_is_shown_as_expired(
    attempts: Attempts, catalog: QuizCatalog, clock: list[datetime]
) -> None:
    bank = quiz(catalog, "other-bank")
    draw = attempts.start("ada", bank).draw
    clock[0] += timedelta(hours=2)
    attempts.submit(draw, bank.settings, bank.questions, {q: True for q in draw.question_ids})
    shown, answers = attempts.stored(draw, bank.settings, bank.questions)
    assert shown.status == EXPIRED and answers == {} and shown.outcome.max_score == 2
