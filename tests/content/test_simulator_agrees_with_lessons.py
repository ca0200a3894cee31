"""The simulator scores every sourced depth as the techniques lesson describes it.

For each technique the course drills, in each region it is drilled in, every number a source
gives for its depth is placed in the simulator. Where the simulator says the tip misses the
target, the lesson's section on that technique must say so (the number is "below" the layer,
for that kind of skin); where it lands on target, the lesson must not warn about it. A change to
the skin model, the drills or the lesson that breaks the agreement fails here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from course.content.lessons import current_catalog
from course.simulator.geometry import Verdict, classify
from course.simulator.loading import load_skin_model
from course.simulator.model import SkinModel

# The lesson headings of each technique (lesson "techniques"), matched case-insensitively.
SECTION = {
    "intra-epidermal": "intra-epidermal",
    "papule": "papule",
    "nappage": "nappage",
    "point-by-point": "point by point",
    "linear-retrograde": "linear retrograde",
    "gun-assisted": "gun-assisted",
}
# How a lesson names the kind of skin a region belongs to.
SKIN = {
    "forehead": r"fac(e|ial)",
    "cheek": r"fac(e|ial)",
    "eyelid": r"fac(e|ial)",
    "jawline": r"fac(e|ial)",
    "neck": r"neck",
}
WARNS = r"\b(below|deeper than|too deep|under)\b"


@dataclass(frozen=True)
class Case:
    technique: str
    region: str
    depth_mm: float
    sources: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.technique}@{self.region}:{self.depth_mm:g}mm"


def _model() -> SkinModel:
    return load_skin_model()


def _cases() -> list[Case]:
    model = _model()
    cases = []
    for drill in model.data.drills:
        technique = model.technique(drill.technique)
        for claim in technique.depth:
            for depth in dict.fromkeys(x for x in (claim.value, claim.low, claim.high) if x is not None):
                cases.append(Case(drill.technique, drill.region, float(depth), tuple(claim.sources)))
    return cases


def _section(technique: str) -> str:
    lesson = next(lesson for lesson in current_catalog().lessons if lesson.id == "techniques")
    parts = re.split(r"^## ", lesson.body, flags=re.MULTILINE)
    wanted = SECTION[technique]
    found = [p for p in parts if p.lower().startswith(("the " + wanted, wanted))]
    assert found, f"lesson 'techniques' has no section on {wanted}"
    return found[0]


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", text.replace("\n", " "))


def test_there_is_a_sourced_depth_to_check_for_every_drilled_technique() -> None:
    drilled = {d.technique for d in _model().data.drills}
    checked = {c.technique for c in _cases()}
    # the gun's depth is "set on the device": no number to place
    assert drilled - checked <= {"gun-assisted"}, drilled - checked


@pytest.mark.parametrize("case", _cases(), ids=str)
def test_a_sourced_depth_scores_as_the_lesson_describes(case: Case) -> None:
    model = _model()
    target = model.target(model.profile(case.region), model.technique(case.technique))
    verdict, _ = classify(case.depth_mm, target)
    section = _sentences(_section(case.technique))
    skin = SKIN[case.region]
    warned = [s for s in section if re.search(WARNS, s, re.I) and re.search(skin, s, re.I)]
    if verdict is Verdict.ON_TARGET:
        number = f"{case.depth_mm:g}"
        contradicted = [s for s in warned if number in s]
        assert not contradicted, f"{case}: on target in the simulator, but the lesson warns: {contradicted}"
    else:
        assert warned, (
            f"{case}: the simulator scores {case.depth_mm:g} mm as {verdict.value} in the {case.region} "
            f"(target {target.label}, {target.top_mm:.2f}-{target.bottom_mm} mm), but the lesson's section on "
            f"{SECTION[case.technique]} never says that depth is below the layer for this skin"
        )


@pytest.mark.parametrize("drill", [f"{d.technique}@{d.region}" for d in load_skin_model().data.drills])
def test_the_middle_of_every_drilled_target_is_on_target(drill: str) -> None:
    """The simulator's target is the layer the lesson names: its middle always scores on target."""
    technique, region = drill.split("@")
    model = _model()
    target = model.target(model.profile(region), model.technique(technique))
    assert target.bottom_mm is not None
    middle = (target.top_mm + target.bottom_mm) / 2
    assert classify(middle, target)[0] is Verdict.ON_TARGET
    aim = model.technique(technique).target.text.lower()
    section = _section(technique).lower()
    named = {band.id for band in target.bands}
    assert any(word in section for word in named | {aim.split()[-1]}), (drill, aim)
