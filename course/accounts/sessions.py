"""Server-side sign-in sessions behind an HttpOnly cookie, and the one-time hand-off codes.

* **The token.** Signing in makes a random token of 256 bits (``secrets.token_bytes``), sent to
  the browser only in the ``meso_session`` cookie. The store keeps its SHA-256, never the token:
  a stolen ``sessions.csv`` gives nothing to replay. A plain SHA-256 is enough here (a slow
  hash such as Argon2 protects *guessable* passwords): a preimage of a hash of 256 random bits
  cannot be searched for, there is no dictionary to precompute, and a fast hash keeps the
  lookup done on every page run cheap.
* **Events, replayed.** ``sessions.csv`` only grows: ``created``, ``touched`` and ``revoked``
  rows; the state of each session is rebuilt from them (once per version of the file).
* **Lifetime.** A learner's session slides: it ends 14 days after it was last used. A tutor's
  ends after the tutor idle limit (``MESO_TUTOR_IDLE_MIN``, 30 minutes). Use is recorded as a
  ``touched`` row at most once an hour for a learner, and every sixth of the idle limit for a
  tutor (5 minutes), so the log stays small; the expiry runs from the last recorded use, so a
  tutor may be signed out up to that much before a full idle period.
* **Revocation.** Signing out revokes the session; "sign out everywhere" and a password reset
  from the command line revoke every session of the account.
* **Hand-off.** The page never sees the token. After a right password the page stores a
  one-time code (its hash, 60 seconds, single use) next to the token *sealed* with the code,
  and sends the browser to the cookie route with that code; the route redeems it, sets the
  cookie and redirects to a clean URL. Sign-out uses the same kind of code to clear the cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from course.clock import parse_stamp, stamp, utc_now
from course.store.base import ReadResult, TableStore
from course.store.memo import PerVersion
from course.store.tables import HANDOFFS, SESSIONS

COOKIE_NAME = "meso_session"
SIGN_IN_ROUTE = "/auth/session"  # redeems a sign-in code, sets the cookie
SIGN_OUT_ROUTE = "/auth/signed-out"  # redeems a sign-out code, clears the cookie
TOKEN_BYTES = 32  # 256 bits
LEARNER_LIFETIME = timedelta(days=14)
TUTOR_IDLE = timedelta(minutes=30)
TOUCH_EVERY = timedelta(hours=1)
HANDOFF_LIFETIME = timedelta(seconds=60)
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")
_SEAL_CONTEXT = b"meso-academy session hand-off"
_CODE_SHAPE = re.compile(r"[0-9a-f]{64}")
_NEXT_SHAPE = re.compile(r"/[a-z0-9-]{0,64}(\?[a-z]+=[a-z0-9-]{1,64})?")


class Status(StrEnum):
    LIVE = "live"
    EXPIRED = "expired"
    REVOKED = "revoked"
    UNKNOWN = "unknown"  # well formed, but no session has this token (or it was made up)
    TAMPERED = "tampered"  # not even the shape of a token: edited by hand


class HandoffKind(StrEnum):
    SIGN_IN = "sign-in"
    SIGN_OUT = "sign-out"


def new_token() -> str:
    """A fresh session token: 256 random bits, URL-safe base64 without padding (43 characters)."""
    return _encode(secrets.token_bytes(TOKEN_BYTES))


def hash_token(token: str) -> str:
    """The SHA-256 of a token, in hex: what the store keeps (see the module's note on why SHA-256)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def well_formed(token: str) -> bool:
    """Whether a cookie value has the shape of a token (43 URL-safe base64 characters)."""
    return bool(_TOKEN_SHAPE.fullmatch(token))


def safe_next(path: str | None) -> str:
    """The page to return to after signing in: a local path such as ``/quizzes`` (or ``/``).

    Anything else (another site, ``//host``, odd characters) becomes ``/``, so the redirect can
    never leave the course.
    """
    if path and _NEXT_SHAPE.fullmatch(path):
        return path
    return "/"


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "=")


def _pad(code: str) -> bytes:
    return hmac.new(code.encode("ascii"), _SEAL_CONTEXT, hashlib.sha256).digest()


