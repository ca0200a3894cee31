"""The course's tables in PostgreSQL (chosen with ``MESO_DATABASE_URL=postgresql://...``).

The same rules as the CSV store, held by the database instead of a folder lock:

* **Append only.** Rows are inserted (``COPY ... FROM STDIN``), never updated or deleted; each
  table's ``_seq`` identity column keeps the order they were appended in.
* **One lock, one transaction.** Every write takes one transaction-scoped advisory lock (the
  folder lock's counterpart, shared by every replica). :attr:`PgStore.lock` opens a transaction
  holding it and every read and write of that thread inside the block runs in it, so "check
  that this attempt is new, then append it" is one step on every machine, and the block's rows
  are committed together or not at all. A table's ``key`` (an attempt's id) is also a unique
  constraint, so a second copy of an attempt is refused even by a writer that did not check.
* **A submit is one statement.** :meth:`PgStore.append_new` lets that constraint be the
  once-only check (``INSERT ... ON CONFLICT DO NOTHING``, the responses and certainties of the
  inserted attempts in the same statement) and sends begin, lock, insert and commit in one
  flight (pipeline mode), where the checked path took a dozen round trips under the lock.
* **Same reads.** :meth:`PgStore.read` copies the table out as CSV (``COPY ... TO STDOUT``) and
  parses it as the CSV store does (while it still arrives, through a pipe), so frames have the
  same columns and dtypes; it is cached while the table's last ``_seq`` is unchanged. Writers
  hold the lock while they commit, so rows become visible in ``_seq`` order and that number is a
  faithful version.
* **Messages.** A database that cannot be reached, a lost connection or a schema older than the
  course needs is a :class:`~course.store.base.StoreError` whose message says what to run, and
  never shows the password of the address.
* **A database that goes down** is reported within about a second, not after the pool's full
  wait: when no connection comes within :data:`FIRST_WAIT_S` while none is in use, a direct
  connection is tried, and if that fails the store says the database cannot be reached (and
  keeps saying so at once for :data:`DOWN_MEMORY_S`, so a page's several reads do not each
  wait). The pool gives up a dead connection's reconnection attempts after
  :data:`RECONNECT_S`, so once the server is back the next request connects at once instead of
  waiting out a long back-off.
* **A pooled connection is checked only when in doubt** (:func:`_check_if_doubtful`): one the
  server closed has a readable socket (its goodbye), so a quiet one that was in use a moment ago
  is lent without the check's round trip, and a submit is one round trip instead of two. A
  connection lost without a goodbye (the server's host restarted, a firewall reset it) fails
  on its first use instead; the pool's connections are then renewed and the reads and
  :meth:`PgStore.append_new` (the key's unique constraint keeps a resend safe) are tried once
  more (:func:`_once_more_if_lost`).
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import re
import select
import threading
import time
import warnings
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, Concatenate, ParamSpec, TypeVar

import pandas as pd
import psycopg
from psycopg import sql
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool, PoolTimeout

from course.store.base import HeaderMismatch, ReadResult, StoreError, empty_frame
from course.store.schema import SEQ, sql_name
from course.store.tables import Table

LOCK_KEY = 0x4D65736F  # "Meso": the advisory lock every writer of this database takes
LOCK_TIMEOUT_S = 10.0
CONNECT_TIMEOUT_S = 5.0
POOL_SIZE = 10
FIRST_WAIT_S = 1.0  # no connection after this long, none in use: check whether the server is there
DOWN_MEMORY_S = 2.0  # after finding it down, say so at once for this long
UNREACHABLE = "the course's database is not answering right now"
UPDATE_NEEDED = "the course's database needs an update before this version of the course can use it"
RECONNECT_S = 3.0  # the pool stops retrying a lost connection after this long (a new request retries)
IDLE_CHECK_S = 30.0  # a pooled connection idle longer than this is checked with a round trip


_ready_at: weakref.WeakKeyDictionary[psycopg.Connection[TupleRow], float] = weakref.WeakKeyDictionary()


def _note_ready(connection: psycopg.Connection[TupleRow]) -> None:
    """Remember when the connection was opened (the pool's configure callback) or last went
    back to the pool (:meth:`PgStore._pooled`)."""
    _ready_at[connection] = time.monotonic()


def _readable(fd: int) -> bool:
    """Whether the socket has something to read now (``poll``: ``select`` refuses a descriptor
    numbered 1024 or more, which a busy server reaches; Windows has no ``poll``)."""
    if not hasattr(select, "poll"):
        return bool(select.select([fd], [], [], 0)[0])
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


def _check_if_doubtful(connection: psycopg.Connection[TupleRow]) -> None:
    """The pool's check before lending a connection, without a round trip when it can be spared.

    An idle connection has nothing to read: a server that drops it (restarted, or
    ``pg_terminate_backend``) first sends its goodbye and closes the socket, which makes the
    socket readable. So a connection whose socket is quiet and that was opened or in use less
    than :data:`IDLE_CHECK_S` ago is lent as it is; any other is checked with a round trip
    (``ConnectionPool.check_connection``, which raises for a dead one so the pool discards it).
    A submit saves one of its two round trips this way.
    """
    if connection.closed:
        ConnectionPool.check_connection(connection)  # raises: the pool discards it
    quiet = not _readable(connection.fileno())
    recent = time.monotonic() - _ready_at.get(connection, float("-inf")) < IDLE_CHECK_S
    if not (quiet and recent):
        ConnectionPool.check_connection(connection)


class SchemaOutdated(StoreError):
    """The database's schema is not the one this version of the course needs."""


class DuplicateKey(StoreError):
    """A row whose key (an attempt id, a case run id) is stored already."""


def mask_url(url: str) -> str:
    """A database address fit to print: the password, if any, replaced by ``***``.

    >>> mask_url("postgresql://meso:s3cret@db.example:5432/meso")
    'postgresql://meso:***@db.example:5432/meso'
    >>> mask_url("host=/tmp dbname=meso password=s3cret user=meso")
    'host=/tmp dbname=meso password=*** user=meso'
    >>> mask_url("postgresql:///meso?host=/tmp&password=s3cret")
    'postgresql:///meso?host=/tmp&password=***'
    """
    if "://" not in url:
        return re.sub(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", r"\1***", url)
    url = re.sub(r"^([a-z]+://[^:/?#@]*):[^/?#]*@", r"\1:***@", url)
    return re.sub(r"([?&]password=)[^&#]*", r"\1***", url)


def _password(url: str) -> str | None:
    try:
        password = psycopg.conninfo.conninfo_to_dict(url).get("password")
    except psycopg.ProgrammingError:
        return None
    return None if password is None else str(password)


_P = ParamSpec("_P")
_T = TypeVar("_T")


def _once_more_if_lost(
    method: Callable[Concatenate[PgStore, _P], _T],
) -> Callable[Concatenate[PgStore, _P], _T]:
    """A call that failed on a lost connection is tried once more, on a new one.

    A pooled connection is lent without a round trip when its socket is quiet
    (:func:`_check_if_doubtful`); one the server lost without a goodbye (its host restarted, a
    firewall reset it) fails on first use. The pool's connections are then renewed
    (:meth:`PgStore._lost_connection`) and the call made again. Only for calls that are safe to
    repeat: the reads, and :meth:`PgStore.append_new`, whose key's unique constraint leaves out
    what the first try stored. Never inside :attr:`PgStore.lock` (its transaction is gone). A
    server that is down fails again at once (:data:`DOWN_MEMORY_S`).
    """

    @functools.wraps(method)
    def again(store: PgStore, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return method(store, *args, **kwargs)
        except StoreError as exc:
            if store._held() is not None or not isinstance(exc.__cause__, psycopg.OperationalError):
                raise
            store._lost_connection()
            return method(store, *args, **kwargs)

    return again


@dataclass
class _Held:
    """The lock's transaction on this thread: its connection and how deep the ``with`` nests."""

    connection: psycopg.Connection[TupleRow]
    depth: int = 1


@dataclass
class PgStore:
    """The course's tables in one PostgreSQL database (one connection pool per process)."""

    url: str
    _pool: ConnectionPool = field(init=False, repr=False)
    _local: threading.local = field(init=False, repr=False)
    _cache: dict[str, tuple[tuple[int, ...], ReadResult]] = field(init=False, repr=False)
    _checked: set[str] = field(init=False, repr=False)
    _guard: threading.Lock = field(init=False, repr=False)
    _in_use: int = field(init=False, repr=False, default=0)
    _down_until: float = field(init=False, repr=False, default=0.0)

    def __post_init__(self) -> None:
        self._local = threading.local()
        self._cache = {}
        self._checked = set()
        self._guard = threading.Lock()
        self._pool = ConnectionPool(
            self.url,
            min_size=1,
            max_size=POOL_SIZE,
            # every wait for a lock (the store's advisory lock above all) gives up after
            # LOCK_TIMEOUT_S: set once per connection, not again in every transaction
            kwargs={
                "autocommit": True,
                "connect_timeout": int(CONNECT_TIMEOUT_S),
                "options": f"-c lock_timeout={int(LOCK_TIMEOUT_S * 1000)}",
            },
            check=_check_if_doubtful,
            # no ``reset`` callback: with one the pool hands every returned connection to a
            # worker thread instead of taking it back at once (see _pooled for the time stamp)
            configure=_note_ready,
            timeout=LOCK_TIMEOUT_S,
            reconnect_timeout=RECONNECT_S,
            open=False,
            name="meso",
        )
        try:
            self._pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
        except PoolTimeout as exc:
            self._pool.close()
            raise self._unreachable() from exc

    # --- messages ----------------------------------------------------------------------

    @property
    def where(self) -> str:
        """The database's address without its password."""
        return mask_url(self.url)

    def _unreachable(self, detail: str = "") -> StoreError:
        """The error for a server that does not answer: a plain message for learners, and the
        address (password masked) with the command to check it for whoever runs the course."""
        hint = f" ({self._scrub(detail)})" if detail else ""
        # the address and the command in backticks: pages show the detail as Markdown, where
        # the masked password's *** would otherwise turn into emphasis and vanish
        return StoreError(
            UNREACHABLE,
            detail=(
                f"the database at `{self.where}` cannot be reached{hint}. "
                f"Check that PostgreSQL is running and accepts this address: `pg_isready -d '{self.where}'`"
            ),
        )

    def _scrub(self, text: str) -> str:
        password = _password(self.url)
        text = text.strip().splitlines()[0] if text.strip() else text
        return text.replace(password, "***") if password else text

    @contextlib.contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """Turn the driver's errors into :class:`StoreError` messages a page can show."""
        try:
            yield
        except StoreError:
            raise
        except psycopg.errors.UniqueViolation as exc:
            raise DuplicateKey(f"{what}: a row with this key is stored already") from exc
        except psycopg.errors.LockNotAvailable as exc:
            raise StoreError(
                f"the database is busy (another save has held it for over {LOCK_TIMEOUT_S:.0f} s); please try again"
            ) from exc
        except psycopg.errors.UndefinedTable as exc:
            raise SchemaOutdated(
                UPDATE_NEEDED, detail=f"{what}: the database has no such table; run: python -m course db upgrade"
            ) from exc
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise self._unreachable(str(exc)) from exc
        except psycopg.Error as exc:
            raise StoreError(f"{what}: {self._scrub(str(exc))}") from exc

    # --- connections and the lock --------------------------------------------------------

    def _held(self) -> _Held | None:
        held: _Held | None = getattr(self._local, "held", None)
        return held

    @contextlib.contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[TupleRow]]:
        """The lock's connection when this thread holds it, else one from the pool."""
        held = self._held()
        if held is not None:
            yield held.connection
            return
        with self._pooled() as connection:
            yield connection

    @contextlib.contextmanager
    def _pooled(self) -> Iterator[psycopg.Connection[TupleRow]]:
        """A connection from the pool (what ``pool.connection()`` does), failing fast when the
        server is down rather than after the pool's full wait."""
        connection = self._getconn()
        with self._guard:
            self._in_use += 1
        try:
            with connection:
                yield connection
        finally:
            with self._guard:
                self._in_use -= 1
            _note_ready(connection)
            self._pool.putconn(connection)

    def _lost_connection(self) -> None:
        """A connection turned out to be lost: the others in the pool most likely are too (a
        server that restarted loses them all), so the pool replaces every one (those in use
        when they come back), and the next request gets a new connection."""
        self._pool.drain()

    def _getconn(self) -> psycopg.Connection[TupleRow]:
        if time.monotonic() < self._down_until:
            raise self._unreachable("it was not answering a moment ago")
        try:
            return self._pool.getconn(timeout=FIRST_WAIT_S)
        except PoolTimeout:
            with self._guard:
                busy = self._in_use > 0
            if not busy:  # nobody holds a connection, yet none came: is the server there at all?
                self._probe()
            return self._pool.getconn(timeout=LOCK_TIMEOUT_S - FIRST_WAIT_S)

    def _probe(self) -> None:
        """Connect once, outside the pool; raise the "cannot be reached" error if that fails."""
        try:
            psycopg.connect(self.url, connect_timeout=int(CONNECT_TIMEOUT_S)).close()
        except psycopg.Error as exc:
            self._down_until = time.monotonic() + DOWN_MEMORY_S
            raise self._unreachable(str(exc)) from exc

    def connection(self) -> contextlib.AbstractContextManager[psycopg.Connection[TupleRow]]:
        """A connection for a raw query (the lock's when this thread holds it); for tools and benchmarks."""
        return self._connection()

    @property
    def lock(self) -> contextlib.AbstractContextManager[None]:
        """One transaction holding the store-wide advisory lock; reentrant on one thread.

        Everything this thread reads and writes inside the block runs in that transaction and is
        committed when the block ends (rolled back if it raises), so no other writer, in this
        process or another replica, can slip in between a check and the append it guards.
        """
        return self._locked()

    @property
    def holds_lock(self) -> bool:
        return self._held() is not None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        held = self._held()
        if held is not None:
            held.depth += 1
            try:
                yield
            finally:
                held.depth -= 1
            return
        with (
            self._errors("the save could not start"),
            self._pooled() as connection,
            connection.transaction(),
        ):
            _take_lock(connection)
            self._local.held = _Held(connection)
            try:
                yield
            finally:
                self._local.held = None

    @contextlib.contextmanager
    def _writing(self) -> Iterator[psycopg.Connection[TupleRow]]:
        """A transaction for one write: a savepoint inside the lock's, else its own holding the lock."""
        with self._connection() as connection, connection.transaction():
            if self._held() is None:
                _take_lock(connection)
            yield connection

    # --- writing -----------------------------------------------------------------------

    def append(self, table: Table, rows: Sequence[Mapping[str, object]]) -> None:
        """Insert rows into one table in one transaction."""
        self.append_many([(table, rows)])

    def append_many(self, batches: Sequence[tuple[Table, Sequence[Mapping[str, object]]]]) -> None:
        """Insert into several tables in one transaction: all the rows, or none."""
        batches = [(t, rows) for t, rows in batches if rows]
        if not batches:
            return
        for table, rows in batches:
            for row in rows:
                missing = set(table.columns) - row.keys()
                if missing:
                    raise ValueError(f"{table.name}: row lacks {sorted(missing)}")
        names = ", ".join(t.name for t, _ in batches)
        with self._errors(f"could not save to {names}"), self._writing() as connection:
            for table, rows in batches:
                self._check_columns(connection, table)
                _copy_in(connection, table, rows)

    @_once_more_if_lost
    def append_new(
        self,
        table: Table,
        rows: Sequence[Mapping[str, object]],
        children: Sequence[tuple[Table, Sequence[Mapping[str, object]]]] = (),
    ) -> set[str]:
        """Insert the rows whose key is new, and the child rows of those, in one statement.

        The table's unique constraint is the once-only check (``INSERT ... ON CONFLICT DO
        NOTHING``), so no "is it stored?" query runs first, and the children (rows whose column
        named like ``table.key`` holds an inserted key) go in through the same statement, in
        the order given. The whole write is sent at once (pipeline mode: lock, insert, commit
        without waiting for each reply), one transaction under the store's lock, which is kept
        so rows still become visible in ``_seq`` order. Returns the keys inserted.
        """
        key = table.key
        if key is None:
            raise ValueError(f"{table.name} has no key")
        children = [(t, r) for t, r in children if r]
        for each, each_rows in [(table, rows), *children]:
            if key not in each.columns:
                raise ValueError(f"{each.name} has no column {key!r}")
            for row in each_rows:
                missing = set(each.columns) - row.keys()
                if missing:
                    raise ValueError(f"{each.name}: row lacks {sorted(missing)}")
        unique: dict[str, Mapping[str, object]] = {}
        for row in rows:
            unique.setdefault(_cell(row[key]), row)
        if not unique:
            return set()
        chosen = list(unique.values())
        params = [
            json.dumps([[_cell(row[c]) for c in each.columns] for row in each_rows])
            for each, each_rows in [(table, chosen), *children]
        ]
        names = ", ".join(t.name for t, _ in [(table, rows), *children])
        with self._errors(f"could not save to {names}"), self._connection() as connection:
            for each, _ in [(table, rows), *children]:
                self._check_columns(connection, each)
            statement = _insert_new(table, tuple(t for t, _ in children))
            if self._held() is not None:  # inside the lock's transaction: a savepoint of it
                with connection.transaction():
                    found = connection.execute(statement, params).fetchall()
                return {str(row[0]) for row in found}
            try:
                with connection.pipeline():  # one flight: begin, lock, insert, commit
                    connection.execute("BEGIN")
                    connection.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
                    cursor = connection.execute(statement, params)
                    connection.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(psycopg.Error):
                    connection.execute("ROLLBACK")
                raise
            return {str(row[0]) for row in cursor.fetchall()}

    def _check_columns(self, connection: psycopg.Connection[TupleRow], table: Table) -> None:
        """Refuse a table whose columns differ from the course's (the CSV header check)."""
        if table.name in self._checked:
            return
        found = [
            str(row[0])
            for row in connection.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = %s AND column_name <> %s"
                " ORDER BY ordinal_position",
                (sql_name(table), SEQ),
            )
        ]
        if not found:
            raise SchemaOutdated(
                UPDATE_NEEDED,
                detail=f"the database has no table {sql_name(table)!r}; run: python -m course db upgrade",
            )
        if tuple(found) != table.columns:
            raise HeaderMismatch(
                f"table {sql_name(table)} has columns {','.join(found)!r}, expected {table.header!r}; "
                "refusing to use it"
            )
        with self._guard:
            self._checked.add(table.name)

    # --- reading -----------------------------------------------------------------------

    def version(self, table: Table) -> tuple[int, ...]:
        """The table's last ``_seq`` (0 when empty): it grows with every committed append."""
        return (self.size(table),)

    @_once_more_if_lost
    def size(self, table: Table) -> int:
        with self._errors(f"{table.name} cannot be read"), self._connection() as connection:
            query = sql.SQL("SELECT coalesce(max({}), 0) FROM {}").format(sql.Identifier(SEQ), _ident(table))
            row = connection.execute(query).fetchone()
        return int(row[0]) if row is not None else 0

    @_once_more_if_lost
    def read(self, table: Table) -> ReadResult:
        """Every row of the table, in the order appended (cached while the table is unchanged).

        The returned frame is shared with the cache: treat it as read-only.
        """
        with self._errors(f"{table.name} cannot be read"), self._connection() as connection:
            self._check_columns(connection, table)
            last = connection.execute(
                sql.SQL("SELECT coalesce(max({}), 0) FROM {}").format(sql.Identifier(SEQ), _ident(table))
            ).fetchone()
            key = (int(last[0]),) if last is not None else (0,)
            with self._guard:
                hit = self._cache.get(table.name)
            if hit is not None and hit[0] == key:
                return hit[1]
            result = ReadResult(copy_frame(connection, table, upto=key[0]))
        with self._guard:
            self._cache[table.name] = (key, result)
        return result

    def read_later(self, table: Table) -> Callable[[], ReadResult]:
        """A call that reads the table as it stands now, whenever it is made (later rows left out).

        Only the table's last ``_seq`` is looked up now; the rows are copied out when the call
        is made (and cached as :meth:`read` caches them, unless a newer read is cached already).
        """
        upto = self.size(table)

        def fetch() -> ReadResult:
            with self._guard:
                hit = self._cache.get(table.name)
            if hit is not None and hit[0] == (upto,):
                return hit[1]
            with self._errors(f"{table.name} cannot be read"), self._connection() as connection:
                self._check_columns(connection, table)
                result = ReadResult(copy_frame(connection, table, upto=upto))
            with self._guard:
                cached = self._cache.get(table.name)
                if cached is None or cached[0] < (upto,):
                    self._cache[table.name] = ((upto,), result)
            return result

        return fetch

    @_once_more_if_lost
    def rows_after(self, table: Table, offset: int) -> list[dict[str, str]]:
        """The rows appended after position ``offset`` (a :meth:`size`), as text."""
        columns = sql.SQL(", ").join(sql.Identifier(c) for c in table.columns)
        query = sql.SQL("SELECT {} FROM {} WHERE {} > %s ORDER BY {}").format(
            columns, _ident(table), sql.Identifier(SEQ), sql.Identifier(SEQ)
        )
        with self._errors(f"{table.name} cannot be read"), self._connection() as connection:
            rows = connection.execute(query, (offset,)).fetchall()
        return [{c: "" if v is None else str(v) for c, v in zip(table.columns, row, strict=True)} for row in rows]

    @_once_more_if_lost
    def rows_between(self, table: Table, offset: int, end: int | None = None) -> tuple[list[dict[str, str]], int]:
        """The rows with ``offset < _seq <= end`` in order, and the last ``_seq`` read (``offset``
        when none). Writes commit one at a time under the advisory lock, so a :meth:`size` taken
        under :attr:`lock` is a point before which no row can still appear."""
        columns = sql.SQL(", ").join(sql.Identifier(c) for c in (*table.columns, SEQ))
        bound = sql.SQL("") if end is None else sql.SQL(" AND {} <= %s").format(sql.Identifier(SEQ))
        query = sql.SQL("SELECT {} FROM {} WHERE {} > %s{} ORDER BY {}").format(
            columns, _ident(table), sql.Identifier(SEQ), bound, sql.Identifier(SEQ)
        )
        params: tuple[int, ...] = (offset,) if end is None else (offset, end)
        with self._errors(f"{table.name} cannot be read"), self._connection() as connection:
            found = connection.execute(query, params).fetchall()
        rows = [{c: "" if v is None else str(v) for c, v in zip(table.columns, row[:-1], strict=True)} for row in found]
        return rows, (int(found[-1][-1]) if found else offset)

    @contextlib.contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """Try, without waiting, to hold the session advisory lock named ``name`` (one holder across
        every replica of the database); yields whether this caller got it. It holds one pooled
        connection for the block."""
        with self._errors(f"the {name} lock cannot be taken"), self._pool.connection() as connection:
            row = connection.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (name,)).fetchone()
            got = bool(row[0]) if row is not None else False
            try:
                yield got
            finally:
                if got:
                    connection.execute("SELECT pg_advisory_unlock(hashtext(%s))", (name,))

    @_once_more_if_lost
    def contains(self, table: Table, column: str, value: str) -> bool:
        """Whether a row holds ``value`` in ``column`` (an index lookup for a table's first column)."""
        if column not in table.columns:
            raise ValueError(f"{table.name} has no column {column!r}")
        query = sql.SQL("SELECT EXISTS (SELECT 1 FROM {} WHERE {} = %s)").format(_ident(table), sql.Identifier(column))
        with self._errors(f"{table.name} cannot be read"), self._connection() as connection:
            row = connection.execute(query, (value,)).fetchone()
        return bool(row[0]) if row is not None else False

    # --- the schema ----------------------------------------------------------------------

    def revision(self) -> str | None:
        """The schema's Alembic revision in this database (None: no schema yet)."""
        with self._errors("the schema cannot be read"), self._connection() as connection:
            exists = connection.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
            if exists is None or not exists[0]:
                return None
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row is not None else None

    def require_schema(self, needed: str) -> None:
        """Raise :class:`SchemaOutdated` unless the database is at revision ``needed``."""
        found = self.revision()
        if found == needed:
            return
        if found is None:
            state = "has no course schema yet"
        else:
            state = f"has schema revision {found}, and this version of the course needs {needed}"
        detail = f"The database at `{self.where}` {state}. Run: python -m course db upgrade"
        raise SchemaOutdated(UPDATE_NEEDED, detail=detail)

    def close(self) -> None:
        self._pool.close()


