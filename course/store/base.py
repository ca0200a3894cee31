"""What every store backend shares: the errors, a read's result, and the interface.

The package codes against :class:`TableStore`; :mod:`course.store.csvstore` (the default, a
folder of CSV files) and :mod:`course.store.pgstore` (PostgreSQL, chosen by
``MESO_DATABASE_URL``) implement it, and :func:`course.store.factory.open_store` picks one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import pandas as pd

from course.errors import MesoError
from course.store.tables import Table


class StoreError(MesoError):
    """A data file cannot be used; the message is safe to show to a user.

    ``message`` is what a learner reads; ``detail``, when there is one, is what whoever runs the
    course needs to fix it (the database's address, the command to check it). ``str()`` holds
    both, for the command line and the logs.

    >>> error = StoreError("the database is not answering", detail="check `pg_isready`")
    >>> error.message, error.detail
    ('the database is not answering', 'check `pg_isready`')
    >>> str(error)
    'the database is not answering (check `pg_isready`)'
    """

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(f"{message} ({detail})" if detail else message)
        self.message = message
        self.detail = detail


TRUE_TEXTS = frozenset({"true", "1", "yes", "y", "t"})
"""What a stored yes/no column may say for yes (the course writes ``true``; older or hand-edited files vary)."""


def truthy(column: pd.Series) -> pd.Series:
    """A stored yes/no column as booleans (any case, outer spaces ignored).

    >>> truthy(pd.Series(["true", " TRUE", "1", "false", "", "no"])).tolist()
    [True, True, True, False, False, False]
    """
    return column.astype(str).str.strip().str.lower().isin(TRUE_TEXTS)


@contextlib.contextmanager
def explain(what: str, advice: str) -> Iterator[None]:
    """Turn a :class:`StoreError` inside the block into one that says what could not be done.

    >>> with explain("Your progress could not be saved", "Please try again."):
    ...     raise StoreError("disk full")
    Traceback (most recent call last):
    course.store.base.StoreError: Your progress could not be saved (disk full). Please try again.
    """
    try:
        yield
    except StoreError as exc:
        raise StoreError(f"{what} ({exc.message}). {advice}", detail=exc.detail) from exc


class HeaderMismatch(StoreError):
    """The file on disk has other columns than this version of the course expects."""


@dataclass(frozen=True)
class RowProblem:
    """A line of a data file that was skipped on read (it is never removed from the file)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class ReadResult:
    """The valid rows of a table as a DataFrame of strings and numbers, plus what was skipped."""

    frame: pd.DataFrame
    problems: tuple[RowProblem, ...] = ()


def empty_frame(table: Table) -> pd.DataFrame:
    """A table with no rows but its columns and dtypes, so callers never special-case a missing file."""
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in table.numeric else "str") for c in table.columns})


class TableStore(Protocol):
    """The one interface to the course's tables, whichever backend holds them.

    Tables are append-only: rows are added, never changed or removed. Every write happens
    under one store-wide lock (a folder lock for CSV, an advisory lock in one transaction for
    PostgreSQL), so "check that this attempt is new, then append it" is one step across
    threads, processes and, with PostgreSQL, machines.
    """

    @property
    def where(self) -> str:
        """Where the data lives, for messages and cache keys (a database address never shows its password)."""
        ...

    @property
    def lock(self) -> contextlib.AbstractContextManager[None]:
        """The store-wide lock, for callers that must check and append as one step (reentrant)."""
        ...

    @property
    def holds_lock(self) -> bool:
        """Whether the calling thread holds :attr:`lock`."""
        ...

    def append(self, table: Table, rows: Sequence[Mapping[str, object]]) -> None:
        """Append rows to one table, durably, under the lock."""
        ...

    def append_many(self, batches: Sequence[tuple[Table, Sequence[Mapping[str, object]]]]) -> None:
        """Append to several tables as one step: all of the rows or none of them."""
        ...

    def read(self, table: Table) -> ReadResult:
        """Every valid row of a table (a shared frame: treat it as read-only) and what was skipped."""
        ...

    def version(self, table: Table) -> tuple[int, ...]:
        """A cheap mark that changes whenever the table gains rows: a cache key."""
        ...

    def size(self, table: Table) -> int:
        """A position in the table now (0 when empty), to read on from with :meth:`rows_after`."""
        ...

    def rows_after(self, table: Table, offset: int) -> list[dict[str, str]]:
        """The complete rows appended after ``offset`` (a :meth:`size`), as text."""
        ...

    def rows_between(self, table: Table, offset: int, end: int | None = None) -> tuple[list[dict[str, str]], int]:
        """:meth:`rows_after`, no further than ``end`` (a :meth:`size` taken earlier, so a reader can
        follow several tables from one moment), and the position to read on from next time."""
        ...

    def contains(self, table: Table, column: str, value: str) -> bool:
        """Whether a row of ``table`` holds ``value`` in ``column`` (cheap for key columns)."""
        ...

    def exclusive(self, name: str) -> contextlib.AbstractContextManager[bool]:
        """Try, without waiting, to be the only holder of the lock ``name`` across processes (and,
        with PostgreSQL, machines); yields whether this caller got it. For background jobs that
        one process at a time should run, such as the LRS sender."""
        ...


@runtime_checkable
class ReadsLater(Protocol):
    """An optional capability: take a table's version now, copy its rows out only when needed.

    PostgreSQL has it (:meth:`course.store.pgstore.PgStore.read_later`): a read there never
    skips a line, so nothing has to be read up front to be reported, and the dashboard's first
    view, which needs the attempts only, need not wait for a million responses. The CSV store
    has not: its first read is also the one that reports torn or garbled lines.
    """

    def read_later(self, table: Table) -> Callable[[], ReadResult]:
        """A call that returns :meth:`TableStore.read`'s result as the table stood at this call."""
        ...


@runtime_checkable
class AppendsOnce(Protocol):
    """An optional capability: the store's unique key is the once-only check.

    PostgreSQL has it (:meth:`course.store.pgstore.PgStore.append_new`: ``ON CONFLICT DO
    NOTHING`` on the key's unique constraint, the children in the same statement, one round
    trip to the server); the CSV store checks its key index under the folder lock instead.
    """

    def append_new(
        self,
        table: Table,
        rows: Sequence[Mapping[str, object]],
        children: Sequence[tuple[Table, Sequence[Mapping[str, object]]]] = (),
    ) -> set[str]:
        """Append the rows of ``table`` whose key is not stored yet and, in the same transaction,
        the rows of each child table whose ``table.key`` column holds one of those keys; return
        the keys appended."""
        ...
