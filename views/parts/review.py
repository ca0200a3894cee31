"""What the review page, the home page and the sidebar share: the review book and "N cards due".

The count is cached per learner and per version of the four files it is drawn from (their
versions) and per minute, so the sidebar costs a few ``stat`` calls on most reruns. The cache is a
plain per-process ``functools.lru_cache`` (the count is an int, shared by sessions): on a hit,
``st.cache_data``'s argument hashing and unpickling cost more than the look-up itself.
"""

from __future__ import annotations

import functools
import time

import streamlit as st

from course.errors import MesoError
from course.review.book import ReviewBook
from course.store.tables import ATTEMPTS, CERTAINTY, RESPONSES, REVIEWS
from views.parts import state


def review_book() -> ReviewBook:
    return ReviewBook(state.store())


def _signature() -> tuple[tuple[int, ...], ...]:
    store = state.store()
    return tuple(store.version(table) for table in (ATTEMPTS, RESPONSES, CERTAINTY, REVIEWS))


@functools.lru_cache(maxsize=2000)
def _due_count(folder: str, login: str, signature: tuple[tuple[int, ...], ...], minute: int) -> int | None:
    try:
        return review_book().due_count(login)
    except MesoError:  # a bad retention setting or an unreadable file: the review page says what
        return None


def cards_due(login: str) -> int | None:
    """How many review cards the learner has due now (None when it cannot be told)."""
    return _due_count(state.store().where, login, _signature(), int(time.time() // 60))


def due_link(login: str) -> None:
    """A link to the Review page saying how many cards are due (nothing when none are)."""
    count = cards_due(login)
    if not count:
        return
    label = f"{count} card{'' if count == 1 else 's'} due for review"
    st.page_link("views/pages/review.py", label=label, icon=":material/event_repeat:")
