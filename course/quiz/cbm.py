"""Confidence-based marking (CBM): the LAPT scheme of Gardner-Medwin, as Moodle's quiz offers it.

With each answer the learner says how sure they are: 1 (low), 2 (mid) or 3 (high). A right
answer earns 1, 2 or 3 times the question's points; a wrong one costs 0, 2 or 6 times them.
The penalties make honesty pay: certainty 1 earns the most on average when the chance of
being right is below 2/3, certainty 2 between 2/3 and 4/5, certainty 3 above 4/5
(:data:`IDEAL_BANDS`). So a learner who guesses does best by saying so, and one who is sure
and wrong learns that the belief was mistaken.

Only all-or-nothing answers can carry a certainty (right or wrong, never "partly right"):
single choice, true/false, a number and a diagram; each type's handler says whether it can
(``carries_certainty`` in :mod:`course.quiz.answers`). A quiz asks for certainties when its
bank says ``settings: {cbm: true}``; a question may opt out with ``cbm: false``.

Rules of the stored attempt (pure functions here, no I/O):

* a question scored with CBM is worth ``3 x points`` at most; an unanswered one scores 0,
  whatever certainty was chosen; an answered one without a certainty counts as certainty 1;
* the attempt's score is the sum of the CBM marks and the other questions' points, its
  maximum the sum of their maxima, its percentage ``100 x score / maximum``, never below 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

Certainty = int
"""1 (low), 2 (mid) or 3 (high)."""

CERTAINTIES: Final = (1, 2, 3)
LOW: Final = 1
DEFAULT_CERTAINTY: Final = LOW  # an answered question whose certainty was not chosen
MAX_FACTOR: Final = 3  # a CBM question is worth at most 3 x its points

RIGHT_FACTOR: Final[Mapping[Certainty, int]] = {1: 1, 2: 2, 3: 3}
WRONG_FACTOR: Final[Mapping[Certainty, int]] = {1: 0, 2: -2, 3: -6}
LABELS: Final[Mapping[Certainty, str]] = {1: "low", 2: "mid", 3: "high"}

IDEAL_BANDS: Final[Mapping[Certainty, tuple[float, float]]] = {1: (0.0, 2 / 3), 2: (2 / 3, 0.8), 3: (0.8, 1.0)}
"""For each certainty, the share of right answers at which it earns the most on average.

Expected mark per point at a chance ``p`` of being right: ``p`` at certainty 1, ``4p - 2`` at 2,
``9p - 6`` at 3; the lines cross at ``p = 2/3`` and ``p = 4/5``.
"""

MARKS_TEXT: Final = (
    "With each answer, say how sure you are. A right answer earns 1, 2 or 3 times its points at "
    "certainty 1 (low), 2 (mid) or 3 (high); a wrong answer costs 0, 2 or 6 times them. Choose 3 only "
    "when you are more than 80% sure, 2 when you are about 67 to 80% sure, and 1 otherwise; an answer "
    "without a certainty counts as 1."
)
"""The marks explained to the learner, at the top of a quiz that asks for certainties."""


class CertaintyError(ValueError):
    """A certainty that is not 1, 2 or 3 (raised by :func:`check_certainty`)."""


def check_certainty(value: object) -> Certainty | None:
    """``value`` as a certainty (None stays None: not chosen); refuse anything but 1, 2 or 3.

    >>> check_certainty(3), check_certainty(None)
    (3, None)
    >>> check_certainty(4)
    Traceback (most recent call last):
    ...
    course.quiz.cbm.CertaintyError: certainty 4 is not 1, 2 or 3
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in CERTAINTIES:
        raise CertaintyError(f"certainty {value!r} is not 1, 2 or 3")
    return value


def cbm_mark(correct: bool, certainty: Certainty, points: float = 1.0) -> float:
    """The CBM mark of one answered question worth ``points``.

    >>> [cbm_mark(True, c) for c in CERTAINTIES], [cbm_mark(False, c) for c in CERTAINTIES]
    ([1.0, 2.0, 3.0], [0.0, -2.0, -6.0])
    >>> cbm_mark(False, 3, points=2)
    -12.0
    """
    factor = RIGHT_FACTOR[certainty] if correct else WRONG_FACTOR[certainty]
    return float(factor * points)


def describe_certainty(certainty: Certainty) -> str:
    """``"3 (high)"``: a certainty as the learner chose it.

    >>> describe_certainty(2)
    '2 (mid)'
    """
    return f"{certainty} ({LABELS[certainty]})"


def ideal_certainty(share_right: float) -> Certainty:
    """The certainty that earns the most at this share of right answers (0 to 1).

    >>> ideal_certainty(0.5), ideal_certainty(0.7), ideal_certainty(0.9)
    (1, 2, 3)
    """
    if share_right > IDEAL_BANDS[3][0]:
        return 3
    if share_right > IDEAL_BANDS[2][0]:
        return 2
    return 1
