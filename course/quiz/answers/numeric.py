"""A number: right within the bank's tolerance (edges included), all or nothing.

The learner types it (``0.86``, ``0,86`` or ``0.86 mm`` all read the same, see
:func:`parse_number`); it is stored as JSON (``0.86``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from course.quiz.answers.base import EPSILON, AnswerError, Finding, LayerLookup, Share
from course.quiz.models import Answer, NumericQuestion, QuestionBase

MAX_NUMBER_CHARS = 40


def parse_number(text: str) -> float | None:
    """Read a learner's number: ``0.86``, ``0,86`` or `` 0.86 mm``; empty text is no answer.

    >>> parse_number("0,86 mm")
    0.86
    """
    text = text.strip()
    if not text:
        return None
    if len(text) > MAX_NUMBER_CHARS:
        raise AnswerError("That answer is too long for a number: type just the number, for example 0.5.")
    cleaned = text.replace(",", ".").rstrip("abcdefghijklmnopqrstuvwxyzµμ% ").strip()
    try:
        value = float(cleaned)
    except ValueError:
        raise AnswerError(f"'{text[:20]}' is not a number: type digits, for example 0.5.") from None
    if not math.isfinite(value):
        raise AnswerError("Please type an ordinary number.")
    return value


def _is_number(answer: Answer) -> bool:
    """A real number (``True`` is an int to Python, not an answer to a numeric question)."""
    return isinstance(answer, int | float) and not isinstance(answer, bool)


@dataclass(frozen=True)
class NumericAnswers:
    """The answers to one numeric question.

    >>> q = NumericQuestion(id="q", type="numeric", prompt="?", objective="o", explanation=".",
    ...                     answer=0.86, tolerance=0.1, unit="mm")
    >>> NumericAnswers(q).share(0.96), NumericAnswers(q).describe_right()
    ((1.0, ()), '0.86 mm (accepted: ± 0.1)')
    """

    model: ClassVar[type[QuestionBase]] = NumericQuestion
    type: ClassVar[str] = "numeric"
    carries_certainty: ClassVar[bool] = True  # all or nothing: a certainty can go with it
    question: NumericQuestion

    @staticmethod
    def prepare(item: dict[str, Any]) -> str | None:
        return None

    def accepts(self, answer: Answer) -> bool:
        return isinstance(answer, int | float) and _is_number(answer) and math.isfinite(answer)

    def share(self, answer: Answer) -> Share:
        if not isinstance(answer, int | float) or not _is_number(answer):
            return 0.0, ()
        return (1.0 if abs(answer - self.question.answer) <= self.question.tolerance + EPSILON else 0.0), ()

    def right_answer(self) -> Answer:
        return self.question.answer

    def encode(self, answer: Answer) -> str:
        return json.dumps(answer)

    def decode(self, text: str) -> Answer:
        return float(text)

    def describe(self, answer: Answer) -> str:
        return f"{answer:g}{self._unit()}"

    def describe_right(self) -> str:
        return f"{self.question.answer:g}{self._unit()} (accepted: ± {self.question.tolerance:g})"

    def _unit(self) -> str:
        return f" {self.question.unit}" if self.question.unit else ""

    def choices(self, seed: int, shuffle_options: bool) -> tuple[str, ...]:
        return ()

    def problems(self, layers: LayerLookup) -> Iterator[Finding]:
        return iter(())
