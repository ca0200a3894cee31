"""One home per question type: the registry is complete, refuses what it does not know, and
every handler keeps the stored text, scores and review texts that attempts already rely on."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal, get_args

import pytest

from course.quiz.answers import (
    HANDLERS,
    QuestionAnswers,
    RegistryError,
    answers_for,
    check_answer,
    check_registry,
    choice_order,
    decode_answer,
    describe_answer,
    describe_right_answer,
    encode_answer,
    handler_class,
    prepare_raw,
    question_findings,
    question_models,
    right_answer,
)
from course.quiz.answers.single import SingleAnswers
from course.quiz.banks import parse_bank
from course.quiz.models import (
    QUESTION_TYPES,
    Answer,
    DiagramQuestion,
    MatchingQuestion,
    MultipleQuestion,
    NumericQuestion,
    Option,
    OrderingQuestion,
    Pair,
    Question,
    QuestionBase,
    SingleQuestion,
    TrueFalseQuestion,
)
from course.quiz.scoring import score_question
from tests.helpers.banks import fixture_context

COMMON: dict[str, Any] = {"prompt": "?", "objective": "o", "explanation": "because", "lesson": "l"}
LAYERS = ("epidermis", "papillary-dermis", "reticular-dermis", "hypodermis", "muscle")

# one question of every type, with a right answer and the exact text it is stored as
# (attempts stored before the handlers existed hold these texts: they must read back the same)
SAMPLES: list[tuple[Question, Answer, str]] = [
    (
        SingleQuestion(id="s", type="single", options=[Option(text="A", correct=True), Option(text="B")], **COMMON),
        "A",
        "A",
    ),
    (
        MultipleQuestion(
            id="m", type="multiple", points=3, options=[Option(text=t, correct=t in "ACE") for t in "ABCDE"], **COMMON
        ),
        frozenset("ECA"),
        '["A", "C", "E"]',
    ),
    (TrueFalseQuestion(id="t", type="true_false", answer=False, **COMMON), False, "false"),
    (NumericQuestion(id="n", type="numeric", answer=0.86, tolerance=0.1, unit="mm", **COMMON), 0.86, "0.86"),
    (
        OrderingQuestion(id="o", type="ordering", items=["one", "two", "thrée"], **COMMON),
        ("one", "two", "thrée"),
        '["one", "two", "thrée"]',
    ),
    (
        MatchingQuestion(
            id="x",
            type="matching",
            pairs=[Pair(left="Papule", right="Junction"), Pair(left="Nappage", right="Superficial")],
            distractors=["Muscle"],
            **COMMON,
        ),
        {"Papule": "Junction", "Nappage": "Superficial"},
        '{"Papule": "Junction", "Nappage": "Superficial"}',
    ),
    (
        DiagramQuestion(id="d", type="diagram", region="forehead", answer="papillary-dermis", **COMMON),
        "papillary-dermis",
        "papillary-dermis",
    ),
]
IDS = [q.type for q, _, _ in SAMPLES]


class EssayQuestion(QuestionBase):
    """An eighth type that the models could gain: no handler knows it."""

    type: Literal["essay"]


ESSAY = EssayQuestion(id="e", type="essay", **COMMON)


# --- the registry --------------------------------------------------------------------------------


def test_every_member_of_the_question_union_has_one_handler_that_the_dispatch_picks() -> None:
    models = question_models()
    assert {get_args(m.model_fields["type"].annotation)[0] for m in models} == set(QUESTION_TYPES)
    assert sorted(h.model.__name__ for h in HANDLERS) == sorted(m.__name__ for m in models)
    check_registry()
    for model in models:  # the match in answers_for agrees with HANDLERS, type by type
        question: Any = model.model_construct(type=handler_of(model).type)
        assert type(answers_for(question)).model is model


def handler_of(model: type[QuestionBase]) -> type[QuestionAnswers]:
    return next(h for h in HANDLERS if h.model is model)


def test_the_samples_cover_every_type() -> None:
    assert {type(q) for q, _, _ in SAMPLES} == set(question_models())


def test_the_registry_refuses_a_question_type_without_a_handler() -> None:
    with pytest.raises(RegistryError, match="no answer handler for EssayQuestion"):
        check_registry(models=(*question_models(), EssayQuestion), type_names=(*QUESTION_TYPES, "essay"))


def test_the_registry_refuses_a_missing_a_doubled_a_mislabelled_or_a_stray_handler() -> None:
    with pytest.raises(RegistryError, match="no answer handler for SingleQuestion"):
        check_registry(handlers=HANDLERS[1:])
    with pytest.raises(RegistryError, match="2 answer handlers for SingleQuestion"):
        check_registry(handlers=(*HANDLERS, SingleAnswers))

    class Mislabelled(SingleAnswers):
        type: ClassVar[str] = "one"

    with pytest.raises(RegistryError, match=r"Mislabelled\.type is 'one'"):
        check_registry(handlers=(Mislabelled, *HANDLERS[1:]))

    class EssayAnswers(SingleAnswers):
        model: ClassVar[type[QuestionBase]] = EssayQuestion
        type: ClassVar[str] = "essay"

    with pytest.raises(RegistryError, match="for no member of the Question union: EssayAnswers"):
        check_registry(handlers=(*HANDLERS, EssayAnswers))
    with pytest.raises(RegistryError, match="QUESTION_TYPES"):
        check_registry(type_names=QUESTION_TYPES[:-1])


@pytest.mark.parametrize(
    "call",
    [
        answers_for,
        lambda q: score_question(q, "x"),
        lambda q: check_answer(q, "x"),
        lambda q: encode_answer(q, "x"),
        lambda q: decode_answer(q, "x"),
        lambda q: describe_answer(q, "x"),
        describe_right_answer,
        lambda q: choice_order(q, 1, True),
        lambda q: question_findings(q, lambda region: LAYERS),
    ],
)
def test_a_question_of_an_unknown_type_fails_loudly_everywhere(call: Any) -> None:
    with pytest.raises(AssertionError, match="unreachable"):
        call(ESSAY)


def test_a_raw_question_is_prepared_by_its_type_and_an_unknown_type_is_left_alone() -> None:
    assert handler_class("single") is SingleAnswers and handler_class("essay") is None
    item: dict[str, Any] = {"type": "essay", "answer": "A"}
    assert prepare_raw(item) is None and item == {"type": "essay", "answer": "A"}
    numeric: dict[str, Any] = {"type": "numeric", "answer": 0.5}
    assert prepare_raw(numeric) is None and numeric == {"type": "numeric", "answer": 0.5}  # its own field


# --- every handler -------------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "right", "stored"), SAMPLES, ids=IDS)
def test_the_right_answer_earns_full_marks_is_accepted_and_is_stored_as_before(
    question: Question, right: Answer, stored: str
) -> None:
    assert right_answer(question) == right
    assert check_answer(question, right) == right
    assert score_question(question, right).correct
    assert score_question(question, None).points == 0
    assert encode_answer(question, right) == stored
    assert decode_answer(question, stored) == right
    assert score_question(question, decode_answer(question, stored)).correct


@pytest.mark.parametrize(("question", "right", "stored"), SAMPLES, ids=IDS)
def test_no_answer_is_an_empty_cell_and_a_damaged_cell_reads_as_no_answer_or_scores_nothing(
    question: Question, right: Answer, stored: str
) -> None:
    assert encode_answer(question, None) == "" and decode_answer(question, "") is None
    assert describe_answer(question, None) == "(no answer)"
    damaged = decode_answer(question, '["unclosed')
    if isinstance(question, TrueFalseQuestion):
        assert damaged is False  # as ever: any text but "true" reads as false
    else:
        assert damaged is None or score_question(question, damaged).points == 0


@pytest.mark.parametrize(
    ("question", "texts"),
    [
        (SAMPLES[0][0], ("A", "A")),
        (SAMPLES[1][0], ("A; C; E", "A; C; E")),
        (SAMPLES[2][0], ("False", "False")),
        (SAMPLES[3][0], ("0.86 mm", "0.86 mm (accepted: ± 0.1)")),
        (SAMPLES[4][0], ("one → two → thrée", "one → two → thrée")),
        (SAMPLES[5][0], ("Papule → Junction; Nappage → Superficial", "Papule → Junction; Nappage → Superficial")),
        (SAMPLES[6][0], ("Papillary dermis", "Papillary dermis")),
    ],
    ids=IDS,
)
def test_review_texts_of_the_right_answer(question: Question, texts: tuple[str, str]) -> None:
    assert (describe_answer(question, right_answer(question)), describe_right_answer(question)) == texts


def test_a_diagram_answer_outside_the_layers_is_described_by_its_id() -> None:
    question = SAMPLES[6][0]
    assert describe_answer(question, "bone") == "bone"
    lost = DiagramQuestion(id="d", type="diagram", region="elbow", answer="epidermis", **COMMON)
    assert describe_right_answer(lost) == "epidermis"  # unknown region: no labels, no crash


@pytest.mark.parametrize(("question", "right", "stored"), SAMPLES, ids=IDS)
def test_choices_are_seeded_and_only_choice_types_have_them(question: Question, right: Answer, stored: str) -> None:
    shown = choice_order(question, 7, shuffle_options=True)
    assert shown == choice_order(question, 7, shuffle_options=True)
    match question:
        case SingleQuestion() | MultipleQuestion():
            assert sorted(shown) == sorted(o.text for o in question.options)
            assert choice_order(question, 7, shuffle_options=False) == tuple(o.text for o in question.options)
        case OrderingQuestion():
            assert sorted(shown) == sorted(question.items) and list(shown) != question.items
        case MatchingQuestion():
            assert sorted(shown) == ["Junction", "Muscle", "Superficial"]
        case _:
            assert shown == ()


# --- bank-time checks ----------------------------------------------------------------------------


def findings(question: Question, layers: Sequence[str] | None = LAYERS) -> list[tuple[tuple[str | int, ...], str]]:
    return question_findings(question, lambda region: layers)


@pytest.mark.parametrize(("question", "right", "stored"), SAMPLES, ids=IDS)
def test_a_sound_question_has_no_findings(question: Question, right: Answer, stored: str) -> None:
    assert findings(question) == []


def test_each_type_finds_what_its_schema_cannot() -> None:
    two_right = SingleQuestion(
        id="s", type="single", options=[Option(text="A", correct=True), Option(text="A", correct=True)], **COMMON
    )
    assert findings(two_right) == [
        (("options",), "a single-choice question needs exactly one right option (found 2)"),
        (("options",), "option 'A' appears twice"),
    ]
    none_right = MultipleQuestion(id="m", type="multiple", options=[Option(text="A"), Option(text="B")], **COMMON)
    assert findings(none_right) == [(("options",), "missing answer: mark at least one option with 'correct: true'")]
    ordering = OrderingQuestion(id="o", type="ordering", items=["a", "a"], **COMMON)
    assert findings(ordering) == [(("items",), "item 'a' appears twice")]
    matching = MatchingQuestion(
        id="x",
        type="matching",
        pairs=[Pair(left="a", right="1"), Pair(left="a", right="2")],
        distractors=["1"],
        **COMMON,
    )
    assert findings(matching) == [
        (("pairs",), "left-hand entry 'a' appears twice"),
        (("distractors",), "distractor '1' is also a right answer"),
    ]
    diagram = DiagramQuestion(id="d", type="diagram", region="forehead", answer="bone", **COMMON)
    assert findings(diagram) == [(("answer",), f"answer 'bone' is not among the layers ({', '.join(LAYERS)})")]
    assert findings(diagram, layers=None) == [(("region",), "unknown skin region 'forehead'")]


def test_an_answer_key_on_a_choice_question_marks_its_options() -> None:
    item: dict[str, Any] = {"type": "multiple", "answer": ["B"], "options": [{"text": "A"}, {"text": " B "}]}
    assert prepare_raw(item) is None
    assert item == {"type": "multiple", "options": [{"text": "A"}, {"text": " B ", "correct": True}]}
    wrong: dict[str, Any] = {"type": "single", "answer": "C", "options": [{"text": "A"}, {"text": "B"}]}
    assert prepare_raw(wrong) == "answer 'C' is not among the options (A; B)"


def test_an_answer_key_beside_an_option_that_is_not_a_mapping_is_a_problem_not_a_crash() -> None:
    text = """\
id: keyed
title: Keyed
version: 1
lesson: quiz-lesson
questions:
  - id: k-one
    type: single
    prompt: Which?
    objective: recall
    explanation: Because.
    answer: A
    options:
      - text: A
      - B
"""
    bank, problems = parse_bank(text, Path("keyed.yaml"), fixture_context())
    assert bank is None
    assert [p.message for p in problems] == [
        "question 'k-one': options[1]: Input should be a valid dictionary or instance of Option"
    ]
