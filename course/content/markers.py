"""Figure and self-check markers that tutors write in lesson markdown.

A marker stands alone on its line::

    {{ figure: technique-side technique=papule }}
    {{ check: techniques/techniques-papule-depth }}

A figure marker's name picks an interactive figure; ``key=value`` pairs choose what it
shows. The names and the values each parameter accepts are declared here, in one registry,
so the lesson validator can reject an unknown figure or value with its line number before
any page tries to draw it.

A self-check marker names a question of a bank (``bank/question-id``) that the lesson page
asks on the spot. The content package knows nothing of quizzes, so it only reads the
marker; ``python -m course check`` refuses a bank or question that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from course.content.models import CheckRef, FigureRef

MARKER = re.compile(r"^\s*\{\{\s*figure\s*:\s*(?P<name>[a-z0-9-]+)(?P<params>[^}]*)\}\}\s*$")
CHECK_MARKER = re.compile(
    r"^\s*\{\{\s*check\s*:\s*(?P<bank>[a-z0-9]+(?:-[a-z0-9]+)*)/(?P<question>[a-z0-9]+(?:-[a-z0-9]+)*)\s*\}\}\s*$"
)
LOOSE_MARKER = re.compile(r"\{\{\s*(?:figure|check)\b")
PARAM = re.compile(r"^(?P<key>[a-z_]+)=(?P<value>[A-Za-z0-9_.-]+)$")

# A citation marker in running text: ``[@meng-2022]`` or ``[@meng-2022; @iyengar-2018]``.
# The loose form is anything that starts like one, so a malformed marker is reported
# (and kept out of glossary linking) instead of being shown as if it were prose.
CITATION = re.compile(r"^\[@(?P<keys>[a-z0-9]+(?:-[a-z0-9]+)*(?:\s*;\s*@[a-z0-9]+(?:-[a-z0-9]+)*)*)\]$")
LOOSE_CITATION = re.compile(r"\[@[^\]\n]*\]")


@dataclass(frozen=True)
class FigureSpec:
    """What a figure name accepts: each parameter with a function giving its valid values."""

    description: str
    params: dict[str, Callable[[], Collection[str]]] = field(default_factory=dict)
    required: frozenset[str] = frozenset()


FIGURES: dict[str, FigureSpec] = {}


def register_figure(name: str, spec: FigureSpec) -> None:
    """Declare a figure name that lessons may use (done by the module that draws it)."""
    FIGURES[name] = spec


def parse_marker(line: str, line_no: int) -> FigureRef | CheckRef | str | None:
    """Parse one body line.

    Returns a :class:`FigureRef` or a :class:`CheckRef`, an error message for a malformed
    or unknown marker, or ``None`` when the line is ordinary markdown.

    >>> parse_marker("{{ check: techniques/techniques-papule-depth }}", 40)
    CheckRef(bank='techniques', question='techniques-papule-depth', line=40)
    >>> parse_marker("{{ check: techniques-papule-depth }}", 40)
    'malformed self-check marker: write {{ check: bank/question-id }} on its own line'
    """
    check = CHECK_MARKER.match(line)
    if check is not None:
        return CheckRef(bank=check["bank"], question=check["question"], line=line_no)
    match = MARKER.match(line)
    if match is None:
        found = LOOSE_MARKER.search(line)
        if found is not None and "check" in found.group():
            return "malformed self-check marker: write {{ check: bank/question-id }} on its own line"
        if found is not None:
            return "malformed figure marker: write {{ figure: name key=value }} on its own line"
        return None
    name = match["name"]
    spec = FIGURES.get(name)
    if spec is None:
        known = ", ".join(sorted(FIGURES)) or "none yet"
        return f"unknown figure '{name}' (known figures: {known})"
    params: dict[str, str] = {}
    for token in match["params"].split():
        pm = PARAM.match(token)
        if pm is None:
            return f"figure '{name}': cannot read parameter '{token}' (expected key=value)"
        key, value = pm["key"], pm["value"]
        if key not in spec.params:
            allowed = ", ".join(sorted(spec.params)) or "no parameters"
            return f"figure '{name}': unknown parameter '{key}' (allowed: {allowed})"
        choices = spec.params[key]()
        if value not in choices:
            return f"figure '{name}': {key}={value} is not one of {', '.join(sorted(choices))}"
        params[key] = value
    missing = spec.required - params.keys()
    if missing:
        return f"figure '{name}': missing parameter(s) {', '.join(sorted(missing))}"
    return FigureRef(name=name, params=tuple(sorted(params.items())), line=line_no)
