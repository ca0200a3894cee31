"""Self-check markers against the banks: the question a marker names, and ``check``'s errors.

No I/O and no store, so ``python -m course check`` can run it (it reads content only).
"""

from __future__ import annotations

from course.content.models import Catalog, CheckRef
from course.content.problems import Problem
from course.quiz.models import DiagramQuestion, Question, QuizCatalog


def self_check_question(quizzes: QuizCatalog, ref: CheckRef) -> Question | None:
    """The question a self-check marker names, or None when its bank or question is unknown
    (or is a diagram question, which a lesson cannot ask)."""
    bank = quizzes.bank(ref.bank)
    if bank is None:
        return None
    question = next((q for q in bank.questions if q.id == ref.question), None)
    return None if isinstance(question, DiagramQuestion) else question


def self_check_problems(catalog: Catalog, quizzes: QuizCatalog) -> list[Problem]:
    """An error, at the marker's line, for each self-check naming an unknown bank or question.

    A bank that exists but failed to load is named as broken rather than unknown.
    """
    broken = {path.stem for path in quizzes.broken}
    problems = []
    for lesson in catalog.lessons:
        for block in lesson.blocks:
            if not isinstance(block, CheckRef):
                continue
            bank = quizzes.bank(block.bank)
            question = None if bank is None else next((q for q in bank.questions if q.id == block.question), None)
            if bank is None and block.bank in broken:
                message = f"self-check: bank '{block.bank}' cannot be loaded (see its own problems)"
            elif bank is None:
                known = ", ".join(b.id for b in quizzes.banks if b.exam is None)
                message = f"self-check: unknown bank '{block.bank}' (banks: {known})"
            elif question is None:
                message = f"self-check: bank '{block.bank}' has no question '{block.question}'"
            elif isinstance(question, DiagramQuestion):
                message = f"self-check: '{block.question}' is a diagram question, which a lesson cannot ask"
            else:
                continue
            problems.append(Problem(lesson.path, block.line, message))
    return problems
