"""Drill scores by distance to the target's centre line, the default needle per technique, the drawing's data."""

from __future__ import annotations

import math

import pytest

from course.simulator import figures
from course.simulator.geometry import Verdict
from course.simulator.loading import load_skin_model
from course.simulator.schema import DrillScoring
from course.simulator.scoring import default_placement, drill_score

MODEL = load_skin_model()
RULE = MODEL.data.general.drill_scoring
FOREHEAD_DERMIS = (0.0461, 0.9061)  # top and bottom (mm) in assets/skin_model.yaml


def at_depth(depth_mm: float, region: str = "forehead", technique: str = "papule"):
    return MODEL.assess(region, technique, 90, depth_mm)  # perpendicular: depth = inserted length


def test_the_rule_is_in_the_model_and_says_it_is_a_teaching_choice() -> None:
    assert (RULE.full_marks_within, RULE.zero_beyond) == (0.25, 1.0)
    assert "teaching choice" in RULE.basis and "not a sourced" in RULE.basis


def test_full_marks_only_near_the_centre_line_not_anywhere_in_the_band() -> None:
    top, bottom = FOREHEAD_DERMIS
    centre, thickness = (top + bottom) / 2, bottom - top
    assert drill_score(at_depth(centre), RULE).score == 1.0
    assert drill_score(at_depth(centre + 0.2), RULE).score == 1.0  # 0.2 mm off: within 0.215
    near_bottom = at_depth(0.9)
    assert near_bottom.verdict is Verdict.ON_TARGET  # inside the band, as the verdict says...
    score = drill_score(near_bottom, RULE)
    # ...but (0.424 - 0.215) / (0.86 - 0.215) of the way from full marks to none
    assert score.score == round(1 - (0.9 - centre - 0.25 * thickness) / (0.75 * thickness), 2) == 0.68
    assert math.isclose(score.off_centre_mm, 0.9 - centre) and math.isclose(score.full_marks_mm, 0.215)


def test_the_score_falls_to_zero_half_a_band_outside_it_and_is_symmetric() -> None:
    top, bottom = FOREHEAD_DERMIS
    centre, thickness = (top + bottom) / 2, bottom - top
    assert drill_score(at_depth(centre + thickness), RULE).score == 0.0
    assert drill_score(at_depth(centre + 0.99 * thickness), RULE).score > 0
    above = drill_score(at_depth(0.2), RULE).score
    below = drill_score(at_depth(2 * centre - 0.2), RULE).score
    assert 0 < above < 1 and above == below  # same distance either side, same score
    assert drill_score(MODEL.assess("forehead", "papule", 0, 4), RULE).score == 0.0  # on the surface


def test_a_wider_rule_scores_more_generously() -> None:
    lenient = DrillScoring(full_marks_within=0.5, zero_beyond=2.0, basis="test")
    placed = at_depth(0.9)
    assert drill_score(placed, lenient).score == 1.0 > drill_score(placed, RULE).score


def test_a_target_without_a_sourced_bottom_falls_back_to_the_verdict() -> None:
    placed = MODEL.assess("cheek", "point-by-point", 45, 2.0)  # dermis + hypodermis, hypodermis open
    assert placed.target.centre_mm is None
    score = drill_score(placed, RULE)
    assert score.centre_mm is None and score.score == placed.score == 1.0 and "no sourced bottom" in score.words


def test_the_rule_is_checked_on_load() -> None:
    with pytest.raises(ValueError, match="zero_beyond"):
        DrillScoring(full_marks_within=0.25, zero_beyond=0.2, basis="x")


@pytest.mark.parametrize("technique", MODEL.technique_ids)
def test_every_technique_starts_on_target_in_its_first_drilled_region(technique: str) -> None:
    angle, length = default_placement(MODEL, technique)
    region = next((d.region for d in MODEL.data.drills if d.technique == technique), "forehead")
    placed = MODEL.assess(region, technique, angle, length)
    assert placed.verdict is Verdict.ON_TARGET, (technique, angle, length, placed.depth_mm)
    assert angle == int(angle) and 1 <= angle <= 90 and length == round(length, 1) <= MODEL.max_length_mm


def test_default_placement_follows_the_sources_and_the_model() -> None:
    assert default_placement(MODEL, "nappage")[0] == 45  # its sourced angle (30-60°, drawn at 45°)
    assert default_placement(MODEL, "papule")[0] == 90  # perpendicular, as a source draws it
    assert default_placement(MODEL, "papule") != (45, 4.0)  # the old default was in the hypodermis
    for drill in MODEL.data.drills:  # every drilled region too
        placed = MODEL.assess(drill.region, drill.technique, *default_placement(MODEL, drill.technique, drill.region))
        assert placed.verdict is Verdict.ON_TARGET, drill.id


def test_the_drawing_data_hides_labels_and_target_in_drills() -> None:
    shown = figures.needle_scene("neck", "gun-assisted", MODEL, angle=8, length=3.9)
    hidden = figures.needle_scene("neck", "gun-assisted", MODEL, angle=8, length=3.9, reveal=False)
    assert shown["target"]["label"].startswith("TARGET") and all(b["label"] for b in shown["bands"])
    assert hidden["target"] is None and not any(b["label"] for b in hidden["bands"])
    text = str(hidden).lower()
    assert "gun" not in text and "dermis" not in text and "epidermis" not in text  # nothing names the layers
    profile = MODEL.profile("neck")
    assert [(b["top"], b["bottom"]) for b in hidden["bands"]] == [(b.top_mm, b.bottom_mm) for b in profile.bands]
    assert hidden["bands"][-1]["pattern"] == "/"  # the open hypodermis is hatched, as in the figures
