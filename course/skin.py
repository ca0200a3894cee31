"""The skin model: layers, thickness by region, injection techniques and needle geometry.

All numbers live in ``assets/skin_model.yaml``, each with its source (and, for thicknesses,
the measuring method); this module validates that file and computes with it. Nothing here
knows about Streamlit or Plotly, so the simulator's logic is tested as plain functions:

>>> round(needle_depth(30, 8), 2)     # Micheels 2016: 8 mm inserted at 30 degrees
4.0
>>> model = load_skin_model()
>>> placement = model.assess("forehead", "papule", angle_deg=10, length_mm=4)
>>> placement.verdict.value, placement.band.id
('on-target', 'dermis')

Two honest limits shape the model:

* The dermis is measured as one band. No source gives the papillary/reticular split, so the
  to-scale profile has one ``dermis`` band covering both layers (the schematic layer picker
  for quizzes is the only place they are drawn apart, and it says it is not to scale).
* A layer whose thickness has no sourced figure ends the profile: it is kept as an
  *open* band (its top is known, its bottom is not) and anything deeper is not drawn.
  A region without even an epidermis and a dermis figure has no profile at all
  (:class:`MissingThickness`), only its sourced landmarks.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from course.accounts.accounts import now_utc
from course.content.problems import ContentError, Problem
from course.content.yamlsource import LineMap, YamlSyntaxError, locate, parse_yaml, validate_model
from course.paths import ASSETS_DIR
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, RESPONSES

SKIN_MODEL_PATH = ASSETS_DIR / "skin_model.yaml"

Reliability = Literal["confirmed", "commonly-described", "not-verified"]
Method = Literal["hfus", "histology", "calculated", "clinical-observation"]
METHOD_SHORT = {
    "hfus": "HFUS",
    "histology": "histology",
    "calculated": "calculated",
    "clinical-observation": "clinical",
}
RELIABILITY_MARK = {"confirmed": "", "commonly-described": " ⚠️", "not-verified": " ❓"}
METHOD_LABEL = {
    "hfus": "high-frequency ultrasound",
    "histology": "histology",
    "calculated": "calculated",
    "clinical-observation": "clinical observation",
}


class SkinInputError(ValueError):
    """A request the model cannot answer (bad angle, unknown region...); the message is for people."""


class MissingThickness(SkinInputError):
    """The region (or a layer in it) has no sourced thickness, so it cannot be drawn to scale."""

    def __init__(self, message: str, region: RegionDef | None = None) -> None:
        super().__init__(message)
        self.region = region


# --- the data file --------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    short: str
    cite: str
    url: str | None = None


class Amount(_Strict):
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


class LayerDef(_Strict):
    id: str
    label: str
    contents: str
    sources: tuple[str, ...]


class BandDef(_Strict):
    id: str
    label: str
    layers: tuple[str, ...]


class RegionDef(_Strict):
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


class MicheelsExample(_Strict):
    angle: float
    lengths: tuple[float, ...]
    sources: tuple[str, ...]
    note: str


class General(_Strict):
    diagram_region: str
    max_effective_depth: Amount
    needle_length: Amount
    sim_angle: Amount
    micheels_example: MicheelsExample


class Target(_Strict):
    text: str
    bands: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...]
    note: str | None = None


class Pattern(_Strict):
    kind: Literal["rows", "grid", "points", "threads", "none"]
    note: str | None = None


class NeedleDrawing(_Strict):
    angle: float = Field(ge=0, le=90)
    length: float = Field(gt=0)
    sources: tuple[str, ...]
    note: str


class ThreadDrawing(_Strict):
    depth: float = Field(gt=0)
    length: float = Field(gt=0)
    sources: tuple[str, ...]


class Technique(_Strict):
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


class Consequence(_Strict):
    when: Literal[
        "on-target", "too-shallow", "too-deep", "in-hypodermis", "below-hypodermis", "deeper-than-max", "always"
    ]
    text: str
    sources: tuple[str, ...]
    reliability: Reliability = "confirmed"
    techniques: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


class Drill(_Strict):
    technique: str
    region: str
    case: str | None = None

    @property
    def id(self) -> str:
        """Stable question id of the drill, stored with each attempt."""
        return f"drill-{self.technique}-{self.region}"


class SkinModelFile(_Strict):
    version: int = Field(ge=1)
    sources: dict[str, Source]
    layers: tuple[LayerDef, ...]
    bands: tuple[BandDef, ...]
    regions: tuple[RegionDef, ...]
    general: General
    techniques: tuple[Technique, ...]
    consequences: tuple[Consequence, ...]
    drills: tuple[Drill, ...]


# --- what the model computes with -----------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """One measured band of a region, ``top_mm`` to ``bottom_mm`` below the surface.

    ``bottom_mm`` is None for an open band: its thickness has no sourced figure. A depth
    exactly on a boundary belongs to the upper band (the tip has not crossed it yet).
    """

    id: str
    label: str
    layers: tuple[str, ...]
    top_mm: float
    bottom_mm: float | None
    measurement: Amount | None

    @property
    def thickness_mm(self) -> float | None:
        return None if self.bottom_mm is None else self.bottom_mm - self.top_mm

    def contains(self, depth_mm: float) -> bool:
        above_bottom = self.bottom_mm is None or depth_mm <= self.bottom_mm
        return above_bottom and (depth_mm > self.top_mm or (self.top_mm == 0 and depth_mm == 0))


@dataclass(frozen=True)
class Profile:
    """A region's bands from the surface down, to scale; the last one may be open."""

    region: RegionDef
    bands: tuple[Band, ...]

    @property
    def known_depth_mm(self) -> float:
        """Depth down to which every band is sourced (the top of an open band, if any)."""
        last = self.bands[-1]
        return last.bottom_mm if last.bottom_mm is not None else last.top_mm

    @property
    def open_band(self) -> Band | None:
        return self.bands[-1] if self.bands[-1].bottom_mm is None else None

    def band(self, band_id: str) -> Band | None:
        return next((b for b in self.bands if b.id == band_id), None)


