"""Skin layers and the simulator's cross-section: to scale where sourced, landmarks otherwise.

:class:`Redrawn` keeps the simulator's figure between reruns and redraws it in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from course.simulator.figures.drawing import (
    INK,
    MIN_VIEW_DEPTH_MM,
    NEEDLE_COLOUR,
    OVERHANG,
    _add_bands,
    _add_max_depth,
    _add_needle,
    _add_target,
    _base_layout,
    _Drawing,
    _equal_axes,
    _overhang,
    _range_bar,
    _shared,
    _surface,
    _unsourced_patch,
    _wrap,
    target_text,
)
from course.simulator.geometry import MissingThickness, Placement, horizontal_reach
from course.simulator.loading import load_skin_model
from course.simulator.model import SkinModel

LEGEND_LINE_PX = 20  # a line of legend above the plot


@dataclass
class Redrawn:
    """A figure kept between reruns and redrawn in place from each new spec (see :meth:`draw`).

    ``go.Figure`` validates every property it is given: rebuilding the simulator's figure on
    each slider move validated every layer, label and axis again although only the needle
    (with its legend entry) changes, and the ranges when the needle leaves the view.
    :meth:`draw` validates only what differs from the last spec, and gives the same figure as
    ``go.Figure(spec)`` (a unit test checks this).
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
    step = min(3.0, (width - 2.4) / max(len(numeric), 1))  # the last label stays inside the width
    for i, mark in enumerate(numeric):
        x = 0.8 + step * i
        low = mark.low if mark.low is not None else (mark.drawn if mark.value is not None else 0.0)
        high = mark.high if mark.high is not None else mark.drawn
        if low is None or high is None:  # never: ``numeric`` keeps the marks with a drawn depth
            continue
        _range_bar(fig, x, low, high, NEEDLE_COLOUR, name=mark.what, meta={"role": "landmark"})
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


@_shared
def skin_layers_figure(region: str, model: SkinModel) -> go.Figure:
    """The ``skin-layers`` lesson figure: to scale where sourced, landmarks otherwise."""
    try:
        return cross_section_figure(region, model=model)
    except MissingThickness:
        return landmark_figure(region, model=model)
