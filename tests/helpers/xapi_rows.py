"""One of every record the course turns into xAPI statements, written through the store.

Used by the statement tests, the LRS tests and the tutors' Exports page test: a lesson
completion and a reopening, a quiz attempt of the fixture bank (every question type answered,
one left blank) with confidence-based marking on one question, an expired attempt, a simulator
drill, a review and a suspension, and a clinical case run with two steps.
"""

from __future__ import annotations

import json
import uuid

from course.interop.xapi import Vocabulary
from course.quiz.models import QuizCatalog
from course.store.base import TableStore
from course.store.tables import ATTEMPTS, CASE_ATTEMPTS, CASE_STEPS, CERTAINTY, PROGRESS, RESPONSES, REVIEWS

HOME = "https://meso.example"
ATTEMPT = "0f8fad5bd9cb469fa16570867728950e"
EXPIRED = "7c9e6679742540de944be07fc1f90ae7"
DRILL = "16fd2706846211d3a94c3d7d6d4f3b8a"
RUN = "a8098c1af86e11dabd1a00112444be1e"


def fixture_vocabulary(catalog: QuizCatalog, home: str = HOME) -> Vocabulary:
    """The fixture banks' titles and questions, the fixture lesson and one case and drill."""
    return Vocabulary(
        home,
        lessons={"quiz-lesson": "A lesson that fixture banks refer to"},
        quizzes={b.id: (b.title, b.lesson) for b in catalog.banks},
        questions=catalog.questions,
        cases={"routine-forehead": "A routine forehead session"},
        drills={"drill-papule-forehead": "papule on the forehead"},
    )


def _ids(learner: str) -> tuple[str, str, str, str]:
    """The attempt, expired attempt, drill and case run ids: the constants for ada, others their own."""
    if learner == "ada":
        return ATTEMPT, EXPIRED, DRILL, RUN
    return tuple(uuid.uuid5(uuid.NAMESPACE_DNS, f"{learner}.{what}").hex for what in ("a", "e", "d", "r"))  # type: ignore[return-value]


def write_records(store: TableStore, learner: str = "ada") -> int:
    """Write the records; return how many statements they make."""
    ATTEMPT, EXPIRED, DRILL, RUN = _ids(learner)
    store.append(
        PROGRESS,
        [
            {"learner": learner, "lesson_id": "quiz-lesson", "action": "complete", "at": "2026-03-01T09:00:00+00:00"},
            {"learner": learner, "lesson_id": "quiz-lesson", "action": "reopen", "at": "2026-03-01T09:05:00+00:00"},
        ],
    )
    attempt = {"learner": learner, "quiz": "valid-bank", "bank_version": "3"}
    store.append(
        ATTEMPTS,
        [
            attempt
            | {
                "attempt_id": ATTEMPT,
                "started": "2026-03-01T10:00:00+00:00",
                "submitted": "2026-03-01T10:12:30+00:00",
                "score": 5.5,
                "max_score": 10,
                "percentage": 55.0,
                "passed": "false",
                "outcome": "submitted",
            },
            attempt
            | {
                "attempt_id": EXPIRED,
                "started": "2026-03-02T10:00:00+00:00",
                "submitted": "2026-03-02T11:00:00+00:00",
                "score": 0,
                "max_score": 8,
                "percentage": 0.0,
                "passed": "false",
                "outcome": "expired",
            },
            {
                "attempt_id": DRILL,
                "learner": learner,
                "quiz": "simulator",
                "started": "2026-03-01T11:00:00+00:00",
                "submitted": "2026-03-01T11:00:20+00:00",
                "score": 0.67,
                "max_score": 1,
                "percentage": 67.0,
                "passed": "true",
                "bank_version": "skin-model-4",
                "outcome": "submitted",
            },
        ],
    )
    answers = {
        "vb-single": ("A", "true", 1.0),
        "vb-multiple": (json.dumps(["A", "B"]), "false", 0.0),
        "vb-true-false": ("true", "true", 1.0),
        "vb-numeric": ("0.9", "true", 1.0),
        "vb-ordering": (json.dumps(["first", "third", "second"]), "false", 0.33),
        "vb-matching": (json.dumps({"Papule": "Junction", "Nappage": "Muscle"}), "false", 1.0),
        "vb-diagram": ("", "false", 0.0),  # left blank: no "answered" statement
    }
    store.append(
        RESPONSES,
        [
            {
                "attempt_id": ATTEMPT,
                "question_id": q,
                "answer": a,
                "correct": c,
                "points": p,
                "max_points": 2 if q == "vb-matching" else 1,
            }
            for q, (a, c, p) in answers.items()
        ]
        + [
            {
                "attempt_id": DRILL,
                "question_id": "drill-papule-forehead",
                "answer": json.dumps({"angle": 15, "depth_mm": 0.4, "layer": "papillary-dermis"}),
                "correct": "true",
                "points": 0.67,
                "max_points": 1,
            }
        ],
    )
    store.append(CERTAINTY, [{"attempt_id": ATTEMPT, "question_id": "vb-single", "certainty": "3"}])
    review = {
        "learner": learner,
        "item": "vb-multiple",
        "state": "2",
        "step": "",
        "stability": "3.1",
        "difficulty": "5.2",
    }
    store.append(
        REVIEWS,
        [
            review
            | {"at": "2026-03-03T08:00:00+00:00", "event": "review", "rating": "3", "seconds": "12",
               "due": "2026-03-06T08:00:00+00:00", "last_review": "2026-03-03T08:00:00+00:00"},
            review
            | {"at": "2026-03-03T08:01:00+00:00", "event": "suspend", "rating": "", "seconds": "",
               "due": "2026-03-06T08:00:00+00:00", "last_review": "2026-03-03T08:00:00+00:00"},
        ],
    )  # fmt: skip
    step = {"run_id": RUN, "learner": learner, "case": "routine-forehead"}
    store.append(
        CASE_STEPS,
        [
            step | {"step_key": f"{RUN}:1", "seq": 1, "step": "consult", "kind": "choice", "answer": "ask-history",
                    "points": 2, "max_points": 2, "next": "plan", "at": "2026-03-04T09:00:00+00:00"},
            step | {"step_key": f"{RUN}:2", "seq": 2, "step": "outcome", "kind": "information", "answer": "",
                    "points": 0, "max_points": 0, "next": "", "at": "2026-03-04T09:02:00+00:00"},
        ],
    )  # fmt: skip
    store.append(
        CASE_ATTEMPTS,
        [
            {"run_id": RUN, "learner": learner, "case": "routine-forehead", "started": "2026-03-04T08:58:00+00:00",
             "finished": "2026-03-04T09:02:00+00:00", "score": 2, "max_score": 2, "percentage": 100.0, "passed": "true",
             "failed_step": "", "reason": "", "path": "consult outcome"}
        ],
    )  # fmt: skip
    # completed 1; attempt: attempted + failed + 6 answered; expired: attempted + failed; drill 1;
    # review 1; case steps 2; case run 2
    return 1 + 8 + 2 + 1 + 1 + 2 + 2
