"""The figures a lesson may embed with ``{{ figure: name key=value }}``.

Kept apart from the Plotly builders so that validating content (``check``, the tutor
editor) does not need to import Plotly. The valid regions and techniques come from the
skin model's data file (``assets/skin_model.yaml``), so adding a region there makes it
usable in lessons without touching code.
"""

from __future__ import annotations

from course.content.markers import FigureSpec, register_figure
from course.content.problems import ContentError
from course.simulator.loading import load_skin_model


def _regions() -> tuple[str, ...]:
    """Every region of the skin model, including those drawn as "no sourced figure"."""
    try:
        return load_skin_model().region_ids
    except ContentError:  # reported by `check` against the skin model file itself
        return ()


def _techniques() -> tuple[str, ...]:
    try:
        return load_skin_model().technique_ids
    except ContentError:
        return ()


register_figure(
    "skin-layers",
    FigureSpec("Cross-section of the skin layers of a region, to scale", {"region": _regions}, frozenset({"region"})),
)
register_figure(
    "technique-side",
    FigureSpec(
        "Side view of a technique: angle, depth, target layer", {"technique": _techniques}, frozenset({"technique"})
    ),
)
register_figure(
    "technique-top",
    FigureSpec("Top view of a technique's injection pattern", {"technique": _techniques}, frozenset({"technique"})),
)
register_figure(
    "simulator",
    FigureSpec("Interactive needle-depth simulator", {"region": _regions, "technique": _techniques}),
)
register_figure("depth-geometry", FigureSpec("How angle and inserted length set the depth"))
