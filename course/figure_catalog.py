"""The figures a lesson may embed with ``{{ figure: name key=value }}``.

Kept apart from the Plotly builders so that validating content (``check``, the tutor
editor) does not need to import Plotly. The valid values come from the skin model's data.
"""

from __future__ import annotations

from course.markers import FigureSpec, register_figure

# Replaced by the skin model's own lists once it lands (issue 4).
REGIONS = ("forehead", "cheek", "eyelid", "jawline", "neck", "scalp", "buttock")
TECHNIQUES = ("intra-epidermal", "papule", "nappage", "point-by-point", "linear-retrograde", "gun-assisted")


def _regions() -> tuple[str, ...]:
    return REGIONS


def _techniques() -> tuple[str, ...]:
    return TECHNIQUES


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
