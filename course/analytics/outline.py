"""The course outline a learner sees on Home: each lesson's steps and where to continue.

A lesson has two steps: **read** it (marked complete on its page) and **pass its quiz** (the
bank whose ``lesson`` is this lesson, when there is one). The learner continues at the first
lesson, in course order, with a step left; when every lesson is done, the final exam is next.
Pure functions over what the store already holds (the progress replay and the attempts).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from course.content.models import Lesson
from course.quiz.models import QuizCatalog
from course.store.base import truthy


class Step(StrEnum):
    READ = "read"
    QUIZ = "quiz"
    DONE = "done"


@dataclass(frozen=True)
class LessonStatus:
    """One lesson in the outline: read or not, its quiz and whether it was passed."""

    lesson_id: str
    number: int
    title: str
    minutes: int
    read: bool
    quiz: str | None
    quiz_passed: bool

    @property
    def next_step(self) -> Step:
        if not self.read:
            return Step.READ
        if self.quiz is not None and not self.quiz_passed:
            return Step.QUIZ
        return Step.DONE

    @property
    def status(self) -> str:
        """The lesson's state in words (never by colour or icon alone)."""
        if self.next_step is Step.DONE:
            return "done" if self.quiz else "read"
        if self.next_step is Step.QUIZ:
            return "read · quiz to pass"
        return "quiz passed · not yet marked read" if self.quiz_passed else "not started"


@dataclass(frozen=True)
class Outline:
    lessons: tuple[LessonStatus, ...]

    @property
    def next_lesson(self) -> LessonStatus | None:
        """Where to continue: the first lesson in course order with a step left."""
        return next((lesson for lesson in self.lessons if lesson.next_step is not Step.DONE), None)

    @property
    def finished(self) -> bool:
        return bool(self.lessons) and self.next_lesson is None

    @property
    def steps_done(self) -> tuple[int, int]:
        """Steps done and steps in all (a lesson without a quiz has one step)."""
        total = sum(1 + (lesson.quiz is not None) for lesson in self.lessons)
        done = sum(lesson.read + (lesson.quiz is not None and lesson.quiz_passed) for lesson in self.lessons)
        return done, total


@dataclass(frozen=True)
class LessonInfo:
    """What the outline needs of a lesson."""

    lesson_id: str
    title: str
    minutes: int


def lesson_quizzes(quizzes: QuizCatalog) -> dict[str, str]:
    """Lesson id -> the id of the quiz that checks it (the bank whose ``lesson`` it is; not an exam)."""
    return {bank.lesson: bank.id for bank in quizzes.banks if bank.lesson and bank.exam is None}


def passed_quizzes(attempts: pd.DataFrame, learner: str) -> frozenset[str]:
    """The quizzes ``learner`` has passed at least once (``attempts.csv`` as read by the store)."""
    if attempts.empty:
        return frozenset()
    mine = attempts[(attempts["learner"] == learner) & truthy(attempts["passed"])]
    return frozenset(mine["quiz"].astype(str))


def course_outline(
    lessons: Sequence[LessonInfo],
    quiz_of_lesson: Mapping[str, str],
    read: Collection[str],
    passed: Collection[str],
) -> Outline:
    """The outline for one learner: ``read`` lessons and ``passed`` quizzes (ids).

    >>> info = [LessonInfo("a", "A", 10), LessonInfo("b", "B", 5)]
    >>> outline = course_outline(info, {"a": "quiz-a"}, read={"a"}, passed=set())
    >>> outline.next_lesson.lesson_id, outline.next_lesson.next_step.value, outline.steps_done
    ('a', 'quiz', (1, 3))
    """
    return Outline(
        tuple(
            LessonStatus(
                lesson_id=info.lesson_id,
                number=number,
                title=info.title,
                minutes=info.minutes,
                read=info.lesson_id in read,
                quiz=quiz_of_lesson.get(info.lesson_id),
                quiz_passed=quiz_of_lesson.get(info.lesson_id) in passed,
            )
            for number, info in enumerate(lessons, 1)
        )
    )


def learner_outline(
    lessons: Sequence[Lesson],
    quizzes: QuizCatalog,
    read: Collection[str],
    attempts: pd.DataFrame,
    learner: str | None,
    *,
    also_passed: Collection[str] = (),
) -> Outline:
    """The outline of ``learner`` (None: signed out, nothing done) from the lessons, the banks,
    the lessons they marked read and the stored attempts; ``also_passed`` adds quizzes just
    passed whose attempt row the store may not show yet."""
    passed = passed_quizzes(attempts, learner) if learner else frozenset()
    return course_outline(
        [LessonInfo(lesson.id, lesson.title, lesson.meta.duration_min) for lesson in lessons],
        lesson_quizzes(quizzes),
        read=read,
        passed=passed | frozenset(also_passed),
    )
