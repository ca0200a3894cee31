"""Clinical cases: a step commit beside 1M stored step rows, and the case page's rerun.

1. **Commit.** ``CaseRuns.commit`` of one step (score it, check under the folder lock that the step
   was not committed already, append one fsync'd row) with ``case_steps.csv`` already holding
   1,000,000 rows, against the bare fsync'd ``Store.append`` of one row to an empty table in the
   same run. The once-only check reads only the bytes appended since the run began
   (``Store.rows_after``); the first commit in a process is reported apart.
2. **Page rerun.** AppTest reruns of Practice → Clinical cases (the list, a choice step, the
   placement step, the debrief) over the same 1M-row data folder, the Home page (the app frame
   every page pays), and the placement step's fragment alone (what a needle release reruns in a
   browser), one of each in turn per round, divided by a bare one-title page's rerun in the same
   process. Each page is also rerun with its scripts compiled once (``--bytecode``'s column):
   AppTest compiles the app's and the page's script on every run (``views/pages/cases.py`` alone
   takes about 3 ms), which a server does once per file (its ``ScriptCache``), so that column is
   closer to what a browser's rerun costs the server.

    python bench/bench_cases.py        (generates bench/data/cases/ on the first run, ~40 s)
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from common import ROOT, median_ms, p95_ms, print_table, time_runs

from course.cases.loading import load_cases
from course.cases.progress import CaseRuns, Run, attempt_row, step_row
from course.cases.scoring import advance, case_outcome, score_step, start_state
from course.simulator.loading import load_skin_model
from course.store.csvstore import Store
from course.store.tables import CASE_ATTEMPTS, CASE_STEPS, Table

ROWS = 1_000_000
LEARNERS = 5_000
DATA = ROOT / "bench" / "data" / "cases"
MARKER = DATA / f".generated-{ROWS}"
REPEAT = 200
PAGE_REPEAT = 40  # rounds: one rerun of each page per round
BATCH = 50_000


def generate() -> None:
    """1M step rows: whole runs of the real cases, down the recommended path or an unsafe one,
    by 5,000 learners, written through the store in batches."""
    from tests.helpers.cases import recommended_answers, unsafe_answers

    if MARKER.exists():
        return
    shutil.rmtree(DATA, ignore_errors=True)
    store = Store(DATA)
    skin = load_skin_model()
    routes = []
    for case in load_cases().cases:
        for route in (recommended_answers(case, skin), unsafe_answers(case, skin)):
            if route is None:
                continue
            state, records = start_state(case), []
            for _, answer in route:
                result = score_step(state, answer, skin)
                state = advance(state, result.record, result.unsafe)
                records.append(result.record)
            routes.append((case, records, case_outcome(state)))
    rng = random.Random(14)
    steps: list[dict[str, object]] = []
    attempts: list[dict[str, object]] = []
    written = 0
    start = time.perf_counter()
    while written < ROWS:
        case, records, outcome = rng.choice(routes)
        learner = f"learner{rng.randrange(LEARNERS):05d}"
        run = Run(uuid.uuid4().hex, learner, "2026-11-01T09:00:00Z", start_state(case))
        for record in records[: ROWS - written]:
            steps.append(step_row(run, record, "2026-11-01T09:05:00Z"))
        written += min(len(records), ROWS - written)
        if len(records) and written <= ROWS:
            attempts.append(attempt_row(run, outcome, "2026-11-01T09:20:00Z"))
        if len(steps) >= BATCH:
            store.append(CASE_STEPS, steps)
            store.append(CASE_ATTEMPTS, attempts)
            steps, attempts = [], []
    store.append(CASE_STEPS, steps)
    store.append(CASE_ATTEMPTS, attempts)
    MARKER.write_text(f"{ROWS} rows\n")
    print(f"generated {ROWS:,} step rows in {time.perf_counter() - start:.0f} s")


def ratio(times: list[float], baseline: list[float]) -> float:
    return median_ms(times) / median_ms(baseline)


def commit_bench() -> list[tuple[object, ...]]:
    work = Path(tempfile.mkdtemp(prefix="bench-cases-"))
    shutil.copytree(DATA, work / "data")
    store = Store(work / "data")
    runs = CaseRuns(store)
    case = load_cases().find("contraindication")
    skin = load_skin_model()
    answer = {"options": ["take-history"]}

    first_start = time.perf_counter()
    runs.commit(runs.new_run("first", case), answer, skin)
    first_ms = (time.perf_counter() - first_start) * 1000

    def one_commit() -> None:
        runs.commit(runs.new_run("bench", case), answer, skin)

    commits = time_runs(one_commit, REPEAT, warmup=5)
    bare_store = Store(work / "bare")
    bare_table = Table("bare.csv", ("a", "b", "c"))
    bare = time_runs(lambda: bare_store.append(bare_table, [{"a": "x", "b": "y", "c": "z"}]), REPEAT, warmup=5)
    rows = len(store.read(CASE_STEPS).frame)
    shutil.rmtree(work, ignore_errors=True)
    return [
        (
            f"step commit beside {rows:,} rows",
            median_ms(commits),
            p95_ms(commits),
            median_ms(commits) / median_ms(bare),
        ),
        ("bare Store.append of one row (baseline)", median_ms(bare), p95_ms(bare), 1.0),
        ("first commit in a process", first_ms, first_ms, first_ms / median_ms(bare)),
    ]


# The placement step's fragment alone: what a release of the needle reruns in a browser (AppTest
# cannot rerun a fragment on its own, so the step runs as its own script, without the app frame).
FRAGMENT = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import streamlit as st
from course.cases.loading import current_cases
from course.simulator.loading import load_skin_model
from views.parts.case_play import placement_step, runs
case = current_cases().find("rejuvenation-routine")
if "run" not in st.session_state:  # a fragment rerun keeps the arguments of the last full run
    st.session_state["run"] = runs().resume(st.session_state["learner"], case)
run = st.session_state["run"]
prefix = f"case:{{case.id}}:{{run.run_id}}:{{len(run.state.records)}}"
placement_step(case, run, case.step(run.state.current), prefix, load_skin_model())
"""
ANGLES = [5, 15, 25, 35, 45, 55, 65, 75]


