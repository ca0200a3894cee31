"""Item-writing rules: one small bank per rule, the rule fires on it and not on its fixed twin.

Each bank is built from YAML text, as a tutor writes it, and loaded through the real bank
parser, so line numbers and waivers are checked as ``check`` reports them.
"""

from __future__ import annotations

import itertools
import textwrap
from pathlib import Path

import pytest

from course.quiz.banks import BankContext, parse_bank
from course.quiz.item_rules import RULES, catalog_findings, item_problems, key_is_longest, tick_all_share
from course.quiz.models import QuizCatalog, SingleQuestion, WaivableRule
from tests.helpers.banks import fixture_context

HEADER = """\
id: {bank}
title: Rules
version: 1
lesson: quiz-lesson
questions:
"""


@pytest.fixture(scope="module")
def context() -> BankContext:
    return fixture_context()


def catalog(context: BankContext, questions: str, bank: str = "rules") -> QuizCatalog:
    text = HEADER.format(bank=bank) + textwrap.indent(textwrap.dedent(questions), "  ")
    parsed, problems = parse_bank(text, Path(f"quizzes/{bank}.yaml"), context)
    assert parsed is not None, [str(p) for p in problems]
    return QuizCatalog((parsed,))


def rules(context: BankContext, questions: str) -> list[tuple[str, str]]:
    return sorted((f.rule, f.question.id) for f in catalog_findings(catalog(context, questions)))


TOPICS = itertools.cycle(("papule", "nappage", "needle", "angle", "vial", "gauze", "scalp", "cheek", "forehead"))


def single(qid: str, key: str, *wrong: str, extra: str = "") -> str:
    """A single-choice question in bank YAML; its prompt names a topic no other question shares."""
    topic = next(TOPICS)
    options = "\n".join([f"    - {{text: '{key}', correct: true}}", *(f"    - {{text: '{w}'}}" for w in wrong)])
    return f"""\
- id: {qid}
  type: single
  prompt: Describe the {topic}.
  objective: recall
  explanation: Because.
{extra}  options:
{options}
"""


def test_every_rule_is_described_and_waivable() -> None:
    assert set(RULES) == set(WaivableRule.__args__)  # type: ignore[attr-defined]


def test_longest_key_fires_only_beyond_chance(context: BankContext) -> None:
    cued = "".join(single(f"cue-{i}", "the much longer right answer", "short", "brief", "tiny") for i in range(4))
    assert rules(context, cued) == [("longest-key", f"cue-{i}") for i in range(4)]
    # one cued item in four is 25 %, within chance (25 %) plus the margin: nothing to report
    fair = single("cue-0", "the much longer right answer", "short", "brief", "tiny") + "".join(
        single(f"fair-{i}", "right", "a wrong answer as long", "another long wrong one", "third") for i in range(3)
    )
    assert [r for r in rules(context, fair) if r[0] == "longest-key"] == []


def test_key_is_longest_needs_a_strictly_longer_key(context: BankContext) -> None:
    bank = catalog(context, single("tie", "same", "also") + single("long", "longer one", "no"))
    questions = [q for q in bank.banks[0].questions if isinstance(q, SingleQuestion)]
    assert [key_is_longest(q) for q in questions] == [False, True]


def test_unequal_options(context: BankContext) -> None:
    found = rules(context, single("uneq", "Yes", "No", "A wrong option that goes on and on for many words"))
    assert ("unequal-options", "uneq") in found
    assert ("unequal-options", "even") not in rules(context, single("even", "Dermis", "Epidermis", "Hypodermis"))


def test_all_or_none_of_the_above(context: BankContext) -> None:
    assert ("all-none-of-above", "above") in rules(context, single("above", "Dermis", "Epidermis", "All of the above"))


def test_absolute_words_that_cue_the_false_statement(context: BankContext) -> None:
    false_tf = """\
    - id: tf-cue
      type: true_false
      prompt: Every technique always targets the dermis.
      objective: recall
      explanation: No.
      answer: false
    - id: tf-true
      type: true_false
      prompt: Every dermis has collagen.
      objective: recall
      explanation: Yes.
      answer: true
    """
    assert rules(context, false_tf) == [("absolute-cue", "tf-cue")]
    cued_options = single("opts", "It depends on the region", "It is always 4 mm", "It is never deeper than 1 mm")
    assert ("absolute-cue", "opts") in rules(context, cued_options)


def test_near_duplicate_stems_in_one_pool(context: BankContext) -> None:
    questions = """\
    - id: dup-a
      type: true_false
      prompt: The epidermis has no blood vessels of its own.
      objective: recall
      explanation: Yes.
      answer: true
    - id: dup-b
      type: true_false
      prompt: The epidermis has no blood vessels.
      objective: recall
      explanation: Yes.
      answer: true
    - id: other
      type: true_false
      prompt: Nappage is a superficial technique.
      objective: recall
      explanation: Yes.
      answer: true
    """
    assert rules(context, questions) == [("near-duplicate", "dup-b")]


