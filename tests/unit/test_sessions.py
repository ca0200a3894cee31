"""Sessions: token creation and hashing, expiry, revocation, hand-off codes, the stored rate limit."""

from __future__ import annotations

import base64
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from course.accounts.accounts import AccountError, Accounts
from course.accounts.sessions import (
    HandoffKind,
    Sessions,
    Status,
    hash_token,
    new_token,
    safe_next,
    seal,
    unseal,
    well_formed,
)
from course.accounts.throttle import SignInLimits
from course.store.csvstore import Store
from course.store.tables import SESSIONS

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sessions(tmp_path: Path, clock: Clock) -> Sessions:
    return Sessions(Store(tmp_path), clock=clock)


def test_tokens_are_256_random_bits_and_only_their_hash_is_stored(sessions: Sessions, tmp_path: Path) -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(well_formed(t) and len(base64.urlsafe_b64decode(t + "=")) == 32 for t in tokens)
    token, session = sessions.create("ada")
    assert session.token_hash == hash_token(token) and len(session.token_hash) == 64
    stored = (tmp_path / SESSIONS.name).read_text()
    assert token not in stored and hash_token(token) in stored
    assert sessions.by_token(token).session == session


def test_a_tampered_or_unknown_cookie_finds_no_session(sessions: Sessions) -> None:
    token, _ = sessions.create("ada")
    assert sessions.by_token(token[:-1] + ("A" if token[-1] != "A" else "B")).status is Status.UNKNOWN
    assert sessions.by_token(token + "x").status is Status.TAMPERED
    assert sessions.by_token("' OR 1=1 --").status is Status.TAMPERED
    assert sessions.by_token("").status is Status.TAMPERED


def test_learner_sessions_slide_for_14_days_with_rare_touches(sessions: Sessions, clock: Clock) -> None:
    _, session = sessions.create("ada")
    clock.now += timedelta(minutes=30)
    sessions.touch(session, tutor=False)  # too soon: nothing written
    assert sessions.by_id(session.session_id).last_seen == session.last_seen
    clock.now += timedelta(days=13)
    sessions.touch(session, tutor=False)
    session = sessions.by_id(session.session_id)
    assert session.last_seen == clock.now
    clock.now += timedelta(days=13, hours=23)
    assert sessions.status(session, tutor=False) is Status.LIVE
    clock.now += timedelta(hours=2)
    assert sessions.status(session, tutor=False) is Status.EXPIRED
    events = Store(sessions.store.folder).read(SESSIONS).frame["event"].tolist()
    assert events == ["created", "touched"]


def test_tutor_sessions_end_after_the_idle_limit(sessions: Sessions, clock: Clock) -> None:
    _, session = sessions.create("tess")
    assert sessions.touch_every(tutor=True) == timedelta(minutes=5)
    clock.now += timedelta(minutes=29)
    assert sessions.status(session, tutor=True) is Status.LIVE
    sessions.touch(session, tutor=True)
    session = sessions.by_id(session.session_id)
    clock.now += timedelta(minutes=31)
    assert sessions.status(session, tutor=True) is Status.EXPIRED
    assert sessions.status(session, tutor=False) is Status.LIVE  # the same idle time is fine for a learner


def test_revoke_one_and_revoke_all(sessions: Sessions) -> None:
    _, phone = sessions.create("ada")
    _, laptop = sessions.create("ada")
    _, other = sessions.create("bob")
    sessions.revoke(phone.session_id)
    assert sessions.status(sessions.by_id(phone.session_id), tutor=False) is Status.REVOKED
    assert [s.session_id for s in sessions.live_for("ada", tutor=False)] == [laptop.session_id]
    assert sessions.revoke_all("ada", "signed out everywhere") == 1
    assert sessions.live_for("ada", tutor=False) == []
    assert sessions.by_id(laptop.session_id).revoked == "signed out everywhere"
    assert sessions.status(sessions.by_id(other.session_id), tutor=False) is Status.LIVE
    assert sessions.revoke_all("ada", "again") == 0  # nothing left to revoke, nothing written


def test_a_password_reset_revokes_every_session(tmp_path: Path) -> None:
    accounts = Accounts(Store(tmp_path))
    accounts.create("ada", "Ada", "password123")
    sessions = Sessions(Store(tmp_path))
    _, session = sessions.create("ada")
    accounts.set_password("ada", "new-password-1")
    assert sessions.by_id(session.session_id).revoked == "password reset"


