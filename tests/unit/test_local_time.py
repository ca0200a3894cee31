"""Times shown to people: stored in UTC, shown in the browser's zone with the zone written out."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from course.analytics.learner import attempts_table
from course.analytics.times import local_minutes, time_heading
from course.clock import local_time, zone_abbreviation, zone_label, zone_named

PARIS = zone_named("Europe/Paris")


@pytest.mark.parametrize("name", [None, "", "Mars/Olympus", "../../etc/passwd", "Europe/../../x", "UTC"])
def test_no_zone_or_an_unknown_one_is_utc_labelled_utc(name: str | None) -> None:
    zone = zone_named(name)
    assert zone_label(zone) == "UTC"
    assert local_time("2026-12-02T09:30:15+00:00", zone) == "2026-12-02 09:30 UTC"


def test_summer_and_winter_time_and_the_day_changing() -> None:
    assert local_time("2026-01-15T12:00:00+00:00", PARIS) == "2026-01-15 13:00 CET"
    assert local_time("2026-07-15T12:00:00+00:00", PARIS) == "2026-07-15 14:00 CEST"
    tokyo = zone_named("Asia/Tokyo")
    assert local_time("2026-12-31T20:00:00+00:00", tokyo) == "2027-01-01 05:00 JST"  # the date moves too
    assert local_time(datetime(2026, 12, 31, 20, 0, tzinfo=UTC), tokyo, date=False) == "05:00 JST"


def test_a_zone_named_only_by_its_offset_says_utc_plus() -> None:
    moment = datetime(2026, 3, 1, tzinfo=UTC)
    assert zone_abbreviation(moment, zone_named("Asia/Dubai")) == "UTC+04"
    assert zone_abbreviation(moment, zone_named("America/Sao_Paulo")) == "UTC-03"
    assert local_time(moment, zone_named("Asia/Kolkata"), date=False) == "05:30 IST"


def test_naive_and_unreadable_times() -> None:
    assert local_time(datetime(2026, 1, 1, 23, 0), PARIS) == "2026-01-02 00:00 CET"  # naive = UTC
    assert local_time("yesterday", PARIS) == "yesterday"


def test_table_cells_are_local_and_the_heading_names_the_zone() -> None:
    cells = local_minutes(pd.Series(["2026-07-15T12:00:00+00:00", None, "nonsense"]), PARIS)
    assert cells.tolist() == ["2026-07-15 14:00", "", ""]
    assert time_heading("Date", PARIS) == "Date (Europe/Paris)"


def test_my_progress_table_in_the_learners_zone() -> None:
    attempts = pd.DataFrame(
        {
            "when": pd.to_datetime(["2026-03-01T23:30:00+00:00"], utc=True),
            "quiz": ["history"],
            "score": [1.0],
            "max_score": [2.0],
            "percentage": [50.0],
            "passed": [False],
            "outcome": ["submitted"],
        }
    )
    table = attempts_table(attempts, {"history": "History"}, zone_named("Asia/Tokyo"))
    assert table.columns[0] == "Date (Asia/Tokyo)"
    assert table.iloc[0, 0] == "2026-03-02 08:30"
