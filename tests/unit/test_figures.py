"""Figures and diagrams drawn from the skin model: to scale, labelled, with text alternatives."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import plotly.graph_objects as go
import pytest
from PIL import Image

from course.__main__ import main
from course.paths import ASSETS_DIR
from course.simulator import figures
from course.simulator.diagrams import FOOTER_LINE_H, FOOTER_LINES, SIZE, Canvas, diagram_set
from course.simulator.figures.cross_section import _changes
from course.simulator.figures.drawing import wrap_lines
from course.simulator.geometry import needle_depth
from course.simulator.loading import load_skin_model, read_skin_model

MODEL = load_skin_model()
DRAWABLE = [r for r in MODEL.region_ids if MODEL.has_profile(r)]
OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
LAYER_LABELS = [layer.label.lower() for layer in MODEL.data.layers]


def _role(fig, role):
    return [t for t in fig.data if t.meta and t.meta.get("role") == role]


@pytest.mark.parametrize("region", DRAWABLE)
def test_cross_section_has_one_bar_per_band_with_its_thickness(region):
    profile = MODEL.profile(region)
    fig = figures.cross_section_figure(region, model=MODEL)
    (bars,) = _role(fig, "bands")  # one bar trace, a bar per band: one Plotly object, not one per band
    assert [b["band"] for b in bars.meta["bands"]] == [b.id for b in profile.bands]
    for i, band in enumerate(profile.bands):
        top, bottom = bars.y[i] - bars.width[i] / 2, bars.y[i] + bars.width[i] / 2  # the bar's depth extent
        assert top == pytest.approx(band.top_mm)
        assert bars.marker.color[i] == figures.LAYER_STYLE[band.id][0]
        if band.bottom_mm is not None:
            assert bottom - top == pytest.approx(band.thickness_mm)
            assert bars.marker.pattern.shape[i] == figures.LAYER_STYLE[band.id][1]
        else:  # no sourced thickness: hatched, runs off the drawing
            assert bars.marker.pattern.shape[i] == "/" and bottom > fig.layout.yaxis.range[0]
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1  # true to scale
    # a wider or narrower screen grows the axis ranges, never shrinks the plot (no blank band)
    assert fig.layout.xaxis.constrain == "range" and fig.layout.yaxis.constrain == "range"
    (labels,) = _role(fig, "band-labels")
    assert len(labels.text) == len(profile.bands)
    assert labels.text[0].startswith("Epidermis") and any(text.startswith("Dermis") for text in labels.text)


def test_layer_colours_are_okabe_ito_and_each_has_a_distinct_pattern():
    colours = {colour for colour, _ in figures.LAYER_STYLE.values()}
    assert colours <= OKABE_ITO
    bands = ("epidermis", "dermis", "hypodermis", "muscle")
    assert len({figures.LAYER_STYLE[b][1] for b in bands}) == len(bands)


@pytest.mark.parametrize("region", DRAWABLE)
def test_alt_text_names_every_layer_with_its_numbers(region):
    alt = figures.skin_layers_alt(region, MODEL)
    for label in LAYER_LABELS:
        assert label in alt, label
    dermis = MODEL.profile(region).band("dermis").measurement
    assert f"{dermis.value:g}" in alt and "Meng 2022" in alt and "high-frequency ultrasound" in alt
    assert "no source gives their split" in alt


@pytest.mark.parametrize("region", ["scalp", "buttock", "abdomen", "thigh"])
def test_regions_without_thickness_get_the_landmark_view(region):
    fig = figures.skin_layers_figure(region, MODEL)
    assert _role(fig, "unsourced") and not _role(fig, "bands")
    assert "no sourced figure" in " ".join(a.text for a in fig.layout.annotations)
    landmarks = _role(fig, "landmark")
    numeric = [m for m in MODEL.region(region).landmarks if m.high is not None or m.value is not None]
    assert len(landmarks) == len(numeric)
    alt = figures.skin_layers_alt(region, MODEL)
    assert MODEL.region(region).no_profile in alt


def test_scalp_landmark_is_drawn_at_its_sourced_depths():
    bars = _role(figures.landmark_figure("scalp", model=MODEL), "landmark")
    spans = [(bar.meta["low"], bar.meta["high"]) for bar in bars]
    assert spans[:2] == [(1.71, 1.93), (4, 7)]  # the skin (Sung), then the terminal follicles


def test_redrawn_figure_equals_a_fresh_build_after_every_move():
    """The simulator redraws its figure in place: after any sequence of moves it is the fresh build."""
    redrawn = figures.Redrawn()
    moves = [
        ("forehead", "papule", 45, 4.0),
        ("forehead", "papule", 10, 4.0),  # verdict, subtitle and height change
        ("forehead", "papule", 10, 13.0),  # a long reach: wider x range, bands and labels move
        ("forehead", "papule", 90, 13.0),  # deeper than the default view: y range, open band
        ("neck", "papule", 90, 13.0),  # another profile: fewer bands, rebuilt
        ("neck", "nappage", 30, 4.0),
    ]
    first = None
    for region, technique, angle, length in moves:
        placement = MODEL.assess(region, technique, angle, length)
        fig = redrawn.draw(figures.cross_section_spec(region, placement=placement, model=MODEL))
        first = first or fig
        fresh = figures.cross_section_figure(region, placement=placement, model=MODEL)
        assert fig.to_dict() == fresh.to_dict(), (region, technique, angle, length)
    assert redrawn.figure is first  # same objects all along (one bar trace for the bands): patched, not rebuilt
    drill = MODEL.assess("neck", "nappage", 30, 4.0)  # a hidden target drops two objects: rebuilt
    hidden = redrawn.draw(figures.cross_section_spec("neck", placement=drill, model=MODEL, show_target=False))
    assert hidden is not first
    assert (
        hidden.to_dict()
        == figures.cross_section_figure("neck", placement=drill, model=MODEL, show_target=False).to_dict()
    )


def test_changes_lists_only_what_differs():
    assert _changes({"a": 1, "b": {"c": 2, "d": 3}}, {"a": 1, "b": {"c": 4}}) == [("b.c", 4), ("b.d", None)]
    assert _changes({"meta": {"x": 1, "y": 2}}, {"meta": {"x": 1}}) == [("meta", {"x": 1})]


def test_simulator_figure_draws_needle_tip_and_target():
    placed = MODEL.assess("forehead", "papule", 30, 4)
    fig = figures.cross_section_figure("forehead", placement=placed, model=MODEL)
    needle = _role(fig, "needle")[0]
    assert needle.y[-1] == pytest.approx(needle_depth(30, 4))
    assert needle.x[-1] == pytest.approx(4 * math.cos(math.radians(30)))
    target = next(s for s in fig.layout.shapes if s.name == "target")
    assert (target.y0, target.y1) == (pytest.approx(0.0461), pytest.approx(0.9061))
    # the tip's depth, layer and verdict are the needle's legend entry, the only one shown
    assert needle.name == "tip 2.00 mm deep, in the hypodermis<br>too deep"
    assert fig.layout.showlegend and [t.showlegend for t in fig.data] == [False, False, True]
    hidden = figures.cross_section_figure("forehead", placement=placed, model=MODEL, show_target=False)
    assert not [s for s in hidden.layout.shapes if s.name == "target"]
    assert _role(hidden, "needle")[0].name == "tip 2.00 mm deep, in the hypodermis"  # no verdict before submitting
    alt = figures.placement_alt(placed, MODEL)
    assert "Too deep" in alt and "hypodermis" in alt and "30°" in alt


@pytest.mark.parametrize("technique", MODEL.technique_ids)
def test_side_view_draws_target_needles_and_every_numeric_depth_claim(technique):
    tech = MODEL.technique(technique)
    fig = figures.technique_side_figure(technique, MODEL)
    assert [s for s in fig.layout.shapes if s.name == "target"]
    numeric = [c for c in tech.depth if c.value is not None or c.high is not None]
    claims = _role(fig, "depth-claim")
    assert len(claims) == len(numeric)
    assert [t.meta["sources"] for t in claims] == [list(c.sources) for c in numeric]
    needles = _role(fig, "needle")
    assert [(n.meta["angle"], n.meta["length"]) for n in needles] == [(d.angle, d.length) for d in tech.side_view]
    alt = figures.technique_side_alt(technique, MODEL)
    assert tech.target.text.lower() in alt
    for claim in tech.depth:
        assert claim.words("mm") in alt


@pytest.mark.parametrize("technique", MODEL.technique_ids)
def test_side_view_names_the_max_depth_in_its_subtitle_and_hangs_source_labels_under_their_bars(technique):
    """At 390 px the max-depth line's label ran into the sources' labels: it is in the subtitle now."""
    fig = figures.technique_side_figure(technique, MODEL)
    (line,) = [s for s in fig.layout.shapes if s.name == "max-depth"]
    assert not line.label.text
    assert "Dash-dot line at 4 mm: deepest effective (Konda & Thappa)" in fig.layout.title.subtitle.text.replace(
        "<br>", " "
    )
    claims = _role(fig, "depth-claim")
    labels = [a for a in fig.layout.annotations if a.text and a.text != "<b>TARGET</b>"]  # not the TARGET tag
    assert len(labels) == len(claims)
    for claim, label in zip(claims, labels, strict=True):
        assert label.x == claim.x[0] and label.y > claim.meta["high"]  # right of its bar, under its end
        assert label.text.replace("<br>", " ").startswith(MODEL.short_cite(claim.meta["sources"]))  # who gives it
        # it covers no bar to its right: each of those ends above the label's top
        assert all(other.meta["high"] < label.y for other in claims if other.x[0] > claim.x[0])


def test_point_by_point_is_not_drawn_on_the_face():
    """Its only sourced needle (13 mm at 45 degrees) is a body technique; on the forehead it would reach bone."""
    assert _role(figures.technique_side_figure("point-by-point", MODEL), "needle") == []
    assert "body technique" in MODEL.technique("point-by-point").side_view_note


@pytest.mark.parametrize(("technique", "spacing"), [("papule", 10), ("nappage", 3), ("point-by-point", 25)])
def test_top_view_points_are_at_the_sourced_spacing(technique, spacing):
    points = _role(figures.technique_top_figure(technique, MODEL), "injection-points")[0]
    xs = sorted(set(points.x))
    assert xs[1] - xs[0] == pytest.approx(spacing)
    assert points.meta["spacing"] == spacing


def test_top_view_threads_and_missing_patterns():
    threads = _role(figures.technique_top_figure("linear-retrograde", MODEL), "thread")
    assert threads and all(math.hypot(t.x[1], t.y[1]) == pytest.approx(13) for t in threads)
    for technique, why in (
        ("intra-epidermal", "The sources give no spacing or pattern for intra-epidermal injections."),
        ("gun-assisted", "The spacing is set by the device and its head; the sources give no number."),
    ):
        fig = figures.technique_top_figure(technique, MODEL)
        assert _role(fig, "no-pattern")
        label = MODEL.technique(technique).label.lower()
        assert figures.technique_top_alt(technique, MODEL).startswith(
            f"Top view of the {label} technique: no pattern is drawn. {why}"
        )


def test_depth_geometry_uses_the_micheels_example():
    fig = figures.depth_geometry_figure(model=MODEL)
    depths = sorted(round(t.meta["depth"], 2) for t in _role(fig, "needle"))
    assert depths == [2.5, 4.0]
    assert "2.5 mm" in figures.depth_geometry_alt(model=MODEL)


def test_figures_fit_a_phone():
    for fig in (
        figures.cross_section_figure("neck", model=MODEL),
        figures.technique_side_figure("nappage", MODEL),
        figures.technique_top_figure("papule", MODEL),
        *(figures.layer_picker_figure(region) for region in MODEL.region_ids),
        figures.cross_section_figure(  # the longest title: region, technique and verdict
            "jawline", placement=MODEL.assess("jawline", "gun-assisted", 20, 3), model=MODEL
        ),
        *_all_builder_outputs(),
    ):
        assert fig.layout.margin.l <= 20 and fig.layout.margin.r <= 20
        lines = fig.layout.title.text.split("<br>")
        assert max(len(line) for line in lines) <= 48, lines  # ~48 characters fit a bordered box at 390 px


def _all_builder_outputs():
    yield figures.layer_picker_figure("forehead", "reticular-dermis")
    yield figures.depth_geometry_figure(model=MODEL)
    for region in MODEL.region_ids:
        yield figures.skin_layers_figure(region, MODEL)
    for technique in MODEL.technique_ids:
        yield figures.technique_side_figure(technique, MODEL)
        yield figures.technique_top_figure(technique, MODEL)
        yield figures.cross_section_figure("neck", placement=MODEL.assess("neck", technique, 20, 3), model=MODEL)
    yield figures.landmark_figure("scalp", 5.0, MODEL)


def test_every_figure_passes_plotly_validation():
    """Builders validate once; here every output is rebuilt strictly (an invalid property raises)."""
    for fig in _all_builder_outputs():
        go.Figure(fig.to_dict(), skip_invalid=False)  # raises ValueError on any unknown property or bad value


# --- Pillow diagrams -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def diagrams() -> dict[str, tuple[Image.Image, str]]:
    """Every diagram of the model, rendered once for the module (about half a second each time)."""
    return diagram_set(MODEL)


def test_every_diagram_renders_at_the_expected_size_and_is_not_blank(diagrams):
    assert len(diagrams) == 2 * len(MODEL.technique_ids) + len(MODEL.region_ids) + 1
    for name, (image, alt) in diagrams.items():
        assert image.width == SIZE[0] and image.height >= SIZE[1], name  # a long footer adds lines below
        colours = image.getcolors(maxcolors=1_000_000)
        assert colours is not None and len(colours) > 20, f"{name} looks blank"
        assert len(alt) > 40, name


def test_render_command_creates_the_folder_and_writes_pngs_and_alt_index(tmp_path: Path, capsys, diagrams):
    out = tmp_path / "a" / "b"  # missing folders are created
    assert main(["render-diagrams", str(out)]) == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted([*diagrams, "ALT.md"])
    with Image.open(out / "papule-side.png") as image:
        assert image.size == SIZE and image.format == "PNG"
    index = (out / "ALT.md").read_text()
    assert index.count("## ") == len(written) - 1
    assert capsys.readouterr().out == f"render-diagrams: wrote {len(written)} files to {out}\n"


def test_a_label_moves_down_clear_of_the_labels_drawn_before_it():
    canvas = Canvas.fit((0, 10), (0, 5))
    for _ in range(3):  # thin layers: three labels asked for at the same depth
        canvas.text((5, 1), "Dermis 0.86 mm (HFUS)", 17, "rm")
    assert len(canvas.labels) == 3
    for (_, _, _, bottom_a), (_, top_b, _, _) in itertools.pairwise(canvas.labels):
        assert top_b > bottom_a  # each one below the one before, none covering another
    above = Canvas.fit((0, 10), (0, 5))
    for _ in range(2):  # labels on a line (anchored by their bottom) move up, off the line
        above.text((5, 4), "4 mm: deepest effective", 15, "ld")
    (_, top_a, _, _), (_, _, _, bottom_b) = above.labels
    assert bottom_b < top_a and above.labels[0][3] <= above.px((5, 4))[1] + 4


def test_a_long_footer_is_printed_whole_on_a_taller_image():
    short = Canvas.fit((0, 10), (0, 5)).finish("Title", "One line.")
    assert short.size == SIZE
    footer = " ".join(["Sources: a long list of references that does not fit on three lines."] * 8)
    lines = len(wrap_lines(footer, 120))
    assert lines > FOOTER_LINES
    tall = Canvas.fit((0, 10), (0, 5)).finish("Title", footer)
    assert tall.size == (SIZE[0], SIZE[1] + (lines - FOOTER_LINES) * FOOTER_LINE_H)
    last_line = tall.crop((0, tall.height - FOOTER_LINE_H - 10, tall.width, tall.height))
    assert last_line.getcolors(maxcolors=100_000) is not None and len(last_line.getcolors(maxcolors=100_000)) > 2


def test_committed_diagrams_match_the_data(diagrams):
    """Every diagram the data produces is committed (re-run render-diagrams after editing the YAML)."""
    committed = {p.name for p in (ASSETS_DIR / "diagrams").glob("*.png")}
    assert committed == set(diagrams)
    index = (ASSETS_DIR / "diagrams" / "ALT.md").read_text(encoding="utf-8")
    for name, (_, alt) in diagrams.items():
        assert f"## {name}\n\n{alt}\n" in index, f"{name}: ALT.md is stale; run python -m course render-diagrams"


def test_lesson_figures_are_drawn_once_per_loaded_model():
    first = figures.technique_side_figure("papule", MODEL)
    assert figures.technique_side_figure("papule", MODEL) is first  # a lesson rerun does not redraw it
    assert figures.technique_side_figure("nappage", MODEL) is not first
    reloaded, problems = read_skin_model(MODEL.path)  # what an edited data file gives
    assert not problems and reloaded is not MODEL
    redrawn = figures.technique_side_figure("papule", reloaded)
    assert redrawn is not first and redrawn.to_dict() == first.to_dict()


def test_side_views_keep_the_layer_labels_apart_with_a_histology_thin_epidermis() -> None:
    """The epidermis (0.03-0.06 mm) is labelled over the surface and the dermis hangs under its
    top line; only the 13 mm-wide linear view, too small for three labels in its top 3 mm, drops
    the epidermis label (the text alternative still names it) and labels the dermis at its middle."""
    from course.simulator.figures.techniques import _side_placement, side_layout
    from course.simulator.loading import load_skin_model

    model = load_skin_model()
    spots = {t: _side_placement(side_layout(t, model), model).spots for t in ("papule", "linear-retrograde")}
    assert spots["papule"][0] == (0.0, "top left") and spots["papule"][1][1] == "bottom left"
    dermis = side_layout("linear-retrograde", model).profile.bands[1]
    assert spots["linear-retrograde"][0][1] == ""
    assert spots["linear-retrograde"][1] == ((dermis.top_mm + dermis.bottom_mm) / 2, "middle left")
    fig = figures.technique_side_figure("linear-retrograde", MODEL)
    [labels] = [trace.text for trace in fig.data if (trace.meta or {}).get("role") == "band-labels"]
    assert labels[0] == "" and "Dermis" in labels[1]


SIDE_VIEWS = MODEL.technique_ids


@pytest.mark.parametrize("technique", SIDE_VIEWS)
def test_side_views_keep_every_label_off_the_lines_or_name_the_layer_instead(technique) -> None:
    """At phone width no needle or thread runs through a layer label or the TARGET tag: a label
    with no clear place is left out and the subtitle names its layer and depths; a tag with no
    clear place is left out and the subtitle's "TARGET (green dashes)" names the dashed box."""
    from course.simulator.figures.techniques import (
        _label_box,
        _meets,
        _mm_per_px,
        _side_paths,
        _side_placement,
        _tag_boxes,
        side_layout,
    )

    layout = side_layout(technique, MODEL)
    place = _side_placement(layout, MODEL)
    px = _mm_per_px(place)
    paths = [(*path[:4], 1.0) for path in _side_paths(layout)]
    for i, (_, position) in enumerate(place.spots):
        if position:
            assert not _meets(_label_box(layout, place, i), paths, px), layout.profile.bands[i].label
    if place.tag:
        [box] = [box for x, box in _tag_boxes(layout, place) if x == place.tag_x]
        assert not _meets(box, paths, px)
    fig = figures.technique_side_figure(technique, MODEL)
    subtitle = fig.layout.title.subtitle.text.replace("<br>", " ")
    assert "TARGET (green dashes)" in subtitle
    tags = [a for a in fig.layout.annotations if a.text == "<b>TARGET</b>"]
    assert len(tags) == (1 if place.tag else 0)
    [labels] = [trace.text for trace in fig.data if (trace.meta or {}).get("role") == "band-labels"]
    for i in place.unlabelled:
        band = layout.profile.bands[i]
        assert labels[i] == "" and f"deep: {band.label.lower()}" in subtitle


def test_a_thread_across_the_fat_leaves_its_label_out_and_the_subtitle_names_it() -> None:
    """The 13 mm linear thread 2 mm deep crosses the whole hypodermis band at 390 px; the
    papule's upright needle at x = 0 crosses the tag's place at the plot's edge, and the source
    bars fill the place beside the layers; the nappage tag goes beside the layers."""
    from course.simulator.figures.techniques import _side_placement, side_layout

    linear = _side_placement(side_layout("linear-retrograde", MODEL), MODEL)
    assert [side_layout("linear-retrograde", MODEL).profile.bands[i].id for i in linear.unlabelled] == ["hypodermis"]
    subtitle = figures.technique_side_figure("linear-retrograde", MODEL).layout.title.subtitle.text.replace("<br>", " ")
    assert "Unlabelled band, 0.9–2.9 mm deep: hypodermis" in subtitle
    assert not _side_placement(side_layout("papule", MODEL), MODEL).tag
    nappage = _side_placement(side_layout("nappage", MODEL), MODEL)
    assert nappage.tag and nappage.tag_x is not None and nappage.tag_x > nappage.skin_right
