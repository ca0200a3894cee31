"""The tutors' results dashboard: load results once, filter fast, summarise, draw.

Loading joins ``attempts.csv`` and ``responses.csv`` (read through :class:`course.store.csvstore.Store`,
so bad lines are reported, never fatal) into one :class:`Results`. The result is meant to
be cached by the page, keyed on the files' signatures; a filter change then only takes
boolean masks over that cached data, which keeps a rerun well under 100 ms on a million
response rows. Every summary here is pure pandas and returns plain frames or dataclasses;
the figure builders return Plotly figures with a text alternative.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import pyarrow.compute as pc

from course.accounts.progress import COMPLETE
from course.content.lessons import decode
from course.content.problems import ContentError
from course.content.yamlsource import YamlSyntaxError, parse_yaml
from course.item_analysis import ItemStats, Reliability, cronbach_alpha, item_stats, score_matrix
from course.quiz.models import QuizCatalog
from course.simulator.drills import SIMULATOR_QUIZ
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, PROGRESS, RESPONSES

REMOVED = "(removed question)"
TRUE_VALUES = frozenset({"true", "1", "yes", "y", "t"})
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
BLUE, VERMILION, BLACK = "#0072B2", "#D55E00", "#000000"


@dataclass(frozen=True)
class QuestionSource:
    """Where a question lives in the bank, so a flagged item can be found and fixed."""

    bank: str
    question_id: str
    prompt: str
    file: str
    line: int | None
    kind: str = "single"  # the question type; a "multiple" answer counts each option apart

    @property
    def location(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


QuestionIndex = Mapping[str, QuestionSource]


def question_index(quizzes: QuizCatalog) -> dict[str, QuestionSource]:
    """Every question of every valid bank by id (ids are unique across banks), with its
    file and the line of its ``id:``, so a flagged question can be found in the bank."""
    index = {}
    for bank in quizzes.banks:
        lines = _question_lines(bank.path)
        for question in bank.questions:
            index[question.id] = QuestionSource(
                bank.id, question.id, question.prompt, _display(bank.path), lines.get(question.id), question.type
            )
    return index


def _question_lines(path: Path) -> dict[str, int]:
    """Question id -> line of its ``id:`` key (the bank loader keeps no line numbers)."""
    try:
        data, lines = parse_yaml(decode(path.read_bytes(), path), path)
    except (OSError, ContentError, YamlSyntaxError):
        return {}
    questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(questions, list):
        return {}
    return {
        str(item["id"]): lines[("questions", i, "id")]
        for i, item in enumerate(questions)
        if isinstance(item, dict) and "id" in item and ("questions", i, "id") in lines
    }


def pass_marks(quizzes: QuizCatalog) -> dict[str, float]:
    """Quiz id -> pass mark (%), for the line on the score histogram."""
    return {bank.id: bank.settings.pass_mark for bank in quizzes.banks}


def _display(path: Path) -> str:
    """``quizzes/history.yaml``: the folder and file a tutor opens, wherever the folder is."""
    return f"{path.parent.name}/{path.name}"


@dataclass(frozen=True)
class Results:
    """Attempts and responses, typed and joined; shared read-only between sessions.

    ``attempts``: attempt_id, learner, quiz (categorical), submitted (UTC), day, score,
    max_score, percentage, passed (bool), first (the learner's first attempt at that quiz).
    ``responses``: the response columns plus ``row`` (the position of its attempt in
    ``attempts``), so attempt filters map onto responses with one array lookup.
    """

    attempts: pd.DataFrame
    responses: pd.DataFrame
    problems: tuple[str, ...] = ()
    by_quiz: Mapping[str, np.ndarray] = field(default_factory=dict, repr=False)  # response positions per quiz

    @property
    def empty(self) -> bool:
        return self.attempts.empty


def _truthy(values: pd.Series) -> pd.Series:
    return values.astype(str).str.strip().str.lower().isin(TRUE_VALUES)


def prepare(attempts_raw: pd.DataFrame, responses_raw: pd.DataFrame, problems: Sequence[str] = ()) -> Results:
    """Type and join raw tables (as :meth:`Store.read` returns them) into :class:`Results`."""
    submitted = pd.to_datetime(attempts_raw["submitted"], utc=True, format="ISO8601", errors="coerce")
    attempts = pd.DataFrame(
        {
            "attempt_id": attempts_raw["attempt_id"],
            "learner": attempts_raw["learner"].astype("category"),
            "quiz": attempts_raw["quiz"].astype("category"),
            "submitted": submitted,
            "score": attempts_raw["score"],
            "max_score": attempts_raw["max_score"],
            "percentage": attempts_raw["percentage"],
            "passed": _truthy(attempts_raw["passed"]),
        },
        copy=False,  # share the store's cached columns (copy-on-write keeps them safe)
    )
    attempts = attempts.drop_duplicates("attempt_id", keep="first")
    attempts = attempts.sort_values("submitted", kind="stable", na_position="last").reset_index(drop=True)
    attempts["day"] = attempts["submitted"].dt.floor("D")  # datetime64: compares ~10x faster than date objects
    attempts["first"] = ~attempts.duplicated(["learner", "quiz"], keep="first")
    # Arrow's hash lookup: ~7x faster than pandas' get_indexer on a million ids
    row = pc.fill_null(
        pc.index_in(pa.array(responses_raw["attempt_id"]), value_set=pa.array(attempts["attempt_id"])), -1
    ).to_numpy()
    known = row >= 0
    responses = pd.DataFrame(
        {
            "row": row,
            "attempt_id": responses_raw["attempt_id"],
            "question_id": pd.Categorical.from_codes(*pd.factorize(responses_raw["question_id"])),
            "answer": responses_raw["answer"],
            "correct": responses_raw["correct"],
            "points": responses_raw["points"],
            "max_points": responses_raw["max_points"],
        },
        copy=False,  # a million text cells: share, don't duplicate, the store's copy
    )
    if not known.all():
        responses = responses.loc[known].reset_index(drop=True)
    return Results(attempts, responses, tuple(problems), _positions_by_quiz(attempts, responses))


def _positions_by_quiz(attempts: pd.DataFrame, responses: pd.DataFrame) -> dict[str, np.ndarray]:
    """Which response rows belong to each quiz, so one quiz's responses are a small take."""
    codes = attempts["quiz"].cat.codes.to_numpy()[responses["row"].to_numpy()]
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(attempts["quiz"].cat.categories) + 1))
    return {str(quiz): order[bounds[i] : bounds[i + 1]] for i, quiz in enumerate(attempts["quiz"].cat.categories)}


