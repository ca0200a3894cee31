"""The data the browser's needle view draws: a region's bands to scale, the target, the needle.

The same model data as :func:`course.simulator.figures.cross_section_figure` (bands, colours,
fill patterns, labels, the deepest effective depth), as plain JSON for the simulator's browser
component, which draws it and moves the needle at display rate. What a drill hides (layer
labels, the target) is left out of the data, not hidden by the browser: it never reaches it.

>>> from course.simulator.loading import load_skin_model
>>> scene = needle_scene("forehead", "papule", load_skin_model(), angle=10, length=4, reveal=False)
>>> [b["id"] for b in scene["bands"]], scene["target"], scene["bands"][1]["label"]
(['band-1', 'band-2', 'band-3', 'band-4'], None, '')
"""

from __future__ import annotations

from typing import Any

from course.simulator.figures.drawing import (
    INK,
    LAYER_STYLE,
    MIN_VIEW_DEPTH_MM,
    NEEDLE_COLOUR,
    TARGET_COLOUR,
    _band_text,
    max_depth_words,
    target_text,
)
from course.simulator.model import SkinModel
from course.simulator.scoring import ANGLE_STEP, LENGTH_STEP


def needle_scene(
    region: str, technique: str, model: SkinModel, *, angle: float, length: float, reveal: bool = True
) -> dict[str, Any]:
    """JSON-ready drawing data for one region and technique, with the needle's current placement.

    ``reveal=False`` (a drill before it is submitted) leaves out the layer labels and the
    target. Raises :class:`course.simulator.geometry.MissingThickness` for a region without a
    to-scale profile, like the cross-section.
    """
    profile = model.profile(region)
    tech = model.technique(technique)
    target = model.target(profile, tech)
    limit = model.data.general.max_effective_depth.drawn
    view_depth = max(profile.known_depth_mm * 1.3, MIN_VIEW_DEPTH_MM)
    title = f"{profile.region.label} · {tech.label}" if reveal else f"{profile.region.label}: skin layers to scale"
    return {
        "title": title,
        "bands": [
            {
                "id": band.id if reveal else f"band-{i}",  # an id names the layer: hidden too
                "top": band.top_mm,
                "bottom": band.bottom_mm,
                "colour": LAYER_STYLE[band.id][0],
                "pattern": "/" if band.bottom_mm is None else LAYER_STYLE[band.id][1],
                "label": _band_text(band) if reveal else "",
            }
            for i, band in enumerate(profile.bands, start=1)
        ],
        "target": (
            {
                "top": target.top_mm,
                "bottom": target.bottom_mm,
                "centre": target.centre_mm,
                "label": target_text(target),
            }
            if reveal
            else None
        ),
        "maxDepth": None if limit is None else {"depth": limit, "label": max_depth_words(model)},
        "viewDepth": view_depth,
        "angle": float(angle),
        "length": float(length),
        "maxLength": model.max_length_mm,
        "angleStep": ANGLE_STEP,
        "lengthStep": LENGTH_STEP,
        "colours": {"ink": INK, "needle": NEEDLE_COLOUR, "target": TARGET_COLOUR},
    }
