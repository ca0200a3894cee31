"""A learner's progress from ``attempts.csv`` and ``responses.csv`` (pure pandas, no I/O).

* every attempt, oldest first, with its score and whether it passed;
* per quiz: attempts used and best score;
* mastery per lesson objective: the share of the points earned on its questions, counting
  the learner's *latest* answer to each question (so mastery shows where they stand now);
* the questions to review: those whose latest answer was not fully right, newest first;
* how a reader sees them: attempts newest first with their result in words, objectives and
  lessons in course order and named by their lesson's number;
* calibration, from the answers given with a certainty (confidence-based marking): the share
  right at each certainty, beside the band where that certainty earns the most.

Reading one learner's rows out of a million must stay fast on every page rerun, so
:func:`learner_progress` remembers its result for as long as the two frames it was given
are the same objects (``TableStore.read`` returns the same frame while a file is unchanged).
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, tzinfo

import pandas as pd

from course.analytics.times import local_minutes, time_heading
from course.clock import local_time
from course.content.models import Catalog
from course.quiz.cbm import CERTAINTIES, IDEAL_BANDS, LABELS
from course.quiz.models import Question
from course.simulator.drills import SIMULATOR_QUIZ
from course.store.base import truthy

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


def select_attempts(attempts: pd.DataFrame, learner: str) -> pd.DataFrame:
    """The learner's attempts, oldest first; ``passed`` becomes a boolean and ``when`` the
    UTC time of submission (an unreadable time becomes NaT and sorts last, never an error)."""
    mine = attempts[attempts["learner"] == learner].copy()
    mine["passed"] = truthy(mine["passed"])
    mine["when"] = pd.to_datetime(mine["submitted"], utc=True, errors="coerce", format="ISO8601")
    return mine.sort_values("when", kind="stable").reset_index(drop=True)


def select_progress(attempts: pd.DataFrame, responses: pd.DataFrame, learner: str) -> Progress:
    """The learner's rows of both tables (responses carry their attempt's quiz and time)."""
    mine = select_attempts(attempts, learner)
    rows = responses[responses["attempt_id"].isin(mine["attempt_id"])].copy()
    rows["correct"] = truthy(rows["correct"])
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


def quizzes_passed(stats: Mapping[str, QuizStats], quiz_ids: Collection[str]) -> int:
    """How many of the course's quizzes (``quiz_ids``: the banks) the learner has passed at least once.

    The review of mistakes and the simulator drills are stored as attempts too, but passing them
    is not passing a quiz of the course, so they do not count.
    """
    return sum(s.passed for quiz, s in stats.items() if quiz in quiz_ids)


def attempts_table(attempts: pd.DataFrame, titles: Mapping[str, str], zone: tzinfo = UTC) -> pd.DataFrame:
    """Every attempt as the learner reads it, newest first: date, the result in words, percentage,
    score and quiz title (an attempt submitted after its time limit says so, not just "not
    passed"). ``attempts`` as :func:`select_attempts` returns them; an unknown quiz id is shown as is.
    Times are in ``zone`` (the learner's), named in the date column's heading.
    """
    rows = attempts.iloc[::-1]
    result = [
        "Time is up (not passed)" if outcome == "expired" else ("Passed" if passed else "Not passed")
        for outcome, passed in zip(rows["outcome"], rows["passed"], strict=True)
    ]
    return pd.DataFrame(
        {
            time_heading("Date", zone): local_minutes(rows["when"], zone),
            "Result": result,
            "%": rows["percentage"].round(0),
            "Score": [f"{s:g} / {m:g}" for s, m in zip(rows["score"], rows["max_score"], strict=True)],
            "Quiz": [titles.get(q, q) for q in rows["quiz"]],  # last: a long title never hides the result at 390 px
        }
    )


def reviewable_attempts(attempts: pd.DataFrame, titles: Mapping[str, str], zone: tzinfo = UTC) -> dict[str, str]:
    """The learner's attempts whose review can be reopened, newest first: attempt id -> how the
    learner recognises it (``2026-12-02 10:30 CET · History · 75% · passed``).

    Simulator drills have no questions to review and are left out. ``attempts`` as
    :func:`select_attempts` returns them (one learner's: the page never offers another's).
    """
    rows = attempts[attempts["quiz"].astype(str) != SIMULATOR_QUIZ].iloc[::-1]
    choices: dict[str, str] = {}
    for attempt_id, quiz, when, percentage, passed, outcome in zip(
        rows["attempt_id"], rows["quiz"], rows["when"], rows["percentage"], rows["passed"], rows["outcome"], strict=True
    ):
        shown = "time unknown" if pd.isna(when) else local_time(when.to_pydatetime(), zone)
        result = "time was up" if outcome == "expired" else ("passed" if passed else "not passed")
        choices[str(attempt_id)] = f"{shown} · {titles.get(str(quiz), str(quiz))} · {float(percentage):.0f}% · {result}"
    return choices


def course_order(table: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """``table`` (with a ``lesson`` column, e.g. :func:`mastery`) in the order the course teaches the
    lessons, so mastery reads like the course; rows of a lesson no longer in it come last. The sort
    is stable: rows of one lesson keep their order."""
    last = len(catalog.lessons)
    return table.sort_values(
        "lesson", key=lambda ids: ids.map(lambda i: (catalog.find(i) or (last, None))[0]), kind="stable"
    )


def lesson_label(lesson_id: str, catalog: Catalog) -> str:
    """``"2. History of mesotherapy"``: the lesson's number in the course and its title, or the bare
    id for a lesson no longer in the course (its old answers still count)."""
    found = catalog.find(lesson_id)
    return lesson_id if found is None else f"{found[0] + 1}. {found[1].title}"


def objective_labels(table: pd.DataFrame, catalog: Catalog) -> dict[tuple[str, str], str]:
    """A reader's name for each (lesson, objective) row of :func:`mastery`: ``"Lesson 2: <the
    objective's text>"``. An objective since removed from its lesson keeps its id as text; a lesson
    no longer in the course leaves just the objective id."""
    labels = {}
    for lesson_id, objective_id in zip(table["lesson"], table["objective"], strict=True):
        found = catalog.find(lesson_id)
        if found is None:
            labels[(lesson_id, objective_id)] = objective_id
            continue
        index, lesson = found
        text = next((o.text for o in lesson.meta.objectives if o.id == objective_id), objective_id)
        labels[(lesson_id, objective_id)] = f"Lesson {index + 1}: {text or objective_id}"
    return labels


def lesson_mastery_table(table: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Mastery per lesson as a learner reads it: the lesson's name, points earned of possible,
    and the share with its band ("strong", "getting there", "to revise").

    ``table`` is :func:`mastery`'s, in course order (:func:`course_order`).
    """
    from course.analytics.learner_charts import band  # noqa: PLC0415 (plotly loads only where charts are drawn)

    per_lesson = mastery_by_lesson(table)
    return pd.DataFrame(
        {
            "Lesson": [lesson_label(x, catalog) for x in per_lesson["lesson"]],
            "Points earned": [
                f"{e:g} / {p:g}" for e, p in zip(per_lesson["earned"], per_lesson["possible"], strict=True)
            ],
            "Mastery": [f"{share:.0%} ({band(share)[0]})" for share in per_lesson["share"]],
        }
    )


# --- calibration (confidence-based marking) ----------------------------------------------------

CALIBRATION_COLUMNS = ["certainty", "label", "answers", "right", "share", "low", "high", "verdict"]


def certainty_answers(certainty: pd.DataFrame, progress: Progress) -> pd.DataFrame:
    """The learner's answers given with a certainty: ``attempt_id``, ``question_id``,
    ``certainty`` (1, 2 or 3) and ``correct``, oldest first.

    ``certainty`` is ``certainty.csv`` as the store reads it. Rows of other learners, of
    unanswered questions (an empty cell) or with a damaged cell are left out; an attempt
    stored before confidence-based marking has no rows, so it adds nothing.
    """
    columns = ["attempt_id", "question_id", "certainty", "correct"]
    mine = certainty[certainty["attempt_id"].isin(progress.attempts["attempt_id"])]
    levels = pd.to_numeric(mine["certainty"], errors="coerce")
    mine = mine.assign(certainty=levels)[levels.isin(CERTAINTIES)]
    if mine.empty:
        return pd.DataFrame({c: pd.Series(dtype="bool" if c == "correct" else "object") for c in columns})
    joined = progress.responses[["attempt_id", "question_id", "correct"]].merge(
        mine[["attempt_id", "question_id", "certainty"]], on=["attempt_id", "question_id"], how="inner"
    )
    return joined.assign(certainty=joined["certainty"].astype(int))[columns].reset_index(drop=True)


def calibration(answers: pd.DataFrame) -> pd.DataFrame:
    """Per certainty (1, 2, 3): answers given, right, the share right (NaN when none), the ideal
    band (``low`` to ``high``: where that certainty earns the most) and a verdict: ``"well
    judged"`` inside the band, ``"over-confident"`` below it, ``"under-confident"`` above it,
    ``"no answers"`` without any.

    ``answers`` as :func:`certainty_answers` returns them.

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"certainty": [3, 3, 3, 1], "correct": [True, True, False, True]})
    >>> table = calibration(rows)
    >>> table[["certainty", "answers", "right", "verdict"]].values.tolist()
    [[1, 1, 1, 'under-confident'], [2, 0, 0, 'no answers'], [3, 3, 2, 'over-confident']]
    """
    rows = []
    for level in CERTAINTIES:
        given = answers[answers["certainty"] == level]
        count, right = len(given), int(given["correct"].sum())
        low, high = IDEAL_BANDS[level]
        share = right / count if count else float("nan")
        if not count:
            verdict = "no answers"
        elif share < low - 1e-9:
            verdict = "over-confident"
        elif share > high + 1e-9:
            verdict = "under-confident"
        else:
            verdict = "well judged"
        rows.append([level, f"{level} ({LABELS[level]})", count, right, share, low, high, verdict])
    return pd.DataFrame(rows, columns=CALIBRATION_COLUMNS)