@dataclass(frozen=True)
class TargetZone:
    """The depth interval a technique aims at in one region: (top, bottom], bottom None = open."""

    technique: Technique
    bands: tuple[Band, ...]

    @property
    def top_mm(self) -> float:
        return self.bands[0].top_mm

    @property
    def bottom_mm(self) -> float | None:
        return self.bands[-1].bottom_mm

    @property
    def yardstick_mm(self) -> float:
        """The sourced thickness of the target: missing by this much scores nothing."""
        return sum(b.thickness_mm or 0.0 for b in self.bands)

    @property
    def label(self) -> str:
        return " + ".join(b.label.lower() for b in self.bands)


class Verdict(StrEnum):
    ON_TARGET = "on-target"
    TOO_SHALLOW = "too-shallow"
    TOO_DEEP = "too-deep"


@dataclass(frozen=True)
class Placement:
    """Where a needle tip ends up and how that compares with a technique's target."""

    region: RegionDef
    technique: Technique
    angle_deg: float
    length_mm: float
    depth_mm: float
    band: Band | None  # None: the tip is on the surface (angle or length 0)
    target: TargetZone
    verdict: Verdict
    distance_mm: float
    reasons: tuple[Consequence, ...]
    notes: tuple[str, ...]

    @property
    def in_skin(self) -> bool:
        return self.band is not None

    @property
    def score(self) -> float:
        """1 on target; otherwise 1 minus the miss as a share of the target's thickness, floor 0.

        The target's own sourced thickness is the yardstick, so no tolerance is invented:
        missing a 0.2 mm epidermis by 0.2 mm scores as badly as missing a 0.9 mm dermis by 0.9 mm.
        """
        if self.verdict is Verdict.ON_TARGET:
            return 1.0
        if not self.in_skin or self.target.yardstick_mm <= 0:
            return 0.0
        return round(max(0.0, 1.0 - self.distance_mm / self.target.yardstick_mm), 2)

    @property
    def headline(self) -> str:
        """The verdict in plain words: ``Too deep by 1.20 mm — you are in the hypodermis.``"""
        if self.band is None:
            return "Too shallow — the needle has not entered the skin."
        where = f"in the {self.band.label.lower()}"
        if self.verdict is Verdict.ON_TARGET:
            return f"On target — you are {where}."
        kind = "Too shallow" if self.verdict is Verdict.TOO_SHALLOW else "Too deep"
        return f"{kind} by {self.distance_mm:.2f} mm — you are {where}."

    @property
    def explanation(self) -> str:
        aim = self.technique.target.text.lower()
        zone = _zone_text(self.target)
        return (
            f"The tip is {self.depth_mm:.2f} mm below the surface (sin {self.angle_deg:g}° × {self.length_mm:g} mm). "
            f"The {self.technique.label.lower()} technique aims at the {aim}: here the {self.target.label}, {zone}."
        )


