"""Stored times as a learner or tutor reads them in a table: in their own time zone, to the minute.

The zone itself is written in the column's heading (:func:`time_heading`), so the cells stay
sortable text; :func:`course.clock.local_time` is the same rule for one time in a sentence.
"""

from __future__ import annotations

from datetime import UTC, tzinfo

import pandas as pd

from course.clock import zone_label


def local_minutes(values: pd.Series | pd.Index, zone: tzinfo = UTC) -> pd.Series:
    """Times (aware, UTC-naive, or stored ISO 8601 text) as ``YYYY-MM-DD HH:MM`` in ``zone``;
    a missing or unreadable time becomes an empty cell.

    >>> from course.clock import zone_named
    >>> local_minutes(pd.Series(["2026-12-02T09:30:15+00:00", "?"]), zone_named("Europe/Paris")).tolist()
    ['2026-12-02 10:30', '']
    """
    moments = pd.Series(pd.to_datetime(values, utc=True, errors="coerce"), index=getattr(values, "index", None))
    return moments.dt.tz_convert(zone).dt.strftime("%Y-%m-%d %H:%M").fillna("").astype(object)


def time_heading(name: str, zone: tzinfo = UTC) -> str:
    """A time column's heading naming the zone its cells are in: ``Date (Europe/Paris)``.

    >>> time_heading("Date")
    'Date (UTC)'
    """
    return f"{name} ({zone_label(zone)})"
