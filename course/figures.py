"""Plotly figure builders for the skin model: pure functions returning ``go.Figure``.

Every builder draws from :mod:`course.skin` data only, and each has a text twin (an
``*_alt`` function) generated from the same data, so a picture and its description cannot
drift apart. Colours are Okabe–Ito (colour-blind safe)
and every layer also carries a fill pattern and a written label, so nothing is told by
colour alone. Layouts use small margins and short labels to stay readable at 390 px.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from course.skin import (
    METHOD_SHORT,
    Band,
    MissingThickness,
    Placement,
    Profile,
    SkinInputError,
    SkinModel,
    TargetZone,
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

PICKER_WIDTH = 10.0  # schematic units across the picker
PICKER_ROWS = 3  # rows of hit markers per layer band
PICKER_COLS = 10


def _base_layout(fig: go.Figure, title: str, height: int) -> None:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        font=FONT,
        height=height,
        margin={"l": 10, "r": 10, "t": 48, "b": 10},
        paper_bgcolor="white",
        plot_bgcolor="white",
        showlegend=False,
    )


# --- clickable layer picker (quiz "diagram" questions) --------------------------------------


def layer_picker_figure(region: str, selected: str | None = None, model: SkinModel | None = None) -> go.Figure:
    """A schematic (not to scale) stack of the five layers that a learner can click.

    Filled polygons cannot be selected in Streamlit, so each layer is overlaid with a grid
    of near-invisible markers whose ``customdata`` is the layer id (streamlit_notes §3);
    render with ``st.plotly_chart(fig, on_select="rerun", selection_mode="points")`` and read
    the answer with :func:`layer_from_selection`. ``selected`` outlines a chosen layer.
    """
    model = model or load_skin_model()
    choices = layer_choices(region, model)
    if selected is not None and selected not in dict(choices):
        raise SkinInputError(f"Unknown layer '{selected}'. Known layers: {', '.join(dict(choices))}.")
    fig = go.Figure()
    for index, (layer_id, label) in enumerate(choices):
        top, bottom = float(index), float(index + 1)
        colour, pattern = LAYER_STYLE[layer_id]
        is_selected = layer_id == selected
        fig.add_trace(
            go.Scatter(
                x=[0, PICKER_WIDTH, PICKER_WIDTH, 0, 0],
                y=[top, top, bottom, bottom, top],
                mode="lines",
                fill="toself",
                fillcolor=colour,
                fillpattern={"shape": pattern, "fgcolor": INK, "fgopacity": 0.25, "bgcolor": colour}
                if pattern
                else None,
                line={"color": INK, "width": 4 if is_selected else 1},
                name=label,
                hoverinfo="skip",
                meta={"layer": layer_id, "role": "layer"},
            )
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
            go.Scatter(
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
        )
    label = model.region(region).label
    _base_layout(fig, f"Skin layers of the {label.lower()}: schematic, not to scale", 380)
    fig.update_xaxes(visible=False, range=[0, PICKER_WIDTH], fixedrange=True)
    fig.update_yaxes(visible=False, range=[len(choices), 0], fixedrange=True)
    fig.update_layout(clickmode="event+select", hovermode="closest")
    return fig


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


def _equal_axes(fig: go.Figure, x_range: tuple[float, float], y_bottom: float) -> None:
    """Millimetres on both axes at the same scale, so angles and thicknesses are drawn true."""
    fig.update_xaxes(
        range=list(x_range), title={"text": "mm along the skin", "font": {"size": 11}}, zeroline=False,
        showgrid=False, fixedrange=True, constrain="domain", ticks="outside",
    )
    fig.update_yaxes(
        range=[y_bottom, -AIR_MM], title={"text": "depth (mm)", "font": {"size": 11}}, zeroline=False,
        showgrid=False, fixedrange=True, scaleanchor="x", scaleratio=1, constrain="domain", ticks="outside",
    )


def _band_text(band: Band, model: SkinModel) -> str:
    """``Dermis 0.86 ± 0.16 mm (HFUS, Meng 2022)``: the figure, its method and its source."""
    if band.measurement is None:
        return f"{band.label}: thickness not sourced"
    m = band.measurement
    method = f"{METHOD_SHORT[m.method]}, " if m.method else ""
    return f"{band.label} {m.label('mm')} ({method}{model.short_cite(m.sources)})"


def _add_bands(
    fig: go.Figure, profile: Profile, model: SkinModel, x_range: tuple[float, float], y_bottom: float
) -> None:
    """One filled trace per band (meta holds its id, top and bottom) plus a written label."""
    x0, x1 = x_range
    for band in profile.bands:
        bottom = band.bottom_mm if band.bottom_mm is not None else y_bottom
        colour, pattern = LAYER_STYLE[band.id]
        shape = "/" if band.bottom_mm is None else pattern  # hatched: no sourced thickness
        fig.add_trace(
            go.Scatter(
                x=[x0, x1, x1, x0, x0],
                y=[band.top_mm, band.top_mm, bottom, bottom, band.top_mm],
                mode="lines",
                fill="toself",
                fillcolor=colour,
                fillpattern={"shape": shape, "fgcolor": INK, "fgopacity": 0.3, "bgcolor": colour} if shape else None,
                line={"color": INK, "width": 1, "dash": "dot" if band.bottom_mm is None else "solid"},
                name=band.label,
                hoverinfo="skip",
                meta={"role": "band", "band": band.id, "top": band.top_mm, "bottom": band.bottom_mm},
            )
        )
        thin = (bottom - band.top_mm) < 0.45
        if thin:  # label above the band's top line
            y, anchor, shift = band.top_mm, "bottom", 2
        elif band.bottom_mm is None:  # open band: label just under its top, clear of the depth lines
            y, anchor, shift = band.top_mm, "top", -3
        else:
            y, anchor, shift = (band.top_mm + bottom) / 2, "middle", 0
        fig.add_annotation(
            x=x1,
            y=y,
            xanchor="right",
            yanchor=anchor,
            yshift=shift,
            text=_band_text(band, model),
            showarrow=False,
            bgcolor="rgba(255,255,255,0.85)",
            font={"size": 11},
        )


def _add_target(fig: go.Figure, target: TargetZone, x_range: tuple[float, float], y_bottom: float) -> None:
    bottom = target.bottom_mm if target.bottom_mm is not None else y_bottom
    fig.add_shape(
        type="rect", x0=x_range[0], x1=x_range[1], y0=target.top_mm, y1=bottom,
        line={"color": TARGET_COLOUR, "width": 4, "dash": "dash"}, fillcolor="rgba(0,0,0,0)",
        name="target", layer="above",
    )
    fig.add_annotation(
        x=x_range[0], y=target.top_mm, xanchor="left", yanchor="top", showarrow=False,
        text=f"<b>TARGET</b>: {target.technique.target.text.lower()}", font={"size": 11, "color": INK},
        bgcolor="rgba(255,255,255,0.85)", bordercolor=TARGET_COLOUR, borderwidth=2,
    )


def _add_max_depth(fig: go.Figure, model: SkinModel, x_range: tuple[float, float], y_bottom: float) -> None:
    limit = model.data.general.max_effective_depth
    if limit.drawn is None or limit.drawn > y_bottom:
        return
    fig.add_shape(
        type="line", x0=x_range[0], x1=x_range[1], y0=limit.drawn, y1=limit.drawn,
        line={"color": INK, "width": 1.5, "dash": "dashdot"}, name="max-depth",
    )
    fig.add_annotation(
        x=x_range[0], y=limit.drawn, xanchor="left", yanchor="bottom", showarrow=False,
        text=f"{limit.drawn:g} mm: deepest effective (Konda & Thappa)", font={"size": 10},
        bgcolor="rgba(255,255,255,0.8)",
    )


def _add_needle(fig: go.Figure, angle: float, length: float, *, entry_x: float = 0.0, label: str = "needle") -> None:
    """The needle from its hub (above the skin) through the entry point to the tip."""
    reach, depth = horizontal_reach(angle, length), needle_depth(angle, length)
    hub = min(AIR_MM * 0.9, 0.8)
    scale = hub / max(depth, 1e-9) if depth > 0 else 0.0
    hub_x = entry_x - reach * scale if depth > 0 else entry_x - hub
    hub_y = -hub if depth > 0 else 0.0
    fig.add_trace(
        go.Scatter(
            x=[hub_x, entry_x, entry_x + reach], y=[hub_y, 0, depth], mode="lines+markers",
            line={"color": NEEDLE_COLOUR, "width": 3},
            marker={"size": [0, 0, 9], "symbol": "diamond", "color": NEEDLE_COLOUR, "line": {"color": INK, "width": 1}},
            name=label, hoverinfo="skip", meta={"role": "needle", "angle": angle, "length": length, "depth": depth},
        )
    )


def _wrap(text: str, width: int = 20) -> str:
    """Break a label into short lines (``<br>``) so it fits beside a bar on a phone."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + len(word) < width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _surface(fig: go.Figure, x_range: tuple[float, float]) -> None:
    fig.add_shape(type="line", x0=x_range[0], x1=x_range[1], y0=0, y1=0, line={"color": INK, "width": 2})


