"""Which lessons a learner has completed, kept in ``progress.csv`` (append only).

Marking a lesson complete appends a ``complete`` row; undoing it appends ``reopen``.
The latest row per (learner, lesson) decides, so the whole history stays on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from course.clock import now_utc
from course.store.base import TableStore, explain
from course.store.memo import PerVersion
from course.store.tables import PROGRESS

COMPLETE, REOPEN = "complete", "reopen"


@dataclass
class LessonProgress:
    """Lesson completions over one data folder."""

    store: TableStore

    def completed(self, learner: str) -> frozenset[str]:
        """Ids of the lessons ``learner`` has completed (and not reopened since)."""
        return _completed_by_learner(self.store.read(PROGRESS)).get(learner, frozenset())

    def set_complete(self, learner: str, lesson_id: str, done: bool = True) -> None:
        """Record a completion (or, with ``done=False``, undo one) as a new row; may raise StoreError."""
        row = {"learner": learner, "lesson_id": lesson_id, "action": COMPLETE if done else REOPEN, "at": now_utc()}
        with explain("Your progress could not be saved", "Please try again in a moment."):
            self.store.append(PROGRESS, [row])


def completed_lessons(frame: pd.DataFrame) -> dict[str, frozenset[str]]:
    """Each learner's completed lessons, replaying ``progress.csv`` rows in file order: the
    latest action per (learner, lesson) wins, so a lesson reopened after completion is not done.

    The one replay of lesson progress: the learner's own pages and the tutors' results use it.

    >>> rows = pd.DataFrame({"learner": ["ada"] * 3, "lesson_id": ["a", "b", "a"],
    ...                      "action": [COMPLETE, COMPLETE, REOPEN]})
    >>> completed_lessons(rows)
    {'ada': frozenset({'b'})}
    """
    done: dict[str, set[str]] = {}
    for learner, lesson_id, action in zip(frame["learner"], frame["lesson_id"], frame["action"], strict=True):
        lessons = done.setdefault(learner, set())
        if action == COMPLETE:
            lessons.add(lesson_id)
        else:
            lessons.discard(lesson_id)
    return {learner: frozenset(lessons) for learner, lessons in done.items()}


_completed_by_learner = PerVersion(lambda result: completed_lessons(result.frame))


def completion_ratio(completed: frozenset[str], lesson_ids: Sequence[str]) -> float:
    """Share of the current lessons completed (lessons since deleted do not count)."""
    if not lesson_ids:
        return 0.0
    return len(completed & set(lesson_ids)) / len(lesson_ids)
