"""Self-checks and readability in the package: the ``{{ check: bank/question-id }}`` marker,
``check``'s errors for an unknown bank or question (file:line), practice kept in its own table
(never an attempt), and the paragraph-length warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.check import collect_problems, readability_problems
from course.content.lessons import parse_lesson
from course.content.markers import parse_marker
from course.content.models import Catalog, CheckRef
from course.content.problems import ContentError
from course.content.readability import long_paragraphs
from course.quiz.answers import AnswerError
from course.quiz.models import QuizCatalog, SingleQuestion
from course.quiz.practice import Practice
from course.quiz.self_checks import self_check_problems, self_check_question
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, PRACTICE, RESPONSES

HEAD = (
    "---\nid: demo\ntitle: Demo\norder: 99\nduration_min: 5\n"
    "objectives:\n  - id: obj\n    text: An objective.\nsources:\n  - amin-2006\n---\n"
)  # the body starts on line 12


def demo_lesson(body: str) -> Catalog:
    return Catalog(lessons=(parse_lesson(HEAD + body, Path("lessons/99-demo.md")),))


def test_check_marker_is_a_block_with_its_file_line() -> None:
    lesson = parse_lesson(HEAD + "Text.\n\n{{ check: techniques/tech-gun-hygiene }}\n\nMore.\n", Path("99-demo.md"))
    assert [b for b in lesson.blocks if isinstance(b, CheckRef)] == [CheckRef("techniques", "tech-gun-hygiene", 14)]
    assert lesson.blocks[0] == "Text.\n" and "More." in str(lesson.blocks[-1])


@pytest.mark.parametrize(
    "line",
    ["{{ check: tech-gun-hygiene }}", "{{ check: techniques/ }}", "{{check techniques/x}}", "a {{ check: a/b }}"],
)
def test_malformed_check_marker_is_an_error_with_its_line(line: str) -> None:
    assert parse_marker(line, 3) == "malformed self-check marker: write {{ check: bank/question-id }} on its own line"
    with pytest.raises(ContentError) as caught:
        parse_lesson(HEAD + f"Text.\n\n{line}\n", Path("99-demo.md"))
    assert [(p.line, "self-check" in p.message) for p in caught.value.problems] == [(14, True)]


def test_a_check_marker_shown_as_code_is_not_a_marker() -> None:
    lesson = parse_lesson(HEAD + "Write `{{ check: a/b }}` on its own line.\n", Path("99-demo.md"))
    assert not any(isinstance(b, CheckRef) for b in lesson.blocks)


def test_unknown_bank_or_question_is_an_error_at_the_marker(real_quizzes: QuizCatalog) -> None:
    catalog = demo_lesson(
        "Intro.\n\n{{ check: techniques/tech-gun-hygiene }}\n\n{{ check: no-such-bank/x }}\n\n"
        "{{ check: techniques/no-such-question }}\n\n{{ check: techniques/tech-papule-amin-depth }}\n"
    )
    found = [(p.line, p.message) for p in self_check_problems(catalog, real_quizzes)]
    assert [line for line, _ in found] == [16, 18, 20]
    assert "unknown bank 'no-such-bank'" in found[0][1]
    assert "has no question 'no-such-question'" in found[1][1]
    assert "diagram question" in found[2][1]
    assert all(
        p.severity == "error" and str(p).startswith("lessons/99-demo.md:")
        for p in self_check_problems(catalog, real_quizzes)
    )


def test_the_real_course_has_self_checks_that_resolve(real_catalog: Catalog, real_quizzes: QuizCatalog) -> None:
    refs = {lesson.id: [b for b in lesson.blocks if isinstance(b, CheckRef)] for lesson in real_catalog.lessons}
    for lesson_id in ("skin-anatomy", "injection-depth", "techniques", "safety", "complications"):
        assert 1 <= len(refs[lesson_id]) <= 3, lesson_id
        for ref in refs[lesson_id]:
            question = self_check_question(real_quizzes, ref)
            assert question is not None and question.lesson == lesson_id and question.level == "application"
    assert self_check_problems(real_catalog, real_quizzes) == []


def test_practice_is_stored_in_its_own_table_never_as_an_attempt(tmp_path: Path, real_quizzes: QuizCatalog) -> None:
    store = Store(tmp_path)
    question = self_check_question(real_quizzes, CheckRef("techniques", "tech-gun-hygiene", 1))
    assert isinstance(question, SingleQuestion)
    right = next(o.text for o in question.options if o.correct)
    wrong = next(o.text for o in question.options if not o.correct)
    practice = Practice(store)
    assert practice.record("ana", "techniques", question, wrong).correct is False
    mark = practice.record("ana", "techniques", question, right)
    assert mark.correct and mark.points == question.points
    rows = store.read(PRACTICE).frame
    assert list(rows["answer"]) == [wrong, right]
    assert list(rows["correct"]) == ["false", "true"]
    assert set(rows["lesson_id"]) == {"techniques"} and set(rows["learner"]) == {"ana"}
    assert practice.answered("ana") == {"tech-gun-hygiene": True}
    assert not store.path(ATTEMPTS).exists() and not store.path(RESPONSES).exists()
    assert store.path(PRACTICE).read_text().splitlines()[0] == PRACTICE.header


def test_an_answer_no_widget_could_give_is_refused_and_not_stored(tmp_path: Path, real_quizzes: QuizCatalog) -> None:
    store = Store(tmp_path)
    question = self_check_question(real_quizzes, CheckRef("techniques", "tech-gun-hygiene", 1))
    assert question is not None
    with pytest.raises(AnswerError):
        Practice(store).record("ana", "techniques", question, "an option that is not there")
    assert store.read(PRACTICE).frame.empty


def test_a_paragraph_over_90_words_is_a_warning_at_its_line() -> None:
    long = " ".join(["word"] * 91) + " [@amin-2006; @chopra-2015] `code words here`"
    ok = " ".join(["word"] * 90) + " [@amin-2006]"
    lesson = demo_lesson(f"## Heading\n\n{ok}\n\n- {long}\n").lessons[0]
    problems = long_paragraphs(lesson)
    assert [(p.line, p.severity) for p in problems] == [(16, "warning")]
    assert "91 words" in problems[0].message


def test_check_reports_long_paragraphs_of_the_lessons_folder(content_dirs: tuple[Path, Path]) -> None:
    lessons, _ = content_dirs
    path = lessons / "02-history.md"
    path.write_text(path.read_text() + "\n" + " ".join(["word"] * 95) + "\n")
    found = [str(p) for p in readability_problems(lessons)]
    assert any("02-history.md:" in f and "95 words" in f for f in found)
    assert any("95 words" in str(p) for p in collect_problems() if p.severity == "warning")
