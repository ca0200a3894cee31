"""A slider change on the needle simulator vs the same change on a bare one-slider page (AppTest).

All pages are measured side by side in one process, one rerun each in turn: each moves the
angle slider to the next angle and reruns. Rows:

- the simulator block alone: what a slider move reruns in a browser (the block is an
  ``st.fragment``); AppTest cannot rerun a fragment alone, so the block runs as its own script;
- the whole /simulator page in the app: AppTest reruns the app frame (navigation, sidebar) too;
- two floors: the simulator's required controls (six inputs) with no course code, then with the
  cheapest Plotly chart added. They show how much of the ratio is Streamlit's cost per element;
- the pure model and figure work per move, to show where the time goes.

Target: the simulator rerun within 3x the bare page's.
"""

from __future__ import annotations

import json
import os
import tempfile
import time

from common import ROOT, median_ms, p95_ms, print_table

REPEAT = 120  # reruns of each page, taken in turn (bare, floor, ..., app) so drift hits all alike
ANGLES = [5, 15, 25, 35, 45, 55, 65, 75]
BARE = """
import streamlit as st
angle = st.slider("Needle angle", 0, 90, 45, key="angle")
st.write(f"angle: {angle}")
"""
# The floor: the controls the simulator must offer, with none of the course's work. Region and
# technique pickers, then angle and length each as a slider and a number input (3 rows).
CONTROLS = """
import streamlit as st
left, right = st.columns(2)
left.selectbox("Body region", ["forehead", "cheek", "neck"], key="region")
right.selectbox("Technique", ["papule", "nappage"], key="technique")
left, right = st.columns([3, 1])
angle = left.slider("Needle angle", 0, 90, 45, key="angle")
right.number_input("Needle angle (type a value)", 0, 90, 45, key="angle-number")
left, right = st.columns([3, 1])
left.slider("Needle length", 0.0, 13.0, 4.0, key="length")
right.number_input("Needle length (type a value)", 0.0, 13.0, 4.0, key="length-number")
"""
# ... plus the cheapest Plotly chart there is: one line, no template.
CONTROLS_CHART = (
    CONTROLS
    + """
import plotly.graph_objects as go
figure = go.Figure(go.Scatter(x=[0, 1], y=[0, angle]), layout={"template": {}})
st.plotly_chart(figure, key="chart")
st.write(f"angle: {angle}")
"""
)
# The simulator block alone, without the app frame (navigation, sidebar, account lookup).
BLOCK = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from course.simulator.loading import load_skin_model
from views.parts.figure_blocks import simulator_block
simulator_block("sim:free", load_skin_model(), heading=False)  # as on /simulator
"""


def one_move(at, key: str, angle: int) -> float:
    """Seconds for one rerun after moving the slider (or, on the simulator, the number input) ``key`` to ``angle``.

    The simulator's needle is dragged in the browser (a component AppTest cannot drive); a release
    writes the placement into the number inputs and reruns the block, as setting one does here.
    """
    (at.number_input if key.endswith(":number") else at.slider)(key=key).set_value(angle)
    start = time.perf_counter()
    at.run()
    took = time.perf_counter() - start
    assert not at.exception, at.exception
    return took


def model_rounds() -> list[float]:
    """The simulator's own work per placement: assess, the drawing's data, alt text."""
    from course.simulator.figures import needle_scene, placement_alt
    from course.simulator.loading import load_skin_model

    model = load_skin_model()
    times = []
    for i in range(REPEAT + 1):
        start = time.perf_counter()
        placement = model.assess("forehead", "intra-epidermal", ANGLES[i % len(ANGLES)], 4.0)
        json.dumps(needle_scene("forehead", "intra-epidermal", model, angle=placement.angle_deg, length=4.0))
        placement_alt(placement, model)
        if i:  # the first round builds the figure the later ones redraw
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    os.environ["MESO_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-simulator-")
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    app.switch_page("views/pages/simulator.py").run()
    pages = {  # name: (AppTest, the angle slider's key)
        "bare page, one slider": (AppTest.from_string(BARE, default_timeout=60).run(), "angle"),
        "floor: the issue's six controls, no course code": (
            AppTest.from_string(CONTROLS, default_timeout=60).run(),
            "angle",
        ),
        "floor: the six controls + a one-line Plotly chart": (
            AppTest.from_string(CONTROLS_CHART, default_timeout=60).run(),
            "angle",
        ),
        "simulator block alone (no app frame), angle slider": (
            AppTest.from_string(BLOCK, default_timeout=60).run(),
            "sim:free:angle:number",
        ),
        "/simulator in the app, angle slider": (app, "sim:free:angle:number"),
    }
    home = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    times: dict[str, list[float]] = {name: [] for name in [*pages, "the app frame alone: Home page rerun"]}
    for i in range(REPEAT + 1):  # round robin, one rerun each, so machine noise hits all alike
        for name, (at, key) in pages.items():
            took = one_move(at, key, ANGLES[i % len(ANGLES)])
            if i:  # the first round warms caches
                times[name].append(took)
        start = time.perf_counter()
        home.run()
        if i:
            times["the app frame alone: Home page rerun"].append(time.perf_counter() - start)
    pure = model_rounds()
    bare_ms = median_ms(times["bare page, one slider"])
    rows = [(name, median_ms(t), p95_ms(t), median_ms(t) / bare_ms) for name, t in times.items()]
    pure_ms = median_ms(pure)
    rows.append(("(of which: model + drawing data + alt text)", pure_ms, p95_ms(pure), pure_ms / bare_ms))
    print_table(
        f"Slider change rerun, simulator vs bare one-slider page (AppTest, median of {REPEAT} in turn, "
        f"{os.cpu_count()} cores)",
        ("page", "median ms", "p95 ms", "÷ bare page"),
        rows,
    )
    ratio = {name: median_ms(t) / bare_ms for name, t in times.items()}
    print(
        f"\nratio {ratio['simulator block alone (no app frame), angle slider']:.2f} for the simulator block (what a "
        f"slider move reruns in a browser: it is a fragment), {ratio['/simulator in the app, angle slider']:.2f} for "
        f"the whole app page; the required controls and chart alone: "
        f"{ratio['floor: the six controls + a one-line Plotly chart']:.2f} (target: <= 3)"
    )


if __name__ == "__main__":
    main()