# --- skin layers and the simulator cross-section --------------------------------------------


def cross_section_figure(
    region: str,
    technique: str | None = None,
    placement: Placement | None = None,
    model: SkinModel | None = None,
    x_range: tuple[float, float] | None = None,
) -> go.Figure:
    """The region's layers to scale; with a technique, its target; with a placement, the needle.

    Raises :class:`MissingThickness` for a region without a to-scale profile (use
    :func:`skin_layers_figure`, which falls back to the landmark view).
    """
    model = model or load_skin_model()
    profile = model.profile(region)
    if placement is not None:
        technique = placement.technique.id
    target = model.target(profile, model.technique(technique)) if technique else None
    deepest = max(profile.known_depth_mm * 1.3, MIN_VIEW_DEPTH_MM, (placement.depth_mm + 0.5) if placement else 0)
    if x_range is None:
        x_range = (-0.5, model.max_length_mm + 0.5) if placement is not None else (-0.5, 8.0)
    fig = go.Figure()
    _add_bands(fig, profile, model, x_range, deepest)
    _surface(fig, x_range)
    _add_max_depth(fig, model, x_range, deepest)
    if target is not None:
        _add_target(fig, target, x_range, deepest)
    if placement is not None:
        _add_needle(fig, placement.angle_deg, placement.length_mm)
        where = placement.band.label.lower() if placement.band else "surface"
        fig.add_annotation(
            x=horizontal_reach(placement.angle_deg, placement.length_mm), y=placement.depth_mm,
            text=f"tip {placement.depth_mm:.2f} mm · {where}", showarrow=True, arrowhead=2, ax=30, ay=-28,
            bgcolor="white", bordercolor=NEEDLE_COLOUR, font={"size": 12},
        )
    title = f"{profile.region.label}: skin layers to scale"
    if placement is not None:
        title = f"{profile.region.label} · {placement.technique.label}: {placement.verdict.value.replace('-', ' ')}"
    _base_layout(fig, title, 380)
    _equal_axes(fig, x_range, deepest)
    return fig


