"""The one clock of the course: every stored time is UTC ISO 8601 to the second.

>>> from datetime import UTC, datetime
>>> stamp(datetime(2026, 12, 2, 9, 30, 15, 123456, tzinfo=UTC))
'2026-12-02T09:30:15+00:00'
>>> parse_stamp('2026-12-02T09:30:15+00:00').minute
30

Times are stored in UTC and shown in the learner's own time zone (the browser's, which the
page passes in by name), always with the zone written out:

>>> local_time('2026-12-02T09:30:15+00:00', zone_named('Europe/Paris'))
'2026-12-02 10:30 CET'
>>> local_time('2026-12-02T09:30:15+00:00', zone_named(None), date=False)
'09:30 UTC'
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


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


def zone_named(name: str | None) -> tzinfo:
    """The time zone called ``name`` (an IANA name such as ``Europe/Paris``, as browsers give
    it), or UTC when there is none or it is not a zone this machine knows.

    >>> zone_named("Asia/Kolkata").key, zone_named("Mars/Olympus"), zone_named("../etc/passwd")
    ('Asia/Kolkata', datetime.timezone.utc, datetime.timezone.utc)
    """
    if not name or not isinstance(name, str):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # unknown, or not a zone name at all (a path)
        return UTC


def zone_label(zone: tzinfo) -> str:
    """The zone's name as a heading shows it: ``Europe/Paris``, or ``UTC``.

    >>> zone_label(zone_named("Europe/Paris")), zone_label(UTC)
    ('Europe/Paris', 'UTC')
    """
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) and key not in ("UTC", "Etc/UTC") else "UTC"


def zone_abbreviation(moment: datetime, zone: tzinfo) -> str:
    """The short name of ``zone`` at ``moment`` (``CET``, ``CEST``, ``UTC``); a zone whose
    short name is only an offset gets ``UTC`` in front (``UTC+04``, not a bare ``+04``).

    >>> zone_abbreviation(datetime(2026, 7, 1, tzinfo=UTC), zone_named("Europe/Paris"))
    'CEST'
    >>> zone_abbreviation(datetime(2026, 7, 1, tzinfo=UTC), zone_named("Asia/Dubai"))
    'UTC+04'
    """
    name = _aware(moment).astimezone(zone).tzname() or "UTC"
    return f"UTC{name}" if name[:1] in "+-" else name


def local_time(moment: datetime | str, zone: tzinfo, *, date: bool = True) -> str:
    """A stored time (or an aware ``datetime``) in ``zone``, to the minute, with the zone's short
    name: ``2026-12-02 10:30 CET``, or only ``10:30 CET`` with ``date=False``.

    An unreadable stored time comes back as it is rather than failing a page.

    >>> local_time("2026-06-30T23:30:00+00:00", zone_named("America/New_York"))
    '2026-06-30 19:30 EDT'
    >>> local_time("not a time", UTC)
    'not a time'
    """
    if isinstance(moment, str):
        try:
            moment = parse_stamp(moment)
        except ValueError:
            return str(moment)
    shown = _aware(moment).astimezone(zone)
    clock = f"{shown:%Y-%m-%d %H:%M}" if date else f"{shown:%H:%M}"
    return f"{clock} {zone_abbreviation(shown, zone)}"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
