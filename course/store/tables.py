"""The course's tables: each CSV file's name, its columns and which of them hold numbers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """A CSV file's name, its columns and which of them hold numbers."""

    name: str
    columns: tuple[str, ...]
    numeric: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()  # may be empty in a valid row

    @property
    def header(self) -> str:
        return ",".join(self.columns)


USERS = Table(
    "users.csv",
    ("login", "display_name", "role", "password_hash", "created", "event"),
)


PROGRESS = Table("progress.csv", ("learner", "lesson_id", "action", "at"))


ATTEMPTS = Table(
    "attempts.csv",
    (
        "attempt_id",
        "learner",
        "quiz",
        "started",
        "submitted",
        "score",
        "max_score",
        "percentage",
        "passed",
        "bank_version",
        "outcome",
    ),
    numeric=frozenset({"score", "max_score", "percentage"}),
    optional=frozenset({"outcome"}),
)


RESPONSES = Table(
    "responses.csv",
    ("attempt_id", "question_id", "answer", "correct", "points", "max_points"),
    numeric=frozenset({"points", "max_points"}),
    optional=frozenset({"answer"}),
)


DRAFTS = Table(
    "drafts.csv",
    ("attempt_id", "learner", "quiz", "started", "seed", "question_ids", "bank_version"),
)



CERTAINTY = Table(
    "certainty.csv",
    ("attempt_id", "question_id", "certainty"),
    optional=frozenset({"certainty"}),  # empty: the question was scored with a certainty but left unanswered
)
"""One row per question scored with confidence-based marking: the certainty (1, 2 or 3) that
counted. A table of its own, so ``responses.csv`` keeps its columns and older files still load;
an attempt without rows here was scored without certainties."""


CASE_STEPS = Table(
    "case_steps.csv",
    ("step_key", "run_id", "learner", "case", "seq", "step", "kind", "answer", "points", "max_points", "next", "at"),
    numeric=frozenset({"points", "max_points"}),
    optional=frozenset({"answer", "next"}),
)
"""One row per committed step of a clinical case, appended once (``step_key`` = run id and the
step's position in the run): replaying a run's rows in order rebuilds where the learner is."""


CASE_ATTEMPTS = Table(
    "case_attempts.csv",
    (
        "run_id",
        "learner",
        "case",
        "started",
        "finished",
        "score",
        "max_score",
        "percentage",
        "passed",
        "failed_step",
        "reason",
        "path",
    ),
    numeric=frozenset({"score", "max_score", "percentage"}),
    optional=frozenset({"failed_step", "reason"}),
)
"""One row per finished case run (once per run id): the score, whether it passed, and for a
must-pass failure the step and the reason; ``path`` is the step ids taken, space-separated."""
