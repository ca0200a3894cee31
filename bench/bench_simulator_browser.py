"""The needle simulator in Chromium: pointer move to needle redrawn, and release to verdict on screen.

The simulator's drawing is an ``st.components.v2`` component (views/parts/needle_view.js): the
needle follows the pointer in the browser, and only the release goes to the server, which
judges the placement. Two figures:

1. **Pointer move → needle redrawn**, measured in the page: from the ``pointermove`` event's
   time stamp to the first task after the frame that drew the needle (a ``MessageChannel``
   message posted from the frame's callback runs once that frame is rendered). No server is
   involved. Target: median ≤ 20 ms (one or two frames).
2. **Release → verdict on screen**, against a bare one-slider page served side by side: from
   the mouse-up on the drawing until the server's verdict for the new placement is in the
   alert and the number inputs hold what was drawn; on the bare page from ArrowRight on its
   slider until its ``angle: N`` text shows. Checked every animation frame (Playwright's
   ``raf`` polling), one of each in turn so machine noise hits both alike; ratio printed.
   The same inputs are also timed in the page, from the input event's own time stamp, in two
   parts: until the verdict is on screen (the bare page: its text), and until the number
   inputs hold the drawn values too (they take theirs last).

Both servers run with the app's ``.streamlit/config.toml`` (the bare page gets a copy).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from common import ROOT, bare_app_dir, median_ms, p95_ms, print_table
from playwright.sync_api import Page, sync_playwright

from tests.browser.helpers import ANGLE_INPUT, LENGTH_INPUT, needle_drawing, open_page, wait_idle
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, DESKTOP, start_server

WARMUP, ROUNDS, MOVES = 5, 30, 120
BARE = """
import streamlit as st
angle = st.slider("Needle angle", 0, 90, 45)
st.write(f"angle: {angle}")
"""
BARE_SHOWN = """angle => [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
    .some(el => el.textContent.trim() === `angle: ${angle}`)"""
# the needle's redraw times: pointermove time stamp -> the task after the frame that drew it
WATCH_REDRAW = """svg => {
    window.__redraw = [];
    const root = svg.closest('.needle-view');
    let since = null;
    svg.addEventListener('pointermove', e => { if (since === null) since = e.timeStamp; }, {capture: true});
    new MutationObserver(() => {
        if (since === null) return;
        const start = since;
        since = null;
        const channel = new MessageChannel();
        channel.port1.onmessage = () => window.__redraw.push(performance.now() - start);
        channel.port2.postMessage(0);
    }).observe(root, {attributes: true, attributeFilter: ['data-drawn']});
}"""
VERDICT = """() => [...document.querySelectorAll('[data-testid="stAlert"]')]
    .map(a => a.textContent).find(t => t.includes(' — ')) ?? ''"""
SIMULATOR_SHOWN = f"""([before, angle, length]) => {{
    const verdict = ({VERDICT})();
    const a = document.querySelector('input[aria-label="{ANGLE_INPUT}"]')?.value;
    const l = document.querySelector('input[aria-label="{LENGTH_INPUT}"]')?.value;
    return verdict && verdict !== before && Number(a) === angle && Number(l) === length;
}}"""

# In the page, from the input event's own time stamp (the key press, the mouse-up): when the
# answer's first part is on screen (the bare page's text; the simulator's verdict) and when all of
# it is (the simulator's number inputs too). Armed before the input, read after.
WATCH_RELEASE = (
    """([kind, before, angle, length]) => {
    window.__release = null;
    const text = """
    + BARE_SHOWN
    + """;
    const verdict = """
    + VERDICT
    + """;
    const settled = """
    + SIMULATOR_SHOWN
    + """;
    const changed = () => { const v = verdict(); return Boolean(v) && v !== before; };
    const first = kind === 'bare' ? () => text(angle) : changed;
    const all = kind === 'bare' ? first : () => settled([before, angle, length]);
    document.addEventListener(kind === 'bare' ? 'keydown' : 'pointerup', event => {
        const start = event.timeStamp;
        let seen = null;
        const tick = () => {
            if (seen === null && first()) seen = performance.now() - start;
            if (seen !== null && all()) { window.__release = [seen, performance.now() - start]; return; }
            requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
    }, {capture: true, once: true});
}"""
)
IN_PAGE: dict[str, list[tuple[float, float]]] = {"bare": [], "simulator": []}


def in_page(page: Page, kind: str) -> None:
    """Keep what :data:`WATCH_RELEASE` measured for this input (milliseconds: first part, all)."""
    page.wait_for_function("() => window.__release !== null", polling="raf", timeout=30_000)
    first, whole = page.evaluate("window.__release")
    IN_PAGE[kind].append((first / 1000, whole / 1000))


def bare_move(page: Page) -> float:
    """Seconds from ArrowRight on the bare page's focused slider until its text shows the new angle."""
    thumb = page.get_by_role("slider", name="Needle angle")
    value = int(thumb.input_value())
    step = "ArrowRight" if value < 90 else "ArrowLeft"
    thumb.focus()
    target = value + (1 if value < 90 else -1)
    page.evaluate(WATCH_RELEASE, ["bare", "", target, 0])
    start = time.perf_counter()
    thumb.press(step)
    page.wait_for_function(BARE_SHOWN, arg=target, polling="raf", timeout=30_000)
    took = time.perf_counter() - start
    in_page(page, "bare")
    wait_idle(page)
    return took


def release_move(page: Page, target: tuple[float, float]) -> float:
    """Seconds from releasing a drag on the drawing until the server's verdict for it is on screen."""
    svg = needle_drawing(page)
    box = svg.bounding_box()
    assert box is not None
    before = page.evaluate(VERDICT)
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * target[0], box["y"] + box["height"] * target[1], steps=4)
    angle, length = float(svg.get_attribute("data-angle") or 0), float(svg.get_attribute("data-length") or 0)
    page.evaluate(WATCH_RELEASE, ["simulator", before, angle, length])
    start = time.perf_counter()
    page.mouse.up()
    page.wait_for_function(SIMULATOR_SHOWN, arg=[before, angle, length], polling="raf", timeout=30_000)
    took = time.perf_counter() - start
    in_page(page, "simulator")
    wait_idle(page)
    return took


def redraws(page: Page) -> list[float]:
    """Milliseconds from each pointer move to the needle redrawn, over ``MOVES`` moves of one drag."""
    svg = needle_drawing(page)
    svg.evaluate(WATCH_REDRAW)
    box = svg.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.3)
    page.mouse.down()
    for i in range(MOVES):
        share = 0.3 + 0.4 * ((i % 40) / 40)
        page.mouse.move(box["x"] + box["width"] * share, box["y"] + box["height"] * (0.2 + share / 2))
        page.wait_for_function(f"() => window.__redraw.length > {i}", polling="raf", timeout=10_000)
    page.mouse.up()
    wait_idle(page)
    return page.evaluate("window.__redraw")


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
            bare = browser.new_page(viewport=DESKTOP)
            simulator = browser.new_page(viewport=DESKTOP)
            open_page(bare, servers[0][1])
            open_page(simulator, f"{servers[1][1]}/simulator")
            needle_drawing(simulator).wait_for()
            redraw_ms = redraws(simulator)
            times: dict[str, list[float]] = {"bare page, one slider (key press)": [], "/simulator, drag release": []}
            targets = [(0.6, 0.4), (0.5, 0.25)]  # two depths in turn, so every release changes the verdict
            for i in range(WARMUP + ROUNDS):
                took_bare = bare_move(bare)
                took_sim = release_move(simulator, targets[i % 2])
                if i < WARMUP:
                    for kept in IN_PAGE.values():
                        kept.clear()
                else:
                    times["bare page, one slider (key press)"].append(took_bare)
                    times["/simulator, drag release"].append(took_sim)
            browser.close()
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=10)
    redraw_s = [ms / 1000 for ms in redraw_ms]
    print_table(
        f"Pointer move to needle redrawn, in the page (median of {len(redraw_s)} moves, target ≤ 20 ms)",
        ("what", "median ms", "p95 ms"),
        [("pointermove → frame with the needle drawn", median_ms(redraw_s), p95_ms(redraw_s))],
    )
    bare_ms = median_ms(times["bare page, one slider (key press)"])
    print_table(
        f"Release to verdict on screen, Chromium (median of {ROUNDS} in turn, {os.cpu_count()} cores)",
        ("page", "median ms", "p95 ms", "÷ bare page"),
        [(name, median_ms(t), p95_ms(t), median_ms(t) / bare_ms) for name, t in times.items()],
    )
    bare_first = median_ms([first for first, _ in IN_PAGE["bare"]])
    print_table(
        "The same inputs timed in the page, from the event's time stamp (key press, mouse-up)",
        ("what is on screen", "median ms", "p95 ms", "÷ bare page's text"),
        [
            ("bare page: its text", bare_first, p95_ms([f for f, _ in IN_PAGE["bare"]]), 1.0),
            *(
                (label, median_ms(picked), p95_ms(picked), median_ms(picked) / bare_first)
                for label, picked in (
                    ("/simulator: the verdict", [f for f, _ in IN_PAGE["simulator"]]),
                    ("/simulator: the verdict and the number inputs", [w for _, w in IN_PAGE["simulator"]]),
                )
            ),
        ],
    )


if __name__ == "__main__":
    main()
