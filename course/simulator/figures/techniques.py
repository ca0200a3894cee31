"""Technique diagrams: side views (needles, target layer, sourced depths) and top views (injection patterns).

The layouts (:class:`SideLayout`, :class:`TopLayout`) are shared with the Pillow diagrams
(:mod:`course.simulator.diagrams`); the Plotly side view then places its labels for a phone's width.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import plotly.graph_objects as go

from course.simulator.figures.drawing import (
    INK,
    MIN_VIEW_DEPTH_MM,
    NEEDLE_COLOUR,
    PHONE_PLOT_WIDTH_PX,
    _add_bands,
    _add_max_depth,
    _add_needle,
    _add_target,
    _band_label_spots,
    _base_layout,
    _Drawing,
    _equal_axes,
    _fit_height,
    _needle_hub,
    _range_bar,
    _shared,
    _surface,
    _unsourced_patch,
    _wrap,
    dejavu,
    max_depth_words,
    target_text,
)
from course.simulator.geometry import Profile, TargetZone, horizontal_reach, needle_depth
from course.simulator.model import SkinModel
from course.simulator.schema import Amount, Technique

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
    tag_x: float | None = None  # left edge (mm) of the TARGET tag; None: the plot's left edge
    tag: bool = True  # False: no place clear of the lines, the subtitle names the target alone
    unlabelled: tuple[int, ...] = ()  # bands whose label met a line at every place (the subtitle names them)


def _claim_text(claim: Amount, model: SkinModel) -> str:
    """``BTP<br><b>1–2 mm</b>``: who gives a depth, then the depth."""
    return f"{_wrap(model.short_cite(claim.sources), 12)}<br><b>{claim.label('mm')}</b>"


def _side_paths(layout: SideLayout) -> list[Stroke]:
    """The needles (hub to tip) and the thread of a side view, as the labels must clear them."""
    tech = layout.technique
    paths: list[Stroke] = []
    for drawing in tech.side_view:
        reach, depth = horizontal_reach(drawing.angle, drawing.length), needle_depth(drawing.angle, drawing.length)
        paths.append((*_needle_hub(drawing.angle, drawing.length), reach, depth, NEEDLE_HALF_PX))
    if tech.thread is not None:
        paths.append((0.5, tech.thread.depth, 0.5 + tech.thread.length, tech.thread.depth, THREAD_HALF_PX))
    return paths


def _label_rows(spot: tuple[float, str], height: float) -> tuple[float, float]:
    """Top and bottom (mm) of a layer label of ``height`` mm at ``spot``."""
    depth, position = spot
    top = {"top": depth - height, "middle": depth - height / 2}.get(position.split()[0], depth)
    return top, top + height


def _clear_thin_top_label(spots: list[tuple[float, str]], profile: Profile, px: float) -> list[tuple[float, str]]:
    """At a side view's scale, keep the top three layer labels apart (``px``: mm per pixel).

    A thin top layer (the epidermis, thinner than the surface line here) is labelled over the
    surface and the layer under it hangs its label under its top line. Where that label would
    then meet the next one, and there is no room for three, the thin layer's label is dropped
    (it is named in the figure's text alternative) and the layer under it is labelled at its
    middle again. An empty position draws no label.
    """
    if len(spots) < 3 or spots[0][1] != "top left" or profile.bands[1].bottom_mm is None:
        return spots
    heights = [_text_px(_wrap(b.label, 10), BAND_FONT_PX, pad=0)[1] * px for b in profile.bands[:3]]
    rows = [_label_rows(spot, height) for spot, height in zip(spots, heights, strict=False)]

    def clear(upper: tuple[float, float], lower: tuple[float, float], gap: float = 2) -> bool:
        return upper[1] + gap * px <= lower[0]

    if clear(rows[0], rows[1]) and clear(rows[1], rows[2]):
        return spots
    band = profile.bands[1]
    assert band.bottom_mm is not None
    middle = ((band.top_mm + band.bottom_mm) / 2, "middle left")
    if not clear(_label_rows(middle, heights[1]), rows[2], gap=0):
        return spots
    return [(spots[0][0], ""), middle, *spots[2:]]


def _pushed_placement(layout: SideLayout, model: SkinModel, *, push: int = 2) -> _SidePlacement:
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
        spots = _clear_thin_top_label(spots, layout.profile, px)
        target = layout.target.top_mm
        xs = _xs_in_rows(paths, target + 2 * px, target + TAG_PX[1] * px, px)
        x0 = min([layout.x_range[0]] + [x - (TAG_PX[0] + 6) * px for x in xs]) if push else x0
    pushed = (skin_right - x0) / (PHONE_PLAN_PX - claims_px)
    if push and (pushed > least / LEAST_SCALE or pushed > 1 / MIN_PX_PER_MM):
        return _pushed_placement(layout, model, push=push - 1)
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


def _mm_per_px(place: _SidePlacement) -> float:
    """The scale of a placement at phone width (mm per pixel)."""
    return (place.right - place.x0) / PHONE_PLAN_PX


def _label_box(layout: SideLayout, place: _SidePlacement, i: int) -> tuple[float, float, float, float]:
    """Left, right, top, bottom (mm) of band ``i``'s label at the layers' right edge."""
    px = _mm_per_px(place)
    text = _wrap(layout.profile.bands[i].label, 10)
    height = _text_px(text, BAND_FONT_PX, pad=0)[1]
    top, bottom = _label_rows(place.spots[i], height * px)
    # as painted: the text ends at the layers' edge; a line's half width is in _xs_in_rows
    right = place.skin_right
    return right - (_painted_px(text, BAND_FONT_PX) + 1) * px, right, top + px, bottom - px


@lru_cache(maxsize=64)
def _painted_px(text: str, size: int) -> float:
    """The width in px of the widest line of ``text`` as Chromium paints it here (DejaVu Sans,
    the font it falls back to); :func:`_text_px`'s plan, a little wider, without that font."""
    font = dejavu(size)
    if font is None:
        return _text_px(text, size, pad=0)[0]
    return max(font.getlength(line) for line in text.split("<br>"))


def _meets(box: tuple[float, float, float, float], paths: Sequence[Stroke], px: float) -> bool:
    """Whether a drawn line runs through ``box`` (left, right, top, bottom in mm)."""
    left, right, top, bottom = box
    return any(left < x < right for x in _xs_in_rows(paths, top, bottom, px))


def _tag_boxes(
    layout: SideLayout, place: _SidePlacement
) -> list[tuple[float | None, tuple[float, float, float, float]]]:
    """Where the TARGET tag may go, in order: the plot's left edge, then just right of the layers
    (beside the target's dashed box, left of the source bars). Each: its left edge (None: the
    plot's edge) and its box in mm."""
    px = _mm_per_px(place)
    top, bottom = layout.target.top_mm, layout.target.top_mm + TAG_PX[1] * px
    beside = place.skin_right + 4 * px
    # the plot is planned PHONE_PLOT_WIDTH_PX - PHONE_PLAN_PX narrower than it is: the x range
    # grows to the left (see _equal_axes), and the tag at the plot's edge with it
    edge = place.x0 - (PHONE_PLOT_WIDTH_PX - PHONE_PLAN_PX) * px
    return [
        (None, (edge, edge + TAG_PX[0] * px, top, bottom)),
        (beside, (beside, beside + TAG_PX[0] * px, top, bottom)),
    ]


def _side_placement(layout: SideLayout, model: SkinModel) -> _SidePlacement:
    """Place the labels of a side view so that no line runs through one at phone width.

    First as :func:`_pushed_placement` does (labels pushed aside while the drawing keeps its
    scale). Then the TARGET tag takes the first place clear of every line and label (the plot's
    left edge, or beside the layers' right edge, clear of the source bars); where there is none
    it is left out and the subtitle's "TARGET (green dashes)" names the dashed box alone. A
    layer label that still meets a needle or the thread (a 13 mm thread 2 mm deep crosses the
    whole fat layer on a phone) is left out too, and the subtitle names that layer and its depths.
    """
    place = _pushed_placement(layout, model)
    px = _mm_per_px(place)
    # a line's middle, and a pixel: a label the edge of a needle grazes still reads
    paths = [(*path[:4], 1.0) for path in _side_paths(layout)]
    unlabelled = tuple(
        i for i, (_, position) in enumerate(place.spots) if position and _meets(_label_box(layout, place, i), paths, px)
    )
    spots = tuple((place.spots[i][0], "") if i in unlabelled else spot for i, spot in enumerate(place.spots))
    kept = replace(place, spots=spots, unlabelled=unlabelled)
    labels = [_label_box(layout, kept, i) for i, (_, position) in enumerate(spots) if position]
    bars = [(x - 7 * px, x + 7 * px, low, high) for (_, _, low, high), x in zip(layout.claims, place.bars, strict=True)]
    texts = [_claim_text(claim, model) for claim, *_ in layout.claims]
    claim_boxes = []
    for text, x, top in zip(texts, place.bars, place.tops, strict=True):
        width, height = _text_px(text, CLAIM_FONT_PX)
        claim_boxes.append((x, x + (width + 2) * px, top, top + height * px))
    for tag_x, box in _tag_boxes(layout, kept):
        if tag_x is not None and box[1] > place.right:
            continue
        if not _meets(box, paths, px) and not any(_overlap(box, other) for other in labels + bars + claim_boxes):
            return replace(kept, tag_x=tag_x)
    return replace(kept, tag=False)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two boxes (left, right, top, bottom) overlap."""
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


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
    _add_target(fig, target, skin, deepest, tag=place.tag, tag_x=place.tag_x)
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
        meta = {"role": "depth-claim", "sources": list(claim.sources)}
        _range_bar(fig, x, low, high, INK, name=model.short_cite(claim.sources), meta=meta, width=5, size=12)
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
    for i in place.unlabelled:  # its label met a needle or the thread wherever it could go
        band = profile.bands[i]
        depths = (
            f"{band.top_mm:.1f}–{band.bottom_mm:.1f} mm" if band.bottom_mm is not None else f"from {band.top_mm:.1f} mm"
        )
        subtitle.append(f"Unlabelled band, {depths} deep: {band.label.lower()}")
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
