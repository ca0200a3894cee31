"""Reading ``assets/skin_model.yaml``: validation with file and line, the cached model, layer choices."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from course.content.problems import ContentError, Problem
from course.content.yamlsource import LineMap, YamlSyntaxError, locate, parse_yaml, validate_model
from course.paths import ASSETS_DIR
from course.simulator.geometry import SkinInputError
from course.simulator.model import SkinModel
from course.simulator.schema import SkinModelFile

SKIN_MODEL_PATH = ASSETS_DIR / "skin_model.yaml"


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

