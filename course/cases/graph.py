"""The step graph of a case: where each step can lead, and what ``check`` finds wrong with it.

Pure functions over the validated models, so each defect is tested on a small case built in
a test: an unknown ``next``, an unreachable step, a dead end, a cycle with no way out, and a
``recommended`` path that does not follow the graph.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence

from course.cases.models import (
    AnyStep,
    CaseFile,
    ChoiceStep,
    DebriefStep,
    InformationStep,
    OutcomeStep,
    PlacementStep,
    PlanStep,
)

Loc = tuple[str | int, ...]
Finding = tuple[Loc, str]


def edges(step: AnyStep) -> Iterator[tuple[Loc, str]]:
    """Each ``next`` of a step with its location inside the step (``("options", 1, "next")``)."""
    if isinstance(step, ChoiceStep):
        if step.multiple:
            if step.next is not None:
                yield ("next",), step.next
        else:
            for i, option in enumerate(step.options):
                if option.next is not None:
                    yield ("options", i, "next"), option.next
    elif isinstance(step, InformationStep | PlanStep | PlacementStep):
        if step.next is not None:
            yield ("next",), step.next
    elif isinstance(step, OutcomeStep):
        for i, variant in enumerate(step.variants):
            if variant.next is not None:
                yield ("variants", i, "next"), variant.next


def successors(step: AnyStep) -> tuple[str, ...]:
    """The ids a step can lead to, in file order, without repeats."""
    return tuple(dict.fromkeys(target for _, target in edges(step)))


def reachable(start: str, steps: Mapping[str, AnyStep]) -> set[str]:
    """Every step id reachable from ``start`` (``start`` included, if it exists)."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        current = todo.pop()
        if current in seen or current not in steps:
            continue
        seen.add(current)
        todo.extend(successors(steps[current]))
    return seen


def can_finish(steps: Mapping[str, AnyStep]) -> set[str]:
    """Step ids from which some path reaches a debrief."""
    done = {sid for sid, step in steps.items() if isinstance(step, DebriefStep)}
    changed = True
    while changed:
        changed = False
        for sid, step in steps.items():
            if sid not in done and any(t in done for t in successors(step)):
                done.add(sid)
                changed = True
    return done


def is_path(path: Sequence[str], start: str, steps: Mapping[str, AnyStep]) -> str | None:
    """None if ``path`` runs from ``start`` along the graph to a debrief, else what is wrong."""
    if not path:
        return "the recommended path is empty"
    if path[0] != start:
        return f"the recommended path must begin at the start step '{start}', not '{path[0]}'"
    for here, there in itertools.pairwise(path):
        if here not in steps:
            return f"the recommended path names an unknown step '{here}'"
        if there not in successors(steps[here]):
            return f"the recommended path goes from '{here}' to '{there}', but '{here}' cannot lead there"
    if path[-1] not in steps or not isinstance(steps[path[-1]], DebriefStep):
        return f"the recommended path must end at a debrief step, not '{path[-1]}'"
    return None


def graph_findings(case: CaseFile) -> list[Finding]:
    """Every defect of a case's step graph, as (location, message) pairs."""
    findings: list[Finding] = []
    steps: dict[str, AnyStep] = {}
    index: dict[str, int] = {}
    for i, step in enumerate(case.steps):
        if step.id in steps:
            findings.append(((("steps", i, "id")), f"duplicate step id '{step.id}' (also steps[{index[step.id]}])"))
            continue
        steps[step.id] = step
        index[step.id] = i
    if case.start not in steps:
        findings.append((("start",), f"the start step '{case.start}' is not a step of this case"))
    for sid, step in steps.items():
        loc: Loc = ("steps", index[sid])
        for where, target in edges(step):
            if target not in steps:
                findings.append(((*loc, *where), f"step '{sid}': next step '{target}' does not exist"))
            elif target == sid:
                findings.append(((*loc, *where), f"step '{sid}' leads to itself"))
        findings += _shape_findings(step, loc)
    if case.start not in steps:
        return findings
    seen = reachable(case.start, steps)
    for sid in steps:
        if sid not in seen:
            findings.append(((("steps", index[sid])), f"step '{sid}' cannot be reached from the start step"))
    finishing = can_finish(steps)
    for sid in sorted(seen - finishing, key=index.__getitem__):
        step = steps[sid]
        if not successors(step):
            message = f"step '{sid}' is a dead end: give it a next step or make it a debrief"
        else:
            message = f"step '{sid}' is in a cycle with no way out: no path from it reaches a debrief"
        findings.append(((("steps", index[sid])), message))
    debriefs = [s for s in steps.values() if isinstance(s, DebriefStep)]
    if not any(d.recommended for d in debriefs):
        findings.append((("steps",), "no debrief gives a recommended path: add 'recommended' to one"))
    for debrief in debriefs:
        if debrief.recommended:
            problem = is_path(debrief.recommended, case.start, steps)
            if problem is None and debrief.recommended[-1] != debrief.id:
                problem = f"the recommended path of '{debrief.id}' must end at '{debrief.id}'"
            if problem is not None:
                findings.append(((("steps", index[debrief.id], "recommended")), problem))
    findings += _condition_findings(steps, index)
    return findings


