"""What every question type's answer handler provides, and the helpers several of them share.

A handler is bound to one question (``SingleAnswers(question)``) and answers every question
the rest of the code asks about a learner's answer to it: is this value one the widgets could
produce, what share of the points does it earn, how is it stored in a CSV cell and read back,
how is it said in the review, in what order are the choices shown, and what is wrong with the
question as a bank states it. :class:`QuestionAnswers` is that contract; the registry in
:mod:`course.quiz.answers` picks the handler of a question.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, Protocol

from course.errors import MesoError
from course.quiz.models import Answer, Option, QuestionBase

# a float tolerance of 0.1 must accept 0.86 +/- 0.1 although 0.96 - 0.86 > 0.1 in binary
EPSILON = 1e-9

Feedback = tuple[str, ...]
Share = tuple[float, Feedback]  # the fraction of the points (clamped to [0, 1] by the caller) and feedback
Key = tuple[str | int, ...]  # a path inside one question of a bank file, e.g. ("options",)
Finding = tuple[Key, str]  # a bank-time problem of one question: where, and what is wrong
LayerLookup = Callable[[str], Sequence[str] | None]  # the layer ids of a skin region (None: unknown region)


class AnswerError(MesoError, ValueError):
    """An answer that cannot be scored (not a number, not one of the options...).

    The message is written for the learner.
    """


def is_blank(answer: Answer) -> bool:
    """True when the learner gave nothing at all for this question.

    It depends only on the answer's shape (nothing ticked, every position or pair left
    empty), the same for every type, so it needs no question.

    >>> is_blank(None), is_blank(frozenset()), is_blank(("one", None)), is_blank(False)
    (True, True, False, False)
    """
    if answer is None:
        return True
    if isinstance(answer, tuple):
        return all(a is None for a in answer)
    if isinstance(answer, Mapping):
        return all(v is None for v in answer.values())
    if isinstance(answer, frozenset):
        return not answer
    return False


class QuestionAnswers(Protocol):
    """One question type's answers, bound to one question of that type.

    ``model`` and ``type`` name the type the handler serves (the registry checks that every
    member of :data:`course.quiz.models.Question` has exactly one handler); ``carries_certainty``
    says whether its answers are all or nothing, the condition for confidence-based marking
    (:mod:`course.quiz.cbm`): a certainty cannot go with a partly right answer. ``prepare`` works
    on the raw bank mapping, before pydantic has built the question, so it is a static method.
    """

    model: ClassVar[type[QuestionBase]]
    type: ClassVar[str]
    carries_certainty: ClassVar[bool]

    @staticmethod
    def prepare(item: dict[str, Any]) -> str | None:
        """Rewrite a raw bank question in place before validation; a message when it cannot be."""
        ...

    def accepts(self, answer: Answer) -> bool:
        """True for a value some widget of this question could produce (``answer`` is not None)."""
        ...

    def share(self, answer: Answer) -> Share:
        """The fraction of the points ``answer`` earns (``None``: not answered) and its feedback."""
        ...

    def right_answer(self) -> Answer:
        """The answer that earns full marks, as a widget would give it."""
        ...

    def encode(self, answer: Answer) -> str:
        """A non-blank answer as the text of its ``responses.csv`` cell."""
        ...

    def decode(self, text: str) -> Answer:
        """The answer a non-empty cell holds; may raise ValueError or TypeError on a damaged one."""
        ...

    def describe(self, answer: Answer) -> str:
        """A non-blank answer in words, for the review."""
        ...

    def describe_right(self) -> str:
        """The right answer in words, for the review (after submission only)."""
        ...

    def choices(self, seed: int, shuffle_options: bool) -> tuple[str, ...]:
        """The choices this attempt shows (options, items to order, right-hand sides), or ()."""
        ...

    def problems(self, layers: LayerLookup) -> Iterator[Finding]:
        """What is wrong with the question that its schema cannot see (bank-time checks)."""
        ...


def shuffled(texts: Sequence[str], seed: int, salt: str, avoid_identity: bool = False) -> tuple[str, ...]:
    """``texts`` in an order fixed by ``seed`` and ``salt`` (so a resumed attempt shows the same).

    ``avoid_identity`` rotates an order that came out unchanged, for lists the bank gives in
    the right order (items to order), which must never be the order shown.

    >>> shuffled(["a", "b"], seed=0, salt="q", avoid_identity=True) != ("a", "b")
    True
    """
    order = list(texts)
    random.Random(f"{seed}:{salt}").shuffle(order)
    if avoid_identity and len(order) > 1 and order == list(texts):
        order = order[1:] + order[:1]
    return tuple(order)


def duplicates(texts: Sequence[str], key: Key, what: str) -> Iterator[Finding]:
    """One finding per text that appears again after its first use.

    >>> list(duplicates(["a", "b", "a"], ("items",), "item"))
    [(('items',), "item 'a' appears twice")]
    """
    seen: set[str] = set()
    for text in texts:
        if text in seen:
            yield key, f"{what} '{text}' appears twice"
        seen.add(text)


# --- what single- and multiple-choice questions share --------------------------------------------


def fold_answer_into_options(item: dict[str, Any]) -> str | None:
    """Accept ``answer:`` (an option's text, or a list of them) as well as ``correct: true``.

    Both ways of marking the right option mean the same; an answer that is not one of the
    options is a message (the caller puts it on the line of the ``answer`` key).

    >>> item = {"answer": "B", "options": [{"text": "A"}, {"text": "B"}]}
    >>> fold_answer_into_options(item), item["options"]
    (None, [{'text': 'A'}, {'text': 'B', 'correct': True}])
    """
    if "answer" not in item:
        return None
    answer = item.pop("answer")
    wanted = [str(a) for a in answer] if isinstance(answer, list) else [str(answer)]
    options = item.get("options")
    if not isinstance(options, list):
        return None  # pydantic reports the missing options
    texts = [str(o.get("text", "")).strip() for o in options if isinstance(o, dict)]
    for text in wanted:
        if text.strip() not in texts:
            return f"answer '{text}' is not among the options ({'; '.join(texts)})"
    item["options"] = [  # an option that is not a mapping is left for pydantic to report
        {**o, "correct": True} if isinstance(o, dict) and str(o.get("text", "")).strip() in wanted else o
        for o in options
    ]
    return None


def option_choices(options: Sequence[Option], question_id: str, seed: int, shuffle_options: bool) -> tuple[str, ...]:
    """The option texts in this attempt's order (the bank's order when it does not shuffle)."""
    texts = tuple(o.text for o in options)
    return shuffled(texts, seed, question_id) if shuffle_options else texts
