"""The tutors' results dashboard: load results once, filter fast, summarise, draw.

Loading joins ``attempts.csv`` and ``responses.csv``, and keeps ``certainty.csv`` (read through
:class:`course.store.base.TableStore`, so bad lines are reported, never fatal) into one
:class:`Results`. The result is meant to be cached by the page, keyed on the files'
signatures; a filter change then only takes boolean masks over that cached data, which keeps
a rerun well under 100 ms on a million response rows. Every summary here is pure pandas and
returns plain frames or dataclasses; the figure builders return Plotly figures with a text
alternative.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from course.analytics.item_analysis import Flag
from course.quiz.item_rules import quiz_findings
from course.quiz.models import QuizCatalog
from course.store.base import ReadsLater, TableStore, empty_frame, truthy
from course.store.tables import ATTEMPTS, CERTAINTY, PROGRESS, RESPONSES

REMOVED = "(removed question)"
PROMPT_CHARS = 90


def short_text(text: str, limit: int = PROMPT_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis (questions have no
    title, so a tutor reads the start of the prompt).

    >>> short_text("Before injecting  the forehead,   what do you check first?", 30)
    'Before injecting the forehead…'
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def question_label(question_id: str, source: QuestionSource | None, limit: int = 60) -> str:
    """How a question is named to tutors: the start of its prompt, then its id.

    >>> question_label("q-old", None)
    'q-old (removed question)'
    """
    if source is None:
        return f"{question_id} {REMOVED}"
    return f"{short_text(source.prompt, limit)} ({question_id})"


@dataclass(frozen=True)
class QuestionSource:
    """Where a question lives in the bank, so a flagged item can be found and fixed."""

    bank: str
    question_id: str
    prompt: str
    file: str
    line: int | None
    kind: str = "single"  # the question type; a "multiple" answer counts each option apart
    critical: bool = False  # a must-pass question

    @property
    def location(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"

    @property
    def label(self) -> str:
        """The start of the prompt and the id, as tutors read a question's name."""
        return question_label(self.question_id, self)


QuestionIndex = Mapping[str, QuestionSource]


def question_index(quizzes: QuizCatalog) -> dict[str, QuestionSource]:
    """Every question of every valid bank by id (ids are unique across banks), with its
    file and the line of its ``id:``, so a flagged question can be found in the bank."""
    index = {}
    for bank in quizzes.banks:
        for question in bank.questions:
            index[question.id] = QuestionSource(
                bank.id,
                question.id,
                question.prompt,
                _display(bank.path),
                bank.lines.get(question.id),
                question.type,
                question.critical,
            )
    return index


def rule_flags(quizzes: QuizCatalog, quiz_id: str) -> dict[str, tuple[Flag, ...]]:
    """The item-writing rules that each question of one quiz breaks, by question id: the
    warnings ``python -m course check`` prints for it (the rule's id, its message and the
    question's ``file:line``), with near-duplicates counted within this quiz's pool.

    Reads no file (the catalog holds the lines); a page caches it per bank version and quiz.
    """
    where = {
        question.id: f"{_display(bank.path)}:{line}" if (line := bank.lines.get(question.id)) else _display(bank.path)
        for bank in quizzes.banks
        for question in bank.questions
    }
    flags: dict[str, list[Flag]] = {}
    for finding in quiz_findings(quizzes, quiz_id):
        question = finding.question.id
        flags.setdefault(question, []).append(Flag("rule", finding.rule, finding.message, where.get(question, "")))
    return {question: tuple(found) for question, found in flags.items()}


def pass_marks(quizzes: QuizCatalog) -> dict[str, float]:
    """Quiz id -> pass mark (%), for the line on the score histogram."""
    return {bank.id: bank.settings.pass_mark for bank in quizzes.banks}


def _display(path: Path) -> str:
    """``quizzes/history.yaml``: the folder and file a tutor opens, wherever the folder is."""
    return f"{path.parent.name}/{path.name}"


JoinedResponses = tuple[pd.DataFrame, dict[str, np.ndarray]]
"""The responses joined to their attempts, and the response positions of each quiz."""


class _Deferred:
    """The joined responses, made on first use by whichever thread asks first, then kept.

    A PostgreSQL store fetches them only when a view needs them (item analysis, confident
    errors, drills, exports): the first view, the learner table, reads the attempts only.
    """

    def __init__(self, make: Callable[[], JoinedResponses]) -> None:
        self._make: Callable[[], JoinedResponses] | None = make
        self._value: JoinedResponses | None = None
        self._guard = threading.Lock()

    @classmethod
    def ready(cls, value: JoinedResponses) -> _Deferred:
        made = cls(lambda: value)
        made.get()
        return made

    @property
    def made(self) -> bool:
        return self._value is not None

    def get(self) -> JoinedResponses:
        with self._guard:
            if self._value is None:
                assert self._make is not None  # set until the value is made
                self._value = self._make()
                self._make = None
            return self._value


