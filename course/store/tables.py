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
    key: str | None = None  # a column whose value is stored once (a unique constraint in PostgreSQL)

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
    key="attempt_id",
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


PRACTICE = Table(
    "practice.csv",
    ("learner", "lesson_id", "question_id", "answer", "correct", "points", "max_points", "answered"),
    numeric=frozenset({"points", "max_points"}),
    optional=frozenset({"answer"}),
)
"""One row per answer to a self-check question asked inside a lesson. Practice, not an
attempt: it is a table of its own, so quiz scores, item analysis and mastery (which read
``attempts.csv`` and ``responses.csv``) never see it."""


REVIEWS = Table(
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
)
"""The spaced-review log (:mod:`course.review`): one row per event of a learner's card (``item`` is
a question id or a drill id), never rewritten. ``event`` is ``review`` (with the ``rating`` 1-4 and
the ``seconds`` the answer took), ``suspend`` or ``resume``; every row carries the card's FSRS state
after it (``state``, ``step``, ``stability``, ``difficulty``, ``due``, ``last_review``), so the latest
row of a card is its state, and replaying the ratings rebuilds it."""


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
    key="run_id",
)
"""One row per finished case run (once per run id): the score, whether it passed, and for a
must-pass failure the step and the reason; ``path`` is the step ids taken, space-separated."""


SESSIONS = Table(
    "sessions.csv",
    ("session_id", "event", "login", "token_hash", "at", "reason"),
    optional=frozenset({"token_hash", "reason"}),
)
"""Sign-in sessions as append-only events: ``created`` (with the SHA-256 of the cookie token),
``touched`` (seen in use; written at most once an hour for a learner) and ``revoked`` (signed
out, signed out everywhere, password reset). The state of every session is rebuilt by replay."""


HANDOFFS = Table(
    "handoffs.csv",
    ("code_hash", "kind", "event", "session_id", "sealed", "next", "at"),
    optional=frozenset({"sealed", "next"}),
)
"""One-time codes that carry a sign-in (or a sign-out) from the page to the cookie route:
``issued`` then ``used``. ``sealed`` is the session token encrypted with the code, so the file
alone never reveals a token."""


SIGN_INS = Table(
    "sign_ins.csv",
    ("at", "login", "client", "outcome"),
    optional=frozenset({"client"}),
)
"""Every sign-in try (``failed`` or ``ok``) with the client's address: the rate limit per login
and per client, shared by every server process and kept across restarts."""


ANSWER_DRAFTS = Table(
    "answer_drafts.csv",
    ("attempt_id", "question_id", "answer", "certainty", "at"),
    optional=frozenset({"answer", "certainty"}),
)
"""An open attempt's answers as the learner gives them, one row per change (the latest row per
question wins), so a reload brings them back; the attempt's questions are its ``drafts.csv`` row."""


CERTIFICATES = Table(
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
    optional=frozenset(  # an issued row leaves the revocation's columns empty, a revoked row the rest
        {"learner", "name", "course_title", "course_version", "cpd_minutes", "scores", "seal"}
        | {"by", "reason", "reissue"}
    ),
)
"""Certificates of completion as append-only events (:mod:`course.certificates.registry`):
``issued`` (who, the name printed, the course and its version, the CPD minutes, the scores as
JSON, and ``seal``: an HMAC of those fields under the server secret) and ``revoked`` (by which
tutor, why, and ``reissue``: whether the learner may ask for a new one). Never rewritten."""


VERIFY_TRIES = Table("verify_tries.csv", ("at", "client", "outcome"), optional=frozenset({"client"}))
"""Every verification of a code that was not genuine, with the client's address: the stored
part of the verification page's rate limit (a refused lookup is not written, so a flood does
not grow the file)."""
XAPI_OUTBOX = Table(
    "xapi_outbox.csv",
    ("statement_id", "event", "at", "detail", "statement"),
    optional=frozenset({"detail", "statement"}),
)
"""The xAPI statements on their way to a learning record store (:mod:`course.interop.lrs`), as
append-only events: ``queued`` (with the statement as JSON), ``sent`` (the LRS took it) and
``failed`` (the LRS refused that statement; ``detail`` says why, and it is not sent again)."""


ALL_TABLES: tuple[Table, ...] = (
    USERS,
    PROGRESS,
    ATTEMPTS,
    RESPONSES,
    DRAFTS,
    CERTAINTY,
    PRACTICE,
    REVIEWS,
    CASE_STEPS,
    CASE_ATTEMPTS,
    SESSIONS,
    HANDOFFS,
    SIGN_INS,
    ANSWER_DRAFTS,
    CERTIFICATES,
    VERIFY_TRIES,
    XAPI_OUTBOX,
)
"""Every table the course stores, in one place: a backend creates (and a migration adds) each of
them; a table added above must be added here too (a unit test checks every ``Table`` in this
module is listed)."""
