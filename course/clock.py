"""The one clock of the course: every stored time is UTC ISO 8601 to the second.

>>> from datetime import UTC, datetime
>>> stamp(datetime(2026, 12, 2, 9, 30, 15, 123456, tzinfo=UTC))
'2026-12-02T09:30:15+00:00'
>>> parse_stamp('2026-12-02T09:30:15+00:00').minute
30
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """Now in UTC to the second: stored times carry no microseconds."""
    return datetime.now(UTC).replace(microsecond=0)


def stamp(moment: datetime) -> str:
    """A moment as it is stored: UTC ISO 8601 with seconds (naive moments are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def now_utc() -> str:
    """The current time as it is stored (``stamp(utc_now())``)."""
    return stamp(utc_now())


def parse_stamp(text: str) -> datetime:
    """A stored time back as an aware ``datetime`` (raises ``ValueError`` on anything else)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
