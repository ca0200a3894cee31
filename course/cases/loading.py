"""Load and check the clinical cases in ``cases/*.yaml``, every problem with its file and line.

Pydantic checks each case's shape; :func:`course.cases.graph.graph_findings` checks the step
graph; the cross-checks here check what points outside the file: lesson ids and ``read_more``
anchors against the lessons, ``sources`` and ``[@key]`` citations against
``lessons/references.yaml``, region and technique ids against the skin model, and that a
placement's region has a sourced thickness for the technique's target. A broken case is kept
apart (its page explains what is wrong); every other case keeps working.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from course.cases.graph import Loc, graph_findings
from course.cases.models import (
    FROM_PLAN,
    STEP_KINDS,
    Case,
    CaseCatalog,
    CaseFile,
    ChoiceStep,
    DebriefStep,
    InformationStep,
    OutcomeStep,
    PlacementStep,
    PlanStep,
)
from course.content.bibliography import current_references, find_citations
from course.content.lessons import catalog_signature, current_catalog, lesson_sections, read_content
from course.content.models import Catalog
from course.content.problems import ContentError, Problem
from course.content.yamlsource import LineMap, YamlSyntaxError, locate, parse_yaml, validate_model
from course.paths import Signature, cases_dir, content_files, folder_signature, lessons_dir
from course.simulator.geometry import SkinInputError
from course.simulator.loading import SKIN_MODEL_PATH, load_skin_model
from course.simulator.model import SkinModel

MAX_CASE_BYTES = 512 * 1024


@dataclass(frozen=True)
class CaseContext:
    """What a case is checked against: each lesson's section anchors, the bibliography's keys
    (None when the references file is broken: its own check reports it) and the skin model
    (None when it is broken)."""

    sections: Mapping[str, frozenset[str]]
    reference_keys: frozenset[str] | None
    skin: SkinModel | None

    @classmethod
    def current(cls, lessons: Path | None = None) -> CaseContext:
        catalog = current_catalog(lessons)
        bibliography = current_references(lessons)
        broken = any(p.severity == "error" for p in bibliography.problems)
        try:
            skin: SkinModel | None = load_skin_model()
        except ContentError:
            skin = None
        return cls(_sections(catalog), None if broken else frozenset(bibliography.entries), skin)


def _sections(catalog: Catalog) -> dict[str, frozenset[str]]:
    return {lesson.id: frozenset(lesson_sections(lesson)) for lesson in catalog.lessons}


def _texts(case: CaseFile) -> Iterator[tuple[Loc, str]]:
    """Every markdown text of a case with its location (for the ``[@key]`` check)."""
    patient = case.patient
    for name in ("request", "history", "medications", "photos"):
        yield ("patient", name), getattr(patient, name)
    for i, step in enumerate(case.steps):
        loc: Loc = ("steps", i)
        if isinstance(step, ChoiceStep):
            yield (*loc, "prompt"), step.prompt
            for j, option in enumerate(step.options):
                yield (*loc, "options", j, "text"), option.text
                yield (*loc, "options", j, "feedback"), option.feedback
                if option.unsafe:
                    yield (*loc, "options", j, "unsafe"), option.unsafe
        elif isinstance(step, InformationStep):
            yield (*loc, "prompt"), step.prompt
            for j, finding in enumerate(step.findings):
                yield (*loc, "findings", j, "finding"), finding.finding
        elif isinstance(step, PlanStep):
            yield (*loc, "prompt"), step.prompt
            for name, plan_field in step.fields.present():
                yield (*loc, "fields", name, "feedback"), plan_field.feedback
        elif isinstance(step, PlacementStep):
            yield (*loc, "prompt"), step.prompt
            yield (*loc, "feedback"), step.feedback
        elif isinstance(step, OutcomeStep):
            if step.prompt:
                yield (*loc, "prompt"), step.prompt
            for j, variant in enumerate(step.variants):
                yield (*loc, "variants", j, "text"), variant.text
        elif isinstance(step, DebriefStep):
            yield (*loc, "text"), step.text


def cited_keys(case: CaseFile) -> tuple[str, ...]:
    """The keys a case relies on: its ``sources``, then any cited only in its texts."""
    keys = list(dict.fromkeys(case.sources))
    for _, text in _texts(case):
        for citation in find_citations(text):
            keys += [k for k in citation.keys if k not in keys]
    return tuple(keys)


def cross_findings(case: CaseFile, context: CaseContext) -> list[tuple[Loc, str]]:
    """What points outside the file and does not exist (lessons, anchors, references, skin model)."""
    found: list[tuple[Loc, str]] = []
    known_lessons = ", ".join(sorted(context.sections))
    for i, objective in enumerate(case.objectives):
        if objective.lesson not in context.sections:
            found.append((("objectives", i, "lesson"), f"unknown lesson '{objective.lesson}' (known: {known_lessons})"))
    keys = context.reference_keys
    if keys is not None:
        for i, key in enumerate(case.sources):
            if key not in keys:
                found.append((("sources", i), f"source '{key}' is not a key of lessons/references.yaml"))
        for where, text in _texts(case):
            for citation in find_citations(text):
                if citation.malformed:
                    found.append((where, f"malformed citation {citation.text!r}: write [@key] or [@key; @other-key]"))
                for key in citation.keys:
                    if key not in keys:
                        found.append((where, f"citation '@{key}' is not a key of lessons/references.yaml"))
    plan_techniques: list[str] = []
    for i, step in enumerate(case.steps):
        loc: Loc = ("steps", i)
        if isinstance(step, DebriefStep):
            for j, link in enumerate(step.read_more):
                lesson_id, _, anchor = link.partition("#")
                sections = context.sections.get(lesson_id)
                if sections is None:
                    found.append(((*loc, "read_more", j), f"read_more: unknown lesson '{lesson_id}'"))
                elif anchor not in sections:
                    found.append(((*loc, "read_more", j), f"read_more: lesson '{lesson_id}' has no section '{anchor}'"))
        if isinstance(step, PlanStep) and step.fields.technique is not None:
            plan_techniques += list(step.fields.technique.options)
    skin = context.skin
    if skin is None:
        return found
    for i, step in enumerate(case.steps):
        here: Loc = ("steps", i)
        if isinstance(step, PlanStep):
            for name, ids, known in (
                ("technique", step.fields.technique, skin.technique_ids),
                ("region", step.fields.region, skin.region_ids),
            ):
                for j, value in enumerate(ids.options if ids is not None else ()):
                    if value not in known:
                        found.append(
                            (
                                (*loc, "fields", name, "options", j),
                                f"unknown {name} '{value}' (known: {', '.join(known)})",
                            )
                        )
        if isinstance(step, PlacementStep):
            found += _placement_findings(step, here, skin, plan_techniques)
    return found


def _placement_findings(
    step: PlacementStep, loc: Loc, skin: SkinModel, plan_techniques: list[str]
) -> list[tuple[Loc, str]]:
    if step.region not in skin.region_ids:
        return [((*loc, "region"), f"unknown region '{step.region}' (known: {', '.join(skin.region_ids)})")]
    if step.technique == FROM_PLAN:
        if not plan_techniques:
            return [((*loc, "technique"), "technique: from_plan needs a plan step that asks for the technique")]
        techniques = [t for t in dict.fromkeys(plan_techniques) if t in skin.technique_ids]
    elif step.technique not in skin.technique_ids:
        known = ", ".join(skin.technique_ids)
        return [((*loc, "technique"), f"unknown technique '{step.technique}' (known: {known}, or from_plan)")]
    else:
        techniques = [step.technique]
    found: list[tuple[Loc, str]] = []
    for technique in techniques:
        try:
            skin.target(skin.profile(step.region), skin.technique(technique))
        except SkinInputError as exc:
            found.append(((*loc, "region"), f"a {technique} placement cannot be scored in the {step.region}: {exc}"))
    return found


def parse_case(text: str, path: Path, context: CaseContext) -> tuple[Case | None, list[Problem]]:
    """Validate one case's text; return the case (None if it has an error) and every problem."""
    if len(text.encode("utf-8")) > MAX_CASE_BYTES:
        return None, [Problem(path, None, f"file is larger than {MAX_CASE_BYTES // 1024} KiB")]
    try:
        data, lines = parse_yaml(text, path)
    except YamlSyntaxError as exc:
        return None, [exc.problem]
    if not isinstance(data, dict):
        return None, [Problem(path, 1, "a case must be a YAML mapping (id:, title:, patient:, steps: ...)")]
    bad_kind = _kind_problems(data, path, lines)
    if bad_kind:
        return None, bad_kind
    case, problems = validate_model(CaseFile, data, path, lines)
    if case is None:
        return None, problems
    if case.id != path.stem:
        problems.append(Problem(path, lines.get(("id",)), f"id '{case.id}' does not match the file name ({path.name})"))
    for loc, message in [*graph_findings(case), *cross_findings(case, context)]:
        problems.append(_problem(path, lines, loc, message))
    if problems:
        return None, problems
    step_lines = {step.id: lines.get(("steps", i), 0) for i, step in enumerate(case.steps)}
    return Case(case, path, step_lines), []


