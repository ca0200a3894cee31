"""The course outline on Home: each lesson's steps and where the learner continues."""

from __future__ import annotations

import pandas as pd

from course.analytics.outline import LessonInfo, Step, course_outline, lesson_quizzes, passed_quizzes
from course.quiz.models import QuizCatalog

LESSONS = [LessonInfo("a", "A", 10), LessonInfo("b", "B", 5), LessonInfo("c", "C", 5)]
QUIZZES = {"a": "quiz-a", "b": "quiz-b"}  # lesson c has no quiz


def test_a_new_learner_starts_by_reading_the_first_lesson() -> None:
    outline = course_outline(LESSONS, QUIZZES, read=set(), passed=set())
    assert outline.next_lesson is not None and outline.next_lesson.lesson_id == "a"
    assert outline.next_lesson.next_step is Step.READ
    assert outline.steps_done == (0, 5) and not outline.finished
    assert [lesson.status for lesson in outline.lessons] == ["not started"] * 3


def test_after_reading_the_quiz_is_next_then_the_following_lesson() -> None:
    outline = course_outline(LESSONS, QUIZZES, read={"a"}, passed=set())
    assert (outline.next_lesson.lesson_id, outline.next_lesson.next_step) == ("a", Step.QUIZ)
    assert outline.lessons[0].status == "read · quiz to pass"
    outline = course_outline(LESSONS, QUIZZES, read={"a"}, passed={"quiz-a"})
    assert (outline.next_lesson.lesson_id, outline.next_lesson.next_step) == ("b", Step.READ)
    assert outline.lessons[0].status == "done"


def test_a_passed_quiz_without_reading_still_asks_to_read() -> None:
    outline = course_outline(LESSONS, QUIZZES, read=set(), passed={"quiz-a"})
    assert outline.lessons[0].next_step is Step.READ
    assert outline.lessons[0].status == "quiz passed · not yet marked read"


def test_a_lesson_without_a_quiz_is_done_once_read_and_everything_done_finishes() -> None:
    outline = course_outline(LESSONS, QUIZZES, read={"a", "b", "c"}, passed={"quiz-a", "quiz-b"})
    assert outline.lessons[2].status == "read" and outline.finished and outline.next_lesson is None
    assert outline.steps_done == (5, 5)
    assert course_outline([], QUIZZES, read=set(), passed=set()).finished is False


def test_passed_quizzes_reads_the_passed_column_of_one_learner() -> None:
    attempts = pd.DataFrame(
        {
            "learner": ["ada", "ada", "bob", "ada"],
            "quiz": ["quiz-a", "quiz-b", "quiz-c", "quiz-b"],
            "passed": ["true", "false", "true", "False"],
        }
    )
    assert passed_quizzes(attempts, "ada") == {"quiz-a"}
    assert passed_quizzes(attempts.iloc[0:0], "ada") == frozenset()


def test_each_lesson_maps_to_its_bank_and_the_final_exam_to_none(real_quizzes: QuizCatalog) -> None:
    mapping = lesson_quizzes(real_quizzes)
    assert mapping["techniques"] == "techniques"
    assert "final-exam" not in mapping.values()
    assert len(mapping) == len([b for b in real_quizzes.banks if b.lesson])
