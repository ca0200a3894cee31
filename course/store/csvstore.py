"""The one owner of the course's CSV files: accounts, progress and results.

Rules that keep learner data safe:

* **Append only.** Rows are added under a cross-process file lock (``filelock``), flushed
  and fsync'd; nothing ever rewrites or truncates a data file.
* **Header checked.** A new file gets its header once; appending to a file whose header
  differs is refused (:class:`HeaderMismatch`) instead of mixing two layouts.
* **Tolerant reads.** A torn last line (a writer killed mid-append) or a garbled line is
  reported with its line number and skipped; it stays in the file for a human to inspect.
  Before the next append, a torn line is closed with a newline so the new row starts on a
  line of its own.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import pyarrow as pa
from filelock import FileLock, Timeout

from course.store.base import (
    HeaderMismatch,
    ReadResult,
    RowProblem,
    StoreError,
    empty_frame,
    explain,
    truthy,
)
from course.store.tables import Table

__all__ = [
    "HeaderMismatch",
    "ReadResult",
    "RowProblem",
    "Store",
    "StoreError",
    "empty_frame",
    "explain",
    "read_table",
    "truthy",
]

LOCK_TIMEOUT_S = 10.0
LOCK_NAME = ".store.lock"


@contextlib.contextmanager
def _system_allocator() -> Iterator[None]:
    """Parse with the system allocator, then give Arrow its default pool back.

    Arrow's bundled allocator (mimalloc) keeps the pages of a freed parse buffer: on a
    million-row file the process stayed ~2.9x the size of the frames it holds; parsing
    with the system allocator keeps 1.3x (bench/bench_dashboard.py). Later work on the
    frames (takes, joins) still gets the faster default pool. Each buffer remembers the
    pool it came from, so switching the default does not disturb other threads' data.
    """
    global _parsers, _default_pool  # noqa: PLW0603 (process-wide allocator choice)
    with _pool_guard:
        if _parsers == 0:
            _default_pool = pa.default_memory_pool()
            pa.set_memory_pool(pa.system_memory_pool())
        _parsers += 1
    try:
        yield
    finally:
        with _pool_guard:
            _parsers -= 1
            if _parsers == 0 and _default_pool is not None:
                pa.set_memory_pool(_default_pool)


_pool_guard = threading.Lock()  # reads in several threads share one switch of the pool
_parsers = 0
_default_pool: pa.MemoryPool | None = None


def encode_rows(table: Table, rows: Iterable[Mapping[str, object]]) -> str:
    """Serialise rows in the table's column order (missing keys are an error, not blank)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        missing = set(table.columns) - row.keys()
        if missing:
            raise ValueError(f"{table.name}: row lacks {sorted(missing)}")
        writer.writerow(["" if row[c] is None else row[c] for c in table.columns])
    return buffer.getvalue()


