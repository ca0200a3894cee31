"""The PostgreSQL schema, derived from :data:`course.store.tables.ALL_TABLES`.

Every :class:`~course.store.tables.Table` becomes one SQL table named after its file
(``attempts.csv`` -> ``attempts``) with the same columns in the same order, every one
``text NOT NULL`` (an empty cell is ``''``), and a ``_seq`` identity column that keeps the
order rows were appended in. A numeric column keeps the number as it was written (``9.0`` stays
``9.0``, so a read gives the same dtypes as the CSV file would), and a check constraint refuses
text that is not a number; SQL that aggregates casts it (``points::double precision``). A table's ``key`` column gets a
unique constraint (an attempt is stored once, whatever the replica); the first column is
indexed, since it is what :meth:`course.store.base.TableStore.contains` looks up.

Migrations (``course/store/migrations/versions``) call :func:`create_tables` with the
:class:`Table` definitions frozen in the migration file, so an old migration keeps creating
what it created when it was written.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from course.store.tables import Table

SEQ = "_seq"
"""The insertion-order column every SQL table has (never shown in a read)."""


def sql_name(table: Table) -> str:
    """The SQL table of a course table: its file name without ``.csv``.

    >>> from course.store.tables import ATTEMPTS
    >>> sql_name(ATTEMPTS)
    'attempts'
    """
    return table.name.removesuffix(".csv")


def sql_columns(table: Table) -> list[sa.Column[object]]:
    """The SQL columns of a table: ``_seq``, then the table's own columns in order."""
    columns: list[sa.Column[object]] = [sa.Column(SEQ, sa.BigInteger, sa.Identity(always=True), primary_key=True)]
    columns += [sa.Column(name, sa.Text, nullable=False) for name in table.columns]
    return columns


def number_check(table: Table, name: str) -> sa.CheckConstraint:
    """A numeric column holds a number (or, when optional, nothing); a word fails the cast."""
    cast = f'("{name}")::double precision IS NOT NULL'
    rule = f"CASE WHEN \"{name}\" = '' THEN true ELSE {cast} END" if name in table.optional else cast
    return sa.CheckConstraint(rule, name=f"{sql_name(table)}_{name}_number")


def sql_table(table: Table, metadata: sa.MetaData) -> sa.Table:
    """The SQLAlchemy table of a course table, with its key's unique constraint and the first column's index."""
    extra: list[sa.UniqueConstraint | sa.Index | sa.CheckConstraint] = [
        number_check(table, name) for name in table.columns if name in table.numeric
    ]
    if table.key is not None:
        extra.append(sa.UniqueConstraint(table.key, name=f"{sql_name(table)}_{table.key}_key"))
    first = table.columns[0]
    if first != table.key:
        extra.append(sa.Index(f"{sql_name(table)}_{first}_idx", first))
    return sa.Table(sql_name(table), metadata, *sql_columns(table), *extra)


def create_tables(connection: sa.Connection, tables: Iterable[Table]) -> None:
    """Create each table (with its constraint and index); for migrations."""
    metadata = sa.MetaData()
    for table in tables:
        sql_table(table, metadata)
    metadata.create_all(connection)


def drop_tables(connection: sa.Connection, tables: Iterable[Table]) -> None:
    """Drop each table; for a migration's downgrade."""
    metadata = sa.MetaData()
    for table in tables:
        sql_table(table, metadata)
    metadata.drop_all(connection)
