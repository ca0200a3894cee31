"""The skin model file's schema: what ``assets/skin_model.yaml`` may say, validated with pydantic."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, model_validator

from course.content.models import Strict

Reliability = Literal["confirmed", "commonly-described", "not-verified"]


Method = Literal["hfus", "histology", "calculated", "clinical-observation"]


METHOD_SHORT = {
    "hfus": "HFUS",
    "histology": "histology",
    "calculated": "calculated",
    "clinical-observation": "clinical",
}


# Said in words, never by emoji alone (an emoji shows as a box without an emoji font).
RELIABILITY_MARK = {"confirmed": "", "commonly-described": " (weak source)", "not-verified": " (not verified)"}
RELIABILITY_WORDS = {"confirmed": "confirmed", "commonly-described": "weak source", "not-verified": "not verified"}


METHOD_LABEL = {
    "hfus": "high-frequency ultrasound",
    "histology": "histology",
    "calculated": "calculated",
    "clinical-observation": "clinical observation",
}


class Source(Strict):
    short: str
    cite: str
    url: str | None = None


class Amount(Strict):
    """A sourced figure: a value, a range, a mean with its SD, or only the source's words.

    ``drawn`` is the number a figure uses: the value, the mean, or the middle of a range.
    """

    what: str | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    sd: float | None = None
    text: str | None = None
    gauge: str | None = None
    method: Method | None = None
    sources: tuple[str, ...]
    reliability: Reliability = "confirmed"
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Amount:
        numbers = [n for n in (self.value, self.low, self.high, self.sd) if n is not None]
        if any(not math.isfinite(n) or n < 0 for n in numbers):
            raise ValueError("numbers must be finite and not negative")
        if self.value is not None and (self.low is not None or self.high is not None):
            raise ValueError("give either value or low/high, not both")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        if self.sd is not None and self.value is None:
            raise ValueError("sd needs a value (the mean)")
        if self.value is None and self.low is None and self.high is None and not self.text:
            raise ValueError("give a value, a low/high range or a text")
        return self

    @property
    def drawn(self) -> float | None:
        """The single number a to-scale figure uses (None when the source gives no number)."""
        if self.value is not None:
            return self.value
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return None

    def words(self, unit: str) -> str:
        """The source's own words when it gives some (``under 1 mm (epidermal nappage)``), else the numbers."""
        return self.text or self.label(unit)

    def label(self, unit: str) -> str:
        """The numbers, compactly: ``0.86 ± 0.16 mm``, ``2–4 mm``, ``up to 1 mm``; else the words."""
        unit = unit if unit == "°" else f" {unit}"
        if self.value is not None:
            sd = f" ± {_num(self.sd)}" if self.sd is not None else ""
            return f"{_num(self.value)}{sd}{unit}"
        if self.low is not None and self.high is not None:
            return f"{_num(self.low)}–{_num(self.high)}{unit}"
        if self.high is not None:
            return f"up to {_num(self.high)}{unit}"
        if self.low is not None:
            return f"at least {_num(self.low)}{unit}"
        return self.text or ""


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


class LayerDef(Strict):
    id: str
    label: str
    contents: str
    sources: tuple[str, ...]


class BandDef(Strict):
    id: str
    label: str
    layers: tuple[str, ...]


class RegionDef(Strict):
    id: str
    label: str
    population: str | None = None
    bands: dict[str, Amount] = Field(default_factory=dict)
    other: tuple[Amount, ...] = ()
    landmarks: tuple[Amount, ...] = ()
    no_profile: str | None = None
    no_profile_sources: tuple[str, ...] = ()
    layer_order: str | None = None
    layer_order_sources: tuple[str, ...] = ()


class MicheelsExample(Strict):
    angle: float
    lengths: tuple[float, ...]
    sources: tuple[str, ...]
    note: str


