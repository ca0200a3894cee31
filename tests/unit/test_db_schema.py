"""The PostgreSQL schema: `db upgrade` creates every registered table, and a database behind
the course's schema is refused with the command to run (against a real PostgreSQL)."""

from __future__ import annotations

import psycopg
import pytest

from course.__main__ import main
from course.store import migrate
from course.store.pgstore import PgStore, SchemaOutdated
from course.store.schema import SEQ, sql_name
from course.store.tables import ALL_TABLES
from tests.helpers.postgres import Server


def columns(url: str) -> dict[str, list[str]]:
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        ).fetchall()
    found: dict[str, list[str]] = {}
    for table, column in rows:
        found.setdefault(str(table), []).append(str(column))
    return found


def test_every_registered_table_has_a_migration_that_matches_it() -> None:
    assert migrate.missing_tables() == [], "a table in ALL_TABLES has no migration: python -m course db new-migration"
    assert migrate.changed_tables() == [], "a table's columns changed since its migration: add one that alters it"


def test_upgrade_creates_every_table_in_all_tables_with_its_columns(
    postgres: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    database = postgres.new_database(template="template0")  # empty: no schema at all
    url = postgres.url(database)
    assert main(["db", "upgrade", "--url", url]) == 0
    assert "none -> " in capsys.readouterr().out
    found = columns(url)
    for table in ALL_TABLES:
        assert found.get(sql_name(table)) == [SEQ, *table.columns], table.name
    assert main(["db", "upgrade", "--url", url]) == 0  # a second run changes nothing
    assert main(["db", "current", "--url", url]) == 0
    assert migrate.head() in capsys.readouterr().out


def test_a_database_without_the_schema_is_refused_with_the_command_to_run(postgres: Server) -> None:
    url = postgres.url(postgres.new_database(template="template0"))
    store = PgStore(url)
    try:
        with pytest.raises(SchemaOutdated) as caught:
            store.require_schema(migrate.head())
    finally:
        store.close()
    assert "has no course schema yet" in str(caught.value)
    assert "python -m course db upgrade" in str(caught.value)


def test_an_older_revision_is_refused_with_the_command_to_run(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0000'")
    from course.store.factory import open_store

    with pytest.raises(SchemaOutdated) as caught:
        open_store(url=pg_url)
    message = str(caught.value)
    assert "schema revision 0000" in message and f"needs {migrate.head()}" in message
    assert "Run: python -m course db upgrade" in message
