"""Session and shared resources for every page: the store, the signed-in account, content.

Shared objects live in ``st.cache_resource`` (one per server process); per-browser state in
``st.session_state``. Lessons and glossary come from the package's caches, keyed on the
files' sizes and mtimes, so a tutor's saved edit shows on the learner's next page load
without a restart.
"""

from __future__ import annotations

import os
import time

import streamlit as st

from course.accounts.accounts import Account, Accounts, LoginThrottle
from course.accounts.progress import LessonProgress
from course.content.bibliography import Bibliography, current_references
from course.content.glossary import current_glossary
from course.content.lessons import current_catalog
from course.content.models import Catalog, Term
from course.paths import data_dir, lessons_dir
from course.store.csvstore import Store

USER_KEY = "user"
ACTIVITY_KEY = "last_activity"


def tutor_idle_seconds() -> float:
    """A tutor session ends after this much inactivity (``MESO_TUTOR_IDLE_MIN``, default 30)."""
    return float(os.environ.get("MESO_TUTOR_IDLE_MIN", "30")) * 60


@st.cache_resource
def _store_for(folder: str) -> Store:
    return Store(folder)


def store() -> Store:
    """The data folder's store; follows ``MESO_DATA_DIR`` so tests can use a temp folder."""
    return _store_for(str(data_dir()))


def accounts() -> Accounts:
    return Accounts(store())


def lesson_progress() -> LessonProgress:
    return LessonProgress(store())


@st.cache_resource
def login_throttle() -> LoginThrottle:
    return LoginThrottle()


def catalog() -> Catalog:
    """All lessons, reloaded whenever a lesson file changes on disk."""
    folder = lessons_dir()
    current = current_catalog(folder)
    seen = _seen_lessons(str(folder))
    seen.update({lesson.id: lesson.path.name for lesson in current.lessons})
    return current


@st.cache_resource
def _seen_lessons(folder: str) -> dict[str, str]:
    """Every lesson id this server has served, with its file name (shared by sessions)."""
    return {}


def vanished_lessons(current: Catalog) -> dict[str, str]:
    """Lessons served earlier whose file has since gone: id -> file name.

    ``current`` is the catalog the caller already holds (from :func:`catalog`), so the
    lesson folder is not scanned twice in one rerun. Their URLs keep a page that says so,
    instead of silently landing on the home page.
    """
    ids = {lesson.id for lesson in current.lessons}
    return {i: name for i, name in _seen_lessons(str(lessons_dir())).items() if i not in ids}


def glossary() -> tuple[tuple[Term, ...], str | None]:
    """The glossary terms, or no terms and the error that stopped them loading."""
    return current_glossary(lessons_dir())


def references() -> Bibliography:
    """The bibliography as the references file is now (with its problems, if any)."""
    return current_references(lessons_dir())


def current_user() -> Account | None:
    """The signed-in account, or None; ends a tutor session that has been idle too long."""
    login = st.session_state.get(USER_KEY)
    if login is None:
        return None
    account = accounts().get(login)
    now = time.time()
    last = st.session_state.get(ACTIVITY_KEY, now)
    if account is None or (account.is_tutor and now - last > tutor_idle_seconds()):
        sign_out()
        if account is not None:
            st.session_state["signed_out_reason"] = "Your tutor session ended after a period of inactivity."
        return None
    st.session_state[ACTIVITY_KEY] = now
    return account


def sign_in(account: Account) -> None:
    st.session_state[USER_KEY] = account.login
    st.session_state[ACTIVITY_KEY] = time.time()


def sign_out() -> None:
    for key in (USER_KEY, ACTIVITY_KEY):
        st.session_state.pop(key, None)


def require_learner() -> Account:
    """The signed-in account, or a sign-in prompt and a stop."""
    account = current_user()
    if account is None:
        st.info("Please sign in (or create a free account) to use this page.")
        st.page_link("views/pages/account.py", label="Sign in or create an account", icon=":material/login:")
        st.stop()
    return account


def require_tutor() -> Account:
    """The signed-in tutor; anyone else sees a refusal and nothing of the page."""
    account = current_user()
    if account is None or not account.is_tutor:
        st.error("This page is for tutors only. Sign in with a tutor account to open it.")
        if account is None:
            st.page_link("views/pages/account.py", label="Sign in", icon=":material/login:")
        st.stop()
    return account
