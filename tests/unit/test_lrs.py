"""Statements sent to a real LRS (Ralph's server from PyPI), and what happens when it is not there.

Ralph runs with its filesystem backend on a free port (tests/helpers/lrs_server.py). Statements are
read back with GET to check they arrived, once each. A down LRS (nothing on the port), a silent
one (a socket that never answers: the timeout) and a failing one (503) keep the statements in
the outbox, which a restarted sender finds and sends once the LRS is back; a statement the LRS
refuses is recorded as failed and never sent again.
"""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from course.interop.lrs import (
    SENDER_LOCK,
    CycleReport,
    LrsConfig,
    LrsSender,
    ensure_sender,
    outbox_counts,
    read_outbox,
    send_all,
    stop_senders,
)
from course.interop.xapi import course_statements
from course.store.base import TableStore
from course.store.csvstore import Store
from course.store.tables import XAPI_OUTBOX
from tests.helpers.banks import fixture_catalog
from tests.helpers.lrs_server import Ralph, agent_query, free_port, ralph_server
from tests.helpers.xapi_rows import fixture_vocabulary, write_records

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lrs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    with ralph_server(tmp_path_factory.mktemp("ralph")) as server:
        yield server


@pytest.fixture
def home(request: pytest.FixtureRequest) -> str:
    """A course address of this test's own, so its statement ids are its own in the shared LRS."""
    return f"https://meso.example/{request.node.name.replace('[', '-').replace(']', '')}"


def _sender(store: TableStore, endpoint: str, home: str, ralph: Ralph | None = None, **settings: float) -> LrsSender:
    env = {"MESO_LRS_URL": endpoint, **(ralph.env() if ralph else {})}
    env["MESO_LRS_URL"] = endpoint
    config = LrsConfig.from_env(env)
    assert config is not None
    config = LrsConfig(**{**config.__dict__, "batch": 5, **settings})
    vocabulary = fixture_vocabulary(fixture_catalog(), home)
    return LrsSender(store, config, lambda: vocabulary)


def test_statements_arrive_once_and_read_back(tmp_path: Path, lrs: Ralph, home: str) -> None:
    store = Store(tmp_path / "data")
    expected = write_records(store)
    report = send_all(_sender(store, lrs.endpoint, home, lrs))
    assert (report.error, report.waiting, report.failed) == (None, 0, 0)
    assert outbox_counts(store) == {"waiting": 0, "sent": expected, "failed": 0}
    ours = {s["id"]: s for s in course_statements(store, fixture_vocabulary(fixture_catalog(), home))}
    stored = lrs.statements(agent=agent_query(home, "ada"))
    assert sorted(s["id"] for s in stored) == sorted(ours)
    one = next(iter(ours.values()))
    back = lrs.statement(one["id"])
    for key in ("actor", "verb", "object", "result", "context"):
        assert back.get(key) == one.get(key)

    # a second sender over a fresh outbox (as after losing the outbox file) sends the same ids again:
    # the LRS keeps each statement once
    fresh = tmp_path / "copy"
    fresh.mkdir()
    for path in (tmp_path / "data").glob("*.csv"):
        if path.name != XAPI_OUTBOX.name:
            shutil.copy(path, fresh / path.name)
    again = send_all(_sender(Store(fresh), lrs.endpoint, home, lrs))
    assert (again.error, again.sent, again.failed) == (None, expected, 0)
    assert len(lrs.statements(agent=agent_query(home, "ada"))) == expected


def test_new_records_are_queued_on_the_next_round(backend: Callable[[], TableStore], lrs: Ralph, home: str) -> None:
    """On either backend the sender follows the tables by position: a round queues only what is new."""
    store = backend()
    write_records(store, learner="ada")
    sender = _sender(store, lrs.endpoint, home, lrs)
    first = send_all(sender)
    write_records(store, learner="bob")
    second = send_all(sender)
    assert first.sent == second.sent > 0 and second.waiting == 0
    assert len(lrs.statements(agent=agent_query(home, "bob"))) == second.sent
    assert outbox_counts(store) == {"waiting": 0, "sent": 2 * first.sent, "failed": 0}
    assert send_all(sender).queued == 0  # nothing new: nothing queued twice

    other = _sender(backend(), lrs.endpoint, home, lrs)  # another process's sender on the same data
    with store.exclusive(SENDER_LOCK) as mine:
        assert mine
        assert other.cycle().skipped  # only one sender at a time, across processes (and replicas)
    assert other.cycle() == CycleReport()  # it starts from the outbox: nothing to queue or send


def test_lrs_down_then_up(tmp_path: Path, home: str) -> None:
    store = Store(tmp_path / "data")
    expected = write_records(store)
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}/xAPI"
    down = _sender(store, endpoint, home)
    report = down.cycle()
    assert report.error is not None and "Connection" in report.error
    assert (report.queued, report.sent, report.waiting) == (expected, 0, expected)
    assert down.delay() == 2.0  # it backs off
    down.cycle()
    assert down.delay() == 4.0
    assert read_outbox(store).sent == frozenset()

    with ralph_server(tmp_path / "ralph", port=port, home=home) as lrs:
        restarted = _sender(Store(tmp_path / "data"), endpoint, home, lrs)  # a new process: only the outbox remains
        report = send_all(restarted)
        assert (report.error, report.queued, report.sent, report.waiting) == (None, 0, expected, 0)
        assert len(lrs.statements(agent=agent_query(home, "ada"))) == expected
    assert restarted.delay() == restarted.config.interval_s


