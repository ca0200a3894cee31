"""Confidence-based marking: the marks, an attempt's score and percentage, the pass rules, the
certainties stored beside the responses, and attempts stored before CBM, all against values
computed by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from course.analytics.learner import calibration, certainty_answers, select_progress
from course.analytics.learner_charts import calibration_alt, calibration_figure
from course.analytics.results import Filters, load_results, question_index, select
from course.analytics.summaries import confident_wrong
from course.palette import BLUE, GREEN
from course.quiz.answers import AnswerError, can_carry_certainty, carries_certainty
from course.quiz.attempts import Attempts, cbm_questions
from course.quiz.cbm import IDEAL_BANDS, cbm_mark, ideal_certainty
from course.quiz.models import (
    MultipleQuestion,
    NumericQuestion,
    Option,
    Quiz,
    QuizCatalog,
    Settings,
    SingleQuestion,
    TrueFalseQuestion,
)
from course.quiz.scoring import score_attempt, score_question
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, CERTAINTY, RESPONSES
from tests.helpers.banks import RIGHT, fixture_catalog

COMMON = {"prompt": "?", "objective": "o", "explanation": "because", "lesson": "l"}


def single(question_id: str, points: float = 1, critical: bool = False) -> SingleQuestion:
    options = [Option(text="A", correct=True), Option(text="B")]
    return SingleQuestion(id=question_id, type="single", options=options, points=points, critical=critical, **COMMON)


TF = TrueFalseQuestion(id="tf", type="true_false", answer=True, critical=True, **COMMON)
NUMBER = NumericQuestion(id="n", type="numeric", answer=0.86, tolerance=0.1, **COMMON)
MULTIPLE = MultipleQuestion(
    id="m", type="multiple", points=3, options=[Option(text=t, correct=t in "ACE") for t in "ABCDE"], **COMMON
)


# --- the marks ----------------------------------------------------------------------------------


def test_the_lapt_marks() -> None:
    assert [cbm_mark(True, c) for c in (1, 2, 3)] == [1, 2, 3]
    assert [cbm_mark(False, c) for c in (1, 2, 3)] == [0, -2, -6]
    assert cbm_mark(True, 3, points=2) == 6 and cbm_mark(False, 2, points=0.5) == -1


def test_right_at_3_wrong_at_3_right_at_1_is_3_minus_6_plus_1() -> None:
    questions = [single("a"), single("b"), single("c")]
    outcome = score_attempt(questions, {"a": "A", "b": "B", "c": "A"}, 50, certainties={"a": 3, "b": 3, "c": 1})
    assert [m.score for m in outcome.marks] == [3, -6, 1]
    assert (outcome.score, outcome.max_score) == (-2, 9)
    assert outcome.percentage == 0  # -2 / 9, never below 0
    assert not outcome.passed
    assert outcome.accuracy == pytest.approx(200 / 3)  # 2 of 3 right, without the certainties
    assert outcome.cbm_average == pytest.approx(-2 / 3)


def test_a_mixed_attempt_counts_cbm_marks_and_ordinary_points() -> None:
    """single right@3 = 3; true/false wrong@2 = -2; number right@2 = 2; multiple (no certainty,
    3 points, A+C of A, C, E ticked) = 2; an unanswered question at certainty 3 = 0.
    Score 3 - 2 + 2 + 2 + 0 = 5 of 3 + 3 + 3 + 3 + 3 = 15: 33.3%."""
    questions = [single("s"), TF, NUMBER, MULTIPLE, single("blank")]
    answers = {"s": "A", "tf": False, "n": 0.9, "m": frozenset("AC")}
    certainties = {"s": 3, "tf": 2, "n": 2, "blank": 3}
    outcome = score_attempt(questions, answers, 30, certainties)
    assert [m.score for m in outcome.marks] == [3, -2, 2, 2, 0]
    assert [m.max_score for m in outcome.marks] == [3, 3, 3, 3, 3]
    assert [m.certainty for m in outcome.marks] == [3, 2, 2, None, None]  # the blank one keeps none
    assert (outcome.score, outcome.max_score) == (5, 15)
    assert outcome.percentage == pytest.approx(100 / 3)
    # the must-pass true/false is wrong: not passed although 33% clears the pass mark of 30
    assert not outcome.passed and outcome.critical_missed == ("tf",)
    assert len(outcome.reasons) == 1 and "must-pass" in outcome.reasons[0]


def test_a_wrong_must_pass_answer_fails_at_every_certainty() -> None:
    questions = [single("a"), single("b"), single("c"), TF]
    answers = {"a": "A", "b": "A", "c": "A", "tf": False}
    for certainty in (1, 2, 3):
        outcome = score_attempt(questions, answers, 50, {"a": 3, "b": 3, "c": 3, "tf": certainty})
        assert not outcome.passed and outcome.critical_missed == ("tf",)
    # at certainty 1 the wrong answer costs nothing: 9 / 12 = 75% clears the pass mark, and still fails
    low = score_attempt(questions, answers, 50, {"a": 3, "b": 3, "c": 3, "tf": 1})
    assert low.percentage == 75 and len(low.reasons) == 1 and "must-pass" in low.reasons[0]


def test_an_answer_without_a_certainty_counts_as_low() -> None:
    mark = score_question(single("a"), "A", cbm=True, certainty=None)
    assert (mark.certainty, mark.score, mark.max_score) == (1, 1, 3)
    assert score_question(single("a"), "B", cbm=True).score == 0


def test_points_scale_the_marks() -> None:
    outcome = score_attempt([single("a", points=2), single("b", points=2)], {"a": "A", "b": "B"}, 0, {"a": 3, "b": 2})
    assert (outcome.score, outcome.max_score) == (2, 12)  # 6 - 4


def test_without_certainties_nothing_changes() -> None:
    questions = [single("s"), TF, MULTIPLE]
    plain = score_attempt(questions, {"s": "A", "tf": True, "m": frozenset("AC")}, 70)
    assert (plain.score, plain.max_score, round(plain.percentage, 2)) == (4, 5, 80.0)
    assert not plain.cbm and plain.cbm_average is None
    assert all(m.score == m.points and m.max_score == m.max_points for m in plain.marks)


def test_only_all_or_nothing_types_carry_a_certainty() -> None:
    capable = {t: can_carry_certainty(t) for t in ("single", "true_false", "numeric", "diagram")}
    assert all(capable.values())
    assert not any(can_carry_certainty(t) for t in ("multiple", "ordering", "matching"))
    assert not carries_certainty(MULTIPLE)
    assert not carries_certainty(single("a").model_copy(update={"cbm": False}))  # opted out by its bank
    questions = [single("s"), MULTIPLE, NUMBER]
    assert [q.id for q in cbm_questions(questions, Settings(cbm=True))] == ["s", "n"]
    assert cbm_questions(questions, Settings()) == []


def test_the_ideal_bands_meet_where_the_expected_marks_cross() -> None:
    """Expected mark per point at a chance p of being right: p, 4p - 2, 9p - 6."""
    assert IDEAL_BANDS[1][1] == IDEAL_BANDS[2][0] == pytest.approx(2 / 3)
    assert IDEAL_BANDS[2][1] == IDEAL_BANDS[3][0] == pytest.approx(0.8)
    for p in (0.1, 0.5, 0.7, 0.75, 0.85, 1.0):
        expected = {1: p, 2: 4 * p - 2, 3: 9 * p - 6}
        assert ideal_certainty(p) == max(expected, key=lambda c: expected[c])


# --- stored attempts ------------------------------------------------------------------------------


CBM = Settings(pass_mark=60, shuffle_questions=False, shuffle_options=False, cbm=True)
OLD_RESPONSES_HEADER = "attempt_id,question_id,answer,correct,points,max_points"


@pytest.fixture(scope="module")
def catalog() -> QuizCatalog:
    return fixture_catalog()


@pytest.fixture
def bank(catalog: QuizCatalog) -> Quiz:
    found = catalog.quiz("valid-bank")
    assert found is not None
    return found


def test_a_cbm_attempt_stores_its_certainties_beside_unchanged_responses(tmp_path: Path, bank: Quiz) -> None:
    """valid-bank with cbm: single@3 = 3, true/false@2 = 2, number@1 = 1, diagram (none chosen) = 1,
    then the ordinary points: multiple 1, ordering 1, matching 2. 11 of 4 x 3 + 1 + 1 + 2 = 16."""
    book = Attempts(Store(tmp_path))
    draw = book.start("ada", bank).draw
    given = {"vb-single": 3, "vb-true-false": 2, "vb-numeric": 1}
    result = book.submit(draw, CBM, bank.questions, RIGHT, given)
    assert (result.outcome.score, result.outcome.max_score) == (11, 16)
    assert result.outcome.percentage == pytest.approx(68.75) and result.outcome.passed
    store = Store(tmp_path)
    (attempt,) = store.read(ATTEMPTS).frame.to_dict("records")
    assert (attempt["score"], attempt["max_score"], attempt["percentage"]) == (11, 16, 68.75)
    rows = store.read(CERTAINTY).frame
    assert rows.to_dict("records") == [
        {"attempt_id": draw.attempt_id, "question_id": q, "certainty": c}
        for q, c in [("vb-single", "3"), ("vb-true-false", "2"), ("vb-numeric", "1"), ("vb-diagram", "1")]
    ]
    assert store.path(RESPONSES).read_text().splitlines()[0] == OLD_RESPONSES_HEADER
    responses = store.read(RESPONSES).frame.set_index("question_id")
    assert responses["points"].sum() == 8  # the points without certainties: all right
    shown, answers = book.stored(draw, CBM, bank.questions)
    assert shown.outcome == result.outcome and answers == RIGHT


def test_an_unanswered_cbm_question_stores_an_empty_certainty(tmp_path: Path, bank: Quiz) -> None:
    book = Attempts(Store(tmp_path))
    draw = book.start("ada", bank).draw
    result = book.submit(draw, CBM, bank.questions, {**RIGHT, "vb-numeric": None}, {"vb-numeric": 3})
    assert result.outcome.score == 1 + 1 + 1 + 0 + 4  # single, true/false, diagram at 1; the number blank
    certainties = Store(tmp_path).read(CERTAINTY).frame.set_index("question_id")["certainty"]
    assert certainties["vb-numeric"] == "" and book.certainties(draw.attempt_id)["vb-numeric"] is None


@pytest.mark.parametrize("bad", [0, 4, -1, "3", 2.5, True])
def test_a_certainty_outside_1_to_3_is_refused_and_nothing_is_stored(tmp_path: Path, bank: Quiz, bad: object) -> None:
    book = Attempts(Store(tmp_path))
    draw = book.start("ada", bank).draw
    with pytest.raises(AnswerError, match=r"must be 1 \(low\), 2 \(mid\) or 3 \(high\)"):
        book.submit(draw, CBM, bank.questions, RIGHT, {"vb-single": bad})
    assert not Store(tmp_path).path(ATTEMPTS).exists() and not Store(tmp_path).path(CERTAINTY).exists()


def test_a_certainty_for_a_question_without_one_is_refused(tmp_path: Path, bank: Quiz) -> None:
    book = Attempts(Store(tmp_path))
    draw = book.start("ada", bank).draw
    with pytest.raises(AnswerError, match="reload"):
        book.submit(draw, CBM, bank.questions, RIGHT, {"vb-multiple": 3})
    with pytest.raises(AnswerError, match="reload"):  # the quiz does not ask for certainties
        book.submit(draw, bank.settings, bank.questions, RIGHT, {"vb-single": 3})
    assert not Store(tmp_path).path(ATTEMPTS).exists()


def test_an_attempt_stored_before_cbm_scores_and_shows_as_it_did(tmp_path: Path, bank: Quiz) -> None:
    """Stored without certainties; its quiz then asks for them: rescored, it is unchanged."""
    book = Attempts(Store(tmp_path))
    draw = book.start("ada", bank).draw
    before = book.submit(draw, bank.settings, bank.questions, {**RIGHT, "vb-true-false": False})
    assert not Store(tmp_path).path(CERTAINTY).exists()
    shown, _ = Attempts(Store(tmp_path)).stored(draw, CBM, bank.questions)
    assert shown.outcome == before.outcome
    assert (shown.outcome.score, shown.outcome.max_score, shown.outcome.passed) == (7, 8, False)
    assert not shown.outcome.cbm and all(m.certainty is None for m in shown.outcome.marks)


def test_old_data_files_keep_loading(tmp_path: Path, bank: Quiz) -> None:
    """A data folder written before CBM (no certainty.csv) reads, and a CBM attempt appends to it."""
    (tmp_path / "responses.csv").write_text(OLD_RESPONSES_HEADER + "\nold-1,vb-single,A,true,1,1\n")
    book = Attempts(Store(tmp_path))
    assert book.certainties("old-1") == {}
    draw = book.start("ada", bank).draw
    book.submit(draw, CBM, bank.questions, RIGHT, {"vb-single": 2})
    responses = Store(tmp_path).read(RESPONSES)
    assert not responses.problems and len(responses.frame) == 8


# --- calibration (My progress) --------------------------------------------------------------------


def calibration_rows() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """ada's CBM attempt a1: q1 right at 3, q2 wrong at 3, q3 right at 1, q4 unanswered, q5 a
    damaged cell; her attempt a0 from before CBM has no certainty rows; bob's b1 is not hers."""
    attempts = pd.DataFrame(
        {
            "attempt_id": ["a0", "a1", "b1"],
            "learner": ["ada", "ada", "bob"],
            "quiz": ["final-exam"] * 3,
            "submitted": ["2026-03-01T09:00:00+00:00", "2026-03-02T09:00:00+00:00", "2026-03-02T10:00:00+00:00"],
            "passed": ["false"] * 3,
            "percentage": [50.0, 40.0, 0.0],
        }
    )
    responses = pd.DataFrame(
        {
            "attempt_id": ["a0", "a1", "a1", "a1", "a1", "a1", "b1"],
            "question_id": ["q1", "q1", "q2", "q3", "q4", "q5", "q1"],
            "correct": ["true", "true", "false", "true", "false", "true", "false"],
            "points": [1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0],
            "max_points": [1.0] * 7,
        }
    )
    certainty = pd.DataFrame(
        {
            "attempt_id": ["a1", "a1", "a1", "a1", "a1", "b1"],
            "question_id": ["q1", "q2", "q3", "q4", "q5", "q1"],
            "certainty": ["3", "3", "1", "", "x", "3"],
        }
    )
    return attempts, responses, certainty


