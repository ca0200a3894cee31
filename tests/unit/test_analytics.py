"""A learner's progress: their attempts, best scores, mastery per objective, mistakes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from course.analytics.learner import (
    attempts_table,
    course_order,
    learner_progress,
    lesson_label,
    mastery,
    mastery_by_lesson,
    objective_labels,
    quiz_stats,
    quizzes_passed,
    recent_mistakes,
    select_attempts,
    select_progress,
)
from course.content.models import Catalog, Lesson, LessonMeta, Objective
from tests.helpers.learner_tables import ATTEMPTS, QUESTIONS, RESPONSES, question


def test_only_the_learners_rows_oldest_first() -> None:
    progress = select_progress(ATTEMPTS, RESPONSES, "ada")
    assert list(progress.attempts["attempt_id"]) == ["a2", "a1", "a3", "s1"]  # unreadable time last
    assert progress.attempts["passed"].tolist() == [False, True, False, True]
    assert progress.attempts["when"].isna().tolist() == [False, False, False, True]
    assert set(progress.responses["attempt_id"]) == {"a1", "a2", "a3", "s1"}
    assert progress.responses["correct"].dtype == bool


def test_quiz_stats_best_score_and_passed() -> None:
    stats = quiz_stats(select_attempts(ATTEMPTS, "ada"))
    assert stats["history"].attempts == 2 and stats["history"].best_percentage == 100 and stats["history"].passed
    assert stats["safety"].attempts == 1 and not stats["safety"].passed
    assert "simulator" in stats


def test_mastery_counts_the_latest_answer_to_each_question() -> None:
    table = mastery(select_progress(ATTEMPTS, RESPONSES, "ada"), QUESTIONS)
    rows = {(r.lesson, r.objective): r for r in table.itertuples()}
    assert set(rows) == {("history", "key-dates"), ("safety", "asepsis")}  # drills are not bank questions
    dates = rows[("history", "key-dates")]
    assert (dates.earned, dates.possible, dates.questions, dates.share) == (2.0, 2, 2, 1.0)
    assert rows[("safety", "asepsis")].share == 0.0


def test_mastery_per_lesson_sums_its_objectives() -> None:
    table = mastery(
        select_progress(ATTEMPTS, RESPONSES, "ada"), {**QUESTIONS, "s-two": question("s-two", "safety", "consent")}
    )
    two = pd.concat([table, table.assign(objective="other", earned=0.0)], ignore_index=True)
    lessons = mastery_by_lesson(two).set_index("lesson")
    assert lessons.loc["history", "earned"] == 2.0 and lessons.loc["history", "possible"] == 4
    assert lessons.loc["history", "share"] == 0.5 and lessons.loc["safety", "share"] == 0.0


def test_mistakes_are_latest_wrong_answers_newest_first() -> None:
    progress = select_progress(ATTEMPTS, RESPONSES, "ada")
    assert recent_mistakes(progress, QUESTIONS) == ["s-one"]  # h-two was wrong, then right
    assert recent_mistakes(select_progress(ATTEMPTS, RESPONSES, "bob"), QUESTIONS) == []


def test_a_learner_without_attempts_gets_empty_tables() -> None:
    progress = select_progress(ATTEMPTS, RESPONSES, "nobody")
    assert progress.attempts.empty and progress.responses.empty
    assert mastery(progress, QUESTIONS).empty and recent_mistakes(progress, QUESTIONS) == []
    assert quiz_stats(progress.attempts) == {}


def test_remembered_while_the_frames_are_the_same_objects() -> None:
    first = learner_progress(ATTEMPTS, RESPONSES, "ada")
    assert learner_progress(ATTEMPTS, RESPONSES, "ada") is first
    assert learner_progress(ATTEMPTS, RESPONSES, "bob") is not first
    changed = pd.concat([RESPONSES, RESPONSES.iloc[[0]]], ignore_index=True)
    again = learner_progress(ATTEMPTS, changed, "ada")
    assert again is not first and len(again.responses) == len(first.responses) + 1


@pytest.mark.parametrize("text", ["true", "True", " TRUE ", "1", "yes"])
def test_passed_is_read_leniently(text: str) -> None:
    frame = ATTEMPTS.assign(passed=text)
    assert select_progress(frame, RESPONSES, "ada").attempts["passed"].all()


def lesson(lesson_id: str, title: str, objectives: dict[str, str]) -> Lesson:
    meta = LessonMeta(
        id=lesson_id,
        title=title,
        order=1,
        objectives=tuple(Objective(id=k, text=v) for k, v in objectives.items()),
        duration_min=10,
        sources=("a-source",),
    )
    return Lesson(meta, Path(f"{lesson_id}.md"), "", ())


# the course teaches safety before history; the mastery table met history first
CATALOG = Catalog(
    lessons=(
        lesson("safety", "Safety first", {"asepsis": "Prepare the skin."}),
        lesson("history", "History", {"key-dates": "Date the founding."}),
    )
)


def test_quizzes_passed_counts_only_the_course_quizzes() -> None:
    stats = quiz_stats(select_attempts(ATTEMPTS, "ada"))  # history passed, safety not, simulator drill passed
    assert quizzes_passed(stats, {"history", "safety"}) == 1
    assert quizzes_passed(stats, {"safety"}) == 0


def test_the_attempts_table_is_newest_first_with_titles_and_results_in_words() -> None:
    attempts = select_attempts(
        ATTEMPTS.assign(outcome=["submitted", "submitted", "submitted", "expired", "submitted"]), "ada"
    )
    table = attempts_table(attempts, {"history": "History", "safety": "Safety"})
    assert list(table["Quiz"]) == ["simulator", "Safety", "History", "History"]  # an unknown id stays as is
    assert list(table["Result"]) == ["Passed", "Time is up (not passed)", "Passed", "Not passed"]
    assert list(table["Score"]) == ["1 / 1", "0 / 1", "2 / 2", "1 / 2"]
    assert list(table["Date (UTC)"])[1:] == ["2026-03-03 10:00", "2026-03-02 10:00", "2026-03-01 10:00"]


def test_mastery_reads_in_course_order_with_lesson_numbers() -> None:
    table = mastery(select_progress(ATTEMPTS, RESPONSES, "ada"), QUESTIONS)
    gone = pd.DataFrame([{"lesson": "removed", "objective": "old", "earned": 1.0, "possible": 1, "questions": 1}])
    table = pd.concat([gone, table], ignore_index=True)
    ordered = course_order(table, CATALOG)
    assert list(ordered["lesson"]) == ["safety", "history", "removed"]  # a lesson no longer taught comes last
    assert objective_labels(ordered, CATALOG) == {
        ("safety", "asepsis"): "Lesson 1: Prepare the skin.",
        ("history", "key-dates"): "Lesson 2: Date the founding.",
        ("removed", "old"): "old",
    }
    assert [lesson_label(x, CATALOG) for x in ordered["lesson"]] == ["1. Safety first", "2. History", "removed"]


def test_course_order_keeps_the_order_within_a_lesson() -> None:
    table = pd.DataFrame({"lesson": ["history", "safety", "history"], "objective": ["b", "x", "a"]})
    assert list(course_order(table, CATALOG)["objective"]) == ["x", "b", "a"]


def test_an_objective_removed_from_its_lesson_keeps_its_id() -> None:
    table = pd.DataFrame({"lesson": ["history"], "objective": ["no-longer-there"]})
    assert objective_labels(table, CATALOG) == {("history", "no-longer-there"): "Lesson 2: no-longer-there"}
