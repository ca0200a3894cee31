"""YAML that remembers where each value came from.

PyYAML's composed node tree knows the line of every key and item; pydantic reports errors
by location (``("questions", 3, "answer")``). Joining the two lets every validation message
name the line a tutor has to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from course.content.problems import Problem
from course.errors import MesoError

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]
LineMap = dict[Loc, int]


def _walk(node: yaml.Node, loc: Loc, lines: LineMap) -> None:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            lines[(*loc, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*loc, key), lines)
            lines[(*loc, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*loc, index), lines)


def parse_yaml(text: str, path: Path, first_line: int = 1) -> tuple[Any, LineMap]:
    """Parse ``text`` safely; return the data and a map from location to file line.

    ``first_line`` is the file line where ``text`` starts (front matter starts at line 2).
    Raises :class:`YamlSyntaxError` with the file line of the syntax error.
    """
    try:
        return _compose(_FAST_LOADER, text, first_line)
    except yaml.YAMLError:
        pass  # parse again with the pure-Python loader, whose messages the course reports
    try:
        return _compose(yaml.SafeLoader, text, first_line)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark is not None else first_line
        reason = exc.problem or str(exc)
        if exc.context_mark is not None and mark is not None and exc.context_mark.line != mark.line:
            reason += f" ({exc.context} that starts on line {first_line + exc.context_mark.line})"
        if "\t" in text and "tab" in reason.lower():
            reason += " (YAML does not allow tabs for indentation: use spaces)"
        raise YamlSyntaxError(Problem(path, line, f"invalid YAML: {reason}")) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Problem(path, first_line, f"invalid YAML: {exc}")) from exc


# libyaml's C parser, when PyYAML was built with it, reads the course's files about ten times
# faster than the pure-Python one; both build the same nodes with the same line marks.
_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(loader_class: type[yaml.SafeLoader], text: str, first_line: int) -> tuple[Any, LineMap]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: LineMap = {}
    if node is not None:
        _walk(node, (), lines)
    return data, {loc: line + first_line - 1 for loc, line in lines.items()}


class YamlSyntaxError(MesoError):
    """The text is not YAML at all; carries the one problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def locate(loc: tuple[Any, ...], lines: LineMap) -> tuple[str, int | None]:
    """Turn a pydantic error location into a readable path and the closest known line.

    Union tags and model names that pydantic inserts (``"single"``, ``"function-after"``)
    are not keys of the document, so they are skipped.
    """
    known: Loc = ()
    for part in loc:
        candidate = (*known, part)
        if candidate in lines:
            known = candidate
    readable = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in known).lstrip(".")
    return readable or "(top level)", lines.get(known)


def validation_problems(exc: ValidationError, path: Path, lines: LineMap) -> list[Problem]:
    """One :class:`Problem` per pydantic error, each with the best line we know."""
    problems = []
    for error in exc.errors(include_url=False):
        where, line = locate(tuple(error["loc"]), lines)
        message = error["msg"]
        if error["type"] == "missing":
            field = error["loc"][-1]
            message = f"missing required field '{field}'"
        elif error["type"] == "extra_forbidden":
            message = "unknown field (check its spelling)"
        problems.append(Problem(path, line, f"{where}: {message}"))
    return problems


def validate_model(model: type[M], data: Any, path: Path, lines: LineMap) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` against ``model``; return the model or the problems."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, validation_problems(exc, path, lines)
