"""Which lessons a learner has completed, kept in ``progress.csv`` (append only).

Marking a lesson complete appends a ``complete`` row; undoing it appends ``reopen``.
The latest row per (learner, lesson) decides, so the whole history stays on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from course.accounts import now_utc
from course.store import PROGRESS, Store

COMPLETE, REOPEN = "complete", "reopen"


@dataclass
class LessonProgress:
    store: Store

    def completed(self, learner: str) -> frozenset[str]:
        """Ids of the lessons ``learner`` has completed (and not reopened since)."""
        frame = self.store.read(PROGRESS).frame
        mine = frame[frame["learner"] == learner]
        latest = mine.drop_duplicates("lesson_id", keep="last")
        return frozenset(latest.loc[latest["action"] == COMPLETE, "lesson_id"])

    def set_complete(self, learner: str, lesson_id: str, done: bool = True) -> None:
        self.store.append(
            PROGRESS,
            [{"learner": learner, "lesson_id": lesson_id, "action": COMPLETE if done else REOPEN, "at": now_utc()}],
        )


def completion_ratio(completed: frozenset[str], lesson_ids: Sequence[str]) -> float:
    """Share of the current lessons completed (lessons since deleted do not count)."""
    if not lesson_ids:
        return 0.0
    return len(completed & set(lesson_ids)) / len(lesson_ids)
