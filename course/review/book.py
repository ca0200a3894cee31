"""A learner's review cards with their FSRS state, what is due, and storing a review.

The state of a card is the state carried by its latest row in ``reviews.csv`` (a card without
rows is new: due from the moment of the mistake). Every row carries the state after it, so
nothing needs recomputing to draw up a due list, and :meth:`ReviewBook.rebuilt` replays a
card's ratings through FSRS to rebuild the same state from the log alone. Rows are only ever
appended (under the store's folder lock); a torn last line is reported by the store and skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

import numpy as np
import pandas as pd
from fsrs import Card as FsrsCard
from fsrs import Rating

from course.clock import parse_stamp, stamp, utc_now
from course.review.cards import CARD_COLUMNS, ByLearner, SameInputs, cards_by_learner
from course.review.schedule import (
    RESUME,
    REVIEW,
    SUSPEND,
    ReviewError,
    card_from_cells,
    new_card,
    replay,
    review,
    state_cells,
)
from course.store.base import ReadResult, RowProblem, TableStore, explain
from course.store.tables import ATTEMPTS, CERTAINTY, RESPONSES, REVIEWS

FORECAST_DAYS = 30
SESSION_SIZE = 10

_log_by_learner = SameInputs(lambda log: ByLearner.of(log.frame))


@dataclass(frozen=True)
class CardState:
    """One of a learner's cards: what it is, why it exists, and its FSRS state now."""

    learner: str
    item: str
    kind: str
    reason: str
    since: str
    card: FsrsCard
    suspended: bool
    reviews: int

    @property
    def due(self) -> datetime:
        return self.card.due


@dataclass(frozen=True)
class Streaks:
    """Days in a row (UTC) with at least one review: the run still going, and the longest."""

    current: int
    longest: int
    today: bool  # reviewed today already


def streaks(days: set[date], today: date) -> Streaks:
    """The current and longest streaks of review days; today without a review does not break
    the current streak yet (it counts up to yesterday).

    >>> from datetime import date
    >>> d = date(2026, 3, 10)
    >>> streaks({date(2026, 3, 8), date(2026, 3, 9), date(2026, 3, 5)}, d)
    Streaks(current=2, longest=2, today=False)
    >>> streaks(set(), d)
    Streaks(current=0, longest=0, today=False)
    """
    longest = run = 0
    previous: date | None = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    cursor = today if today in days else today - timedelta(days=1)
    while cursor in days:
        current += 1
        cursor -= timedelta(days=1)
    return Streaks(current, longest, today in days)


def forecast(cards: list[CardState], today: date, days: int = FORECAST_DAYS) -> list[int]:
    """Cards coming due on each of the next ``days`` days (UTC), overdue ones counted today;
    suspended cards are left out.

    >>> forecast([], date(2026, 3, 10), days=3)
    [0, 0, 0]
    """
    counts = [0] * days
    for state in cards:
        if state.suspended:
            continue
        offset = max(0, (state.due.date() - today).days)
        if offset < days:
            counts[offset] += 1
    return counts