def _ident(table: Table) -> sql.Identifier:
    return sql.Identifier(sql_name(table))


def _take_lock(connection: psycopg.Connection[TupleRow]) -> None:
    connection.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))


def _copy_in(connection: psycopg.Connection[TupleRow], table: Table, rows: Sequence[Mapping[str, object]]) -> None:
    columns = sql.SQL(", ").join(sql.Identifier(c) for c in table.columns)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(_ident(table), columns)
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([_cell(row[c]) for c in table.columns])


@functools.cache
def _insert_new(table: Table, children: tuple[Table, ...]) -> str:
    """One statement: insert a table's rows unless their key is stored, then the children of the
    inserted ones. Its parameters are one JSON text per table (the table's, then each child's): an
    array of rows, each an array of its cells in column order. One text a table costs the driver
    one string to send, where one array a column took it a third of a millisecond of Python per
    attempt to adapt. Made once per set of tables, as text (psycopg would compose it again on
    every execute)."""
    key = sql.Identifier(str(table.key))

    def cells(each: Table) -> sql.Composed:
        return sql.SQL(", ").join(sql.SQL("r.v->>{}").format(sql.Literal(n)) for n in range(len(each.columns)))

    def names(each: Table) -> sql.Composed:
        return sql.SQL(", ").join(sql.Identifier(c) for c in each.columns)

    rows = sql.SQL("json_array_elements(%s::json) WITH ORDINALITY AS r(v, _ord)")
    parts = [
        sql.SQL(
            "new AS (INSERT INTO {} ({}) SELECT {} FROM {} ORDER BY r._ord ON CONFLICT ({}) DO NOTHING RETURNING {})"
        ).format(_ident(table), names(table), cells(table), rows, key, key)
    ]
    for n, child in enumerate(children):
        where = sql.SQL("r.v->>{}").format(sql.Literal(child.columns.index(str(table.key))))
        parts.append(
            sql.SQL(
                "c{} AS (INSERT INTO {} ({}) SELECT {} FROM {} WHERE {} IN (SELECT {} FROM new) ORDER BY r._ord)"
            ).format(sql.SQL(str(n)), _ident(child), names(child), cells(child), rows, where, key)
        )
    return sql.SQL("WITH {} SELECT {} FROM new").format(sql.SQL(", ").join(parts), key).as_string(None)