def _zone_text(target: TargetZone) -> str:
    if target.bottom_mm is None:
        return f"from {target.top_mm:.2f} mm down (the bottom has no sourced figure)"
    return f"{target.top_mm:.2f}–{target.bottom_mm:.2f} mm deep"


# --- pure geometry --------------------------------------------------------------------------


def check_angle(angle_deg: float) -> float:
    """The angle as a float, or :class:`SkinInputError` if it is not between 0° and 90°."""
    if not isinstance(angle_deg, int | float) or not math.isfinite(angle_deg):
        raise SkinInputError(f"The needle angle must be a number of degrees, not {angle_deg!r}.")
    if not 0 <= angle_deg <= 90:
        raise SkinInputError(
            f"The needle angle must be between 0° (flat along the skin) and 90° (perpendicular); got {angle_deg:g}°."
        )
    return float(angle_deg)


def check_length(length_mm: float, max_length_mm: float | None = None) -> float:
    """The inserted length as a float, or :class:`SkinInputError` if negative or too long."""
    if not isinstance(length_mm, int | float) or not math.isfinite(length_mm):
        raise SkinInputError(f"The inserted length must be a number of millimetres, not {length_mm!r}.")
    if length_mm < 0:
        raise SkinInputError(f"The inserted length cannot be negative; got {length_mm:g} mm.")
    if max_length_mm is not None and length_mm > max_length_mm:
        raise SkinInputError(
            f"{length_mm:g} mm is longer than the longest mesotherapy needle in the sources "
            f"({max_length_mm:g} mm); choose 0–{max_length_mm:g} mm."
        )
    return float(length_mm)


def needle_depth(angle_deg: float, length_mm: float, max_length_mm: float | None = None) -> float:
    """Vertical depth of the tip: ``sin(angle) × inserted length`` (Micheels 2016).

    >>> round(needle_depth(30, 5), 2), needle_depth(90, 4), needle_depth(0, 13)
    (2.5, 4.0, 0.0)
    """
    angle = check_angle(angle_deg)
    length = check_length(length_mm, max_length_mm)
    if angle == 90:
        return length  # avoid sin(pi/2) rounding: a perpendicular needle goes straight down
    return math.sin(math.radians(angle)) * length


def horizontal_reach(angle_deg: float, length_mm: float) -> float:
    """How far along the skin the tip travels: ``cos(angle) × inserted length``."""
    angle = check_angle(angle_deg)
    return 0.0 if angle == 90 else math.cos(math.radians(angle)) * check_length(length_mm)


def layer_at_depth(profile: Profile, depth_mm: float) -> Band:
    """The band holding a depth. Every depth from 0 down maps to exactly one band.

    Boundaries belong to the upper band; depths below the last sourced boundary belong to
    the open band. A profile with no open band raises for depths below its bottom.
    """
    if not isinstance(depth_mm, int | float) or not math.isfinite(depth_mm) or depth_mm < 0:
        raise SkinInputError(f"A depth must be a number of millimetres, 0 or more; got {depth_mm!r}.")
    for band in profile.bands:
        if band.contains(depth_mm):
            return band
    raise SkinInputError(
        f"{depth_mm:g} mm is below the deepest sourced layer of the {profile.region.label.lower()} "
        f"({profile.known_depth_mm:g} mm)."
    )


def classify(depth_mm: float, target: TargetZone) -> tuple[Verdict, float]:
    """Compare a depth with a target zone: the verdict and how many mm off it is."""
    if depth_mm <= target.top_mm and not (target.top_mm == 0 and depth_mm > 0):
        return Verdict.TOO_SHALLOW, target.top_mm - depth_mm
    if target.bottom_mm is not None and depth_mm > target.bottom_mm:
        return Verdict.TOO_DEEP, depth_mm - target.bottom_mm
    return Verdict.ON_TARGET, 0.0


Item = TypeVar("Item", LayerDef, RegionDef, Technique, Drill)


def _find(items: Iterable[Item], item_id: str, kind: str) -> Item:
    """The item with this id, or :class:`SkinInputError` listing the known ids."""
    items = tuple(items)
    for item in items:
        if item.id == item_id:
            return item
    known = ", ".join(item.id for item in items)
    raise SkinInputError(f"Unknown {kind} '{item_id}'. Known {kind}s: {known}.")


# --- the loaded model -----------------------------------------------------------------------


