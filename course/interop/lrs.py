"""Sending xAPI statements to a learning record store, in the background, through an outbox.

When ``MESO_LRS_URL`` names an LRS's xAPI endpoint (``https://lrs.example/xAPI``, with
``MESO_LRS_USERNAME`` and ``MESO_LRS_PASSWORD`` for HTTP Basic authentication), a sender thread
in each server process:

1. **queues** every statement the stored records give (:func:`course.interop.xapi.course_statements`)
   that the outbox does not hold yet: one ``queued`` row per statement, with the statement as it
   was then (``xapi_outbox.csv``, appended through the store like every table, never rewritten);
2. **sends** the queued statements that have neither a ``sent`` nor a ``failed`` row, in batches
   (``POST <endpoint>/statements`` with ``X-Experience-API-Version: 1.0.3``), and appends a
   ``sent`` row for each statement the LRS took;
3. on a **down, slow or failing LRS** (no connection, no answer within ``MESO_LRS_TIMEOUT``
   seconds, a 5xx, 401, 403, 404, 408 or 429) it stops, waits (2 s, doubling, at most 5 minutes)
   and tries again; the statements stay queued, and a restart finds them in the outbox;
4. when the LRS **refuses a batch** (another 4xx), it sends that batch one statement at a time:
   a statement the LRS refuses on its own gets a ``failed`` row with the LRS's answer and is not
   sent again; the others go through.

The page never waits: the sender is a daemon thread, and only one process sends at a time (a
file lock beside the data). Statement ids are UUID 5 of the stored rows, so a statement sent
twice (a crash between the POST and the ``sent`` row) is the same statement, which an LRS keeps once.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import requests

from course.clock import now_utc
from course.interop.xapi import SOURCES, XAPI_VERSION, Vocabulary, build_statements, course_vocabulary
from course.store.base import StoreError, TableStore
from course.store.factory import open_store
from course.store.tables import XAPI_OUTBOX

log = logging.getLogger(__name__)

SENDER_LOCK = "xapi-sender"  # the lock file xapi-sender.lock with CSV, an advisory lock with PostgreSQL
TRANSIENT = frozenset({401, 403, 404, 408, 425, 429})  # wait and retry: the LRS or its set-up will change
MAX_DETAIL = 300


@dataclass(frozen=True)
class LrsConfig:
    """Where and how to send: from the environment (:meth:`from_env`)."""

    endpoint: str  # the xAPI endpoint, without the trailing "/statements"
    username: str | None = None
    password: str | None = None
    timeout_s: float = 10.0
    batch: int = 50
    interval_s: float = 5.0
    max_backoff_s: float = 300.0

    @property
    def statements_url(self) -> str:
        return f"{self.endpoint}/statements"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LrsConfig | None:
        """The LRS the environment names (None without ``MESO_LRS_URL``).

        >>> LrsConfig.from_env({"MESO_LRS_URL": "http://lrs:8100/xAPI/statements/"}).statements_url
        'http://lrs:8100/xAPI/statements'
        >>> LrsConfig.from_env({}) is None
        True
        """
        env = os.environ if env is None else env
        url = env.get("MESO_LRS_URL", "").strip().rstrip("/")
        if not url:
            return None
        url = url.removesuffix("/statements")
        return cls(
            endpoint=url,
            username=env.get("MESO_LRS_USERNAME") or None,
            password=env.get("MESO_LRS_PASSWORD") or None,
            timeout_s=float(env.get("MESO_LRS_TIMEOUT", "10")),
            batch=max(1, int(env.get("MESO_LRS_BATCH", "50"))),
            interval_s=float(env.get("MESO_LRS_INTERVAL", "5")),
        )


@dataclass(frozen=True)
class OutboxState:
    """The outbox replayed: every queued statement in order, and what became of each."""

    queued: dict[str, str] = field(default_factory=dict)  # id -> the statement's JSON, in queue order
    sent: frozenset[str] = frozenset()
    failed: dict[str, str] = field(default_factory=dict)  # id -> why the LRS refused it

    @property
    def pending(self) -> list[tuple[str, str]]:
        return [(i, s) for i, s in self.queued.items() if i not in self.sent and i not in self.failed]


def read_outbox(store: TableStore) -> OutboxState:
    """Replay the outbox (for the tutors' page and the tests; the sender follows it by position)."""
    queued: dict[str, str] = {}
    sent: set[str] = set()
    failed: dict[str, str] = {}
    frame = store.read(XAPI_OUTBOX).frame
    for sid, event, detail, body in zip(
        frame["statement_id"], frame["event"], frame["detail"], frame["statement"], strict=True
    ):
        if event == "queued" and sid not in queued:
            queued[str(sid)] = str(body)
        elif event == "sent":
            sent.add(str(sid))
        elif event == "failed":
            failed[str(sid)] = detail if isinstance(detail, str) else ""  # an empty cell reads as NaN
    return OutboxState(queued, frozenset(sent), failed)


def outbox_counts(store: TableStore) -> dict[str, int]:
    """How many statements are waiting, sent and refused (for the tutors' page)."""
    state = read_outbox(store)
    return {"waiting": len(state.pending), "sent": len(state.sent), "failed": len(state.failed)}


class TransientError(Exception):
    """The LRS cannot take statements now (down, slow, 5xx, auth): wait and try again."""


@dataclass
class CycleReport:
    """What one cycle did (for logs and tests)."""

    queued: int = 0
    sent: int = 0
    failed: int = 0
    waiting: int = 0
    error: str | None = None
    skipped: bool = False  # another process held the sender lock


class LrsSender:
    """Queue and send a data folder's statements to one LRS; :meth:`cycle` does one round.

    It follows the tables and the outbox by position (:meth:`TableStore.rows_between`: a byte
    offset in a CSV file, the ``_seq`` of a PostgreSQL row), so a round
    reads only what was appended since the last one: the first round of a process reads
    everything once, later rounds only the new rows. The offsets of the source tables are taken
    at one moment under the store's lock, when every table ends at a commit, so an attempt's
    answers always arrive with it.
    """

    def __init__(
        self,
        store: TableStore,
        config: LrsConfig,
        vocabulary: Callable[[], Vocabulary] = course_vocabulary,
        session: requests.Session | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.vocabulary = vocabulary
        self.session = session or requests.Session()
        if config.username is not None:
            self.session.auth = (config.username, config.password or "")
        self.session.headers.update({"X-Experience-API-Version": XAPI_VERSION, "Content-Type": "application/json"})
        self._read: dict[str, int] = {t.name: 0 for t in SOURCES}  # bytes of each source table turned into statements
        self._outbox_read = 0
        self._known: set[str] = set()  # every id the outbox has queued
        self._settled: set[str] = set()  # sent or failed
        self._pending: dict[str, str] = {}  # id -> statement JSON, waiting, in queue order
        self.failures = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- one round -----------------------------------------------------------------------

    def cycle(self) -> CycleReport:
        """Queue what is new, then send what waits; never raises for an LRS problem."""
        with self.store.exclusive(SENDER_LOCK) as mine:
            if not mine:
                return CycleReport(skipped=True)
            report = CycleReport(queued=self.queue_new())
            pending = list(self._pending.items())
            try:
                for start in range(0, len(pending), self.config.batch):
                    sent, failed = self._send_batch(pending[start : start + self.config.batch])
                    report.sent += sent
                    report.failed += failed
                self.failures = 0
            except TransientError as exc:
                self.failures += 1
                report.error = str(exc)
                log.warning("LRS not reachable, statements wait in the outbox: %s", exc)
            report.waiting = len(self._pending)
            return report

    def queue_new(self) -> int:
        """Append a ``queued`` row for each statement of the rows stored since the last round
        that the outbox does not hold yet (all of them on a process's first round)."""
        with self.store.lock:  # a moment when every table ends at a commit
            ends = {t.name: self.store.size(t) for t in SOURCES}
        self._follow_outbox()
        if all(ends[name] <= done for name, done in self._read.items()):
            return 0
        tables = {}
        for table in SOURCES:
            tables[table.name], self._read[table.name] = self.store.rows_between(
                table, self._read[table.name], ends[table.name]
            )
        fresh = [s for s in build_statements(tables, self.vocabulary()) if s["id"] not in self._known]
        at = now_utc()
        rows = [
            {
                "statement_id": s["id"],
                "event": "queued",
                "at": at,
                "detail": "",
                "statement": json.dumps(s, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
            }
            for s in fresh
        ]
        self.store.append(XAPI_OUTBOX, rows)
        self._follow_outbox()
        return len(rows)

    def _follow_outbox(self) -> None:
        """Take in the outbox rows appended since the last look (by any process)."""
        rows, self._outbox_read = self.store.rows_between(XAPI_OUTBOX, self._outbox_read)
        for row in rows:
            sid = row["statement_id"]
            if row["event"] == "queued":
                self._known.add(sid)
                if sid not in self._settled:
                    self._pending.setdefault(sid, row["statement"])
            elif row["event"] in ("sent", "failed"):
                self._settled.add(sid)
                self._pending.pop(sid, None)

    def _send_batch(self, batch: Sequence[tuple[str, str]]) -> tuple[int, int]:
        """POST one batch; on a refusal, each statement alone. Returns (sent, failed)."""
        status, text = self._post([body for _, body in batch])
        if status < 300:
            self._record([i for i, _ in batch], "sent", str(status))
            return len(batch), 0
        if len(batch) == 1:
            self._record([batch[0][0]], "failed", f"HTTP {status}: {text}"[:MAX_DETAIL])
            return 0, 1
        sent = failed = 0
        for one in batch:
            s, f = self._send_batch([one])
            sent, failed = sent + s, failed + f
        return sent, failed

    def _post(self, bodies: list[str]) -> tuple[int, str]:
        """The LRS's status and text; :class:`TransientError` for what a wait may cure."""
        try:
            reply = self.session.post(
                self.config.statements_url,
                data=("[" + ",".join(bodies) + "]").encode("utf-8"),
                timeout=(3.0, self.config.timeout_s),
            )
        except requests.RequestException as exc:
            raise TransientError(f"{type(exc).__name__}: {exc}"[:MAX_DETAIL]) from exc
        if reply.status_code >= 500 or reply.status_code in TRANSIENT:
            raise TransientError(f"HTTP {reply.status_code}: {reply.text[:200]}")
        return reply.status_code, reply.text[:200]

    def _record(self, ids: Sequence[str], event: str, detail: str) -> None:
        at = now_utc()
        self.store.append(
            XAPI_OUTBOX, [{"statement_id": i, "event": event, "at": at, "detail": detail, "statement": ""} for i in ids]
        )
        self._follow_outbox()

    # --- in the background -------------------------------------------------------------------

    def delay(self) -> float:
        """Seconds to the next round: the interval, or the backoff after failures."""
        if not self.failures:
            return self.config.interval_s
        return float(min(self.config.max_backoff_s, 2.0 ** min(self.failures, 20)))

    def start(self) -> None:
        """Run rounds in a daemon thread until :meth:`stop` (or the process ends)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="meso-lrs-sender", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.cycle()
            except Exception:  # a store problem (full disk...): log it, keep the thread for the next round
                log.exception("LRS sender round failed")
                self.failures += 1
            self._stop.wait(self.delay())


_SENDERS: dict[str, LrsSender] = {}
_SENDERS_GUARD = threading.Lock()


def ensure_sender(
    folder: Path | None = None,
    env: Mapping[str, str] | None = None,
    vocabulary: Callable[[], Vocabulary] = course_vocabulary,
) -> LrsSender | None:
    """Start this process's sender once, when ``MESO_LRS_URL`` is set, for the store the course
    uses (:func:`course.store.factory.open_store`: the database ``MESO_DATABASE_URL`` names, else
    the CSV ``folder``, by default the data folder).

    Cheap to call on every page run: after the first call it is a dictionary look-up.
    """
    config = LrsConfig.from_env(env)
    if config is None:
        return None
    try:
        store = open_store(folder=folder)
    except StoreError as exc:  # the page that opens the store says so; the sender tries again next run
        log.warning("LRS sender not started: %s", exc)
        return None
    key = f"{store.where}|{config.statements_url}"
    with _SENDERS_GUARD:
        sender = _SENDERS.get(key)
        if sender is None:
            sender = _SENDERS[key] = LrsSender(store, config, vocabulary)
        sender.start()
    return sender


def stop_senders() -> None:
    """Stop every sender this process started (tests)."""
    with _SENDERS_GUARD:
        for sender in _SENDERS.values():
            sender.stop()
        _SENDERS.clear()


def send_all(sender: LrsSender, rounds: int = 20) -> CycleReport:
    """Run rounds until nothing waits or a round fails (the CLI and tests)."""
    report = sender.cycle()
    for _ in range(rounds):
        if not report.waiting or report.error or report.skipped:
            break
        report = sender.cycle()
    return report
