"""Results dashboard on 5,000 learners and 1,000,000 responses (``bench/make_results.py``).

Three figures, each against a baseline measured in the same run:

* **first load**: a fresh :class:`~course.store.csvstore.Store` reads and joins both files and the
  default view (learner table) is computed, vs pandas' raw ``read_csv`` of the same two
  files (target <= 2x). Runs are interleaved so machine noise hits both alike.
* **filter change** on cached data: a new :class:`~course.analytics.results.Filters`, then the view
  the tutor looks at (target <= 100 ms); plus the whole page rerun in AppTest, beside a
  bare page's rerun, for the cost Streamlit itself adds.
* **memory**: resident memory the dashboard keeps after loading (RSS growth, after freed
  memory is handed back to the OS), vs the deep size of the loaded DataFrames (target
  <= 2x); measured in fresh subprocesses, one per subject, pandas' raw read beside it.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, median_ms, p95_ms, print_table, time_runs
from make_results import ensure_results

RUNS = 3
REPEAT = 12


def rss_mb() -> float:
    """Current resident set size (Linux ``/proc``), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def settle() -> None:
    """Give freed memory back to the OS before reading RSS, so RSS shows what is *kept*.

    Applied the same way to both modes: garbage collection, Arrow's pool, then glibc's
    ``malloc_trim`` (freed heap pages otherwise stay in RSS whoever freed them).
    """
    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()
    ctypes.CDLL("libc.so.6").malloc_trim(0)


def memory_probe(mode: str, folder: Path) -> dict[str, float]:
    """Run in a child process: RSS growth of one way of loading, and the frames' deep size."""
    import pandas as pd

    from course.analytics.results import load_results
    from course.store.csvstore import Store
    from course.store.tables import ATTEMPTS, RESPONSES

    settle()
    before = rss_mb()
    if mode == "raw":
        frames = [pd.read_csv(folder / ATTEMPTS.name), pd.read_csv(folder / RESPONSES.name)]
        keep: object = frames
    else:
        store = Store(folder)
        keep = load_results(store)
        frames = [store.read(ATTEMPTS).frame, store.read(RESPONSES).frame]
    settle()
    grown = rss_mb() - before
    size = sum(f.memory_usage(deep=True).sum() for f in frames) / 1024 / 1024
    del keep
    return {"rss_growth_mb": grown, "frames_mb": size}


def measure_memory(folder: Path) -> list[tuple[object, ...]]:
    rows = []
    for mode in ("raw", "dashboard"):
        out = subprocess.run(
            [sys.executable, __file__, "--memory", mode, str(folder)], capture_output=True, text=True, check=True
        )
        probe = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append((mode, probe["frames_mb"], probe["rss_growth_mb"], probe["rss_growth_mb"] / probe["frames_mb"]))
    return rows


def measure_load(folder: Path) -> dict[str, list[float]]:
    import pandas as pd

    from course.accounts.accounts import Accounts
    from course.analytics.results import Filters, load_results, select
    from course.analytics.summaries import learner_summary
    from course.store.csvstore import Store
    from course.store.tables import ATTEMPTS, PROGRESS, RESPONSES

    def raw() -> None:
        pd.read_csv(folder / ATTEMPTS.name)
        pd.read_csv(folder / RESPONSES.name)

    def dashboard() -> None:
        store = Store(folder)  # a new store: nothing cached
        results = load_results(store)
        names = {login: a.display_name for login, a in Accounts(store).all().items()}
        learner_summary(select(results, Filters()), store.read(PROGRESS).frame, ["a"], names)

    def store_only() -> None:
        store = Store(folder)
        store.read(ATTEMPTS)
        store.read(RESPONSES)

    times: dict[str, list[float]] = {"raw": [], "store": [], "dashboard": []}
    raw()  # warm the page cache for all three
    for _ in range(RUNS):
        for name, fn in (("raw", raw), ("store", store_only), ("dashboard", dashboard)):
            times[name] += time_runs(fn, 1, warmup=0)
    return times


