"""The course's first fourteen tables.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

from course.store.schema import create_tables, drop_tables
from course.store.tables import Table

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES: tuple[Table, ...] = (
    Table("users.csv", ("login", "display_name", "role", "password_hash", "created", "event")),
    Table("progress.csv", ("learner", "lesson_id", "action", "at")),
    Table(
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
        key="attempt_id",
    ),
    Table(
        "responses.csv",
        ("attempt_id", "question_id", "answer", "correct", "points", "max_points"),
        numeric=frozenset({"points", "max_points"}),
        optional=frozenset({"answer"}),
    ),
    Table("drafts.csv", ("attempt_id", "learner", "quiz", "started", "seed", "question_ids", "bank_version")),
    Table("certainty.csv", ("attempt_id", "question_id", "certainty"), optional=frozenset({"certainty"})),
    Table(
        "practice.csv",
        ("learner", "lesson_id", "question_id", "answer", "correct", "points", "max_points", "answered"),
        numeric=frozenset({"points", "max_points"}),
        optional=frozenset({"answer"}),
    ),
    Table(
        "reviews.csv",
        (
            "learner",
            "item",
            "at",
            "event",
            "rating",
            "seconds",
            "state",
            "step",
            "stability",
            "difficulty",
            "due",
            "last_review",
        ),
        optional=frozenset({"rating", "seconds", "step", "stability", "difficulty", "last_review"}),
    ),
    Table(
        "case_steps.csv",
        (
            "step_key",
            "run_id",
            "learner",
            "case",
            "seq",
            "step",
            "kind",
            "answer",
            "points",
            "max_points",
            "next",
            "at",
        ),
        numeric=frozenset({"points", "max_points"}),
        optional=frozenset({"answer", "next"}),
    ),
    Table(
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
        key="run_id",
    ),
    Table(
        "sessions.csv",
        ("session_id", "event", "login", "token_hash", "at", "reason"),
        optional=frozenset({"token_hash", "reason"}),
    ),
    Table(
        "handoffs.csv",
        ("code_hash", "kind", "event", "session_id", "sealed", "next", "at"),
        optional=frozenset({"sealed", "next"}),
    ),
    Table("sign_ins.csv", ("at", "login", "client", "outcome"), optional=frozenset({"client"})),
    Table(
        "answer_drafts.csv",
        ("attempt_id", "question_id", "answer", "certainty", "at"),
        optional=frozenset({"answer", "certainty"}),
    ),
)


def upgrade() -> None:
    create_tables(op.get_bind(), TABLES)


def downgrade() -> None:
    drop_tables(op.get_bind(), TABLES)