def _shape_findings(step: AnyStep, loc: Loc) -> list[Finding]:
    """What one step must have that the schema leaves optional (so the message is plain)."""
    found: list[Finding] = []
    if isinstance(step, ChoiceStep):
        ids = [o.id for o in step.options]
        for i, option in enumerate(step.options):
            if not option.feedback:
                found.append(
                    (
                        (*loc, "options", i),
                        f"step '{step.id}': option '{option.id}' has no feedback: say why it is right or wrong",
                    )
                )
            if ids.count(option.id) > 1 and ids.index(option.id) != i:
                found.append(((*loc, "options", i, "id"), f"step '{step.id}': duplicate option id '{option.id}'"))
        if not step.multiple:
            if len(step.options) < 2:
                found.append(((*loc, "options"), f"step '{step.id}': a choice needs at least two options"))
            for i, option in enumerate(step.options):
                if option.next is None:
                    found.append(((*loc, "options", i), f"step '{step.id}': option '{option.id}' has no next step"))
            if step.next is not None:
                found.append(((*loc, "next"), f"step '{step.id}': a single choice puts 'next' on each option"))
        else:
            if step.next is None:
                found.append((loc, f"step '{step.id}': a tick-all-that-apply step needs 'next' on the step"))
            for i, option in enumerate(step.options):
                if option.next is not None:
                    found.append(
                        ((*loc, "options", i, "next"), f"step '{step.id}': with multiple: true, put 'next' on the step")
                    )
    elif isinstance(step, InformationStep | PlanStep | PlacementStep) and step.next is None:
        found.append((loc, f"step '{step.id}' is a dead end: give it a next step"))
    elif isinstance(step, OutcomeStep):
        last = len(step.variants) - 1
        for i, variant in enumerate(step.variants):
            if variant.next is None:
                found.append(((*loc, "variants", i), f"step '{step.id}': variant {i + 1} has no next step"))
            if i == last and variant.if_chosen is not None:
                found.append(
                    ((*loc, "variants", i), f"step '{step.id}': the last variant is the default: remove its if_chosen")
                )
            if i < last and variant.if_chosen is None:
                found.append(((*loc, "variants", i), f"step '{step.id}': only the last variant may lack if_chosen"))
    elif isinstance(step, PlanStep):
        pass
    if isinstance(step, PlanStep):
        for name, plan_field in step.fields.present():
            for j, accepted in enumerate(plan_field.accept):
                if accepted not in plan_field.options:
                    found.append(
                        (
                            (*loc, "fields", name, "accept", j),
                            f"step '{step.id}': {name}: '{accepted}' is not one of its options",
                        )
                    )
        if not step.fields.present():
            found.append(((*loc, "fields"), f"step '{step.id}': a plan asks for at least one field"))
    return found


def _condition_findings(steps: Mapping[str, AnyStep], index: Mapping[str, int]) -> list[Finding]:
    """``if_chosen`` must name an option of a choice step of the case."""
    found: list[Finding] = []
    for sid, step in steps.items():
        if not isinstance(step, OutcomeStep):
            continue
        for i, variant in enumerate(step.variants):
            for j, ref in enumerate(variant.if_chosen or ()):
                step_id, _, option_id = ref.partition(".")
                target = steps.get(step_id)
                if not isinstance(target, ChoiceStep) or target.option(option_id) is None:
                    found.append(
                        (
                            ("steps", index[sid], "variants", i, "if_chosen", j),
                            f"step '{sid}': if_chosen '{ref}' is not an option of a choice step",
                        )
                    )
    return found
