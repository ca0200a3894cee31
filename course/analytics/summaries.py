"""The tutors' summaries of a selection of results: per learner, per quiz, per question, drills, exports,
and the must-pass questions answered wrong at high certainty."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from typing import Any

import numpy as np
import pandas as pd

from course.accounts.progress import completed_lessons
from course.analytics.item_analysis import Flag, ItemStats, Reliability, cronbach_alpha, item_stats, score_matrix
from course.analytics.results import QuestionIndex, QuestionSource, Selection, question_label, short_text
from course.analytics.times import local_minutes
from course.quiz.models import MISTAKES_QUIZ
from course.simulator.drills import SIMULATOR_QUIZ
from course.store.base import truthy
from course.store.tables import RESPONSES


def completed_counts(progress: pd.DataFrame, lesson_ids: Sequence[str]) -> pd.Series:
    """How many of the current lessons each learner has completed (the replay of
    :func:`course.accounts.progress.completed_lessons`)."""
    current = set(lesson_ids)
    counts = {learner: len(done & current) for learner, done in completed_lessons(progress).items()}
    return pd.Series(counts, dtype="int64")


# Attempts a learner makes for themselves: not a course quiz, so never in the quizzes' statistics.
PERSONAL_QUIZZES = frozenset({MISTAKES_QUIZ})
PRACTICE = PERSONAL_QUIZZES | {SIMULATOR_QUIZ}

LEARNER_COLUMNS = [
    "learner",
    "name",
    "attempts",
    "quizzes",
    "passed",
    "best_pct",
    "practice",
    "lessons",
    "last_attempt",
]


def _course_attempts(attempts: pd.DataFrame) -> pd.DataFrame:
    """The attempts at course quizzes (not the learner's own review or the simulator drills)."""
    return attempts[~attempts["quiz"].isin(PRACTICE)]


def learner_summary(
    selection: Selection,
    progress: pd.DataFrame,
    lesson_ids: Sequence[str],
    names: Mapping[str, str],
    zone: tzinfo = UTC,
) -> pd.DataFrame:
    """One row per learner: attempts, quizzes taken and passed, best scores, lessons done.

    Written with numpy on the categorical codes: pandas' two-level groupby took ~45 ms on
    100,000 attempts, which alone would use half of a filter change's budget.
    """
    everything = selection.attempts
    if everything.empty:
        return pd.DataFrame(columns=LEARNER_COLUMNS)
    practice = everything["learner"][everything["quiz"].isin(PRACTICE)].value_counts()
    last_any = everything.groupby("learner", observed=True)["submitted"].max()
    attempts = _course_attempts(everything)
    if attempts.empty:  # only practice in the selection: one row per learner, no quiz figures
        logins = last_any.index.astype(str)
        return pd.DataFrame(
            {
                "learner": logins,
                "name": [names.get(login, "") for login in logins],
                "attempts": 0,
                "quizzes": 0,
                "passed": 0,
                "best_pct": np.nan,
                "practice": practice.reindex(last_any.index, fill_value=0).to_numpy(),
                "lessons": [
                    f"{n} / {len(lesson_ids)}"
                    for n in completed_counts(progress, lesson_ids).reindex(logins, fill_value=0)
                ],
                "last_attempt": local_minutes(last_any, zone).to_numpy(),
            }
        )
    learner_codes = attempts["learner"].cat.codes.to_numpy().astype(np.int64)
    quiz_count = len(attempts["quiz"].cat.categories)
    pairs, pair_of = np.unique(learner_codes * quiz_count + attempts["quiz"].cat.codes.to_numpy(), return_inverse=True)
    best = np.full(len(pairs), -np.inf)
    np.maximum.at(best, pair_of, attempts["percentage"].to_numpy(float))
    passed = np.zeros(len(pairs))
    np.maximum.at(passed, pair_of, attempts["passed"].to_numpy(float))
    learners, learner_of_pair = np.unique(pairs // quiz_count, return_inverse=True)
    _, learner_of_attempt = np.unique(learner_codes, return_inverse=True)
    last = np.full(len(learners), np.iinfo(np.int64).min)
    # as nanoseconds whatever unit the column was read with (pandas 3 reads CSV times as microseconds)
    submitted_ns = attempts["submitted"].dt.as_unit("ns").astype("int64").to_numpy()
    np.maximum.at(last, learner_of_attempt, submitted_ns)
    logins = attempts["learner"].cat.categories[learners].astype(str)
    quizzes = np.bincount(learner_of_pair)
    done = completed_counts(progress, lesson_ids).reindex(logins, fill_value=0).to_numpy()
    return pd.DataFrame(
        {
            "learner": logins,
            "name": [names.get(login, "") for login in logins],
            "attempts": np.bincount(learner_of_attempt),
            "quizzes": quizzes,
            "passed": np.bincount(learner_of_pair, weights=passed).astype(int),
            "best_pct": np.bincount(learner_of_pair, weights=best) / quizzes,
            "practice": practice.reindex(logins, fill_value=0).to_numpy(),
            "lessons": [f"{n} / {len(lesson_ids)}" for n in done],
            "last_attempt": local_minutes(pd.Series(last.astype("datetime64[ns]")), zone).to_numpy(),
        }
    )


def learner_quizzes(selection: Selection, learner: str, zone: tzinfo = UTC) -> pd.DataFrame:
    """One learner's quizzes: attempts, best and latest score, passed or not (times in ``zone``)."""
    attempts = selection.attempts
    mine = attempts[attempts["learner"] == learner]
    table = mine.groupby("quiz", observed=True).agg(
        attempts=("attempt_id", "size"),
        best_pct=("percentage", "max"),
        latest_pct=("percentage", "last"),
        passed=("passed", "any"),
        last_attempt=("submitted", "max"),
    )
    table["last_attempt"] = local_minutes(table["last_attempt"], zone)
    return table.reset_index().assign(quiz=lambda t: t["quiz"].astype(str))


@dataclass(frozen=True)
class QuizSummary:
    quiz: str
    attempts: int
    learners: int
    pass_rate: float | None  # share of attempts that passed
    learners_passed: int  # learners with at least one passing attempt
    mean_pct: float | None


def quizzes_in(selection: Selection) -> list[str]:
    """The course quizzes with at least one selected attempt, in name order: not the simulator
    drills, and not the learners' own reviews of their mistakes (see :func:`practice_summary`)."""
    quiz = selection.attempts["quiz"]
    counts = np.bincount(quiz.cat.codes.to_numpy().astype(np.int64), minlength=len(quiz.cat.categories))
    return [str(name) for name, n in zip(quiz.cat.categories, counts, strict=True) if n and name not in PRACTICE]


def practice_summary(selection: Selection) -> pd.DataFrame:
    """The learners' own practice, apart from the course quizzes: per personal quiz (the review of
    mistakes) and the simulator drills, how many attempts by how many learners."""
    attempts = selection.attempts[selection.attempts["quiz"].isin(PRACTICE)]
    table = attempts.groupby("quiz", observed=True).agg(
        attempts=("attempt_id", "size"), learners=("learner", "nunique"), mean_pct=("percentage", "mean")
    )
    return table.reset_index().assign(quiz=lambda t: t["quiz"].astype(str))


def quiz_summaries(selection: Selection) -> list[QuizSummary]:
    """Per course quiz (simulator drills and reviews of mistakes apart): attempts, learners, pass
    rates, mean score.

    Counted with numpy on the categorical codes; a groupby per quiz cost ~65 ms on 100,000
    attempts, too much for a filter change.
    """
    attempts = selection.attempts
    categories = attempts["quiz"].cat.categories
    size = len(categories)
    quiz = attempts["quiz"].cat.codes.to_numpy().astype(np.int64)
    learner = attempts["learner"].cat.codes.to_numpy().astype(np.int64)
    passed = attempts["passed"].to_numpy(bool)
    counts = np.bincount(quiz, minlength=size)
    pass_counts = np.bincount(quiz, weights=passed, minlength=size)
    pct_sums = np.bincount(quiz, weights=attempts["percentage"].to_numpy(float), minlength=size)
    learners = np.bincount(np.unique(learner * size + quiz) % size, minlength=size)
    passers = np.bincount(np.unique(learner[passed] * size + quiz[passed]) % size, minlength=size)
    return [
        QuizSummary(
            quiz=str(name),
            attempts=int(counts[i]),
            learners=int(learners[i]),
            pass_rate=float(pass_counts[i] / counts[i]),
            learners_passed=int(passers[i]),
            mean_pct=float(pct_sums[i] / counts[i]),
        )
        for i, name in enumerate(categories)
        if counts[i] and name not in PRACTICE
    ]


@dataclass(frozen=True)
class ReviewEntry:
    """One question to review: how tutors name it, where it is in its bank, and every flag
    (the item-writing rules it breaks first, then the statistics out of their band)."""

    question_id: str
    label: str
    location: str  # file:line in its bank, or "" for a removed question
    flags: tuple[Flag, ...]
    seen: bool = True  # False: the quiz can draw it, but no first attempt in the selection did


@dataclass(frozen=True)
class QuizItems:
    """Item analysis of one quiz over first attempts, joined with the bank's sources and the
    item-writing rules its questions break (:func:`course.analytics.results.rule_flags`)."""

    quiz: str
    items: tuple[ItemStats, ...]
    reliability: Reliability
    sources: Mapping[str, QuestionSource | None]
    rules: Mapping[str, tuple[Flag, ...]] = field(default_factory=dict)

    def label(self, question_id: str) -> str:
        """The start of the question's prompt and its id (or the id and "removed")."""
        return question_label(question_id, self.sources.get(question_id))

    def flags(self, question_id: str, stats: ItemStats | None = None) -> tuple[Flag, ...]:
        return (*self.rules.get(question_id, ()), *(stats.flags if stats is not None else ()))

    def review(self) -> list[ReviewEntry]:
        """Every question with a flag: those answered (in the table's order), then those of the
        quiz that break a rule but no learner has seen yet, in bank order."""
        entries = [
            self._entry(item.question_id, flags) for item in self.items if (flags := self.flags(item.question_id, item))
        ]
        seen = {item.question_id for item in self.items}
        unseen = sorted((q for q in self.rules if q not in seen), key=self._bank_order)
        return entries + [self._entry(question, self.rules[question], seen=False) for question in unseen]

    def _entry(self, question_id: str, flags: tuple[Flag, ...], seen: bool = True) -> ReviewEntry:
        source = self.sources.get(question_id)
        return ReviewEntry(question_id, self.label(question_id), source.location if source else "", flags, seen)

    def _bank_order(self, question_id: str) -> tuple[str, int, str]:
        source = self.sources.get(question_id)
        return (source.file, source.line or 0, question_id) if source else ("", 0, question_id)


def quiz_items(
    responses: pd.DataFrame, quiz: str, bank: QuestionIndex, rules: Mapping[str, tuple[Flag, ...]] | None = None
) -> QuizItems:
    """Facility, discrimination, alpha for one quiz from :meth:`Selection.item_responses`
    (each learner's first attempt only), with the rule flags of its questions (``rules``, from
    :func:`course.analytics.results.rule_flags`). A question the rules flag but no attempt saw
    is labelled from ``bank`` too."""
    x, maxima = score_matrix(responses)
    stats = tuple(item_stats(x, maxima))
    reliability = cronbach_alpha(x)
    rules = dict(rules or {})
    sources = {question: bank.get(question) for question in (*(s.question_id for s in stats), *rules)}
    return QuizItems(quiz, stats, reliability, sources, rules)


def items_table(items: QuizItems) -> pd.DataFrame:
    """The item table as text: numbers to two decimals, "not enough data" or "n/a"; *review*
    names each rule and statistic that flags the question."""

    def show(value: float | None, item: ItemStats) -> str:
        if value is not None:
            return f"{value:.2f}"
        return item.note.split(":")[0] if item.note else "n/a"

    rows = []
    for item in items.items:
        source = items.sources.get(item.question_id)
        rows.append(
            {
                "question": items.label(item.question_id),
                "facility": show(item.facility, item),
                "discrimination": show(item.discrimination, item),
                "attempts": item.attempts,
                "review": "; ".join(flag.short for flag in items.flags(item.question_id, item)),
                "point-biserial (uncorrected)": show(item.point_biserial, item),
                "source": source.location if source else "",
                "question_id": item.question_id,
            }
        )
    return pd.DataFrame(rows)


CONFIDENT_WRONG_COLUMNS = ["learner", "name", "quiz", "question", "question_id", "where", "submitted"]


def confident_wrong(
    selection: Selection, questions: QuestionIndex, names: Mapping[str, str], zone: tzinfo = UTC
) -> pd.DataFrame:
    """Must-pass questions answered wrong at certainty 3 (high), in the selected attempts, per
    learner (by login, then time): the learner believed a wrong safety decision, which a tutor
    should take up with them whatever their scores.

    Columns: learner, name, quiz, question (its prompt, shortened: questions have no title),
    question_id, where (bank file and line), submitted (in ``zone``). A question no longer in a bank
    cannot be known to be must-pass, so it is left out.
    """
    certainty = selection.results.certainty
    must_pass = {q for q, source in questions.items() if source.critical}
    high = certainty[(certainty["certainty"].astype(str).str.strip() == "3") & certainty["question_id"].isin(must_pass)]
    attempts = selection.attempts[["attempt_id", "learner", "quiz", "submitted"]]
    high = high.merge(attempts, on="attempt_id", how="inner")
    if high.empty:
        return pd.DataFrame(columns=CONFIDENT_WRONG_COLUMNS)
    responses = selection.results.responses
    candidates = responses[responses["attempt_id"].isin(high["attempt_id"].unique())]
    wrong = candidates.loc[~truthy(candidates["correct"]), ["attempt_id", "question_id"]].astype(str)
    found = high.merge(wrong, on=["attempt_id", "question_id"], how="inner")
    if found.empty:
        return pd.DataFrame(columns=CONFIDENT_WRONG_COLUMNS)
    found = found.assign(learner=found["learner"].astype(str)).sort_values(["learner", "submitted"], kind="stable")
    return pd.DataFrame(
        {
            "learner": found["learner"],
            "name": [names.get(login, "") for login in found["learner"]],
            "quiz": found["quiz"].astype(str),
            "question": [short_text(questions[q].prompt) for q in found["question_id"]],
            "question_id": found["question_id"],
            "where": [questions[q].location for q in found["question_id"]],
            "submitted": local_minutes(found["submitted"], zone).to_numpy(),
        }
    ).reset_index(drop=True)


def attempts_export(selection: Selection, names: Mapping[str, str]) -> pd.DataFrame:
    """The selected attempts as the tutor downloads them (with each learner's name)."""
    attempts = selection.attempts
    learners = attempts["learner"].astype(str)
    return pd.DataFrame(
        {
            "attempt_id": attempts["attempt_id"],
            "learner": learners,
            "name": learners.map(lambda login: names.get(login, "")),
            "quiz": attempts["quiz"].astype(str),
            "submitted": attempts["submitted"].dt.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "score": attempts["score"],
            "max_score": attempts["max_score"],
            "percentage": attempts["percentage"],
            "passed": attempts["passed"],
            "first_attempt": attempts["first"],
        }
    )


EXPORT_RESPONSE_COLUMNS = [*RESPONSES.columns, "certainty"]


def responses_export(selection: Selection) -> pd.DataFrame:
    """The responses of the selected attempts, in the columns of ``responses.csv`` and then
    ``certainty``: the certainty (1-3) the answer was scored with, from ``certainty.csv``;
    empty for a question scored without confidence-based marking (and so for every attempt
    made before it existed) and for a question left unanswered in a CBM quiz."""
    responses = selection.responses()[list(RESPONSES.columns)]
    certainty = selection.results.certainty
    if certainty.empty or responses.empty:
        return responses.assign(certainty="")
    stored = certainty.drop_duplicates(["attempt_id", "question_id"], keep="first")
    keys = pd.MultiIndex.from_arrays([stored["attempt_id"].astype(str), stored["question_id"].astype(str)])
    wanted = pd.MultiIndex.from_arrays([responses["attempt_id"].astype(str), responses["question_id"].astype(str)])
    found = keys.get_indexer(wanted)
    values = stored["certainty"].astype(str).str.strip().to_numpy(dtype=object)
    column = np.where(found >= 0, values[np.maximum(found, 0)], "")
    return responses.assign(certainty=column)


def _drill(answer: str, question_id: str) -> tuple[str, float]:
    try:
        data = json.loads(answer)
    except ValueError:
        return question_id, float("nan")
    if not isinstance(data, dict):
        return question_id, float("nan")
    raw: Any = data.get("distance_mm")  # a number, unless the row was edited by hand
    try:
        distance = abs(float(raw))
    except (TypeError, ValueError):
        distance = float("nan")
    return str(data.get("technique") or question_id), distance


def simulator_summary(selection: Selection) -> pd.DataFrame:
    """Mean distance from the target depth per technique (simulator drills only)."""
    responses = selection.responses(quiz=SIMULATOR_QUIZ)
    columns = ["technique", "drills", "mean_distance_mm"]
    if responses.empty:
        return pd.DataFrame(columns=columns)
    parsed = [_drill(a, str(q)) for a, q in zip(responses["answer"].astype(str), responses["question_id"], strict=True)]
    drills = pd.DataFrame(parsed, columns=["technique", "distance"]).dropna()
    if drills.empty:
        return pd.DataFrame(columns=columns)
    table = drills.groupby("technique").agg(drills=("distance", "size"), mean_distance_mm=("distance", "mean"))
    return table.reset_index().sort_values("mean_distance_mm")
