"""A PostgreSQL for the benchmarks: the tests' own server helper, and a fast bulk load.

:func:`postgres` starts Debian's PostgreSQL 15 in a temporary folder exactly as the test suite
does (``tests/helpers/postgres.py``: ``initdb``, a free port, the migrated template database)
and stops it at the end. :func:`load_folder` copies a generated CSV data folder into a fresh
database with one ``COPY ... FROM STDIN`` per table (the files are what the CSV store wrote,
so every cell goes in as the text it is), which takes seconds for a million rows where
``python -m course db import-csv`` (validating row by row) takes much longer.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import common  # noqa: F401 (puts the project root on sys.path)
import psycopg
from psycopg import sql

from course.store.schema import sql_name
from course.store.tables import Table
from tests.helpers import postgres as pg


@contextlib.contextmanager
def postgres() -> Iterator[pg.Server]:
    """A running PostgreSQL with the course's migrated template database, removed afterwards."""
    if not pg.available():
        sys.exit(f"PostgreSQL 15 is not installed ({pg.BIN}): apt-get install postgresql")
    with pg.running() as server:
        try:
            yield server
        finally:
            from course.store.factory import forget_stores

            forget_stores()


def new_database(server: pg.Server) -> str:
    """The address of a fresh database at the course's schema."""
    return server.url(server.new_database())


def load_folder(url: str, folder: Path, tables: Sequence[Table]) -> dict[str, int]:
    """Bulk-copy each table's CSV file into the database (``COPY ... FROM STDIN``); rows per table."""
    counts = {}
    with psycopg.connect(url, autocommit=True) as connection:
        for table in tables:
            path = folder / table.name
            columns = sql.SQL(", ").join(sql.Identifier(c) for c in table.columns)
            statement = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv, HEADER true)").format(
                sql.Identifier(sql_name(table)), columns
            )
            with connection.cursor() as cursor:
                with path.open("rb") as handle, cursor.copy(statement) as copy:
                    while chunk := handle.read(1 << 20):
                        copy.write(chunk)
                counts[table.name] = cursor.rowcount
            connection.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(sql_name(table))))
    return counts
