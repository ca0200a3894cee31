"""Shared fixtures: the shipped course loaded once, throwaway data and content folders, accounts,
and an AppTest factory."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from course.accounts.accounts import Account, Accounts, Role
from course.content.lessons import load_catalog
from course.content.models import Catalog
from course.quiz.banks import BankContext, load_quizzes
from course.quiz.models import QuizCatalog
from course.store.base import TableStore
from course.store.csvstore import Store
from tests.helpers import postgres as pg

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")

# Property tests check what is computed, not how fast: no per-example deadline, which a busy
# 2-core machine (CI, or several test runs at once) exceeds on the first, cold example.
settings.register_profile("course", deadline=None)
settings.load_profile("course")


@pytest.fixture(scope="session")
def real_catalog() -> Catalog:
    """The shipped lessons, loaded once per session; shared, so a test must not change it."""
    return load_catalog(ROOT / "lessons")


@pytest.fixture(scope="session")
def real_quizzes(real_catalog: Catalog) -> QuizCatalog:
    """The shipped question banks (checked against the shipped lessons), loaded once per session."""
    return load_quizzes(ROOT / "quizzes", BankContext.from_catalog(real_catalog))


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder that the package (and AppTest runs) will use."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("MESO_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def content_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Copies of the real lessons and quizzes, so a test may edit or break them."""
    lessons = tmp_path / "lessons"
    quizzes = tmp_path / "quizzes"
    shutil.copytree(ROOT / "lessons", lessons)
    shutil.copytree(ROOT / "quizzes", quizzes)
    monkeypatch.setenv("MESO_LESSONS_DIR", str(lessons))
    monkeypatch.setenv("MESO_QUIZZES_DIR", str(quizzes))
    return lessons, quizzes


@pytest.fixture
def make_account(data_dir: Path) -> Callable[..., Account]:
    """Create an account in the test's data folder: ``make_account("ada", tutor=True)``."""

    def make(login: str, password: str = "password123", *, tutor: bool = False, name: str | None = None) -> Account:
        role = Role.TUTOR if tutor else Role.LEARNER
        return Accounts(Store(data_dir)).create(login, name or login.title(), password, role)

    return make


@pytest.fixture
def app_test(data_dir: Path) -> Callable[..., object]:
    """A fresh AppTest of the whole app, optionally signed in as ``user``."""
    from streamlit.testing.v1 import AppTest

    def make(user: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        if user is not None:
            at.session_state["user"] = user
        return at

    return make


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg.Server]:
    """A real PostgreSQL (Debian's server) for the whole session, with the migrated template database."""
    if not pg.available():
        pytest.fail("PostgreSQL 15 is not installed: bash scripts/test.sh installs it (apt-get install postgresql)")
    with pg.running() as server:
        try:
            yield server
        finally:
            from course.store.factory import forget_stores

            forget_stores()


@pytest.fixture
def pg_url(postgres: pg.Server) -> str:
    """The address of a fresh database of the test's own, at the current schema."""
    return postgres.url(postgres.new_database())


@pytest.fixture(params=["csv", "pg"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], TableStore]:
    """Open the test's store, once per backend: a CSV folder, or a PostgreSQL database of its own.

    Calling it again opens another store on the same data (a second server process's view).
    """
    if request.param == "csv":
        folder = tmp_path / "store"
        return lambda: Store(folder)
    from course.store.pgstore import PgStore

    url = request.getfixturevalue("pg_url")
    opened: list[PgStore] = []

    def make() -> TableStore:
        opened.append(PgStore(url))
        return opened[-1]

    request.addfinalizer(lambda: [s.close() for s in opened])
    return make
