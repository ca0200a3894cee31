"""CSV exports that are safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula, so a learner who names themselves
``=HYPERLINK("http://x","y")`` could plant a link (or worse) in a tutor's spreadsheet.
Following OWASP's advice on CSV injection, such cells get a leading single quote, which
spreadsheets show as text; every other cell is written unchanged.
"""

from __future__ import annotations

import csv
import math

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> str:
    """The cell as text, quoted if a spreadsheet would run it as a formula.

    >>> neutralise_cell('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralise_cell("Ada")
    'Ada'
    """
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every cell (headers included) as neutralised text.

    Vectorised per column, so exporting a million rows takes seconds, not minutes.
    """
    safe = {}
    for column in frame.columns:
        text = frame[column].astype(object).where(frame[column].notna(), "").astype(str)
        risky = text.str.startswith(FORMULA_STARTS)
        safe[neutralise_cell(column)] = text.where(~risky, "'" + text)
    return pd.DataFrame(safe, index=frame.index)


def to_safe_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so Excel picks the encoding) of the neutralised frame.

    Every cell is quoted: pandas leaves a lone carriage return unquoted, which would split
    the row in a spreadsheet.
    """
    return neutralise(frame).to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_ALL).encode("utf-8-sig")
