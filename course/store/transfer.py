"""Moving the course's tables between a CSV data folder and PostgreSQL.

:func:`import_csv` copies a data folder into the database: every row the CSV store would
read, in file order, in one transaction under the store's lock; a torn or garbled line is
reported exactly as the CSV store reports it and left out. Running it again adds only what
the files gained since (a table whose stored rows are not the start of its file is refused),
and every table's count is checked afterwards. :func:`export_csv` writes the database back as a
data folder the CSV store reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from course.store.base import RowProblem, StoreError
from course.store.csvstore import read_table
from course.store.pgstore import PgStore, copy_out
from course.store.tables import ALL_TABLES, Table


@dataclass
class TableReport:
    """What one table's import did."""

    name: str
    in_file: int  # rows the CSV store reads
    added: int  # rows inserted now
    stored: int  # rows in the database afterwards
    problems: list[RowProblem] = field(default_factory=list)


def _texts(frame: pd.DataFrame, table: Table) -> list[tuple[str, ...]]:
    """Rows as text, numbers written the same way on both sides (for comparing)."""
    columns = [[_text(v) for v in frame[name].tolist()] for name in table.columns]
    return list(zip(*columns, strict=True)) if columns else []


def _text(value: object) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return str(value)


def import_csv(store: PgStore, folder: Path) -> list[TableReport]:
    """Copy every table of the data folder ``folder`` into the database; see the module's docstring."""
    reports: list[TableReport] = []
    with store.lock:
        for table in ALL_TABLES:
            result = read_table(folder / table.name, table)
            problems = list(result.problems)
            rows = _texts(result.frame, table)
            if table.key is not None:
                position = table.columns.index(table.key)
                seen: set[str] = set()
                unique = []
                for line, row in enumerate(rows):
                    if row[position] in seen:
                        message = f"{table.key} {row[position]!r} is stored already; row {line + 1} skipped"
                        problems.append(RowProblem(table.name, 0, message))
                        continue
                    seen.add(row[position])
                    unique.append(row)
                rows = unique
            stored = _texts(store.read(table).frame, table)
            if stored != rows[: len(stored)]:
                raise StoreError(
                    f"{table.name}: the database holds {len(stored)} rows that are not the first rows of the file; "
                    "import into an empty database"
                )
            fresh = rows[len(stored) :]
            store.append(table, [dict(zip(table.columns, row, strict=True)) for row in fresh])
            count = len(store.read(table).frame)
            if count != len(rows):
                raise StoreError(f"{table.name}: {count} rows in the database after the import, expected {len(rows)}")
            reports.append(TableReport(table.name, len(rows), len(fresh), count, problems))
    return reports


def export_csv(store: PgStore, folder: Path) -> dict[str, int]:
    """Write every table to ``folder`` as the CSV store's files; refuses to overwrite a data file."""
    folder.mkdir(parents=True, exist_ok=True)
    taken = [t.name for t in ALL_TABLES if (folder / t.name).exists()]
    if taken:
        raise StoreError(f"{folder} already holds {', '.join(taken)}; export into an empty folder")
    counts: dict[str, int] = {}
    with store.lock, store.connection() as connection:
        for table in ALL_TABLES:
            data = copy_out(connection, table)
            lines = data.count(b"\n")
            if lines <= 1:
                counts[table.name] = 0
                continue
            (folder / table.name).write_bytes(data)
            counts[table.name] = len(read_table(folder / table.name, table).frame)
    return counts
