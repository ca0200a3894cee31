"""The sign-in rate limit, stored: per login and per client, for every server process, kept
across restarts.

Each try is a row of ``sign_ins.csv`` (``failed`` or ``ok``, with the login and the client's
address). A login may fail ``free_per_login`` times in a row; each further try must then wait
``base_delay`` seconds, doubling per failure up to ``max_delay``, until a right password clears
it. A client (an address) may fail ``free_per_client`` times within ``client_window`` whatever
the logins, then waits the same way; its count is not cleared by a success, so signing in to
one's own account does not reset it. A try refused because it must wait is not written, so a
flood does not grow the file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from course.clock import parse_stamp, stamp, utc_now
from course.store.base import ReadResult, TableStore
from course.store.memo import PerVersion
from course.store.tables import SIGN_INS


@dataclass
class _Counts:
    login_failures: dict[str, tuple[int, datetime]] = field(default_factory=dict)
    client_failures: dict[str, list[datetime]] = field(default_factory=lambda: defaultdict(list))


def _count(result: ReadResult) -> _Counts:
    counts = _Counts()
    frame = result.frame
    for at, login, client, outcome in zip(frame["at"], frame["login"], frame["client"], frame["outcome"], strict=True):
        try:
            moment = parse_stamp(str(at))
        except ValueError:
            continue
        if outcome == "ok":
            counts.login_failures.pop(login, None)
        elif outcome == "failed":
            count, _ = counts.login_failures.get(login, (0, moment))
            counts.login_failures[login] = (count + 1, moment)
            if client:
                counts.client_failures[client].append(moment)
    return counts


_counts = PerVersion(_count)


@dataclass
class SignInLimits:
    """The stored rate limit (same interface as :class:`course.accounts.accounts.LoginThrottle`)."""

    store: TableStore
    free_per_login: int = 3
    free_per_client: int = 20
    client_window: timedelta = timedelta(minutes=15)
    base_delay: float = 2.0
    max_delay: float = 300.0
    clock: Callable[[], datetime] = utc_now

    def _delay(self, over: int) -> float:
        return min(self.base_delay * 2.0**over, self.max_delay)

    def wait_seconds(self, login: str, client: str = "") -> float:
        """How long the next try for ``login`` from ``client`` must wait (0: it may try now)."""
        counts = _counts(self.store.read(SIGN_INS))
        now = self.clock()
        waits = [0.0]
        count, last = counts.login_failures.get(_key(login), (0, now))
        if count >= self.free_per_login:
            waits.append((last - now).total_seconds() + self._delay(count - self.free_per_login))
        recent = [t for t in counts.client_failures.get(client, []) if now - t <= self.client_window] if client else []
        if len(recent) >= self.free_per_client:
            waits.append((recent[-1] - now).total_seconds() + self._delay(len(recent) - self.free_per_client))
        return max(waits)

    def failed(self, login: str, client: str = "") -> None:
        self._write(login, client, "failed")

    def succeeded(self, login: str, client: str = "") -> None:
        self._write(login, client, "ok")

    def _write(self, login: str, client: str, outcome: str) -> None:
        row = {"at": stamp(self.clock()), "login": _key(login)[:64], "client": client[:64], "outcome": outcome}
        self.store.append(SIGN_INS, [row])


def _key(login: str) -> str:
    return login.strip().lower()
