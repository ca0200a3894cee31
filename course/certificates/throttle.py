"""The verification page's rate limit, per client (the address the request came from).

Two limits, after the pattern of the sign-in limit (:mod:`course.accounts.throttle`):

* **Codes that are not genuine**, stored: each one is a row of ``verify_tries.csv``, so every
  server process shares the count and a restart keeps it. A client may look up
  ``free_failures`` such codes within ``window``; each further lookup must then wait
  ``base_delay`` seconds, doubling per failure up to ``max_delay``. A refused lookup is not
  written, so a flood does not grow the file. (Guessing is hopeless anyway: a code carries an
  80-bit HMAC; the limit keeps a script from hammering the page.)
* **Every lookup**, in this process: at most ``per_minute`` per client per minute, genuine ones
  included, so a client cannot keep the server busy. Kept in memory: storing every genuine
  lookup would grow a file without bound for no safety gain.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from course.clock import parse_stamp, stamp, utc_now
from course.store.base import ReadResult, TableStore
from course.store.memo import PerVersion
from course.store.tables import VERIFY_TRIES

FAILED = "failed"
MAX_CLIENTS = 10_000  # clients remembered in memory; the oldest is forgotten past this


def _failures(result: ReadResult) -> dict[str, list[datetime]]:
    out: dict[str, list[datetime]] = defaultdict(list)
    for at, client, outcome in zip(result.frame["at"], result.frame["client"], result.frame["outcome"], strict=True):
        if outcome != FAILED:
            continue
        try:
            out[str(client)].append(parse_stamp(str(at)))
        except ValueError:
            continue
    return out


_FAILURES = PerVersion(_failures)


@dataclass
class VerifyLimits:
    store: TableStore
    free_failures: int = 10
    window: timedelta = timedelta(minutes=15)
    base_delay: float = 2.0
    max_delay: float = 300.0
    per_minute: int = 30
    clock: Callable[[], datetime] = utc_now
    _recent: dict[str, deque[datetime]] = field(default_factory=dict, init=False, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def wait_seconds(self, client: str) -> float:
        """How long ``client`` must wait before its next lookup (0: it may look up now)."""
        now = self.clock()
        waits = [0.0]
        failures = [t for t in _FAILURES(self.store.read(VERIFY_TRIES)).get(client, []) if now - t <= self.window]
        if len(failures) >= self.free_failures:
            delay = min(self.base_delay * 2.0 ** (len(failures) - self.free_failures), self.max_delay)
            waits.append((failures[-1] - now).total_seconds() + delay)
        with self._guard:
            recent = self._recent.get(client)
            while recent and now - recent[0] >= timedelta(minutes=1):
                recent.popleft()
            if recent is not None and len(recent) >= self.per_minute:
                waits.append(60.0 - (now - recent[0]).total_seconds())
        return max(waits)

    def looked_up(self, client: str, genuine: bool) -> None:
        """Count a lookup that was answered (a code that was not genuine is also stored)."""
        with self._guard:
            if client not in self._recent and len(self._recent) >= MAX_CLIENTS:
                self._recent.pop(next(iter(self._recent)))
            self._recent.setdefault(client, deque()).append(self.clock())
        if not genuine:
            self.store.append(VERIFY_TRIES, [{"at": stamp(self.clock()), "client": client[:64], "outcome": FAILED}])
