"""One learner's attempts and responses as the store reads them (ada, bob, a drill), and their questions."""

from __future__ import annotations

import pandas as pd

from course.quiz.models import TrueFalseQuestion

ATTEMPTS = pd.DataFrame(
    {
        "attempt_id": ["a1", "a2", "b1", "a3", "s1"],
        "learner": ["ada", "ada", "bob", "ada", "ada"],
        "quiz": ["history", "history", "history", "safety", "simulator"],
        "started": [""] * 5,
        "submitted": [
            "2026-03-02T10:00:00+00:00",
            "2026-03-01T10:00:00+00:00",  # earlier than a1: the table must be sorted by time
            "2026-03-01T11:00:00+00:00",
            "2026-03-03T10:00:00+00:00",
            "not a time",
        ],
        "score": [2.0, 1.0, 2.0, 0.0, 1.0],
        "max_score": [2, 2, 2, 1, 1],
        "percentage": [100.0, 50.0, 100.0, 0.0, 100.0],
        "passed": ["true", "false", "true", "false", "true"],
        "bank_version": ["1"] * 5,
        "outcome": ["submitted"] * 5,
    }
)
RESPONSES = pd.DataFrame(
    {
        "attempt_id": ["a2", "a2", "a1", "a1", "b1", "b1", "a3", "s1"],
        "question_id": ["h-one", "h-two", "h-one", "h-two", "h-one", "h-two", "s-one", "drill-papule"],
        "answer": [""] * 8,
        "correct": ["true", "false", "true", "true", "true", "true", "false", "true"],
        "points": [1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0],
        "max_points": [1, 1, 1, 1, 1, 1, 1, 1],
    }
)


def question(qid: str, lesson: str, objective: str) -> TrueFalseQuestion:
    return TrueFalseQuestion(
        id=qid, type="true_false", prompt="?", explanation=".", answer=True, lesson=lesson, objective=objective
    )


QUESTIONS = {
    "h-one": question("h-one", "history", "key-dates"),
    "h-two": question("h-two", "history", "key-dates"),
    "s-one": question("s-one", "safety", "asepsis"),
}