def seal(token: str, code: str) -> str:
    """The token encrypted with a key derived from the one-time code (a one-time pad), in hex."""
    return bytes(a ^ b for a, b in zip(_decode(token), _pad(code), strict=True)).hex()


def unseal(sealed: str, code: str) -> str:
    return _encode(bytes(a ^ b for a, b in zip(bytes.fromhex(sealed), _pad(code), strict=True)))


@dataclass(frozen=True)
class Session:
    session_id: str
    login: str
    token_hash: str
    created: datetime
    last_seen: datetime
    revoked: str | None = None  # the reason, once revoked


@dataclass(frozen=True)
class Lookup:
    """What a cookie (or a tab's session id) leads to: a status and, when known, the session."""

    status: Status
    session: Session | None = None


@dataclass(frozen=True)
class Redeemed:
    """A hand-off code just used: its session, the token (sign-in only) and where to go next."""

    kind: HandoffKind
    session_id: str
    token: str | None
    next: str


@dataclass
class _Replay:
    by_id: dict[str, Session] = field(default_factory=dict)
    by_hash: dict[str, str] = field(default_factory=dict)


def _replay(result: ReadResult) -> _Replay:
    """Every session's state from its events: the first ``created`` row (with a token hash), the
    latest ``created``/``touched`` time, the first ``revoked`` reason. Stored times are all
    ``stamp()`` text (UTC ISO 8601 to the second), so they compare as text and are parsed once
    per session, not per row (20,000 rows take a few tens of ms)."""
    frame = result.frame
    columns = [frame[c].tolist() for c in SESSIONS.columns]  # plain lists: iterating Arrow arrays is slow
    started: dict[str, tuple[str, str, str]] = {}  # id -> (login, token hash, created)
    seen: dict[str, str] = {}
    revoked: dict[str, str] = {}
    for session_id, event, login, token_hash, at, reason in zip(*columns, strict=True):
        if event == "created" and token_hash and session_id not in started:
            started[session_id] = (login, token_hash, at)
            seen[session_id] = max(at, seen.get(session_id, at))
        elif event == "touched":
            seen[session_id] = max(at, seen.get(session_id, at))
        elif event == "revoked" and session_id not in revoked:
            revoked[session_id] = str(reason) or "signed out"
    state = _Replay()
    for session_id, (login, token_hash, created) in started.items():
        try:
            first, last = parse_stamp(created), parse_stamp(seen[session_id])
        except ValueError:  # a damaged time: the session cannot be trusted, so it does not exist
            continue
        state.by_id[session_id] = Session(
            session_id, login, token_hash, first, max(first, last), revoked.get(session_id)
        )
        state.by_hash[token_hash] = session_id
    return state


_sessions = PerVersion(_replay)


def _used_codes(result: ReadResult) -> dict[str, dict[str, str]]:
    issued: dict[str, dict[str, str]] = {}
    for row in result.frame.to_dict("records"):
        code_hash = str(row["code_hash"])
        if row["event"] == "issued" and code_hash not in issued:
            issued[code_hash] = {str(k): str(v) for k, v in row.items()}
        elif row["event"] == "used" and code_hash in issued:
            issued[code_hash]["used"] = "yes"
    return issued


_handoffs = PerVersion(_used_codes)


