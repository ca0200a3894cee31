"""Session and shared resources for every page: the store, the signed-in account, content.

Shared objects live in ``st.cache_resource`` (one per server process); per-browser state in
``st.session_state``. Lessons and glossary come from the package's caches, keyed on the
files' sizes and mtimes, so a tutor's saved edit shows on the learner's next page load
without a restart.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from typing import Any

import streamlit as st
from streamlit import runtime
from streamlit.runtime import Runtime

from course.accounts.accounts import Account, Accounts
from course.accounts.progress import LessonProgress
from course.accounts.sessions import (
    COOKIE_NAME,
    SIGN_IN_ROUTE,
    SIGN_OUT_ROUTE,
    HandoffKind,
    Sessions,
    Status,
)
from course.accounts.throttle import SignInLimits
from course.clock import local_time, zone_named
from course.content.bibliography import Bibliography, current_references
from course.content.glossary import current_glossary
from course.content.lessons import current_catalog
from course.content.models import Catalog, Term
from course.errors import MesoError
from course.interop.lrs import ensure_sender
from course.paths import lessons_dir
from course.store.base import StoreError, TableStore
from course.store.factory import open_store
from views.parts.notices import capitalised, parts, show_error

USER_KEY = "user"  # the signed-in login (with SESSION_KEY; alone, only AppTest may set it)
SESSION_KEY = "auth:session"  # the id of this tab's server session
ACTIVITY_KEY = "last_activity"  # the tutor idle clock of an AppTest tab (real tabs: the session's)
HANDOFF_KEY = "auth:handoff"  # the cookie route the browser must visit next
NOTE_KEY = "signed_out_reason"
PAGE_KEY = "auth:page"  # the url_path of the page being shown, to come back to after signing in
ACCOUNT_KEY = "auth:account"  # the account this tab's session named when last checked (see current_user)
_HANDOFF_URL = re.compile(r"/auth/(session|signed-out)\?code=[0-9a-f]{64}")


def tutor_idle_seconds() -> float:
    """A tutor session ends after this much inactivity (``MESO_TUTOR_IDLE_MIN``, default 30)."""
    return float(os.environ.get("MESO_TUTOR_IDLE_MIN", "30")) * 60


_RUN = threading.local()  # the script thread's memo of the whole-app run under way (see one_run)


@contextmanager
def one_run() -> Iterator[None]:
    """Scope of one whole-app run (``views/parts/frame.py``): within it, what the frame and the page
    each ask for several times (the store, the signed-in account, the lesson catalog, the
    bibliography) is worked out once. The memo ends with the run, so the next run (and a fragment
    rerun, which does not go through the frame) looks at the files, the cookie and the store again:
    a tutor's saved edit or a sign-out elsewhere shows on the next run, as before.
    """
    _RUN.memo = {}
    try:
        yield
    finally:
        _RUN.memo = None


def _run_memo() -> dict[str, Any] | None:
    memo: dict[str, Any] | None = getattr(_RUN, "memo", None)
    return memo


def store() -> TableStore:
    """The course's store (:func:`course.store.factory.open_store`): the CSV folder
    ``MESO_DATA_DIR``, or PostgreSQL when ``MESO_DATABASE_URL`` is set; read on every run so
    tests can point a process at a throwaway folder or database (once per whole-app run)."""
    memo = _run_memo()
    if memo is None:
        return open_store()
    if "store" not in memo:
        memo["store"] = open_store()
    found: TableStore = memo["store"]
    return found


def require_store() -> None:
    """Stop the page with the reason when the store cannot be used (a database that is down,
    or whose schema is older than the course needs: the message names the command to run)."""
    try:
        store()
    except MesoError as exc:
        text, detail = parts(exc)
        if detail:  # the server is not answering: what a learner can do; the check is for whoever runs it
            text = f"{capitalised(text)}. Please reload the page in a few minutes; if this goes on, tell your tutor."
        else:
            text = f"The course cannot open its data: {text}"
        show_error(text, detail, icon=":material/database:")
        st.stop()


def accounts() -> Accounts:
    return Accounts(store())


def lesson_progress() -> LessonProgress:
    return LessonProgress(store())


def catalog() -> Catalog:
    """All lessons, reloaded whenever a lesson file changes on disk (looked at once per whole-app run)."""
    memo = _run_memo()
    if memo is not None and "catalog" in memo:
        held: Catalog = memo["catalog"]
        return held
    folder = lessons_dir()
    current = current_catalog(folder)
    seen = _seen_lessons(str(folder))
    seen.update({lesson.id: lesson.path.name for lesson in current.lessons})
    if memo is not None:
        memo["catalog"] = current
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


def user_zone() -> tzinfo:
    """The time zone of this browser (Streamlit reads it from the page), else UTC.

    Times are stored in UTC; pages show them in this zone, with its name written out.
    """
    return zone_named(st.context.timezone)


def shown_time(moment: datetime | str, *, date: bool = True) -> str:
    """A stored time as this browser's user reads it: ``2026-12-02 10:30 CET`` (or ``10:30 CET``)."""
    return local_time(moment, user_zone(), date=date)


