"""A learner's answers, one home per question type.

Each type of :data:`course.quiz.models.Question` has one handler class, in a module of its
own beside this one (``single``, ``multiple``, ``true_false``, ``numeric``, ``ordering``,
``matching``, ``diagram``): it checks an answer, scores it, stores it as text and reads it
back, says it in words for the review, orders the choices an attempt shows, and checks the
question when its bank loads (the contract is :class:`~course.quiz.answers.base.QuestionAnswers`).
Scoring, attempts and bank loading call the functions below, never a type of their own.

Two ways reach a handler, and both fail loudly on a type without one:

* :func:`answers_for` picks the handler of a question with a ``match`` that ends in
  :func:`typing.assert_never`, so ``mypy --strict`` reports a member of the union that has no
  case, and an object of any other class raises at run time;
* :data:`HANDLERS` lists the handler classes, for the raw bank mapping (before a question
  exists) by its ``type:`` text; :func:`check_registry` runs on import and refuses a union
  member without exactly one handler, a handler for no member, or a type name that
  :data:`~course.quiz.models.QUESTION_TYPES` does not list.

Adding a type: its model in :mod:`course.quiz.models`, its handler module here, one line in
:data:`HANDLERS` and one case in :func:`answers_for` (mypy and the tests point at both).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, assert_never, get_args

from course.quiz.answers.base import (
    EPSILON,
    AnswerError,
    Finding,
    LayerLookup,
    QuestionAnswers,
    Share,
    is_blank,
)
from course.quiz.answers.diagram import DiagramAnswers, layer_labels
from course.quiz.answers.matching import MatchingAnswers, left_order
from course.quiz.answers.multiple import MultipleAnswers
from course.quiz.answers.numeric import MAX_NUMBER_CHARS, NumericAnswers, parse_number
from course.quiz.answers.ordering import OrderingAnswers
from course.quiz.answers.single import SingleAnswers
from course.quiz.answers.true_false import TrueFalseAnswers
from course.quiz.models import (
    QUESTION_TYPES,
    Answer,
    DiagramQuestion,
    MatchingQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderingQuestion,
    Question,
    QuestionBase,
    SingleQuestion,
    TrueFalseQuestion,
)

__all__ = [
    "EPSILON",
    "HANDLERS",
    "MAX_NUMBER_CHARS",
    "AnswerError",
    "Finding",
    "LayerLookup",
    "QuestionAnswers",
    "RegistryError",
    "Share",
    "answers_for",
    "can_carry_certainty",
    "carries_certainty",
    "check_answer",
    "check_registry",
    "choice_order",
    "decode_answer",
    "describe_answer",
    "describe_right_answer",
    "encode_answer",
    "handler_class",
    "is_blank",
    "layer_labels",
    "left_order",
    "parse_number",
    "prepare_raw",
    "question_findings",
    "question_models",
    "right_answer",
]

NO_ANSWER = "(no answer)"

HANDLERS: tuple[type[QuestionAnswers], ...] = (
    SingleAnswers,
    MultipleAnswers,
    TrueFalseAnswers,
    NumericAnswers,
    OrderingAnswers,
    MatchingAnswers,
    DiagramAnswers,
)


class RegistryError(TypeError):
    """The handlers and the question models disagree: a programming error, found on import."""


def answers_for(question: Question) -> QuestionAnswers:
    """The handler of ``question``'s type, bound to it.

    >>> from course.quiz.models import DiagramQuestion
    >>> q = DiagramQuestion(id="q", type="diagram", prompt="?", objective="o", explanation=".",
    ...                     region="forehead", answer="epidermis")
    >>> type(answers_for(q)).__name__
    'DiagramAnswers'
    """
    match question:
        case SingleQuestion():
            return SingleAnswers(question)
        case MultipleQuestion():
            return MultipleAnswers(question)
        case TrueFalseQuestion():
            return TrueFalseAnswers(question)
        case NumericQuestion():
            return NumericAnswers(question)
        case OrderingQuestion():
            return OrderingAnswers(question)
        case MatchingQuestion():
            return MatchingAnswers(question)
        case DiagramQuestion():
            return DiagramAnswers(question)
        case _:
            assert_never(question)


def question_models(union: object = Question) -> tuple[type[QuestionBase], ...]:
    """The classes of the ``Question`` union (it is ``Annotated[A | B | ..., Field(...)]``).

    >>> [m.__name__ for m in question_models()][:2]
    ['SingleQuestion', 'MultipleQuestion']
    """
    members = get_args(get_args(union)[0]) if get_args(union) else ()
    return tuple(m for m in members if isinstance(m, type) and issubclass(m, QuestionBase))


def _type_name(model: type[QuestionBase]) -> str | None:
    """The ``type`` literal of a question model (None if it has no single literal)."""
    field = model.model_fields.get("type")
    names = get_args(field.annotation) if field is not None else ()
    return str(names[0]) if len(names) == 1 else None


def check_registry(
    models: Sequence[type[QuestionBase]] | None = None,
    handlers: Sequence[type[QuestionAnswers]] = HANDLERS,
    type_names: Sequence[str] = QUESTION_TYPES,
) -> None:
    """Raise :class:`RegistryError` unless every question model has exactly one handler.

    Also refused: a handler whose ``type`` is not its model's literal, a handler for a class
    outside the union, and a union whose type names differ from ``QUESTION_TYPES`` (the list
    a bank's unknown type is told to choose from).

    >>> check_registry()  # the real registry is complete
    >>> check_registry(handlers=HANDLERS[:-1])
    Traceback (most recent call last):
    ...
    course.quiz.answers.RegistryError: no answer handler for DiagramQuestion (type 'diagram')
    """
    models = question_models() if models is None else tuple(models)
    for model in models:
        mine = [h for h in handlers if h.model is model]
        if len(mine) != 1:
            what = "no answer handler" if not mine else f"{len(mine)} answer handlers"
            raise RegistryError(f"{what} for {model.__name__} (type '{_type_name(model)}')")
        if mine[0].type != _type_name(model):
            raise RegistryError(
                f"{mine[0].__name__}.type is '{mine[0].type}' but {model.__name__} has type '{_type_name(model)}'"
            )
    strays = [h.__name__ for h in handlers if h.model not in models]
    if strays:
        raise RegistryError(f"answer handler(s) for no member of the Question union: {', '.join(strays)}")
    names = {_type_name(m) for m in models}
    if names != set(type_names):
        union = sorted(map(str, names))
        raise RegistryError(f"QUESTION_TYPES {sorted(type_names)} differs from the union's types {union}")


check_registry()
_BY_TYPE: Mapping[str, type[QuestionAnswers]] = {h.type: h for h in HANDLERS}


def handler_class(type_name: str) -> type[QuestionAnswers] | None:
    """The handler class of a ``type:`` text from a bank (None for a type there is not)."""
    return _BY_TYPE.get(type_name)


# --- what the rest of the code asks -------------------------------------------------------------


def prepare_raw(item: dict[str, Any]) -> str | None:
    """Let the question type rewrite a raw bank mapping before validation (in place).

    Single and multiple choice accept ``answer:`` as another way to mark the right options;
    the message says why it cannot be folded in (None: fine, or nothing to do).
    """
    handler = handler_class(str(item.get("type")))
    return None if handler is None else handler.prepare(item)


def question_findings(question: Question, layers: LayerLookup) -> list[Finding]:
    """What the question's type finds wrong with it in its bank (``layers``: a region's layer ids).

    ``cbm: true`` on a type with partial credit is refused here, for every type alike.
    """
    findings = list(answers_for(question).problems(layers))
    if question.cbm and not can_carry_certainty(question.type):
        capable = ", ".join(h.type for h in HANDLERS if h.carries_certainty)
        findings.append(
            (
                ("cbm",),
                f"cbm: true, but a '{question.type}' question gives partial credit and cannot carry a "
                f"certainty (only {capable} can); remove 'cbm: true' (in a quiz with cbm it is scored "
                "as usual, without a certainty)",
            )
        )
    return findings


def can_carry_certainty(question_type: str) -> bool:
    """Whether questions of this ``type:`` can be marked with a certainty (all-or-nothing types).

    >>> can_carry_certainty("single"), can_carry_certainty("multiple"), can_carry_certainty("nope")
    (True, False, False)
    """
    handler = handler_class(question_type)
    return handler is not None and handler.carries_certainty


def carries_certainty(question: Question) -> bool:
    """Whether ``question`` asks for a certainty in a quiz with confidence-based marking: its type
    can carry one and the bank did not opt it out with ``cbm: false``."""
    return question.cbm is not False and can_carry_certainty(question.type)


def check_answer(question: Question, answer: Answer) -> Answer:
    """Refuse an answer that no widget of this question could produce; return it unchanged.

    The browser only ever sends widget values, but they are checked here so a forged or
    stale value is a clear message rather than a wrong score.
    """
    if answer is None:
        return None
    if not answers_for(question).accepts(answer):
        raise AnswerError("One answer does not match its question (was the page out of date?): please reload the quiz.")
    return answer


def share(question: Question, answer: Answer) -> Share:
    """The fraction of the points earned (before clamping to [0, 1]) and the feedback to show."""
    return answers_for(question).share(answer)


def right_answer(question: Question) -> Answer:
    """The answer that earns full marks, as the widgets would give it."""
    return answers_for(question).right_answer()


def choice_order(question: Question, seed: int, shuffle_options: bool) -> tuple[str, ...]:
    """The choices as this attempt shows them (options, items to order, or right-hand sides).

    Items to order and matching answers are always shuffled: the bank lists them in the
    right order, which must not be the order shown. Other types have no choices: ().
    """
    return answers_for(question).choices(seed, shuffle_options)


def encode_answer(question: Question, answer: Answer) -> str:
    """The answer as the ``answer`` cell of ``responses.csv``.

    A chosen option, a layer id or a number is plain text; several options, an order or
    pairs are JSON (a list, or an object for matching); no answer is an empty cell.
    """
    if is_blank(answer):
        return ""
    return answers_for(question).encode(answer)


def decode_answer(question: Question, text: str) -> Answer:
    """The inverse of :func:`encode_answer` (a damaged cell reads as no answer)."""
    if not text:
        return None
    try:
        return answers_for(question).decode(text)
    except (ValueError, TypeError):
        return None


def describe_answer(question: Question, answer: Answer) -> str:
    """The learner's answer in words, for the review (a diagram's layer by its label)."""
    if is_blank(answer):
        return NO_ANSWER
    return answers_for(question).describe(answer)


def describe_right_answer(question: Question) -> str:
    """The right answer in words (for the review, after submission only)."""
    return answers_for(question).describe_right()