@dataclass(frozen=True)
class SkinModel:
    """The validated data file plus the lookups and computations the pages need."""

    data: SkinModelFile
    path: Path

    @property
    def version(self) -> int:
        return self.data.version

    @property
    def region_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.data.regions)

    @property
    def technique_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.data.techniques)

    @property
    def max_length_mm(self) -> float:
        """The longest needle in the sources: inserted lengths beyond it are refused."""
        amount = self.data.general.needle_length
        return float(amount.high if amount.high is not None else amount.drawn or 0)

    def source(self, source_id: str) -> Source:
        return self.data.sources[source_id]

    def short_cite(self, source_ids: Iterable[str]) -> str:
        """Short names for figure labels: ``Meng 2022; Iyengar 2018``."""
        return "; ".join(self.data.sources[s].short for s in source_ids)

    def cite(self, source_ids: Iterable[str]) -> str:
        """Short citations for a list of source ids: ``Meng et al., BMC ...; Iyengar ...``."""
        return "; ".join(self.data.sources[s].cite for s in source_ids)

    def layer(self, layer_id: str) -> LayerDef:
        return _find(self.data.layers, layer_id, "layer")

    @property
    def layer_ids(self) -> tuple[str, ...]:
        return tuple(layer.id for layer in self.data.layers)

    def region(self, region_id: str) -> RegionDef:
        return _find(self.data.regions, region_id, "body region")

    def technique(self, technique_id: str) -> Technique:
        return _find(self.data.techniques, technique_id, "technique")

    def has_profile(self, region_id: str) -> bool:
        try:
            self.profile(region_id)
        except MissingThickness:
            return False
        return True

    def profile(self, region_id: str) -> Profile:
        """The region's to-scale bands, or :class:`MissingThickness` saying what is not sourced."""
        region = self.region(region_id)
        bands: list[Band] = []
        top = 0.0
        for band_def in self.data.bands:
            amount = region.bands.get(band_def.id)
            drawn = amount.drawn if amount is not None else None
            if drawn is None:
                if bands:  # the first unsourced band stays open; nothing below it can be placed
                    bands.append(Band(band_def.id, band_def.label, band_def.layers, top, None, None))
                break
            bottom = round(top + drawn, 6)  # keep 0.195 + 0.86 from printing as 1.0549999
            bands.append(Band(band_def.id, band_def.label, band_def.layers, top, bottom, amount))
            top = bottom
        if len(bands) < 2 or bands[1].bottom_mm is None:
            reason = region.no_profile or f"The {region.label.lower()} has no sourced epidermis and dermis thickness."
            raise MissingThickness(reason, region)
        return Profile(region, tuple(bands))

    def target(self, profile: Profile, technique: Technique) -> TargetZone:
        """The bands a technique aims at in this region (they must all be placed)."""
        bands = []
        for band_id in technique.target.bands:
            band = profile.band(band_id)
            if band is None:
                raise MissingThickness(
                    f"The {technique.label.lower()} technique aims at the {band_id}, but the "
                    f"{profile.region.label.lower()} has no sourced thickness for the layers above it.",
                    profile.region,
                )
            bands.append(band)
        return TargetZone(technique, tuple(bands))

    def assess(self, region_id: str, technique_id: str, angle_deg: float, length_mm: float) -> Placement:
        """Place a needle and judge it: depth, band, verdict, distance and why it matters."""
        profile = self.profile(region_id)
        technique = self.technique(technique_id)
        depth = needle_depth(angle_deg, length_mm, self.max_length_mm)
        target = self.target(profile, technique)
        band = layer_at_depth(profile, depth) if depth > 0 else None
        if band is None:
            verdict, distance = Verdict.TOO_SHALLOW, target.top_mm
        else:
            verdict, distance = classify(depth, target)
        notes = []
        longest = technique.longest_needle_mm
        if longest is not None and length_mm > longest:
            notes.append(
                f"You inserted {length_mm:g} mm: longer than the longest needle the sources give for "
                f"{technique.label.lower()} ({longest:g} mm)."
            )
        if band is None:
            notes.append("The tip is on the skin surface: at 0° or 0 mm the needle has not entered the skin.")
        if band is not None and band.bottom_mm is None:
            notes.append(
                f"The {band.label.lower()} here has no sourced thickness, so the figure cannot show how close "
                "you are to the next layer."
            )
        return Placement(
            region=profile.region,
            technique=technique,
            angle_deg=float(angle_deg),
            length_mm=float(length_mm),
            depth_mm=depth,
            band=band,
            target=target,
            verdict=verdict,
            distance_mm=distance,
            reasons=self.reasons(verdict, band, depth, technique.id, region_id),
            notes=tuple(notes),
        )

    def reasons(
        self, verdict: Verdict, band: Band | None, depth_mm: float, technique_id: str, region_id: str
    ) -> tuple[Consequence, ...]:
        """The sourced "why it matters" statements that apply to a placement."""
        max_depth = self.data.general.max_effective_depth.drawn or math.inf
        applies = {
            "always": True,
            "on-target": verdict is Verdict.ON_TARGET,
            "too-shallow": verdict is Verdict.TOO_SHALLOW,
            "too-deep": verdict is Verdict.TOO_DEEP,
            "in-hypodermis": verdict is Verdict.TOO_DEEP and band is not None and band.id == "hypodermis",
            "below-hypodermis": band is not None and band.id == "muscle",
            "deeper-than-max": depth_mm > max_depth,
        }
        return tuple(
            c
            for c in self.data.consequences
            if applies[c.when]
            and (not c.techniques or technique_id in c.techniques)
            and (not c.regions or region_id in c.regions)
        )

    def drill(self, drill_id: str) -> Drill:
        return _find(self.data.drills, drill_id, "drill")