def references() -> Bibliography:
    """The bibliography as the references file is now (with its problems, if any), looked at
    once per whole-app run."""
    memo = _run_memo()
    if memo is None:
        return current_references(lessons_dir())
    if "references" not in memo:
        memo["references"] = current_references(lessons_dir())
    found: Bibliography = memo["references"]
    return found


def sessions() -> Sessions:
    return Sessions(store(), tutor_idle=timedelta(seconds=tutor_idle_seconds()))


def sign_in_limits() -> SignInLimits:
    """The sign-in rate limit, stored so every server process shares it and a restart keeps it."""
    return SignInLimits(store())


def client_address() -> str:
    """The browser's address as Streamlit sees it (empty under AppTest)."""
    return st.context.ip_address or ""


def _from_a_browser() -> bool:
    """Whether this run serves a real HTTP client: a browser always sends headers (Host, at least);
    AppTest sends none, and so no cookie. Only when it sends none may a bare ``user`` in session
    state (the tests' seam) count.

    AppTest runs each script under a stand-in runtime (a ``MagicMock`` of ``Runtime``, new for every
    run, whose client context is built from mocks when first read: about 2.5 ms a run). A
    stand-in runtime serves no browser, so it is told apart first without reading the context."""
    if type(runtime.get_instance()) is not Runtime:
        return False
    return len(st.context.headers) > 0


_NOTES = {
    Status.EXPIRED: "Your session has expired: please sign in again.",
    Status.REVOKED: "You were signed out (here or on another device): please sign in again.",
    Status.UNKNOWN: "Your sign-in was not recognised, so you are signed out: please sign in again.",
    Status.TAMPERED: "Your sign-in cookie was not valid, so you are signed out: please sign in again.",
}
TUTOR_IDLE_NOTE = "Your tutor session ended after a period of inactivity."


def _forget() -> None:
    for key in (USER_KEY, SESSION_KEY, ACTIVITY_KEY, ACCOUNT_KEY):
        st.session_state.pop(key, None)


def _test_seam_user(login: str) -> Account | None:
    """A tab signed in by an AppTest (``session_state["user"]``, no server session): the account,
    with the tutor idle limit kept on this tab's own clock (``last_activity``)."""
    account = accounts().get(login)
    now = time.time()
    last = st.session_state.get(ACTIVITY_KEY, now)
    if account is None or (account.is_tutor and now - last > tutor_idle_seconds()):
        _forget()
        if account is not None:
            st.session_state[NOTE_KEY] = TUTOR_IDLE_NOTE
        return None
    st.session_state[ACTIVITY_KEY] = now
    return account


def current_user() -> Account | None:
    """The signed-in account, or None: the one place every page learns who is signed in.

    Worked out once per whole-app run (:func:`one_run`): later calls in the same run return the
    same answer while this tab's session and login are unchanged (a sign-in or sign-out in the
    run changes them, so the next call looks again). See :func:`_signed_in_account`.
    """
    memo = _run_memo()
    held = (st.session_state.get(SESSION_KEY), st.session_state.get(USER_KEY))
    if memo is not None and "user" in memo and memo["user_for"] == held:
        known: Account | None = memo["user"]
        return known
    account = _signed_in_account()
    if memo is not None:
        memo["user"] = account
        memo["user_for"] = (st.session_state.get(SESSION_KEY), st.session_state.get(USER_KEY))
    return account


def _signed_in_account() -> Account | None:
    """The signed-in account, or None (what :func:`current_user` returns).

    This tab's session (bound when it signed in, or when it first read the cookie), else the
    ``meso_session`` cookie: its token's hash names a session in the store, which names the
    account. A session that is expired, revoked, unknown or tampered with means signed out, with
    a note (``signed_out_reason``) saying why. Use is recorded now and then (a ``touched`` row).

    When the store cannot be read (a database that is down), a tab whose session was checked
    before keeps that account for this run, so the page it shows (a quiz with its answers) stays
    on screen and says itself what cannot be saved; nothing can be read or saved meanwhile, and
    the session is checked again on the first run after the store is back. A tab with no checked
    session gets the store's error.
    """
    try:
        return _checked_user()
    except StoreError:
        known: Account | None = st.session_state.get(ACCOUNT_KEY)
        if known is None or st.session_state.get(SESSION_KEY) is None:
            raise
        return known