class SharedScriptCache:
    """While on, every AppTest run shares one ``ScriptCache`` (as a server process does), so a
    script is compiled once instead of on every run; off, AppTest's own behaviour."""

    def __init__(self) -> None:
        from streamlit.runtime.scriptrunner.script_cache import ScriptCache
        from streamlit.testing.v1 import app_test, local_script_runner

        self.modules = (app_test, local_script_runner)
        self.original = ScriptCache
        self.shared = ScriptCache()

    def __call__(self, on: bool) -> None:
        for module in self.modules:
            module.ScriptCache = (lambda: self.shared) if on else self.original


def page_bench() -> tuple[float, list[tuple[object, ...]]]:
    """AppTest reruns of each page in turn (one each per round, so machine noise hits all alike),
    each once as AppTest runs it and once with its scripts compiled once (:class:`SharedScriptCache`)."""
    from streamlit.testing.v1 import AppTest

    from course.accounts.accounts import Accounts, Role
    from tests.helpers.cases import recommended_answers

    work = Path(tempfile.mkdtemp(prefix="bench-cases-pages-"))
    shutil.copytree(DATA, work / "data")
    os.environ["MESO_DATA_DIR"] = str(work / "data")
    store = Store(work / "data")
    Accounts(store).create("bench-learner", "Bench Learner", "benchpass1", Role.LEARNER)
    skin = load_skin_model()
    case = load_cases().find("rejuvenation-routine")
    route = recommended_answers(case, skin)
    kinds = [case.step(step_id).kind for step_id, _ in route]
    stops = {"choice step": 0, "placement step": kinds.index("placement"), "debrief": len(route)}

    def app(learner: str, case_id: str | None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["user"] = learner
        at.run()
        at.switch_page("views/pages/cases.py")
        if case_id is not None:
            at.query_params["case"] = case_id
        at.run()
        assert not at.exception, at.exception
        return at

    home = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    home.session_state["user"] = "bench-learner"
    pages: dict[str, AppTest] = {
        "bare one-title page (baseline)": AppTest.from_string(
            "import streamlit as st\nst.title('hello')", default_timeout=60
        ).run(),
        "the app frame alone: Home rerun": home.run(),
        "case list": app("bench-learner", None),
    }
    placement_learner = ""
    for label, stop in stops.items():
        learner = f"bench-{label.split()[0]}"
        Accounts(store).create(learner, learner, "benchpass1", Role.LEARNER)
        runs = CaseRuns(store)
        run = runs.new_run(learner, case)
        for _, answer in route[:stop]:
            run = runs.commit(run, answer, skin).run
        pages[f"{label} (whole app rerun)"] = app(learner, case.id)
        if label == "placement step":
            placement_learner, prefix = learner, f"case:{case.id}:{run.run_id}:{len(run.state.records)}"
    fragment = AppTest.from_string(FRAGMENT, default_timeout=60)
    fragment.session_state["learner"] = placement_learner
    pages["placement step: a needle release (the step's fragment alone)"] = fragment.run()
    assert not fragment.exception, fragment.exception
    angle_key = f"{prefix}:needle:angle:number"
    times: dict[str, list[float]] = {name: [] for name in pages}
    compiled_once: dict[str, list[float]] = {name: [] for name in pages}
    share = SharedScriptCache()
    for i in range(PAGE_REPEAT + 2):
        for name, at in pages.items():
            for shared, into in ((False, times), (True, compiled_once)):
                if at is fragment:  # what a release writes: the placement, into the number inputs
                    at.number_input(key=angle_key).set_value(ANGLES[(2 * i + shared) % len(ANGLES)])
                share(shared)
                start = time.perf_counter()
                at.run()
                took = time.perf_counter() - start
                share(False)
                assert not at.exception, at.exception
                if i >= 2:
                    into[name].append(took)
    shutil.rmtree(work, ignore_errors=True)
    baseline = median_ms(times["bare one-title page (baseline)"])
    once = median_ms(compiled_once["bare one-title page (baseline)"])
    return baseline, [
        (name, median_ms(t), p95_ms(t), median_ms(t) / baseline, median_ms(compiled_once[name]) / once)
        for name, t in times.items()
    ]


def main() -> None:
    generate()
    print_table(
        "A step commit beside 1M stored step rows",
        ("what", "median ms", "p95 ms", "÷ bare append"),
        commit_bench(),
    )
    baseline, rows = page_bench()
    print(f"\nbare page rerun (baseline): {baseline:.2f} ms median of {PAGE_REPEAT}")
    print_table(
        f"Case page rerun vs a bare page (AppTest, 1M step rows stored, {PAGE_REPEAT} rounds in turn)",
        ("page", "median rerun ms", "p95 ms", "÷ bare page", "÷ bare page, scripts compiled once"),
        rows,
    )


if __name__ == "__main__":
    main()