# --- drills: a placement stored as an attempt of the "simulator" quiz --------------------------

SIMULATOR_QUIZ = "simulator"


def drill_rows(
    placement: Placement, drill: Drill, *, learner: str, started: str, submitted: str, version: int, attempt_id: str
) -> tuple[dict[str, object], dict[str, object]]:
    """The ``attempts.csv`` and ``responses.csv`` rows of one drill (same layout as quiz attempts).

    The answer is compact JSON, so the tutor's results can show the angle, length, depth,
    distance and layer of each placement without another table.
    """
    score = placement.score
    passed = "true" if placement.verdict is Verdict.ON_TARGET else "false"
    answer = {
        "technique": drill.technique,
        "region": drill.region,
        "angle": round(placement.angle_deg, 2),
        "length_mm": round(placement.length_mm, 2),
        "depth_mm": round(placement.depth_mm, 3),
        "distance_mm": round(placement.distance_mm, 3),
        "layer": placement.band.id if placement.band else "surface",
        "verdict": placement.verdict.value,
    }
    attempt = {
        "attempt_id": attempt_id,
        "learner": learner,
        "quiz": SIMULATOR_QUIZ,
        "started": started,
        "submitted": submitted,
        "score": score,
        "max_score": 1,
        "percentage": round(score * 100, 2),
        "passed": passed,
        "bank_version": f"skin-model-{version}",
        "outcome": "submitted",
    }
    response = {
        "attempt_id": attempt_id,
        "question_id": drill.id,
        "answer": json.dumps(answer, separators=(",", ":"), sort_keys=True),
        "correct": passed,
        "points": score,
        "max_points": 1,
    }
    return attempt, response


def record_drill(store: Store, placement: Placement, drill: Drill, *, learner: str, started: str, version: int) -> str:
    """Append a drill's attempt and response rows in one locked write; return the attempt id."""
    attempt_id = uuid.uuid4().hex
    attempt, response = drill_rows(
        placement, drill, learner=learner, started=started, submitted=now_utc(), version=version, attempt_id=attempt_id
    )
    store.append_many([(ATTEMPTS, [attempt]), (RESPONSES, [response])])
    return attempt_id


# --- loading and checking -------------------------------------------------------------------


