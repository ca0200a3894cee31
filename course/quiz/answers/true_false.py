"""True or false: all or nothing, with the feedback the bank gives for the value chosen.

Stored as ``true`` or ``false``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from course.quiz.answers.base import Finding, LayerLookup, Share
from course.quiz.models import Answer, QuestionBase, TrueFalseQuestion


@dataclass(frozen=True)
class TrueFalseAnswers:
    """The answers to one true-or-false question.

    >>> q = TrueFalseQuestion(id="q", type="true_false", prompt="?", objective="o", explanation=".",
    ...                       answer=False, feedback={True: "No", False: "Yes"})
    >>> TrueFalseAnswers(q).share(False), TrueFalseAnswers(q).encode(False)
    ((1.0, ('Yes',)), 'false')
    """

    model: ClassVar[type[QuestionBase]] = TrueFalseQuestion
    type: ClassVar[str] = "true_false"
    carries_certainty: ClassVar[bool] = True  # all or nothing: a certainty can go with it
    question: TrueFalseQuestion

    @staticmethod
    def prepare(item: dict[str, Any]) -> str | None:
        return None

    def accepts(self, answer: Answer) -> bool:
        return isinstance(answer, bool)

    def share(self, answer: Answer) -> Share:
        if not isinstance(answer, bool):
            return 0.0, ()
        note = (self.question.feedback or {}).get(answer)
        return (1.0 if answer == self.question.answer else 0.0), ((note,) if note else ())

    def right_answer(self) -> Answer:
        return self.question.answer

    def encode(self, answer: Answer) -> str:
        return "true" if answer else "false"

    def decode(self, text: str) -> Answer:
        return text == "true"

    def describe(self, answer: Answer) -> str:
        return "True" if answer else "False"

    def describe_right(self) -> str:
        return "True" if self.question.answer else "False"

    def choices(self, seed: int, shuffle_options: bool) -> tuple[str, ...]:
        return ()

    def problems(self, layers: LayerLookup) -> Iterator[Finding]:
        return iter(())
