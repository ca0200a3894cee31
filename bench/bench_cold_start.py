"""Cold start: ``streamlit run`` until the first lesson is painted in Chromium.

Measured beside a bare one-title "hello" app started the same way, in the same run, so the
ratio holds on a noisy machine. Each app is started ``ROUNDS`` times; medians are reported.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from common import ROOT, bare_app_dir, print_table

from course.content.lessons import load_catalog
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, DESKTOP, start_server

ROUNDS = 3
HELLO = 'import streamlit as st\nst.title("hello")\n'


def cold_start(playwright, script: str, url_path: str, heading: str, workdir: Path) -> float:
    """Seconds from process start to the heading visible in a fresh browser."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-cold-"))
    start = time.perf_counter()
    process, url = start_server(workdir, {"MESO_DATA_DIR": str(scratch)}, scratch / "streamlit.log", script=script)
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=DESKTOP)
        page.goto(f"{url}/{url_path}")
        page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
        elapsed = time.perf_counter() - start
        browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    return elapsed


def main() -> None:
    from playwright.sync_api import sync_playwright

    lesson = load_catalog().lessons[0]
    hello_dir = bare_app_dir("hello.py", HELLO)
    app_times, hello_times = [], []
    with sync_playwright() as playwright:
        for _ in range(ROUNDS):
            hello_times.append(cold_start(playwright, "hello.py", "", "hello", hello_dir))
            app_times.append(cold_start(playwright, "app.py", lesson.url_path, lesson.title, ROOT))
    hello, app = statistics.median(hello_times), statistics.median(app_times)
    print_table(
        f"Cold start to first paint (median of {ROUNDS}, {os.cpu_count()} cores)",
        ("app", "seconds", "÷ hello app"),
        [("bare hello app", hello, 1.0), (f"Meso Academy, /{lesson.url_path}", app, app / hello)],
    )


if __name__ == "__main__":
    main()
