"""The ``depth-geometry`` figure: how deep a needle's tip goes for its angle and inserted length."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from course.simulator.figures.drawing import INK, _add_needle, _base_layout, _Drawing, _equal_axes, _surface
from course.simulator.geometry import horizontal_reach, needle_depth
from course.simulator.loading import load_skin_model
from course.simulator.model import SkinModel


def depth_geometry_figure(
    angle_deg: float | None = None, lengths_mm: Sequence[float] | None = None, model: SkinModel | None = None
) -> go.Figure:
    """The ``depth-geometry`` figure: depth = sin(angle) × inserted length, for a few lengths.

    Defaults to Micheels 2016's example: 5–8 mm of needle at 30° reaches 2.5–4.0 mm.
    """
    model = model or load_skin_model()
    example = model.data.general.micheels_example
    angle = example.angle if angle_deg is None else angle_deg
    lengths = tuple(example.lengths if lengths_mm is None else lengths_mm)
    fig = _Drawing()
    longest = max(lengths)
    for rank, length in enumerate(sorted(lengths, reverse=True)):  # rank 0: the longest needle
        reach, depth = horizontal_reach(angle, length), needle_depth(angle, length)
        _add_needle(fig, angle, length, label=f"{length:g} mm inserted")
        fig.add_shape(type="line", x0=reach, x1=reach, y0=0, y1=depth, line={"color": INK, "width": 2, "dash": "dot"})
        fig.add_annotation(  # beside the tip: under it for the deepest, above it for the others, so that
            x=reach,  # two labels cannot meet, nor cover the longer needle running on past a shorter one's tip
            y=depth,
            xanchor="left",
            yanchor="top" if rank == 0 else "bottom",
            xshift=6,
            showarrow=False,
            font={"size": 12},
            bgcolor="white",
            text=f"depth = sin {angle:g}° × {length:g}<br>= <b>{depth:.1f} mm</b>",  # two lines fit a phone
        )
        fig.add_annotation(
            x=reach / 2,
            y=depth / 2,
            xanchor="right",
            yanchor="top",
            xshift=-4,
            yshift=-6 * (len(lengths) - 1 - rank),  # at phone width two lengths' midpoints are 15 px apart
            showarrow=False,
            font={"size": 11},
            text=f"{length:g} mm",
            bgcolor="rgba(255,255,255,0.8)",
        )
    fig.add_annotation(
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        xshift=40,  # inside the angle, where it is wider than the label: nearer, the needle crossed it
        yshift=-2,
        showarrow=False,
        text=f"{angle:g}°",
        font={"size": 13},
    )
    x_range = (-1.0, horizontal_reach(angle, longest) + 6.5)
    deepest = max(needle_depth(angle, longest) + 1.8, 2.0)  # room for the deepest tip's label under it
    _surface(fig)
    _base_layout(fig, "Depth = sin(angle) × inserted length", 340)
    _equal_axes(fig, x_range, deepest, "left")
    return fig.figure()
