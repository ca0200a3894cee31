"""The real course, checked as content: the one place that says the shipped content is valid.

Every lesson, the glossary, every question bank and the skin model pass the same validation
as ``python -m course check``; the course is big enough to teach from; and every claim the
course was commissioned to cover is taught and assessed.

``SEED_CLAIMS`` lists the benefits and problems mesotherapy is marketed for; each must appear
in a lesson (with what the evidence says) and be asked about in a question. The patterns are
the spellings the lessons and banks use for each claim.
"""

from __future__ import annotations

import json
import re

import pytest

from course.check import collect_problems
from course.content.models import Catalog
from course.quiz.models import QuizCatalog

SEED_CLAIMS = {
    "rejuvenation": r"rejuvenation",
    "photoprotection": r"photoprotection",
    "skin lifting": r"(skin )?lifting",
    "anti free-radical action": r"free[- ]radical",
    "matrix proteins (collagen, elastin)": r"collagen",
    "whitening": r"whitening",
    "firmness and elasticity": r"firmness",
    "cellular proliferation / fat production": r"proliferation",
    "anti-inflammatory": r"anti-inflammatory",
    "deep hydration": r"hydration",
    "cytokines": r"cytokine",
    "ageing skin": r"ageing skin|skin ageing",
    "sagging neck / jowls": r"jowls",
    "cellulite": r"cellulite",
    "hair loss": r"hair loss",
    "stretch marks": r"stretch marks",
}


@pytest.fixture(scope="module")
def lesson_text(real_catalog: Catalog) -> str:
    return "\n".join(lesson.body for lesson in real_catalog.lessons).lower()


@pytest.fixture(scope="module")
def question_text(real_quizzes: QuizCatalog) -> str:
    questions = real_quizzes.questions.values()
    return "\n".join(json.dumps(q.model_dump(), ensure_ascii=False) for q in questions).lower()


def test_the_real_course_has_no_problem() -> None:
    """Lessons, glossary, banks and skin model, validated as ``python -m course check`` does."""
    assert [str(p) for p in collect_problems()] == []


@pytest.mark.parametrize("claim", sorted(SEED_CLAIMS))
def test_every_seed_claim_is_taught_and_assessed(claim: str, lesson_text: str, question_text: str) -> None:
    pattern = re.compile(SEED_CLAIMS[claim])
    assert pattern.search(lesson_text), f"no lesson teaches {claim}"
    assert pattern.search(question_text), f"no question asks about {claim}"


def test_every_lesson_cites_sources_and_has_objectives(real_catalog: Catalog) -> None:
    lessons = real_catalog.lessons
    assert len(lessons) >= 8
    for lesson in lessons:
        assert len(lesson.meta.sources) >= 2, lesson.id
        assert lesson.meta.objectives, lesson.id


def test_every_objective_is_assessed_by_two_questions(real_catalog: Catalog, real_quizzes: QuizCatalog) -> None:
    counts: dict[tuple[str, str], int] = {}
    for question in real_quizzes.questions.values():
        counts[(question.lesson, question.objective)] = counts.get((question.lesson, question.objective), 0) + 1
    for lesson in real_catalog.lessons:
        for objective in lesson.meta.objectives:
            assert counts.get((lesson.id, objective.id), 0) >= 2, (lesson.id, objective.id)


def test_at_least_eighty_questions_and_a_final_exam(real_quizzes: QuizCatalog) -> None:
    catalog = real_quizzes
    assert len(catalog.questions) >= 80
    exam = catalog.bank("final-exam")
    assert exam is not None and exam.exam is not None