class DrillScoring(Strict):
    """How a drill scores a placement: by its distance to the target band's centre line.

    Both numbers are shares of the target band's thickness, measured from its centre line. A
    teaching choice (``basis`` says what it rests on), not a sourced clinical tolerance.
    """

    full_marks_within: float = Field(gt=0, le=0.5)
    zero_beyond: float = Field(gt=0)
    basis: str

    @model_validator(mode="after")
    def _zero_beyond_full_marks(self) -> DrillScoring:
        if self.zero_beyond <= self.full_marks_within:
            raise ValueError("zero_beyond must be larger than full_marks_within")
        return self


class General(Strict):
    diagram_region: str
    max_effective_depth: Amount
    needle_length: Amount
    sim_angle: Amount
    micheels_example: MicheelsExample
    drill_scoring: DrillScoring


class Target(Strict):
    text: str
    bands: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...]
    note: str | None = None


class Pattern(Strict):
    kind: Literal["rows", "grid", "points", "threads", "none"]
    note: str | None = None


class NeedleDrawing(Strict):
    angle: float = Field(ge=0, le=90)
    length: float = Field(gt=0)
    sources: tuple[str, ...]
    note: str


class ThreadDrawing(Strict):
    depth: float = Field(gt=0)
    length: float = Field(gt=0)
    sources: tuple[str, ...]


class Technique(Strict):
    id: str
    label: str
    also_called: str | None = None
    target: Target
    depth: tuple[Amount, ...] = ()
    angle: tuple[Amount, ...] = ()
    needle: tuple[Amount, ...] = ()
    volume: tuple[Amount, ...] = ()
    spacing: tuple[Amount, ...] = ()
    pattern: Pattern
    indications: str
    side_view: tuple[NeedleDrawing, ...] = ()
    side_view_note: str | None = None
    thread: ThreadDrawing | None = None

    @property
    def longest_needle_mm(self) -> float | None:
        """The longest needle the sources give for this technique (None if none is given)."""
        lengths = [n.high if n.high is not None else n.drawn for n in self.needle]
        known = [x for x in lengths if x is not None]
        return max(known) if known else None

    def claims(self) -> list[tuple[str, str, Amount]]:
        """Every sourced parameter as ``(parameter, unit, amount)``, for a "who says what" table."""
        groups = (
            ("Depth", "mm", self.depth),
            ("Angle", "°", self.angle),
            ("Needle", "mm", self.needle),
            ("Volume per point", "mL", self.volume),
            ("Spacing", "mm", self.spacing),
        )
        return [(name, unit, amount) for name, unit, amounts in groups for amount in amounts]

    @property
    def spacing_mm(self) -> float | None:
        """The spacing a top view is drawn at (the first sourced number)."""
        return next((s.drawn for s in self.spacing if s.drawn is not None), None)


class ProductDef(Strict):
    """A product class whose placement has its own sourced consequences."""

    id: str
    label: str


class Consequence(Strict):
    when: Literal[
        "on-target", "too-shallow", "too-deep", "in-hypodermis", "below-hypodermis", "deeper-than-max", "always"
    ]
    text: str
    sources: tuple[str, ...]
    reliability: Reliability = "confirmed"
    techniques: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    # only for these products; when the learner names no product, it is shown (its text says "if")
    products: tuple[str, ...] = ()


class Drill(Strict):
    technique: str
    region: str
    case: str | None = None

    @property
    def id(self) -> str:
        """Stable question id of the drill, stored with each attempt."""
        return f"drill-{self.technique}-{self.region}"


class SkinModelFile(Strict):
    version: int = Field(ge=1)
    # filled on load from the course bibliography (lessons/references.yaml), never in the file
    sources: dict[str, Source] = Field(default_factory=dict, exclude=True)
    layers: tuple[LayerDef, ...]
    bands: tuple[BandDef, ...]
    regions: tuple[RegionDef, ...]
    general: General
    techniques: tuple[Technique, ...]
    products: tuple[ProductDef, ...] = ()
    consequences: tuple[Consequence, ...]
    drills: tuple[Drill, ...]
