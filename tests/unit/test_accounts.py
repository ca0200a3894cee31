"""Accounts: hashing, sign-up rules, sign-in, throttling, the users CLI, corrupt rows."""

from __future__ import annotations

import base64
import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from course.accounts.accounts import (
    AccountError,
    Accounts,
    LoginThrottle,
    Role,
    hash_password,
    needs_rehash,
    verify_password,
)
from course.accounts.progress import LessonProgress, completion_ratio
from course.store.csvstore import Store
from course.store.tables import USERS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def accounts(tmp_path: Path) -> Accounts:
    return Accounts(Store(tmp_path))


def test_hash_is_salted_argon2id_at_the_owasp_cost_and_verifies() -> None:
    first, second = hash_password("password123"), hash_password("password123")
    assert first != second and first.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password("password123", first)
    assert not verify_password("password124", first)
    assert not verify_password("password123", "garbage")
    assert not needs_rehash(first)


def _legacy_scrypt(password: str) -> str:
    """A hash as earlier versions of the course stored it (salted scrypt, N = 2**14)."""
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt$16384$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def test_old_hashes_still_verify_and_are_flagged_for_an_upgrade() -> None:
    legacy = _legacy_scrypt("password123")
    assert verify_password("password123", legacy) and not verify_password("password124", legacy)
    weaker = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("password123")
    assert verify_password("password123", weaker)
    assert needs_rehash(legacy) and needs_rehash(weaker)


def test_signing_in_upgrades_an_old_hash_with_a_new_row(accounts: Accounts, tmp_path: Path) -> None:
    accounts.create("ada", "Ada", "password123")
    with (tmp_path / "users.csv").open("a", encoding="utf-8") as rows:  # as an older version left it
        rows.write(f"ada,Ada,learner,{_legacy_scrypt('password123')},2026-01-01T00:00:00+00:00,password-reset\n")
    with pytest.raises(AccountError):
        accounts.authenticate("ada", "wrong-password")
    assert accounts.get("ada").password_hash.startswith("scrypt$")  # a wrong password changes nothing
    signed = accounts.authenticate("ada", "password123")
    assert signed.password_hash.startswith("$argon2id$") and accounts.get("ada") == signed
    events = Store(tmp_path).read(USERS).frame["event"].tolist()
    assert events == ["created", "password-reset", "rehash"]  # appended; the history stays
    assert accounts.authenticate("ada", "password123") == signed  # current now: no further row
    assert len(Store(tmp_path).read(USERS).frame) == 3


def test_password_never_stored_in_clear(accounts: Accounts, tmp_path: Path) -> None:
    accounts.create("ada", "Ada", "s3cret-pass")
    assert "s3cret-pass" not in (tmp_path / "users.csv").read_text()


def test_sign_up_and_sign_in(accounts: Accounts) -> None:
    created = accounts.create("Ada ", "  Ada   Lovelace ", "password123")
    assert (created.login, created.display_name, created.role) == ("ada", "Ada Lovelace", Role.LEARNER)
    assert accounts.authenticate("ADA", "password123").login == "ada"
    with pytest.raises(AccountError, match="Wrong login or password"):
        accounts.authenticate("ada", "wrong-password")
    with pytest.raises(AccountError, match="Wrong login or password"):
        accounts.authenticate("nobody", "password123")


@pytest.mark.parametrize(
    ("login", "name", "password", "message"),
    [
        ("ada", "Ada", "short", "too short"),
        ("ada", "", "password123", "enter your name"),
        ("ada", "x" * 61, "password123", "too long"),
        ("a", "Ada", "password123", "3 to 32 characters"),
        ("../etc", "Ada", "password123", "3 to 32 characters"),
    ],
)
def test_bad_sign_ups_are_refused(accounts: Accounts, login: str, name: str, password: str, message: str) -> None:
    with pytest.raises(AccountError, match=message):
        accounts.create(login, name, password)


def test_existing_login_is_refused(accounts: Accounts) -> None:
    accounts.create("ada", "Ada", "password123")
    with pytest.raises(AccountError, match="already taken"):
        accounts.create("ada", "Other Ada", "password456")


def test_password_reset_appends_and_latest_wins(accounts: Accounts, tmp_path: Path) -> None:
    accounts.create("ada", "Ada", "password123")
    accounts.set_password("ada", "newpassword1", Role.TUTOR)
    assert accounts.authenticate("ada", "newpassword1").is_tutor
    with pytest.raises(AccountError):
        accounts.authenticate("ada", "password123")
    assert len((tmp_path / "users.csv").read_text().splitlines()) == 3  # header + 2 rows, history kept


