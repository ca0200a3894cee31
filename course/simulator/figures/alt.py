"""Text alternatives of the figures (``*_alt``), from the same data as the pictures.

A picture and its description are generated from the skin model separately, so they cannot
drift apart; these need no Plotly.
"""

from __future__ import annotations

from collections.abc import Sequence

from course.simulator.geometry import Band, MissingThickness, Placement, Profile, needle_depth
from course.simulator.loading import layer_choices, load_skin_model
from course.simulator.model import SkinModel
from course.simulator.schema import METHOD_LABEL, RELIABILITY_MARK, Amount


def _sourced(amount: Amount, unit: str, model: SkinModel) -> str:
    """``0.86 ± 0.16 mm (high-frequency ultrasound; Meng 2022; female dermis)``."""
    details = [METHOD_LABEL[amount.method]] if amount.method else []
    if amount.sources:
        details.append(model.short_cite(amount.sources) + RELIABILITY_MARK[amount.reliability])
    if amount.note:
        details.append(amount.note)
    return f"{amount.words(unit)} ({'; '.join(details)})" if details else amount.words(unit)


def _layer_names(band: Band, model: SkinModel) -> str:
    names = [model.layer(layer_id).label.lower() for layer_id in band.layers]
    if len(names) == 1:
        return names[0]
    split = f"{' above, '.join(names)} below; no source gives their split, so they are measured together"
    return f"{band.label.lower()} ({split})"


def _profile_alt(profile: Profile, model: SkinModel) -> str:
    parts = []
    for band in profile.bands:
        name = _layer_names(band, model)
        if band.measurement is None:
            parts.append(f"{name} from {band.top_mm:.2f} mm down, thickness: no sourced figure")
        else:
            parts.append(
                f"{name} {_sourced(band.measurement, 'mm', model)}, from {band.top_mm:.2f} to {band.bottom_mm:.2f} mm"
            )
    drawn_layers = {layer for band in profile.bands for layer in band.layers}
    missing = [layer.label.lower() for layer in model.data.layers if layer.id not in drawn_layers]
    text = f"Cross-section of the skin of the {profile.region.label.lower()}, drawn to scale (depth in mm). "
    text += "From the surface down: " + "; ".join(parts) + "."
    if missing:
        text += f" Below lie the {' and '.join(missing)}: not drawn, because the layer above has no sourced thickness."
    limit = model.data.general.max_effective_depth
    text += (
        f" A dash-dot line marks {limit.drawn:g} mm, the deepest effective injection "
        f"({model.short_cite(limit.sources)})."
    )
    if profile.region.other:
        others = "; ".join(f"{m.what}: {_sourced(m, 'mm', model)}" for m in profile.region.other)
        text += f" Other measurements of this region: {others}."
    return text


def _landmark_alt(region: str, model: SkinModel) -> str:
    info = model.region(region)
    text = f"{info.label}: {info.no_profile or 'no sourced layer thickness.'}"
    if info.no_profile_sources:
        text += f" ({model.short_cite(info.no_profile_sources)})"
    if info.layer_order:
        text += f" Layer order: {info.layer_order.rstrip('.')} ({model.short_cite(info.layer_order_sources)})."
    if info.landmarks:
        text += " Sourced depths: " + "; ".join(f"{m.what}: {_sourced(m, 'mm', model)}" for m in info.landmarks) + "."
    return text


def skin_layers_alt(region: str, model: SkinModel | None = None) -> str:
    """Text alternative of :func:`skin_layers_figure`: every layer, its thickness, method and source."""
    model = model or load_skin_model()
    try:
        return _profile_alt(model.profile(region), model)
    except MissingThickness:
        return _landmark_alt(region, model)


def placement_alt(placement: Placement, model: SkinModel | None = None) -> str:
    """Text alternative of the simulator's cross-section: layers, target band, needle and verdict."""
    model = model or load_skin_model()
    profile = model.profile(placement.region.id)
    target = placement.target
    bottom = "the bottom of the drawing" if target.bottom_mm is None else f"{target.bottom_mm:.2f} mm"
    return (
        f"{_profile_alt(profile, model)} Target of the {placement.technique.label.lower()} technique "
        f"({placement.technique.target.text.lower()}): the {target.label}, {target.top_mm:.2f} to {bottom}"
        f", outlined with a dashed border. Needle at {placement.angle_deg:g}° inserted {placement.length_mm:g} mm: "
        f"{placement.explanation} {placement.headline}"
    )


