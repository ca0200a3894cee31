"""CSV exports neutralise formula injection (OWASP) and keep everything else unchanged."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from course.analytics.export import neutralise, neutralise_cell, to_safe_csv

ATTACK = '=HYPERLINK("http://x","y")'


def read_back(payload: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(payload.decode("utf-8-sig"), newline="")))


def test_a_learner_named_hyperlink_is_exported_as_text() -> None:
    frame = pd.DataFrame({"learner": [ATTACK, "ada"], "score": [3.0, 4.0]})
    rows = read_back(to_safe_csv(frame))
    assert rows[0] == ["learner", "score"]
    assert rows[1] == ["'" + ATTACK, "3.0"]
    assert rows[2] == ["ada", "4.0"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_dangerous_first_character_is_quoted(start: str) -> None:
    value = f"{start}cmd|' /C calc'!A0"
    assert neutralise_cell(value) == "'" + value
    frame = pd.DataFrame({"answer": [value]})
    assert read_back(to_safe_csv(frame))[1] == ["'" + value]


@pytest.mark.parametrize("value", ["Ada", "a=b", "", " =x", "1+1", "'quoted"])
def test_harmless_cells_are_unchanged(value: str) -> None:
    assert neutralise_cell(value) == value


def test_numbers_missing_values_and_headers() -> None:
    frame = pd.DataFrame({"=evil": [-1.5, None], "ok": [None, "x"]})
    safe = neutralise(frame)
    assert list(safe.columns) == ["'=evil", "ok"]
    assert safe.iloc[0].tolist() == ["'-1.5", ""]
    assert safe.iloc[1].tolist() == ["", "x"]


def test_tables_offer_no_export_that_skips_the_neutralising() -> None:
    """st.dataframe's own "Download as CSV" writes cells as they are (checked in Chromium), so it is off."""
    config = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
