"""Multiple choice: tick every right option.

Each right option ticked earns ``points / number of right options``, each wrong option
ticked costs the same share, and the total never goes below 0 (the caller clamps the share
to [0, 1]). Stored as a JSON list of the ticked texts, in the bank's option order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from course.quiz.answers.base import (
    Finding,
    LayerLookup,
    Share,
    duplicates,
    fold_answer_into_options,
    option_choices,
)
from course.quiz.models import Answer, MultipleQuestion, QuestionBase


@dataclass(frozen=True)
class MultipleAnswers:
    """The answers to one multiple-choice question.

    >>> from course.quiz.models import Option
    >>> q = MultipleQuestion(id="q", type="multiple", prompt="?", objective="o", explanation=".",
    ...                      options=[Option(text=t, correct=t in "AB") for t in "ABC"])
    >>> MultipleAnswers(q).share(frozenset("AC"))  # one right tick, one wrong: 1/2 - 1/2
    (0.0, ())
    >>> MultipleAnswers(q).encode(frozenset("BA"))
    '["A", "B"]'
    """

    model: ClassVar[type[QuestionBase]] = MultipleQuestion
    type: ClassVar[str] = "multiple"
    carries_certainty: ClassVar[bool] = False  # partial credit: no certainty can go with it
    question: MultipleQuestion

    @staticmethod
    def prepare(item: dict[str, Any]) -> str | None:
        return fold_answer_into_options(item)

    def accepts(self, answer: Answer) -> bool:
        return isinstance(answer, frozenset) and answer <= {o.text for o in self.question.options}

    def share(self, answer: Answer) -> Share:
        ticked = answer if isinstance(answer, frozenset) else frozenset()
        right = self.question.right
        hits = len(ticked & right)
        misses = len(ticked - right)
        notes = tuple(o.feedback for o in self.question.options if o.feedback and o.text in ticked)
        return (hits - misses) / len(right), notes

    def right_answer(self) -> Answer:
        return self.question.right

    def _ticked(self, answer: Answer) -> list[str]:
        """The ticked texts in the bank's option order."""
        ticked = answer if isinstance(answer, frozenset) else frozenset()
        return [o.text for o in self.question.options if o.text in ticked]

    def encode(self, answer: Answer) -> str:
        return json.dumps(self._ticked(answer), ensure_ascii=False)

    def decode(self, text: str) -> Answer:
        return frozenset(json.loads(text))

    def describe(self, answer: Answer) -> str:
        return "; ".join(self._ticked(answer))

    def describe_right(self) -> str:
        return "; ".join(o.text for o in self.question.options if o.correct)

    def choices(self, seed: int, shuffle_options: bool) -> tuple[str, ...]:
        return option_choices(self.question.options, self.question.id, seed, shuffle_options)

    def problems(self, layers: LayerLookup) -> Iterator[Finding]:
        if not any(o.correct for o in self.question.options):
            yield ("options",), "missing answer: mark at least one option with 'correct: true'"
        yield from duplicates([o.text for o in self.question.options], ("options",), "option")