def test_calibration_from_known_rows() -> None:
    attempts, responses, certainty = calibration_rows()
    answers = certainty_answers(certainty, select_progress(attempts, responses, "ada"))
    assert answers[["question_id", "certainty", "correct"]].values.tolist() == [
        ["q1", 3, True],
        ["q2", 3, False],
        ["q3", 1, True],
    ]
    table = calibration(answers)
    assert table["answers"].tolist() == [1, 0, 1 + 1] and table["right"].tolist() == [1, 0, 1]
    assert table["share"].tolist()[0] == 1.0 and math.isnan(table["share"][1]) and table["share"][2] == 0.5
    assert table["verdict"].tolist() == ["under-confident", "no answers", "over-confident"]


def test_an_old_learner_has_no_calibration_rows() -> None:
    attempts, responses, certainty = calibration_rows()
    before = certainty_answers(certainty.iloc[0:0], select_progress(attempts, responses, "ada"))
    assert before.empty
    table = calibration(before)
    assert table["answers"].tolist() == [0, 0, 0]
    assert calibration_alt(table) == "You have not answered a question with a certainty yet."


def test_the_calibration_chart_and_its_text() -> None:
    attempts, responses, certainty = calibration_rows()
    table = calibration(certainty_answers(certainty, select_progress(attempts, responses, "ada")))
    fig = calibration_figure(table)
    bands = [(shape.y0, shape.y1) for shape in fig.layout.shapes]
    assert bands == [(0, pytest.approx(200 / 3)), (pytest.approx(200 / 3), 80), (80, 100)]
    assert {shape.fillcolor for shape in fig.layout.shapes} == {GREEN}
    (bar,) = [trace for trace in fig.data if trace.type == "bar"]
    assert list(bar.y) == [100, 0, 50] and bar.marker.color == BLUE
    assert bar.text[1] == "no answers" and bar.text[2] == "50% · 1 of 2<br>over-confident"
    assert list(fig.layout.xaxis.ticktext) == ["1 (low)", "2 (mid)", "3 (high)"]
    assert calibration_alt(table).splitlines() == [
        "How often you were right at each certainty:",
        "- Certainty 1 (low): 1 of 1 right (100%); it earns the most when you are right below 67% of the time: "
        "under-confident.",
        "- Certainty 2 (mid): no answers yet (best when you are right 67 to 80% of the time).",
        "- Certainty 3 (high): 1 of 2 right (50%); it earns the most when you are right above 80% of the time: "
        "over-confident.",
    ]


