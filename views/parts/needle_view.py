"""The needle simulator's drawing: an ``st.components.v2`` component drawn in the browser.

The browser draws the layers to scale and moves the needle at display rate (pointer, touch,
keyboard, its own sliders); on release it sends ``{"angle", "length"}`` back and the page
computes the verdict with :meth:`course.simulator.model.SkinModel.assess`. The HTML, CSS and
JavaScript are inline strings read from the files beside this module (no build step, no CDN).
Only data from :func:`course.simulator.figures.needle_scene` reaches it, never user text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

HERE = Path(__file__).parent
HTML = """
<div class="needle-view">
  <div class="nv-title"></div>
  <svg class="nv-svg" role="slider" tabindex="0" aria-valuemin="0" aria-valuemax="90" aria-valuenow="0"
       aria-label="Needle: drag its tip, or use the arrow keys (up and down: angle, left and right: length)"></svg>
  <div class="nv-readout" aria-hidden="true"></div>
  <div class="nv-controls">
    <label for="nv-angle">Angle</label><input class="nv-angle" id="nv-angle" type="range" min="0" max="90" step="1"
      aria-label="Needle angle to the skin, degrees">
    <label for="nv-length">Length</label><input class="nv-length" id="nv-length" type="range" min="0" max="13"
      step="0.1" aria-label="Needle length inserted, millimetres">
  </div>
  <p class="nv-hint">Drag the needle's tip, or focus the drawing and use the arrow keys.</p>
  <div class="nv-live" aria-live="polite"></div>
</div>
"""

needle_component = st.components.v2.component(
    "meso_needle_view",
    html=HTML,
    css=(HERE / "needle_view.css").read_text(encoding="utf-8"),
    js=(HERE / "needle_view.js").read_text(encoding="utf-8"),
)


def needle_view(key: str, scene: dict[str, Any], on_placement: Callable[[], None] | None = None) -> None:
    """Mount the drawing for ``scene``; ``on_placement`` runs when the browser sends a placement.

    The placement is then in ``st.session_state[key]["placement"]`` (``{"angle", "length"}``).
    Without ``on_placement`` the drawing is read-only (a submitted drill).
    """
    # The scene goes in a one-item list: Streamlit scans the first level of a dict for
    # dataframes to send as Arrow (about 0.2 ms a run for the scene's keys); a list is sent as JSON.
    if on_placement is None:
        needle_component(key=key, data=[{**scene, "readonly": True}])
        return
    needle_component(key=key, data=[{**scene, "readonly": False}], on_placement_change=on_placement)
