"""`db import-csv` and `db export-csv` against a real PostgreSQL: the bench's data set goes
in and comes back out row for row; a repeat adds nothing; damaged lines are reported as the
CSV store reports them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from course.__main__ import main
from course.store.csvstore import Store
from course.store.pgstore import PgStore
from course.store.tables import ALL_TABLES, ATTEMPTS, RESPONSES, USERS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small copy of the benchmarks' data set (bench/make_results.py), made once."""
    out = tmp_path_factory.mktemp("bench-results")
    subprocess.run(
        [sys.executable, "bench/make_results.py", "--out", str(out), "--learners", "40", "--responses", "4000"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out


def test_the_bench_data_set_round_trips(
    bench_data: Path, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "import-csv", str(bench_data), "--url", pg_url]) == 0
    out = capsys.readouterr().out
    original = Store(bench_data)
    assert f"responses.csv: {len(original.read(RESPONSES).frame)} rows added" in out
    assert main(["db", "import-csv", str(bench_data), "--url", pg_url]) == 0  # idempotent
    assert "import-csv: 0 rows added" in capsys.readouterr().out
    store = PgStore(pg_url)
    try:
        for table in (USERS, ATTEMPTS, RESPONSES):
            pd.testing.assert_frame_equal(store.read(table).frame, original.read(table).frame)
    finally:
        store.close()
    exported = tmp_path / "exported"
    assert main(["db", "export-csv", str(exported), "--url", pg_url]) == 0
    back = Store(exported)
    for table in ALL_TABLES:
        pd.testing.assert_frame_equal(back.read(table).frame, original.read(table).frame)
    assert main(["db", "export-csv", str(exported), "--url", pg_url]) == 1  # never overwrites


def test_damaged_lines_are_reported_as_the_csv_store_reports_them_and_rows_added_later_follow(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    store = Store(folder)
    row = {"attempt_id": "a1", "question_id": "q1", "answer": "x", "correct": "true", "points": 1, "max_points": 1}
    store.append(RESPONSES, [row, {**row, "question_id": "q2"}])
    path = store.path(RESPONSES)
    path.write_text(path.read_text() + "a1,q3,oops\n" + "a1,q4,x,tr")  # a garbled line, then a torn one
    expected = [str(p) for p in Store(folder).read(RESPONSES).problems]
    assert main(["db", "import-csv", str(folder), "--url", pg_url]) == 0
    captured = capsys.readouterr()
    assert [line.removeprefix("warning: ") for line in captured.err.splitlines()] == expected
    assert "responses.csv: 2 rows added, 2 in the database" in captured.out
    path.write_text(path.read_text() + "\n")  # the torn line ends: it is a (garbled) row of its own now
    store.append(RESPONSES, [{**row, "question_id": "q5"}])
    assert main(["db", "import-csv", str(folder), "--url", pg_url]) == 0
    assert "responses.csv: 1 rows added, 3 in the database" in capsys.readouterr().out


def test_a_database_that_differs_from_the_files_is_refused(tmp_path: Path, pg_url: str) -> None:
    folder = tmp_path / "data"
    row = {"attempt_id": "a1", "question_id": "q1", "answer": "x", "correct": "true", "points": 1, "max_points": 1}
    Store(folder).append(RESPONSES, [row])
    store = PgStore(pg_url)
    try:
        store.append(RESPONSES, [{**row, "attempt_id": "other"}])
    finally:
        store.close()
    assert main(["db", "import-csv", str(folder), "--url", pg_url]) == 1
