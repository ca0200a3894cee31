"""Every label of the skin figures reads at WCAG AA (4.5:1) on whatever it can sit on.

For each figure the builders make (every region's layers, every technique's side and top
views, the quiz's layer picker, the simulator's cross-section and drawing data, the depth
geometry), each piece of text is checked against every fill of that figure it could cover:

* a label in a box (an annotation's ``bgcolor``) against the box, the box's own opacity
  blended over the darkest fill of the figure (the worst place it could land);
* a label with a white halo (``textfont.shadow``) against each fill's plain colour: the halo
  covers a pattern's thin lines, not the fill;
* any other text against each fill with its pattern at full strength, and the page.

The browser's needle drawing (views/parts/needle_view.css) paints its labels with a white
stroke under the glyphs; its colours are checked the same way from the CSS.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import plotly.graph_objects as go
import pytest

from course.palette import AA_TEXT, BLACK, WHITE, blend, contrast_ratio
from course.paths import ROOT
from course.simulator.figures import (
    LAYER_STYLE,
    depth_geometry_figure,
    layer_picker_figure,
    needle_scene,
    skin_layers_figure,
    technique_side_figure,
    technique_top_figure,
)
from course.simulator.figures.cross_section import cross_section_figure
from course.simulator.geometry import MissingThickness
from course.simulator.loading import layer_choices, load_skin_model

MODEL = load_skin_model()
PLOTLY_TEXT = "#444444"  # Plotly's default font colour when a layout sets none
NAMED = {"white": WHITE, "black": BLACK}


def colour(value: Any) -> tuple[str, float] | None:
    """A Plotly colour as (``#RRGGBB``, opacity), or None for none / transparent."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in NAMED:
        return NAMED[text], 1.0
    if m := re.fullmatch(r"#([0-9a-f]{6})", text):
        return "#" + m[1].upper(), 1.0
    if m := re.fullmatch(r"#([0-9a-f]{3})", text):
        return "#" + "".join(c * 2 for c in m[1]).upper(), 1.0
    if m := re.fullmatch(r"rgba?\(([^)]*)\)", text):
        parts = [float(p) for p in m[1].split(",")]
        alpha = parts[3] if len(parts) == 4 else 1.0
        return ("#" + "".join(f"{round(p):02X}" for p in parts[:3]), alpha) if alpha > 0 else None
    raise AssertionError(f"unread colour {value!r}")


def fills(fig: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, colour) of every fill a label could sit on, patterns at their strongest."""
    page = colour(fig["layout"].get("plot_bgcolor")) or (WHITE, 1.0)
    found = [("page", page[0])]
    for trace in fig["data"]:
        name = trace.get("name") or trace.get("type", "trace")
        marker = trace.get("marker") or {}
        base: list[Any] = []
        if trace.get("type") == "bar":
            base = marker.get("color") if isinstance(marker.get("color"), list) else [marker.get("color")]
            pattern = marker.get("pattern") or {}
        elif trace.get("fill") in ("toself", "tonexty", "tozeroy"):
            base = [trace.get("fillcolor")]
            pattern = trace.get("fillpattern") or {}
        else:
            continue
        shapes = pattern.get("shape")
        shapes = shapes if isinstance(shapes, list) else [shapes] * len(base)
        for value, shape in zip(base, shapes, strict=False):
            got = colour(value)
            if got is None:
                continue
            fill = blend(got[0], page[0], got[1])
            found.append((f"{name} fill", fill))
            if shape:
                ink = colour(pattern.get("fgcolor")) or (BLACK, 1.0)
                found.append((f"{name} pattern", blend(ink[0], fill, pattern.get("fgopacity", 1.0) * ink[1])))
    for shape in fig["layout"].get("shapes", ()):
        got = colour(shape.get("fillcolor"))
        if got is not None:
            found.append(("shape fill", blend(got[0], page[0], got[1])))
    return found


def texts(fig: dict[str, Any]) -> Iterator[tuple[str, str, tuple[str, float] | None, bool]]:
    """(text, colour, its box (colour, opacity) or None, has a halo) of every label drawn over the plot."""
    default = colour((fig["layout"].get("font") or {}).get("color")) or (PLOTLY_TEXT, 1.0)
    for trace in fig["data"]:
        if "text" not in str(trace.get("mode", "")) or not trace.get("text"):
            continue
        font = trace.get("textfont") or {}
        ink = colour(font.get("color")) or default
        labels = trace["text"] if isinstance(trace["text"], list) else [trace["text"]]
        for label in labels:
            if label:
                yield str(label), ink[0], None, bool(font.get("shadow"))
    for note in fig["layout"].get("annotations", ()):
        if not note.get("text"):
            continue
        ink = colour((note.get("font") or {}).get("color")) or default
        yield note["text"], ink[0], colour(note.get("bgcolor")), bool((note.get("font") or {}).get("shadow"))
    for shape in fig["layout"].get("shapes", ()):
        label = shape.get("label") or {}
        if label.get("text"):
            font = label.get("font") or {}
            ink = colour(font.get("color")) or default
            yield label["text"], ink[0], None, bool(font.get("shadow"))


def problems(fig: go.Figure) -> list[str]:
    spec = fig.to_plotly_json()
    under = fills(spec)
    plain = [(name, c) for name, c in under if "pattern" not in name]
    found = []
    for text, ink, box, halo in texts(spec):
        if box is not None:
            backgrounds = [("its box over " + n, blend(box[0], c, box[1])) for n, c in under]
        else:
            backgrounds = plain if halo else under
        for name, background in backgrounds:
            ratio = contrast_ratio(ink, background)
            if ratio < AA_TEXT:
                found.append(f"{text[:40]!r} ({ink}) on {name} ({background}): {ratio:.2f}:1")
    return found


def figures() -> Iterator[tuple[str, go.Figure]]:
    for region in MODEL.region_ids:
        yield f"skin-layers {region}", skin_layers_figure(region, MODEL)
        choices = [layer for layer, _ in layer_choices(region, MODEL)]
        yield f"picker {region}", layer_picker_figure(region, model=MODEL)
        yield f"picker {region} selected", layer_picker_figure(region, selected=choices[1], model=MODEL)
    for technique in MODEL.technique_ids:
        yield f"technique-side {technique}", technique_side_figure(technique, MODEL)
        yield f"technique-top {technique}", technique_top_figure(technique, MODEL)
        for region in MODEL.region_ids:
            try:
                yield (
                    f"simulator {region} {technique}",
                    cross_section_figure(
                        region, technique, placement=MODEL.assess(region, technique, 30, 3), model=MODEL
                    ),
                )
            except MissingThickness:
                continue
    yield "depth-geometry", depth_geometry_figure(model=MODEL)


FIGURES = dict(figures())


@pytest.mark.parametrize("name", FIGURES)
def test_every_label_reads_on_what_it_sits_on(name: str) -> None:
    assert problems(FIGURES[name]) == []


def test_the_checker_catches_a_faint_label() -> None:
    fig = go.Figure(go.Bar(x=[1], y=[1], marker={"color": LAYER_STYLE["muscle"][0]}))
    fig.add_annotation(x=0, y=0, text="grey on vermilion", font={"color": "#777777"}, showarrow=False)
    assert problems(fig) and "grey on vermilion" in problems(fig)[0]


def _css_colours(selector: str) -> dict[str, str]:
    css = (ROOT / "views" / "parts" / "needle_view.css").read_text(encoding="utf-8")
    body = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert body, selector
    return dict(re.findall(r"([a-z-]+):\s*(#[0-9A-Fa-f]{3,6})\b", body[1]))


def test_the_needle_drawing_labels_read_on_every_band() -> None:
    label, tag = _css_colours(".nv-label"), _css_colours(".nv-tag")
    assert label["stroke"].lower() in ("#fff", "#ffffff")  # the halo under every label
    scene = needle_scene("forehead", "papule", MODEL, angle=30, length=3)
    for ink in (colour(label["fill"]), colour(tag["fill"])):
        assert ink is not None
        for band in scene["bands"]:
            assert contrast_ratio(ink[0], band["colour"]) >= AA_TEXT, (ink, band)
        assert contrast_ratio(ink[0], WHITE) >= AA_TEXT
    hint = colour(_css_colours(".nv-hint")["color"])
    assert hint is not None and contrast_ratio(hint[0], WHITE) >= AA_TEXT
