"""Score answers: one question, or a whole attempt. Pure functions, no I/O.

The rules, as the README states them for learners:

* single, true/false, numeric (within the tolerance) and diagram: all or nothing;
* multiple: each right option ticked earns ``points / number of right options``, each
  wrong option ticked costs the same share, and the total never goes below 0;
* ordering: the share of items in the right position; matching: the share of pairs right.

An attempt passes when its percentage reaches the pass mark *and* no must-pass (critical)
question was missed; the result lists every reason it did not pass.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from course.errors import MesoError
from course.quiz.models import (
    Answer,
    DiagramQuestion,
    MatchingQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderingQuestion,
    Question,
    SingleQuestion,
    TrueFalseQuestion,
)

# a float tolerance of 0.1 must accept 0.86 +/- 0.1 although 0.96 - 0.86 > 0.1 in binary
_EPSILON = 1e-9
MAX_NUMBER_CHARS = 40


class AnswerError(MesoError, ValueError):
    """An answer that cannot be scored (not a number, not one of the options...).

    The message is written for the learner.
    """


@dataclass(frozen=True)
class Mark:
    """One question's result: points earned, the maximum, and the feedback to show."""

    question_id: str
    points: float
    max_points: float
    feedback: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        """Full marks (partial credit is not "correct")."""
        return self.points >= self.max_points - _EPSILON


@dataclass(frozen=True)
class Outcome:
    """A whole attempt's result."""

    marks: tuple[Mark, ...]
    score: float
    max_score: float
    percentage: float
    passed: bool
    critical_missed: tuple[str, ...]  # ids of must-pass questions not fully right
    reasons: tuple[str, ...]  # why it did not pass (empty when it passed)


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


def check_answer(question: Question, answer: Answer) -> Answer:
    """Refuse an answer that no widget of this question could produce; return it unchanged.

    The browser only ever sends widget values, but they are checked here so a forged or
    stale value is a clear message rather than a wrong score.
    """
    if answer is None:
        return None
    match question:
        case SingleQuestion():
            valid = isinstance(answer, str) and answer in {o.text for o in question.options}
        case MultipleQuestion():
            valid = isinstance(answer, frozenset) and answer <= {o.text for o in question.options}
        case TrueFalseQuestion():
            valid = isinstance(answer, bool)
        case NumericQuestion():
            valid = isinstance(answer, int | float) and not isinstance(answer, bool) and math.isfinite(answer)
        case OrderingQuestion():
            valid = (
                isinstance(answer, tuple)
                and len(answer) == len(question.items)
                and all(a is None or a in question.items for a in answer)
            )
        case MatchingQuestion():
            choices = {p.right for p in question.pairs} | set(question.distractors)
            valid = (
                isinstance(answer, Mapping)
                and set(answer) <= set(question.key)
                and all(v is None or v in choices for v in answer.values())
            )
        case DiagramQuestion():
            valid = isinstance(answer, str) and len(answer) <= 60
    if not valid:
        raise AnswerError("One answer does not match its question (was the page out of date?): please reload the quiz.")
    return answer


def is_blank(answer: Answer) -> bool:
    """True when the learner gave nothing at all for this question."""
    if answer is None:
        return True
    if isinstance(answer, tuple):
        return all(a is None for a in answer)
    if isinstance(answer, Mapping):
        return all(v is None for v in answer.values())
    if isinstance(answer, frozenset):
        return not answer
    return False


def score_question(question: Question, answer: Answer) -> Mark:
    """Score one answer (``None`` = not answered: 0 points) and pick the feedback to show."""
    full = question.points
    share, feedback = _share(question, answer)
    share = min(1.0, max(0.0, share))
    return Mark(question.id, round(full * share, 6), full, feedback)


