"""The two store backends side by side in one run: a CSV folder and a real PostgreSQL.

PostgreSQL 15 is started by the tests' own helper (``bench/pg_common.py``: ``initdb`` in a
temporary folder, a free port, removed at the end), and the 1M-response data set of
``make_results.py`` is bulk-loaded into it with ``COPY``. Every figure has a baseline
measured in the same run:

1. **Submit** one attempt of the *history* quiz (score, once-only check, store the attempt and
   its 8 responses), median and p95, on an empty store and beside the 1M rows. Baselines: a bare
   fsync'd one-line append (CSV) and a bare one-row ``INSERT`` committed alone (PostgreSQL).
2. **Concurrent submitters**, 8 and 32, split across 2 processes (each process its own store,
   as two app replicas): attempts/s, and attempts and response rows lost (must be 0). The
   issue's target: PostgreSQL at 32 >= 2x CSV at 8.
3. **A learner's progress** (their attempts and responses, mastery, mistakes) from a cold store,
   and **the dashboard's first load** (results, accounts, the learner table), each against the
   backend's raw read of the same two tables: pandas' ``read_csv`` for CSV, ``COPY ... TO
   STDOUT`` for PostgreSQL. Also the first open of a view that needs the responses (item
   analysis), which on PostgreSQL is when they are fetched.

    python bench/bench_backends.py      # about 2-4 min on 2 cores
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pg_common
import pyarrow.csv as pacsv
from bench_quiz import draws, submit_all
from common import fsynced_appends, median_ms, p95_ms, print_table, time_runs
from make_results import ensure_results, learner_login

from course.quiz.banks import load_quizzes
from course.quiz.models import Quiz
from course.store.base import TableStore
from course.store.csvstore import Store
from course.store.pgstore import PgStore
from course.store.tables import ATTEMPTS, RESPONSES, USERS

SUBMITS = 300
READS = 3
ROUNDS = 3
SUBMITTERS = {8: 250, 32: 100}  # submitters -> attempts each
PROCESSES = 2


def open_store(where: str) -> TableStore:
    return PgStore(where) if where.startswith("postgresql://") else Store(Path(where))


# --- 1. one submit ------------------------------------------------------------------------


def bare_append(folder: Path) -> list[float]:
    return fsynced_appends(folder / "bare.txt", SUBMITS)


def bare_insert(url: str) -> list[float]:
    import psycopg

    times = []
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE TABLE IF NOT EXISTS bench_bare (n integer)")
        for n in range(SUBMITS):
            start = time.perf_counter()
            connection.execute("INSERT INTO bench_bare VALUES (%s)", (n,))
            times.append(time.perf_counter() - start)
    return times


def bench_submit(quiz: Quiz, results: Path, server: pg_common.pg.Server, big_url: str, work: Path) -> None:
    from course.quiz.attempts import Attempts

    csv_big = work / "csv-big"
    csv_big.mkdir()
    for table in (ATTEMPTS, RESPONSES):
        shutil.copy(results / table.name, csv_big / table.name)
    csv_bare = bare_append(work)
    pg_bare = bare_insert(pg_common.new_database(server))
    csv_empty = submit_all(Attempts(Store(work / "csv-empty")), quiz, draws(quiz, SUBMITS, "e"))
    big = Store(csv_big)
    big.contains(ATTEMPTS, "attempt_id", "warm-up")  # the CSV id index is built once per process
    csv_full = submit_all(Attempts(big), quiz, draws(quiz, SUBMITS, "b"))
    empty_pg = PgStore(pg_common.new_database(server))
    pg_empty = submit_all(Attempts(empty_pg), quiz, draws(quiz, SUBMITS, "e"))
    full_pg = PgStore(big_url)
    pg_full = submit_all(Attempts(full_pg), quiz, draws(quiz, SUBMITS, "b"))
    empty_pg.close()
    full_pg.close()
    base_csv, base_pg = median_ms(csv_bare), median_ms(pg_bare)
    rows: list[tuple[object, ...]] = [
        ("CSV: bare fsync'd append (baseline)", median_ms(csv_bare), p95_ms(csv_bare), 1.0, ""),
        ("PG: bare one-row INSERT, committed (baseline)", base_pg, p95_ms(pg_bare), 1.0, ""),
    ]
    for label, csv_times, pg_times in (("empty", csv_empty, pg_empty), ("beside 1M response rows", csv_full, pg_full)):
        rows.append(
            (f"CSV: submit, {label}", median_ms(csv_times), p95_ms(csv_times), median_ms(csv_times) / base_csv, 1.0)
        )
        rows.append(
            (
                f"PG: submit, {label}",
                median_ms(pg_times),
                p95_ms(pg_times),
                median_ms(pg_times) / base_pg,
                median_ms(pg_times) / median_ms(csv_times),
            )
        )
    print_table(
        f"Submit one attempt (history, 8 questions drawn), median and p95 of {SUBMITS}",
        ("what", "median ms", "p95 ms", "÷ own bare write", "÷ CSV submit"),
        rows,
    )


# --- 2. concurrent submitters across processes -------------------------------------------


def submitter(where: str, threads: int, each: int, prefix: str, go: Path) -> None:
    """Run in a child process: ``threads`` submitters on one store, started when ``go`` appears."""
    from course.quiz.attempts import Attempts

    quiz = load_quizzes().quiz("history")
    assert quiz is not None
    book = Attempts(open_store(where))
    batches = [draws(quiz, each, f"{prefix}t{t}-") for t in range(threads)]
    book.store.contains(ATTEMPTS, "attempt_id", "warm-up")
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.001)
    start = time.time()
    workers = [threading.Thread(target=submit_all, args=(book, quiz, batch)) for batch in batches]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(json.dumps({"start": start, "end": time.time()}), flush=True)


def concurrent(where: str, total: int, each: int, work: Path) -> tuple[float, int, int]:
    """Attempts/s of ``total`` submitters over :data:`PROCESSES` processes, attempts and rows lost."""
    go = work / f"go-{total}-{time.monotonic_ns()}"
    children = [
        subprocess.Popen(
            [sys.executable, __file__, "--submitter", where, str(total // PROCESSES), str(each), f"p{p}-", str(go)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for p in range(PROCESSES)
    ]
    for child in children:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
    go.touch()
    spans = []
    for child in children:
        out, _ = child.communicate(timeout=600)
        if child.returncode != 0:
            raise RuntimeError(f"a submitter process failed ({child.returncode})")
        spans.append(json.loads(out.strip().splitlines()[-1]))
    took = max(s["end"] for s in spans) - min(s["start"] for s in spans)
    store = open_store(where)
    attempts = store.read(ATTEMPTS).frame
    responses = store.read(RESPONSES).frame
    expected = {f"p{p}-t{t}-{n:08d}" for p in range(PROCESSES) for t in range(total // PROCESSES) for n in range(each)}
    lost = len(expected - set(attempts["attempt_id"]))
    lost_rows = 8 * len(expected) - len(responses)
    if isinstance(store, PgStore):
        store.close()
    return total * each / took, lost, lost_rows


def bench_concurrent(server: pg_common.pg.Server, work: Path) -> None:
    """Each configuration :data:`ROUNDS` times, interleaved (a fresh store each time): the median rate."""
    runs: dict[tuple[str, int], list[tuple[float, int, int]]] = {}
    ratios = []
    for round_ in range(ROUNDS):
        for total, each in SUBMITTERS.items():
            for backend in ("CSV", "PG"):
                where = pg_common.new_database(server) if backend == "PG" else str(work / f"conc-{round_}-{total}")
                runs.setdefault((backend, total), []).append(concurrent(where, total, each, work))
        ratios.append(runs[("PG", 32)][-1][0] / runs[("CSV", 8)][-1][0])
    rates = {key: statistics.median(r[0] for r in found) for key, found in runs.items()}
    baseline = rates[("CSV", 8)]
    rows = [
        (
            backend,
            total,
            SUBMITTERS[total] * total,
            rates[(backend, total)],
            " / ".join(f"{r[0]:.0f}" for r in runs[(backend, total)]),
            sum(r[1] for r in runs[(backend, total)]),
            sum(r[2] for r in runs[(backend, total)]),
            rates[(backend, total)] / baseline,
        )
        for (backend, total) in sorted(runs, key=lambda k: (k[1], k[0]))
    ]
    print_table(
        f"Concurrent submitters over {PROCESSES} processes (each its own store), {ROUNDS} rounds interleaved",
        (
            "backend",
            "submitters",
            "attempts per round",
            "median attempts/s",
            "each round",
            "attempts lost (all rounds)",
            "response rows lost",
            "÷ CSV at 8",
        ),
        rows,
    )
    print(
        f"\nPG at 32 ÷ CSV at 8: {rates[('PG', 32)] / baseline:.2f} on the medians; per round "
        + ", ".join(f"{r:.2f}" for r in ratios)
        + " (target >= 2)"
    )


# --- 3. reads over 1M responses -------------------------------------------------------------


def interleaved(subjects: dict[str, Callable[[], object]]) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in subjects}
    for _ in range(READS):
        for name, fn in subjects.items():
            times[name] += time_runs(fn, 1, warmup=0)
    return {name: median_ms(t) for name, t in times.items()}


def bench_reads(results: Path, big_url: str) -> None:
    from course.accounts.accounts import Accounts
    from course.analytics.learner import learner_progress, mastery, recent_mistakes
    from course.analytics.results import Filters, load_results, select
    from course.analytics.summaries import learner_summary
    from course.store.tables import PROGRESS

    questions = load_quizzes().questions
    learner = learner_login(42)

    def progress(store: TableStore) -> None:
        mine = learner_progress(store.read(ATTEMPTS).frame, store.read(RESPONSES).frame, learner)
        mastery(mine, questions)
        recent_mistakes(mine, questions)

    def dashboard(store: TableStore, items: bool) -> None:
        results = load_results(store)
        names = {login: a.display_name for login, a in Accounts(store).all().items()}
        selection = select(results, Filters())
        learner_summary(selection, store.read(PROGRESS).frame, ["a"], names)
        if items:  # the first view that needs responses: item analysis of the biggest quiz
            quiz = str(results.attempts["quiz"].value_counts().index[0])
            selection.item_responses(quiz, answers=True)

    def fresh_pg(fn: Callable[[PgStore], None]) -> Callable[[], None]:
        def run() -> None:
            store = PgStore(big_url)  # a new store: nothing cached
            try:
                fn(store)
            finally:
                store.close()

        return run

    def copy_raw() -> None:
        import psycopg

        with psycopg.connect(big_url, autocommit=True) as connection:
            for table in (ATTEMPTS, RESPONSES):
                columns = ", ".join(f'"{c}"' for c in table.columns)
                statement = f"COPY (SELECT {columns} FROM {table.name.removesuffix('.csv')}) TO STDOUT"
                with connection.cursor() as cursor, cursor.copy(statement) as copy:
                    for _chunk in copy:
                        pass

    csv = interleaved(
        {
            "raw": lambda: [pd.read_csv(results / t.name) for t in (ATTEMPTS, RESPONSES)],
            "arrow": lambda: [pacsv.read_csv(results / t.name) for t in (ATTEMPTS, RESPONSES)],
            "progress": lambda: progress(Store(results)),
            "dashboard": lambda: dashboard(Store(results), False),
            "items": lambda: dashboard(Store(results), True),
        }
    )
    pg = interleaved(
        {
            "raw": copy_raw,
            "progress": fresh_pg(progress),
            "dashboard": fresh_pg(lambda s: dashboard(s, False)),
            "items": fresh_pg(lambda s: dashboard(s, True)),
        }
    )
    rows: list[tuple[object, ...]] = [
        ("CSV: pandas read_csv of attempts + responses (baseline)", csv["raw"], 1.0),
        ("CSV: pyarrow.csv.read_csv of the same", csv["arrow"], csv["arrow"] / csv["raw"]),
        ("CSV: learner progress, cold", csv["progress"], csv["progress"] / csv["raw"]),
        (
            "CSV: dashboard first load (results + accounts + learner table)",
            csv["dashboard"],
            csv["dashboard"] / csv["raw"],
        ),
        ("CSV: … and the first item-analysis view", csv["items"], csv["items"] / csv["raw"]),
        ("PG: COPY attempts + responses TO STDOUT (baseline)", pg["raw"], 1.0),
        ("PG: learner progress, cold", pg["progress"], pg["progress"] / pg["raw"]),
        ("PG: dashboard first load (results + accounts + learner table)", pg["dashboard"], pg["dashboard"] / pg["raw"]),
        ("PG: … and the first item-analysis view (responses fetched)", pg["items"], pg["items"] / pg["raw"]),
    ]
    print_table(
        f"Reads over 1,000,000 responses, cold store, each ÷ its backend's raw read (median of {READS}, interleaved)",
        ("what", "median ms", "÷ raw read"),
        rows,
    )


def main() -> None:
    if len(sys.argv) == 7 and sys.argv[1] == "--submitter":
        submitter(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], Path(sys.argv[6]))
        return
    selected = set(sys.argv[1:]) or {"submit", "concurrent", "reads"}
    results = ensure_results()
    quiz = load_quizzes().quiz("history")
    if quiz is None:
        sys.exit("the history bank is missing or broken")
    work = Path(tempfile.mkdtemp(prefix="bench-backends-"))
    try:
        with pg_common.postgres() as server:
            big_url = pg_common.new_database(server)
            start = time.perf_counter()
            counts = pg_common.load_folder(big_url, results, (USERS, ATTEMPTS, RESPONSES))
            print(f"data: {results}; loaded into PostgreSQL with COPY in {time.perf_counter() - start:.1f} s: {counts}")
            if "submit" in selected:
                bench_submit(quiz, results, server, big_url, work)
            if "concurrent" in selected:
                bench_concurrent(server, work)
            if "reads" in selected:
                bench_reads(results, big_url)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
