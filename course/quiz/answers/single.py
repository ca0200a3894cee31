"""Single choice: one right option among several; all or nothing, with the chosen option's feedback.

Stored as the chosen option's text.
"""

from __future__ import annotations

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
from course.quiz.models import Answer, QuestionBase, SingleQuestion


@dataclass(frozen=True)
class SingleAnswers:
    """The answers to one single-choice question.

    >>> from course.quiz.models import Option
    >>> q = SingleQuestion(id="q", type="single", prompt="?", objective="o", explanation=".",
    ...                    options=[Option(text="A", correct=True), Option(text="B")])
    >>> SingleAnswers(q).share("A"), SingleAnswers(q).share("B")
    ((1.0, ()), (0.0, ()))
    """

    model: ClassVar[type[QuestionBase]] = SingleQuestion
    type: ClassVar[str] = "single"
    carries_certainty: ClassVar[bool] = True  # all or nothing: a certainty can go with it
    question: SingleQuestion

    @staticmethod
    def prepare(item: dict[str, Any]) -> str | None:
        return fold_answer_into_options(item)

    def accepts(self, answer: Answer) -> bool:
        return isinstance(answer, str) and answer in {o.text for o in self.question.options}

    def share(self, answer: Answer) -> Share:
        chosen = [o for o in self.question.options if o.text == answer]
        return (1.0 if chosen and chosen[0].correct else 0.0), tuple(o.feedback for o in chosen if o.feedback)

    def right_answer(self) -> Answer:
        return self.question.right

    def encode(self, answer: Answer) -> str:
        return str(answer)

    def decode(self, text: str) -> Answer:
        return text

    def describe(self, answer: Answer) -> str:
        return str(answer)

    def describe_right(self) -> str:
        return self.question.right

    def choices(self, seed: int, shuffle_options: bool) -> tuple[str, ...]:
        return option_choices(self.question.options, self.question.id, seed, shuffle_options)

    def problems(self, layers: LayerLookup) -> Iterator[Finding]:
        count = sum(o.correct for o in self.question.options)
        if count == 0:
            yield ("options",), "missing answer: mark one option with 'correct: true'"
        elif count > 1:
            yield ("options",), f"a single-choice question needs exactly one right option (found {count})"
        yield from duplicates([o.text for o in self.question.options], ("options",), "option")