@dataclass
class Store:
    """The data folder; every write goes through :meth:`append` under one folder lock.

    One lock for the folder (not one per file) makes "check that this attempt is new, then
    append its attempt row and its response rows" a single step across processes.
    """

    folder: Path
    _lock: FileLock = field(init=False, repr=False)
    _cache: dict[str, tuple[tuple[int, ...], ReadResult]] = field(init=False, repr=False)
    _cache_guard: threading.Lock = field(init=False, repr=False)
    _indexes: dict[tuple[str, str], _KeyIndex] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(str(self.folder / LOCK_NAME), timeout=LOCK_TIMEOUT_S)
        self._cache = {}
        self._cache_guard = threading.Lock()
        self._indexes = {}

    def path(self, table: Table) -> Path:
        return self.folder / table.name

    @property
    def where(self) -> str:
        """The data folder, as text (a cache key and what messages name)."""
        return str(self.folder)

    def version(self, table: Table) -> tuple[int, ...]:
        """The table file's inode, size and mtime (all 0 when it does not exist yet)."""
        try:
            stat = self.path(table).stat()
        except FileNotFoundError:
            return (0, 0, 0)
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns)

    @property
    def lock(self) -> contextlib.AbstractContextManager[None]:
        """The folder lock, for callers that must check and append as one step.

        Waiting longer than ``LOCK_TIMEOUT_S`` raises :class:`StoreError` (a message a page
        can show), not the lock library's own exception.
        """
        return self._locked()

    @property
    def holds_lock(self) -> bool:
        """Whether the calling thread holds the folder lock (it is per thread, and reentrant)."""
        return self._lock.is_locked

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self._lock.acquire()
        except Timeout as exc:
            raise StoreError(
                f"the data folder is busy (another save has held it for over {LOCK_TIMEOUT_S:.0f} s); please try again"
            ) from exc
        except OSError as exc:  # a read-only or vanished data folder: the lock file cannot be opened
            raise StoreError(f"the data folder cannot be written: {exc.strerror or exc}") from exc
        try:
            yield
        finally:
            self._lock.release()

    # --- writing ----------------------------------------------------------------------

    def append(self, table: Table, rows: Sequence[Mapping[str, object]]) -> None:
        """Append rows to a table under the folder lock, then flush and fsync."""
        if not rows:
            return
        payload = encode_rows(table, rows).encode("utf-8")
        with self.lock:
            self._append_locked(table, payload)

    def append_many(self, batches: Sequence[tuple[Table, Sequence[Mapping[str, object]]]]) -> None:
        """Append to several tables while holding the lock once (e.g. attempt + responses).

        All or nothing: when a later table cannot be written (disk full, unwritable file),
        what this call appended to the earlier ones is cut off again, so an attempt row is
        never left without its responses. The caller must already hold :attr:`lock` when it
        needs a check before the write.
        """
        payloads = [(t, encode_rows(t, rows).encode("utf-8")) for t, rows in batches if rows]
        with self.lock:
            written: list[tuple[Table, int]] = []
            try:
                for table, payload in payloads:
                    written.append((table, self._append_locked(table, payload)))
            except StoreError:
                for table, size in written:
                    with contextlib.suppress(OSError), open(self.path(table), "r+b") as handle:
                        self._roll_back(handle, size)
                    self._forget_indexes(table)
                raise

    def _forget_indexes(self, table: Table) -> None:
        """Drop this process's key indexes of a table whose rows were just cut off."""
        with self._cache_guard:
            for key in [k for k in self._indexes if k[0] == table.name]:
                del self._indexes[key]

    def _append_locked(self, table: Table, payload: bytes) -> int:
        """Append under the held lock; return the file's size before, the point to roll back to."""
        path = self.path(table)
        header = (table.header + "\n").encode("utf-8")
        try:
            handle = open(path, "ab+")  # noqa: SIM115 (closed below, after a possible rollback)
        except OSError as exc:
            raise StoreError(f"could not save to {path.name}: {exc.strerror or exc}") from exc
        with handle:
            size = handle.seek(0, os.SEEK_END)
            if size > 0:
                handle.seek(0)
                first = handle.readline()
                if first.rstrip(b"\r\n") != header.rstrip(b"\n"):
                    raise HeaderMismatch(
                        f"{path.name} has columns {first.decode('utf-8', 'replace').strip()!r}, "
                        f"expected {table.header!r}; refusing to append"
                    )
                handle.seek(size - 1)
                torn = handle.read(1) != b"\n"
            try:
                if size == 0:
                    handle.write(header)
                elif torn:
                    handle.write(b"\n")  # close a torn line; it stays visible as garbled
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:
                self._roll_back(handle, size)
                self._forget_indexes(table)
                raise StoreError(f"could not save to {path.name}: {exc.strerror or exc}") from exc
        return size

    @staticmethod
    def _roll_back(handle: BinaryIO, size: int) -> None:
        """Cut off what this failed append wrote (disk full, I/O error); history is untouched.

        Only bytes past ``size``, which this call added while holding the lock, are removed.
        """
        with contextlib.suppress(OSError):
            handle.truncate(size)
            os.fsync(handle.fileno())

    # --- reading ----------------------------------------------------------------------

    def read(self, table: Table) -> ReadResult:
        """Read a table, using a cached copy while the file's size and mtime are unchanged.

        The returned frame is shared with the cache: treat it as read-only.
        """
        path = self.path(table)
        key = self.version(table)  # no file yet: (0, 0, 0), the empty result is cached too (~1 ms to build)
        with self._cache_guard:
            hit = self._cache.get(table.name)
        if hit is not None and hit[0] == key:
            return hit[1]
        try:
            result = read_table(path, table)
        except OSError as exc:  # a folder where the file should be, no permission...: say so, don't crash
            raise StoreError(f"{table.name} cannot be read ({exc.strerror or exc})") from exc
        with self._cache_guard:
            self._cache[table.name] = (key, result)
        return result

    def size(self, table: Table) -> int:
        """The table file's size in bytes now (0 when it does not exist yet): a point to read on from."""
        try:
            return self.path(table).stat().st_size
        except FileNotFoundError:
            return 0

    def rows_after(self, table: Table, offset: int) -> list[dict[str, str]]:
        """The complete rows appended after byte ``offset`` (see :meth:`size`), as text.

        For "was this key stored since I last looked?" checks under :attr:`lock` that only need
        the recent end of a large file: it reads only the bytes after ``offset``, one line at a
        time like the key index, so a garbled or torn line is skipped, never half-read. An
        ``offset`` past the end (the file was replaced) reads the whole file again.
        """
        return self.rows_between(table, offset)[0]

    def rows_between(self, table: Table, offset: int, end: int | None = None) -> tuple[list[dict[str, str]], int]:
        """:meth:`rows_after`, reading no further than byte ``end`` (a :meth:`size` taken earlier, so
        a reader can follow several tables from one consistent moment), and the offset to read on
        from next time: just after the last complete line read.
        """
        path = self.path(table)
        try:
            with open(path, "rb") as handle:
                size = handle.seek(0, os.SEEK_END)
                stop = size if end is None else min(end, size)
                start = 0 if offset > size else offset
                handle.seek(start)
                chunk = handle.read(max(0, stop - start))
        except FileNotFoundError:
            return [], 0
        complete = chunk.rfind(b"\n") + 1
        lines = chunk[:complete].decode("utf-8", "replace").split("\n")[:-1]
        if start == 0:
            lines = lines[1:]  # the header
        rows = []
        for line in lines:
            try:
                fields = next(csv.reader([line], strict=True))
            except (csv.Error, StopIteration):
                continue
            if len(fields) == len(table.columns):
                rows.append(dict(zip(table.columns, fields, strict=True)))
        return rows, start + complete

    @contextlib.contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """Try, without waiting, to hold the lock file ``<name>.lock`` in the folder; yields whether
        this caller got it (the file lock is shared by every process on this machine)."""
        if not name.replace("-", "").isalnum():
            raise ValueError(f"not a lock name: {name!r}")
        self.folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.folder / f"{name}.lock"), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            yield False
            return
        try:
            yield True
        finally:
            lock.release()

    def contains(self, table: Table, column: str, value: str) -> bool:
        """Whether a row of ``table`` holds ``value`` in ``column``.

        Made for "was this attempt already stored?" under :attr:`lock`: a per-column index
        is brought up to date by parsing only the bytes appended since the last call, so the
        check stays cheap however large the file grows (a full read would be needed after
        every append, since each append changes the file). For key columns that never hold
        a line break; a garbled or torn line is simply not indexed.
        """
        with self._cache_guard:
            index = self._indexes.setdefault((table.name, column), _KeyIndex(table.columns.index(column)))
        with index.guard:
            index.refresh(self.path(table), len(table.columns))
            return value in index.values