def measure_filters(folder: Path) -> list[tuple[object, ...]]:
    from course.analytics.item_analysis import distractors
    from course.analytics.results import Filters, load_results, pass_marks, question_index, select
    from course.analytics.results_charts import attempts_over_time, score_histogram
    from course.analytics.summaries import items_table, learner_quizzes, learner_summary, quiz_items, quiz_summaries
    from course.quiz.banks import load_quizzes
    from course.store.csvstore import Store
    from course.store.tables import PROGRESS

    store = Store(folder)
    results = load_results(store)
    progress = store.read(PROGRESS).frame
    quizzes = load_quizzes()
    index, marks = question_index(quizzes), pass_marks(quizzes)
    quiz = str(results.attempts["quiz"].value_counts().index[0])
    learner = str(results.attempts["learner"].iloc[0])
    days = results.attempts["day"].dropna()
    middle = days.min() + (days.max() - days.min()) / 2

    def learners_view() -> None:
        selection = select(results, Filters(quizzes=(quiz,)))
        learner_summary(selection, progress, ["a", "b"], {})

    def one_learner() -> None:
        selection = select(results, Filters(learners=(learner,)))
        learner_summary(selection, progress, ["a", "b"], {})
        learner_quizzes(selection, learner)

    def quiz_view() -> None:
        selection = select(results, Filters(start=days.min().date(), end=middle.date()))
        quiz_summaries(selection)
        score_histogram(selection.attempts, quiz, marks.get(quiz))
        attempts_over_time(selection.attempts, quiz)

    def item_view() -> None:
        selection = select(results, Filters(quizzes=(quiz,), end=days.max().date()))
        responses = selection.item_responses(quiz, answers=True)
        items = quiz_items(responses, quiz, index)
        items_table(items)
        distractors(responses, items.items[0].question_id)

    rows = []
    for label, fn in (
        (f"quiz filter ({quiz}) → learner table", learners_view),
        ("learner filter → learner + details", one_learner),
        ("date range → quiz view + 2 charts", quiz_view),
        (f"item analysis of {quiz} + distractors", item_view),
    ):
        times = time_runs(fn, REPEAT)
        rows.append((label, median_ms(times), p95_ms(times)))
    return rows


def measure_page(folder: Path) -> list[tuple[object, ...]]:
    """Whole-page reruns in AppTest over the same data (hard links, plus a tutor account)."""
    work = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    for name in ("attempts.csv", "responses.csv", "users.csv"):
        (os.link if name != "users.csv" else shutil.copy)(folder / name, work / name)
    os.environ["MESO_DATA_DIR"] = str(work)
    from streamlit.testing.v1 import AppTest

    from course.accounts.accounts import Accounts, Role
    from course.store.csvstore import Store

    Accounts(Store(work)).create("bench-tutor", "Bench Tutor", "benchpass1", Role.TUTOR)
    bare = AppTest.from_string("import streamlit as st\nst.title('hello')", default_timeout=60).run()
    baseline = median_ms(time_runs(bare.run, REPEAT))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["user"] = "bench-tutor"
    at.run()
    start = time.perf_counter()
    at.switch_page("views/pages/tutor_results.py").run()
    first = (time.perf_counter() - start) * 1000
    quizzes = at.multiselect(key="results:quizzes").options
    rows = [("bare one-title page rerun", baseline, 1.0), ("results page, first open (loads data)", first, "")]
    choices = iter(quizzes * REPEAT)

    def change_filter() -> None:
        at.multiselect(key="results:quizzes").set_value([next(choices)]).run()

    times = time_runs(change_filter, REPEAT)
    rows.append(("results page rerun after a quiz filter change", median_ms(times), median_ms(times) / baseline))
    at.get("button_group")[0].set_value("Item analysis").run()
    times = time_runs(change_filter, REPEAT)
    rows.append(("… same, on the item-analysis view", median_ms(times), median_ms(times) / baseline))
    shutil.rmtree(work, ignore_errors=True)
    return rows


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--memory":
        print(json.dumps(memory_probe(sys.argv[2], Path(sys.argv[3]))))
        return
    folder = ensure_results()
    sizes = {name: (folder / name).stat().st_size / 1e6 for name in ("attempts.csv", "responses.csv")}
    print(f"data: {folder} ({', '.join(f'{n} {mb:.0f} MB' for n, mb in sizes.items())})")
    times = measure_load(folder)
    raw_ms = median_ms(times["raw"])
    rows = [
        ("raw pd.read_csv of both files", raw_ms),
        ("Store.read of both files (validated, typed; its share)", median_ms(times["store"])),
        ("dashboard first load (store + join + learner table)", median_ms(times["dashboard"])),
    ]
    print_table(
        f"First load vs pandas' raw read_csv (median of {RUNS}, interleaved)",
        ("what", "median ms", "÷ raw read_csv"),
        [(label, ms, ms / raw_ms) for label, ms in rows],
    )
    print_table(
        f"Filter change on cached data (median and p95 of {REPEAT})",
        ("change", "median ms", "p95 ms"),
        measure_filters(folder),
    )
    print_table(
        "Memory kept after loading (fresh process each)",
        ("subject", "loaded DataFrames MB", "RSS growth MB", "÷ DataFrames"),
        measure_memory(folder),
    )
    print_table(f"Whole page in AppTest (median of {REPEAT})", ("what", "ms", "÷ bare page"), measure_page(folder))


if __name__ == "__main__":
    main()