def _checked_user() -> Account | None:
    book = sessions()
    session_id = st.session_state.get(SESSION_KEY)
    if session_id is None:
        if not _from_a_browser():  # AppTest: no request headers, so no cookie either
            login = st.session_state.get(USER_KEY)
            if login is not None:  # signed in by the test (the seam counts only here)
                return _test_seam_user(login)
            _forget()
            return None
        token = st.context.cookies.get(COOKIE_NAME)
        if not isinstance(token, str) or not token:
            _forget()
            return None
        found = book.by_token(token)
        if found.session is None:
            _forget()
            st.session_state[NOTE_KEY] = _NOTES[found.status]
            return None
        session_id = found.session.session_id
    session = book.by_id(session_id)
    account = None if session is None else accounts().get(session.login)
    if session is None or account is None:
        _forget()
        st.session_state[NOTE_KEY] = _NOTES[Status.UNKNOWN]
        return None
    status = book.status(session, account.is_tutor)
    if status is not Status.LIVE:
        _forget()
        st.session_state[NOTE_KEY] = (
            TUTOR_IDLE_NOTE if status is Status.EXPIRED and account.is_tutor else _NOTES[status]
        )
        return None
    book.touch(session, account.is_tutor)
    st.session_state[SESSION_KEY] = session_id
    st.session_state[ACCOUNT_KEY] = replace(account, password_hash="")  # who, not how to sign in
    st.session_state[USER_KEY] = account.login
    st.session_state.pop(NOTE_KEY, None)
    return account


def sign_in(account: Account, next_path: str = "/account") -> None:
    """Start a server session for ``account`` in this tab, and have the browser collect its cookie.

    The token is sealed into a one-time code (never into the page); :func:`follow_handoff` then
    sends the browser to the cookie route, which sets the cookie and redirects to ``next_path``.
    """
    book = sessions()
    token, session = book.create(account.login)
    st.session_state[SESSION_KEY] = session.session_id
    st.session_state[USER_KEY] = account.login
    st.session_state.pop(NOTE_KEY, None)
    code = book.issue(HandoffKind.SIGN_IN, session.session_id, token, next_path)
    st.session_state[HANDOFF_KEY] = f"{SIGN_IN_ROUTE}?code={code}"


def sign_out(everywhere: bool = False) -> None:
    """Revoke this tab's session (or every session of the account), then clear the cookie."""
    book = sessions()
    session_id = st.session_state.get(SESSION_KEY)
    login = st.session_state.get(USER_KEY)
    if everywhere and login:
        book.revoke_all(login, "signed out everywhere")
    elif session_id:
        book.revoke(session_id)
    _forget()
    if session_id:
        code = book.issue(HandoffKind.SIGN_OUT, session_id, None, "/account")
        st.session_state[HANDOFF_KEY] = f"{SIGN_OUT_ROUTE}?code={code}"


def follow_handoff() -> None:
    """Send the browser to the cookie route once, if a sign-in or sign-out asked for it.

    The address holds only a one-time code of our own (64 hex characters), never user text or
    the token; ``location.replace`` keeps the page out of the history.
    """
    target = st.session_state.pop(HANDOFF_KEY, None)
    if target and _HANDOFF_URL.fullmatch(target):
        st.html(
            f"<script>window.location.replace({json.dumps(target)});</script>",
            unsafe_allow_javascript=True,
        )


def signed_out_note() -> str | None:
    """Why this browser was signed out (expired, revoked, a bad cookie), if it was."""
    note: str | None = st.session_state.get(NOTE_KEY)
    return note


def sign_in_link(label: str = "Sign in or create an account") -> None:
    """A link to the Account page that brings the learner back to this page after signing in."""
    here = st.session_state.get(PAGE_KEY, "")
    params = {"next": here} if here else None
    st.page_link("views/pages/account.py", label=label, icon=":material/login:", query_params=params)


def require_learner() -> Account:
    """The signed-in account, or a sign-in prompt and a stop."""
    account = current_user()
    if account is None:
        st.info("Please sign in (or create a free account) to use this page.")
        sign_in_link()
        st.stop()
    return account


def start_lrs_sender() -> None:
    """Send xAPI statements to the LRS that ``MESO_LRS_URL`` names, in this process's background
    thread (started once; a dictionary look-up on every later run, so no page ever waits)."""
    ensure_sender()


def require_tutor() -> Account:
    """The signed-in tutor; anyone else sees a refusal and nothing of the page."""
    account = current_user()
    if account is None or not account.is_tutor:
        st.error("This page is for tutors only. Sign in with a tutor account to open it.")
        if account is None:
            sign_in_link("Sign in")
        st.stop()
    return account