def _claims(title: str, amounts: Sequence[Amount], unit: str, model: SkinModel) -> str:
    if not amounts:
        return f"{title}: no sourced figure."
    return f"{title}: " + "; ".join(_sourced(a, unit, model) for a in amounts) + "."


def technique_side_alt(technique: str, model: SkinModel | None = None) -> str:
    """Text alternative of :func:`technique_side_figure`."""
    model = model or load_skin_model()
    tech = model.technique(technique)
    profile = model.profile(model.data.general.diagram_region)
    target = model.target(profile, tech)
    bottom = "down (no sourced bottom)" if target.bottom_mm is None else f"to {target.bottom_mm:.2f} mm"
    text = (
        f"Side view of the {tech.label.lower()} technique on the {profile.region.label.lower()}, to scale. "
        f"Target: {tech.target.text.lower()} ({model.short_cite(tech.target.sources)}); on the "
        f"{profile.region.label.lower()} that is the {target.label}, from {target.top_mm:.2f} mm {bottom}, "
        "outlined with a dashed border. "
    )
    for drawing in tech.side_view:
        depth = needle_depth(drawing.angle, drawing.length)
        text += (
            f"Needle drawn at {drawing.angle:g}° with {drawing.length:g} mm inserted, reaching {depth:.2f} mm "
            f"({model.short_cite(drawing.sources)}: {drawing.note}). "
        )
    if tech.thread is not None:
        text += (
            f"A {tech.thread.length:g} mm thread is drawn at {tech.thread.depth:g} mm depth, with an arrow for the "
            f"withdrawal ({model.short_cite(tech.thread.sources)}). "
        )
    if tech.side_view_note:
        text += tech.side_view_note + " "
    text += " ".join(
        [
            _claims("Depths given by the sources (bars at the side)", tech.depth, "mm", model),
            _claims("Angles", tech.angle, "°", model),
            _claims("Needles", tech.needle, "mm", model),
        ]
    )
    return f"{text} Layers: {_profile_alt(profile, model)}"


def technique_top_alt(technique: str, model: SkinModel | None = None) -> str:
    """Text alternative of :func:`technique_top_figure`."""
    model = model or load_skin_model()
    tech = model.technique(technique)
    spacing = tech.spacing_mm
    shapes = {
        "rows": "rows of papules",
        "grid": "a dense grid of quick injections",
        "points": "single, widely spaced injection points",
    }
    if tech.pattern.kind in shapes and spacing is not None:
        text = (
            f"Top view of the {tech.label.lower()} pattern, to scale: {shapes[tech.pattern.kind]}, drawn "
            f"{spacing:g} mm apart. {_claims('Spacing', tech.spacing, 'mm', model)}"
        )
    elif tech.pattern.kind == "threads" and tech.thread is not None:
        text = (
            f"Top view of the {tech.label.lower()} pattern: threads {tech.thread.length:g} mm long fanning out from "
            f"one entry point, arrows pointing back towards it (product released while withdrawing). "
            f"{tech.pattern.note or ''}"
        )
    else:
        text = f"Top view of the {tech.label.lower()} technique: no pattern is drawn. {tech.pattern.note or ''}"
    return f"{text} {_claims('Volume', tech.volume, 'mL', model)}".strip()


def depth_geometry_alt(
    angle_deg: float | None = None, lengths_mm: Sequence[float] | None = None, model: SkinModel | None = None
) -> str:
    """Text alternative of :func:`depth_geometry_figure`."""
    model = model or load_skin_model()
    example = model.data.general.micheels_example
    angle = example.angle if angle_deg is None else angle_deg
    lengths = tuple(example.lengths if lengths_mm is None else lengths_mm)
    cases = "; ".join(f"{length:g} mm inserted reaches {needle_depth(angle, length):.1f} mm" for length in lengths)
    return (
        f"A needle enters the skin at {angle:g}° to the surface. Its tip depth is the vertical side of a right "
        f"triangle whose long side is the inserted length: depth = sin(angle) × inserted length. At {angle:g}°, "
        f"{cases} ({model.short_cite(example.sources)}: {example.note})."
    )


def layer_picker_alt(region: str, model: SkinModel | None = None) -> str:
    """Text alternative of :func:`layer_picker_figure` (also the order of the keyboard choices)."""
    model = model or load_skin_model()
    names = ", ".join(label.lower() for _, label in layer_choices(region, model))
    label = model.region(region).label.lower()
    return f"Schematic stack of the skin layers of the {label}, not to scale, top down: {names}."
