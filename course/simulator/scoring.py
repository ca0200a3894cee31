"""Where to aim and how close a drill came: the drill score and a technique's default needle.

Pure functions of the skin model. The server computes both; the browser only draws the needle.

>>> from course.simulator.loading import load_skin_model
>>> model = load_skin_model()
>>> angle, length = default_placement(model, "papule")
>>> model.assess("forehead", "papule", angle, length).verdict.value
'on-target'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from course.simulator.geometry import MissingThickness, Placement, TargetZone, Verdict, needle_depth
from course.simulator.model import SkinModel
from course.simulator.schema import DrillScoring

ANGLE_STEP, LENGTH_STEP = 1, 0.1  # the simulator's controls: whole degrees, tenths of a millimetre


@dataclass(frozen=True)
class DrillScore:
    """A drill's score (0-1) and what it was measured against, in millimetres.

    ``centre_mm`` is None for a target whose bottom has no sourced figure: such a target has
    no centre line, so the score is the verdict's (1 inside it, falling off outside).
    """

    score: float
    centre_mm: float | None
    off_centre_mm: float | None
    full_marks_mm: float | None
    zero_mm: float | None

    @property
    def words(self) -> str:
        """``0.12 mm from the centre line of the target (full marks within 0.11 mm)``."""
        if self.centre_mm is None or self.off_centre_mm is None or self.full_marks_mm is None:
            return "the target has no sourced bottom, so the score is the verdict's"
        return (
            f"{self.off_centre_mm:.2f} mm from the target's centre line "
            f"(full marks within {self.full_marks_mm:.2f} mm of it)"
        )


def drill_score(placement: Placement, scoring: DrillScoring) -> DrillScore:
    """Score a placement by its distance to the target band's centre line.

    Full marks within ``full_marks_within`` × the band's thickness of the centre line, nothing
    beyond ``zero_beyond`` × that thickness, linear in between (both from the skin model's
    ``drill_scoring``, a teaching choice). A tip on the surface scores nothing.

    >>> from course.simulator.loading import load_skin_model
    >>> model = load_skin_model()
    >>> rule = model.data.general.drill_scoring
    >>> centre = model.assess("forehead", "papule", 90, 0.476)  # forehead dermis: 0.046-0.906 mm
    >>> drill_score(centre, rule).score
    1.0
    >>> edge = model.assess("forehead", "papule", 90, 0.9)  # inside the band, near its bottom
    >>> edge.verdict.value, drill_score(edge, rule).score
    ('on-target', 0.68)
    """
    target = placement.target
    centre = target.centre_mm
    if centre is None:
        return DrillScore(placement.score, None, None, None, None)
    thickness = (target.bottom_mm or 0.0) - target.top_mm
    full, zero = scoring.full_marks_within * thickness, scoring.zero_beyond * thickness
    off = abs(placement.depth_mm - centre)
    if not placement.in_skin:
        score = 0.0
    elif off <= full:
        score = 1.0
    else:
        score = round(max(0.0, 1.0 - (off - full) / (zero - full)), 2)
    return DrillScore(score, centre, off, full, zero)


def default_placement(model: SkinModel, technique_id: str, region_id: str | None = None) -> tuple[float, float]:
    """An angle (whole degrees) and inserted length (tenths of a mm) that land on the technique's aim.

    The region is ``region_id``, else the technique's first drilled region, else the first
    region with a to-scale profile. The angle is the technique's first sourced angle in
    degrees; where the sources give none in numbers, the angle at which the technique's first
    sourced needle length, fully inserted, reaches the aim (at least 1°). The length then
    brings the tip to the target's centre line (or the middle of its sourced part), within
    the longest needle; the result is checked against the target and steepened if it misses.
    """
    technique = model.technique(technique_id)
    regions = [region_id] if region_id else []
    regions += [d.region for d in model.data.drills if d.technique == technique_id]
    regions += [r for r in model.region_ids if model.has_profile(r)]
    target: TargetZone | None = None
    region = ""
    for region in regions:
        try:
            target = model.target(model.profile(region), technique)
        except MissingThickness:
            continue
        break
    if target is None:
        raise MissingThickness(f"No region has a sourced profile for the {technique.label.lower()} technique.")
    aim = target.aim_mm
    sourced_angle = next((a.drawn for a in technique.angle if a.drawn is not None), None)
    if sourced_angle is not None:
        angle = round(sourced_angle)
    else:
        needle = next((n.drawn for n in technique.needle if n.drawn is not None), model.max_length_mm)
        angle = round(math.degrees(math.asin(min(1.0, aim / needle))))
    angle = max(1, min(90, angle))
    for candidate in range(angle, 91):
        length = _length_for(aim, candidate, model.max_length_mm)
        placement = model.assess(region, technique_id, candidate, length)
        if placement.verdict is Verdict.ON_TARGET:
            return float(candidate), length
    return float(angle), _length_for(aim, angle, model.max_length_mm)


def _length_for(aim_mm: float, angle: float, longest: float) -> float:
    """The inserted length, in tenths of a mm, that brings the tip nearest ``aim_mm`` at ``angle``."""
    exact = aim_mm / needle_depth(angle, 1.0)
    return min(longest, round(max(LENGTH_STEP, round(exact / LENGTH_STEP) * LENGTH_STEP), 1))
