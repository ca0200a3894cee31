"""Plotly figure builders for the skin model: pure functions returning ``go.Figure``.

Every builder draws from :mod:`course.skin` data only, and each has a text twin (an
``*_alt`` function) generated from the same data, so a picture and its description cannot
drift apart. Colours are Okabe–Ito (colour-blind safe)
and every layer also carries a fill pattern and a written label, so nothing is told by
colour alone. Layouts use small margins and short labels to stay readable at 390 px.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from course.skin import (
    METHOD_LABEL,
    METHOD_SHORT,
    RELIABILITY_MARK,
    Amount,
    Band,
    MissingThickness,
    Placement,
    Profile,
    SkinInputError,
    SkinModel,
    TargetZone,
    Technique,
    horizontal_reach,
    layer_choices,
    load_skin_model,
    needle_depth,
)

# Okabe–Ito palette, one colour and one fill pattern per anatomical layer (and per band).
LAYER_STYLE: dict[str, tuple[str, str]] = {
    "epidermis": ("#E69F00", "."),
    "papillary-dermis": ("#CC79A7", ""),
    "reticular-dermis": ("#56B4E9", "-"),
    "dermis": ("#CC79A7", ""),
    "hypodermis": ("#F0E442", "+"),
    "muscle": ("#D55E00", "|"),
}
INK = "#000000"
TARGET_COLOUR = "#009E73"  # green outline + "TARGET" label
NEEDLE_COLOUR = "#0072B2"
FONT = {"family": "Source Sans Pro, DejaVu Sans, Arial, sans-serif", "size": 13, "color": INK}

# characters of a 15 px title per line: about 48 fit a bordered box at 390 px (checked in Chromium)
TITLE_CHARS = 44
TITLE_LINE_PX = 20
SUBTITLE_CHARS = 46  # a 12 px subtitle: about 48 characters fit the simulator's 326 px chart at 390 px
HALO = "0 0 2px white, 0 0 2px white, 0 0 1px white"  # text-shadow: labels read on a fill pattern
SUBTITLE_LINE_PX = 17
PICKER_WIDTH = 10.0  # schematic units across the picker
PICKER_ROWS = 3  # rows of hit markers per layer band
# Columns of hit markers: a click selects a marker only within ~29 px of its centre (radius 9 +
# Plotly's hoverdistance 20), so at 10 columns a 680 px wide chart had dead strips between them,
# one right under the centred label (checked in Chromium). An odd count puts a marker under it.
PICKER_COLS = 21


@dataclass
class _Drawing:
    """Traces, annotations and shapes collected as plain dicts, then validated once by ``go.Figure``.

    Adding annotations one by one to a ``go.Figure`` re-validates the whole list each time,
    which made a simulator rerun cost ~250 ms; collecting first keeps it linear. The methods
    mirror ``go.Figure``'s so builders read the same.
    """

    traces: list[dict[str, Any]] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    shapes: list[dict[str, Any]] = field(default_factory=list)
    layout: dict[str, Any] = field(default_factory=dict)

    def add_trace(self, **trace: Any) -> None:
        self.traces.append({"type": "scatter", **trace})

    def add_annotation(self, **annotation: Any) -> None:
        self.annotations.append(annotation)

    def add_shape(self, **shape: Any) -> None:
        self.shapes.append(shape)

    def update_layout(self, **layout: Any) -> None:
        self.layout.update(layout)

    def update_xaxes(self, **axis: Any) -> None:
        self.layout.setdefault("xaxis", {}).update(axis)

    def update_yaxes(self, **axis: Any) -> None:
        self.layout.setdefault("yaxis", {}).update(axis)

    def spec(self) -> dict[str, Any]:
        """The figure as plain dicts (``{"data": [...], "layout": {...}}``), not yet validated."""
        layout = {**self.layout, "annotations": self.annotations, "shapes": self.shapes, "template": NO_TEMPLATE}
        return {"data": self.traces, "layout": layout}

    def figure(self) -> go.Figure:
        """The figure, validated once by ``go.Figure``.

        Validation costs about half a millisecond per trace, annotation or shape on every slider
        move, so builders keep their object count low (one bar trace for all the bands, for one).
        """
        return go.Figure(self.spec())


@dataclass
class Redrawn:
    """A figure kept between reruns and redrawn in place from each new spec (see :meth:`draw`).

    ``go.Figure`` validates every property it is given: rebuilding the simulator's figure on
    each slider move validated every layer, label and axis again although only the needle,
    the title and the ranges change. :meth:`draw` validates only what differs from the last
    spec, and gives the same figure as ``go.Figure(spec)`` (a unit test checks this).
    """

    figure: go.Figure | None = None
    spec: dict[str, Any] | None = None

    def draw(self, spec: dict[str, Any]) -> go.Figure:
        """The figure for ``spec``, updated in place when it has the same objects as the last one."""
        old = self.spec
        if self.figure is None or old is None or not _same_objects(old, spec):
            self.figure = go.Figure(spec)
        else:
            pairs = [(self.figure.layout, _layout_props(old), _layout_props(spec))]
            pairs += zip(self.figure.data, old["data"], spec["data"], strict=True)
            for name in ("annotations", "shapes"):
                pairs += zip(self.figure.layout[name], old["layout"][name], spec["layout"][name], strict=True)
            for obj, before, after in pairs:
                for path, value in _changes(before, after):
                    obj[path] = value  # validated, like go.Figure's constructor, but only what changed
        self.spec = spec
        return self.figure


def _layout_props(spec: dict[str, Any]) -> dict[str, Any]:
    """A spec's layout without its annotations and shapes (updated one by one)."""
    return {key: value for key, value in spec["layout"].items() if key not in ("annotations", "shapes")}


