"""Validate all course content and report every problem once (``python -m course check``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from course.cases.loading import CaseContext, case_problems, cited_keys, load_cases
from course.content.bibliography import citation_problems, read_references
from course.content.glossary import load_glossary
from course.content.lessons import current_catalog
from course.content.problems import ContentError, Problem
from course.content.readability import long_paragraphs
from course.quiz.banks import load_quizzes, quiz_problems
from course.quiz.item_rules import bank_stats
from course.quiz.self_checks import self_check_problems
from course.simulator.loading import skin_model_keys, skin_model_problems

Checker = Callable[[], list[Problem]]


def lesson_problems(folder: Path | None = None) -> list[Problem]:
    """Problems of every lesson file and of the glossary."""
    catalog = current_catalog(folder)
    problems = [p for file_problems in catalog.broken.values() for p in file_problems]
    try:
        load_glossary(folder)
    except ContentError as exc:
        problems += exc.problems
    return problems


def reference_problems(folder: Path | None = None) -> list[Problem]:
    """Problems of the references file, then every lesson's citations checked against it:
    an unknown key is an error with the lesson's line, a reference that no lesson and no
    clinical case cites a warning (the cases check their own keys, see ``case_problems``)."""
    bibliography = read_references(folder)
    catalog = current_catalog(folder)
    cited_elsewhere = frozenset(skin_model_keys()) | keys_cited_by_cases(folder)
    return [*bibliography.problems, *citation_problems(catalog, bibliography, cited_elsewhere)]


def keys_cited_by_cases(lessons: Path | None = None) -> frozenset[str]:
    """The reference keys the clinical cases that load rely on (their sources and citations)."""
    catalog = load_cases(context=CaseContext.current(lessons))
    return frozenset(key for case in catalog.cases for key in cited_keys(case.data))


def readability_problems(folder: Path | None = None) -> list[Problem]:
    """A warning for each lesson paragraph over the word limit (course.content.readability)."""
    return [p for lesson in current_catalog(folder).lessons for p in long_paragraphs(lesson)]


def lesson_self_check_problems(folder: Path | None = None) -> list[Problem]:
    """An error for each self-check marker naming a bank or question that does not exist."""
    return self_check_problems(current_catalog(folder), load_quizzes())


CHECKERS: list[Checker] = [
    lesson_problems,
    reference_problems,
    readability_problems,
    lesson_self_check_problems,
    quiz_problems,
    skin_model_problems,
    case_problems,
]


def collect_problems() -> list[Problem]:
    """Every problem from every checker, errors before warnings, in file order."""
    problems = [p for checker in CHECKERS for p in checker()]
    return sorted(problems, key=lambda p: (p.severity != "error", p.display_path, p.line or 0))


# The question banks as an examiner measured them on 2026-12-01, before they were rewritten:
# the key was the longest option in 54 of 82 single-choice questions; no question was marked
# application-level (161 questions, mostly recall).
BEFORE_LONGEST_KEY = (54, 82)
BEFORE_APPLICATION = (0, 161)


def stats_lines() -> list[str]:
    """The cue rate and the share of application-level questions, per bank and overall, with
    the figures before the banks were rewritten (``python -m course check --stats``)."""
    rows = bank_stats(load_quizzes())
    out = ["bank: questions, key longest in single-choice, application-level"]
    for row in rows:
        out.append(
            f"  {row.bank}: {row.questions}, {row.longest_key}/{row.singles} ({_share(row.longest_key, row.singles)}), "
            f"{row.application}/{row.questions} ({_share(row.application, row.questions)})"
        )
    singles, longest = sum(r.singles for r in rows), sum(r.longest_key for r in rows)
    total, applied = sum(r.questions for r in rows), sum(r.application for r in rows)
    out.append(
        f"key longest: before {BEFORE_LONGEST_KEY[0]}/{BEFORE_LONGEST_KEY[1]} ({_share(*BEFORE_LONGEST_KEY)}), "
        f"now {longest}/{singles} ({_share(longest, singles)})"
    )
    out.append(
        f"application-level: before {BEFORE_APPLICATION[0]}/{BEFORE_APPLICATION[1]} ({_share(*BEFORE_APPLICATION)}), "
        f"now {applied}/{total} ({_share(applied, total)})"
    )
    return out


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"


def run_check(strict: bool = False, echo: Callable[[str], None] = print, stats: bool = False) -> int:
    """Print each problem as ``file:line: message`` (and, with ``stats``, the banks' item
    statistics); return the exit status."""
    if stats:
        for line in stats_lines():
            echo(line)
    problems = collect_problems()
    for problem in problems:
        echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    echo(f"check: {errors} error(s), {warnings} warning(s)")
    return 1 if errors or (strict and warnings) else 0
