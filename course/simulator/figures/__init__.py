"""Plotly figure builders for the skin model: pure functions returning ``go.Figure``.

Every builder draws from :mod:`course.simulator.model` data only, and each has a text twin (an
``*_alt`` function) generated from the same data, so a picture and its description cannot
drift apart. Colours are Okabe–Ito (colour-blind safe)
and every layer also carries a fill pattern and a written label, so nothing is told by
colour alone. Layouts use small margins and short labels to stay readable at 390 px.

What lives where (import from this package; the modules import only :mod:`.drawing`):

* :mod:`.drawing`: the ``_Drawing`` collector, the palette, :func:`figure_layout`, the
  equal-scale axes and the helpers every figure draws with (bands, target, needle, labels);
* :mod:`.cross_section`: the skin layers to scale, the simulator's cross-section,
  :class:`Redrawn`, and the landmark view of a region without sourced thicknesses;
* :mod:`.picker`: the clickable layer picker of the quiz and :func:`layer_from_selection`;
* :mod:`.techniques`: the technique side and top views and their layouts;
* :mod:`.depth_geometry`: depth = sin(angle) × inserted length;
* :mod:`.needle_scene`: the JSON the simulator's browser component draws (no Plotly);
* :mod:`.alt`: every figure's text alternative (``*_alt``).
"""

from __future__ import annotations

from course.simulator.figures.alt import (
    depth_geometry_alt,
    layer_picker_alt,
    placement_alt,
    skin_layers_alt,
    technique_side_alt,
    technique_top_alt,
)
from course.simulator.figures.cross_section import (
    Redrawn,
    cross_section_figure,
    cross_section_spec,
    landmark_figure,
    skin_layers_figure,
    tip_text,
)
from course.simulator.figures.depth_geometry import depth_geometry_figure
from course.simulator.figures.drawing import (
    AIR_MM,
    INK,
    LAYER_STYLE,
    MIN_VIEW_DEPTH_MM,
    NEEDLE_COLOUR,
    TARGET_COLOUR,
    dejavu,
    figure_layout,
    max_depth_words,
    target_text,
    wrap_lines,
)
from course.simulator.figures.needle_scene import needle_scene
from course.simulator.figures.picker import PICKER_WIDTH, layer_from_selection, layer_picker_figure
from course.simulator.figures.techniques import (
    NO_PATTERN_PATCH,
    SideLayout,
    TopLayout,
    side_layout,
    spacing_label,
    technique_side_figure,
    technique_top_figure,
    thread_label,
    top_layout,
)
from course.simulator.loading import layer_choices  # bench/make_results.py and the picker tests take it from here

__all__ = [
    "AIR_MM",
    "INK",
    "LAYER_STYLE",
    "MIN_VIEW_DEPTH_MM",
    "NEEDLE_COLOUR",
    "NO_PATTERN_PATCH",
    "PICKER_WIDTH",
    "TARGET_COLOUR",
    "Redrawn",
    "SideLayout",
    "TopLayout",
    "cross_section_figure",
    "cross_section_spec",
    "dejavu",
    "depth_geometry_alt",
    "depth_geometry_figure",
    "figure_layout",
    "landmark_figure",
    "layer_choices",
    "layer_from_selection",
    "layer_picker_alt",
    "layer_picker_figure",
    "max_depth_words",
    "needle_scene",
    "placement_alt",
    "side_layout",
    "skin_layers_alt",
    "skin_layers_figure",
    "spacing_label",
    "target_text",
    "technique_side_alt",
    "technique_side_figure",
    "technique_top_alt",
    "technique_top_figure",
    "thread_label",
    "tip_text",
    "top_layout",
    "wrap_lines",
]