def _same_objects(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether two specs have the same traces (by type), annotations and shapes, in number."""
    return [t["type"] for t in old["data"]] == [t["type"] for t in new["data"]] and all(
        len(old["layout"][name]) == len(new["layout"][name]) for name in ("annotations", "shapes")
    )


def _changes(old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """``(dotted path, value)`` of each property ``new`` sets differently from ``old``.

    Nested dicts are compared key by key; a key ``new`` drops maps to None, which unsets it in
    Plotly. ``meta`` is free-form data, so it is compared and set whole.

    >>> _changes({"x": [1], "line": {"width": 1, "dash": "dot"}}, {"x": [1], "line": {"width": 2}})
    [('line.dash', None), ('line.width', 2)]
    """
    changes: list[tuple[str, Any]] = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if isinstance(before, Mapping) and isinstance(after, Mapping) and key != "meta":
            changes += _changes(before, after, f"{prefix}{key}.")
        else:
            changes.append((f"{prefix}{key}", after))
    return changes


# Streamlit's chart theme replaces Plotly's default template in the browser (the same figure
# with and without it paints pixel-identical in Chromium), yet that template is two thirds of
# a figure's JSON: Plotly's registered "none" template makes each slider move's payload three
# times smaller (an empty dict would be replaced by the default template on validation).
NO_TEMPLATE = "none"


def figure_layout(title: str, height: int, subtitle: Sequence[str] = ()) -> dict[str, Any]:
    """The layout every course figure shares: left title, one typeface, small margins, white.

    Small margins keep the plot readable at 390 px; the progress charts add their legend. A
    title longer than :data:`TITLE_CHARS` is broken into lines (Plotly never wraps one, it
    cuts it off), and the top margin and height grow with it so the plot keeps its size; so
    does a ``subtitle`` (smaller, under the title): each of its items starts a new line and
    is wrapped at :data:`SUBTITLE_CHARS`.

    >>> figure_layout("Depth", 300)["margin"]
    {'l': 10, 'r': 10, 't': 48, 'b': 10}
    >>> figure_layout("Jawline (submandibular) · Gun-assisted (injector): on target", 380)["title"]["text"]
    'Jawline (submandibular) · Gun-assisted<br>(injector): on target'
    """
    lines = wrap_lines(title, TITLE_CHARS) or [title]
    sub_lines = [line for item in subtitle for line in wrap_lines(item, SUBTITLE_CHARS)]
    extra = TITLE_LINE_PX * (len(lines) - 1) + SUBTITLE_LINE_PX * len(sub_lines)
    title_layout: dict[str, Any] = {"text": "<br>".join(lines), "x": 0, "xanchor": "left", "font": {"size": 15}}
    if sub_lines:  # pinned to the top: Plotly centres a title in the top margin and would overlap the plot
        title_layout.update(
            y=1,
            yref="container",
            yanchor="top",
            pad={"t": 12},
            subtitle={"text": "<br>".join(sub_lines), "font": {"size": 12}},
        )
    return {
        "title": title_layout,
        "font": FONT,
        "height": height + extra,
        "margin": {"l": 10, "r": 10, "t": 48 + extra, "b": 10},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
    }


def _base_layout(fig: _Drawing, title: str, height: int, subtitle: Sequence[str] = ()) -> None:
    fig.update_layout(**figure_layout(title, height, subtitle), showlegend=False)


# --- clickable layer picker (quiz "diagram" questions) --------------------------------------


def layer_picker_figure(region: str, selected: str | None = None, model: SkinModel | None = None) -> go.Figure:
    """A schematic (not to scale) stack of the five layers that a learner can click.

    Filled polygons cannot be selected in Streamlit, so each layer is overlaid with a grid
    of near-invisible markers whose ``customdata`` is the layer id (streamlit_notes §3);
    render with ``st.plotly_chart(fig, on_select=..., selection_mode="points")`` and read
    the answer with :func:`layer_from_selection`. ``selected`` outlines a chosen layer and
    ticks its label.

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
            text=f"<b>✓ {label}</b>" if is_selected else label,
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


# --- shared drawing helpers -----------------------------------------------------------------

AIR_MM = 0.9  # space drawn above the skin surface for the needle hub and top labels
MIN_VIEW_DEPTH_MM = 5.0  # cross-sections show at least this depth so 4 mm (Konda & Thappa) is visible


# The height is set on the server, which does not know the screen: it is chosen so the drawing
# fills a phone's plot area (390 px viewport, about 280 px between the axes) exactly, and the
# axes grow their range, never shrink their box, on other widths (see _equal_axes).
PHONE_PLOT_WIDTH_PX = 280
PLOT_HEIGHT_PX = (220, 520)  # bounds of the plot area's height
X_AXIS_PX = 40  # tick labels and title under the plot
LEGEND_LINE_PX = 20  # a line of legend above the plot
OVERHANG = 4.0  # layers are drawn this many times their visible width/depth beyond it, for wider screens


def _equal_axes(fig: _Drawing, x_range: tuple[float, float], y_bottom: float, toward: str = "right") -> None:
    """Millimetres on both axes at the same scale, so angles and thicknesses are drawn true.

    ``x_range`` and ``y_bottom`` are the least the figure shows. The plot keeps its whole box
    at any width: where the box is wider than the drawing (a desktop) the x range grows away
    from the ``toward`` edge, showing more skin; where it is narrower (a small phone) the depth
    range grows downwards. Plotly's default (shrinking the plot box) left a blank band of up to
    half the chart at 390 px. The height follows the drawing's aspect at a phone's plot width.
    """
    _fit_height(fig, (y_bottom + AIR_MM) / (x_range[1] - x_range[0]))
    fig.update_xaxes(
        range=list(x_range),
        title={"text": "mm along the skin", "font": {"size": 11}},
        zeroline=False,
        showgrid=False,
        fixedrange=True,
        constrain="range",
        constraintoward=toward,
        ticks="outside",
    )
    fig.update_yaxes(
        range=[y_bottom, -AIR_MM],
        title={"text": "depth (mm)", "font": {"size": 11}},
        zeroline=False,
        showgrid=False,
        fixedrange=True,
        scaleanchor="x",
        scaleratio=1,
        constrain="range",
        constraintoward="top",
        ticks="outside",
    )


def _fit_height(fig: _Drawing, aspect: float) -> None:
    """The figure's height for a plot area ``aspect`` (height ÷ width) at a phone's plot width."""
    low, high = PLOT_HEIGHT_PX
    margins = fig.layout["margin"]["t"] + fig.layout["margin"]["b"] + X_AXIS_PX
    fig.update_layout(height=int(margins + min(max(PHONE_PLOT_WIDTH_PX * aspect, low), high)))


def _overhang(x_range: tuple[float, float], toward: str = "right") -> tuple[float, float]:
    """``x_range`` extended away from its fixed edge, so a band still fills a wider screen."""
    x0, x1 = x_range
    span = OVERHANG * (x1 - x0)
    return (x0 - span, x1) if toward == "right" else (x0, x1 + span)


def _band_text(band: Band) -> str:
    """``Dermis 0.86 ± 0.16 mm (HFUS)``: short enough for a phone; sources are in the alt text."""
    if band.measurement is None:
        return f"{band.label}: thickness not sourced"
    m = band.measurement
    method = f" ({METHOD_SHORT[m.method]})" if m.method else ""
    return f"{band.label} {m.label('mm')}{method}"


def _add_bands(
    fig: _Drawing,
    profile: Profile,
    x_range: tuple[float, float],
    y_bottom: float,
    *,
    numbers: bool = True,
    spots: Sequence[tuple[float, str]] | None = None,
) -> None:
    """The layers as one horizontal bar trace (a bar per band), their labels as one text trace.

    Two Plotly objects however many bands: each object costs about half a millisecond of
    validation on every slider move. A bar's colour and fill pattern are its band's; the bar
    trace's ``meta["bands"]`` holds each band's id, top and bottom (None: no sourced thickness).
    The bands run off the left of ``x_range`` (see :func:`_equal_axes`); an open band (no
    sourced thickness) runs off the bottom too and is hatched. Labels sit at the right edge,
    with a white halo so they read on the patterns. ``numbers=False`` labels the layers by name
    only, in lines of about 10 characters (side views: the thicknesses are in the skin-anatomy
    figures, and a side view's narrow skin at phone width has no room for them).
    ``spots`` moves the labels (depth and text position of each, :func:`_band_label_spots` by default).
    """
    x0, x1 = _overhang(x_range)
    bands = profile.bands
    bottoms = [b.bottom_mm if b.bottom_mm is not None else y_bottom * (1 + OVERHANG) for b in bands]
    labels = _band_label_spots(profile) if spots is None else spots
    fig.add_trace(
        type="bar",
        orientation="h",
        y=[(b.top_mm + bottom) / 2 for b, bottom in zip(bands, bottoms, strict=True)],
        width=[bottom - b.top_mm for b, bottom in zip(bands, bottoms, strict=True)],
        base=x0,
        x=[x1 - x0] * len(bands),
        marker={
            "color": [LAYER_STYLE[b.id][0] for b in bands],
            "line": {"color": INK, "width": 1},
            "pattern": {
                "shape": ["/" if b.bottom_mm is None else LAYER_STYLE[b.id][1] for b in bands],
                "fgcolor": INK,
                "fgopacity": 0.3,
                "fillmode": "overlay",
            },
        },
        name="skin layers",
        hoverinfo="skip",
        meta={"role": "bands", "bands": [{"band": b.id, "top": b.top_mm, "bottom": b.bottom_mm} for b in bands]},
    )
    fig.add_trace(
        x=[x1] * len(bands),
        y=[depth for depth, _ in labels],
        mode="text",
        text=[_band_text(b) if numbers else _wrap(b.label, 10) for b in bands],
        textposition=[position for _, position in labels],
        textfont={"size": 11, "color": INK, "shadow": HALO},
        cliponaxis=False,
        hoverinfo="skip",
        name="layer labels",
        meta={"role": "band-labels"},
    )


def _band_label_spots(profile: Profile) -> list[tuple[float, str]]:
    """(depth, text position) of each band's label, at the right edge of the layers."""
    spots = []
    for band in profile.bands:
        if band.bottom_mm is None:  # open band: label just under its top, clear of the depth lines
            spots.append((band.top_mm, "bottom left"))
        elif band.bottom_mm - band.top_mm < 0.45:  # thin: label above the band's top line
            spots.append((band.top_mm, "top left"))
        else:
            spots.append(((band.top_mm + band.bottom_mm) / 2, "middle left"))
    return spots


def _add_target(fig: _Drawing, target: TargetZone, x_range: tuple[float, float], y_bottom: float) -> None:
    """The target band, outlined; its short tag sits at the plot's left edge, on any screen.

    The tag says only TARGET (the band labels take the right edge, and both must fit 280 px):
    callers name the target in the figure's subtitle (:func:`target_text`).
    """
    x0, x1 = _overhang(x_range)
    bottom = target.bottom_mm if target.bottom_mm is not None else y_bottom * (1 + OVERHANG)
    fig.add_shape(
        type="rect",
        x0=x0,
        x1=x1,
        y0=target.top_mm,
        y1=bottom,
        line={"color": TARGET_COLOUR, "width": 4, "dash": "dash"},
        fillcolor="rgba(0,0,0,0)",
        name="target",
        layer="above",
    )
    fig.add_annotation(
        xref="x domain",
        x=0,
        y=target.top_mm,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        text="<b>TARGET</b>",
        font={"size": 11, "color": INK},
        bgcolor="rgba(255,255,255,0.85)",
        bordercolor=TARGET_COLOUR,
        borderwidth=2,
    )


def target_text(target: TargetZone) -> str:
    """``TARGET (green dashes): epidermis``: the subtitle line naming what the tag marks."""
    return f"TARGET (green dashes): {target.technique.target.text.lower()}"


def max_depth_words(model: SkinModel) -> str:
    """``4 mm: deepest effective (Konda & Thappa)``: what the dash-dot line marks."""
    return f"{model.data.general.max_effective_depth.drawn:g} mm: deepest effective (Konda & Thappa)"


def _add_max_depth(fig: _Drawing, model: SkinModel, y_bottom: float, *, labelled: bool = True) -> bool:
    """The deepest effective depth: one line across the plot, its own label at the left edge.

    ``x domain`` coordinates (0 = left edge of the plot, 1 = right) hold at any screen width.
    ``labelled=False`` leaves the label out (the caller says it in the subtitle: in a side
    view it ran into the sources' labels at phone width). Returns whether the line is drawn.
    """
    limit = model.data.general.max_effective_depth
    if limit.drawn is None or limit.drawn > y_bottom:
        return False
    label = {
        "text": max_depth_words(model),
        "textposition": "start",
        "xanchor": "left",
        "yanchor": "top",  # under the line: an open band's label sits just above it
        "font": {"size": 10, "color": INK, "shadow": HALO},
    }
    fig.add_shape(
        type="line",
        xref="x domain",
        x0=0,
        x1=1,
        y0=limit.drawn,
        y1=limit.drawn,
        line={"color": INK, "width": 1.5, "dash": "dashdot"},
        name="max-depth",
        **({"label": label} if labelled else {}),
    )
    return True


def _add_needle(fig: _Drawing, angle: float, length: float, *, entry_x: float = 0.0, label: str = "needle") -> None:
    """The needle from its hub (above the skin) through the entry point to the tip."""
    reach, depth = horizontal_reach(angle, length), needle_depth(angle, length)
    hub = min(AIR_MM * 0.9, 0.8)
    scale = hub / max(depth, 1e-9) if depth > 0 else 0.0
    hub_x = entry_x - reach * scale if depth > 0 else entry_x - hub
    hub_y = -hub if depth > 0 else 0.0
    fig.add_trace(
        x=[hub_x, entry_x, entry_x + reach],
        y=[hub_y, 0, depth],
        mode="lines+markers",
        line={"color": NEEDLE_COLOUR, "width": 3},
        marker={"size": [0, 0, 9], "symbol": "diamond", "color": NEEDLE_COLOUR, "line": {"color": INK, "width": 1}},
        name=label,
        hoverinfo="skip",
        meta={"role": "needle", "angle": angle, "length": length, "depth": depth},
    )


def wrap_lines(text: str, width: int) -> list[str]:
    """Split text into lines of about ``width`` characters, at spaces (figures and PNGs)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + len(word) < width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _wrap(text: str, width: int = 20) -> str:
    """Break a label into short lines (``<br>``) so it fits beside a bar on a phone."""
    return "<br>".join(wrap_lines(text, width))


def _surface(fig: _Drawing) -> None:
    """The skin surface, across the whole plot at any screen width (``x domain`` coordinates)."""
    fig.add_shape(type="line", xref="x domain", x0=0, x1=1, y0=0, y1=0, line={"color": INK, "width": 2})


# --- skin layers and the simulator cross-section --------------------------------------------


def cross_section_figure(
    region: str,
    technique: str | None = None,
    *,
    placement: Placement | None = None,
    model: SkinModel | None = None,
    show_target: bool = True,
) -> go.Figure:
    """The region's layers to scale; with a technique, its target; with a placement, the needle.

    ``show_target=False`` hides the target band and the verdict (a drill before it is submitted).

    Raises :class:`MissingThickness` for a region without a to-scale profile (use
    :func:`skin_layers_figure`, which falls back to the landmark view).
    """
    return _cross_section(region, technique, placement, model, show_target).figure()


def cross_section_spec(
    region: str, *, placement: Placement, model: SkinModel | None = None, show_target: bool = True
) -> dict[str, Any]:
    """:func:`cross_section_figure`'s figure as a plain spec, for :meth:`Redrawn.draw` (the simulator)."""
    return _cross_section(region, None, placement, model, show_target).spec()


def _cross_section(
    region: str, technique: str | None, placement: Placement | None, model: SkinModel | None, show_target: bool
) -> _Drawing:
    model = model or load_skin_model()
    profile = model.profile(region)
    if placement is not None:
        technique = placement.technique.id
    target = model.target(profile, model.technique(technique)) if technique else None
    deepest = max(profile.known_depth_mm * 1.3, MIN_VIEW_DEPTH_MM, (placement.depth_mm + 0.5) if placement else 0)
    x_range = (-0.5, 8.0)
    if placement is not None:  # just wide enough for the needle, so a phone shows it large
        x_range = (-0.5, max(6.0, horizontal_reach(placement.angle_deg, placement.length_mm) + 1.5))
    fig = _Drawing()
    _add_bands(fig, profile, x_range, deepest)  # the epidermis' top edge draws the surface
    _add_max_depth(fig, model, deepest)
    subtitle = []
    if target is not None and show_target:
        _add_target(fig, target, x_range, deepest)
        subtitle.append(target_text(target))
    title = f"{profile.region.label}: skin layers to scale"
    if placement is not None and show_target:
        title = f"{profile.region.label} · {placement.technique.label}"
    _base_layout(fig, title, 380, subtitle)
    if placement is not None:
        _add_needle(fig, placement.angle_deg, placement.length_mm, label=tip_text(placement, show_target))
        _needle_legend(fig, lines=2 if show_target else 1)
    _equal_axes(fig, x_range, deepest)
    return fig


def tip_text(placement: Placement, verdict: bool = True) -> str:
    """``tip 2.83 mm deep, in the hypodermis<br>too deep``, the needle's legend entry.

    A label beside the tip covered the layer labels at phone width, wherever it was put; the
    legend sits above the plot, where nothing can cover it. It belongs to the needle's trace,
    not to the layout, so a slider move changes one trace (see :class:`Redrawn`), and the
    title and subtitle stay as they are. The verdict takes a line of its own, so the entry
    fits a phone's width whatever the depth and layer.
    """
    where = f"in the {placement.band.label.lower()}" if placement.band else "at the surface"
    text = f"tip {placement.depth_mm:.2f} mm deep, {where}"
    return f"{text}<br>{placement.verdict.value.replace('-', ' ')}" if verdict else text


def _needle_legend(fig: _Drawing, lines: int) -> None:
    """Show the needle's legend entry (and no other), ``lines`` high, above the plot."""
    for trace in fig.traces:
        trace.setdefault("showlegend", trace.get("meta", {}).get("role") == "needle")
    margin = fig.layout["margin"]
    fig.update_layout(
        showlegend=True,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom", "font": {"size": 12}},
        margin={**margin, "t": margin["t"] + LEGEND_LINE_PX * lines},
        height=fig.layout["height"] + LEGEND_LINE_PX * lines,
    )


def _unsourced_patch(fig: _Drawing, width: float, height: float, name: str, role: str) -> None:
    """A hatched, dotted rectangle from the origin: where the sources give no figure to draw."""
    fig.add_trace(
        x=[0, width, width, 0, 0],
        y=[0, 0, height, height, 0],
        mode="lines",
        fill="toself",
        fillcolor="#FFFFFF",
        fillpattern={"shape": "/", "fgcolor": "#999999", "fgopacity": 0.4},
        line={"color": INK, "width": 1, "dash": "dot"},
        name=name,
        hoverinfo="skip",
        meta={"role": role},
    )


def landmark_figure(region: str, depth_mm: float | None = None, model: SkinModel | None = None) -> go.Figure:
    """For a region without sourced thicknesses: the depth axis with its sourced landmarks only."""
    model = model or load_skin_model()
    info = model.region(region)
    numeric = [m for m in info.landmarks if m.high is not None or m.drawn is not None]
    deepest = max([MIN_VIEW_DEPTH_MM, *((m.high or m.drawn or 0) + 0.5 for m in numeric)])
    if depth_mm is not None:
        deepest = max(deepest, depth_mm + 0.5)
    width = 8.0
    fig = _Drawing()
    right, bottom = _overhang((0, width), "left")[1], deepest * (1 + OVERHANG)  # fills any screen width
    _unsourced_patch(fig, right, bottom, "layers: no sourced thickness", "unsourced")
    for i, mark in enumerate(numeric):
        x = 0.8 + 3.0 * i
        low = mark.low if mark.low is not None else (mark.drawn if mark.value is not None else 0.0)
        high = mark.high if mark.high is not None else mark.drawn
        fig.add_trace(
            x=[x, x],
            y=[low, high],
            mode="lines+markers",
            line={"color": NEEDLE_COLOUR, "width": 6},
            marker={"symbol": "line-ew", "size": 14, "line": {"width": 2, "color": NEEDLE_COLOUR}},
            name=mark.what,
            hoverinfo="skip",
            meta={"role": "landmark", "low": low, "high": high},
        )
        fig.add_annotation(
            x=x,
            y=(low + high) / 2,
            text=f"{_wrap(mark.what or '')}<br><b>{mark.label('mm')}</b>",
            showarrow=False,
            yanchor="middle",
            xanchor="left",
            xshift=8,
            align="left",
            font={"size": 11},
            bgcolor="rgba(255,255,255,0.9)",
        )
    fig.add_annotation(
        x=width / 2,
        y=deepest * 0.08 if numeric else deepest / 2,
        text="Layer thicknesses: no sourced figure",
        showarrow=False,
        bgcolor="white",
        font={"size": 12},
    )
    subtitle: list[str] = []
    if depth_mm is not None:  # named in the subtitle: a label on the line would cover the landmarks' labels
        fig.add_shape(
            type="line",
            xref="x domain",
            x0=0,
            x1=1,
            y0=depth_mm,
            y1=depth_mm,
            line={"color": INK, "width": 2, "dash": "dash"},
            name="tip",
        )
        subtitle = [f"Needle tip {depth_mm:.2f} mm deep (dashed line)"]
    _surface(fig)
    _base_layout(fig, f"{info.label}: sourced depths only (layers not to scale)", 380, subtitle)
    _equal_axes(fig, (0, width), deepest, "left")
    return fig.figure()


LessonFigure = Callable[[str, SkinModel], go.Figure]


def _shared(build: LessonFigure) -> Callable[[str, SkinModel | None], go.Figure]:
    """Build a lesson figure once per argument and loaded skin model; later calls share it.

    These figures depend on the data file only, yet a lesson page rebuilt (and Plotly
    validated) every one on each rerun: 106 ms per rerun of the techniques lesson, with its
    twelve figures. The cache follows the model :func:`load_skin_model` returns, so an edited
    data file draws afresh. The figure is shared by every page and session: read, never change
    it (``st.plotly_chart`` only reads it).
    """
    drawn: dict[str, tuple[SkinModel, go.Figure]] = {}

    @functools.wraps(build)
    def shared(arg: str, model: SkinModel | None = None) -> go.Figure:
        model = model or load_skin_model()
        hit = drawn.get(arg)
        if hit is not None and hit[0] is model:
            return hit[1]
        figure = build(arg, model)
        drawn[arg] = (model, figure)  # only known ids get here: the builders raise on others
        return figure

    return shared


@_shared
def skin_layers_figure(region: str, model: SkinModel) -> go.Figure:
    """The ``skin-layers`` lesson figure: to scale where sourced, landmarks otherwise."""
    try:
        return cross_section_figure(region, model=model)
    except MissingThickness:
        return landmark_figure(region, model=model)


# --- technique diagrams ---------------------------------------------------------------------

CLAIM_BAR_GAP_MM = 1.7  # distance between the source bars at the side of a side view (Pillow)


def _depth_span(claim: Amount) -> tuple[float, float] | None:
    """A depth claim as (from, to) mm: a value is a point, "under 1 mm" runs from 0."""
    if claim.value is not None:
        return claim.value, claim.value
    if claim.high is not None:
        return (claim.low if claim.low is not None else 0.0), claim.high
    return None


@dataclass(frozen=True)
class SideLayout:
    """Where everything of a technique's side view goes, in mm (Pillow; Plotly starts from it).

    The Plotly figure moves the layers' right edge, the bars and their labels to where they
    clear each other at phone width (:func:`_side_placement`); a PNG has a fixed size instead.
    """

    technique: Technique
    profile: Profile
    target: TargetZone
    claims: tuple[tuple[Amount, float, float, float], ...]  # (claim, x, from, to) of each depth bar
    skin_right: float  # right edge of the drawn layers
    x_range: tuple[float, float]
    deepest: float


def side_layout(technique: str, model: SkinModel) -> SideLayout:
    """Lay out a side view: layers wide enough for every needle or thread, then one bar per depth claim."""
    tech = model.technique(technique)
    profile = model.profile(model.data.general.diagram_region)
    spans = [(claim, span) for claim in tech.depth if (span := _depth_span(claim)) is not None]
    reach = max([horizontal_reach(d.angle, d.length) for d in tech.side_view] + [4.0])
    if tech.thread is not None:
        reach = max(reach, tech.thread.length + 1.0)
    first_bar = reach + 1.2
    claims = tuple(
        (claim, first_bar + CLAIM_BAR_GAP_MM * i + 0.4, low, high) for i, (claim, (low, high)) in enumerate(spans)
    )
    deepest = max(
        [profile.known_depth_mm * 1.3, MIN_VIEW_DEPTH_MM]
        + [needle_depth(d.angle, d.length) + 0.6 for d in tech.side_view]
        + [high + 2.0 for *_, high in claims]  # room for the source label under each bar
    )
    right = first_bar + CLAIM_BAR_GAP_MM * max(len(spans), 1) + 0.3
    return SideLayout(tech, profile, model.target(profile, tech), claims, first_bar - 0.4, (-0.5, right), deepest)


# Text sizes in a phone's pixels, to lay labels out where they cannot meet (checked in Chromium:
# a 10 px "mesoderm.es" label box is 71 x 27 px with its two lines).
GLYPH_EM = 0.62  # average width of a glyph, in em, a little over DejaVu Sans' (the font Chromium falls back to)
LINE_EM = 1.3  # Plotly's line height
BAND_FONT_PX, CLAIM_FONT_PX = 11, 10
CLAIM_GAP_PX = 18  # between two source bars: their end ticks are 12 px wide
TAG_PX = (56, 20)  # the TARGET tag's box (54 x 19 px in Chromium)
PHONE_PLAN_PX = PHONE_PLOT_WIDTH_PX - 10  # a 390 px screen gave a 275 px plot: plan with a margin
SIDE_ROUNDS = 12  # rounds of placing labels and rescaling: enough for the scale to settle
LEAST_SCALE = 0.65  # labels are pushed aside only while the drawing keeps this share of its scale
MIN_PX_PER_MM = 11.0  # and this many pixels per mm: below, the layer labels (0.86 mm of dermis) meet
NEEDLE_HALF_PX, THREAD_HALF_PX = 3.0, 4.0  # half the line, and a pixel or two


def _text_px(text: str, size: float, pad: float = 4) -> tuple[float, float]:
    """Width and height, in px, of a label (``<br>`` between lines; other tags add nothing).

    ``pad`` is the box around the text: an annotation's background; 0 for a text trace's glyphs.
    """
    lines = ["".join(part.split(">")[-1] for part in line.split("<")) for line in text.split("<br>")]
    return max(len(line) for line in lines) * size * GLYPH_EM + pad, len(lines) * size * LINE_EM + pad


Stroke = tuple[float, float, float, float, float]  # x0, y0, x1, y1 (mm) and half width (px) of a drawn line


def _xs_in_rows(paths: Sequence[Stroke], top: float, bottom: float, px: float) -> list[float]:
    """The x (mm) of the drawn lines within depths ``top``..``bottom`` (``px``: mm per pixel)."""
    xs = []
    for x0, y0, x1, y1, half in paths:
        low, high = max(min(y0, y1), top - half * px), min(max(y0, y1), bottom + half * px)
        if low > high:
            continue
        if y0 == y1:
            xs += [x0, x1]
        else:
            xs += [x0 + (x1 - x0) * (y - y0) / (y1 - y0) for y in (low, high)]
    return xs


@dataclass(frozen=True)
class _SidePlacement:
    """A side view laid out at phone width: nothing covers a label, whatever the data."""

    x0: float  # left edge of the plot at phone width: the TARGET tag clears the needles
    skin_right: float  # right edge of the layers: their labels clear the needles and thread
    spots: tuple[tuple[float, str], ...]  # depth and text position of each layer's label
    bars: tuple[float, ...]  # x of each depth claim's bar, in the order of SideLayout.claims
    tops: tuple[float, ...]  # depth of the top of each claim's label
    right: float  # right edge of the plot at phone width
    deepest: float


def _claim_text(claim: Amount, model: SkinModel) -> str:
    """``BTP<br><b>1–2 mm</b>``: who gives a depth, then the depth."""
    return f"{_wrap(model.short_cite(claim.sources), 12)}<br><b>{claim.label('mm')}</b>"


def _side_paths(layout: SideLayout) -> list[Stroke]:
    """The needles (hub to tip) and the thread of a side view, as the labels must clear them."""
    tech = layout.technique
    paths: list[Stroke] = []
    for drawing in tech.side_view:
        reach, depth = horizontal_reach(drawing.angle, drawing.length), needle_depth(drawing.angle, drawing.length)
        hub_x, hub_y = (-reach * 0.8 / depth, -0.8) if depth > 0 else (-0.8, 0.0)  # as _add_needle draws it
        paths.append((hub_x, hub_y, reach, depth, NEEDLE_HALF_PX))
    if tech.thread is not None:
        paths.append((0.5, tech.thread.depth, 0.5 + tech.thread.length, tech.thread.depth, THREAD_HALF_PX))
    return paths


def _side_placement(layout: SideLayout, model: SkinModel, *, push: int = 2) -> _SidePlacement:
    """Place the layers' edge, the source bars and their labels in mm so they clear at phone width.

    Millimetres are the same size on both axes and, at 390 px, a known number of pixels (the
    plot's width over the x range), so label sizes in pixels convert to mm. That scale depends
    on the x range the labels need, so it is found by iteration. Layer labels sit at the
    layers' right edge, pushed right of any needle or thread at their depth; the TARGET tag at
    the left edge, pushed left of them. The bars run from the deepest-reaching (left) to the
    shallowest, each label under its bar's end, so it never covers a bar to its right; labels
    that would meet are stacked, the left one lower, with a dotted leader up to its bar.

    Where pushing labels aside would shrink the drawing below :data:`LEAST_SCALE` of its size
    (a 13 mm thread at 2 mm depth, a 13 mm needle), less is pushed: ``push=1`` moves only the
    TARGET tag, ``push=0`` nothing; a layer label then only moves within its layer, and may
    still meet a line.
    """
    paths = _side_paths(layout)
    default_spots = _band_label_spots(layout.profile)
    spots = list(default_spots)
    texts = [_claim_text(claim, model) for claim, *_ in layout.claims]
    sizes = [_text_px(text, CLAIM_FONT_PX) for text in texts]
    # deepest end first (left); of equal ends the widest label first, so the bars take less room
    order = sorted(range(len(texts)), key=lambda i: (-layout.claims[i][3], -sizes[i][0]))
    claims_px = max([CLAIM_GAP_PX * (rank + 1) + 3 + sizes[i][0] for rank, i in enumerate(order)], default=0) + 6
    x0, skin_right = layout.x_range[0], layout.skin_right
    least = (skin_right - x0) / (PHONE_PLAN_PX - claims_px)  # mm per pixel with nothing pushed aside
    for _ in range(SIDE_ROUNDS):
        px = min((skin_right - x0) / (PHONE_PLAN_PX - claims_px), least / LEAST_SCALE)  # mm per px at 390 px
        skin_right = layout.skin_right
        for i, band in enumerate(layout.profile.bands):
            width, height = _text_px(_wrap(band.label, 10), BAND_FONT_PX, pad=0)
            candidates = [default_spots[i]]
            if band.bottom_mm is not None and band.bottom_mm - band.top_mm > (height + 4) * px:
                candidates += [(band.top_mm + 2 * px, "bottom left"), (band.bottom_mm - 2 * px, "top left")]
            needs = []  # the layers' right edge each place needs, so a needle or thread passes left of it
            for depth, position in candidates:
                top = {"top": depth - height * px, "middle": depth - height * px / 2}.get(position.split()[0], depth)
                xs = _xs_in_rows(paths, top, top + height * px, px)
                needs.append(max([layout.skin_right] + [x + (width + 8) * px for x in xs]))
            best = min(range(len(candidates)), key=needs.__getitem__)  # the usual place on a tie
            spots[i] = candidates[best]
            skin_right = max(skin_right, needs[best]) if push == 2 else skin_right
        target = layout.target.top_mm
        xs = _xs_in_rows(paths, target + 2 * px, target + TAG_PX[1] * px, px)
        x0 = min([layout.x_range[0]] + [x - (TAG_PX[0] + 6) * px for x in xs]) if push else x0
    pushed = (skin_right - x0) / (PHONE_PLAN_PX - claims_px)
    if push and (pushed > least / LEAST_SCALE or pushed > 1 / MIN_PX_PER_MM):
        return _side_placement(layout, model, push=push - 1)
    bars = [0.0] * len(texts)
    for rank, i in enumerate(order):
        bars[i] = skin_right + CLAIM_GAP_PX * (rank + 1) * px
    tops = [0.0] * len(texts)
    placed: list[tuple[float, float, float, float]] = []  # left, right, top, bottom (mm) of each label
    for i in reversed(order):  # shallowest end (right) first: a label to its left goes under it
        left, right = bars[i] + 2 * px, bars[i] + (sizes[i][0] + 5) * px
        top = layout.claims[i][3] + 6 * px
        for p_left, p_right, p_top, p_bottom in sorted(placed, key=lambda box: box[2]):
            if left < p_right and p_left < right and top < p_bottom + 3 * px and p_top < top + sizes[i][1] * px:
                top = p_bottom + 3 * px
        tops[i] = top
        placed.append((left, right, top, top + sizes[i][1] * px))
    tech, profile = layout.technique, layout.profile
    deepest = max(
        [profile.known_depth_mm * 1.3, MIN_VIEW_DEPTH_MM]
        + [needle_depth(d.angle, d.length) + 0.6 for d in tech.side_view]
        + [bottom + 0.3 for *_, bottom in placed]
    )
    right = skin_right + claims_px * px if texts else layout.x_range[1]
    return _SidePlacement(x0, skin_right, tuple(spots), tuple(bars), tuple(tops), right, deepest)


@_shared
def technique_side_figure(technique: str, model: SkinModel) -> go.Figure:
    """Side view of a technique on the diagram region: target layer, sourced needles and depth claims.

    Needles are drawn only where a source gives an angle and a length as numbers; each
    numeric depth claim is a bar at the side, labelled with who gives it. Labels are placed
    so that none covers another, a layer's name or a line at 390 px (:func:`_side_placement`).
    """
    layout = side_layout(technique, model)
    tech, profile, target = layout.technique, layout.profile, layout.target
    place = _side_placement(layout, model)
    skin, deepest = (place.x0, place.skin_right), place.deepest
    fig = _Drawing()
    _add_bands(fig, profile, skin, deepest, numbers=False, spots=place.spots)
    _surface(fig)
    limit = _add_max_depth(fig, model, deepest, labelled=False)  # named in the subtitle
    _add_target(fig, target, skin, deepest)
    needles = []  # named in the subtitle: labels at the tips covered the layer names at phone width
    for drawing in tech.side_view:
        _add_needle(fig, drawing.angle, drawing.length, label=drawing.note)
        needles.append(
            f"{drawing.angle:g}° · {drawing.length:g} mm → {needle_depth(drawing.angle, drawing.length):.1f} mm"
        )
    if tech.thread is not None:
        thread = tech.thread
        fig.add_trace(
            x=[0.5, 0.5 + thread.length],
            y=[thread.depth, thread.depth],
            mode="lines",
            line={"color": NEEDLE_COLOUR, "width": 6},
            name="thread",
            hoverinfo="skip",
            meta={"role": "thread", "depth": thread.depth, "length": thread.length},
        )
        fig.add_annotation(
            x=0.5 + thread.length * 0.3,
            y=thread.depth,
            ax=0.5 + thread.length * 0.6,
            ay=thread.depth,
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=3,
            arrowsize=1.4,
            arrowwidth=2,
            arrowcolor=INK,
            text="",
        )
    for (claim, _, low, high), x, top in zip(layout.claims, place.bars, place.tops, strict=True):
        fig.add_trace(
            x=[x, x],
            y=[low, high],
            mode="lines+markers",
            line={"color": INK, "width": 5},
            marker={"symbol": "line-ew", "size": 12, "line": {"width": 2, "color": INK}},
            name=model.short_cite(claim.sources),
            hoverinfo="skip",
            meta={"role": "depth-claim", "low": low, "high": high, "sources": list(claim.sources)},
        )
        if top - high > 0.5:  # stacked under another label: a leader up to its bar
            fig.add_shape(type="line", x0=x, x1=x, y0=high, y1=top, line={"color": INK, "width": 1, "dash": "dot"})
        fig.add_annotation(
            x=x,
            y=top,
            yanchor="top",
            xanchor="left",  # right of the bar, under its end: it covers no bar (see _side_placement)
            xshift=2,
            align="left",
            showarrow=False,
            font={"size": CLAIM_FONT_PX},
            text=_claim_text(claim, model),
            bgcolor="rgba(255,255,255,0.9)",
        )
    subtitle = [target_text(target)]
    if limit:
        subtitle.append(f"Dash-dot line at {max_depth_words(model)}")
    if needles:
        subtitle.append(f"Needle{'s' if len(needles) > 1 else ''}: {'; '.join(needles)}")
    if tech.side_view_note:
        subtitle.append(tech.side_view_note)
    _base_layout(fig, f"{tech.label}: side view ({profile.region.label.lower()}, to scale)", 420, subtitle)
    _equal_axes(fig, (place.x0, place.right), deepest)
    return fig.figure()


FAN_ANGLES = (-40.0, -20.0, 0.0, 20.0, 40.0)  # radial threads; illustrative (no source gives the angle)
PATTERN_GRID = {"rows": (5, 3), "grid": (8, 5), "points": (3, 2)}  # columns x rows drawn of each pattern
NO_PATTERN_PATCH = (30.0, 20.0)  # mm of skin shown when no pattern is sourced


@dataclass(frozen=True)
class TopLayout:
    """A technique's top view in mm: injection points or threads, and the patch of skin shown."""

    technique: Technique
    points: tuple[tuple[float, float], ...] = ()
    threads: tuple[tuple[float, float], ...] = ()  # end of each thread; all start at (0, 0)
    spacing: float | None = None
    x_range: tuple[float, float] = (0.0, NO_PATTERN_PATCH[0])
    y_range: tuple[float, float] = (0.0, NO_PATTERN_PATCH[1])

    @property
    def spacing_claim(self) -> Amount | None:
        return self.technique.spacing[0] if self.technique.spacing else None


def top_layout(technique: str, model: SkinModel) -> TopLayout:
    """Lay out a top view from the sourced spacing (or thread length); nothing when neither is sourced."""
    tech = model.technique(technique)
    kind, spacing = tech.pattern.kind, tech.spacing_mm
    if kind in PATTERN_GRID and spacing is not None:
        cols, rows = PATTERN_GRID[kind]
        points = tuple((c * spacing, r * spacing) for r in range(rows) for c in range(cols))
        return TopLayout(
            tech,
            points=points,
            spacing=spacing,
            x_range=(-spacing * 0.6, (cols - 1) * spacing + spacing * 0.6),
            y_range=(-spacing * 1.2, (rows - 1) * spacing + spacing * 0.6),
        )
    if kind == "threads" and tech.thread is not None:
        length = tech.thread.length
        ends = tuple((length * math.cos(math.radians(a)), length * math.sin(math.radians(a))) for a in FAN_ANGLES)
        return TopLayout(tech, threads=ends, x_range=(-2.0, length + 2.0), y_range=(-length * 0.85, length * 0.75))
    return TopLayout(tech)


@_shared
def technique_top_figure(technique: str, model: SkinModel) -> go.Figure:
    """Top view of a technique's injection pattern, to scale, from its sourced spacing."""
    layout = top_layout(technique, model)
    tech, spacing, claim = layout.technique, layout.spacing, layout.spacing_claim
    fig = _Drawing()
    if layout.points and spacing is not None and claim is not None:
        xs, ys = [x for x, _ in layout.points], [y for _, y in layout.points]
        fig.add_trace(
            x=xs,
            y=ys,
            mode="markers",
            name="injection points",
            hoverinfo="skip",
            marker={
                "size": 8 if tech.pattern.kind == "grid" else 12,
                "symbol": "x" if tech.pattern.kind == "points" else "circle",
                "color": NEEDLE_COLOUR,
                "line": {"color": INK, "width": 1},
            },
            meta={"role": "injection-points", "spacing": spacing},
        )
        fig.add_annotation(
            x=spacing,
            y=-spacing * 0.6,
            ax=0,
            ay=-spacing * 0.6,
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=3,
            arrowside="end+start",
            text="",
            arrowcolor=INK,
        )
        fig.add_annotation(
            x=0,
            y=-spacing * 0.6,
            yanchor="top",
            xanchor="left",
            yshift=-8,  # clear of the arrowheads above it
            showarrow=False,
            font={"size": 11},
            text=spacing_label(claim, spacing, model),
            bgcolor="white",
        )
    elif layout.threads and tech.thread is not None:
        for end_x, end_y in layout.threads:
            fig.add_trace(
                x=[0, end_x],
                y=[0, end_y],
                mode="lines",
                line={"color": NEEDLE_COLOUR, "width": 4},
                name="thread",
                hoverinfo="skip",
                meta={"role": "thread", "length": tech.thread.length},
            )
            fig.add_annotation(
                x=end_x * 0.35,
                y=end_y * 0.35,
                ax=end_x * 0.75,
                ay=end_y * 0.75,
                axref="x",
                ayref="y",
                showarrow=True,
                arrowhead=3,
                arrowcolor=INK,
                text="",
            )
        fig.add_trace(
            x=[0],
            y=[0],
            mode="markers",
            marker={"size": 12, "symbol": "circle", "color": INK},
            name="entry point",
            hoverinfo="skip",
            meta={"role": "entry"},
        )
        fig.add_annotation(
            x=tech.thread.length / 2,
            y=layout.y_range[0] * 0.9,
            showarrow=False,
            font={"size": 11},
            bgcolor="white",
            text=_wrap(thread_label(tech, model), 34),
        )
    else:
        width, height = NO_PATTERN_PATCH
        _unsourced_patch(fig, width, height, "no sourced pattern", "no-pattern")
        fig.add_annotation(
            x=width / 2,
            y=height / 2,
            showarrow=False,
            bgcolor="white",
            font={"size": 12},
            text=_wrap(tech.pattern.note or "No sourced pattern.", 34),
        )
    _base_layout(fig, f"{tech.label}: top view (mm)", 360)
    (x0, x1), (y0, y1) = layout.x_range, layout.y_range
    _fit_height(fig, (y1 - y0) / (x1 - x0))
    fig.update_xaxes(
        range=list(layout.x_range),
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        constrain="range",  # a wider or narrower screen shows more skin around the centred pattern
        title={"text": "mm", "font": {"size": 11}},
    )
    fig.update_yaxes(
        range=list(layout.y_range),
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        constrain="range",
        scaleanchor="x",
        scaleratio=1,
        title={"text": "mm", "font": {"size": 11}},
    )
    return fig.figure()


def spacing_label(claim: Amount, spacing: float, model: SkinModel) -> str:
    """``2–4 mm apart (drawn at 3 mm), BTP``: the sourced spacing and, for a range, what is drawn."""
    drawn = f" (drawn at {spacing:g} mm)" if claim.value is None else ""
    return f"{claim.label('mm')} apart{drawn}, {model.short_cite(claim.sources)}"


def thread_label(tech: Technique, model: SkinModel) -> str:
    """The sourced thread length with its citation; the drawn fan angle is said to be illustrative."""
    length = tech.thread.length if tech.thread else 0
    sources = model.short_cite(tech.thread.sources) if tech.thread else ""
    return f"threads {length:g} mm long ({sources}); fan angle illustrative"


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


# --- text alternatives (from the same data as the pictures) ---------------------------------


def _sourced(amount: Amount, unit: str, model: SkinModel) -> str:
    """``0.86 ± 0.16 mm (high-frequency ultrasound; Meng 2022; female dermis)``."""
    details = [METHOD_LABEL[amount.method]] if amount.method else []
    if amount.sources:
        details.append(model.short_cite(amount.sources) + RELIABILITY_MARK[amount.reliability])
    if amount.note:
        details.append(amount.note)
    return f"{amount.words(unit)} ({'; '.join(details)})" if details else amount.words(unit)


def _layer_names(band: Band, model: SkinModel) -> str:
    names = [model.layer(layer_id).label.lower() for layer_id in band.layers]
    if len(names) == 1:
        return names[0]
    split = f"{' above, '.join(names)} below; no source gives their split, so they are measured together"
    return f"{band.label.lower()} ({split})"


def _profile_alt(profile: Profile, model: SkinModel) -> str:
    parts = []
    for band in profile.bands:
        name = _layer_names(band, model)
        if band.measurement is None:
            parts.append(f"{name} from {band.top_mm:.2f} mm down, thickness: no sourced figure")
        else:
            parts.append(
                f"{name} {_sourced(band.measurement, 'mm', model)}, from {band.top_mm:.2f} to {band.bottom_mm:.2f} mm"
            )
    drawn_layers = {layer for band in profile.bands for layer in band.layers}
    missing = [layer.label.lower() for layer in model.data.layers if layer.id not in drawn_layers]
    text = f"Cross-section of the skin of the {profile.region.label.lower()}, drawn to scale (depth in mm). "
    text += "From the surface down: " + "; ".join(parts) + "."
    if missing:
        text += f" Below lie the {' and '.join(missing)}: not drawn, because the layer above has no sourced thickness."
    limit = model.data.general.max_effective_depth
    text += (
        f" A dash-dot line marks {limit.drawn:g} mm, the deepest effective injection "
        f"({model.short_cite(limit.sources)})."
    )
    if profile.region.other:
        others = "; ".join(f"{m.what}: {_sourced(m, 'mm', model)}" for m in profile.region.other)
        text += f" Other measurements of this region: {others}."
    return text


def _landmark_alt(region: str, model: SkinModel) -> str:
    info = model.region(region)
    text = f"{info.label}: {info.no_profile or 'no sourced layer thickness.'}"
    if info.no_profile_sources:
        text += f" ({model.short_cite(info.no_profile_sources)})"
    if info.layer_order:
        text += f" Layer order: {info.layer_order.rstrip('.')} ({model.short_cite(info.layer_order_sources)})."
    if info.landmarks:
        text += " Sourced depths: " + "; ".join(f"{m.what}: {_sourced(m, 'mm', model)}" for m in info.landmarks) + "."
    return text


def skin_layers_alt(region: str, model: SkinModel | None = None) -> str:
    """Text alternative of :func:`skin_layers_figure`: every layer, its thickness, method and source."""
    model = model or load_skin_model()
    try:
        return _profile_alt(model.profile(region), model)
    except MissingThickness:
        return _landmark_alt(region, model)


def placement_alt(placement: Placement, model: SkinModel | None = None) -> str:
    """Text alternative of the simulator's cross-section: layers, target band, needle and verdict."""
    model = model or load_skin_model()
    profile = model.profile(placement.region.id)
    target = placement.target
    bottom = "the bottom of the drawing" if target.bottom_mm is None else f"{target.bottom_mm:.2f} mm"
    return (
        f"{_profile_alt(profile, model)} Target of the {placement.technique.label.lower()} technique "
        f"({placement.technique.target.text.lower()}): the {target.label}, {target.top_mm:.2f} to {bottom}"
        f", outlined with a dashed border. Needle at {placement.angle_deg:g}° inserted {placement.length_mm:g} mm: "
        f"{placement.explanation} {placement.headline}"
    )


def _claims(title: str, amounts: Sequence[Amount], unit: str, model: SkinModel) -> str:
    if not amounts:
        return f"{title}: no sourced figure."
    return f"{title}: " + "; ".join(_sourced(a, unit, model) for a in amounts) + "."


def technique_side_alt(technique: str, model: SkinModel | None = None) -> str:
    """Text alternative of :func:`technique_side_figure`."""
    model = model or load_skin_model()
    tech = model.technique(technique)
    profile = model.profile(model.data.general.diagram_region)
    target = model.target(profile, tech)
    bottom = "down (no sourced bottom)" if target.bottom_mm is None else f"to {target.bottom_mm:.2f} mm"
    text = (
        f"Side view of the {tech.label.lower()} technique on the {profile.region.label.lower()}, to scale. "
        f"Target: {tech.target.text.lower()} ({model.short_cite(tech.target.sources)}); on the "
        f"{profile.region.label.lower()} that is the {target.label}, from {target.top_mm:.2f} mm {bottom}, "
        "outlined with a dashed border. "
    )
    for drawing in tech.side_view:
        depth = needle_depth(drawing.angle, drawing.length)
        text += (
            f"Needle drawn at {drawing.angle:g}° with {drawing.length:g} mm inserted, reaching {depth:.2f} mm "
            f"({model.short_cite(drawing.sources)}: {drawing.note}). "
        )
    if tech.thread is not None:
        text += (
            f"A {tech.thread.length:g} mm thread is drawn at {tech.thread.depth:g} mm depth, with an arrow for the "
            f"withdrawal ({model.short_cite(tech.thread.sources)}). "
        )
    if tech.side_view_note:
        text += tech.side_view_note + " "
    text += " ".join(
        [
            _claims("Depths given by the sources (bars at the side)", tech.depth, "mm", model),
            _claims("Angles", tech.angle, "°", model),
            _claims("Needles", tech.needle, "mm", model),
        ]
    )
    return f"{text} Layers: {_profile_alt(profile, model)}"


def technique_top_alt(technique: str, model: SkinModel | None = None) -> str:
    """Text alternative of :func:`technique_top_figure`."""
    model = model or load_skin_model()
    tech = model.technique(technique)
    spacing = tech.spacing_mm
    shapes = {
        "rows": "rows of papules",
        "grid": "a dense grid of quick injections",
        "points": "single, widely spaced injection points",
    }
    if tech.pattern.kind in shapes and spacing is not None:
        text = (
            f"Top view of the {tech.label.lower()} pattern, to scale: {shapes[tech.pattern.kind]}, drawn "
            f"{spacing:g} mm apart. {_claims('Spacing', tech.spacing, 'mm', model)}"
        )
    elif tech.pattern.kind == "threads" and tech.thread is not None:
        text = (
            f"Top view of the {tech.label.lower()} pattern: threads {tech.thread.length:g} mm long fanning out from "
            f"one entry point, arrows pointing back towards it (product released while withdrawing). "
            f"{tech.pattern.note or ''}"
        )
    else:
        text = f"Top view of the {tech.label.lower()} technique: no pattern is drawn. {tech.pattern.note or ''}"
    return f"{text} {_claims('Volume', tech.volume, 'mL', model)}".strip()


def depth_geometry_alt(
    angle_deg: float | None = None, lengths_mm: Sequence[float] | None = None, model: SkinModel | None = None
) -> str:
    """Text alternative of :func:`depth_geometry_figure`."""
    model = model or load_skin_model()
    example = model.data.general.micheels_example
    angle = example.angle if angle_deg is None else angle_deg
    lengths = tuple(example.lengths if lengths_mm is None else lengths_mm)
    cases = "; ".join(f"{length:g} mm inserted reaches {needle_depth(angle, length):.1f} mm" for length in lengths)
    return (
        f"A needle enters the skin at {angle:g}° to the surface. Its tip depth is the vertical side of a right "
        f"triangle whose long side is the inserted length: depth = sin(angle) × inserted length. At {angle:g}°, "
        f"{cases} ({model.short_cite(example.sources)}: {example.note})."
    )


def layer_picker_alt(region: str, model: SkinModel | None = None) -> str:
    """Text alternative of :func:`layer_picker_figure` (also the order of the keyboard choices)."""
    model = model or load_skin_model()
    names = ", ".join(label.lower() for _, label in layer_choices(region, model))
    label = model.region(region).label.lower()
    return f"Schematic stack of the skin layers of the {label}, not to scale, top down: {names}."
