"""Validate all course content and report every problem once (``python -m course check``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from course.content.glossary import load_glossary
from course.content.lessons import load_catalog
from course.content.problems import ContentError, Problem
from course.quiz.banks import quiz_problems
from course.simulator.loading import skin_model_problems

Checker = Callable[[], list[Problem]]


def lesson_problems(folder: Path | None = None) -> list[Problem]:
    """Problems of every lesson file and of the glossary."""
    catalog = load_catalog(folder)
    problems = [p for file_problems in catalog.broken.values() for p in file_problems]
    try:
        load_glossary(folder)
    except ContentError as exc:
        problems += exc.problems
    return problems


CHECKERS: list[Checker] = [lesson_problems, quiz_problems, skin_model_problems]


def collect_problems() -> list[Problem]:
    """Every problem from every checker, errors before warnings, in file order."""
    problems = [p for checker in CHECKERS for p in checker()]
    return sorted(problems, key=lambda p: (p.severity != "error", p.display_path, p.line or 0))


def run_check(strict: bool = False, echo: Callable[[str], None] = print) -> int:
    """Print each problem as ``file:line: message``; return the exit status."""
    problems = collect_problems()
    for problem in problems:
        echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    echo(f"check: {errors} error(s), {warnings} warning(s)")
    return 1 if errors or (strict and warnings) else 0