def _share(question: Question, answer: Answer) -> tuple[float, tuple[str, ...]]:
    """The fraction of the points earned, in [0, 1] after clamping, and the feedback."""
    match question:
        case SingleQuestion():
            chosen = [o for o in question.options if o.text == answer]
            return (1.0 if chosen and chosen[0].correct else 0.0), tuple(o.feedback for o in chosen if o.feedback)
        case MultipleQuestion():
            ticked = answer if isinstance(answer, frozenset) else frozenset()
            right = question.right
            hits = len(ticked & right)
            misses = len(ticked - right)
            notes = tuple(o.feedback for o in question.options if o.feedback and o.text in ticked)
            return (hits - misses) / len(right), notes
        case TrueFalseQuestion():
            if not isinstance(answer, bool):
                return 0.0, ()
            note = (question.feedback or {}).get(answer)
            return (1.0 if answer == question.answer else 0.0), ((note,) if note else ())
        case NumericQuestion():
            if answer is None or isinstance(answer, bool) or not isinstance(answer, int | float):
                return 0.0, ()
            return (1.0 if abs(answer - question.answer) <= question.tolerance + _EPSILON else 0.0), ()
        case OrderingQuestion():
            given = answer if isinstance(answer, tuple) else ()
            right = sum(1 for i, item in enumerate(question.items) if i < len(given) and given[i] == item)
            return right / len(question.items), ()
        case MatchingQuestion():
            given = answer if isinstance(answer, Mapping) else {}
            right = sum(1 for left, right_side in question.key.items() if given.get(left) == right_side)
            return right / len(question.pairs), ()
        case DiagramQuestion():
            return (1.0 if answer == question.answer else 0.0), ()
    raise TypeError(f"unknown question type {type(question).__name__}")  # pragma: no cover


def score_attempt(questions: Sequence[Question], answers: Mapping[str, Answer], pass_mark: float) -> Outcome:
    """Score every drawn question (a missing answer scores 0) and decide pass or fail.

    >>> from course.quiz.models import TrueFalseQuestion
    >>> q = TrueFalseQuestion(id="q", type="true_false", prompt="?", objective="o", explanation=".", answer=True)
    >>> score_attempt([q], {"q": True}, pass_mark=70).passed
    True
    """
    marks = tuple(score_question(q, answers.get(q.id)) for q in questions)
    score = round(sum(m.points for m in marks), 6)
    max_score = round(sum(m.max_points for m in marks), 6)
    percentage = 100.0 * score / max_score if max_score else 0.0
    critical_missed = tuple(q.id for q, m in zip(questions, marks, strict=True) if q.critical and not m.correct)
    reasons = []
    if percentage + _EPSILON < pass_mark:
        reasons.append(f"Your score, {percentage:.0f}%, is below the pass mark of {pass_mark:g}%.")
    if critical_missed:
        count = len(critical_missed)
        reasons.append(
            f"You missed {count} must-pass safety question{'s' if count > 1 else ''}: "
            "an attempt that gets a must-pass question wrong does not pass, whatever its score."
        )
    return Outcome(marks, score, max_score, percentage, not reasons, critical_missed, tuple(reasons))


# --- what to show in a review -------------------------------------------------------------


def describe_answer(question: Question, answer: Answer) -> str:
    """The learner's answer in words, for the review."""
    if is_blank(answer):
        return "(no answer)"
    match question:
        case MultipleQuestion():
            return "; ".join(o.text for o in question.options if o.text in answer)  # type: ignore[operator]
        case TrueFalseQuestion():
            return "True" if answer else "False"
        case NumericQuestion():
            return f"{answer:g}{_unit(question)}"
        case OrderingQuestion():
            return " → ".join(a or "(empty)" for a in answer)  # type: ignore[union-attr]
        case MatchingQuestion():
            given = answer if isinstance(answer, Mapping) else {}
            return "; ".join(f"{p.left} → {given.get(p.left) or '(none)'}" for p in question.pairs)
    return str(answer)


def describe_right_answer(question: Question) -> str:
    """The right answer in words (for the review, after submission only)."""
    match question:
        case SingleQuestion():
            return question.right
        case MultipleQuestion():
            return "; ".join(o.text for o in question.options if o.correct)
        case TrueFalseQuestion():
            return "True" if question.answer else "False"
        case NumericQuestion():
            return f"{question.answer:g}{_unit(question)} (accepted: ± {question.tolerance:g})"
        case OrderingQuestion():
            return " → ".join(question.items)
        case MatchingQuestion():
            return "; ".join(f"{p.left} → {p.right}" for p in question.pairs)
        case DiagramQuestion():
            return question.answer
    raise TypeError(f"unknown question type {type(question).__name__}")  # pragma: no cover


def _unit(question: NumericQuestion) -> str:
    return f" {question.unit}" if question.unit else ""
