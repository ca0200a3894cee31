"""Score answers: one question, or a whole attempt. Pure functions, no I/O.

The rules, as the README states them for learners:

* single, true/false, numeric (within the tolerance) and diagram: all or nothing;
* multiple: each right option ticked earns ``points / number of right options``, each
  wrong option ticked costs the same share, and the total never goes below 0;
* ordering: the share of items in the right position; matching: the share of pairs right.

Each rule is coded with its question type in :mod:`course.quiz.answers` (the share of the
points an answer earns); this module clamps that share, turns it into points and adds up
an attempt.

With confidence-based marking (:mod:`course.quiz.cbm`) a question that carries a certainty
earns ``1, 2, 3 x points`` when right and ``0, -2, -6 x points`` when wrong, out of ``3 x
points``; the others score as above. A :class:`Mark` keeps both: ``points`` is what the answer
earns without its certainty (stored in ``responses.csv``, so facility, mastery and the review
of mistakes mean what they always meant) and ``score`` what counts in the attempt.

An attempt passes when its percentage reaches the pass mark *and* no must-pass (critical)
question was missed, whatever the certainty; the result lists every reason it did not pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from course.quiz.answers import (
    EPSILON,
    is_blank,
    share,
)
from course.quiz.cbm import DEFAULT_CERTAINTY, MAX_FACTOR, Certainty, cbm_mark
from course.quiz.models import Answer, Question


@dataclass(frozen=True)
class Mark:
    """One question's result: points earned, the maximum, and the feedback to show.

    ``cbm`` is true when the question was scored with its certainty; ``certainty`` is the one
    that counted (None when it was not scored with CBM, or was left unanswered).
    """

    question_id: str
    points: float
    max_points: float
    feedback: tuple[str, ...] = ()
    certainty: Certainty | None = None
    cbm: bool = False

    @property
    def correct(self) -> bool:
        """Full marks (partial credit is not "correct")."""
        return self.points >= self.max_points - EPSILON

    @property
    def score(self) -> float:
        """What this question adds to the attempt's score: the CBM mark, or the points."""
        if not self.cbm:
            return self.points
        if self.certainty is None:  # not answered: 0, whatever certainty was chosen
            return 0.0
        return round(cbm_mark(self.correct, self.certainty, self.max_points), 6)

    @property
    def max_score(self) -> float:
        """The most this question can add: ``3 x points`` with CBM, else its points."""
        return float(self.max_points * (MAX_FACTOR if self.cbm else 1))


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

    @property
    def cbm(self) -> bool:
        """Whether any question of the attempt was scored with its certainty."""
        return any(m.cbm for m in self.marks)

    @property
    def accuracy(self) -> float:
        """The percentage the answers would have earned without their certainties (0 to 100)."""
        possible = sum(m.max_points for m in self.marks)
        return 100.0 * sum(m.points for m in self.marks) / possible if possible else 0.0

    @property
    def cbm_average(self) -> float | None:
        """The mean CBM mark per point of the questions scored with CBM (-6 to 3), as Moodle
        reports it (per question, when every question is worth 1); None without CBM."""
        scored = [m for m in self.marks if m.cbm]
        possible = sum(m.max_points for m in scored)
        return sum(m.score for m in scored) / possible if possible else None


def score_question(
    question: Question, answer: Answer, *, cbm: bool = False, certainty: Certainty | None = None
) -> Mark:
    """Score one answer (``None`` = not answered: 0 points) and pick the feedback to show.

    With ``cbm``, an answered question without a ``certainty`` counts at certainty 1 (low);
    an unanswered one keeps no certainty and scores 0.
    """
    full = question.points
    earned, feedback = share(question, answer)
    earned = min(1.0, max(0.0, earned))
    applied = None
    if cbm and not is_blank(answer):
        applied = DEFAULT_CERTAINTY if certainty is None else certainty
    return Mark(question.id, round(full * earned, 6), full, feedback, applied, cbm)


def score_attempt(
    questions: Sequence[Question],
    answers: Mapping[str, Answer],
    pass_mark: float,
    certainties: Mapping[str, Certainty | None] | None = None,
) -> Outcome:
    """Score every drawn question (a missing answer scores 0) and decide pass or fail.

    ``certainties`` names the questions scored with confidence-based marking (its keys) and
    the certainty chosen for each (None: not chosen, which counts as 1). Without it, or for a
    question it does not name, the question is scored as it always was. The percentage is
    ``100 x score / max_score``, never below 0 (CBM scores can be negative).

    >>> from course.quiz.models import TrueFalseQuestion
    >>> q = TrueFalseQuestion(id="q", type="true_false", prompt="?", objective="o", explanation=".", answer=True)
    >>> score_attempt([q], {"q": True}, pass_mark=70).passed
    True
    >>> cbm = score_attempt([q], {"q": True}, pass_mark=70, certainties={"q": 2})
    >>> cbm.score, cbm.max_score, round(cbm.percentage)
    (2.0, 3.0, 67)
    """
    certainties = certainties or {}
    marks = tuple(
        score_question(q, answers.get(q.id), cbm=q.id in certainties, certainty=certainties.get(q.id))
        for q in questions
    )
    score = round(sum(m.score for m in marks), 6)
    max_score = round(sum(m.max_score for m in marks), 6)
    percentage = max(0.0, 100.0 * score / max_score) if max_score else 0.0
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
