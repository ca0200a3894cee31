"""The clickable layer picker of the quiz's "diagram" questions, and how to read a click on it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from course.simulator.figures.drawing import INK, LAYER_STYLE, _base_layout, _Drawing
from course.simulator.geometry import SkinInputError
from course.simulator.loading import layer_choices, load_skin_model
from course.simulator.model import SkinModel

PICKER_WIDTH = 10.0  # schematic units across the picker
PICKER_ROWS = 3  # rows of hit markers per layer band
# Columns of hit markers: a click selects a marker only within ~29 px of its centre (radius 9 +
# Plotly's hoverdistance 20), so at 10 columns a 680 px wide chart had dead strips between them,
# one right under the centred label (checked in Chromium). An odd count puts a marker under it.
PICKER_COLS = 21


def layer_picker_figure(region: str, selected: str | None = None, model: SkinModel | None = None) -> go.Figure:
    """A schematic (not to scale) stack of the five layers that a learner can click.

    Filled polygons cannot be selected in Streamlit, so each layer is overlaid with a grid
    of near-invisible markers whose ``customdata`` is the layer id (point selections carry it);
    render with ``st.plotly_chart(fig, on_select=..., selection_mode="points")`` and read
    the answer with :func:`layer_from_selection`. ``selected`` outlines a chosen layer and
    names it "Chosen" in its label.

    Checked in Chromium (Streamlit 1.67, ``on_select`` a callback that stores the layer, as
    the quiz does): with the figure redrawn with ``selected`` after every click, each of six
    successive clicks on the labels, with or without a hover first, selected its layer.
    """
    model = model or load_skin_model()
    choices = layer_choices(region, model)
    if selected is not None and selected not in dict(choices):
        raise SkinInputError(f"Unknown layer '{selected}'. Known layers: {', '.join(dict(choices))}.")
    fig = _Drawing()
    for index, (layer_id, label) in enumerate(choices):
        top, bottom = float(index), float(index + 1)
        colour, pattern = LAYER_STYLE[layer_id]
        is_selected = layer_id == selected
        fig.add_trace(
            x=[0, PICKER_WIDTH, PICKER_WIDTH, 0, 0],
            y=[top, top, bottom, bottom, top],
            mode="lines",
            fill="toself",
            fillcolor=colour,
            fillpattern={"shape": pattern, "fgcolor": INK, "fgopacity": 0.25, "bgcolor": colour} if pattern else None,
            line={"color": INK, "width": 4 if is_selected else 1},
            name=label,
            hoverinfo="skip",
            meta={"layer": layer_id, "role": "layer"},
        )
        fig.add_annotation(
            x=PICKER_WIDTH / 2,
            y=(top + bottom) / 2,
            text=_chosen(label) if is_selected else label,  # in words, not a tick
            showarrow=False,
            bgcolor="rgba(255,255,255,0.85)",
            font={"size": 14},
        )
        xs = [(c + 0.5) * PICKER_WIDTH / PICKER_COLS for c in range(PICKER_COLS) for _ in range(PICKER_ROWS)]
        ys = [top + (r + 0.5) / PICKER_ROWS for _ in range(PICKER_COLS) for r in range(PICKER_ROWS)]
        fig.add_trace(
            x=xs,
            y=ys,
            mode="markers",
            marker={"size": 18, "opacity": 0.01, "color": colour},  # band colour: overlaps stay invisible
            customdata=[layer_id] * len(xs),
            hovertemplate=f"{label}<extra></extra>",
            showlegend=False,
            name=f"{label} (click area)",
            meta={"layer": layer_id, "role": "hit-area"},
        )
    label = model.region(region).label
    _base_layout(fig, f"Skin layers of the {label.lower()}: schematic, not to scale", 380)
    fig.update_xaxes(visible=False, range=[0, PICKER_WIDTH], fixedrange=True)
    fig.update_yaxes(visible=False, range=[len(choices), 0], fixedrange=True)
    fig.update_layout(clickmode="event+select", hovermode="closest")
    return fig.figure()


CHOSEN_LINE_CHARS = 26  # bold 14 px characters that fit the band at 390 px on one line


def _chosen(label: str) -> str:
    """``Chosen: Dermis``, on two lines when it would run past the band on a phone."""
    one_line = f"Chosen: {label}"
    return f"<b>{one_line}</b>" if len(one_line) <= CHOSEN_LINE_CHARS else f"<b>Chosen:<br>{label}</b>"


def layer_from_selection(selection: Mapping[str, Any] | None, model: SkinModel | None = None) -> str | None:
    """The layer id a Plotly selection points at, or None if nothing (or several layers) was picked.

    Accepts what ``st.plotly_chart(..., on_select="rerun")`` returns (``{"selection": {...}}``),
    or the inner ``{"points": [...]}``. Only known layer ids count, so a crafted selection
    cannot smuggle in another answer.

    >>> layer_from_selection({"selection": {"points": [{"customdata": "hypodermis"}]}})
    'hypodermis'
    >>> layer_from_selection({"selection": {"points": []}}) is None
    True
    """
    if not selection:
        return None
    inner = selection.get("selection", selection)
    points: Sequence[Any] = inner.get("points", []) if isinstance(inner, Mapping) else []
    known = set((model or load_skin_model()).layer_ids)
    picked = set()
    for point in points:
        if not isinstance(point, Mapping):
            continue
        data = point.get("customdata")
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        if isinstance(data, str) and data in known:
            picked.add(data)
    return picked.pop() if len(picked) == 1 else None
