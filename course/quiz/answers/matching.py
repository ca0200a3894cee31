"""Match each left-hand entry to a right-hand one: the share of pairs right.

The right-hand choices (every pair's right side and the distractors) are always shuffled;
the left-hand entries follow the bank's ``shuffle_options``. Stored as a JSON object
``{left: right}`` (``null`` for an entry left unmatched).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from course.quiz.answers.base import Finding, LayerLookup, Share, duplicates, shuffled
from course.quiz.models import Answer, MatchingQuestion, QuestionBase


def left_order(question: MatchingQuestion, seed: int, shuffle_options: bool) -> tuple[str, ...]:
    """The left-hand entries of a matching question in this attempt's order (seeded, so a resume
    shows the same order)."""
    lefts = tuple(p.left for p in question.pairs)
    return shuffled(lefts, seed, f"{question.id}:left") if shuffle_options else lefts


@dataclass(frozen=True)
class MatchingAnswers:
    """The answers to one matching question.

    >>> from course.quiz.models import Pair
    >>> q = MatchingQuestion(id="q", type="matching", prompt="?", objective="o", explanation=".",
    ...                      pairs=[Pair(left="a", right="1"), Pair(left="b", right="2")])
    >>> MatchingAnswers(q).share({"a": "1", "b": None}), MatchingAnswers(q).encode({"a": "1"})
    ((0.5, ()), '{"a": "1"}')
    """

    model: ClassVar[type[QuestionBase]] = MatchingQuestion
    type: ClassVar[str] = "matching"
    carries_certainty: ClassVar[bool] = False  # partial credit: no certainty can go with it
    question: MatchingQuestion

    @staticmethod
    def prepare(item: dict[str, Any]) -> str | None:
        return None

    def accepts(self, answer: Answer) -> bool:
        choices = {p.right for p in self.question.pairs} | set(self.question.distractors)
        return (
            isinstance(answer, Mapping)
            and set(answer) <= set(self.question.key)
            and all(v is None or v in choices for v in answer.values())
        )

    def share(self, answer: Answer) -> Share:
        given = answer if isinstance(answer, Mapping) else {}
        right = sum(1 for left, right_side in self.question.key.items() if given.get(left) == right_side)
        return right / len(self.question.pairs), ()

    def right_answer(self) -> Answer:
        return self.question.key

    def encode(self, answer: Answer) -> str:
        given = answer if isinstance(answer, Mapping) else {}
        return json.dumps(dict(given), ensure_ascii=False)

    def decode(self, text: str) -> Answer:
        return dict(json.loads(text))

    def describe(self, answer: Answer) -> str:
        given = answer if isinstance(answer, Mapping) else {}
        return "; ".join(f"{p.left} → {given.get(p.left) or '(none)'}" for p in self.question.pairs)

    def describe_right(self) -> str:
        return "; ".join(f"{p.left} → {p.right}" for p in self.question.pairs)

    def choices(self, seed: int, shuffle_options: bool) -> tuple[str, ...]:
        question = self.question
        rights = list(dict.fromkeys([p.right for p in question.pairs] + list(question.distractors)))
        return shuffled(rights, seed, question.id)

    def problems(self, layers: LayerLookup) -> Iterator[Finding]:
        yield from duplicates([p.left for p in self.question.pairs], ("pairs",), "left-hand entry")
        rights = {p.right for p in self.question.pairs}
        for text in self.question.distractors:
            if text in rights:
                yield ("distractors",), f"distractor '{text}' is also a right answer"
