"""The store's contract, on both backends (a CSV folder and a real PostgreSQL): concurrent
writers in threads and in processes lose nothing, an attempt is stored once, a group commit
is all or nothing, other columns are refused, and the dashboard's reads are the same."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from course.analytics.results import load_results
from course.store.base import HeaderMismatch, StoreError, TableStore
from course.store.commit import CommitRequest, commit_queue
from course.store.csvstore import Store
from course.store.pgstore import PgStore
from course.store.tables import ATTEMPTS, RESPONSES

ROOT = Path(__file__).resolve().parents[2]
Open = Callable[[], TableStore]


def response(attempt: str, question: str, points: object = 1.0, answer: str = "A") -> dict[str, object]:
    return {
        "attempt_id": attempt,
        "question_id": question,
        "answer": answer,
        "correct": "true",
        "points": points,
        "max_points": 1,
    }


def attempt(attempt_id: str, learner: str = "ada", score: object = 3) -> dict[str, object]:
    return {
        "attempt_id": attempt_id,
        "learner": learner,
        "quiz": "history",
        "started": "2026-01-01T10:00:00Z",
        "submitted": "2026-01-01T10:05:00Z",
        "score": score,
        "max_score": 4.0,
        "percentage": 75.0,
        "passed": "true",
        "bank_version": "1",
        "outcome": "submitted",
    }


def test_eight_threads_append_and_every_row_reads_back_with_its_types(backend: Open) -> None:
    store = backend()

    def write(thread: int) -> None:
        for n in range(60):
            store.append(RESPONSES, [response(f"t{thread}", f"q{n}", answer=f'say "hi", {thread}\n{n}')])

    threads = [threading.Thread(target=write, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = backend().read(RESPONSES)  # another server's view of the same data
    assert result.problems == ()
    assert len(result.frame) == 480
    assert result.frame["points"].dtype.kind == "f" and result.frame["points"].sum() == 480
    assert set(result.frame["answer"]) == {f'say "hi", {t}\n{n}' for t in range(8) for n in range(60)}


APPEND_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from course.store.csvstore import Store
from course.store.pgstore import PgStore
from course.store.pgstore import PgStore
from course.store.tables import RESPONSES
where = {where!r}
store = PgStore(where) if where.startswith("postgresql://") else Store(where)
for n in range(100):
    store.append(RESPONSES, [{{"attempt_id": "p{tag}", "question_id": f"q{{n}}", "answer": "",
                              "correct": "false", "points": 0, "max_points": 1}}])
"""


def test_two_processes_appending_lose_nothing(backend: Open) -> None:
    opened = backend()
    where = opened.url if isinstance(opened, PgStore) else opened.where
    script = [APPEND_SCRIPT.format(root=str(ROOT), where=where, tag=tag) for tag in "ab"]
    processes = [subprocess.Popen([sys.executable, "-c", s]) for s in script]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    result = backend().read(RESPONSES)
    assert result.problems == ()
    assert result.frame.groupby("attempt_id").size().to_dict() == {"pa": 100, "pb": 100}


def test_sixteen_submits_of_four_attempts_store_each_once(backend: Open) -> None:
    stores = [backend(), backend()]  # two "replicas" with a commit queue each
    requests = [CommitRequest(f"a{n % 4}", attempt(f"a{n % 4}"), [response(f"a{n % 4}", "q1")]) for n in range(16)]

    def submit(n: int) -> None:
        store = stores[n % 2]
        commit_queue(store).commit(store, requests[n])

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r.error is None for r in requests)
    assert sum(r.accepted for r in requests) == 4
    frame = backend().read(ATTEMPTS).frame
    assert sorted(frame["attempt_id"]) == ["a0", "a1", "a2", "a3"]
    assert len(backend().read(RESPONSES).frame) == 4


TRICKY = ['say "hi", \\ then \\n', "line one\nline two", "é—µ 漢字 😀", '{"json": [1, 2]}', "", "tab\there"]


