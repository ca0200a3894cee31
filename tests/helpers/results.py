"""A small hand-made results set (accounts, attempts, responses, progress) for the dashboard tests."""

from __future__ import annotations

import json
from pathlib import Path

from course.accounts.accounts import Accounts, Role
from course.simulator.drills import SIMULATOR_QUIZ
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, PROGRESS, RESPONSES

ATTACK = '=HYPERLINK("http://x","y")'
QUESTIONS = ("history-founder", "history-founding-drug", "history-first-patient", "history-motto")
REMOVED_ID = "history-old-question"
LEARNERS = tuple(f"learner{i:02d}" for i in range(12))


def write_results(folder: Path) -> Store:
    """12 learners x 2 attempts at 'history' (first on Nov 1, retry on Nov 5), one learner
    named like a spreadsheet formula, a response to a question since removed from the bank,
    and simulator drills. Learner i answers the first (i % 5) questions right."""
    store = Store(folder)
    accounts = Accounts(store)
    for index, login in enumerate(LEARNERS):
        accounts.create(login, ATTACK if index == 0 else f"Learner {index}", "password123", Role.LEARNER)
    attempts, responses = [], []
    for index, login in enumerate(LEARNERS):
        for retry, day in ((0, "2026-11-01"), (1, "2026-11-05")):
            attempt_id = f"{login}-h{retry}"
            right = min(len(QUESTIONS), index % 5 + retry)
            points = [1.0 if q < right else 0.0 for q in range(len(QUESTIONS))]
            for question, point in zip(QUESTIONS, points, strict=True):
                answer = "Right" if point else ("Wrong A" if index % 2 else "Wrong B")
                responses.append(response_row(attempt_id, question, answer, point))
            if index % 3 == 0:
                responses.append(response_row(attempt_id, REMOVED_ID, "=1+1", 0.0))
                points.append(0.0)
            score, top = sum(points), len(points)
            attempts.append(
                attempt_row(attempt_id, login, "history", day, score=score, top=top, passed=100 * score / top >= 70)
            )
    for index, login in enumerate(LEARNERS[:4]):
        for technique, distance in (("papule", 0.2 + index / 10), ("nappage", -0.1)):
            attempt_id = f"{login}-sim-{technique}"
            attempts.append(attempt_row(attempt_id, login, SIMULATOR_QUIZ, "2026-11-03", score=1, top=1, passed=True))
            answer = json.dumps({"technique": technique, "distance_mm": distance})
            responses.append(response_row(attempt_id, "drill", answer, 1.0))
    store.append(ATTEMPTS, attempts)
    store.append(RESPONSES, responses)
    store.append(PROGRESS, [{"learner": LEARNERS[1], "lesson_id": "history", "action": "complete", "at": "x"}])
    return store


def attempt_row(attempt_id: str, login: str, quiz: str, day: str, *, score: float, top: float, passed: bool) -> dict:
    return {
        "attempt_id": attempt_id,
        "learner": login,
        "quiz": quiz,
        "started": f"{day}T10:00:00+00:00",
        "submitted": f"{day}T10:09:00+00:00",
        "score": score,
        "max_score": top,
        "percentage": round(100 * score / top, 1),
        "passed": str(passed).lower(),
        "bank_version": "1",
        "outcome": "submitted",
    }


def response_row(attempt_id: str, question: str, answer: str, points: float) -> dict:
    return {
        "attempt_id": attempt_id,
        "question_id": question,
        "answer": answer,
        "correct": str(points > 0).lower(),
        "points": points,
        "max_points": 1.0,
    }