def _cell(value: object) -> str:
    """What goes into the database: the text the CSV store would write ('' for None)."""
    return "" if value is None else str(value)


def _copy_statement(table: Table, upto: int | None) -> sql.Composed:
    columns = sql.SQL(", ").join(sql.Identifier(c) for c in table.columns)
    where = sql.SQL("") if upto is None else sql.SQL(" WHERE {} <= {}").format(sql.Identifier(SEQ), sql.Literal(upto))
    return sql.SQL("COPY (SELECT {} FROM {}{} ORDER BY {}) TO STDOUT WITH (FORMAT csv, HEADER true)").format(
        columns, _ident(table), where, sql.Identifier(SEQ)
    )


def copy_out(connection: psycopg.Connection[TupleRow], table: Table, upto: int | None = None) -> bytes:
    """The table as CSV bytes with its header, in append order (rows up to ``_seq`` ``upto``)."""
    buffer = io.BytesIO()
    with connection.cursor() as cursor, cursor.copy(_copy_statement(table, upto)) as copy:
        for chunk in copy:
            buffer.write(chunk)
    return buffer.getvalue()


def copy_frame(connection: psycopg.Connection[TupleRow], table: Table, upto: int | None = None) -> pd.DataFrame:
    """:func:`frame_from_csv` of :func:`copy_out`, parsed while the rows still arrive.

    A thread copies the rows out into a pipe and the parser (Arrow's, multithreaded, which
    releases the GIL) reads the other end, so receiving a million rows and parsing them overlap
    instead of following each other. If the parse fails, closing the pipe stops the copy.
    """
    source, sink = os.pipe()
    failed: list[BaseException] = []

    def feed() -> None:
        try:
            with (
                os.fdopen(sink, "wb", buffering=1 << 20) as out,
                connection.cursor() as cursor,
                cursor.copy(_copy_statement(table, upto)) as copy,
            ):
                for chunk in copy:
                    out.write(chunk)
        except BaseException as exc:  # handed to the reading thread, which raises it
            failed.append(exc)

    feeder = threading.Thread(target=feed, name=f"copy {table.name}", daemon=True)
    feeder.start()
    parse_error: Exception | None = None
    try:
        with os.fdopen(source, "rb") as stream:
            frame = _parse(stream, table)
    except Exception as exc:  # a copy cut off by a lost connection leaves the parser nothing
        parse_error = exc
    finally:
        feeder.join()
    if failed:
        raise failed[0]  # the copy's own error (a lost connection: the store's message) comes first
    if parse_error is not None:
        raise parse_error
    return empty_frame(table) if frame.empty else frame


def frame_from_csv(data: bytes, table: Table) -> pd.DataFrame:
    """Parse the CSV of :func:`copy_out` into the frame the CSV store's read gives (same dtypes)."""
    if data.count(b"\n") <= 1:
        return empty_frame(table)
    return _parse(io.BytesIO(data), table)


def _parse(stream: BinaryIO, table: Table) -> pd.DataFrame:
    text = [c for c in table.columns if c not in table.numeric]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = pd.read_csv(
            stream,
            engine="pyarrow",
            dtype=dict.fromkeys(text, str),
            keep_default_na=False,
            na_values=[""],
        )
    for column in text:
        if frame[column].isna().any():
            frame[column] = frame[column].fillna("")
    return frame
