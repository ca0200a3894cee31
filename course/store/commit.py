"""Group commit of attempts: concurrent submits share one locked, fsync'd append per file.

Each stored attempt costs two fsyncs (attempts.csv, responses.csv; a third, certainty.csv,
when it was marked with certainties). When several sessions
submit at once, the first to get here writes every waiting attempt in one locked append
per file, so eight simultaneous submits cost two fsyncs, not sixteen. Every submitter
still returns only after its own rows are on disk, and the "not stored yet" check runs
for each attempt under the folder lock, exactly as for a lone submit. A store whose key is a unique
constraint (:class:`~course.store.base.AppendsOnce`, PostgreSQL) checks and writes the whole group
in one statement instead.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from course.store.base import AppendsOnce, TableStore
from course.store.tables import ATTEMPTS, CERTAINTY, RESPONSES


@dataclass
class CommitRequest:
    attempt_id: str
    attempt: dict[str, object]
    responses: list[dict[str, object]]
    certainties: list[dict[str, object]] = field(default_factory=list)  # rows of certainty.csv, if any
    done: threading.Event = field(default_factory=threading.Event)
    wake: threading.Event = field(default_factory=threading.Event)  # done, or the lead is this one's
    accepted: bool = False
    error: BaseException | None = None


def write_group(store: TableStore, group: Sequence[CommitRequest]) -> None:
    """Store each request whose attempt id is new (under the folder lock), then wake them all."""
    try:
        if isinstance(store, AppendsOnce):  # the key's unique constraint checks, in one statement
            fresh: dict[str, CommitRequest] = {}
            for request in group:
                fresh.setdefault(request.attempt_id, request)
            stored = store.append_new(
                ATTEMPTS,
                [r.attempt for r in fresh.values()],
                [
                    (RESPONSES, [row for r in fresh.values() for row in r.responses]),
                    (CERTAINTY, [row for r in fresh.values() for row in r.certainties]),
                ],
            )
            fresh = {attempt_id: r for attempt_id, r in fresh.items() if attempt_id in stored}
        else:
            fresh = _write_checked(store, group)
        for request in fresh.values():
            request.accepted = True
    except Exception as exc:  # handed to every waiting submitter, which raises it
        for request in group:
            request.error = exc
    finally:
        for request in group:
            request.done.set()


def _write_checked(store: TableStore, group: Sequence[CommitRequest]) -> dict[str, CommitRequest]:
    """Check each attempt id under the store's lock, then append the new ones."""
    with store.lock:
        fresh: dict[str, CommitRequest] = {}
        for request in group:
            if request.attempt_id not in fresh and not store.contains(ATTEMPTS, "attempt_id", request.attempt_id):
                fresh[request.attempt_id] = request
        store.append_many(
            [
                (ATTEMPTS, [r.attempt for r in fresh.values()]),
                (RESPONSES, [row for r in fresh.values() for row in r.responses]),
                (CERTAINTY, [row for r in fresh.values() for row in r.certainties]),
            ]
        )
    return fresh


RECHECK_S = 0.5  # a waiting submitter looks again this often, should a wake-up ever be missed


@dataclass
class CommitQueue:
    """Submitters of one process queue here; one of them at a time (the leader) writes everything
    queued as one group, then hands the lead to the longest-waiting submitter left, if any.

    The others wait on their own request's ``wake`` event, set when their group is written or
    when the lead passes to them. (An earlier version had every waiter queue on one leader lock:
    after each group, the lock went from waiter to waiter, each taking the interpreter lock only
    to find its request done, which at 16 submitters a process cost more than the write.)
    """

    pending: list[CommitRequest] = field(default_factory=list)
    guard: threading.Lock = field(default_factory=threading.Lock)
    leading: bool = False

    def commit(self, store: TableStore, request: CommitRequest) -> None:
        with self.guard:
            self.pending.append(request)
        while not request.done.is_set():
            if self._take_lead():
                self._write_next(store)
            else:
                request.wake.wait(RECHECK_S)
                request.wake.clear()  # a wake-up lost here is harmless: the loop looks again

    def _take_lead(self) -> bool:
        with self.guard:
            if self.leading:
                return False
            self.leading = True
            return True

    def _write_next(self, store: TableStore) -> None:
        """Write what is queued as one group, give up the lead and wake whoever it concerns."""
        with self.guard:
            group, self.pending = self.pending, []
        try:
            if group:
                write_group(store, group)
        finally:
            with self.guard:
                self.leading = False
                successor = self.pending[0] if self.pending else None
            for request in group:
                request.wake.set()
            if successor is not None:
                successor.wake.set()


_QUEUES: dict[str, CommitQueue] = {}


_QUEUES_GUARD = threading.Lock()


def commit_queue(store: TableStore) -> CommitQueue:
    """One queue per store in this process (every store of a folder or database shares it; two
    spellings of one folder get two queues, which costs batching, never correctness)."""
    with _QUEUES_GUARD:
        return _QUEUES.setdefault(store.where, CommitQueue())