def test_a_statement_the_lrs_refuses_is_recorded_not_retried(tmp_path: Path, lrs: Ralph, home: str) -> None:
    store = Store(tmp_path)
    expected = write_records(store)
    sender = _sender(store, lrs.endpoint, home, lrs)
    sender.queue_new()
    bad = {
        "id": "3c8a7e4c-1b1e-4f43-9d0e-4e8d2b2c0a11",
        "actor": {"name": "nobody"},
        "verb": {"id": "not an IRI"},
        "object": {},
    }
    store.append(
        XAPI_OUTBOX,
        [
            {
                "statement_id": bad["id"],
                "event": "queued",
                "at": "2026-03-05T00:00:00+00:00",
                "detail": "",
                "statement": json.dumps(bad),
            }
        ],
    )
    report = send_all(sender)
    assert (report.error, report.sent, report.failed, report.waiting) == (None, expected, 1, 0)
    state = read_outbox(store)
    assert state.failed[bad["id"]].startswith("HTTP 4")
    assert send_all(sender).sent == 0
    failed_rows = [r for r in store.read(XAPI_OUTBOX).frame.to_dict("records") if r["event"] == "failed"]
    assert len(failed_rows) == 1  # refused once, never sent again


class _Silent:
    """A socket that accepts connections and never answers: a hung LRS."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def close(self) -> None:
        self.sock.close()


class _Unavailable(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(503)
        self.end_headers()
        self.wfile.write(b"maintenance")

    def log_message(self, *args: object) -> None:
        pass


def test_a_slow_lrs_times_out_and_statements_wait(tmp_path: Path, home: str) -> None:
    store = Store(tmp_path)
    expected = write_records(store)
    silent = _Silent()
    try:
        sender = _sender(store, f"http://127.0.0.1:{silent.port}/xAPI", home, timeout_s=1.0)
        started = time.monotonic()
        report = sender.cycle()
        assert time.monotonic() - started < 10
        assert report.error is not None and "Timeout" in report.error
        assert report.waiting == expected and read_outbox(store).sent == frozenset()
    finally:
        silent.close()


def test_a_failing_lrs_keeps_statements_waiting(tmp_path: Path, home: str) -> None:
    store = Store(tmp_path)
    expected = write_records(store)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Unavailable)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        sender = _sender(store, f"http://127.0.0.1:{server.server_address[1]}/xAPI", home)
        report = sender.cycle()
        assert report.error == "HTTP 503: maintenance"
        assert (report.sent, report.failed, report.waiting) == (0, 0, expected)
    finally:
        server.shutdown()
        server.server_close()


def test_the_background_sender_never_blocks_and_delivers(tmp_path: Path, lrs: Ralph, home: str) -> None:
    silent = _Silent()
    try:
        started = time.monotonic()
        blocked = ensure_sender(tmp_path / "hung", {"MESO_LRS_URL": f"http://127.0.0.1:{silent.port}/xAPI"})
        assert blocked is not None and time.monotonic() - started < 0.5  # the caller (a page) does not wait
    finally:
        stop_senders()
        silent.close()
    data = tmp_path / "data"
    store = Store(data)
    expected = write_records(store)
    env = {**lrs.env(), "MESO_LRS_INTERVAL": "0.2"}
    vocabulary = fixture_vocabulary(fixture_catalog(), home)
    sender = ensure_sender(data, env, lambda: vocabulary)
    assert sender is not None and ensure_sender(data, env) is sender  # one per process and folder
    try:
        deadline = time.monotonic() + 60
        while outbox_counts(store)["sent"] < expected and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop_senders()
    assert outbox_counts(store) == {"waiting": 0, "sent": expected, "failed": 0}
    assert len(lrs.statements(agent=agent_query(home, "ada"))) == expected


SENDER_SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
from course.interop.lrs import LrsConfig, LrsSender, send_all
from course.store.csvstore import Store
from course.store.pgstore import PgStore
from tests.helpers.banks import fixture_catalog
from tests.helpers.xapi_rows import fixture_vocabulary
vocabulary = fixture_vocabulary(fixture_catalog(), {home!r})
config = LrsConfig(**{{**LrsConfig.from_env({env!r}).__dict__, "batch": 3}})
sender = LrsSender({opener}, config, lambda: vocabulary)
reports = [send_all(sender) for _ in range(3)]
print(json.dumps([r.sent for r in reports]))
"""


@pytest.mark.parametrize("kind", ["csv", "pg"])
def test_two_server_processes_send_each_statement_once(
    tmp_path: Path, lrs: Ralph, home: str, kind: str, request: pytest.FixtureRequest
) -> None:
    """Two processes (two app servers) on one data folder, or two replicas on one database: each
    statement is queued and sent once."""
    import subprocess
    import sys

    from course.store.pgstore import PgStore

    root = str(Path(__file__).resolve().parents[2])
    if kind == "csv":
        store: TableStore = Store(tmp_path)
        opener = f"Store({str(tmp_path)!r})"
    else:
        url = request.getfixturevalue("pg_url")
        store = PgStore(url)
        request.addfinalizer(store.close)
        opener = f"PgStore({url!r})"
    expected = write_records(store)
    script = SENDER_SCRIPT.format(root=root, home=home, env=lrs.env(), opener=opener)
    children = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, cwd=root) for _ in range(2)]
    sent = [sum(json.loads(child.communicate(timeout=120)[0])) for child in children]
    assert all(child.returncode == 0 for child in children)
    assert sum(sent) == expected
    rows = store.read(XAPI_OUTBOX).frame
    for event in ("queued", "sent"):
        assert rows[rows["event"] == event]["statement_id"].value_counts().max() == 1
        assert (rows["event"] == event).sum() == expected
    assert len(lrs.statements(agent=agent_query(home, "ada"))) == expected