@dataclass
class _KeyIndex:
    """The values of one column, and how far into the file they have been read."""

    position: int
    inode: int = -1
    offset: int = 0
    values: set[str] = field(default_factory=set)
    guard: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self, path: Path, width: int) -> None:
        try:
            stat = path.stat()
        except FileNotFoundError:
            stat = None
        if stat is None or stat.st_ino != self.inode or stat.st_size < self.offset:
            self.inode, self.offset, self.values = (stat.st_ino if stat else -1), 0, set()
        if stat is None or stat.st_size == self.offset:
            return
        with open(path, "rb") as handle:
            handle.seek(self.offset)
            chunk = handle.read(stat.st_size - self.offset)
        end = chunk.rfind(b"\n") + 1  # an unfinished last line waits for the next refresh
        lines = chunk[:end].decode("utf-8", "replace").split("\n")[:-1]
        if self.offset == 0:
            lines = lines[1:]  # the header
        for line in lines:  # one line at a time, so an unbalanced quote cannot swallow the next row
            try:
                fields = next(csv.reader([line], strict=True))
            except (csv.Error, StopIteration):
                continue
            if len(fields) == width:
                self.values.add(fields[self.position])
        self.offset += end


def _check_header(path: Path, table: Table) -> None:
    with open(path, "rb") as handle:
        first = handle.readline().decode("utf-8", "replace").rstrip("\r\n")
    if first != table.header:
        raise HeaderMismatch(f"{path.name} has columns {first!r}, expected {table.header!r}")


