"""Every table defined in course.store.tables is in its registry, once."""

from __future__ import annotations

from course.store import tables
from course.store.tables import ALL_TABLES, Table


def test_every_table_is_registered_once() -> None:
    defined = {id(value) for value in vars(tables).values() if isinstance(value, Table)}
    registered = [id(table) for table in ALL_TABLES]
    assert len(registered) == len(set(registered))
    assert set(registered) == defined


def test_table_names_are_unique_csv_files() -> None:
    names = [table.name for table in ALL_TABLES]
    assert len(names) == len(set(names))
    assert all(name.endswith(".csv") for name in names)
