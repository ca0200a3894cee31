"""Load and validate the question banks in ``quizzes/*.yaml``.

Every problem is collected with its file and line, as for lessons: pydantic checks each
question's shape, then the cross-checks below check what a schema cannot (exactly one
right option, an answer among the options, a lesson, objective and section that exist, an
image that exists, a layer the diagram can show, an id used only once in the course).
A bank with an error is kept apart (its quiz page explains what is wrong); every other
bank keeps working.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from course.content.bibliography import current_references
from course.content.lessons import (
    catalog_signature,
    current_catalog,
    lesson_id_of,
    lesson_sections,
    read_content,
)
from course.content.models import Catalog, Lesson
from course.content.problems import ContentError, Problem
from course.content.yamlsource import LineMap, YamlSyntaxError, parse_yaml, validate_model, validation_problems
from course.paths import ASSETS_DIR, Signature, content_files, folder_signature, lessons_dir, quizzes_dir
from course.quiz.answers import LayerLookup, prepare_raw, question_findings
from course.quiz.item_rules import item_problems
from course.quiz.models import MISTAKES_QUIZ, QUESTION_TYPES, Bank, BankHeader, Question, QuizCatalog
from course.simulator.drills import SIMULATOR_QUIZ
from course.simulator.loading import layer_choices

MAX_BANK_BYTES = 1024 * 1024
RESERVED_IDS = frozenset({MISTAKES_QUIZ, SIMULATOR_QUIZ})
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"})
MIN_QUESTIONS_PER_OBJECTIVE = 2
_QUESTION: TypeAdapter[Question] = TypeAdapter(Question)


def skin_layers(region: str) -> Sequence[str] | None:
    """The layer ids a diagram of ``region`` can show, or None for an unknown region."""
    try:
        return tuple(layer_id for layer_id, _ in layer_choices(region))
    except ValueError:  # SkinInputError: unknown region
        return None


@dataclass(frozen=True)
class BankContext:
    """What a bank is checked against: the lessons, the assets folder and the skin model."""

    lessons: Mapping[str, Lesson]
    broken_lessons: frozenset[str] = frozenset()
    assets: Path = ASSETS_DIR
    layers: LayerLookup = skin_layers
    # the bibliography's keys, or None when the references file is missing or broken (its own
    # problems are reported by the lessons' check; the questions' keys are then not checked)
    reference_keys: frozenset[str] | None = None

    @classmethod
    def from_catalog(
        cls,
        catalog: Catalog,
        assets: Path = ASSETS_DIR,
        layers: LayerLookup = skin_layers,
        lessons_folder: Path | None = None,
    ) -> BankContext:
        """The context of a lesson catalog; the references are read from ``lessons_folder``
        (default: the lessons folder of the first lesson, else the course's)."""
        broken = frozenset(lesson_id for path in catalog.broken if (lesson_id := lesson_id_of(path)) is not None)
        if lessons_folder is None:
            paths = [lesson.path for lesson in catalog.lessons] + list(catalog.broken)
            lessons_folder = paths[0].parent if paths else None
        bibliography = current_references(lessons_folder)
        has_errors = any(p.severity == "error" for p in bibliography.problems)
        keys = None if has_errors else frozenset(bibliography.entries)
        return cls({lesson.id: lesson for lesson in catalog.lessons}, broken, assets, layers, keys)


# --- the quiz a learner takes -----------------------------------------------------------------


# --- one bank ----------------------------------------------------------------------------


def parse_bank(text: str, path: Path, context: BankContext) -> tuple[Bank | None, list[Problem]]:
    """Validate one bank's text; return the bank (None if it has an error) and every problem.

    Warnings (severity "warning") do not stop a bank from loading.
    """
    if len(text.encode("utf-8")) > MAX_BANK_BYTES:
        return None, [Problem(path, None, f"file is larger than {MAX_BANK_BYTES // 1024} KiB")]
    try:
        data, lines = parse_yaml(text, path)
    except YamlSyntaxError as exc:
        return None, [exc.problem]
    if not isinstance(data, dict):
        return None, [Problem(path, 1, "a question bank must be a YAML mapping (id:, title:, questions: ...)")]
    header, problems = validate_model(BankHeader, data, path, lines)
    if header is None:
        # still check the questions, so one run shows every mistake
        listed = data.get("questions")
        raw_questions = listed if isinstance(listed, list) else []
        for index, item in enumerate(raw_questions):
            problems += _validate_question(item, index, path, lines, None)[1]
        return None, problems
    if header.id != path.stem:
        problems.append(
            Problem(path, lines.get(("id",)), f"id '{header.id}' does not match the file name ({path.name})")
        )
    if header.id in RESERVED_IDS:
        problems.append(Problem(path, lines.get(("id",)), f"the id '{header.id}' is reserved: choose another one"))
    problems += _shape_problems(header, path, lines)
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(header.questions):
        question, item_problems = _validate_question(item, index, path, lines, header.lesson)
        problems += item_problems
        if question is None:
            continue
        line = lines.get(("questions", index, "id"))
        if question.id in seen:
            problems.append(
                Problem(path, line, f"duplicate question id '{question.id}' (also on line {seen[question.id]})")
            )
            continue
        seen[question.id] = line or 0
        problems += _question_problems(question, ("questions", index), path, lines, context)
        questions.append(question)
    if any(p.severity == "error" for p in problems):
        return None, problems
    bank = Bank(
        header.id,
        header.title,
        header.version,
        header.lesson,
        header.settings,
        tuple(questions),
        path,
        header.exam,
        {question_id: line for question_id, line in seen.items() if line},
    )
    return bank, problems


def _shape_problems(header: BankHeader, path: Path, lines: LineMap) -> list[Problem]:
    problems = []
    if header.exam is not None and header.questions:
        problems.append(
            Problem(path, lines.get(("questions",)), "an exam bank draws from the other banks: remove its 'questions'")
        )
    if header.exam is None and not header.questions:
        problems.append(Problem(path, lines.get(("questions",), 1), "the bank has no questions"))
    draw = header.settings.draw
    if header.exam is None and draw is not None and draw > len(header.questions) > 0:
        problems.append(
            Problem(
                path,
                lines.get(("settings", "draw")),
                f"draw is {draw} but the bank has only {len(header.questions)} questions: all are drawn",
                "warning",
            )
        )
    return problems


def _validate_question(
    item: Any, index: int, path: Path, lines: LineMap, default_lesson: str | None
) -> tuple[Question | None, list[Problem]]:
    """Validate one question; name an unknown type plainly instead of pydantic's union error."""
    line = lines.get(("questions", index))
    if not isinstance(item, dict):
        return None, [Problem(path, line, f"questions[{index}]: each question must be a mapping (id:, type:, ...)")]
    label = f"question '{item['id']}'" if isinstance(item.get("id"), str) else f"questions[{index}]"
    kind = item.get("type")
    if kind not in QUESTION_TYPES:
        where = lines.get(("questions", index, "type"), line)
        what = "missing 'type'" if kind is None else f"unknown question type '{kind}'"
        return None, [Problem(path, where, f"{label}: {what} (use one of: {', '.join(QUESTION_TYPES)})")]
    item = dict(item)
    answer_problem = prepare_raw(item)  # e.g. single/multiple choice: ``answer:`` marks the right options
    if answer_problem is not None:
        return None, [Problem(path, lines.get(("questions", index, "answer")), f"{label}: {answer_problem}")]
    if item.get("lesson") is None and default_lesson is not None:
        item["lesson"] = default_lesson
    try:
        return _QUESTION.validate_python(item), []
    except ValidationError as exc:
        sub = {loc[2:]: n for loc, n in lines.items() if loc[:2] == ("questions", index)}
        problems = validation_problems(exc, path, sub)
        return None, [Problem(p.path, p.line, f"{label}: {_plain(p.message)}") for p in problems]


_HINTS = {
    "missing required field 'answer'": "missing answer: add an 'answer:' line",
    "missing required field 'tolerance'": "missing required field 'tolerance': say how far from the answer still "
    "counts as right (0 for an exact answer)",
}


def _plain(message: str) -> str:
    message = message.removeprefix("(top level): ")
    return _HINTS.get(message, message)


def _question_problems(
    question: Question, loc: tuple[str | int, ...], path: Path, lines: LineMap, context: BankContext
) -> list[Problem]:
    """Cross-checks of one valid-shaped question."""
    problems: list[Problem] = []

    def report(key: tuple[str | int, ...], message: str, severity: str = "error") -> None:
        line = lines.get((*loc, *key)) or lines.get(loc)
        problems.append(Problem(path, line, f"question '{question.id}': {message}", severity))

    for key, message in question_findings(question, context.layers):  # what its type checks
        report(key, message)
    _check_lesson(question, report, context)
    if question.image is not None and not _image_exists(question.image.path, context.assets):
        report(("image", "path"), f"image '{question.image.path}' not found under assets/")
    if context.reference_keys is not None:
        for index, cited in enumerate(question.sources):
            if cited not in context.reference_keys:
                report(("sources", index), f"source '{cited}' is not a key of lessons/references.yaml")
    return problems


def _check_lesson(question: Question, report: Callable[..., None], context: BankContext) -> None:
    """Lesson, objective and section must exist (reported through ``report``)."""
    lesson_id = question.lesson
    if lesson_id is None:
        report(("lesson",), "no lesson: give the question (or the whole bank) a 'lesson'")
        return
    lesson = context.lessons.get(lesson_id)
    if lesson is None:
        if lesson_id in context.broken_lessons:
            report(("lesson",), f"lesson '{lesson_id}' has problems of its own; fix it first", "warning")
        else:
            report(("lesson",), f"unknown lesson '{lesson_id}' (known: {', '.join(sorted(context.lessons))})")
        return
    objectives = [o.id for o in lesson.meta.objectives]
    if question.objective not in objectives:
        report(
            ("objective",),
            f"'{question.objective}' is not an objective of lesson '{lesson_id}' ({', '.join(objectives)})",
        )
    if question.section is not None:
        sections = lesson_sections(lesson)
        if question.section not in sections:
            report(
                ("section",),
                f"lesson '{lesson_id}' has no section '{question.section}' (its sections: {', '.join(sections)})",
            )


def _image_exists(relative: str, assets: Path) -> bool:
    """True for an existing image file inside ``assets`` (never outside it)."""
    candidate = (assets / relative).resolve()
    try:
        candidate.relative_to(assets.resolve())
    except ValueError:
        return False
    return candidate.suffix.lower() in IMAGE_SUFFIXES and candidate.is_file()


# --- the whole folder ----------------------------------------------------------------------


def bank_files(folder: Path | None = None) -> list[Path]:
    """The bank files in name order (the order that decides which bank owns a reused id).

    Names starting with ``.`` or ``_`` are drafts and are skipped.
    """
    folder = folder or quizzes_dir()
    return content_files(folder, ".yaml")


def load_bank(path: Path, context: BankContext) -> tuple[Bank | None, list[Problem]]:
    """Read and validate one bank file; a vanished or undecodable file is a problem, not an exception."""
    try:
        text = read_content(path)
    except ContentError as exc:
        return None, list(exc.problems)
    return parse_bank(text, path, context)


def load_quizzes(folder: Path | None = None, context: BankContext | None = None) -> QuizCatalog:
    """Load every bank; a question id used by an earlier bank (by file name) is an error of
    the later one, so results recorded under that id keep their meaning.

    ``context`` defaults to the current lessons, ``assets/`` and the skin model.
    """
    context = context or BankContext.from_catalog(current_catalog())
    banks: list[Bank] = []
    broken: dict[Path, tuple[Problem, ...]] = {}
    warnings: list[Problem] = []
    owner: dict[str, str] = {}
    for path in bank_files(folder):
        bank, problems = load_bank(path, context)
        if bank is not None:
            clashes = [q for q in bank.questions if q.id in owner]
            problems += [
                Problem(path, None, f"question id '{q.id}' is already used in {owner[q.id]}.yaml") for q in clashes
            ]
        errors = tuple(p for p in problems if p.severity == "error")
        if bank is None or errors:
            broken[path] = errors
            continue
        warnings += problems
        owner.update({q.id: bank.id for q in bank.questions})
        banks.append(bank)
    order = {lesson_id: i for i, lesson_id in enumerate(context.lessons)}
    banks.sort(key=lambda b: (b.exam is not None, order.get(b.lesson or "", len(order)), b.id))
    ids = {b.id for b in banks} | {path.stem for path in broken}
    for bank in banks:
        if bank.exam is not None:
            warnings += [
                Problem(bank.path, None, f"exam: per_bank names '{name}', which is not a bank", "warning")
                for name in bank.exam.per_bank
                if name not in ids
            ]
    return QuizCatalog(tuple(banks), broken, tuple(warnings))


def coverage_problems(quizzes: QuizCatalog, catalog: Catalog) -> list[Problem]:
    """Warn about each lesson objective that fewer than two questions assess."""
    counts: dict[tuple[str, str], int] = {}
    for question in quizzes.questions.values():
        key = (question.lesson or "", question.objective)
        counts[key] = counts.get(key, 0) + 1
    problems = []
    for lesson in catalog.lessons:
        for objective in lesson.meta.objectives:
            found = counts.get((lesson.id, objective.id), 0)
            if found < MIN_QUESTIONS_PER_OBJECTIVE:
                problems.append(
                    Problem(
                        lesson.path,
                        None,
                        f"objective '{objective.id}' is assessed by {found} question(s); "
                        f"at least {MIN_QUESTIONS_PER_OBJECTIVE} are expected",
                        "warning",
                    )
                )
    return problems


def quiz_problems(folder: Path | None = None, lessons: Path | None = None) -> list[Problem]:
    """Every problem of every bank, plus objective-coverage warnings (for ``check``)."""
    catalog = current_catalog(lessons)
    quizzes = load_quizzes(folder, BankContext.from_catalog(catalog, lessons_folder=lessons))
    problems = [p for file_problems in quizzes.broken.values() for p in file_problems]
    return problems + list(quizzes.warnings) + coverage_problems(quizzes, catalog) + item_problems(quizzes)


def quiz_signature(folder: Path | None = None) -> Signature:
    """Sizes and mtimes of the banks and the lessons they refer to: a cache key for the views."""
    return (*folder_signature(folder or quizzes_dir(), ".yaml"), *catalog_signature(lessons_dir()))


@functools.lru_cache(maxsize=8)
def _quizzes_version(folder: str, lessons: str, signature: Signature) -> QuizCatalog:
    return load_quizzes(
        Path(folder), BankContext.from_catalog(current_catalog(Path(lessons)), lessons_folder=Path(lessons))
    )


def current_quizzes(folder: Path | None = None) -> QuizCatalog:
    """Every bank as the files are now, loaded again only when a bank or a lesson changes.

    The one cache of the quiz catalog: the quiz pages and the tutors' results share it (a
    catalog is immutable, so one object serves every session of the process).
    """
    folder = folder or quizzes_dir()
    return _quizzes_version(str(folder), str(lessons_dir()), quiz_signature(folder))