def read_table(path: Path, table: Table) -> ReadResult:
    """Parse a table file; skip and report bad lines; never modify the file.

    The fast path is pandas with the pyarrow engine. Only when it finds something wrong does
    a second, line-by-line pass run, so that every skipped line is reported with its exact number.
    """
    if not path.exists() or path.stat().st_size == 0:
        return ReadResult(empty_frame(table))
    _check_header(path, table)
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        torn = handle.read(1) != b"\n"
    text = [c for c in table.columns if c not in table.numeric]
    with warnings.catch_warnings(record=True) as caught, _system_allocator():
        warnings.simplefilter("always")
        try:
            # pyarrow's reader is multithreaded: on 1M rows it takes about 0.4x the time of
            # pandas' default parser. Text columns stay text ("NA", "00123" included); an
            # empty cell is NaN, refilled below for the columns that may be empty.
            frame = pd.read_csv(
                path,
                engine="pyarrow",
                dtype=dict.fromkeys(text, str),
                keep_default_na=False,
                na_values=[""],
                on_bad_lines="warn",
            )
        except ValueError:  # bytes that are not UTF-8, an unclosed quote...: pandas' ParserError
            return _read_slowly(path, table)
    suspicious = torn or bool(caught) or list(frame.columns) != list(table.columns)
    if not suspicious:
        required = [c for c in table.columns if c not in table.optional]
        suspicious = bool(frame[required].isna().any(axis=None))
    if not suspicious:  # a number column holding a word is inferred as text (or bool)
        suspicious = any(
            not pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_bool_dtype(frame[c]) for c in table.numeric
        )
    if suspicious:
        return _read_slowly(path, table)
    for column in table.optional:
        if column in text:
            frame[column] = frame[column].fillna("")
    return ReadResult(frame)


def _read_slowly(path: Path, table: Table) -> ReadResult:
    """Line-by-line parse that names each bad line; used only when the fast path objects."""
    problems: list[RowProblem] = []
    good: list[list[str]] = []
    width = len(table.columns)
    required = [i for i, c in enumerate(table.columns) if c not in table.optional]
    numeric = [i for i, c in enumerate(table.columns) if c in table.numeric]
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        raw_lines = handle.read().split("\n")
    ends_cleanly = raw_lines and raw_lines[-1] == ""
    if ends_cleanly:
        raw_lines.pop()
    index = 1
    while index < len(raw_lines):
        start = index
        record = raw_lines[index]
        # a quoted field may span lines; keep reading until the quotes balance
        while record.count('"') % 2 == 1 and index + 1 < len(raw_lines):
            index += 1
            record += "\n" + raw_lines[index]
        index += 1
        line_no = start + 1
        if record.count('"') % 2 == 1 and index - 1 > start:
            # the quote never closes: this line is garbled; do not let it swallow the rest
            problems.append(RowProblem(path.name, line_no, "unreadable row (a quote is never closed); skipped"))
            index = start + 1
            continue
        is_last = index >= len(raw_lines)
        if not record.strip():
            continue
        try:
            values = next(csv.reader([record], strict=True))
        except csv.Error as exc:
            problems.append(RowProblem(path.name, line_no, f"unreadable row ({exc}); skipped"))
            continue
        if is_last and not ends_cleanly:
            problems.append(RowProblem(path.name, line_no, "torn last line (incomplete write); skipped"))
            continue
        if len(values) != width:
            problems.append(RowProblem(path.name, line_no, f"expected {width} fields, found {len(values)}; skipped"))
            continue
        if any(values[i] == "" for i in required):
            problems.append(RowProblem(path.name, line_no, "a required field is empty; skipped"))
            continue
        try:
            for i in numeric:
                float(values[i])
        except ValueError:
            problems.append(RowProblem(path.name, line_no, "a number field does not hold a number; skipped"))
            continue
        good.append(values)
    frame = pd.DataFrame(good, columns=list(table.columns)) if good else empty_frame(table)
    for column in table.numeric:
        frame[column] = pd.to_numeric(frame[column])
    for column in table.columns:
        if column not in table.numeric:
            frame[column] = frame[column].astype("str")
    return ReadResult(frame, tuple(problems))