@dataclass
class Sessions:
    """The sessions of one data folder (any number of server processes may share it)."""

    store: TableStore
    tutor_idle: timedelta = TUTOR_IDLE
    learner_lifetime: timedelta = LEARNER_LIFETIME
    clock: Callable[[], datetime] = utc_now  # tests pass their own

    def now(self) -> datetime:
        return self.clock()

    # --- policy -----------------------------------------------------------------------------

    def lifetime(self, tutor: bool) -> timedelta:
        """How long after its last recorded use a session ends."""
        return self.tutor_idle if tutor else self.learner_lifetime

    def touch_every(self, tutor: bool) -> timedelta:
        """How often use is written down: hourly, or a sixth of a tutor's idle limit if shorter."""
        return min(TOUCH_EVERY, self.lifetime(tutor) / 6)

    def status(self, session: Session, tutor: bool) -> Status:
        if session.revoked is not None:
            return Status.REVOKED
        if self.now() > session.last_seen + self.lifetime(tutor):
            return Status.EXPIRED
        return Status.LIVE

    # --- reading ----------------------------------------------------------------------------

    def _state(self) -> _Replay:
        return _sessions(self.store.read(SESSIONS))

    def by_id(self, session_id: str) -> Session | None:
        return self._state().by_id.get(session_id)

    def by_token(self, token: str) -> Lookup:
        """The session a cookie value names: LIVE with the session when one has this token (its
        expiry and revocation are then :meth:`status`'s to judge), UNKNOWN when none has, TAMPERED
        for a value that is not even shaped like a token."""
        if not well_formed(token):
            return Lookup(Status.TAMPERED)
        state = self._state()
        session_id = state.by_hash.get(hash_token(token))
        return Lookup(Status.UNKNOWN) if session_id is None else Lookup(Status.LIVE, state.by_id[session_id])

    def live_for(self, login: str, tutor: bool) -> list[Session]:
        """The account's sessions that are still live (one per signed-in browser)."""
        sessions = self._state().by_id.values()
        return [s for s in sessions if s.login == login and self.status(s, tutor) is Status.LIVE]

    # --- writing ----------------------------------------------------------------------------

    def create(self, login: str) -> tuple[str, Session]:
        """A new session for ``login``: returns the token (for the cookie only) and the session."""
        token = new_token()
        now = self.now()
        session = Session(uuid.uuid4().hex, login, hash_token(token), now, now)
        self._append([(session.session_id, "created", login, session.token_hash, "")])
        return token, session

    def touch(self, session: Session, tutor: bool) -> None:
        """Record that the session is in use, if the last record is old enough (else nothing)."""
        if self.now() - session.last_seen >= self.touch_every(tutor):
            self._append([(session.session_id, "touched", session.login, "", "")])

    def revoke(self, session_id: str, reason: str = "signed out") -> None:
        session = self.by_id(session_id)
        if session is not None and session.revoked is None:
            self._append([(session_id, "revoked", session.login, "", reason)])

    def revoke_all(self, login: str, reason: str) -> int:
        """Revoke every session of ``login`` not yet revoked (in one write); return how many."""
        with self.store.lock:
            open_ = [s for s in self._state().by_id.values() if s.login == login and s.revoked is None]
            self._append([(s.session_id, "revoked", login, "", reason) for s in open_])
        return len(open_)

    def _append(self, rows: Iterable[tuple[str, str, str, str, str]]) -> None:
        at = stamp(self.now())
        self.store.append(
            SESSIONS,
            [
                {"session_id": i, "event": e, "login": login, "token_hash": h, "at": at, "reason": r}
                for i, e, login, h, r in rows
            ],
        )

    # --- hand-off codes -------------------------------------------------------------------------

    def issue(self, kind: HandoffKind, session_id: str, token: str | None = None, next_path: str = "/") -> str:
        """A one-time code for the cookie route (64 hex characters, 60 seconds, single use)."""
        code = secrets.token_hex(32)
        row = {
            "code_hash": hash_token(code),
            "kind": kind.value,
            "event": "issued",
            "session_id": session_id,
            "sealed": "" if token is None else seal(token, code),
            "next": safe_next(next_path),
            "at": stamp(self.now()),
        }
        self.store.append(HANDOFFS, [row])
        return code

    def redeem(self, code: str, kind: HandoffKind) -> Redeemed | None:
        """Use a code once: None if it is malformed, unknown, of the other kind, used or too old."""
        if not _CODE_SHAPE.fullmatch(code):
            return None
        code_hash = hash_token(code)
        with self.store.lock:
            row = _handoffs(self.store.read(HANDOFFS)).get(code_hash)
            if row is None or row.get("used") or row["kind"] != kind.value:
                return None
            try:
                issued = parse_stamp(row["at"])
            except ValueError:
                return None
            if self.now() - issued > HANDOFF_LIFETIME:
                return None
            used = {**{k: row[k] for k in HANDOFFS.columns}, "event": "used", "sealed": "", "at": stamp(self.now())}
            self.store.append(HANDOFFS, [used])
        token = unseal(row["sealed"], code) if row["sealed"] else None
        return Redeemed(kind, row["session_id"], token, safe_next(row["next"]))
