"""Scoring: every question type, the pass rule with must-pass questions, and properties.

Properties (hypothesis): a score is always within [0, max]; full marks exactly when the
answer is right; partial credit never goes down when an answer gets more right.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course.quiz.answers import (
    AnswerError,
    check_answer,
    describe_answer,
    describe_right_answer,
    is_blank,
    parse_number,
)
from course.quiz.models import (
    Answer,
    DiagramQuestion,
    MatchingQuestion,
    MultipleQuestion,
    NumericQuestion,
    Option,
    OrderingQuestion,
    Pair,
    Question,
    SingleQuestion,
    TrueFalseQuestion,
)
from course.quiz.scoring import score_attempt, score_question

COMMON = {"prompt": "?", "objective": "o", "explanation": "because", "lesson": "l"}
LAYERS = ["epidermis", "papillary-dermis", "reticular-dermis", "hypodermis", "muscle"]

SINGLE = SingleQuestion(
    id="s",
    type="single",
    options=[Option(text="A", correct=True, feedback="Yes"), Option(text="B", feedback="No")],
    **COMMON,
)
MULTIPLE = MultipleQuestion(
    id="m",
    type="multiple",
    points=3,
    options=[Option(text=t, correct=t in "ACE") for t in "ABCDE"],
    **COMMON,
)
TRUE_FALSE = TrueFalseQuestion(
    id="t", type="true_false", answer=False, feedback={True: "wrong", False: "right"}, **COMMON
)
NUMERIC = NumericQuestion(id="n", type="numeric", answer=0.86, tolerance=0.1, unit="mm", **COMMON)
ORDERING = OrderingQuestion(id="o", type="ordering", items=["one", "two", "three", "four"], **COMMON)
MATCHING = MatchingQuestion(
    id="x",
    type="matching",
    points=2,
    pairs=[Pair(left="Papule", right="Junction"), Pair(left="Nappage", right="Superficial")],
    distractors=["Muscle"],
    **COMMON,
)
DIAGRAM = DiagramQuestion(id="d", type="diagram", region="forehead", answer="papillary-dermis", **COMMON)


# --- each type -----------------------------------------------------------------------------


def test_single_all_or_nothing_with_the_chosen_option_feedback() -> None:
    assert score_question(SINGLE, "A").points == 1 and score_question(SINGLE, "A").feedback == ("Yes",)
    wrong = score_question(SINGLE, "B")
    assert wrong.points == 0 and not wrong.correct and wrong.feedback == ("No",)
    assert score_question(SINGLE, None).points == 0


def test_multiple_partial_credit_rule() -> None:
    share = 3 / 3  # 3 points over 3 right options: each right tick is worth 1, each wrong tick costs 1
    assert score_question(MULTIPLE, frozenset("ACE")).points == 3
    assert score_question(MULTIPLE, frozenset("AC")).points == pytest.approx(2 * share)
    assert score_question(MULTIPLE, frozenset("ACB")).points == pytest.approx(1 * share)
    assert score_question(MULTIPLE, frozenset("ACEBD")).points == pytest.approx(1 * share)
    assert score_question(MULTIPLE, frozenset("BD")).points == 0  # floor at 0, not -2
    assert score_question(MULTIPLE, frozenset("ACEB")).correct is False


def test_true_false_and_its_feedback() -> None:
    assert score_question(TRUE_FALSE, False).points == 1
    assert score_question(TRUE_FALSE, False).feedback == ("right",)
    assert score_question(TRUE_FALSE, True).points == 0
    assert score_question(TRUE_FALSE, True).feedback == ("wrong",)


@pytest.mark.parametrize(("given", "points"), [(0.86, 1), (0.96, 1), (0.76, 1), (0.97, 0), (0.5, 0), (None, 0)])
def test_numeric_within_tolerance_including_its_edges(given: float | None, points: int) -> None:
    assert score_question(NUMERIC, given).points == points


def test_ordering_share_of_positions() -> None:
    assert score_question(ORDERING, ("one", "two", "three", "four")).points == 1
    assert score_question(ORDERING, ("one", "two", "four", "three")).points == pytest.approx(0.5)
    assert score_question(ORDERING, ("two", "one", "four", "three")).points == 0
    assert score_question(ORDERING, ("one", None, None, None)).points == pytest.approx(0.25)


def test_matching_share_of_pairs() -> None:
    assert score_question(MATCHING, {"Papule": "Junction", "Nappage": "Superficial"}).points == 2
    assert score_question(MATCHING, {"Papule": "Junction", "Nappage": "Muscle"}).points == 1
    assert score_question(MATCHING, {"Papule": None, "Nappage": None}).points == 0


def test_diagram_layer_all_or_nothing() -> None:
    assert score_question(DIAGRAM, "papillary-dermis").points == 1
    assert score_question(DIAGRAM, "reticular-dermis").points == 0


# --- answers the learner typed or the page sent ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"), [("0.86", 0.86), ("0,86", 0.86), (" 0.86 mm ", 0.86), ("", None), ("-1", -1)]
)
def test_parse_number_accepts_common_spellings(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["x" * 1_000_000, "abc", "nan", "inf", "1.2.3"])
def test_parse_number_refuses_with_a_message(text: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_number(text)
    message = str(caught.value)
    assert len(message) < 200 and ("number" in message.lower())


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (SINGLE, "C"),
        (MULTIPLE, frozenset({"Z"})),
        (TRUE_FALSE, "yes"),
        (NUMERIC, math.inf),
        (ORDERING, ("one", "two")),
        (ORDERING, ("one", "two", "three", "five")),
        (MATCHING, {"Unknown": "Junction"}),
        (MATCHING, {"Papule": "Bone"}),
        (DIAGRAM, "x" * 1_000_000),
    ],
)
def test_forged_answers_are_refused(question: Question, answer: Answer) -> None:
    with pytest.raises(AnswerError):
        check_answer(question, answer)


def test_blank_answers() -> None:
    assert is_blank(None) and is_blank(frozenset()) and is_blank((None, None)) and is_blank({"a": None})
    assert not is_blank(False) and not is_blank(0.0) and not is_blank(("one", None))


# --- a whole attempt ----------------------------------------------------------------------------


def test_attempt_passes_at_the_pass_mark() -> None:
    outcome = score_attempt([SINGLE, NUMERIC], {"s": "A", "n": 0.1}, pass_mark=50)
    assert (outcome.score, outcome.max_score, outcome.percentage, outcome.passed) == (1, 2, 50, True)
    assert outcome.reasons == ()


def test_attempt_below_the_pass_mark_says_why() -> None:
    outcome = score_attempt([SINGLE, NUMERIC], {"s": "A"}, pass_mark=70)
    assert not outcome.passed
    assert outcome.reasons == ("Your score, 50%, is below the pass mark of 70%.",)


def test_a_missed_critical_question_fails_whatever_the_score() -> None:
    critical = TRUE_FALSE.model_copy(update={"critical": True})
    outcome = score_attempt([SINGLE, MULTIPLE, critical], {"s": "A", "m": frozenset("ACE"), "t": True}, pass_mark=50)
    assert outcome.percentage == pytest.approx(80)
    assert not outcome.passed
    assert outcome.critical_missed == ("t",)
    assert "must-pass" in outcome.reasons[0]
    right = score_attempt([SINGLE, MULTIPLE, critical], {"s": "A", "m": frozenset("ACE"), "t": False}, pass_mark=50)
    assert right.passed and right.critical_missed == ()


def test_review_texts() -> None:
    assert describe_answer(MULTIPLE, frozenset("EA")) == "A; E"
    assert describe_answer(NUMERIC, 0.9) == "0.9 mm"
    assert describe_answer(ORDERING, ("one", None)) == "one → (empty)"
    assert describe_answer(MATCHING, {"Papule": "Muscle"}) == "Papule → Muscle; Nappage → (none)"
    assert describe_answer(SINGLE, None) == "(no answer)"
    assert describe_right_answer(NUMERIC) == "0.86 mm (accepted: ± 0.1)"
    assert describe_right_answer(TRUE_FALSE) == "False"
    assert describe_right_answer(ORDERING) == "one → two → three → four"


# --- properties ---------------------------------------------------------------------------------


@st.composite
def multiple_questions(draw: st.DrawFn) -> MultipleQuestion:
    texts = draw(st.lists(st.sampled_from("ABCDEFGH"), min_size=2, max_size=8, unique=True))
    right = draw(st.sets(st.sampled_from(texts), min_size=1))
    points = draw(st.sampled_from([0.5, 1, 2, 3, 10]))
    options = [Option(text=t, correct=t in right) for t in texts]
    return MultipleQuestion(id="m", type="multiple", options=options, points=points, **COMMON)


@given(multiple_questions(), st.data())
def test_multiple_score_bounded_full_exactly_when_right(question: MultipleQuestion, data: st.DataObject) -> None:
    ticked = frozenset(data.draw(st.sets(st.sampled_from([o.text for o in question.options]))))
    mark = score_question(question, ticked)
    assert 0 <= mark.points <= question.points
    assert mark.correct == (ticked == question.right)


@given(multiple_questions(), st.data())
def test_multiple_partial_credit_is_monotonic(question: MultipleQuestion, data: st.DataObject) -> None:
    texts = [o.text for o in question.options]
    ticked = frozenset(data.draw(st.sets(st.sampled_from(texts))))
    extra = data.draw(st.sampled_from(texts))
    before = score_question(question, ticked).points
    after = score_question(question, ticked | {extra}).points
    if extra in ticked:
        assert after == before
    elif extra in question.right:
        assert after >= before
    else:
        assert after <= before


@given(st.one_of(st.none(), st.sampled_from(["A", "B"])))
def test_single_bounded(answer: str | None) -> None:
    mark = score_question(SINGLE, answer)
    assert mark.points in (0, 1) and mark.correct == (answer == "A")


@given(st.one_of(st.none(), st.booleans()))
def test_true_false_bounded(answer: bool | None) -> None:
    mark = score_question(TRUE_FALSE, answer)
    assert mark.points in (0, 1) and mark.correct == (answer is False)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_numeric_bounded_and_right_exactly_within_tolerance(answer: float) -> None:
    mark = score_question(NUMERIC, answer)
    assert mark.points in (0, 1)
    distance = abs(answer - 0.86)
    if distance < 0.1 - 1e-6:
        assert mark.correct
    if distance > 0.1 + 1e-6:
        assert not mark.correct


ITEM_OR_NONE = st.one_of(st.none(), st.sampled_from(["one", "two", "three", "four"]))


@given(st.tuples(ITEM_OR_NONE, ITEM_OR_NONE, ITEM_OR_NONE, ITEM_OR_NONE), st.integers(0, 3))
def test_ordering_bounded_right_and_monotonic(answer: tuple[str | None, ...], position: int) -> None:
    mark = score_question(ORDERING, answer)
    assert 0 <= mark.points <= 1
    assert mark.correct == (answer == ("one", "two", "three", "four"))
    fixed = list(answer)
    fixed[position] = ORDERING.items[position]
    assert score_question(ORDERING, tuple(fixed)).points >= mark.points


RIGHT_OR_NONE = st.one_of(st.none(), st.sampled_from(["Junction", "Superficial", "Muscle"]))


@given(RIGHT_OR_NONE, RIGHT_OR_NONE, st.sampled_from(["Papule", "Nappage"]))
def test_matching_bounded_right_and_monotonic(papule: str | None, nappage: str | None, fix: str) -> None:
    answer = {"Papule": papule, "Nappage": nappage}
    mark = score_question(MATCHING, answer)
    assert 0 <= mark.points <= 2
    assert mark.correct == (papule == "Junction" and nappage == "Superficial")
    better = {**answer, fix: MATCHING.key[fix]}
    assert score_question(MATCHING, better).points >= mark.points


@given(st.one_of(st.none(), st.sampled_from(LAYERS)))
def test_diagram_bounded(answer: str | None) -> None:
    mark = score_question(DIAGRAM, answer)
    assert mark.points in (0, 1) and mark.correct == (answer == "papillary-dermis")


@given(st.lists(st.sampled_from(["s", "m", "t", "n", "o", "x", "d"]), unique=True), st.floats(0, 100))
def test_attempt_score_bounded(answered: list[str], pass_mark: float) -> None:
    questions = [SINGLE, MULTIPLE, TRUE_FALSE, NUMERIC, ORDERING, MATCHING, DIAGRAM]
    right = {
        "s": "A",
        "m": frozenset("ACE"),
        "t": False,
        "n": 0.86,
        "o": ("one", "two", "three", "four"),
        "x": MATCHING.key,
        "d": "papillary-dermis",
    }
    outcome = score_attempt(questions, {q: right[q] for q in answered}, pass_mark)
    assert 0 <= outcome.score <= outcome.max_score == 10
    assert outcome.passed == (outcome.percentage >= pass_mark - 1e-9)
    assert (outcome.score == outcome.max_score) == (len(answered) == 7)