def load_results(store: Store) -> Results:
    """Read and prepare both tables; skipped lines come back as problems, never errors."""
    attempts = store.read(ATTEMPTS)
    responses = store.read(RESPONSES)
    problems = [str(p) for p in (*attempts.problems, *responses.problems)]
    return prepare(attempts.frame, responses.frame, problems)


def results_signature(store: Store) -> tuple[tuple[str, int, int, int], ...]:
    """Inode, size and mtime of the result files: the cache key of :func:`load_results`."""
    signature = []
    for table in (ATTEMPTS, RESPONSES, PROGRESS):
        try:
            stat = store.path(table).stat()
        except FileNotFoundError:
            continue
        signature.append((table.name, stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return tuple(signature)


# --- filtering ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the tutor chose; an empty tuple or None means "all"."""

    quizzes: tuple[str, ...] = ()
    learners: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Selection:
    """The attempts that pass the filters, and a lazy view of their responses."""

    results: Results
    mask: np.ndarray = field(repr=False)

    @cached_property
    def attempts(self) -> pd.DataFrame:
        """The selected attempts, computed once per selection (every view reads them)."""
        if self.mask.all():
            return self.results.attempts
        return self.results.attempts.take(np.flatnonzero(self.mask))

    def responses(
        self, first_only: bool = False, quiz: str | None = None, columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Responses of the selected attempts (optionally first attempts of one quiz).

        Ask only for the ``columns`` you need: taking text columns is most of the cost.
        """
        mask = self.mask
        if first_only:
            mask = mask & self.results.attempts["first"].to_numpy()
        responses = self.results.responses
        rows = responses["row"].to_numpy()
        if quiz is None:
            positions = np.flatnonzero(mask[rows])
        else:
            positions = self.results.by_quiz.get(quiz, np.empty(0, dtype=np.int64))
            positions = positions[mask[rows[positions]]]
        return (responses if columns is None else responses[list(columns)]).take(positions)

    def item_responses(self, quiz: str, answers: bool = False) -> pd.DataFrame:
        """First-attempt responses of one quiz for item analysis, keyed by attempt row."""
        columns = ["row", "question_id", "points", "max_points", *(["answer"] if answers else [])]
        return self.responses(first_only=True, quiz=quiz, columns=columns).rename(columns={"row": "attempt_id"})


@dataclass(frozen=True)
class FilterChoices:
    """What the filters offer: every quiz and learner in the results (sorted) and the days
    that attempts were submitted on, from ``first`` to ``last`` (UTC dates)."""

    quizzes: tuple[str, ...]
    learners: tuple[str, ...]
    first: date
    last: date


def filter_choices(results: Results, today: date) -> FilterChoices:
    """The filters' options for ``results``. The date picker needs a range even when no attempt
    has a readable submission time; it is then ``today`` alone."""
    attempts = results.attempts
    days = attempts["day"].dropna()
    first, last = (days.min().date(), days.max().date()) if not days.empty else (today, today)
    return FilterChoices(
        tuple(sorted(str(q) for q in attempts["quiz"].cat.categories)),
        tuple(sorted(str(lg) for lg in attempts["learner"].cat.categories)),
        first,
        last,
    )


def select(results: Results, filters: Filters) -> Selection:
    """The attempts matching ``filters``, as a boolean mask over the cached results (nothing is copied)."""
    attempts = results.attempts
    mask = np.ones(len(attempts), dtype=bool)
    if filters.quizzes:
        mask &= attempts["quiz"].isin(filters.quizzes).to_numpy()
    if filters.learners:
        mask &= attempts["learner"].isin(filters.learners).to_numpy()
    if filters.start is not None:
        mask &= (attempts["day"] >= pd.Timestamp(filters.start, tz="UTC")).to_numpy()
    if filters.end is not None:
        mask &= (attempts["day"] <= pd.Timestamp(filters.end, tz="UTC")).to_numpy()
    return Selection(results, mask)


# --- per learner ---------------------------------------------------------------------------


def completed_counts(progress: pd.DataFrame, lesson_ids: Sequence[str]) -> pd.Series:
    """Lessons each learner has completed (latest row per learner and lesson decides,
    as in :class:`course.accounts.progress.LessonProgress`), counting only current lessons."""
    if progress.empty:
        return pd.Series(dtype="int64")
    latest = progress.drop_duplicates(["learner", "lesson_id"], keep="last")
    done = latest[(latest["action"] == COMPLETE) & latest["lesson_id"].isin(list(lesson_ids))]
    return done.groupby("learner").size()


LEARNER_COLUMNS = ["learner", "name", "attempts", "quizzes", "passed", "best_pct", "lessons", "last_attempt"]


def learner_summary(
    selection: Selection, progress: pd.DataFrame, lesson_ids: Sequence[str], names: Mapping[str, str]
) -> pd.DataFrame:
    """One row per learner: attempts, quizzes taken and passed, best scores, lessons done.

    Written with numpy on the categorical codes: pandas' two-level groupby took ~45 ms on
    100,000 attempts, which alone would use half of a filter change's budget.
    """
    attempts = selection.attempts
    if attempts.empty:
        return pd.DataFrame(columns=LEARNER_COLUMNS)
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
    np.maximum.at(last, learner_of_attempt, attempts["submitted"].astype("int64").to_numpy())
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
            "lessons": [f"{n} / {len(lesson_ids)}" for n in done],
            "last_attempt": np.char.replace(np.datetime_as_string(last.astype("datetime64[ns]"), unit="m"), "T", " "),
        }
    )


def learner_quizzes(selection: Selection, learner: str) -> pd.DataFrame:
    """One learner's quizzes: attempts, best and latest score, passed or not."""
    attempts = selection.attempts
    mine = attempts[attempts["learner"] == learner]
    table = mine.groupby("quiz", observed=True).agg(
        attempts=("attempt_id", "size"),
        best_pct=("percentage", "max"),
        latest_pct=("percentage", "last"),
        passed=("passed", "any"),
        last_attempt=("submitted", "max"),
    )
    table["last_attempt"] = table["last_attempt"].dt.strftime("%Y-%m-%d %H:%M")
    return table.reset_index().assign(quiz=lambda t: t["quiz"].astype(str))


# --- per quiz --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizSummary:
    quiz: str
    attempts: int
    learners: int
    pass_rate: float | None  # share of attempts that passed
    learners_passed: int  # learners with at least one passing attempt
    mean_pct: float | None


def quizzes_in(selection: Selection) -> list[str]:
    """The quizzes (not simulator drills) with at least one selected attempt, in name order."""
    quiz = selection.attempts["quiz"]
    counts = np.bincount(quiz.cat.codes.to_numpy().astype(np.int64), minlength=len(quiz.cat.categories))
    return [str(name) for name, n in zip(quiz.cat.categories, counts, strict=True) if n and name != SIMULATOR_QUIZ]


def quiz_summaries(selection: Selection) -> list[QuizSummary]:
    """Per quiz (simulator drills apart): attempts, learners, pass rates, mean score.

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
        if counts[i] and name != SIMULATOR_QUIZ
    ]


@dataclass(frozen=True)
class QuizItems:
    """Item analysis of one quiz over first attempts, joined with the bank's sources."""

    quiz: str
    items: tuple[ItemStats, ...]
    reliability: Reliability
    sources: Mapping[str, QuestionSource | None]

    def label(self, question_id: str) -> str:
        source = self.sources.get(question_id)
        return f"{question_id} {REMOVED}" if source is None else question_id


def quiz_items(responses: pd.DataFrame, quiz: str, bank: QuestionIndex) -> QuizItems:
    """Facility, discrimination, alpha for one quiz from :meth:`Selection.item_responses`
    (each learner's first attempt only)."""
    x, maxima = score_matrix(responses)
    stats = tuple(item_stats(x, maxima))
    reliability = cronbach_alpha(x)
    sources = {s.question_id: bank.get(s.question_id) for s in stats}
    return QuizItems(quiz, stats, reliability, sources)


def items_table(items: QuizItems) -> pd.DataFrame:
    """The item table as text: numbers to two decimals, "not enough data" or "n/a"."""

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
                "review": "; ".join(item.flags),
                "point-biserial (uncorrected)": show(item.point_biserial, item),
                "source": source.location if source else "",
                "prompt": source.prompt if source else REMOVED,
            }
        )
    return pd.DataFrame(rows)


# --- exports ---------------------------------------------------------------------------------


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


def responses_export(selection: Selection) -> pd.DataFrame:
    """The responses of the selected attempts, in the columns of ``responses.csv``."""
    return selection.responses()[list(RESPONSES.columns)]


# --- simulator drills --------------------------------------------------------------------------


def _drill(answer: str, question_id: str) -> tuple[str, float]:
    try:
        data = json.loads(answer)
    except ValueError:
        return question_id, float("nan")
    if not isinstance(data, dict):
        return question_id, float("nan")
    try:
        distance = abs(float(data.get("distance_mm")))
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


# --- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """A figure and the sentence that describes it for someone who cannot see it."""

    figure: go.Figure
    alt: str


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 15}},
        xaxis_title=x_title,
        yaxis_title=y_title,
        margin={"l": 40, "r": 10, "t": 50, "b": 40},
        height=320,
        showlegend=False,
        font={"size": 12},
    )
    return fig