def landmark_figure(region: str, depth_mm: float | None = None, model: SkinModel | None = None) -> go.Figure:
    """For a region without sourced thicknesses: the depth axis with its sourced landmarks only."""
    model = model or load_skin_model()
    info = model.region(region)
    numeric = [m for m in info.landmarks if m.high is not None or m.drawn is not None]
    deepest = max([MIN_VIEW_DEPTH_MM, *((m.high or m.drawn or 0) + 0.5 for m in numeric)])
    if depth_mm is not None:
        deepest = max(deepest, depth_mm + 0.5)
    width = 8.0
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, width, width, 0, 0], y=[0, 0, deepest, deepest, 0], mode="lines", fill="toself",
            fillcolor="#FFFFFF", fillpattern={"shape": "/", "fgcolor": "#999999", "fgopacity": 0.4},
            line={"color": INK, "width": 1, "dash": "dot"}, name="layers: no sourced thickness", hoverinfo="skip",
            meta={"role": "unsourced"},
        )
    )
    for i, mark in enumerate(numeric):
        x = 0.8 + 3.0 * i
        low = mark.low if mark.low is not None else (mark.drawn if mark.value is not None else 0.0)
        high = mark.high if mark.high is not None else mark.drawn
        fig.add_trace(
            go.Scatter(
                x=[x, x], y=[low, high], mode="lines+markers", line={"color": NEEDLE_COLOUR, "width": 6},
                marker={"symbol": "line-ew", "size": 14, "line": {"width": 2, "color": NEEDLE_COLOUR}},
                name=mark.what, hoverinfo="skip", meta={"role": "landmark", "low": low, "high": high},
            )
        )
        fig.add_annotation(
            x=x, y=(low + high) / 2, text=f"{_wrap(mark.what or '')}<br><b>{mark.label('mm')}</b>", showarrow=False,
            yanchor="middle", xanchor="left", xshift=8, align="left", font={"size": 11},
            bgcolor="rgba(255,255,255,0.9)",
        )
    fig.add_annotation(
        x=width / 2, y=deepest * 0.08 if numeric else deepest / 2, text="Layer thicknesses: no sourced figure",
        showarrow=False, bgcolor="white", font={"size": 12},
    )
    if depth_mm is not None:
        fig.add_shape(
            type="line", x0=0, x1=width, y0=depth_mm, y1=depth_mm, line={"color": INK, "width": 2, "dash": "dash"}
        )
        fig.add_annotation(x=0, y=depth_mm, xanchor="left", yanchor="bottom", text=f"tip {depth_mm:.2f} mm",
                           showarrow=False, bgcolor="white", font={"size": 11})
    _surface(fig, (0, width))
    _base_layout(fig, f"{info.label}: sourced depths only (layers not to scale)", 380)
    _equal_axes(fig, (0, width), deepest)
    return fig


def skin_layers_figure(region: str, model: SkinModel | None = None) -> go.Figure:
    """The ``skin-layers`` lesson figure: to scale where sourced, landmarks otherwise."""
    model = model or load_skin_model()
    try:
        return cross_section_figure(region, model=model)
    except MissingThickness:
        return landmark_figure(region, model=model)
