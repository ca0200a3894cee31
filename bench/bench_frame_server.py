"""A whole-app rerun on a real ``streamlit run`` server, against a bare one-title page's.

AppTest (``bench_cases.py``) compiles the app's and the page's scripts on every run and answers
``st.context`` with mocks; a server does neither. Here two servers run side by side (the app over
``bench/data/cases`` with a learner at the routine case's placement step, and a bare page with a
copy of the app's ``.streamlit/config.toml``), both started through ``serve_timed.py``, which logs
each script run's time. One headless Chromium presses ``r`` (Streamlit's rerun key) on the bare
page, on Home and on the case's placement step in turn, and for each press takes:

- the **server's script run**: wall time and the script thread's CPU time (``serve_timed.py``);
- **in the browser**: from the key press to the last WebSocket message of that run.

    python bench/bench_frame_server.py [rounds]     (needs bench/data/cases: run bench_cases.py once)
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, bare_app_dir, print_table
from playwright.sync_api import Page, sync_playwright

from course.accounts.accounts import Accounts, Role
from course.cases.loading import load_cases
from course.cases.progress import CaseRuns
from course.simulator.loading import load_skin_model
from course.store.csvstore import Store
from tests.browser.helpers import open_page, sign_in, wait_idle
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, DESKTOP, free_port, wait_healthy
from tests.helpers.cases import recommended_answers

DATA = ROOT / "bench" / "data" / "cases"
WARMUP = 3
LEARNER, PASSWORD = "bench-placement", "benchpass1"
# every WebSocket message's arrival, and the time of the last "r" key press
WATCH = """(() => { window.__msgs = []; window.__key = null;
  window.addEventListener('keydown', e => { if (e.key === 'r') window.__key = e.timeStamp; }, true);
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', () => window.__msgs.push(performance.now()));
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native); })()"""
LAST_MESSAGE = """() => { const k = window.__key; const m = window.__msgs.filter(t => t > k);
  return m.length ? m[m.length - 1] - k : null; }"""


def start(root: Path, script: str, env_extra: dict[str, str], log: Path, runs: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, **env_extra, "PYTHONUNBUFFERED": "1", "RUN_LOG": str(runs)}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "serve_timed.py"), "run", script, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=root, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process, log)
    return process, url


def placement_data(work: Path) -> str:
    """A copy of the 1M-row case data with a learner at the routine case's placement step."""
    shutil.copytree(DATA, work / "data")
    store = Store(work / "data")
    Accounts(store).create(LEARNER, "Bench Learner", PASSWORD, Role.LEARNER)
    skin, case = load_skin_model(), load_cases().find("rejuvenation-routine")
    assert case is not None
    route = recommended_answers(case, skin)
    kinds = [case.step(step_id).kind for step_id, _ in route]
    runs = CaseRuns(store)
    run = runs.new_run(LEARNER, case)
    for _, answer in route[: kinds.index("placement")]:
        run = runs.commit(run, answer, skin).run
    return case.id


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def rerun(page: Page, log: Path) -> tuple[dict[str, float], float | None]:
    """Press r; wait for the server's log line of the run and the page to settle."""
    before = len(lines(log))
    page.bring_to_front()
    page.locator("body").press("r")
    deadline = time.monotonic() + 30
    while len(lines(log)) <= before:
        if time.monotonic() > deadline:
            raise RuntimeError("the key press did not rerun the script")
        time.sleep(0.005)
    time.sleep(0.25)  # the last messages of the run
    wait_idle(page)
    return json.loads(lines(log)[-1]), page.evaluate(LAST_MESSAGE)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    if not DATA.exists():
        raise SystemExit("run bench/bench_cases.py first (it generates bench/data/cases/)")
    work = Path(tempfile.mkdtemp(prefix="bench-frame-server-"))
    case_id = placement_data(work)
    bare_dir = bare_app_dir("bare.py", "import streamlit as st\nst.title('hello')\n")
    logs = {"bare": work / "bare.runs", "app": work / "app.runs"}
    servers = {
        "bare": start(bare_dir, "bare.py", {}, work / "bare.log", logs["bare"]),
        "app": start(ROOT, "app.py", {"MESO_DATA_DIR": str(work / "data")}, work / "app.log", logs["app"]),
    }
    names = ("bare one-title page (baseline)", "Home (the app frame)", "placement step (whole app rerun)")
    server: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    browser_ms: dict[str, list[float]] = {name: [] for name in names}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            bare_context, app_context = (browser.new_context(viewport=DESKTOP) for _ in range(2))
            for context in (bare_context, app_context):
                context.add_init_script(WATCH)
            bare = bare_context.new_page()
            open_page(bare, servers["bare"][1])
            home = app_context.new_page()
            sign_in(home, servers["app"][1], LEARNER, PASSWORD)
            open_page(home, servers["app"][1])
            case = app_context.new_page()
            open_page(case, f"{servers['app'][1]}/cases?case={case_id}")
            assert case.get_by_role("button", name="Commit my placement").count() == 1
            pages = dict(zip(names, ((bare, "bare"), (home, "app"), (case, "app")), strict=True))
            for i in range(WARMUP + rounds):
                for name, (page, where) in pages.items():
                    row, last = rerun(page, logs[where])
                    if i >= WARMUP and last is not None:
                        server[name].append(row)
                        browser_ms[name].append(last)
            browser.close()
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)

    def med(name: str, field: str) -> float:
        return statistics.median(row[field] for row in server[name]) * 1000

    base = names[0]
    print_table(
        f"Whole-app rerun on a server vs a bare page (median of {rounds} r presses in turn, "
        f"load average {os.getloadavg()[0]:.1f})",
        ("page", "server run ms", "÷ bare", "server CPU ms", "÷ bare", "key → last message ms", "÷ bare"),
        [
            (
                name,
                med(name, "wall"),
                med(name, "wall") / med(base, "wall"),
                med(name, "cpu"),
                med(name, "cpu") / med(base, "cpu"),
                statistics.median(browser_ms[name]),
                statistics.median(browser_ms[name]) / statistics.median(browser_ms[base]),
            )
            for name in names
        ],
    )


if __name__ == "__main__":
    main()
