"""The app on PostgreSQL (AppTest, a real server): a schema behind the course is shown on the
page with the command to run, not a traceback."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from course.store.factory import forget_stores


@pytest.fixture
def on_postgres(pg_url: str, monkeypatch: pytest.MonkeyPatch, data_dir) -> Iterator[str]:
    monkeypatch.setenv("MESO_DATABASE_URL", pg_url)
    yield pg_url
    forget_stores()


def test_a_schema_behind_the_course_is_shown_on_the_page_with_the_command(app_test, on_postgres: str) -> None:
    with psycopg.connect(on_postgres, autocommit=True) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0000'")
    at = app_test().run()
    assert not at.exception, at.exception
    (error,) = [e.value for e in at.error]
    assert "schema revision 0000" in error and "python -m course db upgrade" in error
