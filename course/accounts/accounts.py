"""Learner and tutor accounts: sign-up, sign-in, roles and password hashing.

Accounts live in ``users.csv`` (append only, via :mod:`course.store.csvstore`). A password change
or a role change appends a new row for the same login; the latest row wins, so no earlier
row is ever rewritten. Passwords are hashed with Argon2id (``argon2-cffi``) at OWASP's
recommended cost and checked in constant time; a hash made with older settings (or the
scrypt hashes of earlier versions) is replaced by a current one the next time its owner signs
in. No account, and so no password, ships with the course: tutors are created from the
command line.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from course.accounts.sessions import Sessions
from course.clock import now_utc
from course.errors import MesoError
from course.ids import LOGIN_PATTERN
from course.store.base import ReadResult, StoreError, TableStore, explain
from course.store.memo import PerVersion
from course.store.tables import USERS

MIN_PASSWORD = 8
MAX_PASSWORD = 256
MAX_NAME = 60
# scrypt cost: n=2**14, r=8 takes ~50 ms here: slow for a guesser, quick for a person.
# OWASP Password Storage Cheat Sheet: Argon2id with 19 MiB of memory, 2 passes, 1 lane (its
# first recommended configuration; about 40 ms here, so sign-in stays quick and guessing slow).
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class Throttle(Protocol):
    """What :meth:`Accounts.sign_in` asks of a rate limit (in memory, or stored: ``throttle``)."""

    def wait_seconds(self, login: str, client: str = "") -> float: ...
    def failed(self, login: str, client: str = "") -> None: ...
    def succeeded(self, login: str, client: str = "") -> None: ...


class Role(StrEnum):
    LEARNER = "learner"
    TUTOR = "tutor"


class AccountError(MesoError):
    """A sign-up or sign-in that must be refused; the message is shown to the user."""


@dataclass(frozen=True)
class Account:
    login: str
    display_name: str
    role: Role
    password_hash: str

    @property
    def is_tutor(self) -> bool:
        return self.role is Role.TUTOR


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` with a fresh salt, in the self-describing PHC format.

    >>> stored = hash_password("correct horse")
    >>> stored.startswith("$argon2id$"), verify_password("correct horse", stored)
    (True, True)
    """
    return HASHER.hash(password)


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of ``password`` against a stored hash (False if wrong or malformed).

    Also accepts the salted scrypt hashes (``scrypt$N$r$p$salt$digest``) of earlier versions, so
    their owners can still sign in and have them upgraded (:func:`needs_rehash`).
    """
    if stored.startswith("scrypt$"):
        return _verify_legacy_scrypt(password, stored)
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether a stored hash is older than today's settings (legacy scrypt, or weaker Argon2)."""
    return stored.startswith("scrypt$") or HASHER.check_needs_rehash(stored)


