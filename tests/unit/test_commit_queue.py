"""The group commit queue hands the lead on: a submitter whose write dies leaves nobody
waiting, and each submitter returns once its own group is written."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from course.store.commit import CommitQueue, CommitRequest
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, RESPONSES, Table
from tests.unit.test_store_contract import attempt, response


class DiesOnce(Store):
    """A real CSV store whose first group write is interrupted (as a thread killed mid-write)."""

    died = False

    def append_many(self, batches: Sequence[tuple[Table, Sequence[Mapping[str, object]]]]) -> None:
        if not self.died:
            self.died = True
            raise SystemExit("interrupted")
        super().append_many(batches)


def _until(condition: Callable[[], bool], what: str) -> None:
    """Wait for another thread to reach a state, failing (not hanging) after 10 s."""
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.001)


def test_a_leader_that_dies_leaves_no_submitter_waiting(tmp_path: Path) -> None:
    store = DiesOnce(tmp_path)
    queue = CommitQueue()
    requests = [CommitRequest(f"a{n}", attempt(f"a{n}"), [response(f"a{n}", "q1")]) for n in range(12)]

    def submit(request: CommitRequest) -> None:
        with contextlib.suppress(SystemExit):  # the leader's own thread ends here; the others must not
            queue.commit(store, request)

    threads = [threading.Thread(target=submit, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert all(r.done.is_set() for r in requests)
    stored = set(Store(tmp_path).read(ATTEMPTS).frame["attempt_id"])
    assert stored == {r.attempt_id for r in requests if r.accepted}
    assert len(stored) >= 11  # only the interrupted group's attempt(s) can be missing
    assert not queue.leading and queue.pending == []


def test_the_lead_passes_to_a_waiting_submitter_after_one_group(tmp_path: Path) -> None:
    """The first submitter writes its own group and returns; those who queued meanwhile are
    written by one of them, not by a leader kept busy for everyone."""
    store = Store(tmp_path)
    queue = CommitQueue()
    first = CommitRequest("first", attempt("first"), [response("first", "q1")])
    later = [CommitRequest(f"b{n}", attempt(f"b{n}"), [response(f"b{n}", "q1")]) for n in range(5)]
    returned: list[str] = []
    threads = [threading.Thread(target=lambda: (queue.commit(store, first), returned.append("first")))]
    with store.lock:  # the first group's write waits on the folder lock while the others queue
        threads[0].start()
        _until(lambda: queue.leading and queue.pending == [], "its group is taken and its write waits")
        for request in later:
            thread = threading.Thread(target=lambda r=request: (queue.commit(store, r), returned.append(r.attempt_id)))
            threads.append(thread)
            thread.start()
        _until(lambda: len(queue.pending) == len(later), "the others have queued")
    for thread in threads:
        thread.join(timeout=30)
    assert returned[0] == "first"
    assert all(r.accepted for r in [first, *later])
    assert len(Store(tmp_path).read(RESPONSES).frame) == 6
