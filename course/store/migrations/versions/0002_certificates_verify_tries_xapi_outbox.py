"""certificates, verification tries and the xAPI outbox

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

from course.store.schema import create_tables, drop_tables
from course.store.tables import Table

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES: tuple[Table, ...] = (
    Table(
        "certificates.csv",
        (
            "cert_id",
            "event",
            "learner",
            "name",
            "course_title",
            "course_version",
            "cpd_minutes",
            "scores",
            "seal",
            "at",
            "by",
            "reason",
            "reissue",
        ),
        optional=frozenset(
            [
                "by",
                "course_title",
                "course_version",
                "cpd_minutes",
                "learner",
                "name",
                "reason",
                "reissue",
                "scores",
                "seal",
            ]
        ),
    ),
    Table(
        "verify_tries.csv",
        ("at", "client", "outcome"),
        optional=frozenset(["client"]),
    ),
    Table(
        "xapi_outbox.csv",
        ("statement_id", "event", "at", "detail", "statement"),
        optional=frozenset(["detail", "statement"]),
    ),
)


def upgrade() -> None:
    create_tables(op.get_bind(), TABLES)


def downgrade() -> None:
    drop_tables(op.get_bind(), TABLES)
