"""PNG diagrams of the skin model rendered with Pillow, for print, the README and slides.

``python -m course render-diagrams assets/diagrams/`` writes, from the same data and layouts
as the Plotly figures (:mod:`course.simulator.figures`):

* ``<technique>-side.png`` and ``<technique>-top.png`` for every technique,
* ``skin-<region>.png`` for every region (to scale, or its sourced landmarks),
* ``depth-geometry.png``,
* ``ALT.md``: each file's text alternative, generated from the same data.

Drawing is in millimetres on a :class:`Canvas` that keeps both axes at one scale, so angles
and thicknesses are true. Layers carry the same Okabe–Ito colour, fill pattern and written
label as on screen.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from course.palette import WHITE
from course.simulator.figures import (
    AIR_MM,
    INK,
    LAYER_STYLE,
    MIN_VIEW_DEPTH_MM,
    NEEDLE_COLOUR,
    NO_PATTERN_PATCH,
    TARGET_COLOUR,
    dejavu,
    depth_geometry_alt,
    side_layout,
    skin_layers_alt,
    spacing_label,
    technique_side_alt,
    technique_top_alt,
    thread_label,
    top_layout,
    wrap_lines,
)
from course.simulator.geometry import Band, MissingThickness, Profile, TargetZone, horizontal_reach, needle_depth
from course.simulator.loading import load_skin_model
from course.simulator.model import SkinModel
from course.simulator.schema import METHOD_SHORT

SIZE = (1200, 800)
TITLE_H, FOOTER_H, SIDE_PAD, GUTTER = 70, 70, 40, 70  # GUTTER: depth tick labels
FOOTER_LINES, FOOTER_LINE_H = 3, 20  # the footer's lines that fit in FOOTER_H; each one more adds its height
Point = tuple[float, float]


ASCII_FALLBACK = str.maketrans({"–": "-", "→": "->", "×": "x", "±": "+/-", "≤": "<=", "°": " deg"})


@lru_cache(maxsize=16)
def _font(size: int) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]:
    """DejaVu Sans when installed (it has –, ±, ×, °); else Pillow's bundled font, flagged as ASCII-only."""
    font = dejavu(size)
    return (font, True) if font is not None else (ImageFont.load_default(size=size), False)


