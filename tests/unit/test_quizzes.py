"""Question banks: one fixture file per defect, each reported with its file and line.

Fixtures live in tests/fixtures/banks/ (one defect each, named after it) and refer to the
fixture lesson in tests/fixtures/banks/lessons/ and the picture in .../assets/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course.check import collect_problems
from course.content.lessons import load_catalog
from course.quiz.attempts import Attempts, Draw, draw_questions
from course.quiz.banks import BankContext, coverage_problems, load_bank, load_quizzes, parse_bank, quiz_signature
from course.quiz.catalog import find_quiz, mistakes_quiz, quiz_titles
from course.quiz.models import MISTAKES_QUIZ, MultipleQuestion, SingleQuestion
from course.quiz.scoring import Mark, Outcome
from course.simulator.drills import SIMULATOR_QUIZ
from course.store.csvstore import Store
from tests.helpers.banks import FIXTURES, fixture_catalog, fixture_context

VALID = FIXTURES / "valid"


@pytest.fixture(scope="module")
def context() -> BankContext:
    return fixture_context()


DEFECTS = [
    ("unknown-type", 7, "unknown question type 'multi-choice' (use one of: single, multiple"),
    ("duplicate-id", 12, "duplicate question id 'dup-one' (also on line 6)"),
    ("missing-answer", 6, "question 'ma-one': missing answer"),
    ("answer-not-among-options", 11, "answer 'D' is not among the options (A; B)"),
    ("single-two-correct", 11, "needs exactly one right option (found 2)"),
    ("no-correct-option", 11, "missing answer: mark one option with 'correct: true'"),
    ("numeric-without-tolerance", 6, "missing required field 'tolerance'"),
    ("unknown-lesson", 9, "unknown lesson 'no-such-lesson' (known: quiz-lesson)"),
    ("unknown-objective", 9, "'no-such-objective' is not an objective of lesson 'quiz-lesson' (recall, apply)"),
    ("unknown-section", 10, "has no section 'no-such-heading' (its sections: first-section, second-section)"),
    ("missing-image", 10, "image 'diagrams/not-there.png' not found under assets/"),
    ("image-outside-assets", 10, "image '../lessons/01-quiz-lesson.md' not found under assets/"),
    ("unknown-region", 10, "unknown skin region 'elbow'"),
    ("unknown-layer", 11, "answer 'bone' is not among the layers (epidermis, papillary-dermis"),
    ("invalid-yaml", 9, "invalid YAML"),
    ("id-mismatch", 1, "id 'another-name' does not match the file name (id-mismatch.yaml)"),
    ("no-questions", 1, "the bank has no questions"),
    ("exam-with-questions", 6, "an exam bank draws from the other banks"),
    ("unknown-field", 11, "explaination: unknown field (check its spelling)"),
    ("distractor-is-answer", 13, "distractor 'Junction' is also a right answer"),
    ("wrong-types", 10, "answer: Input should be a valid number"),
    ("unknown-source-key", 12, "source 'no-such-work-2020' is not a key of lessons/references.yaml"),
    ("cbm-on-multiple", 12, "cbm: true, but a 'multiple' question gives partial credit and cannot carry a certainty"),
]


@pytest.mark.parametrize(("defect", "line", "message"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_each_defect_is_reported_with_its_line(context: BankContext, defect: str, line: int, message: str) -> None:
    path = FIXTURES / f"{defect}.yaml"
    bank, problems = load_bank(path, context)
    assert bank is None
    matching = [p for p in problems if message in p.message]
    assert matching, [str(p) for p in problems]
    assert matching[0].line == line
    assert str(matching[0]).startswith(f"tests/fixtures/banks/{defect}.yaml:{line}: ")


def test_every_defect_fixture_is_covered() -> None:
    on_disk = {p.stem for p in FIXTURES.glob("*.yaml")}
    assert on_disk == {d[0] for d in DEFECTS} | {"reused-id"}


def test_valid_banks_load_with_lessons_filled_in(context: BankContext) -> None:
    bank, problems = load_bank(VALID / "valid-bank.yaml", context)
    assert problems == [] and bank is not None
    assert [q.type for q in bank.questions] == [
        "single",
        "multiple",
        "true_false",
        "numeric",
        "ordering",
        "matching",
        "diagram",
    ]
    assert {q.lesson for q in bank.questions} == {"quiz-lesson"}
    assert bank.version == 3 and bank.settings.pass_mark == 60 and bank.settings.shuffle_questions is False


def _folder(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "quizzes"
    folder.mkdir()
    for name in names:
        source = VALID / name if (VALID / name).exists() else FIXTURES / name
        shutil.copy(source, folder / name)
    return folder


def test_a_broken_bank_leaves_the_others_working(tmp_path: Path, context: BankContext) -> None:
    folder = _folder(tmp_path, "valid-bank.yaml", "other-bank.yaml", "unknown-type.yaml")
    catalog = load_quizzes(folder, context)
    assert [b.id for b in catalog.banks] == ["other-bank", "valid-bank"]
    assert list(catalog.broken) == [folder / "unknown-type.yaml"]
    assert catalog.quiz("valid-bank") is not None and catalog.quiz("unknown-type") is None


def test_an_id_used_in_another_bank_breaks_the_later_bank(tmp_path: Path, context: BankContext) -> None:
    """Files load in name order: reused-id.yaml comes first, so valid-bank.yaml is the later one."""
    folder = _folder(tmp_path, "valid-bank.yaml", "reused-id.yaml")
    catalog = load_quizzes(folder, context)
    assert [b.id for b in catalog.banks] == ["reused-id"]
    (problem,) = catalog.broken[folder / "valid-bank.yaml"]
    assert problem.message == "question id 'vb-single' is already used in reused-id.yaml"


def test_the_final_exam_draws_from_every_other_bank(tmp_path: Path, context: BankContext) -> None:
    folder = _folder(tmp_path, "valid-bank.yaml", "other-bank.yaml", "final-exam.yaml")
    catalog = load_quizzes(folder, context)
    assert catalog.banks[-1].id == "final-exam"
    exam = catalog.quiz("final-exam")
    assert exam is not None
    assert [len(pool) for pool in exam.pools] == [3, 7]
    assert exam.draw_per_pool == 2 and exam.draw_size == 4
    assert exam.settings.time_limit_min == 30 and exam.version == "1"
    assert set(exam.questions) == set(catalog.questions)


def test_answer_key_marks_the_option(context: BankContext) -> None:
    text = """id: keyed
