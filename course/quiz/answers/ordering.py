"""Put items in order: the share of positions holding the right item.

The bank lists the items in the right order, so they are always shown shuffled (never in
that order). Stored as a JSON list, one entry per position (``null`` for one left empty).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from course.quiz.answers.base import Finding, LayerLookup, Share, duplicates, shuffled
from course.quiz.models import Answer, OrderingQuestion, QuestionBase


@dataclass(frozen=True)
class OrderingAnswers:
    """The answers to one ordering question.

    >>> q = OrderingQuestion(id="q", type="ordering", prompt="?", objective="o", explanation=".",
    ...                      items=["a", "b", "c", "d"])
    >>> OrderingAnswers(q).share(("a", "b", "d", "c")), OrderingAnswers(q).describe(("a", None))
    ((0.5, ()), 'a → (empty)')
    """

    model: ClassVar[type[QuestionBase]] = OrderingQuestion
    type: ClassVar[str] = "ordering"
    carries_certainty: ClassVar[bool] = False  # partial credit: no certainty can go with it
    question: OrderingQuestion

    @staticmethod
    def prepare(item: dict[str, Any]) -> str | None:
        return None

    def accepts(self, answer: Answer) -> bool:
        items = self.question.items
        return isinstance(answer, tuple) and len(answer) == len(items) and all(a is None or a in items for a in answer)

    def share(self, answer: Answer) -> Share:
        given = answer if isinstance(answer, tuple) else ()
        items = self.question.items
        right = sum(1 for i, item in enumerate(items) if i < len(given) and given[i] == item)
        return right / len(items), ()

    def right_answer(self) -> Answer:
        return tuple(self.question.items)

    def encode(self, answer: Answer) -> str:
        given = answer if isinstance(answer, tuple) else ()
        return json.dumps(list(given), ensure_ascii=False)

    def decode(self, text: str) -> Answer:
        return tuple(json.loads(text))

    def describe(self, answer: Answer) -> str:
        given = answer if isinstance(answer, tuple) else ()
        return " → ".join(a or "(empty)" for a in given)

    def describe_right(self) -> str:
        return " → ".join(self.question.items)

    def choices(self, seed: int, shuffle_options: bool) -> tuple[str, ...]:
        return shuffled(self.question.items, seed, self.question.id, avoid_identity=True)

    def problems(self, layers: LayerLookup) -> Iterator[Finding]:
        yield from duplicates(self.question.items, ("items",), "item")
