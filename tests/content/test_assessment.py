"""The real banks as a measure: few answer cues, mostly applied questions, must-pass items that
are tagged safety decisions with sources, and a final exam weighted by risk."""

from __future__ import annotations

import pytest

from course.quiz.banks import load_quizzes
from course.quiz.item_rules import bank_stats, catalog_findings
from course.quiz.models import QuizCatalog


@pytest.fixture(scope="module")
def catalog() -> QuizCatalog:
    return load_quizzes()


def test_no_item_writing_rule_is_broken(catalog: QuizCatalog) -> None:
    assert [(f.rule, f.question.id) for f in catalog_findings(catalog)] == []


def test_the_key_is_the_longest_option_no_more_often_than_chance(catalog: QuizCatalog) -> None:
    rows = [row for row in bank_stats(catalog) if row.singles]
    longest, singles = sum(r.longest_key for r in rows), sum(r.singles for r in rows)
    assert longest / singles <= 0.30, f"{longest} of {singles}"


def test_at_least_half_of_every_bank_is_application_level(catalog: QuizCatalog) -> None:
    thin = {r.bank: f"{r.application}/{r.questions}" for r in bank_stats(catalog) if r.application * 2 < r.questions}
    assert thin == {}


def test_every_must_pass_question_is_a_tagged_safety_decision_with_a_source(catalog: QuizCatalog) -> None:
    critical = [q for q in catalog.questions.values() if q.critical]
    assert len(critical) >= 10
    assert [q.id for q in critical if "safety" not in q.tags or not q.sources] == []


def test_the_final_exam_weighs_safety_above_history(catalog: QuizCatalog) -> None:
    exam = catalog.quiz("final-exam")
    assert exam is not None
    drawn = [b.id for b in catalog.banks if b.exam is None and b.questions]
    draws = dict(zip(drawn, exam.draws(), strict=True))
    assert draws["safety"] > draws["history"] and draws["complications"] > draws["history"]
    safety_side = sum(draws[b] for b in ("safety", "complications", "consultation", "danger-zones"))
    assert safety_side >= exam.draw_size / 3


def test_every_question_cites_a_reference_key(catalog: QuizCatalog) -> None:
    """Keys of lessons/references.yaml (check refuses an unknown one), so the review can name the works."""
    assert [q.id for q in catalog.questions.values() if not q.sources] == []
