"""A learner's progress from ``attempts.csv`` and ``responses.csv`` (pure pandas, no I/O).

* every attempt, oldest first, with its score and whether it passed;
* per quiz: attempts used and best score;
* mastery per lesson objective: the share of the points earned on its questions, counting
  the learner's *latest* answer to each question (so mastery shows where they stand now);
* the questions to review: those whose latest answer was not fully right, newest first.

Reading one learner's rows out of a million must stay fast on every page rerun, so
:func:`learner_progress` remembers its result for as long as the two frames it was given
are the same objects (``Store.read`` returns the same frame while a file is unchanged).
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd

from course.quiz_models import Question

TRUE_TEXTS = frozenset({"true", "1", "yes"})
REVIEW_SIZE = 10


@dataclass(frozen=True)
class Progress:
    """One learner's attempts (oldest first) and their responses (with quiz and time)."""

    attempts: pd.DataFrame
    responses: pd.DataFrame


@dataclass(frozen=True)
class QuizStats:
    attempts: int
    best_percentage: float | None
    passed: bool


def _as_bool(column: pd.Series) -> pd.Series:
    return column.astype(str).str.strip().str.lower().isin(TRUE_TEXTS)


def select_attempts(attempts: pd.DataFrame, learner: str) -> pd.DataFrame:
    """The learner's attempts, oldest first; ``passed`` becomes a boolean and ``when`` the
    UTC time of submission (an unreadable time becomes NaT and sorts last, never an error)."""
    mine = attempts[attempts["learner"] == learner].copy()
    mine["passed"] = _as_bool(mine["passed"])
    mine["when"] = pd.to_datetime(mine["submitted"], utc=True, errors="coerce", format="ISO8601")
    return mine.sort_values("when", kind="stable").reset_index(drop=True)


def select_progress(attempts: pd.DataFrame, responses: pd.DataFrame, learner: str) -> Progress:
    """The learner's rows of both tables (responses carry their attempt's quiz and time)."""
    mine = select_attempts(attempts, learner)
    rows = responses[responses["attempt_id"].isin(mine["attempt_id"])].copy()
    rows["correct"] = _as_bool(rows["correct"])
    rows = rows.merge(mine[["attempt_id", "quiz", "when"]], on="attempt_id", how="left")
    rows = rows.sort_values("when", kind="stable").reset_index(drop=True)
    return Progress(mine, rows)


class _Remembered:
    """A few recent results, keyed on the identity of the frames (which it keeps alive,
    so an id cannot be reused while the entry exists) and the learner."""

    def __init__(self, keep: int = 64) -> None:
        self._keep = keep
        self._entries: dict[tuple[int, int, str], tuple[pd.DataFrame, pd.DataFrame, Progress]] = {}
        self._guard = threading.Lock()

    def __call__(self, attempts: pd.DataFrame, responses: pd.DataFrame, learner: str) -> Progress:
        key = (id(attempts), id(responses), learner)
        with self._guard:
            hit = self._entries.get(key)
        if hit is not None and hit[0] is attempts and hit[1] is responses:
            return hit[2]
        progress = select_progress(attempts, responses, learner)
        with self._guard:
            if len(self._entries) >= self._keep:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = (attempts, responses, progress)
        return progress


learner_progress = _Remembered()


def quiz_stats(attempts: pd.DataFrame) -> dict[str, QuizStats]:
    """Per quiz id: attempts stored, best percentage, and whether any attempt passed
    (``attempts`` as :func:`select_attempts` returns them)."""
    stats = {}
    for quiz, rows in attempts.groupby("quiz", sort=False):
        best = rows["percentage"].max()
        stats[str(quiz)] = QuizStats(len(rows), None if pd.isna(best) else float(best), bool(rows["passed"].any()))
    return stats


def latest_answers(progress: Progress) -> pd.DataFrame:
    """The learner's most recent response to each question they have answered."""
    return progress.responses.drop_duplicates("question_id", keep="last")


def mastery(progress: Progress, questions: Mapping[str, Question]) -> pd.DataFrame:
    """Share of the points earned per (lesson, objective), over the latest answers.

    Questions no longer in any bank are left out. Columns: ``lesson``, ``objective``,
    ``earned``, ``possible``, ``questions``, ``share`` (0..1).
    """
    latest = latest_answers(progress)
    latest = latest[latest["question_id"].isin(questions.keys())]
    columns = ["lesson", "objective", "earned", "possible", "questions", "share"]
    if latest.empty:
        return pd.DataFrame(columns=columns)
    framed = latest.assign(
        lesson=latest["question_id"].map(lambda q: questions[q].lesson),
        objective=latest["question_id"].map(lambda q: questions[q].objective),
    )
    grouped = framed.groupby(["lesson", "objective"], sort=False).agg(
        earned=("points", "sum"), possible=("max_points", "sum"), questions=("question_id", "count")
    )
    grouped["share"] = (grouped["earned"] / grouped["possible"].where(grouped["possible"] > 0)).fillna(0.0)
    return grouped.reset_index()[columns]


def mastery_by_lesson(table: pd.DataFrame) -> pd.DataFrame:
    """The objective rows of :func:`mastery` summed per lesson (same columns, no ``objective``)."""
    grouped = table.groupby("lesson", sort=False)[["earned", "possible", "questions"]].sum()
    grouped["share"] = (grouped["earned"] / grouped["possible"].where(grouped["possible"] > 0)).fillna(0.0)
    return grouped.reset_index()


def recent_mistakes(progress: Progress, known: Collection[str], limit: int = REVIEW_SIZE) -> list[str]:
    """Ids of the questions whose latest answer was not fully right, most recent first.

    >>> import pandas as pd
    >>> responses = pd.DataFrame({"question_id": ["a", "b", "a"], "correct": [False, False, True],
    ...                           "when": pd.to_datetime([1, 2, 3])})
    >>> recent_mistakes(Progress(pd.DataFrame(), responses), known={"a", "b"})
    ['b']
    """
    latest = latest_answers(progress)
    wrong = latest[~latest["correct"] & latest["question_id"].isin(set(known))]
    return wrong.iloc[::-1]["question_id"].head(limit).tolist()