def score_histogram(attempts: pd.DataFrame, quiz: str, pass_mark: float | None = None) -> Chart:
    """Distribution of scores (10-point bins), counts printed on the bars."""
    scores = attempts.loc[attempts["quiz"] == quiz, "percentage"].dropna().clip(0, 100)
    edges = np.arange(0, 101, 10)
    counts, _ = np.histogram(scores, bins=edges)
    labels = [f"{lo}–{lo + 10}" for lo in edges[:-1]]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=counts,
            text=counts,
            textposition="outside",
            marker={"color": BLUE, "pattern": {"shape": "/"}},
            hovertemplate="%{x}%: %{y} attempts<extra></extra>",
        )
    )
    _layout(fig, f"Scores in {quiz}", "score (%)", "attempts")
    fig.update_yaxes(range=[0, max(int(counts.max()), 1) * 1.2])  # room for the count above the tallest bar
    if pass_mark is not None:
        fig.add_vline(
            x=min(pass_mark // 10, 9) - 0.5 + (pass_mark % 10) / 10,
            line={"color": VERMILION, "dash": "dash", "width": 2},
            annotation_text=f"pass mark {pass_mark:g}%",
        )
    busiest = labels[int(counts.argmax())] if counts.sum() else "none"
    alt = (
        f"Bar chart of {int(counts.sum())} attempt scores in {quiz}, in 10-point bins. "
        + ", ".join(f"{label}%: {count}" for label, count in zip(labels, counts, strict=True))
        + f". Most attempts scored {busiest}%."
    )
    return Chart(fig, alt)


def attempts_over_time(attempts: pd.DataFrame, quiz: str) -> Chart:
    """Attempts per day, as labelled markers joined by a line."""
    days = attempts.loc[attempts["quiz"] == quiz, "day"].dropna()
    counts = days.value_counts().sort_index()
    counts.index = counts.index.strftime("%Y-%m-%d")
    fig = go.Figure(
        go.Scatter(
            x=list(counts.index),
            y=counts.to_numpy(),
            mode="lines+markers",
            line={"color": BLACK},
            marker={"color": BLUE, "symbol": "circle", "size": 8},
            hovertemplate="%{x}: %{y} attempts<extra></extra>",
        )
    )
    _layout(fig, f"Attempts per day in {quiz}", "day (UTC)", "attempts")
    fig.update_yaxes(rangemode="tozero")
    if counts.empty:
        alt = f"No attempts at {quiz} in the selected period."
    else:
        alt = (
            f"Line chart of attempts per day at {quiz}: {int(counts.sum())} attempts from {counts.index[0]} "
            f"to {counts.index[-1]}; the busiest day was {counts.idxmax()} with {int(counts.max())}."
        )
    return Chart(fig, alt)


def simulator_chart(table: pd.DataFrame) -> Chart:
    """Horizontal bars of mean distance from target per technique, values printed."""
    fig = go.Figure(
        go.Bar(
            x=table["mean_distance_mm"],
            y=table["technique"],
            orientation="h",
            text=[f"{v:.2f} mm" for v in table["mean_distance_mm"]],
            textposition="auto",
            marker={"color": OKABE_ITO[2], "pattern": {"shape": "."}},
            hovertemplate="%{y}: %{x:.2f} mm<extra></extra>",
        )
    )
    _layout(fig, "Mean distance from the target depth", "mm from target", "technique")
    alt = "Mean distance from the target depth by technique: " + ", ".join(
        f"{t} {d:.2f} mm ({n} drills)"
        for t, d, n in zip(table["technique"], table["mean_distance_mm"], table["drills"], strict=True)
    )
    return Chart(fig, alt)
