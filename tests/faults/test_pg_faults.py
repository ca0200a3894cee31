"""PostgreSQL faults against a real server: down at start, a connection dropped in the middle
of a transaction, a wrong password (never printed back)."""

from __future__ import annotations

import psycopg
import pytest

from course.__main__ import main
from course.store.base import StoreError
from course.store.factory import open_store
from course.store.pgstore import PgStore
from course.store.tables import ATTEMPTS, RESPONSES
from tests.browser.server import free_port
from tests.helpers.postgres import Server


def test_a_database_that_is_down_says_so_and_how_to_check(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql://meso:hunter2secret@127.0.0.1:{free_port()}/meso"
    with pytest.raises(StoreError) as caught:
        open_store(url=url)
    message = str(caught.value)
    assert "cannot be reached" in message and "pg_isready -d 'postgresql://meso:***@127.0.0.1:" in message
    assert "hunter2secret" not in message
    assert main(["db", "upgrade", "--url", url]) == 1
    captured = capsys.readouterr()
    assert "cannot be reached" in captured.err and "hunter2secret" not in captured.err + captured.out


def test_a_wrong_password_is_never_printed_back(postgres: Server, capsys: pytest.CaptureFixture[str]) -> None:
    url = postgres.tcp_url(postgres.new_database(), password="not-the-Password-42")
    with pytest.raises(StoreError) as caught:
        open_store(url=url)
    assert "not-the-Password-42" not in str(caught.value)
    assert "meso:***@127.0.0.1" in str(caught.value)
    assert main(["db", "current", "--url", url]) == 1
    captured = capsys.readouterr()
    assert "not-the-Password-42" not in captured.err + captured.out
    assert PgStore(postgres.tcp_url(postgres.new_database())).revision() is not None  # the right one works


def test_a_connection_dropped_mid_transaction_leaves_nothing_half_written(pg_url: str) -> None:
    store = PgStore(pg_url)
    row = {"attempt_id": "a1", "question_id": "q1", "answer": "x", "correct": "true", "points": 1, "max_points": 1}
    attempt = dict.fromkeys(ATTEMPTS.columns, "1") | {"attempt_id": "a1"}
    try:
        with pytest.raises(StoreError), store.lock:
            store.append(RESPONSES, [row])
            with store.connection() as connection:
                pid = connection.execute("SELECT pg_backend_pid()").fetchone()
            assert pid is not None
            with psycopg.connect(pg_url, autocommit=True) as killer:
                killer.execute("SELECT pg_terminate_backend(%s)", (pid[0],))
            store.append(ATTEMPTS, [attempt])
        after = PgStore(pg_url)
        assert after.read(RESPONSES).frame.empty and after.read(ATTEMPTS).frame.empty
        store.append(ATTEMPTS, [attempt])  # the pool replaces the dead connection
        assert len(after.read(ATTEMPTS).frame) == 1
        after.close()
    finally:
        store.close()


@pytest.mark.parametrize("path", ["group insert", "append"])
def test_a_save_that_waits_too_long_for_the_lock_says_the_database_is_busy(
    pg_url: str, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer holds the store's advisory lock (a stuck replica): a save gives up after the
    lock timeout with a message, stores nothing, and works once the lock is free."""
    from course.store import pgstore
    from course.store.commit import CommitRequest, write_group

    monkeypatch.setattr(pgstore, "LOCK_TIMEOUT_S", 0.3)
    store = PgStore(pg_url)
    attempt = dict.fromkeys(ATTEMPTS.columns, "1") | {"attempt_id": "a1"}
    try:
        with psycopg.connect(pg_url, autocommit=True) as other:
            other.execute("SELECT pg_advisory_lock(%s)", (pgstore.LOCK_KEY,))
            if path == "append":
                with pytest.raises(StoreError, match="the database is busy"):
                    store.append(ATTEMPTS, [attempt])
            else:
                request = CommitRequest("a1", attempt, [])
                write_group(store, [request])
                assert isinstance(request.error, StoreError) and "the database is busy" in str(request.error)
            assert PgStore(pg_url).read(ATTEMPTS).frame.empty
        store.append(ATTEMPTS, [attempt])  # the other session ended: its lock went with it
        assert list(PgStore(pg_url).read(ATTEMPTS).frame["attempt_id"]) == ["a1"]
    finally:
        store.close()
