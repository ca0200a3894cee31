"""A slider move on /simulator in Chromium vs the same move on a bare one-slider page.

``bench_simulator.py`` measures the server's rerun in AppTest, which always reruns the whole
script: on /simulator that includes the app frame (navigation, sidebar, account lookup). In a
browser the simulator block is an ``st.fragment``, so a slider move reruns only the block. This
benchmark measures what a user sees: from the key press on the focused angle slider until the
server's answer is on screen, on both pages served side by side, one move each in turn.

"On screen" is checked every animation frame (Playwright's ``raf`` polling) and means what only
the server's rerun can put there: the text ``angle: N`` on the bare page; on /simulator the
angle's number input showing N (the server copies the slider into it) and the chart's needle
legend (tip depth, layer, verdict) redrawn in the Plotly SVG, with no stale chart left beside it.

Both servers run with the app's ``.streamlit/config.toml`` (the bare page gets a copy). It turns
off Streamlit's full ``gc.collect`` after each run (``runner.postScriptGC``), which held the
run's messages back by 50-80 ms on both pages; ``STREAMLIT_RUNNER_POST_SCRIPT_GC=true`` in the
environment (both servers inherit it) measures with it.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common import ROOT, bare_app_dir, median_ms, p95_ms, print_table
from playwright.sync_api import Page, sync_playwright

from tests.browser.helpers import ANGLE_INPUT, open_page, wait_idle
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, DESKTOP, start_server

WARMUP, ROUNDS = 5, 30  # each an ArrowRight from 45°: the angle ends at 80°, inside both sliders' 0-90 range
BARE = """
import streamlit as st
angle = st.slider("Needle angle", 0, 90, 45)
st.write(f"angle: {angle}")
"""
BARE_SHOWN = """angle => [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
    .some(el => el.textContent.trim() === `angle: ${angle}`)"""
LEGENDS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .map(chart => chart.querySelector('g.legend text')?.textContent ?? '')"""
# Every chart drawn (a move sometimes mounts a new chart beside the stale one, or redraws it
# from an empty SVG) and none still showing the old legend.
SIMULATOR_SHOWN = f"""([angle, before]) => {{
    const input = document.querySelector('input[aria-label="{ANGLE_INPUT}"]');
    const legends = ({LEGENDS})();
    return input?.value === String(angle) && legends.length > 0 && legends.every(t => t && !before.includes(t));
}}"""


@dataclass
class Subject:
    """A page to move a slider on: what shows the move done, and the server messages received."""

    page: Page
    slider: str  # the slider's label
    shown: str  # JS predicate, true once the move's result is on screen
    arg_for: Callable[[int], object]  # the predicate's argument for the new angle
    received: int = 0

    def open(self, url: str) -> None:
        self.page.on("websocket", lambda ws: ws.on("framereceived", lambda _: self.count()))
        open_page(self.page, url)

    def count(self) -> None:
        self.received += 1

    def move(self) -> float:
        """Seconds from ArrowRight on the focused slider until the predicate holds."""
        thumb = self.page.get_by_role("slider", name=self.slider)  # an <input type="range">
        arg = self.arg_for(int(thumb.input_value()) + 1)
        received = self.received
        thumb.focus()
        start = time.perf_counter()
        thumb.press("ArrowRight")
        self.page.wait_for_function(self.shown, arg=arg, polling="raf", timeout=30_000)
        took = time.perf_counter() - start
        wait_idle(self.page)  # untimed: the next round starts with the server at rest
        assert self.received > received, "the result showed with no message from the server"
        return took


def main() -> None:
    bare_dir = bare_app_dir("bare.py", BARE)
    data_dir = Path(tempfile.mkdtemp(prefix="bench-sim-data-"))
    servers = [
        start_server(bare_dir, {}, bare_dir / "streamlit.log", script="bare.py"),
        start_server(ROOT, {"MESO_DATA_DIR": str(data_dir)}, data_dir / "streamlit.log"),
    ]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            bare = Subject(browser.new_page(viewport=DESKTOP), "Needle angle", BARE_SHOWN, lambda angle: angle)
            simulator_page = browser.new_page(viewport=DESKTOP)
            simulator = Subject(
                simulator_page,
                "Needle angle to the skin (°)",
                SIMULATOR_SHOWN,
                lambda angle: [angle, simulator_page.evaluate(LEGENDS)],
            )
            bare.open(servers[0][1])
            simulator.open(f"{servers[1][1]}/simulator")
            simulator_page.locator('[data-testid="stPlotlyChart"] g.legend text').first.wait_for()
            subjects = {"bare page, one slider": bare, "/simulator, angle slider (the block is a fragment)": simulator}
            times: dict[str, list[float]] = {name: [] for name in subjects}
            for i in range(WARMUP + ROUNDS):  # in turn, one move each, so machine noise hits both alike
                for name, subject in subjects.items():
                    took = subject.move()
                    if i >= WARMUP:
                        times[name].append(took)
            browser.close()
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=10)
    bare_ms = median_ms(times["bare page, one slider"])
    print_table(
        f"Slider move to result on screen, Chromium (median of {ROUNDS} in turn, {os.cpu_count()} cores)",
        ("page", "median ms", "p95 ms", "÷ bare page"),
        [(name, median_ms(t), p95_ms(t), median_ms(t) / bare_ms) for name, t in times.items()],
    )


if __name__ == "__main__":
    main()
