"""A slider change on the needle simulator vs the same change on a bare one-slider page (AppTest).

Both are measured side by side in one process: each round moves the slider to the next
angle and reruns. The simulator round includes everything a real slider change costs there
(the app frame, navigation, the skin model lookup, the Plotly cross-section, the verdict).
Also reported: the pure model and figure building per change, to show where the time goes.
Target from issue 4: the simulator rerun within 3x the bare page's.
"""

from __future__ import annotations

import os
import tempfile
import time

from common import ROOT, median_ms, p95_ms, print_table, time_runs

REPEAT = 30
ANGLES = [5, 15, 25, 35, 45, 55, 65, 75]
BARE = """
import streamlit as st
angle = st.slider("Needle angle", 0, 90, 45, key="angle")
st.write(f"angle: {angle}")
"""
# The simulator block alone, without the app frame (navigation, sidebar, account lookup).
BLOCK = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from course.skin import load_skin_model
from views.figure_blocks import simulator_block
simulator_block("sim:free", load_skin_model())
"""


def slider_rounds(at, key: str) -> list[float]:
    """Seconds per rerun after moving the slider with ``key`` to the next angle."""
    times = []
    for i in range(REPEAT + 1):
        at.slider(key=key).set_value(ANGLES[i % len(ANGLES)])
        start = time.perf_counter()
        at.run()
        if i:  # the first round warms caches
            times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return times


def model_rounds() -> list[float]:
    """The simulator's own work per slider move: assess, redraw the session's figure, alt text."""
    from course.figures import Redrawn, cross_section_spec, placement_alt
    from course.skin import load_skin_model

    model = load_skin_model()
    figure = Redrawn()
    times = []
    for i in range(REPEAT + 1):
        start = time.perf_counter()
        placement = model.assess("forehead", "intra-epidermal", ANGLES[i % len(ANGLES)], 4.0)
        figure.draw(cross_section_spec("forehead", placement=placement, model=model)).to_plotly_json()
        placement_alt(placement, model)
        if i:  # the first round builds the figure the later ones redraw
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    os.environ["MESO_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-simulator-")
    from streamlit.testing.v1 import AppTest

    bare = AppTest.from_string(BARE, default_timeout=60).run()
    block = AppTest.from_string(BLOCK, default_timeout=60).run()
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    home = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    app.switch_page("views/simulator.py").run()
    bare_times, block_times, sim_times, home_times = [], [], [], []
    for _ in range(2):  # interleave them so machine noise hits all alike
        bare_times += slider_rounds(bare, "angle")
        block_times += slider_rounds(block, "sim:free:angle:slider")
        sim_times += slider_rounds(app, "sim:free:angle:slider")
        home_times += time_runs(home.run, REPEAT)
    bare_ms, sim_ms = median_ms(bare_times), median_ms(sim_times)
    pure = model_rounds()
    print_table(
        f"Slider change rerun, simulator vs bare one-slider page (AppTest, median of {len(sim_times)}, "
        f"{os.cpu_count()} cores)",
        ("page", "median ms", "p95 ms", "÷ bare page"),
        [
            ("bare page, one slider", bare_ms, p95_ms(bare_times), 1.0),
            (
                "simulator block alone (no app frame), angle slider",
                median_ms(block_times),
                p95_ms(block_times),
                median_ms(block_times) / bare_ms,
            ),
            (
                "the app frame alone: Home page rerun",
                median_ms(home_times),
                p95_ms(home_times),
                median_ms(home_times) / bare_ms,
            ),
            ("/simulator in the app, angle slider", sim_ms, p95_ms(sim_times), sim_ms / bare_ms),
            ("(of which: model + figure + alt text)", median_ms(pure), p95_ms(pure), median_ms(pure) / bare_ms),
        ],
    )
    print(
        f"\nratio {sim_ms / bare_ms:.2f} for the whole app page, {median_ms(block_times) / bare_ms:.2f} for the "
        "simulator block alone (issue 4 target: <= 3)"
    )


if __name__ == "__main__":
    main()