title: Keyed
version: 1
lesson: quiz-lesson
questions:
  - {id: k-one, type: single, prompt: "?", objective: recall, explanation: ".", answer: B,
     options: [{text: A}, {text: B}]}
  - {id: k-two, type: multiple, prompt: "?", objective: recall, explanation: ".", answer: [A, C],
     options: [{text: A}, {text: B}, {text: C}]}
"""
    bank, problems = parse_bank(text, Path("keyed.yaml"), context)
    assert problems == [] and bank is not None
    single, multiple = bank.questions
    assert isinstance(single, SingleQuestion) and single.right == "B"
    assert isinstance(multiple, MultipleQuestion) and multiple.right == frozenset({"A", "C"})


def test_drawing_more_than_the_pool_is_a_warning_not_an_error(context: BankContext) -> None:
    text = (VALID / "other-bank.yaml").read_text().replace("draw: 2", "draw: 9")
    bank, problems = parse_bank(text, Path("other-bank.yaml"), context)
    assert bank is not None
    assert [(p.severity, p.line) for p in problems] == [("warning", 5)]
    assert "draw is 9 but the bank has only 3 questions" in problems[0].message


def test_objectives_with_fewer_than_two_questions_are_warned(tmp_path: Path, context: BankContext) -> None:
    catalog = load_catalog(FIXTURES / "lessons")
    quizzes = load_quizzes(_folder(tmp_path, "other-bank.yaml"), context)
    problems = coverage_problems(quizzes, catalog)
    assert [p.severity for p in problems] == ["warning"]
    assert "objective 'apply' is assessed by 1 question(s)" in problems[0].message


def test_check_reports_bank_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path, "valid-bank.yaml", "single-two-correct.yaml")
    monkeypatch.setenv("MESO_QUIZZES_DIR", str(folder))
    monkeypatch.setenv("MESO_LESSONS_DIR", str(FIXTURES / "lessons"))
    text = [str(p) for p in collect_problems()]
    assert any(
        t.endswith(
            "single-two-correct.yaml:11: question 'stc-one': a single-choice question needs exactly "
            "one right option (found 2)"
        )
        for t in text
    ), text


def test_signature_changes_when_a_bank_changes(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "other-bank.yaml")
    before = quiz_signature(folder)
    (folder / "other-bank.yaml").write_text((folder / "other-bank.yaml").read_text() + "\n")
    assert quiz_signature(folder) != before


def test_mistakes_quiz_takes_every_question_given(context: BankContext) -> None:
    bank, _ = load_bank(VALID / "valid-bank.yaml", context)
    assert bank is not None
    quiz = mistakes_quiz(bank.questions[:3])
    assert quiz.id == "review-mistakes" and quiz.draw_size == 3


def record(store: Store, attempt_id: str, learner: str, marks: dict[str, float]) -> None:
    """Store a submitted attempt of the valid bank with these points (out of 1) per question."""
    draw = Draw(attempt_id, learner, "valid-bank", "2026-03-01T09:00:00+00:00", 0, tuple(marks), "1")
    rows = tuple(Mark(q, points, 1.0) for q, points in marks.items())
    outcome = Outcome(rows, sum(marks.values()), len(marks), 0.0, False, (), ())
    Attempts(store).record(draw, outcome, {})


def test_find_quiz_builds_the_learners_review_of_mistakes_from_the_store(tmp_path: Path) -> None:
    catalog, store = fixture_catalog(), Store(tmp_path)
    record(store, "a1", "ada", {"vb-single": 0.0, "vb-numeric": 1.0, "vb-multiple": 0.0})
    record(store, "a2", "ada", {"vb-multiple": 1.0, "vb-ordering": 0.5, "no-longer-in-a-bank": 0.0})
    record(store, "b1", "bob", {"vb-true-false": 0.0})
    review = find_quiz(catalog, MISTAKES_QUIZ, store, "ada")
    assert review is not None and review.id == MISTAKES_QUIZ
    # latest answers only (vb-multiple was put right), newest first, removed questions left out
    assert [q.id for pool in review.pools for q in pool] == ["vb-ordering", "vb-single"]
    nothing = find_quiz(catalog, MISTAKES_QUIZ, store, "cy")
    assert nothing is not None and nothing.draw_size == 0


def test_find_quiz_gives_a_banks_quiz_or_none(tmp_path: Path) -> None:
    catalog = fixture_catalog()
    assert find_quiz(catalog, "valid-bank", Store(tmp_path), "ada") == catalog.quiz("valid-bank")
    assert find_quiz(catalog, "no-such-quiz", Store(tmp_path), "ada") is None


def test_quiz_titles_name_every_bank_and_the_two_quizzes_without_one() -> None:
    catalog = fixture_catalog()
    titles = quiz_titles(catalog)
    assert {bank.id: titles[bank.id] for bank in catalog.banks} == {bank.id: bank.title for bank in catalog.banks}
    assert titles[MISTAKES_QUIZ] == "Review my mistakes"
    assert titles[SIMULATOR_QUIZ] == "Needle simulator drill"


def test_the_final_exam_weights_banks_by_risk(tmp_path: Path, context: BankContext) -> None:
    """``per_bank`` draws more from some banks and fewer (or none) from others."""
    folder = _folder(tmp_path, "valid-bank.yaml", "other-bank.yaml", "final-exam.yaml")
    exam_file = folder / "final-exam.yaml"
    exam_file.write_text(
        exam_file.read_text().replace(
            "draw_per_bank: 2", "draw_per_bank: 2\n  per_bank: {other-bank: 3, valid-bank: 0}"
        )
    )
    catalog = load_quizzes(folder, context)
    exam = catalog.quiz("final-exam")
    assert exam is not None and exam.draws() == (3, 0) and exam.draw_size == 3  # other-bank holds 3
    drawn = draw_questions(exam, seed=3)
    assert len(drawn) == 3 and set(drawn) <= {q.id for q in catalog.bank("other-bank").questions}
    assert not catalog.warnings


def test_an_exam_weight_for_no_bank_is_warned(tmp_path: Path, context: BankContext) -> None:
    folder = _folder(tmp_path, "valid-bank.yaml", "final-exam.yaml")
    exam_file = folder / "final-exam.yaml"
    exam_file.write_text(
        exam_file.read_text().replace("draw_per_bank: 2", "draw_per_bank: 2\n  per_bank: {histroy: 1}")
    )
    [warning] = load_quizzes(folder, context).warnings
    assert warning.severity == "warning" and "per_bank names 'histroy', which is not a bank" in warning.message


def test_source_keys_are_not_checked_without_a_usable_bibliography(context: BankContext) -> None:
    """A missing or broken references file is reported by the lessons' check, not once per question."""
    from dataclasses import replace

    bank, problems = load_bank(FIXTURES / "unknown-source-key.yaml", replace(context, reference_keys=None))
    assert bank is not None and problems == []
    assert context.reference_keys == frozenset({"test-fixture"})


def test_a_missing_references_file_leaves_source_keys_unchecked(tmp_path: Path) -> None:
    context = BankContext.from_catalog(load_catalog(tmp_path), lessons_folder=tmp_path)
    assert context.reference_keys is None