def _problem(path: Path, lines: LineMap, loc: Loc, message: str) -> Problem:
    _, line = locate(loc, lines)
    return Problem(path, line, message)


def _kind_problems(data: dict[object, object], path: Path, lines: LineMap) -> list[Problem]:
    """Name an unknown or missing step kind plainly (pydantic's union error is hard to read)."""
    steps = data.get("steps")
    problems = []
    for i, step in enumerate(steps if isinstance(steps, list) else []):
        kind = step.get("kind") if isinstance(step, dict) else None
        if kind not in STEP_KINDS:
            what = "missing 'kind'" if kind is None else f"unknown step kind '{kind}'"
            line = lines.get(("steps", i, "kind"), lines.get(("steps", i)))
            problems.append(Problem(path, line, f"steps[{i}]: {what} (use one of: {', '.join(STEP_KINDS)})"))
    return problems


def case_files(folder: Path | None = None) -> list[Path]:
    """The case files in name order; names starting with ``.`` or ``_`` are drafts."""
    folder = folder or cases_dir()
    return content_files(folder, ".yaml")


def load_case(path: Path, context: CaseContext) -> tuple[Case | None, list[Problem]]:
    try:
        text = read_content(path)
    except ContentError as exc:
        return None, list(exc.problems)
    return parse_case(text, path, context)