@dataclass(frozen=True)
class Results:
    """Attempts and responses, typed and joined; shared read-only between sessions.

    ``attempts``: attempt_id, learner, quiz (categorical), submitted (UTC), day, score,
    max_score, percentage, passed (bool), first (the learner's first attempt at that quiz).
    ``responses``: the response columns plus ``row`` (the position of its attempt in
    ``attempts``), so attempt filters map onto responses with one array lookup.
    ``certainty``: the rows of ``certainty.csv`` as stored (attempt_id, question_id, certainty).
    The responses may be joined on first use (a store that joins in place, PostgreSQL).
    """

    attempts: pd.DataFrame
    joined: _Deferred = field(repr=False)
    problems: tuple[str, ...] = ()
    certainty: pd.DataFrame = field(default_factory=lambda: empty_frame(CERTAINTY), repr=False)

    @property
    def empty(self) -> bool:
        return self.attempts.empty

    @property
    def responses(self) -> pd.DataFrame:
        return self.joined.get()[0]

    @property
    def by_quiz(self) -> Mapping[str, np.ndarray]:
        """Response positions per quiz."""
        return self.joined.get()[1]


def _typed_attempts(attempts_raw: pd.DataFrame) -> pd.DataFrame:
    """The attempts typed, once each, in submission order, with ``day`` and ``first``."""
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
            "passed": truthy(attempts_raw["passed"]),
        },
        copy=False,  # share the store's cached columns (copy-on-write keeps them safe)
    )
    attempts = attempts.drop_duplicates("attempt_id", keep="first")
    attempts = attempts.sort_values("submitted", kind="stable", na_position="last").reset_index(drop=True)
    attempts["day"] = attempts["submitted"].dt.floor("D")  # datetime64: compares ~10x faster than date objects
    attempts["first"] = ~attempts.duplicated(["learner", "quiz"], keep="first")
    return attempts


def _joined(attempts: pd.DataFrame, responses_raw: pd.DataFrame) -> JoinedResponses:
    """The responses with ``row``, their attempt's position in ``attempts`` (a response whose
    attempt is not stored is left out)."""
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
    return responses, _positions_by_quiz(attempts, responses)


def prepare(
    attempts_raw: pd.DataFrame,
    responses_raw: pd.DataFrame | Callable[[], pd.DataFrame],
    problems: Sequence[str] = (),
    certainty_raw: pd.DataFrame | None = None,
) -> Results:
    """Type and join raw tables (as :meth:`TableStore.read` returns them) into :class:`Results`.

    ``responses_raw`` may be a call that returns them: it is then made, and the join done,
    when the responses are first used.
    """
    attempts = _typed_attempts(attempts_raw)
    certainty = empty_frame(CERTAINTY) if certainty_raw is None else certainty_raw
    if isinstance(responses_raw, pd.DataFrame):
        joined = _Deferred.ready(_joined(attempts, responses_raw))
    else:
        fetch = responses_raw
        joined = _Deferred(lambda: _joined(attempts, fetch()))
    return Results(attempts, joined, tuple(problems), certainty)


def _positions_by_quiz(attempts: pd.DataFrame, responses: pd.DataFrame) -> dict[str, np.ndarray]:
    """Which response rows belong to each quiz, so one quiz's responses are a small take."""
    codes = attempts["quiz"].cat.codes.to_numpy()[responses["row"].to_numpy()]
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(attempts["quiz"].cat.categories) + 1))
    return {str(quiz): order[bounds[i] : bounds[i + 1]] for i, quiz in enumerate(attempts["quiz"].cat.categories)}


def load_results(store: TableStore) -> Results:
    """Read and prepare the tables; skipped lines come back as problems, never errors.

    A store that can read later (:class:`~course.store.base.ReadsLater`: PostgreSQL, where no
    line is ever skipped) reads the attempts now and the responses, as they stand now, when a
    view first needs them: the learner table and the quiz view use the attempts only. A CSV
    folder is read whole now, so every damaged line is reported on the first load. Both give
    the same :class:`Results`. Reading the attempts before the responses' version is taken
    keeps every stored attempt's responses (a submit commits both together); responses of an
    attempt stored in between are left out, as responses without their attempt always are.
    """
    if isinstance(store, ReadsLater):
        attempts = store.read(ATTEMPTS)
        later = store.read_later(RESPONSES)
        certainty = store.read(CERTAINTY)
        problems = [str(p) for p in (*attempts.problems, *certainty.problems)]
        return prepare(attempts.frame, lambda: later().frame, problems, certainty.frame)
    attempts = store.read(ATTEMPTS)
    responses = store.read(RESPONSES)
    certainty = store.read(CERTAINTY)
    problems = [str(p) for p in (*attempts.problems, *responses.problems, *certainty.problems)]
    return prepare(attempts.frame, responses.frame, problems, certainty.frame)


def results_signature(store: TableStore) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Each result table's version (:meth:`TableStore.version`): the cache key of :func:`load_results`."""
    return tuple((table.name, store.version(table)) for table in (ATTEMPTS, RESPONSES, CERTAINTY, PROGRESS))


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


# --- per quiz --------------------------------------------------------------------------------


# --- exports ---------------------------------------------------------------------------------


# --- simulator drills --------------------------------------------------------------------------


# --- figures ---------------------------------------------------------------------------------
