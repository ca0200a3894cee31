"""Score answers: one question, or a whole attempt. Pure functions, no I/O.

The rules, as the README states them for learners:

* single, true/false, numeric (within the tolerance) and diagram: all or nothing;
* multiple: each right option ticked earns ``points / number of right options``, each
  wrong option ticked costs the same share, and the total never goes below 0;
* ordering: the share of items in the right position; matching: the share of pairs right.

Each rule is coded with its question type in :mod:`course.quiz.answers` (the share of the
points an answer earns); this module clamps that share, turns it into points and adds up
an attempt.

An attempt passes when its percentage reaches the pass mark *and* no must-pass (critical)
question was missed; the result lists every reason it did not pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from course.quiz.answers import (
    EPSILON,
    MAX_NUMBER_CHARS,
    AnswerError,
    check_answer,
    describe_answer,
    describe_right_answer,
    is_blank,
    parse_number,
    share,
)
from course.quiz.models import Answer, Question

# checking, parsing and describing an answer live with its question type in
# course.quiz.answers; those names stay importable from here for existing callers
__all__ = [
    "MAX_NUMBER_CHARS",
    "AnswerError",
    "Mark",
    "Outcome",
    "check_answer",
    "describe_answer",
    "describe_right_answer",
    "is_blank",
    "parse_number",
    "score_attempt",
    "score_question",
]


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
        return self.points >= self.max_points - EPSILON


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


def score_question(question: Question, answer: Answer) -> Mark:
    """Score one answer (``None`` = not answered: 0 points) and pick the feedback to show."""
    full = question.points
    earned, feedback = share(question, answer)
    earned = min(1.0, max(0.0, earned))
    return Mark(question.id, round(full * earned, 6), full, feedback)


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
    if percentage + EPSILON < pass_mark:
        reasons.append(f"Your score, {percentage:.0f}%, is below the pass mark of {pass_mark:g}%.")
    if critical_missed:
        count = len(critical_missed)
        reasons.append(
            f"You missed {count} must-pass safety question{'s' if count > 1 else ''}: "
            "an attempt that gets a must-pass question wrong does not pass, whatever its score."
        )
    return Outcome(marks, score, max_score, percentage, not reasons, critical_missed, tuple(reasons))