@dataclass
class Canvas:
    """An image with a millimetre frame: ``px((x, depth))`` maps mm to pixels at one scale."""

    image: Image.Image
    x0: float
    y0: float
    scale: float
    left: float
    top: float
    labels: list[tuple[float, float, float, float]] = field(default_factory=list)  # boxed labels drawn so far

    @classmethod
    def fit(cls, x_range: tuple[float, float], y_range: tuple[float, float], size: tuple[int, int] = SIZE) -> Canvas:
        """The largest equal-scale frame for the mm ranges inside the drawing area, centred."""
        width, height = size[0] - 2 * SIDE_PAD - GUTTER, size[1] - TITLE_H - FOOTER_H
        span_x, span_y = x_range[1] - x_range[0], y_range[1] - y_range[0]
        scale = min(width / span_x, height / span_y)
        left = SIDE_PAD + GUTTER + (width - span_x * scale) / 2
        top = TITLE_H + (height - span_y * scale) / 2
        return cls(Image.new("RGBA", size, "white"), x_range[0], y_range[0], scale, left, top)

    @property
    def draw(self) -> ImageDraw.ImageDraw:
        return ImageDraw.Draw(self.image)

    def px(self, point: Point) -> tuple[float, float]:
        return self.left + (point[0] - self.x0) * self.scale, self.top + (point[1] - self.y0) * self.scale

    def rect(self, corner_a: Point, corner_b: Point, fill: str, pattern: str = "", dotted: bool = False) -> None:
        (x0, y0), (x1, y1) = self.px(corner_a), self.px(corner_b)
        self.draw.rectangle((x0, y0, x1, y1), fill=fill)
        if pattern:
            self.image.alpha_composite(_pattern_tile(round(x1 - x0), round(y1 - y0), pattern), (round(x0), round(y0)))
        if dotted:
            self.dashed([(corner_a[0], corner_b[1]), corner_b], INK, 2)
        else:
            self.draw.rectangle((x0, y0, x1, y1), outline=INK, width=1)

    def line(self, points: Sequence[Point], colour: str, width: int) -> None:
        self.draw.line([self.px(p) for p in points], fill=colour, width=width, joint="curve")

    def dashed(self, points: Sequence[Point], colour: str, width: int, dash_px: float = 12) -> None:
        for start, end in itertools.pairwise(points):
            (ax, ay), (bx, by) = self.px(start), self.px(end)
            length = max(((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5, 1e-9)
            steps = int(length // dash_px)
            for k in range(0, steps + 1, 2):
                f0, f1 = k * dash_px / length, min((k + 1) * dash_px / length, 1.0)
                self.draw.line(
                    [(ax + (bx - ax) * f0, ay + (by - ay) * f0), (ax + (bx - ax) * f1, ay + (by - ay) * f1)],
                    fill=colour,
                    width=width,
                )

    def text(self, point: Point, text: str, size: int = 18, anchor: str = "lm", box: str | None = "white") -> None:
        """Text at a mm point (Pillow anchors: ``lm`` left-middle, ``rm`` right-middle, ...)."""
        self.text_px(self.px(point), text, size, anchor, box)

    def text_px(self, xy: tuple[float, float], text: str, size: int, anchor: str, box: str | None = "white") -> None:
        font, full = _font(size)
        if not full:
            text = text.translate(ASCII_FALLBACK).encode("ascii", "replace").decode()
        if box:
            xy, label_box = self._clear_of_labels(xy, text, font, anchor)
            self.draw.rectangle(label_box, fill=box)
            self.labels.append(label_box)
        self.draw.text(xy, text, font=font, fill=INK, anchor=anchor)

    def _clear_of_labels(
        self, xy: tuple[float, float], text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, anchor: str
    ) -> tuple[tuple[float, float], tuple[float, float, float, float]]:
        """``xy`` moved, as little as needed, so the label's box covers no label drawn before
        (thin layers put several labels at nearly the same depth), and that box: a label that
        sits on a line (anchored by its bottom: ``*d``, ``*b``, ``*s``) moves up, away from its
        line; any other moves down."""
        x, y = xy
        up = anchor[1] in "dbs"

        def padded(y: float) -> tuple[float, float, float, float]:
            x0, y0, x1, y1 = self.draw.textbbox((x, y), text, font=font, anchor=anchor)
            return x0 - 4, y0 - 3, x1 + 4, y1 + 3

        for _ in range(len(self.labels) + 1):
            box = padded(y)
            hit = [b for b in self.labels if box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]]
            if not hit:
                return (x, y), box
            y += (min(b[1] for b in hit) - box[3] - 1) if up else (max(b[3] for b in hit) - box[1] + 1)
        return (x, y), padded(y)  # moved after the last look: the box where it ended

    def marker(self, point: Point, radius: float, colour: str, cross: bool = False) -> None:
        x, y = self.px(point)
        if cross:
            self.draw.line((x - radius, y - radius, x + radius, y + radius), fill=colour, width=5)
            self.draw.line((x - radius, y + radius, x + radius, y - radius), fill=colour, width=5)
        else:
            self.draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour, outline=INK, width=2)

    def arrow(self, start: Point, end: Point, colour: str = INK, width: int = 3) -> None:
        """A line from ``start`` with a head at ``end``."""
        self.line([start, end], colour, width)
        (sx, sy), (ex, ey) = self.px(start), self.px(end)
        length = max(((ex - sx) ** 2 + (ey - sy) ** 2) ** 0.5, 1e-9)
        ux, uy = (ex - sx) / length, (ey - sy) / length
        head = 16
        left = (ex - ux * head - uy * head * 0.5, ey - uy * head + ux * head * 0.5)
        right = (ex - ux * head + uy * head * 0.5, ey - uy * head - ux * head * 0.5)
        self.draw.polygon([(ex, ey), left, right], fill=colour)

    def finish(self, title: str, footer: str) -> Image.Image:
        """The title above, the footer below (every line of it: a long footer makes the image taller)."""
        self.text_px((SIDE_PAD, TITLE_H / 2), title, 28, "lm", box=None)
        lines = wrap_lines(footer, 120)
        extra = max(len(lines) - FOOTER_LINES, 0) * FOOTER_LINE_H
        if extra:
            taller = Image.new("RGBA", (self.image.width, self.image.height + extra), "white")
            taller.paste(self.image, (0, 0))
            self.image = taller
        for i, line in enumerate(lines):
            self.text_px((SIDE_PAD, SIZE[1] - FOOTER_H + 10 + FOOTER_LINE_H * i), line, 15, "la", box=None)
        return self.image.convert("RGB")


def _pattern_tile(width: int, height: int, shape: str) -> Image.Image:
    """A transparent tile with the layer's fill pattern (dots, lines, crosses, hatching)."""
    tile = Image.new("RGBA", (max(width, 1), max(height, 1)), (0, 0, 0, 0))
    draw = ImageDraw.Draw(tile)
    ink, step = (0, 0, 0, 80), 14
    if shape == ".":
        for x in range(step // 2, width, step):
            for y in range(step // 2, height, step):
                draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=ink)
    if shape in {"-", "+"}:
        for y in range(step // 2, height, step):
            draw.line((0, y, width, y), fill=ink, width=1)
    if shape in {"|", "+"}:
        for x in range(step // 2, width, step):
            draw.line((x, 0, x, height), fill=ink, width=1)
    if shape == "/":
        for offset in range(-height, width, step):
            draw.line((offset, height, offset + height, 0), fill=ink, width=2)
    return tile


# --- pieces shared by the cross-section views -----------------------------------------------


def _band_label(band: Band) -> str:
    if band.measurement is None:
        return f"{band.label}: thickness not sourced"
    method = f" ({METHOD_SHORT[band.measurement.method]})" if band.measurement.method else ""
    return f"{band.label} {band.measurement.label('mm')}{method}"


def _draw_profile(canvas: Canvas, profile: Profile, right: float, deepest: float, model: SkinModel) -> None:
    """The layers, the deepest-effective line with its label (placed first: it belongs on its
    line), then the layers' labels, each moved clear of those before it."""
    for band in profile.bands:
        colour, pattern = LAYER_STYLE[band.id]
        bottom = band.bottom_mm if band.bottom_mm is not None else deepest
        is_open = band.bottom_mm is None
        canvas.rect((-0.5, band.top_mm), (right, bottom), colour, "/" if is_open else pattern, dotted=is_open)
    canvas.line([(-0.5, 0), (right, 0)], INK, 3)
    limit = model.data.general.max_effective_depth.drawn
    if limit is not None and limit <= deepest:
        canvas.dashed([(-0.5, limit), (right, limit)], INK, 2, dash_px=8)
        (x0, y), (x1, _) = canvas.px((-0.5, limit)), canvas.px((right, limit))
        canvas.labels.append((x0, y - 3, x1, y + 3))  # the layers' labels keep off this line
        canvas.text((-0.4, limit - 0.08), f"{limit:g} mm: deepest effective (Konda & Thappa)", 15, "ld")
    for band in profile.bands:
        bottom = band.bottom_mm if band.bottom_mm is not None else deepest
        if bottom - band.top_mm < 0.45:
            canvas.text((right, band.top_mm - 0.05), _band_label(band), 17, "rd")
        else:
            canvas.text((right - 0.1, (band.top_mm + min(bottom, band.top_mm + 1.0)) / 2), _band_label(band), 17, "rm")


def _draw_target(canvas: Canvas, target: TargetZone, right: float, deepest: float) -> None:
    bottom = target.bottom_mm if target.bottom_mm is not None else deepest
    corners = [(-0.5, target.top_mm), (right, target.top_mm), (right, bottom), (-0.5, bottom), (-0.5, target.top_mm)]
    canvas.dashed(corners, TARGET_COLOUR, 5, dash_px=16)
    canvas.text((-0.4, target.top_mm + 0.02), f"TARGET: {target.technique.target.text.lower()}", 17, "lt")


def _draw_needle(canvas: Canvas, angle: float, length: float, label: str) -> None:
    reach, depth = horizontal_reach(angle, length), needle_depth(angle, length)
    hub = AIR_MM * 0.8
    hub_point = (-reach * hub / depth, -hub) if depth > 0 else (-hub, 0.0)
    canvas.line([hub_point, (0, 0), (reach, depth)], NEEDLE_COLOUR, 6)
    canvas.marker((reach, depth), 7, NEEDLE_COLOUR)
    canvas.text((reach + 0.25, depth), label, 17, "lm")


def _axis_ticks(canvas: Canvas, deepest: float) -> None:
    for mm in range(int(deepest) + 1):
        x, y = canvas.px((canvas.x0, mm))
        canvas.draw.line((x - 8, y, x, y), fill=INK, width=2)
        canvas.text_px((x - 12, y), f"{mm} mm", 14, "rm", box=None)


# --- the diagrams ---------------------------------------------------------------------------


def render_technique_side(technique: str, model: SkinModel | None = None) -> Image.Image:
    """The PNG twin of :func:`course.simulator.figures.technique_side_figure`, for print and slides."""
    model = model or load_skin_model()
    layout = side_layout(technique, model)
    tech = layout.technique
    canvas = Canvas.fit((layout.x_range[0] - 0.8, layout.x_range[1]), (-AIR_MM, layout.deepest))
    _draw_profile(canvas, layout.profile, layout.skin_right, layout.deepest, model)
    _draw_target(canvas, layout.target, layout.skin_right, layout.deepest)
    for drawing in tech.side_view:
        depth = needle_depth(drawing.angle, drawing.length)
        _draw_needle(
            canvas, drawing.angle, drawing.length, f"{drawing.angle:g}° · {drawing.length:g} mm → {depth:.1f} mm"
        )
    if tech.thread is not None:
        start, end = (0.5, tech.thread.depth), (0.5 + tech.thread.length, tech.thread.depth)
        canvas.line([start, end], NEEDLE_COLOUR, 9)
        canvas.arrow(
            (0.5 + tech.thread.length * 0.6, tech.thread.depth), (0.5 + tech.thread.length * 0.3, tech.thread.depth)
        )
    for i, (claim, x, low, high) in enumerate(layout.claims):
        canvas.line([(x, low), (x, high)], INK, 8)
        for y in (low, high):
            canvas.line([(x - 0.25, y), (x + 0.25, y)], INK, 3)
        label_y = canvas.px((x, high))[1] + 14 + 40 * (i % 2)
        canvas.text_px((canvas.px((x, high))[0], label_y), model.short_cite(claim.sources), 14, "mt")
        canvas.text_px((canvas.px((x, high))[0], label_y + 18), claim.label("mm"), 15, "mt")
    _axis_ticks(canvas, layout.deepest)
    return canvas.finish(
        f"{tech.label}: side view ({layout.profile.region.label.lower()}, to scale)",
        (tech.side_view_note + " " if tech.side_view_note else "")
        + "Bars at the right: depths given by each source. Sources: "
        + model.short_cite(dict.fromkeys(s for c in tech.depth for s in c.sources)),
    )


def render_technique_top(technique: str, model: SkinModel | None = None) -> Image.Image:
    """The PNG twin of :func:`course.simulator.figures.technique_top_figure`, for print and slides."""
    model = model or load_skin_model()
    layout = top_layout(technique, model)
    tech = layout.technique
    canvas = Canvas.fit(layout.x_range, layout.y_range)
    claim, spacing = layout.spacing_claim, layout.spacing
    if layout.points and claim is not None and spacing is not None:
        for point in layout.points:
            canvas.marker(point, 8 if tech.pattern.kind == "grid" else 12, NEEDLE_COLOUR, tech.pattern.kind == "points")
        y = -spacing * 0.6
        canvas.arrow((spacing / 2, y), (spacing, y))
        canvas.arrow((spacing / 2, y), (0, y))
        canvas.text((0, y + spacing * 0.1), spacing_label(claim, spacing, model), 17, "lt")
    elif layout.threads:
        for end in layout.threads:
            canvas.line([(0, 0), end], NEEDLE_COLOUR, 8)
            canvas.arrow((end[0] * 0.75, end[1] * 0.75), (end[0] * 0.35, end[1] * 0.35))
        canvas.marker((0, 0), 10, INK)
        canvas.text((layout.x_range[0] + 0.5, layout.y_range[0] * 0.9), thread_label(tech, model), 17, "lm")
    else:
        width, height = NO_PATTERN_PATCH
        canvas.rect((0, 0), (width, height), WHITE, "/", dotted=False)
        for i, line in enumerate(wrap_lines(tech.pattern.note or "No sourced pattern.", 40)):
            canvas.text((width / 2, height / 2 - 1.5 + 1.5 * i), line, 22, "mm")
    return canvas.finish(
        f"{tech.label}: top view of the injection pattern (mm, to scale)", technique_top_alt(technique, model)
    )


def render_skin_layers(region: str, model: SkinModel | None = None) -> Image.Image:
    """A region's layers to scale, or only its sourced depths when no source gives thicknesses."""
    model = model or load_skin_model()
    info = model.region(region)
    try:
        profile = model.profile(region)
    except MissingThickness:
        return _render_landmarks(region, model)
    deepest = max(profile.known_depth_mm * 1.3, MIN_VIEW_DEPTH_MM)
    canvas = Canvas.fit((-1.6, 8.0), (-AIR_MM, deepest))
    _draw_profile(canvas, profile, 8.0, deepest, model)
    _axis_ticks(canvas, deepest)
    sources = dict.fromkeys(s for band in profile.bands if band.measurement for s in band.measurement.sources)
    return canvas.finish(
        f"{info.label}: skin layers to scale",
        "Dermis = papillary + reticular dermis (no source gives their split). Sources: " + model.short_cite(sources),
    )


def _render_landmarks(region: str, model: SkinModel) -> Image.Image:
    info = model.region(region)
    numeric = [m for m in info.landmarks if m.drawn is not None or m.high is not None]
    deepest = max([MIN_VIEW_DEPTH_MM, *((m.high or m.drawn or 0) + 0.5 for m in numeric)])
    canvas = Canvas.fit((-1.6, 12.0), (-AIR_MM, deepest))
    canvas.rect((0, 0), (12.0, deepest), WHITE, "/", dotted=True)
    canvas.line([(0, 0), (12.0, 0)], INK, 3)
    canvas.text((6.0, 0.4), "Layer thicknesses: no sourced figure", 20, "mm")
    step = 11.0 / max(len(numeric), 1)  # the bars share the width, so the last label stays inside
    for i, mark in enumerate(numeric):
        x = 0.6 + step * i
        low = mark.low if mark.low is not None else (mark.value or 0.0)
        high = mark.high if mark.high is not None else (mark.drawn or 0.0)
        canvas.line([(x, low), (x, high)], NEEDLE_COLOUR, 10)
        for j, line in enumerate([*wrap_lines(mark.what or "", 24), mark.label("mm")]):
            canvas.text((x + 0.3, (low + high) / 2 - 0.45 + 0.4 * j), line, 16, "lm")
    _axis_ticks(canvas, deepest)
    footer = info.no_profile or ""
    return canvas.finish(f"{info.label}: sourced depths only (layers not to scale)", footer)


def render_depth_geometry(model: SkinModel | None = None) -> Image.Image:
    """The PNG twin of :func:`course.simulator.figures.depth_geometry_figure` (Micheels' worked example)."""
    model = model or load_skin_model()
    example = model.data.general.micheels_example
    longest = max(example.lengths)
    deepest = needle_depth(example.angle, longest) + 0.8
    canvas = Canvas.fit((-1.5, horizontal_reach(example.angle, longest) + 6.5), (-AIR_MM, deepest))
    canvas.line([(-1.5, 0), (horizontal_reach(example.angle, longest) + 6.5, 0)], INK, 3)
    for length in example.lengths:
        reach, depth = horizontal_reach(example.angle, length), needle_depth(example.angle, length)
        _draw_needle(canvas, example.angle, length, "")
        canvas.dashed([(reach, 0), (reach, depth)], INK, 3)
        canvas.text((reach + 0.15, depth / 2), f"sin {example.angle:g}° × {length:g} = {depth:.1f} mm", 20, "lm")
    canvas.text((0.6, 0.25), f"{example.angle:g}°", 22, "lm", box=None)
    _axis_ticks(canvas, deepest)
    return canvas.finish("Depth = sin(angle) × inserted length", depth_geometry_alt(model=model))


def diagram_set(model: SkinModel | None = None) -> dict[str, tuple[Image.Image, str]]:
    """Every diagram by file name, with its text alternative."""
    model = model or load_skin_model()
    files: dict[str, tuple[Image.Image, str]] = {}
    for tech in model.technique_ids:
        files[f"{tech}-side.png"] = (render_technique_side(tech, model), technique_side_alt(tech, model))
        files[f"{tech}-top.png"] = (render_technique_top(tech, model), technique_top_alt(tech, model))
    for region in model.region_ids:
        files[f"skin-{region}.png"] = (render_skin_layers(region, model), skin_layers_alt(region, model))
    files["depth-geometry.png"] = (render_depth_geometry(model), depth_geometry_alt(model=model))
    return files


def render_diagrams(folder: Path, model: SkinModel | None = None) -> list[Path]:
    """Write every diagram and ``ALT.md`` into ``folder`` (created if needed); return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    index = [
        "# Generated diagrams and their text alternatives",
        "",
        "Generated by `python -m course render-diagrams assets/diagrams/` from assets/skin_model.yaml; "
        "do not edit by hand.",
        "",
    ]
    for name, (image, alt) in diagram_set(model).items():
        path = folder / name
        image.save(path, format="PNG", optimize=True)
        written.append(path)
        index += [f"## {name}", "", alt, ""]
    alt_path = folder / "ALT.md"
    alt_path.write_text("\n".join(index), encoding="utf-8")
    return [*written, alt_path]