@dataclass
class ReviewBook:
    """Every learner's review cards in one data folder."""

    store: TableStore
    clock: Callable[[], datetime] = field(default=utc_now)
    retention: float | None = None  # None: desired_retention() (MESO_REVIEW_RETENTION)

    # --- reading ---------------------------------------------------------------------------

    def log(self) -> ReadResult:
        return self.store.read(REVIEWS)

    def problems(self) -> tuple[RowProblem, ...]:
        """Lines of the review log that were skipped (a torn last line, a garbled row)."""
        return self.log().problems

    def log_rows(self, learner: str) -> pd.DataFrame:
        """The learner's rows of the review log, in the order they were written."""
        return _log_by_learner(self.log()).of_learner(learner)

    def card_rows(self, learner: str) -> pd.DataFrame:
        """The learner's cards (learner, item, kind, reason, since), oldest first."""
        results = (self.store.read(ATTEMPTS), self.store.read(RESPONSES), self.store.read(CERTAINTY))
        return cards_by_learner(*results).of_learner(learner)

    def cards(self, learner: str) -> list[CardState]:
        """The learner's cards with their state now (from each card's latest log row)."""
        made = self.card_rows(learner)
        if made.empty:
            return []
        rows = self.log_rows(learner)
        latest: dict[str, dict[str, object]] = {}
        counts: dict[str, int] = {}
        if not rows.empty:
            last = rows.drop_duplicates("item", keep="last")
            latest = {str(r["item"]): {str(k): v for k, v in r.items()} for r in last.to_dict("records")}
            reviewed = rows.loc[rows["event"] == REVIEW, "item"].value_counts()
            counts = {str(k): int(v) for k, v in reviewed.items()}
        states = []
        for item, kind, reason, since in made[["item", "kind", "reason", "since"]].itertuples(index=False):
            row = latest.get(item)
            card = new_card(learner, item, since) if row is None else card_from_cells(learner, item, row)
            suspended = row is not None and row["event"] == SUSPEND
            states.append(CardState(learner, item, kind, reason, since, card, suspended, counts.get(item, 0)))
        return states

    def due(self, learner: str, now: datetime | None = None) -> list[CardState]:
        """The learner's cards due now (not suspended), the longest overdue first."""
        moment = self.clock() if now is None else now
        due = [c for c in self.cards(learner) if not c.suspended and c.due <= moment]
        return sorted(due, key=lambda c: (c.due, c.item))

    def due_count(self, learner: str) -> int:
        """How many cards are due now: what the home page and the sidebar show."""
        return len(self.due(learner))

    def review_days(self, learner: str, zone: tzinfo = UTC) -> set[date]:
        """The calendar days, in ``zone`` (the learner's own), on which the learner reviewed a card."""
        rows = self.log_rows(learner)
        stamps = rows.loc[rows["event"] == REVIEW, "at"]
        return {parse_stamp(str(s)).astimezone(zone).date() for s in stamps.unique()}

    def streaks(self, learner: str, zone: tzinfo = UTC) -> Streaks:
        """The learner's streaks counted in ``zone``'s days, so a review at 00:30 in Paris is that day's."""
        return streaks(self.review_days(learner, zone), self.clock().astimezone(zone).date())

    def rebuilt(self, learner: str, item: str) -> FsrsCard:
        """A card's state rebuilt from the log alone: its ratings replayed through FSRS from new."""
        made = self.card_rows(learner)
        since = made.loc[made["item"] == item, "since"]
        if since.empty:
            raise ReviewError(f"There is no review card for '{item}'.")
        rows = self.log_rows(learner)
        mine = rows[(rows["item"] == item) & (rows["event"] == REVIEW)]
        ratings = [(str(at), Rating(int(float(r)))) for at, r in mine[["at", "rating"]].itertuples(index=False)]
        return replay(new_card(learner, item, str(since.iloc[0])), ratings, self.retention)

    # --- writing ---------------------------------------------------------------------------

    def record(self, state: CardState, rating: Rating, seconds: float | None = None) -> CardState:
        """Store a review of ``state`` (the card as the page showed it) and return the card after it."""
        at = self.clock()
        after = review(state.card, rating, at, self.retention)
        row = {
            "learner": state.learner,
            "item": state.item,
            "at": stamp(at),
            "event": REVIEW,
            "rating": int(rating),
            "seconds": "" if seconds is None else round(seconds, 1),
            **state_cells(after),
        }
        with explain("Your review could not be saved", "Please answer the card again in a moment."):
            self.store.append(REVIEWS, [row])
        return CardState(
            state.learner, state.item, state.kind, state.reason, state.since, after, False, state.reviews + 1
        )

    def suspend(self, state: CardState, suspended: bool = True) -> None:
        """Suspend a card (it is never due until resumed) or resume it: a log row like a review."""
        row = {
            "learner": state.learner,
            "item": state.item,
            "at": stamp(self.clock()),
            "event": SUSPEND if suspended else RESUME,
            "rating": "",
            "seconds": "",
            **state_cells(state.card),
        }
        with explain("The card could not be changed", "Please try again."):
            self.store.append(REVIEWS, [row])


def due_table(cards: list[CardState]) -> pd.DataFrame:
    """The cards as a table of strings and numbers (item, kind, reason, due, suspended, reviews)."""
    if not cards:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in (*CARD_COLUMNS, "due", "suspended", "reviews")})
    return pd.DataFrame(
        {
            "learner": [c.learner for c in cards],
            "item": [c.item for c in cards],
            "kind": [c.kind for c in cards],
            "reason": [c.reason for c in cards],
            "since": [c.since for c in cards],
            "due": [stamp(c.due) for c in cards],
            "suspended": np.array([c.suspended for c in cards], dtype=bool),
            "reviews": [c.reviews for c in cards],
        }
    )


def today_start(moment: datetime) -> datetime:
    """Midnight UTC of ``moment``'s day."""
    return datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
