"""FSRS scheduling of review cards: the scheduler, a card's state as a log row, and replay.

The ``fsrs`` package (Anki's Free Spaced Repetition Scheduler) does the arithmetic. Two choices
make the stored log replayable exactly:

* **No fuzz.** FSRS can add a little randomness to intervals to spread reviews; it is switched
  off, so the same ratings at the same times always give the same state (a replay of the log
  equals what the live scheduler stored, which a property test checks).
* **Times to the second.** Every review time is :func:`course.clock.utc_now` (UTC, no
  microseconds), the same value that is stored.

The desired retention (the probability of recalling a card when it comes due) is read from
``MESO_REVIEW_RETENTION`` (default 0.9, between 0.70 and 0.97).
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

from course.clock import parse_stamp, stamp
from course.errors import MesoError

RETENTION_ENV = "MESO_REVIEW_RETENTION"
DEFAULT_RETENTION = 0.9
RETENTION_RANGE = (0.70, 0.97)
REVIEW, SUSPEND, RESUME = "review", "suspend", "resume"


class ReviewError(MesoError):
    """A review that cannot be scheduled or stored; the message is for the person on the page."""


def desired_retention(environ: Mapping[str, str] | None = None) -> float:
    """The desired retention: ``MESO_REVIEW_RETENTION`` or 0.9; outside 0.70-0.97 it is an error.

    >>> desired_retention({}), desired_retention({"MESO_REVIEW_RETENTION": "0.85"})
    (0.9, 0.85)
    """
    text = (os.environ if environ is None else environ).get(RETENTION_ENV, "").strip()
    if not text:
        return DEFAULT_RETENTION
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    low, high = RETENTION_RANGE
    if not low <= value <= high:
        raise ReviewError(
            f"{RETENTION_ENV} is {text!r}: it must be a number between {low:.2f} and {high:.2f} "
            f"(the share of cards you want to recall when they come due; default {DEFAULT_RETENTION})."
        )
    return value


def scheduler(retention: float | None = None) -> Scheduler:
    """The course's FSRS scheduler: default FSRS-6 parameters, the desired retention, no fuzz."""
    return Scheduler(desired_retention=desired_retention() if retention is None else retention, enable_fuzzing=False)


def card_number(learner: str, item: str) -> int:
    """A stable integer id for FSRS (which wants one) from the card's learner and item.

    >>> card_number("ada", "q-1") == card_number("ada", "q-1") != card_number("bob", "q-1")
    True
    """
    digest = hashlib.blake2b(f"{learner}\x1f{item}".encode(), digest_size=6).digest()
    return int.from_bytes(digest, "big")


def new_card(learner: str, item: str, since: str) -> FsrsCard:
    """A card never reviewed: FSRS's first learning step, due from the moment of the mistake."""
    return FsrsCard(card_id=card_number(learner, item), due=parse_stamp(since))


@dataclass(frozen=True)
class Reviewed:
    """One review as the log stores it: when, the rating and the state after it."""

    at: str
    rating: Rating
    card: FsrsCard


def review(card: FsrsCard, rating: Rating, at: datetime, retention: float | None = None) -> FsrsCard:
    """The card's state after a review with ``rating`` at ``at`` (UTC, to the second)."""
    return scheduler(retention).review_card(card, rating, review_datetime=at)[0]


def replay(card: FsrsCard, reviews: Iterable[tuple[str, Rating]], retention: float | None = None) -> FsrsCard:
    """Rebuild a card's state from its ratings in log order (``(at, rating)`` pairs)."""
    fsrs = scheduler(retention)
    for at, rating in reviews:
        card = fsrs.review_card(card, rating, review_datetime=parse_stamp(at))[0]
    return card


# --- a state as the cells of a log row, and back ------------------------------------------------


def _number(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def state_cells(card: FsrsCard) -> dict[str, object]:
    """The FSRS state columns of a ``reviews.csv`` row (floats in full, so a replay compares exactly)."""
    return {
        "state": int(card.state),
        "step": "" if card.step is None else card.step,
        "stability": _number(card.stability),
        "difficulty": _number(card.difficulty),
        "due": stamp(card.due),
        "last_review": "" if card.last_review is None else stamp(card.last_review),
    }


def card_from_cells(learner: str, item: str, row: Mapping[str, object]) -> FsrsCard:
    """The FSRS card a ``reviews.csv`` row describes (the inverse of :func:`state_cells`)."""

    def text(name: str) -> str:
        value = row.get(name)
        return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)

    step = text("step")
    return FsrsCard(
        card_id=card_number(learner, item),
        state=State(int(float(text("state")))),
        step=int(float(step)) if step else None,
        stability=float(text("stability")) if text("stability") else None,
        difficulty=float(text("difficulty")) if text("difficulty") else None,
        due=parse_stamp(text("due")),
        last_review=parse_stamp(text("last_review")) if text("last_review") else None,
    )


def same_state(left: FsrsCard, right: FsrsCard) -> bool:
    """Whether two cards are in the same FSRS state (their ids aside)."""
    return state_cells(left) == state_cells(right)


# --- retrievability, vectorised for tutors' tables --------------------------------------------------

_DECAY = -DEFAULT_PARAMETERS[20]
_FACTOR = 0.9 ** (1 / _DECAY) - 1


def retrievability(elapsed_days: Any, stability: Any) -> Any:
    """FSRS's probability of recall after ``elapsed_days`` (whole days) for a card of this
    stability: the scheduler's own formula (``Scheduler.get_card_retrievability``), written once
    here so tutors' tables can apply it to whole columns (numbers, arrays or pandas series).

    >>> round(retrievability(0, 5.0), 3), round(retrievability(5, 5.0), 3)
    (1.0, 0.9)
    """
    return (1 + _FACTOR * elapsed_days / stability) ** _DECAY