def _verify_legacy_scrypt(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt_b64, digest_b64 = stored.split("$")
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@functools.cache
def _dummy_hash() -> str:
    """A hash no password matches, checked for unknown logins so they cost as much as known ones."""
    return hash_password(secrets.token_urlsafe(16))


def validate_login(login: str) -> str:
    """The login trimmed and lower-cased, or AccountError: it is a key in every results file and
    part of lesson-history file names, so only a safe, short alphabet is allowed."""
    login = login.strip().lower()
    if not LOGIN_PATTERN.match(login):
        raise AccountError(
            "Choose a login of 3 to 32 characters: lowercase letters, digits, '.', '_' or '-', "
            "starting with a letter or digit."
        )
    return login


def validate_display_name(name: str) -> str:
    """The name with its whitespace collapsed, or AccountError if empty or too long for the pages."""
    name = " ".join(name.split())
    if not name:
        raise AccountError("Please enter your name as it should appear in the course.")
    if len(name) > MAX_NAME:
        raise AccountError(f"Your name is too long: {MAX_NAME} characters at most.")
    return name


def validate_password(password: str) -> str:
    """The password unchanged, or AccountError if too short to resist guessing or absurdly long."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Your password is too short: use at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"Your password is too long: {MAX_PASSWORD} characters at most.")
    return password


@dataclass
class Accounts:
    """The account book over one data folder."""

    store: TableStore

    def all(self) -> dict[str, Account]:
        """Every account, latest row per login (rows with an unknown role are skipped).

        The mapping is shared while users.csv is unchanged: do not modify it.
        """
        return _accounts_by_login(self.store.read(USERS))

    def problems(self) -> tuple[str, ...]:
        """Lines of users.csv that were skipped as corrupt (reported, never removed)."""
        return tuple(str(p) for p in self.store.read(USERS).problems)

    def get(self, login: str) -> Account | None:
        """The account for ``login`` (any case, surrounding spaces ignored), or None."""
        return self.all().get(login.strip().lower())

    def create(self, login: str, display_name: str, password: str, role: Role = Role.LEARNER) -> Account:
        """Create an account; refuse a taken login or a weak password with a clear message."""
        login = validate_login(login)
        display_name = validate_display_name(display_name)
        validate_password(password)
        account = Account(login, display_name, role, hash_password(password))
        with explain("Your account could not be created", "Please try again later."), self.store.lock:
            if self.get(login) is not None:
                raise AccountError(f"The login '{login}' is already taken: choose another one or sign in.")
            self._write(account, "created")
        return account

    def set_password(self, login: str, password: str, role: Role | None = None) -> Account:
        """Reset a password (and optionally the role): appends a new row; history stays. Every
        session of the account is revoked, so whoever knew the old password is signed out."""
        validate_password(password)
        with self.store.lock:
            current = self.get(login)
            if current is None:
                raise AccountError(f"No account '{login}'.")
            account = Account(current.login, current.display_name, role or current.role, hash_password(password))
            self._write(account, "password-reset")
            Sessions(self.store).revoke_all(account.login, "password reset")
        return account

    def change_password(self, login: str, current: str, new: str, throttle: Throttle, client: str = "") -> Account:
        """A learner's own password change: the current password first (counted like a sign-in, so
        the form cannot be used to guess it), then a new hash as a new row. Every session of the
        account is revoked, as on a reset; the page starts a fresh one for the browser in use."""
        validate_password(new)
        if new == current:
            raise AccountError("The new password is the one you have now: choose another one.")
        account = self._checked(login, current, throttle, client, "That is not your current password.")
        with explain("Your password could not be changed", "Please try again later."), self.store.lock:
            latest = self.get(account.login)
            if latest is None or latest.password_hash != account.password_hash:
                raise AccountError("Your password was changed meanwhile: please sign in again.")
            changed = Account(account.login, account.display_name, account.role, hash_password(new))
            self._write(changed, "password-change")
            Sessions(self.store).revoke_all(account.login, "password changed")
        return changed

    def rename(self, login: str, display_name: str) -> Account:
        """Change the name the course shows (and prints on certificates issued from now on)."""
        display_name = validate_display_name(display_name)
        with explain("Your name could not be changed", "Please try again later."), self.store.lock:
            current = self.get(login)
            if current is None:
                raise AccountError(f"No account '{login}'.")
            if current.display_name == display_name:
                return current
            renamed = Account(current.login, display_name, current.role, current.password_hash)
            self._write(renamed, "renamed")
        return renamed

    def _write(self, account: Account, event: str) -> None:
        self.store.append(
            USERS,
            [
                {
                    "login": account.login,
                    "display_name": account.display_name,
                    "role": account.role.value,
                    "password_hash": account.password_hash,
                    "created": now_utc(),
                    "event": event,
                }
            ],
        )

    def authenticate(self, login: str, password: str) -> Account:
        """Return the account for a right login and password, else raise AccountError.

        An unknown login still costs one hash, so the answer time does not tell a guesser
        which logins exist.
        """
        dummy = _dummy_hash()  # made before the lookup, so the first unknown login costs no extra hash
        account = self.get(login)
        stored = account.password_hash if account else dummy
        if not verify_password(password, stored) or account is None:
            raise AccountError("Wrong login or password.")
        if needs_rehash(stored):
            account = self._upgrade_hash(account, password)
        return account

    def sign_in(self, login: str, password: str, throttle: Throttle, client: str = "") -> Account:
        """The sign-in workflow: refuse while ``login`` (or ``client``, the caller's address) must
        wait, check the password, count a failure or clear the count; raises AccountError with the
        message for the page (the same one for an unknown login and a wrong password)."""
        return self._checked(login, password, throttle, client, "Wrong login or password.")

    def _checked(self, login: str, password: str, throttle: Throttle, client: str, refusal: str) -> Account:
        """:meth:`authenticate` behind the throttle: refuse while ``login`` or ``client`` must wait,
        count a failure (raising ``refusal``) or clear the count."""
        wait = throttle.wait_seconds(login, client)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise AccountError(
                f"Too many failed attempts. Please wait {seconds} second{'s' if seconds != 1 else ''} and try again."
            )
        try:
            account = self.authenticate(login, password)
        except AccountError:
            throttle.failed(login, client)
            raise AccountError(refusal) from None
        throttle.succeeded(login, client)
        return account

    def _upgrade_hash(self, account: Account, password: str) -> Account:
        """Store a current hash for a password just verified against an older one (a new row,
        as for any change); if the store cannot take it now, sign-in still succeeds."""
        upgraded = Account(account.login, account.display_name, account.role, hash_password(password))
        try:
            with self.store.lock:
                if self.get(account.login) == account:  # not changed meanwhile
                    self._write(upgraded, "rehash")
        except StoreError:
            return account
        return upgraded


def _build_accounts(result: ReadResult) -> dict[str, Account]:
    accounts: dict[str, Account] = {}
    for login, name, role, password_hash in zip(
        result.frame["login"],
        result.frame["display_name"],
        result.frame["role"],
        result.frame["password_hash"],
        strict=True,
    ):
        if role in _ROLES:
            accounts[login] = Account(login, name, Role(role), password_hash)
    return accounts


_ROLES = {role.value for role in Role}
_accounts_by_login = PerVersion(_build_accounts)


@dataclass
class LoginThrottle:
    """Slows repeated failed sign-ins: after ``free`` failures, each further try waits longer.

    Shared by every session of the server (it counts per login), thread-safe, with an
    injectable clock for tests. The delay doubles per failure up to ``max_delay`` seconds.
    """

    free: int = 3
    base_delay: float = 2.0
    max_delay: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def wait_seconds(self, login: str, client: str = "") -> float:
        """How long ``login`` must wait before the next try (0 when it may try now); this
        in-memory throttle counts per login only."""
        with self._guard:
            count, last = self._failures.get(login.strip().lower(), (0, 0.0))
        if count < self.free:
            return 0.0
        delay = min(self.base_delay * 2.0 ** (count - self.free), self.max_delay)
        return max(0.0, last + delay - self.clock())

    def failed(self, login: str, client: str = "") -> None:
        key = login.strip().lower()
        with self._guard:
            count, _ = self._failures.get(key, (0, 0.0))
            self._failures[key] = (count + 1, self.clock())

    def succeeded(self, login: str, client: str = "") -> None:
        with self._guard:
            self._failures.pop(login.strip().lower(), None)
