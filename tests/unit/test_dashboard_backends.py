"""The dashboard's figures are the same on a CSV folder and on a real PostgreSQL holding the same
rows, though PostgreSQL fetches the responses only when a view first needs them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from course.accounts.accounts import Accounts
from course.analytics.item_analysis import distractors
from course.analytics.results import (
    Filters,
    QuestionSource,
    Results,
    filter_choices,
    load_results,
    question_index,
    select,
)
from course.analytics.summaries import (
    attempts_export,
    confident_wrong,
    items_table,
    learner_quizzes,
    learner_summary,
    practice_summary,
    quiz_items,
    quiz_summaries,
    responses_export,
    simulator_summary,
)
from course.quiz.banks import load_quizzes
from course.store.csvstore import Store
from course.store.pgstore import PgStore
from course.store.tables import ATTEMPTS, CERTAINTY, PROGRESS, RESPONSES
from course.store.transfer import import_csv
from tests.helpers.results import LEARNERS, QUESTIONS, attempt_row, response_row, write_results

FILTERS = (
    Filters(),
    Filters(quizzes=("history",)),
    Filters(learners=(LEARNERS[3], LEARNERS[7])),
    Filters(start=date(2026, 11, 2), end=date(2026, 11, 30)),
    Filters(quizzes=("history",), end=date(2026, 11, 1)),
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made results set, plus certainties (some high, on a must-pass question) and a
    response whose attempt was never stored."""
    folder = tmp_path_factory.mktemp("both")
    store = write_results(folder)
    store.append(
        CERTAINTY,
        [
            {"attempt_id": f"{login}-h{retry}", "question_id": question, "certainty": str(1 + (i + q) % 3)}
            for i, login in enumerate(LEARNERS)
            for retry in (0, 1)
            for q, question in enumerate(QUESTIONS)
        ],
    )
    store.append(RESPONSES, [response_row("never-stored", QUESTIONS[0], "Right", 1.0)])
    return folder


@pytest.fixture
def stores(folder: Path, pg_url: str) -> Iterator[tuple[Store, PgStore]]:
    pg = PgStore(pg_url)
    reports = import_csv(pg, folder)
    assert {r.name: r.stored for r in reports}[RESPONSES.name] == len(Store(folder).read(RESPONSES).frame)
    try:
        yield Store(folder), pg
    finally:
        pg.close()


def index() -> dict[str, QuestionSource]:
    """The real banks' questions, with the first history question made must-pass."""
    found = question_index(load_quizzes())
    first = found[QUESTIONS[0]]
    found[QUESTIONS[0]] = QuestionSource(
        first.bank, first.question_id, first.prompt, first.file, first.line, first.kind, critical=True
    )
    return found


def figures(results: Results, store: Store | PgStore) -> dict[str, object]:
    """What every view of the dashboard shows, under each of :data:`FILTERS`."""
    names = {login: a.display_name for login, a in Accounts(store).all().items()}
    progress = store.read(PROGRESS).frame
    questions = index()
    shown: dict[str, object] = {"choices": filter_choices(results, date(2026, 12, 1))}
    for n, filters in enumerate(FILTERS):
        selection = select(results, filters)
        shown[f"{n} learners"] = learner_summary(selection, progress, ["history", "anatomy"], names)
        shown[f"{n} one learner"] = learner_quizzes(selection, LEARNERS[3])
        shown[f"{n} quizzes"] = quiz_summaries(selection)
        shown[f"{n} practice"] = practice_summary(selection)
        responses = selection.item_responses("history", answers=True)
        shown[f"{n} item responses"] = responses.reset_index(drop=True)
        items = quiz_items(responses, "history", questions)
        shown[f"{n} items"] = items_table(items)
        shown[f"{n} alpha"] = items.reliability
        if not responses.empty:
            shown[f"{n} distractors"] = distractors(responses, QUESTIONS[1])
        shown[f"{n} confident wrong"] = confident_wrong(selection, questions, names)
        shown[f"{n} drills"] = simulator_summary(selection)
        shown[f"{n} attempts export"] = attempts_export(selection, names)
        shown[f"{n} responses export"] = responses_export(selection).reset_index(drop=True)
    return shown


def test_every_view_shows_the_same_figures_on_csv_and_on_postgresql(stores: tuple[Store, PgStore]) -> None:
    csv_store, pg_store = stores
    on_csv, on_pg = load_results(csv_store), load_results(pg_store)
    assert on_csv.joined.made and not on_pg.joined.made  # PostgreSQL has read the attempts only
    pd.testing.assert_frame_equal(on_pg.attempts, on_csv.attempts)
    pd.testing.assert_frame_equal(on_pg.certainty, on_csv.certainty)
    first_view = select(on_pg, Filters())
    learner_summary(first_view, pg_store.read(PROGRESS).frame, [], {})
    quiz_summaries(first_view)
    assert not on_pg.joined.made  # the learner table and quiz view need no response
    expected, found = figures(on_csv, csv_store), figures(on_pg, pg_store)
    assert on_pg.joined.made
    assert found.keys() == expected.keys()
    for name, value in expected.items():
        if isinstance(value, pd.DataFrame):
            on_pg_value = found[name]
            assert isinstance(on_pg_value, pd.DataFrame), name
            pd.testing.assert_frame_equal(on_pg_value, value, obj=name)
        else:
            assert found[name] == value, name
    pd.testing.assert_frame_equal(on_pg.responses, on_csv.responses)
    assert on_pg.by_quiz.keys() == on_csv.by_quiz.keys()
    for quiz, positions in on_csv.by_quiz.items():
        assert on_pg.by_quiz[quiz].tolist() == positions.tolist()
    assert "never-stored" not in set(on_pg.responses["attempt_id"])
    confident = expected["0 confident wrong"]
    assert isinstance(confident, pd.DataFrame) and not confident.empty  # the comparison saw rows


def test_responses_fetched_later_are_those_of_the_attempts_loaded(stores: tuple[Store, PgStore]) -> None:
    _, pg_store = stores
    results = load_results(pg_store)
    loaded = set(results.attempts["attempt_id"])
    pg_store.append_many(
        [
            (ATTEMPTS, [attempt_row("late", LEARNERS[2], "history", "2026-11-20", score=1, top=1, passed=True)]),
            (RESPONSES, [response_row("late", QUESTIONS[0], "Right", 1.0)]),
            (RESPONSES, [response_row(f"{LEARNERS[2]}-h0", QUESTIONS[0], "again", 1.0)]),
        ]
    )
    responses = results.responses  # fetched now, after the append
    assert set(responses["attempt_id"]) <= loaded
    assert "again" not in set(responses["answer"])  # rows appended after the load are not in it
    fresh = load_results(pg_store)
    assert "late" in set(fresh.attempts["attempt_id"]) and "again" in set(fresh.responses["answer"])