def test_the_cli_reset_signs_the_account_out(tmp_path: Path) -> None:
    Accounts(Store(tmp_path)).create("tess", "Tess", "password123")
    _, session = Sessions(Store(tmp_path)).create("tess")
    done = subprocess.run(
        [sys.executable, "-m", "course", "users", "reset", "tess", "--password-stdin"],
        input="another-pass1\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"MESO_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "signed out" in done.stdout
    assert Sessions(Store(tmp_path)).by_id(session.session_id).revoked == "password reset"


def test_handoff_codes_work_once_within_a_minute(sessions: Sessions, clock: Clock, tmp_path: Path) -> None:
    token, session = sessions.create("ada")
    code = sessions.issue(HandoffKind.SIGN_IN, session.session_id, token, "/quizzes?quiz=safety")
    assert token not in (tmp_path / "handoffs.csv").read_text()
    assert sessions.redeem(code, HandoffKind.SIGN_OUT) is None  # the other kind
    used = sessions.redeem(code, HandoffKind.SIGN_IN)
    assert used is not None and used.token == token and used.next == "/quizzes?quiz=safety"
    assert sessions.redeem(code, HandoffKind.SIGN_IN) is None  # single use
    late = sessions.issue(HandoffKind.SIGN_IN, session.session_id, token)
    clock.now += timedelta(seconds=61)
    assert sessions.redeem(late, HandoffKind.SIGN_IN) is None
    assert sessions.redeem("0" * 64, HandoffKind.SIGN_IN) is None
    assert sessions.redeem("not a code", HandoffKind.SIGN_IN) is None


def test_seal_needs_the_code() -> None:
    token = new_token()
    assert unseal(seal(token, "a" * 64), "a" * 64) == token
    assert unseal(seal(token, "a" * 64), "b" * 64) != token


@pytest.mark.parametrize(
    ("asked", "kept"),
    [
        ("/quizzes", "/quizzes"),
        ("/", "/"),
        ("/quizzes?quiz=lesson-1", "/quizzes?quiz=lesson-1"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/a/../b", "/"),
        (None, "/"),
    ],
)
def test_only_local_pages_are_returned_to(asked: str | None, kept: str) -> None:
    assert safe_next(asked) == kept


def test_stored_rate_limit_per_login_survives_a_restart(tmp_path: Path, clock: Clock) -> None:
    limits = SignInLimits(Store(tmp_path), clock=clock)
    for _ in range(3):
        assert limits.wait_seconds("ada", "10.0.0.1") == 0
        limits.failed("ada", "10.0.0.1")
    restarted = SignInLimits(Store(tmp_path), clock=clock)  # another process, or after a restart
    assert restarted.wait_seconds("ADA", "10.0.0.2") == pytest.approx(2)
    restarted.failed("ada", "10.0.0.2")
    assert limits.wait_seconds("ada") == pytest.approx(4)
    clock.now += timedelta(seconds=5)
    assert limits.wait_seconds("ada") == 0
    limits.succeeded("ada", "10.0.0.1")
    assert limits.wait_seconds("ada") == 0
    assert limits.wait_seconds("bob") == 0


def test_stored_rate_limit_per_client_across_logins(tmp_path: Path, clock: Clock) -> None:
    limits = SignInLimits(Store(tmp_path), free_per_client=5, clock=clock)
    for n in range(5):
        limits.failed(f"user{n}", "10.0.0.9")
    assert limits.wait_seconds("someone-new", "10.0.0.9") == pytest.approx(2)
    assert limits.wait_seconds("someone-new", "10.0.0.8") == 0
    limits.succeeded("own-account", "10.0.0.9")  # a success does not clear the client's count
    assert limits.wait_seconds("someone-new", "10.0.0.9") == pytest.approx(2)
    clock.now += timedelta(minutes=16)  # the failures have left the window
    assert limits.wait_seconds("someone-new", "10.0.0.9") == 0


def test_sign_in_gives_one_message_and_is_throttled(tmp_path: Path, clock: Clock) -> None:
    accounts = Accounts(Store(tmp_path))
    accounts.create("ada", "Ada", "password123")
    limits = SignInLimits(Store(tmp_path), clock=clock)
    messages = set()
    for login in ("ada", "nobody", "ada"):
        with pytest.raises(AccountError) as refused:
            accounts.sign_in(login, "wrong-password", limits, "10.0.0.1")
        messages.add(str(refused.value))
    assert messages == {"Wrong login or password."}
    accounts.sign_in("ada", "password123", limits, "10.0.0.1")
    for _ in range(3):
        with pytest.raises(AccountError):
            accounts.sign_in("ada", "nope-nope", limits, "10.0.0.1")
    with pytest.raises(AccountError, match="Too many failed attempts"):
        accounts.sign_in("ada", "password123", limits, "10.0.0.1")


def test_an_unknown_login_costs_one_password_check_like_a_known_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import course.accounts.accounts as module

    accounts = Accounts(Store(tmp_path))
    accounts.create("ada", "Ada", "password123")
    checked: list[str] = []
    real = module.verify_password
    monkeypatch.setattr(module, "verify_password", lambda pw, stored: checked.append(stored[:9]) or real(pw, stored))
    for login in ("ada", "nobody"):
        with pytest.raises(AccountError):
            accounts.authenticate(login, "wrong-password")
    assert checked == ["$argon2id", "$argon2id"]  # the unknown login is checked against a dummy hash
