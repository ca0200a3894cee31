"""Pick a layer on a skin diagram: all or nothing.

The answer is a layer id of the skin model (stored as is); the review names the layer by
its label. The bank's region must exist and its answer must be a layer that region shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from course.quiz.answers.base import Finding, LayerLookup, Share
from course.quiz.models import Answer, DiagramQuestion, QuestionBase
from course.simulator.loading import layer_choices

MAX_LAYER_CHARS = 60


def layer_labels(region: str) -> dict[str, str]:
    """Layer id -> label of the layers a diagram of ``region`` shows ({} for an unknown region).

    >>> layer_labels("forehead")["epidermis"]
    'Epidermis'
    """
    try:
        return dict(layer_choices(region))
    except ValueError:  # SkinInputError: unknown region (the bank check reports it)
        return {}


@dataclass(frozen=True)
class DiagramAnswers:
    """The answers to one diagram question.

    >>> q = DiagramQuestion(id="q", type="diagram", prompt="?", objective="o", explanation=".",
    ...                     region="forehead", answer="epidermis")
    >>> DiagramAnswers(q).share("epidermis"), DiagramAnswers(q).describe_right()
    ((1.0, ()), 'Epidermis')
    """

    model: ClassVar[type[QuestionBase]] = DiagramQuestion
    type: ClassVar[str] = "diagram"
    carries_certainty: ClassVar[bool] = True  # all or nothing: a certainty can go with it
    question: DiagramQuestion

    @staticmethod
    def prepare(item: dict[str, Any]) -> str | None:
        return None

    def accepts(self, answer: Answer) -> bool:
        return isinstance(answer, str) and len(answer) <= MAX_LAYER_CHARS

    def share(self, answer: Answer) -> Share:
        return (1.0 if answer == self.question.answer else 0.0), ()

    def right_answer(self) -> Answer:
        return self.question.answer

    def encode(self, answer: Answer) -> str:
        return str(answer)

    def decode(self, text: str) -> Answer:
        return text

    def describe(self, answer: Answer) -> str:
        return layer_labels(self.question.region).get(str(answer), str(answer))

    def describe_right(self) -> str:
        return layer_labels(self.question.region).get(self.question.answer, self.question.answer)

    def choices(self, seed: int, shuffle_options: bool) -> tuple[str, ...]:
        return ()

    def problems(self, layers: LayerLookup) -> Iterator[Finding]:
        shown = layers(self.question.region)
        if shown is None:
            yield ("region",), f"unknown skin region '{self.question.region}'"
        elif self.question.answer not in shown:
            yield ("answer",), f"answer '{self.question.answer}' is not among the layers ({', '.join(shown)})"
