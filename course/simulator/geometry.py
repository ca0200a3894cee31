"""Needle geometry: tip depth from angle and length, the layer at a depth, and the verdict against a target band."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from course.errors import MesoError
from course.simulator.schema import Amount, Consequence, RegionDef, Technique


class SkinInputError(MesoError, ValueError):
    """A request the model cannot answer (bad angle, unknown region...); the message is for people."""


class MissingThickness(SkinInputError):
    """The region (or a layer in it) has no sourced thickness, so it cannot be drawn to scale."""

    def __init__(self, message: str, region: RegionDef | None = None) -> None:
        super().__init__(message)
        self.region = region


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

    @property
    def centre_mm(self) -> float | None:
        """The depth of the target's centre line; None when its bottom has no sourced figure."""
        bottom = self.bottom_mm
        return None if bottom is None else (self.top_mm + bottom) / 2

    @property
    def aim_mm(self) -> float:
        """Where to aim: the centre line, or the middle of the sourced bands of an open target."""
        if self.centre_mm is not None:
            return self.centre_mm
        known = [b for b in self.bands if b.bottom_mm is not None]
        bottom = known[-1].bottom_mm if known else None
        return (self.top_mm + bottom) / 2 if bottom is not None else self.top_mm


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


def _finite_number(value: object) -> bool:
    """True for a finite int or float: callers may pass anything a widget or a file produced."""
    return isinstance(value, int | float) and math.isfinite(value)


def check_angle(angle_deg: float) -> float:
    """The angle as a float, or :class:`SkinInputError` if it is not between 0° and 90°."""
    if not _finite_number(angle_deg):
        raise SkinInputError(f"The needle angle must be a number of degrees, not {angle_deg!r}.")
    if not 0 <= angle_deg <= 90:
        raise SkinInputError(
            f"The needle angle must be between 0° (flat along the skin) and 90° (perpendicular); got {angle_deg:g}°."
        )
    return float(angle_deg)


def check_length(length_mm: float, max_length_mm: float | None = None) -> float:
    """The inserted length as a float, or :class:`SkinInputError` if negative or too long."""
    if not _finite_number(length_mm):
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
    if not _finite_number(depth_mm) or depth_mm < 0:
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
