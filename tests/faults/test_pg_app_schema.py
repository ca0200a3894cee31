"""The app on PostgreSQL (AppTest, a real server): a schema behind the course and a server that
is down are said plainly, with the command to run under the details, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from course.store.factory import forget_stores
from tests.browser.server import free_port
from views.parts.notices import DETAILS


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
    assert error.startswith("The course's database needs an update before this version of the course can use it.")
    (details,) = at.expander
    assert details.label == DETAILS
    (detail,) = [m.value for m in details.markdown]
    assert "schema revision 0000" in detail and "python -m course db upgrade" in detail


def test_a_database_that_is_down_at_start_is_said_plainly_with_the_check_folded_away(
    app_test, monkeypatch: pytest.MonkeyPatch, data_dir
) -> None:
    """Nothing listens on the port: the learner reads that the database is not answering; the
    address (password masked) and the command to check it are under "Details" for whoever runs
    the course, never the password."""
    url = f"postgresql://meso:hunter2secret@127.0.0.1:{free_port()}/meso"
    monkeypatch.setenv("MESO_DATABASE_URL", url)
    try:
        at = app_test().run()
    finally:
        forget_stores()
    assert not at.exception, at.exception
    (error,) = [e.value for e in at.error]
    assert error == (
        "The course's database is not answering right now. "
        "Please reload the page in a few minutes; if this goes on, tell your tutor."
    )
    (details,) = at.expander
    assert details.label == DETAILS
    (detail,) = [m.value for m in details.markdown]
    assert detail.startswith("The database at `postgresql://meso:***@127.0.0.1:") and "cannot be reached" in detail
    assert "pg_isready -d 'postgresql://meso:***@127.0.0.1:" in detail
    shown = "\n".join([error, detail, *(m.value for m in at.markdown)])
    assert "hunter2secret" not in shown
