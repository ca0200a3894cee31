"""What a question-bank export carries, shared by the GIFT and Moodle XML writers.

One rule per idea, used by both formats:

* **Multiple choice keeps the course's partial credit.** Each right option is worth
  ``+100 / number of right options`` per cent and each wrong one ``-100 / number of right
  options``; Moodle adds the weights of the ticked options and keeps the total between 0 and
  100 %, which is the course's rule (:mod:`course.quiz.answers.multiple`). Moodle accepts only
  the weights of its grade list, so a question with more than ten right options (1/11 is not
  on the list) is skipped with that reason.
* **Diagram questions go out as their keyboard alternative**: a single choice among the layers
  the diagram shows (the list below the figure in the course), scored the same.
* **Feedback, explanation and sources**: option feedback stays with its option; the
  explanation becomes the general feedback, followed by the question's sources as the
  bibliography gives them (citation and link).
* A question a format cannot carry is left out, and the export lists it with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from course.content.bibliography import Reference
from course.errors import MesoError
from course.quiz.answers import layer_labels
from course.quiz.models import Bank, DiagramQuestion, MultipleQuestion, Option, Question, QuizCatalog

MOODLE_GRADES = (
    100.0,
    90.0,
    83.33333,
    80.0,
    75.0,
    70.0,
    66.66667,
    60.0,
    50.0,
    40.0,
    33.33333,
    30.0,
    25.0,
    20.0,
    16.66667,
    14.28571,
    12.5,
    11.11111,
    10.0,
    5.0,
)
"""The answer weights (per cent) Moodle's question import accepts, besides 0 and their negatives
(``question_bank::fraction_options_full``); anything else is refused on import."""

COURSE_CATEGORY = "Meso Academy"


class ExportError(MesoError):
    """An export that cannot be made (an unknown bank name); the message is for the tutor."""


@dataclass(frozen=True)
class Skipped:
    """A question (or a whole bank, ``question`` None) left out of an export, and why."""

    bank: str
    question: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.bank}/{self.question}" if self.question else self.bank
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Export:
    """One export's text, the ids of the questions it holds and what it left out."""

    text: str
    exported: tuple[str, ...]
    skipped: tuple[Skipped, ...]


def select_banks(catalog: QuizCatalog, names: Sequence[str] = ()) -> tuple[Bank, ...]:
    """The banks to export: those named (in the order given), or every bank that loaded.

    >>> select_banks(QuizCatalog(banks=()), ["nope"])
    Traceback (most recent call last):
    ...
    course.interop.questions.ExportError: no question bank named 'nope' (known: none)
    """
    if not names:
        return catalog.banks
    known = {bank.id: bank for bank in catalog.banks}
    unknown = [name for name in names if name not in known]
    if unknown:
        listing = ", ".join(sorted(known)) or "none"
        raise ExportError(f"no question bank named {', '.join(repr(n) for n in unknown)} (known: {listing})")
    return tuple(known[name] for name in dict.fromkeys(names))


def bank_note(bank: Bank) -> Skipped | None:
    """Why a bank adds no question to an export (the final exam draws from the others)."""
    if bank.exam is not None:
        return Skipped(bank.id, None, "the final exam has no questions of its own: it draws from the other banks")
    if not bank.questions:
        return Skipped(bank.id, None, "the bank has no questions")
    return None


def category_path(bank: Bank) -> str:
    """The Moodle question category of a bank: ``$course$/top/Meso Academy/<title>``.

    A ``/`` inside a title is doubled, which is how Moodle writes a slash that is not a level.
    """
    return f"$course$/top/{COURSE_CATEGORY}/{bank.title.replace('/', '//')}"


def format_weight(percent: float) -> str:
    """A weight as Moodle writes it: up to 5 decimals, no trailing zeros.

    >>> format_weight(100 / 3), format_weight(-50.0), format_weight(100.0)
    ('33.33333', '-50', '100')
    """
    text = f"{percent:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def multiple_weights(question: MultipleQuestion) -> list[float] | None:
    """Each option's weight in per cent (``+-100 / right options``), or None when Moodle has no
    such weight (more than ten right options).

    >>> q = MultipleQuestion(id="q", type="multiple", prompt="?", objective="o", explanation=".",
    ...     options=[Option(text=t, correct=t != "B") for t in "ABC"])
    >>> multiple_weights(q)
    [50.0, -50.0, 50.0]
    """
    rights = sum(1 for o in question.options if o.correct)
    share = 100.0 / rights
    if not any(abs(share - grade) < 1e-5 for grade in MOODLE_GRADES):
        return None
    return [share if o.correct else -share for o in question.options]


def multiple_skip_reason(question: MultipleQuestion) -> str:
    rights = sum(1 for o in question.options if o.correct)
    return (
        f"{rights} right options: each would be worth 1/{rights} of the points, "
        "a weight Moodle does not accept (at most ten right options)"
    )


def diagram_options(question: DiagramQuestion) -> list[Option] | None:
    """The keyboard alternative of a diagram question: one option per layer the diagram shows
    (the right one marked), or None for a region the skin model does not know."""
    labels = layer_labels(question.region)
    if question.answer not in labels:
        return None
    return [Option(text=label, correct=layer == question.answer) for layer, label in labels.items()]


def diagram_prompt(question: DiagramQuestion) -> str:
    """The prompt of a diagram question asked without its figure."""
    region = question.region.replace("-", " ")
    return (
        f"{question.prompt}\n\n(In the course this is asked on a cross-section of the {region} skin; "
        "choose the layer from the list.)"
    )


def general_feedback(question: Question, references: Mapping[str, Reference]) -> str:
    """The explanation, then ``Sources:`` and a list of the sources as the bibliography cites them
    (citation and link), markdown like the rest of the text."""
    sources = [_source_text(key, references) for key in question.sources]
    if not sources:
        return question.explanation
    listing = "\n".join(f"- {source}" for source in sources)
    return f"{question.explanation}\n\nSources:\n\n{listing}"


def _source_text(key: str, references: Mapping[str, Reference]) -> str:
    reference = references.get(key)
    if reference is None:
        return key
    return f"{reference.citation} {reference.link}" if reference.link else reference.citation


def tags(question: Question) -> list[str]:
    """The tags an exported question carries: the bank's tags, ``must-pass`` and its level."""
    found: Iterable[str] = (*question.tags, *(["must-pass"] if question.critical else []), question.level)
    return list(dict.fromkeys(found))