def test_thirty_two_submitters_store_every_attempt_once_with_its_rows_in_order(backend: Open) -> None:
    stores = [backend(), backend()]  # two "replicas", sixteen submitters each
    each = 6

    def submit(thread: int) -> None:
        store = stores[thread % 2]
        for n in range(each):
            attempt_id = f"t{thread}-{n}"
            rows = [response(attempt_id, f"q{k}", answer=f"{TRICKY[(n + k) % len(TRICKY)]}{thread}") for k in range(3)]
            for _ in range(2):  # the second time is a double submit: refused, nothing stored twice
                request = CommitRequest(attempt_id, attempt(attempt_id), rows)
                commit_queue(store).commit(store, request)
                assert request.error is None

    threads = [threading.Thread(target=submit, args=(t,)) for t in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    frame = backend().read(ATTEMPTS).frame
    assert sorted(frame["attempt_id"]) == sorted(f"t{t}-{n}" for t in range(32) for n in range(each))
    responses = backend().read(RESPONSES).frame
    assert len(responses) == 32 * each * 3
    for attempt_id, group in responses.groupby("attempt_id", sort=False):
        thread, n = (int(x) for x in str(attempt_id)[1:].split("-"))
        assert list(group["question_id"]) == ["q0", "q1", "q2"]
        assert list(group["answer"]) == [f"{TRICKY[(n + k) % len(TRICKY)]}{thread}" for k in range(3)]


def test_check_then_append_under_the_lock_is_one_step(backend: Open) -> None:
    stores = [backend() for _ in range(4)]
    stored: list[str] = []

    def once(store: TableStore) -> None:
        with store.lock:
            assert store.holds_lock
            if not store.contains(ATTEMPTS, "attempt_id", "only"):
                store.append(ATTEMPTS, [attempt("only")])
                stored.append("yes")

    threads = [threading.Thread(target=once, args=(s,)) for s in stores for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stored == ["yes"]
    assert backend().read(ATTEMPTS).frame["attempt_id"].tolist() == ["only"]


def test_a_group_that_cannot_be_written_leaves_nothing(backend: Open) -> None:
    store = backend()
    store.append(ATTEMPTS, [attempt("a1")])
    with pytest.raises((StoreError, ValueError)):
        store.append_many([(RESPONSES, [response("a2", "q1")]), (ATTEMPTS, [{"attempt_id": "broken"}])])
    assert backend().read(RESPONSES).frame.empty
    assert backend().read(ATTEMPTS).frame["attempt_id"].tolist() == ["a1"]


def test_size_and_rows_after_see_only_what_was_appended_since(backend: Open) -> None:
    store = backend()
    store.append(RESPONSES, [response("a1", "q1")])
    mark = store.size(RESPONSES)
    before = store.version(RESPONSES)
    store.append(RESPONSES, [response("a2", "q1"), response("a2", "q2")])
    assert store.version(RESPONSES) != before
    assert [(r["attempt_id"], r["question_id"]) for r in store.rows_after(RESPONSES, mark)] == [
        ("a2", "q1"),
        ("a2", "q2"),
    ]
    assert store.read(RESPONSES) is store.read(RESPONSES)  # cached while unchanged


def test_rows_between_follows_a_table_from_one_moment_to_the_next(backend: Open) -> None:
    """What the LRS sender relies on: read up to a size taken earlier, then on from where it stopped."""
    store = backend()
    assert store.rows_between(RESPONSES, 0) == ([], 0)
    store.append(RESPONSES, [response("a1", "q1")])
    end = store.size(RESPONSES)
    store.append(RESPONSES, [response("a2", "q1")])
    rows, here = store.rows_between(RESPONSES, 0, end)
    assert [r["attempt_id"] for r in rows] == ["a1"] and here == end  # not past ``end``
    rows, here = store.rows_between(RESPONSES, here)
    assert [r["attempt_id"] for r in rows] == ["a2"]
    assert backend().rows_between(RESPONSES, here) == ([], here)  # another process: nothing new after it


def test_exclusive_has_one_holder_across_processes(backend: Open) -> None:
    store, other = backend(), backend()
    with store.exclusive("xapi-sender") as mine:
        assert mine
        with other.exclusive("xapi-sender") as theirs:
            assert not theirs  # no wait: the second caller is told at once
        with other.exclusive("another-job") as theirs:
            assert theirs  # locks are by name
    with other.exclusive("xapi-sender") as theirs:
        assert theirs  # released at the end of the block


def test_numbers_and_text_keep_their_types(backend: Open) -> None:
    store = backend()
    store.append(RESPONSES, [response("00123", "q1", 0.5, answer="NA"), response("a2", "q2", 1.0, answer="")])
    frame = store.read(RESPONSES).frame
    assert list(frame["attempt_id"]) == ["00123", "a2"]
    assert list(frame["answer"]) == ["NA", ""]
    assert list(frame["points"]) == [0.5, 1.0] and frame["max_points"].dtype.kind == "i"


def test_empty_tables_read_as_typed_empty_frames(backend: Open) -> None:
    frame = backend().read(ATTEMPTS).frame
    assert frame.empty and list(frame.columns) == list(ATTEMPTS.columns)
    assert frame["score"].dtype.kind == "f"


def test_the_dashboards_reads_are_the_same_on_both_backends(backend: Open, tmp_path: Path) -> None:
    reference = Store(tmp_path / "reference")
    for target in (backend(), reference):
        for n in range(30):
            target.append_many(
                [
                    (ATTEMPTS, [attempt(f"a{n}", learner=f"l{n % 5}", score=n % 4)]),
                    (RESPONSES, [response(f"a{n}", f"q{k}", points=(n + k) % 2) for k in range(3)]),
                ]
            )
    mine, theirs = load_results(backend()), load_results(reference)
    pd.testing.assert_frame_equal(mine.attempts, theirs.attempts)
    pd.testing.assert_frame_equal(mine.responses, theirs.responses)


def test_pg_refuses_a_table_with_other_columns_and_a_second_copy_of_a_key(pg_url: str) -> None:
    import psycopg

    from course.store.pgstore import DuplicateKey

    store = PgStore(pg_url)
    try:
        store.append(ATTEMPTS, [attempt("a1")])
        with pytest.raises(DuplicateKey):
            store.append(ATTEMPTS, [attempt("a1")])  # even a writer that did not check
        with pytest.raises(StoreError, match="double precision"):
            store.append(RESPONSES, [response("a1", "q1", points="lots")])
        with psycopg.connect(pg_url, autocommit=True) as connection:
            connection.execute('ALTER TABLE responses RENAME COLUMN "answer" TO "reply"')
        with pytest.raises(HeaderMismatch, match="refusing"):
            PgStore(pg_url).append(RESPONSES, [response("a1", "q2")])
    finally:
        store.close()
    assert len(PgStore(pg_url).read(ATTEMPTS).frame) == 1
