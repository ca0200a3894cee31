"""Remember a value derived from a table for as long as the table's file is unchanged.

:meth:`course.store.base.TableStore.read` returns the same :class:`ReadResult` object while a file's
size and mtime stay the same, so a projection of it (accounts by login, completed lessons
by learner) can be computed once per file version instead of on every page rerun.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from course.store.base import ReadResult

T = TypeVar("T")


class PerVersion(Generic[T]):
    """Wrap ``derive(result)``; recompute only when a different ReadResult comes in.

    A few recent versions are kept, so tests or servers using two data folders do not
    evict each other on every call.
    """

    def __init__(self, derive: Callable[[ReadResult], T], keep: int = 4) -> None:
        self._derive = derive
        self._keep = keep
        self._recent: list[tuple[ReadResult, T]] = []
        self._guard = threading.Lock()

    def __call__(self, result: ReadResult) -> T:
        with self._guard:
            for seen, value in self._recent:
                if seen is result:
                    return value
        value = self._derive(result)
        with self._guard:
            self._recent = [(result, value), *self._recent[: self._keep - 1]]
        return value