def test_corrupt_users_line_is_reported_and_kept(accounts: Accounts, tmp_path: Path) -> None:
    accounts.create("ada", "Ada", "password123")
    with open(tmp_path / "users.csv", "a") as handle:
        handle.write("broken,line\n")
    accounts.create("bob", "Bob", "password123")
    assert set(accounts.all()) == {"ada", "bob"}
    assert any("users.csv:3" in p for p in accounts.problems())
    assert "broken,line" in (tmp_path / "users.csv").read_text()


def test_throttle_slows_repeated_failures() -> None:
    now = [1000.0]
    throttle = LoginThrottle(free=3, base_delay=2, max_delay=60, clock=lambda: now[0])
    for _ in range(3):
        assert throttle.wait_seconds("ada") == 0
        throttle.failed("ada")
    assert throttle.wait_seconds("ADA") == pytest.approx(2)
    throttle.failed("ada")
    assert throttle.wait_seconds("ada") == pytest.approx(4)
    now[0] += 5
    assert throttle.wait_seconds("ada") == 0
    for _ in range(20):
        throttle.failed("ada")
    assert throttle.wait_seconds("ada") == pytest.approx(60)
    throttle.succeeded("ada")
    assert throttle.wait_seconds("ada") == 0
    assert throttle.wait_seconds("someone-else") == 0


def test_lesson_progress_latest_action_wins(tmp_path: Path) -> None:
    progress = LessonProgress(Store(tmp_path))
    progress.set_complete("ada", "history")
    progress.set_complete("ada", "safety")
    progress.set_complete("ada", "history", done=False)
    progress.set_complete("bob", "history")
    assert progress.completed("ada") == {"safety"}
    assert completion_ratio(progress.completed("ada"), ["history", "safety", "gone-lesson"][:2]) == 0.5
    assert completion_ratio(frozenset(), []) == 0.0


def run_cli(args: list[str], data: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "course", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"MESO_DATA_DIR": str(data), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def test_users_cli_creates_tutor_from_stdin_and_resets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # one real ``python -m course`` process: the entry point, stdin and the exit status
    made = run_cli(["users", "add", "tess", "--tutor", "--name", "Tess", "--password-stdin"], tmp_path, "tutorpass1\n")
    assert made.returncode == 0, made.stderr
    assert made.stdout == "created tutor account 'tess'\n"
    assert Accounts(Store(tmp_path)).authenticate("tess", "tutorpass1").is_tutor
    # the other commands through the same main(), in this process (each new process costs ~1 s)
    from course.__main__ import main

    monkeypatch.setenv("MESO_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(sys, "stdin", io.StringIO("weak\n"))
    assert main(["users", "reset", "tess", "--password-stdin"]) == 1
    assert "too short" in capsys.readouterr().err
    assert main(["users", "list"]) == 0
    listed = capsys.readouterr().out
    assert "tess\ttutor\tTess" in listed and "argon2" not in listed
    assert Accounts(Store(tmp_path)).authenticate("tess", "tutorpass1").is_tutor  # the weak reset changed nothing


def test_users_cli_prompts_without_echo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from course.__main__ import build_parser
    from course.accounts import cli as cli_users

    monkeypatch.setenv("MESO_DATA_DIR", str(tmp_path))
    args = build_parser().parse_args(["users", "add", "tom", "--tutor"])
    answers = iter(["tutorpass1", "tutorpass1"])
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert cli_users.run_users(args, ask=lambda prompt: next(answers)) == 0
    assert Accounts(Store(tmp_path)).get("tom").is_tutor


def test_no_account_ships_with_the_course() -> None:
    assert not (ROOT / "data" / USERS.name).exists() or "data" in (ROOT / ".gitignore").read_text()
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "users.csv" not in tracked


def test_sign_in_waits_after_failures_and_says_how_long(accounts: Accounts) -> None:
    """The page's whole sign-in step: failures are counted, the wait is refused with a
    grammatical message (never "1 seconds"), and a success clears the count."""
    accounts.create("ada", "Ada", "password123")
    now = [100.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    for _ in range(throttle.free):
        with pytest.raises(AccountError, match="Wrong login or password"):
            accounts.sign_in("ada", "wrong-password", throttle)
    now[0] += throttle.base_delay - 0.5  # the last failure started a wait of base_delay seconds
    with pytest.raises(AccountError, match=r"Please wait 1 second and try again\."):
        accounts.sign_in("ada", "password123", throttle)  # refused without checking the password
    now[0] += 1.0
    assert accounts.sign_in("ada", "password123", throttle).login == "ada"
    assert throttle.wait_seconds("ada") == 0
