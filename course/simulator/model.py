"""The skin model: layers, thickness by region, injection techniques and needle geometry.

All numbers live in ``assets/skin_model.yaml``, each with its source (and, for thicknesses,
the measuring method); this module validates that file and computes with it. Nothing here
knows about Streamlit or Plotly, so the simulator's logic is tested as plain functions:

>>> from course.simulator.geometry import needle_depth
>>> from course.simulator.loading import load_skin_model
>>> round(needle_depth(30, 8), 2)     # Micheels 2016: 8 mm inserted at 30 degrees
4.0
>>> model = load_skin_model()
>>> placement = model.assess("forehead", "papule", angle_deg=10, length_mm=4)
>>> placement.verdict.value, placement.band.id
('on-target', 'dermis')

Two honest limits shape the model:

* The dermis is measured as one band. No source gives the papillary/reticular split for the
  regions drawn (one review's 0.3-0.4 mm is for skin in general), so the to-scale profile
  has one ``dermis`` band covering both layers (the schematic layer picker for quizzes
  is the only place they are drawn apart, and it says it is not to scale).
* A layer whose thickness has no sourced figure ends the profile: it is kept as an
  *open* band (its top is known, its bottom is not) and anything deeper is not drawn.
  A region without even an epidermis and a dermis figure has no profile at all
  (:class:`MissingThickness`), only its sourced landmarks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from course.simulator.geometry import (
    Band,
    MissingThickness,
    Placement,
    Profile,
    SkinInputError,
    TargetZone,
    Verdict,
    classify,
    layer_at_depth,
    needle_depth,
)
from course.simulator.schema import (
    Consequence,
    Drill,
    LayerDef,
    ProductDef,
    RegionDef,
    SkinModelFile,
    Source,
    Technique,
)

# --- the data file --------------------------------------------------------------------------


# --- what the model computes with -----------------------------------------------------------


# --- pure geometry --------------------------------------------------------------------------


Item = TypeVar("Item", LayerDef, RegionDef, Technique, Drill, ProductDef)


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

    def assess(
        self,
        region_id: str,
        technique_id: str,
        angle_deg: float,
        length_mm: float,
        *,
        product: str | None = None,
    ) -> Placement:
        """Place a needle and judge it: depth, band, verdict, distance and why it matters.

        ``product`` (a product id of the model) keeps only the product-specific consequences
        that concern it; without one, every product's consequence that applies is listed.
        """
        if product is not None:
            self.product(product)
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
            reasons=self.reasons(verdict, band, depth, technique.id, region_id, product=product),
            notes=tuple(notes),
        )

    def reasons(
        self,
        verdict: Verdict,
        band: Band | None,
        depth_mm: float,
        technique_id: str,
        region_id: str,
        *,
        product: str | None = None,
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
            and (not c.products or product is None or product in c.products)
        )

    def product(self, product_id: str) -> ProductDef:
        return _find(self.data.products, product_id, "product")

    def drill(self, drill_id: str) -> Drill:
        return _find(self.data.drills, drill_id, "drill")


# --- drills: a placement stored as an attempt of the "simulator" quiz --------------------------


# --- loading and checking -------------------------------------------------------------------
