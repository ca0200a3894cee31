"""PostgreSQL's once-only append (the attempt id's unique constraint, one statement): new attempts go
in with their responses and certainties in order, stored ones and their children are left out,
and a bad row leaves nothing written."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from course.store import pgstore
from course.store.base import StoreError
from course.store.pgstore import PgStore
from course.store.tables import ATTEMPTS, CERTAINTY, RESPONSES
from tests.helpers.results import attempt_row, response_row


@pytest.fixture
def store(pg_url: str) -> Iterator[PgStore]:
    opened = PgStore(pg_url)
    try:
        yield opened
    finally:
        opened.close()


def drop_every_other_connection(pg_url: str) -> None:
    """Have the server end every other connection to the database (as a restart or an
    administrator would), and wait until those backends are gone."""
    with psycopg.connect(pg_url, autocommit=True) as killer:
        others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        killer.execute(f"SELECT pg_terminate_backend(pid) {others}")
        deadline = time.monotonic() + 10
        while killer.execute(f"SELECT count(*) {others}").fetchone() != (0,):
            assert time.monotonic() < deadline, "the server did not end the other connections"
            time.sleep(0.01)


def attempt(attempt_id: str) -> dict[str, object]:
    return attempt_row(attempt_id, "ada", "history", "2026-11-01", score=1, top=2, passed=False)


def test_new_attempts_go_in_with_their_children_in_order_and_stored_ones_are_left_out(store: PgStore) -> None:
    assert store.append_new(ATTEMPTS, [attempt("a1")], [(RESPONSES, [response_row("a1", "q1", "first", 1.0)])]) == {
        "a1"
    }
    responses = [response_row(a, f"q{n}", f"{a}-{n}", 1.0) for n in range(5) for a in ("a2", "a1", "a3")]
    certainty = [{"attempt_id": a, "question_id": "q0", "certainty": "3"} for a in ("a3", "a1", "a2")]
    stored = store.append_new(
        ATTEMPTS,
        [attempt("a2"), attempt("a1"), attempt("a3"), attempt("a2")],
        [(RESPONSES, responses), (CERTAINTY, certainty)],
    )
    assert stored == {"a2", "a3"}
    assert store.read(ATTEMPTS).frame["attempt_id"].tolist() == ["a1", "a2", "a3"]
    assert store.read(RESPONSES).frame["answer"].tolist() == ["first"] + [
        f"{a}-{n}" for n in range(5) for a in ("a2", "a3")
    ]
    assert store.read(CERTAINTY).frame["attempt_id"].tolist() == ["a3", "a2"]
    assert store.append_new(ATTEMPTS, [attempt("a3")], [(RESPONSES, responses)]) == set()
    assert len(store.read(RESPONSES).frame) == 11


def test_a_bad_row_leaves_nothing_written(store: PgStore) -> None:
    with pytest.raises(StoreError):
        store.append_new(
            ATTEMPTS, [attempt("a1")], [(RESPONSES, [{**response_row("a1", "q1", "x", 1.0), "points": "lots"}])]
        )
    assert store.read(ATTEMPTS).frame.empty and store.read(RESPONSES).frame.empty
    with store.lock:  # inside the lock's transaction, too
        assert store.append_new(ATTEMPTS, [attempt("a1")]) == {"a1"}
        assert store.append_new(ATTEMPTS, [attempt("a1")]) == set()
    assert store.read(ATTEMPTS).frame["attempt_id"].tolist() == ["a1"]


@pytest.mark.parametrize("goodbye", ["seen", "lost"])
def test_a_submit_after_the_server_dropped_the_pooled_connection_still_goes_in_once(
    store: PgStore, pg_url: str, monkeypatch: pytest.MonkeyPatch, goodbye: str
) -> None:
    """The server ends the pooled connections. Its goodbye on the socket makes the pool check and
    discard them ("seen"); a host that restarted sends none ("lost": here the goodbye is ignored),
    so the connection is lent unchecked, the submit fails on it and is sent again on a new one.
    Either way the attempt goes in once."""
    assert store.append_new(ATTEMPTS, [attempt("a1")]) == {"a1"}
    if goodbye == "lost":
        monkeypatch.setattr(pgstore, "_readable", lambda fd: False)
    drop_every_other_connection(pg_url)
    stored = store.append_new(
        ATTEMPTS, [attempt("a1"), attempt("a2")], [(RESPONSES, [response_row("a2", "q", "x", 1.0)])]
    )
    assert stored == {"a2"}
    assert store.read(ATTEMPTS).frame["attempt_id"].tolist() == ["a1", "a2"]
    assert len(store.read(RESPONSES).frame) == 1


def test_a_pooled_connection_is_lent_without_a_round_trip_unless_it_is_in_doubt(
    store: PgStore, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.append_new(ATTEMPTS, [attempt("a1")])  # the pool's connection has been used and returned
    checks: list[object] = []
    real_check = ConnectionPool.check_connection
    monkeypatch.setattr(
        ConnectionPool, "check_connection", staticmethod(lambda conn: (checks.append(conn), real_check(conn)))
    )
    with store.connection() as connection:  # quiet and just returned: lent as it is
        assert checks == []
        assert connection.execute("SELECT 1").fetchone() == (1,)
    monkeypatch.setattr(pgstore, "IDLE_CHECK_S", 0.0)  # idle "too long": checked with a round trip
    with store.connection() as connection:
        assert checks == [connection]
    monkeypatch.setattr(pgstore, "IDLE_CHECK_S", 30.0)
    drop_every_other_connection(pg_url)  # the server's goodbye makes the socket readable: checked, discarded
    with store.connection() as connection:  # and the new connection, just opened, is lent as it is
        dropped = checks[1:]  # every pooled connection the server dropped, each checked and discarded
        assert dropped and all(each.closed for each in dropped) and connection not in checks
        assert connection.execute("SELECT 1").fetchone() == (1,)


def test_a_read_on_a_connection_lost_without_a_goodbye_is_answered_from_another(
    store: PgStore, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.append_new(ATTEMPTS, [attempt("a1")])
    with store.connection(), store.connection(), store.connection():
        pass  # the pool now holds three connections, all to be lost at once
    monkeypatch.setattr(pgstore, "_readable", lambda fd: False)  # the goodbye is not seen
    drop_every_other_connection(pg_url)
    assert store.size(ATTEMPTS) == 1
    drop_every_other_connection(pg_url)
    store.append_new(ATTEMPTS, [attempt("a2")])  # the table changed: read copies it out again
    drop_every_other_connection(pg_url)
    assert store.read(ATTEMPTS).frame["attempt_id"].tolist() == ["a1", "a2"]


def test_a_socket_numbered_past_1024_can_be_checked() -> None:
    """A busy server has more than 1,024 files open: the check must not use ``select``."""
    resource = pytest.importorskip("resource")  # Unix: a descriptor number set by hand
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard <= 1500:
        pytest.skip(f"this machine allows only {hard} open files")
    if soft != resource.RLIM_INFINITY and soft <= 1500:  # room for descriptor 1500 (restored below)
        resource.setrlimit(resource.RLIMIT_NOFILE, (2048 if hard == resource.RLIM_INFINITY else min(2048, hard), hard))
    left, right = socket.socketpair()
    try:
        high = os.dup2(left.fileno(), 1500)
        try:
            assert pgstore._readable(high) is False
            right.send(b"goodbye")
            assert pgstore._readable(high) is True
        finally:
            os.close(high)
    finally:
        left.close()
        right.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_copy_cut_off_by_a_lost_connection_raises_the_drivers_error_not_the_parsers(pg_url: str) -> None:
    """The parser then has no rows, not even a header; the copy's error says why (the store turns
    it into its "not answering" message), where pandas alone would say "No columns to parse"."""
    connection = psycopg.connect(pg_url, autocommit=True)
    connection.close()
    with pytest.raises(psycopg.OperationalError):
        pgstore.copy_frame(connection, ATTEMPTS)