def test_zero_or_negligible_numeric_tolerance(context: BankContext) -> None:
    questions = """\
    - id: zero
      type: numeric
      prompt: How many patients?
      objective: recall
      explanation: '423 patients.'
      answer: 423
      tolerance: 0
    - id: fine
      type: numeric
      prompt: Tip depth in mm?
      objective: recall
      explanation: '2 mm.'
      answer: 2
      tolerance: 0.1
    """
    assert rules(context, questions) == [("narrow-tolerance", "zero")]


def test_must_pass_needs_a_safety_tag_and_a_source(context: BankContext) -> None:
    questions = """\
    - id: crit-bare
      type: true_false
      prompt: Inject through an infected site.
      objective: recall
      explanation: Never.
      answer: false
      critical: true
    - id: crit-ok
      type: true_false
      prompt: Use a new sterile needle for each patient.
      objective: recall
      explanation: Yes.
      answer: true
      critical: true
      tags: [safety]
      sources: [test-fixture]
    """
    found = catalog_findings(catalog(context, questions))
    assert [(f.rule, f.question.id) for f in found] == [("critical-unsourced", "crit-bare")]
    assert "a 'safety' tag and a cited source" in found[0].message


def test_tick_all_pays(context: BankContext) -> None:
    questions = """\
    - id: mostly-right
      type: multiple
      prompt: Tick the right ones.
      objective: recall
      explanation: Three of four.
      options: [{text: A, correct: true}, {text: B, correct: true}, {text: C, correct: true}, {text: D}]
    - id: half-right
      type: multiple
      prompt: Tick the correct ones here.
      objective: recall
      explanation: Two of four.
      options: [{text: A, correct: true}, {text: B, correct: true}, {text: C}, {text: D}]
    """
    bank = catalog(context, questions).banks[0]
    assert [tick_all_share(q) for q in bank.questions] == [pytest.approx(2 / 3), 0.0]  # type: ignore[arg-type]
    assert rules(context, questions) == [("tick-all-pays", "mostly-right")]


def test_a_waiver_with_a_reason_silences_one_rule(context: BankContext) -> None:
    waived = single(
        "uneq",
        "Yes",
        "No",
        "A wrong option that goes on and on for many words",
        extra="  waive: {unequal-options: 'The long option is the classic misconception, quoted.'}\n",
    )
    assert rules(context, waived) == []


def test_problems_name_the_file_line_and_rule(context: BankContext) -> None:
    bank = catalog(
        context, single("first", "Dermis", "Epidermis", "Hypodermis") + single("above", "A", "B", "None of the above")
    )
    [problem] = item_problems(bank)
    assert problem.severity == "warning"
    assert str(problem).startswith("quizzes/rules.yaml:")
    assert problem.line == 15 and "question 'above' [all-none-of-above]" in problem.message


@pytest.mark.parametrize(
    ("waive", "message"),
    [
        ("{unequal-options: ''}", "waive.unequal-options: String should have at least 10 characters"),
        ("{made-up-rule: 'A reason long enough.'}", "waive.made-up-rule"),
    ],
)
def test_a_waiver_without_a_reason_or_for_no_rule_is_an_error(context: BankContext, waive: str, message: str) -> None:
    text = HEADER.format(bank="rules") + textwrap.indent(single("w", "Yes", "No", extra=f"  waive: {waive}\n"), "  ")
    bank, problems = parse_bank(text, Path("quizzes/rules.yaml"), context)
    assert bank is None
    assert any(p.line == 11 and message in p.message for p in problems), [str(p) for p in problems]


def test_check_stats_prints_the_cue_rate_and_the_applied_share_before_and_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three single-choice questions, the key longest in two, one of them application-level."""
    from course.__main__ import main
    from tests.helpers.banks import FIXTURES

    quizzes = tmp_path / "quizzes"
    quizzes.mkdir()
    questions = (
        single("s-1", "the much longer right answer", "short", "brief")
        + single("s-2", "another long right answer", "no", "nay", extra="  level: application\n")
        + single("s-3", "right", "a longer wrong one", "and another")
    )
    (quizzes / "stats.yaml").write_text(HEADER.format(bank="stats") + textwrap.indent(questions, "  "))
    monkeypatch.setenv("MESO_QUIZZES_DIR", str(quizzes))
    monkeypatch.setenv("MESO_LESSONS_DIR", str(FIXTURES / "lessons"))
    main(["check", "--stats"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[:4] == [
        "bank: questions, key longest in single-choice, application-level",
        "  stats: 3, 2/3 (67%), 1/3 (33%)",
        "key longest: before 54/82 (66%), now 2/3 (67%)",
        "application-level: before 0/161 (0%), now 1/3 (33%)",
    ]
    assert any("question 's-1' [longest-key]" in line for line in lines)  # 67 % is beyond chance (33 %) + 10
