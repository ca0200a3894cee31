"""What every course figure shares: the ``_Drawing`` collector, the palette, the layout, and drawing helpers.

Colours are Okabe–Ito (colour-blind safe) and every layer also carries a fill pattern and a
written label, so nothing is told by colour alone. Layouts use small margins and short labels
to stay readable at 390 px. Nothing here imports another module of :mod:`course.simulator.figures`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
from PIL import ImageFont

from course.palette import BLACK, BLUE, GREEN, ORANGE, PURPLE, SKY_BLUE, VERMILION, WHITE, YELLOW
from course.simulator.geometry import Band, Profile, TargetZone, horizontal_reach, needle_depth
from course.simulator.loading import load_skin_model
from course.simulator.model import SkinModel
from course.simulator.schema import METHOD_SHORT

# Okabe–Ito palette, one colour and one fill pattern per anatomical layer (and per band).
LAYER_STYLE: dict[str, tuple[str, str]] = {
    "epidermis": (ORANGE, "."),
    "papillary-dermis": (PURPLE, ""),
    "reticular-dermis": (SKY_BLUE, "-"),
    "dermis": (PURPLE, ""),
    "hypodermis": (YELLOW, "+"),
    "muscle": (VERMILION, "|"),
}
INK = BLACK
TARGET_COLOUR = GREEN  # green outline + "TARGET" label
NEEDLE_COLOUR = BLUE
FONT = {"family": "Source Sans Pro, DejaVu Sans, Arial, sans-serif", "size": 13, "color": INK}

# characters of a 15 px title per line: about 48 fit a bordered box at 390 px (checked in Chromium)
TITLE_CHARS = 44
TITLE_LINE_PX = 20
SUBTITLE_CHARS = 46  # a 12 px subtitle: about 48 characters fit the simulator's 326 px chart at 390 px
HALO = "0 0 2px white, 0 0 2px white, 0 0 1px white"  # text-shadow: labels read on a fill pattern
SUBTITLE_LINE_PX = 17


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


AIR_MM = 0.9  # space drawn above the skin surface for the needle hub and top labels
MIN_VIEW_DEPTH_MM = 5.0  # cross-sections show at least this depth so 4 mm (Konda & Thappa) is visible


# The height is set on the server, which does not know the screen: it is chosen so the drawing
# fills a phone's plot area (390 px viewport, about 280 px between the axes) exactly, and the
# axes grow their range, never shrink their box, on other widths (see _equal_axes).
PHONE_PLOT_WIDTH_PX = 280
PLOT_HEIGHT_PX = (220, 520)  # bounds of the plot area's height
X_AXIS_PX = 40  # tick labels and title under the plot
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
        text=[
            "" if not position else _band_text(b) if numbers else _wrap(b.label, 10)
            for b, (_, position) in zip(bands, labels, strict=True)
        ],  # an empty position leaves a layer unlabelled (no room for it; see the side views)
        textposition=[position or "middle left" for _, position in labels],
        textfont={"size": 11, "color": INK, "shadow": HALO},
        cliponaxis=False,
        hoverinfo="skip",
        name="layer labels",
        meta={"role": "band-labels"},
    )


def _band_label_spots(profile: Profile) -> list[tuple[float, str]]:
    """(depth, text position) of each band's label, at the right edge of the layers."""
    spots: list[tuple[float, str]] = []
    for band in profile.bands:
        above_is_thin = bool(spots) and spots[-1][1] == "top left"
        if band.bottom_mm is None:  # open band: label just under its top, clear of the depth lines
            spots.append((band.top_mm, "bottom left"))
        elif band.bottom_mm - band.top_mm < 0.45:  # thin: label above the band's top line
            spots.append((band.top_mm, "top left"))
        elif above_is_thin:  # the thin band's label sits over the surface: hang this one a little under
            spots.append((band.top_mm + min(0.25, (band.bottom_mm - band.top_mm) / 2), "bottom left"))
        else:
            spots.append(((band.top_mm + band.bottom_mm) / 2, "middle left"))
    return spots


def _add_target(
    fig: _Drawing,
    target: TargetZone,
    x_range: tuple[float, float],
    y_bottom: float,
    *,
    tag: bool = True,
    tag_x: float | None = None,
) -> None:
    """The target band, outlined; its short tag sits at the plot's left edge, on any screen.

    The tag says only TARGET (the band labels take the right edge, and both must fit 280 px):
    callers name the target in the figure's subtitle (:func:`target_text`). ``tag_x`` puts the
    tag's left edge at that x (mm) instead; ``tag=False`` leaves it out (no place clear of the
    lines: the subtitle's "TARGET (green dashes)" then names the dashed box alone).
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
    if not tag:
        return
    fig.add_annotation(
        xref="x domain" if tag_x is None else "x",
        x=0 if tag_x is None else tag_x,
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


def _needle_hub(angle: float, length: float, entry_x: float = 0.0) -> tuple[float, float]:
    """Where the needle's hub is drawn, above the skin on the needle's line (x, depth in mm).

    A needle lying flat (no depth) is drawn from a hub on the surface, before the entry point.
    The side views' label placement needs the same line as :func:`_add_needle` draws.
    """
    reach, depth = horizontal_reach(angle, length), needle_depth(angle, length)
    hub = min(AIR_MM * 0.9, 0.8)
    if depth <= 0:
        return entry_x - hub, 0.0
    return entry_x - reach * (hub / depth), -hub


def _add_needle(fig: _Drawing, angle: float, length: float, *, entry_x: float = 0.0, label: str = "needle") -> None:
    """The needle from its hub (above the skin) through the entry point to the tip."""
    reach, depth = horizontal_reach(angle, length), needle_depth(angle, length)
    hub_x, hub_y = _needle_hub(angle, length, entry_x)
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


@functools.lru_cache(maxsize=16)
def dejavu(size: int) -> ImageFont.FreeTypeFont | None:
    """DejaVu Sans at ``size`` px, the font Chromium falls back to here and the PNG diagrams use
    (it has –, ±, ×, °); None when it is not installed."""
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return None


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


def _range_bar(
    fig: _Drawing,
    x: float,
    low: float,
    high: float,
    colour: str,
    *,
    name: str | None,
    meta: dict[str, Any],
    width: int = 6,
    size: int = 14,
) -> None:
    """A vertical bar from depth ``low`` to ``high`` with a tick at each end: a sourced range.

    ``meta`` (which names the bar's ``role``) gets the range's ends, so tests read what was
    drawn without parsing the trace.
    """
    fig.add_trace(
        x=[x, x],
        y=[low, high],
        mode="lines+markers",
        line={"color": colour, "width": width},
        marker={"symbol": "line-ew", "size": size, "line": {"width": 2, "color": colour}},
        name=name,
        hoverinfo="skip",
        meta={"role": meta["role"], "low": low, "high": high, **meta},
    )


def _unsourced_patch(fig: _Drawing, width: float, height: float, name: str, role: str) -> None:
    """A hatched, dotted rectangle from the origin: where the sources give no figure to draw."""
    fig.add_trace(
        x=[0, width, width, 0, 0],
        y=[0, 0, height, height, 0],
        mode="lines",
        fill="toself",
        fillcolor=WHITE,
        fillpattern={"shape": "/", "fgcolor": "#999999", "fgopacity": 0.4},
        line={"color": INK, "width": 1, "dash": "dot"},
        name=name,
        hoverinfo="skip",
        meta={"role": role},
    )


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
