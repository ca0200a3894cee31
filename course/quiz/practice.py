"""Self-checks: a bank's question asked inside a lesson, answered on the spot, kept as practice.

A lesson embeds a question with ``{{ check: bank/question-id }}`` (read by
:mod:`course.content.markers`; :mod:`course.quiz.self_checks` finds the question and checks
the markers). This module scores an answer and appends it to ``practice.csv`` through the
store, under its lock. Practice rows are never attempts: no
``attempts.csv`` or ``responses.csv`` row is written, so quiz scores and item analysis are
untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

from course.clock import stamp, utc_now
from course.quiz.answers import check_answer, encode_answer
from course.quiz.models import Answer, Question
from course.quiz.scoring import Mark, score_question
from course.store.base import TableStore, explain
from course.store.tables import PRACTICE


@dataclass(frozen=True)
class Practice:
    """The self-check answers kept in the data folder (``practice.csv``)."""

    store: TableStore

    def record(self, learner: str, lesson_id: str, question: Question, answer: Answer) -> Mark:
        """Score one answer and append it as practice; return its mark (with the feedback).

        An answer no widget of the question could give raises ``AnswerError``; a folder that
        cannot be written raises ``StoreError``. Both carry a message for the page.
        """
        mark = score_question(question, check_answer(question, answer))
        row = {
            "learner": learner,
            "lesson_id": lesson_id,
            "question_id": question.id,
            "answer": encode_answer(question, answer),
            "correct": "true" if mark.correct else "false",
            "points": mark.points,
            "max_points": mark.max_points,
            "answered": stamp(utc_now()),
        }
        with explain("Your answer could not be saved", "It was marked but not kept; try again in a moment."):
            self.store.append(PRACTICE, [row])
        return mark

    def answered(self, learner: str) -> dict[str, bool]:
        """Each question this learner has practised, and whether the latest answer was right."""
        frame = self.store.read(PRACTICE).frame
        mine = frame.loc[frame["learner"] == learner, ["question_id", "correct"]]
        return {str(question): str(correct) == "true" for question, correct in mine.values}
