"""Shared fixtures: the shipped course loaded once, throwaway data and content folders, accounts,
and an AppTest factory."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from course.accounts.accounts import Account, Accounts, Role
from course.content.lessons import load_catalog
from course.content.models import Catalog
from course.quiz.banks import BankContext, load_quizzes
from course.quiz.models import QuizCatalog
from course.store.csvstore import Store

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