def _reference_problems(data: SkinModelFile, path: Path, lines: LineMap) -> list[Problem]:
    """Ids that point nowhere (a source, band, layer, region or technique) with their lines."""
    problems: list[Problem] = []

    def report(loc: tuple[str | int, ...], message: str) -> None:
        where, line = locate(loc, lines)
        problems.append(Problem(path, line, f"{where}: {message}"))

    def check_sources(loc: tuple[str | int, ...], ids: Iterable[str]) -> None:
        for source_id in ids:
            if source_id not in data.sources:
                report(loc, f"unknown source '{source_id}' (add it under sources)")

    raw = data.model_dump()
    _walk_sources(raw, (), check_sources)
    layer_ids = {layer.id for layer in data.layers}
    band_ids = [band.id for band in data.bands]
    for i, band in enumerate(data.bands):
        for layer_id in band.layers:
            if layer_id not in layer_ids:
                report(("bands", i, "layers"), f"unknown layer '{layer_id}'")
    for i, region in enumerate(data.regions):
        for band_id in region.bands:
            if band_id not in band_ids:
                report(("regions", i, "bands", band_id), f"unknown band '{band_id}' (known: {', '.join(band_ids)})")
        if not region.bands and not region.no_profile:
            report(("regions", i), "a region without thicknesses needs a no_profile explanation")
    technique_ids = {t.id for t in data.techniques}
    region_ids = {r.id for r in data.regions}
    for i, technique in enumerate(data.techniques):
        for band_id in technique.target.bands:
            if band_id not in band_ids:
                report(("techniques", i, "target", "bands"), f"unknown band '{band_id}'")
    for i, drill in enumerate(data.drills):
        if drill.technique not in technique_ids:
            report(("drills", i, "technique"), f"unknown technique '{drill.technique}'")
        if drill.region not in region_ids:
            report(("drills", i, "region"), f"unknown region '{drill.region}'")
    for i, consequence in enumerate(data.consequences):
        for technique_id in consequence.techniques:
            if technique_id not in technique_ids:
                report(("consequences", i, "techniques"), f"unknown technique '{technique_id}'")
    for kind, ids in (("region", [r.id for r in data.regions]), ("technique", [t.id for t in data.techniques])):
        duplicates = sorted({x for x in ids if ids.count(x) > 1})
        if duplicates:
            report((kind + "s",), f"duplicate {kind} id(s): {', '.join(duplicates)}")
    return problems


SourceCheck = Callable[[tuple[str | int, ...], Iterable[str]], None]


def _walk_sources(node: object, loc: tuple[str | int, ...], check: SourceCheck) -> None:
    """Call ``check(loc, ids)`` for every ``sources`` list below ``node`` (except the registry)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "sources" and isinstance(value, list | tuple):
                check((*loc, key), value)
            elif not (loc == () and key == "sources"):
                _walk_sources(value, (*loc, key), check)
    elif isinstance(node, list | tuple):
        for index, item in enumerate(node):
            _walk_sources(item, (*loc, index), check)


def _profile_problems(model: SkinModel, lines: LineMap) -> list[Problem]:
    """Drills must be playable: a to-scale region and a target that can be placed in it."""
    problems = []
    try:
        model.profile(model.data.general.diagram_region)
    except SkinInputError as exc:
        where, line = locate(("general", "diagram_region"), lines)
        problems.append(Problem(model.path, line, f"{where}: technique diagrams need a to-scale region: {exc}"))
    for i, drill in enumerate(model.data.drills):
        try:
            model.target(model.profile(drill.region), model.technique(drill.technique))
        except SkinInputError as exc:
            where, line = locate(("drills", i), lines)
            problems.append(Problem(model.path, line, f"{where}: this drill cannot be scored: {exc}"))
    return problems


def read_skin_model(path: Path | None = None) -> tuple[SkinModel | None, list[Problem]]:
    """Parse and validate the data file; return the model or every problem found."""
    path = Path(path or SKIN_MODEL_PATH)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(path, None, f"cannot read the skin model: {exc}")]
    try:
        raw, lines = parse_yaml(text, path)
    except YamlSyntaxError as exc:
        return None, [exc.problem]
    data, problems = validate_model(SkinModelFile, raw, path, lines)
    if data is None:
        return None, problems
    problems = _reference_problems(data, path, lines)
    if problems:
        return None, problems
    model = SkinModel(data, path)
    problems = _profile_problems(model, lines)
    return (None, problems) if problems else (model, [])


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int, size: int) -> SkinModel:
    model, problems = read_skin_model(Path(path))
    if model is None:
        raise ContentError(problems)
    return model


def load_skin_model(path: Path | None = None) -> SkinModel:
    """The skin model, reloaded when its file changes; :class:`ContentError` if it is invalid."""
    path = Path(path or SKIN_MODEL_PATH)
    try:
        stat = path.stat()
    except OSError as exc:
        raise ContentError([Problem(path, None, f"cannot read the skin model: {exc}")]) from exc
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


def layer_choices(region: str, model: SkinModel | None = None) -> list[tuple[str, str]]:
    """The layers a learner can pick in ``region``, as ``(layer_id, label)`` pairs, top down.

    The keyboard alternative to the clickable picker; an unknown region raises
    :class:`SkinInputError` (a ``ValueError``) naming the known ones.

    >>> layer_choices("forehead")[0]
    ('epidermis', 'Epidermis')
    """
    model = model or load_skin_model()
    model.region(region)
    return [(layer.id, layer.label) for layer in model.data.layers]


def skin_model_problems() -> list[Problem]:
    """Every problem of the skin model file (for ``python -m course check``)."""
    return read_skin_model()[1]
