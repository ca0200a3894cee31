"""PostgreSQL's once-only append (the attempt id's unique constraint, one statement): new attempts go
in with their responses and certainties in order, stored ones and their children are left out,
and a bad row leaves nothing written."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

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


def test_a_submit_after_the_server_dropped_the_pooled_connection_still_goes_in_once(
    store: PgStore, pg_url: str
) -> None:
    assert store.append_new(ATTEMPTS, [attempt("a1")]) == {"a1"}
    with psycopg.connect(pg_url, autocommit=True) as killer:
        killer.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    stored = store.append_new(
        ATTEMPTS, [attempt("a1"), attempt("a2")], [(RESPONSES, [response_row("a2", "q", "x", 1.0)])]
    )
    assert stored == {"a2"}
    assert store.read(ATTEMPTS).frame["attempt_id"].tolist() == ["a1", "a2"]
    assert len(store.read(RESPONSES).frame) == 1