# --- confident and wrong (tutors' results) --------------------------------------------------------


def test_confident_wrong_answers_to_must_pass_questions_are_listed_per_learner(
    tmp_path: Path, bank: Quiz, catalog: QuizCatalog
) -> None:
    """vb-true-false is must-pass. Flagged: ada (wrong at 3). Not flagged: ada's wrong single at 3
    (not must-pass), bob (wrong at 2), cy (right at 3), dee (wrong, stored without certainties)."""
    book = Attempts(Store(tmp_path))
    takes = {
        "ada": ({**RIGHT, "vb-true-false": False, "vb-single": "B"}, {"vb-true-false": 3, "vb-single": 3}, CBM),
        "bob": ({**RIGHT, "vb-true-false": False}, {"vb-true-false": 2}, CBM),
        "cy": (RIGHT, {"vb-true-false": 3}, CBM),
        "dee": ({**RIGHT, "vb-true-false": False}, {}, bank.settings),
    }
    for learner, (answers, certainties, settings) in takes.items():
        draw = book.start(learner, bank).draw
        book.submit(draw, settings, bank.questions, answers, certainties)
    results = load_results(Store(tmp_path))
    index = question_index(catalog)
    table = confident_wrong(select(results, Filters()), index, {"ada": "Ada Lovelace"})
    assert table.to_dict("records") == [
        {
            "learner": "ada",
            "name": "Ada Lovelace",
            "quiz": "valid-bank",
            "question": "This is true.",
            "question_id": "vb-true-false",
            "where": f"valid/valid-bank.yaml:{catalog.bank('valid-bank').lines['vb-true-false']}",
            "submitted": table["submitted"][0],
        }
    ]
    assert confident_wrong(select(results, Filters(learners=("bob", "cy"))), index, {}).empty
    assert confident_wrong(select(load_results(Store(tmp_path / "empty")), Filters()), index, {}).empty