def load_cases(folder: Path | None = None, context: CaseContext | None = None) -> CaseCatalog:
    """Every case of the folder: those that loaded (by title) and the problems of the others."""
    context = context or CaseContext.current()
    cases: list[Case] = []
    broken: dict[Path, tuple[Problem, ...]] = {}
    for path in case_files(folder):
        case, problems = load_case(path, context)
        if case is None:
            broken[path] = tuple(problems)
        else:
            cases.append(case)
    return CaseCatalog(tuple(sorted(cases, key=lambda c: c.title.lower())), broken)


def case_signature(folder: Path | None = None) -> Signature:
    """Sizes and mtimes of the cases, the lessons and references they point at, and the skin model."""
    try:
        stat = SKIN_MODEL_PATH.stat()
        skin: Signature = ((str(SKIN_MODEL_PATH), stat.st_size, stat.st_mtime_ns),)
    except OSError:
        skin = ()
    return (*folder_signature(folder or cases_dir(), ".yaml"), *catalog_signature(lessons_dir()), *skin)


@functools.lru_cache(maxsize=8)
def _cases_version(folder: str, lessons: str, signature: Signature) -> CaseCatalog:
    return load_cases(Path(folder), CaseContext.current(Path(lessons)))


def current_cases(folder: Path | None = None) -> CaseCatalog:
    """The cases as the files are now, loaded again only when a case, lesson or the skin model changes."""
    folder = folder or cases_dir()
    return _cases_version(str(folder), str(lessons_dir()), case_signature(folder))


def case_problems(folder: Path | None = None, lessons: Path | None = None) -> list[Problem]:
    """Every problem of every case file (for ``python -m course check``)."""
    catalog = load_cases(folder, CaseContext.current(lessons))
    return [p for problems in catalog.broken.values() for p in problems]
