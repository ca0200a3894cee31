"""The clickable layer picker used by quiz "diagram" questions."""

from __future__ import annotations

from itertools import pairwise

import pytest

from course.simulator.figures import PICKER_WIDTH, layer_choices, layer_from_selection, layer_picker_figure
from course.simulator.geometry import SkinInputError

LAYER_IDS = ["epidermis", "papillary-dermis", "reticular-dermis", "hypodermis", "muscle"]


def _traces(fig, role):
    return [t for t in fig.data if t.meta and t.meta["role"] == role]


def test_layer_choices_are_the_five_quiz_layer_ids_top_down():
    choices = layer_choices("forehead")
    assert [layer_id for layer_id, _ in choices] == LAYER_IDS
    assert dict(choices)["hypodermis"].startswith("Hypodermis")


def test_picker_has_one_band_and_one_hit_grid_per_layer():
    fig = layer_picker_figure("cheek")
    bands = _traces(fig, "layer")
    hits = _traces(fig, "hit-area")
    assert [t.meta["layer"] for t in bands] == LAYER_IDS
    assert [t.meta["layer"] for t in hits] == LAYER_IDS
    for band, hit in zip(bands, hits, strict=True):
        top, bottom = min(band.y), max(band.y)
        assert set(hit.customdata) == {hit.meta["layer"]}
        assert all(top < y < bottom for y in hit.y), "hit markers must lie inside their own band"
        assert max(hit.marker.opacity, 0) < 0.05, "hit markers must be (nearly) invisible"
    assert "not to scale" in fig.layout.title.text


def test_hit_markers_cover_the_centred_labels_without_dead_strips():
    """A click counts only within ~29 px of a marker: at 10 columns the label's centre fell between two."""
    fig = layer_picker_figure("cheek")
    for hit, label in zip(_traces(fig, "hit-area"), fig.layout.annotations, strict=True):
        columns = sorted(set(hit.x))
        assert label.x in columns, "a marker must sit under the centred label"
        widest_chart_px = 740  # the centred layout's column
        assert max(b - a for a, b in pairwise(columns)) * widest_chart_px / PICKER_WIDTH < 50


def test_selected_layer_is_outlined_and_marked_in_words():
    fig = layer_picker_figure("neck", selected="reticular-dermis")
    widths = {t.meta["layer"]: t.line.width for t in _traces(fig, "layer")}
    assert widths["reticular-dermis"] > widths["epidermis"]
    assert any("Chosen: Reticular dermis" in a.text for a in fig.layout.annotations)
    # a long layer name goes under "Chosen:" so it stays inside its band at 390 px
    long = layer_picker_figure("forehead", selected="hypodermis")
    assert any(a.text == "<b>Chosen:<br>Hypodermis (subcutaneous fat)</b>" for a in long.layout.annotations)


def test_picker_refuses_unknown_region_and_layer():
    with pytest.raises(SkinInputError, match="Unknown body region 'knee'"):
        layer_picker_figure("knee")
    with pytest.raises(SkinInputError, match="Unknown layer"):
        layer_picker_figure("forehead", selected="bone")


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"selection": {"points": [{"curve_number": 3, "point_index": 27, "customdata": "hypodermis"}]}}, "hypodermis"),
        ({"points": [{"customdata": "epidermis"}, {"customdata": "epidermis"}]}, "epidermis"),
        ({"selection": {"points": [{"customdata": ["muscle"]}]}}, "muscle"),
        ({"selection": {"points": []}}, None),
        ({"selection": {"points": [{"customdata": "epidermis"}, {"customdata": "muscle"}]}}, None),
        ({"selection": {"points": [{"customdata": "<script>"}]}}, None),
        ({"selection": {"points": ["junk", 3]}}, None),
        (None, None),
        ({}, None),
    ],
)
def test_layer_from_selection(selection, expected):
    assert layer_from_selection(selection) == expected
