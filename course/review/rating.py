"""The FSRS rating of a review, from what the learner did (not a self-rating).

Questions:

* not fully right → **Again**;
* right, but at certainty 1 (low) or slow → **Hard**;
* right at certainty 3 (high) and fast → **Easy**;
* any other right answer (certainty 2, or none given) → **Good**.

*Fast* is an answer sent within :data:`FAST_S` seconds of the card being shown; *slow* is one
that took longer than :data:`SLOW_S` seconds. The times are measured on the server, from the
run that showed the card to the run that received the answer.

Drills, from the simulator's own score (the miss as a share of the target's sourced thickness,
:attr:`course.simulator.geometry.Placement.score`):

* on target → **Good**, or **Easy** when also fast;
* off target by less than half the target's thickness (score at least 0.5) → **Hard**;
* further off → **Again**.
"""

from __future__ import annotations

from fsrs import Rating

FAST_S = 20.0
SLOW_S = 60.0
NEAR_MISS_SCORE = 0.5

RATING_WORDS = {Rating.Again: "Again", Rating.Hard: "Hard", Rating.Good: "Good", Rating.Easy: "Easy"}


def is_fast(seconds: float | None) -> bool:
    return seconds is not None and seconds <= FAST_S


def is_slow(seconds: float | None) -> bool:
    return seconds is not None and seconds > SLOW_S


def rate_answer(correct: bool, certainty: int | None, seconds: float | None) -> Rating:
    """The rating of a question card's review.

    >>> [rate_answer(False, 3, 5).name, rate_answer(True, 1, 5).name, rate_answer(True, 2, 90).name]
    ['Again', 'Hard', 'Hard']
    >>> [rate_answer(True, 3, 5).name, rate_answer(True, 3, 30).name, rate_answer(True, None, 5).name]
    ['Easy', 'Good', 'Good']
    """
    if not correct:
        return Rating.Again
    if certainty == 1 or is_slow(seconds):
        return Rating.Hard
    if certainty == 3 and is_fast(seconds):
        return Rating.Easy
    return Rating.Good


def rate_drill(on_target: bool, score: float, seconds: float | None) -> Rating:
    """The rating of a drill card's review, from the simulator's verdict and score.

    >>> [rate_drill(True, 1.0, 5).name, rate_drill(True, 1.0, 40).name]
    ['Easy', 'Good']
    >>> [rate_drill(False, 0.6, 5).name, rate_drill(False, 0.2, 5).name]
    ['Hard', 'Again']
    """
    if on_target:
        return Rating.Easy if is_fast(seconds) else Rating.Good
    return Rating.Hard if score >= NEAR_MISS_SCORE else Rating.Again
