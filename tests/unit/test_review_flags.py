"""The item analysis' "Questions to review": every flag says which rule or statistic raised it.

Two small banks and an exam that draws from both, written as a tutor writes them and loaded by
the real parser (so the lines are the bank's own); responses are a hand-made frame whose
statistics are known.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

from course.analytics.results import question_index, rule_flags
from course.analytics.summaries import items_table, quiz_items
from course.quiz.banks import BankContext, parse_bank
from course.quiz.item_rules import item_problems, quiz_findings
from course.quiz.models import QuizCatalog
from tests.helpers.banks import fixture_context

ALPHA = """\
id: alpha
title: Alpha
version: 1
lesson: quiz-lesson
questions:
  - id: alpha-above
    type: single
    prompt: Which layer does the papule technique aim at, before the needle is withdrawn?
    objective: recall
    explanation: The dermo-epidermal junction.
    options:
      - {text: The dermo-epidermal junction, correct: true}
      - {text: The muscle layer}
      - {text: "The deep hypodermis, under the fat"}
      - {text: None of the above}
  - id: alpha-easy
    type: true_false
    prompt: Nappage is a superficial technique.
    objective: recall
    explanation: Yes.
    answer: true
  - id: alpha-vessels
    type: true_false
    prompt: The epidermis has no blood vessels of its own.
    objective: recall
    explanation: Yes.
    answer: true
  - id: alpha-zero
    type: numeric
    prompt: How many patients did the review count?
    objective: recall
    explanation: "423 patients."
    answer: 423
    tolerance: 0
"""
BETA = """\
id: beta
title: Beta
version: 1
lesson: quiz-lesson
questions:
  - id: beta-vessels
    type: true_false
    prompt: The epidermis has no blood vessels.
    objective: recall
    explanation: Yes.
    answer: true
"""
EXAM = """\
id: exam
title: Exam
version: 1
exam: {draw_per_bank: 1}
settings: {pass_mark: 65, cbm: true}
"""


@pytest.fixture(scope="module")
def catalog() -> QuizCatalog:
    context: BankContext = fixture_context()
    banks = []
    for text in (ALPHA, BETA, EXAM):
        bank_id = text.split("\n", 1)[0].removeprefix("id: ")
        parsed, problems = parse_bank(textwrap.dedent(text), Path(f"quizzes/{bank_id}.yaml"), context)
        assert parsed is not None, [str(p) for p in problems]
        banks.append(parsed)
    return QuizCatalog(tuple(banks))


def line_of(text: str, question_id: str) -> int:
    return text.splitlines().index(f"  - id: {question_id}") + 1


def responses(easy: list[float], above: list[float]) -> pd.DataFrame:
    """One row per attempt and question of the alpha quiz (1 point each)."""
    rows = []
    for attempt, (e, a) in enumerate(zip(easy, above, strict=True)):
        rows.append({"attempt_id": attempt, "question_id": "alpha-easy", "points": e, "max_points": 1.0})
        rows.append({"attempt_id": attempt, "question_id": "alpha-above", "points": a, "max_points": 1.0})
    return pd.DataFrame(rows)


def test_rule_flags_name_the_rule_and_the_bank_line_as_check_does(catalog: QuizCatalog) -> None:
    flags = rule_flags(catalog, "alpha")
    assert sorted(flags) == ["alpha-above", "alpha-zero"]  # the cross-bank pair is not alpha's
    (above,) = flags["alpha-above"]
    assert (above.kind, above.name, above.location) == (
        "rule",
        "all-none-of-above",
        f"quizzes/alpha.yaml:{line_of(ALPHA, 'alpha-above')}",
    )
    assert str(above).startswith("rule all-none-of-above: option 'None of the above' lets a learner answer")
    assert above.markdown.startswith("rule `all-none-of-above`: option 'None of the above'")
    assert above.markdown.endswith(f"(`quizzes/alpha.yaml:{line_of(ALPHA, 'alpha-above')}`)")
    # the same warnings, rule and line, that `check` prints for these questions
    warned = {(p.line, p.message.split("[")[1].split("]")[0]) for p in item_problems(catalog)}
    assert {(line_of(ALPHA, q), f.name) for q, found in flags.items() for f in found} <= warned


def test_near_duplicates_count_within_the_quiz_that_can_draw_both(catalog: QuizCatalog) -> None:
    assert [f.rule for f in quiz_findings(catalog, "beta")] == []
    exam = rule_flags(catalog, "exam")
    assert [f.name for f in exam["beta-vessels"]] == ["near-duplicate"]
    assert "alpha-vessels" in exam["beta-vessels"][0].detail
    assert exam["beta-vessels"][0].location == "quizzes/beta.yaml:6"
    assert quiz_findings(catalog, "no-such-quiz") == []


def test_review_lists_rules_then_statistics_and_questions_not_yet_drawn(catalog: QuizCatalog) -> None:
    """alpha-easy: everyone right (facility 1.00); alpha-above: 4 of 10 right, breaks a rule;
    alpha-zero breaks a rule and no attempt drew it."""
    items = quiz_items(
        responses([1.0] * 10, [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
        "alpha",
        question_index(catalog),
        rule_flags(catalog, "alpha"),
    )
    review = {entry.question_id: entry for entry in items.review()}
    assert list(review) == ["alpha-above", "alpha-easy", "alpha-zero"]
    assert [str(f) for f in review["alpha-easy"].flags] == ["statistic: facility 1.00 above 0.9 (too easy)"]
    assert [f.name for f in review["alpha-above"].flags] == ["all-none-of-above"]  # facility 0.40: healthy
    zero = review["alpha-zero"]
    assert not zero.seen and [f.name for f in zero.flags] == ["narrow-tolerance"]
    assert zero.label == "How many patients did the review count? (alpha-zero)"
    assert zero.location == f"quizzes/alpha.yaml:{line_of(ALPHA, 'alpha-zero')}"
    assert review["alpha-above"].label == "Which layer does the papule technique aim at, before the ne… (alpha-above)"

    table = items_table(items).set_index("question_id")
    assert table.loc["alpha-above", "review"] == "rule all-none-of-above"
    assert table.loc["alpha-easy", "review"] == "facility 1.00 above 0.9 (too easy)"


def test_a_question_flagged_by_a_rule_and_a_statistic_shows_both(catalog: QuizCatalog) -> None:
    """alpha-above right in 1 of 10 attempts: facility 0.10, below the band, and the rule."""
    items = quiz_items(
        responses([1.0, 0.0] * 5, [1.0] + [0.0] * 9), "alpha", question_index(catalog), rule_flags(catalog, "alpha")
    )
    (above,) = [entry for entry in items.review() if entry.question_id == "alpha-above"]
    assert [str(f).split(":")[0] for f in above.flags] == ["rule all-none-of-above", "statistic"]
    assert str(above.flags[1]) == "statistic: facility 0.10 below 0.3 (too hard, or a wrong key)"
    assert items_table(items).set_index("question_id").loc["alpha-above", "review"] == (
        "rule all-none-of-above; facility 0.10 below 0.3 (too hard, or a wrong key)"
    )
