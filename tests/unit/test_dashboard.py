"""Dashboard summaries over a small hand-made results set (attempts + responses CSV)."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from course.accounts.accounts import Accounts
from course.accounts.progress import LessonProgress
from course.analytics.export import to_safe_csv
from course.analytics.results import (
    REMOVED,
    Filters,
    QuestionSource,
    Results,
    filter_choices,
    load_results,
    pass_marks,
    prepare,
    question_index,
    select,
)
from course.analytics.results_charts import attempts_over_time, score_histogram, simulator_chart
from course.analytics.summaries import (
    attempts_export,
    items_table,
    learner_quizzes,
    learner_summary,
    practice_summary,
    quiz_items,
    quiz_summaries,
    quizzes_in,
    responses_export,
    simulator_summary,
)
from course.content.lessons import load_catalog
from course.quiz.attempts import Attempts
from course.quiz.models import MISTAKES_QUIZ, QuizCatalog
from course.simulator.drills import SIMULATOR_QUIZ
from course.simulator.loading import load_skin_model
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, PROGRESS, RESPONSES
from tests.helpers.banks import FIXTURES, fixture_catalog
from tests.helpers.results import (
    ATTACK,
    LEARNERS,
    QUESTIONS,
    REMOVED_ID,
    attempt_row,
    response_row,
    write_results,
)

BANK = {
    q: QuestionSource("history", q, f"Prompt of {q}", "quizzes/history.yaml", 20 + i) for i, q in enumerate(QUESTIONS)
}


@pytest.fixture(scope="module")
def results_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made results set, written once for the module (12 accounts cost 12 scrypt hashes)."""
    folder = tmp_path_factory.mktemp("results")
    write_results(folder)
    return folder


@pytest.fixture(scope="module")
def results(results_folder: Path) -> Results:
    """Loaded once and shared read-only, as the results page shares its cached results between sessions."""
    return load_results(Store(results_folder))


def test_empty_folder_gives_empty_results(tmp_path: Path) -> None:
    results = load_results(Store(tmp_path))
    assert results.empty
    selection = select(results, Filters())
    assert quiz_summaries(selection) == []
    assert learner_summary(selection, pd.DataFrame(), [], {}).empty
    assert simulator_summary(selection).empty


def test_first_attempts_and_filters(results: Results) -> None:
    attempts = results.attempts
    firsts = attempts[attempts["first"] & (attempts["quiz"] == "history")]
    assert sorted(firsts["attempt_id"]) == sorted(f"{login}-h0" for login in LEARNERS)
    late = select(results, Filters(quizzes=("history",), start=date(2026, 11, 4)))
    assert set(late.attempts["attempt_id"]) == {f"{login}-h1" for login in LEARNERS}
    one = select(results, Filters(learners=("learner03",), end=date(2026, 11, 3)))
    assert set(one.attempts["attempt_id"]) == {"learner03-h0", "learner03-sim-papule", "learner03-sim-nappage"}
    assert set(one.responses()["attempt_id"]) == set(one.attempts["attempt_id"])


def test_filter_choices_offer_every_quiz_learner_and_the_days_submitted(results: Results) -> None:
    choices = filter_choices(results, today=date(2030, 1, 1))
    assert choices.quizzes == ("history", SIMULATOR_QUIZ) and choices.learners == LEARNERS
    assert (choices.first, choices.last) == (date(2026, 11, 1), date(2026, 11, 5))


def test_filter_choices_without_a_readable_time_offer_today(tmp_path: Path) -> None:
    store = Store(tmp_path / "bad-times")
    row = attempt_row("a1", "ada", "history", "x", score=1, top=1, passed=True)
    store.append(ATTEMPTS, [{**row, "submitted": "?"}])
    loaded = load_results(store)
    choices = filter_choices(loaded, today=date(2030, 1, 1))
    assert (choices.first, choices.last) == (date(2030, 1, 1), date(2030, 1, 1)) and choices.learners == ("ada",)


def test_learner_summary_counts_attempts_best_scores_and_lessons(results: Results) -> None:
    selection = select(results, Filters(quizzes=("history",)))
    progress = pd.DataFrame(
        [
            {"learner": "learner01", "lesson_id": "history", "action": "complete", "at": "1"},
            {"learner": "learner01", "lesson_id": "skin", "action": "complete", "at": "2"},
            {"learner": "learner01", "lesson_id": "skin", "action": "reopen", "at": "3"},
            {"learner": "learner01", "lesson_id": "deleted-lesson", "action": "complete", "at": "4"},
        ]
    )
    table = learner_summary(selection, progress, ["history", "skin"], {"learner01": "Bo"}).set_index("learner")
    row = table.loc["learner01"]
    assert (row["name"], row["attempts"], row["quizzes"], row["lessons"]) == ("Bo", 2, 1, "1 / 2")
    assert row["best_pct"] == pytest.approx(50.0)  # 2 of 4 right on the retry
    assert table.loc["learner04", "passed"] == 1  # 4/4 then 4/4 = 100 %
    mine = selection.attempts[selection.attempts["learner"] == "learner01"]
    # the stored time, not 1970 (pandas 3 reads the column in microseconds, not nanoseconds)
    assert row["last_attempt"] == mine["submitted"].max().strftime("%Y-%m-%d %H:%M")
    assert row["last_attempt"].startswith("2026-11-")
    detail = learner_quizzes(selection, "learner01").set_index("quiz")
    assert detail.loc["history", "latest_pct"] == pytest.approx(50.0)


def test_quiz_summary_and_charts(results: Results) -> None:
    selection = select(results, Filters())
    [summary] = quiz_summaries(selection)  # simulator drills are not a quiz
    assert quizzes_in(selection) == ["history"]
    assert (summary.quiz, summary.attempts, summary.learners) == ("history", 24, 12)
    passed = results.attempts[(results.attempts["quiz"] == "history") & results.attempts["passed"]]
    assert summary.pass_rate == pytest.approx(len(passed) / 24)
    histogram = score_histogram(selection.attempts, "history", 70)
    assert sum(histogram.figure.data[0].y) == 24
    assert "24 attempt scores" in histogram.alt
    over_time = attempts_over_time(selection.attempts, "history", title="History of mesotherapy")
    assert list(over_time.figure.data[0].y) == [12, 12]
    assert "2026-11-01" in over_time.alt and "History of mesotherapy" in over_time.alt
    axis = over_time.figure.layout.xaxis
    # one tick per day labelled with the date: never a time of day like 23:59:59.999
    assert (axis.type, axis.dtick, axis.tickformat) == ("date", 86_400_000, "%d %b")
    assert (
        "Scores in History of mesotherapy"
        in score_histogram(selection.attempts, "history", 70, "History of mesotherapy").figure.layout.title.text
    )


def test_one_days_attempts_are_a_bar_with_room_around_it(results: Results) -> None:
    one_day = select(results, Filters(end=date(2026, 11, 2)))
    chart = attempts_over_time(one_day.attempts, "history")
    assert chart.figure.data[0].type == "bar" and list(chart.figure.data[0].y) == [12]
    low, high = (pd.Timestamp(x) for x in chart.figure.layout.xaxis.range)
    assert low < pd.Timestamp("2026-11-01") < high and (high - low).days >= 3
    # alone on a date axis a bar is a hairline unless it is given its width (a day is 86,400,000 ms)
    assert list(chart.figure.data[0].width) == [0.8 * 86_400_000]
    assert chart.figure.layout.yaxis.tickformat == "d"  # counts of attempts: whole ticks only


def test_a_single_attempt_is_said_in_the_singular(results: Results) -> None:
    one = select(results, Filters()).attempts.head(1)
    quiz = one["quiz"].iloc[0]
    assert ": 1 attempt from " in attempts_over_time(one, quiz).alt
    assert "Bar chart of 1 attempt score in" in score_histogram(one, quiz).alt


def test_item_analysis_uses_first_attempts_and_marks_removed_questions(results: Results) -> None:
    selection = select(results, Filters())
    items = quiz_items(selection.item_responses("history"), "history", BANK)
    stats = {s.question_id: s for s in items.items}
    assert set(stats) == {*QUESTIONS, REMOVED_ID}
    # first attempts: learner i has the first (i % 5) questions right
    expected = sum(1 for i in range(12) if i % 5 > 0) / 12
    assert stats["history-founder"].facility == pytest.approx(expected)
    assert stats["history-founder"].attempts == 12
    assert stats[REMOVED_ID].note == "not enough data"  # only 4 attempts saw it
    table = items_table(items).set_index("question_id")
    assert table.loc[REMOVED_ID, "question"] == f"{REMOVED_ID} {REMOVED}"
    assert table.loc[REMOVED_ID, "source"] == ""
    assert table.loc["history-founder", "question"] == "Prompt of history-founder (history-founder)"
    assert table.loc["history-founder", "source"] == "quizzes/history.yaml:20"
    assert "nan" not in table.to_string().lower()
    assert items.reliability.alpha is not None and items.reliability.approximate


def test_simulator_mean_distance_per_technique(results: Results) -> None:
    table = simulator_summary(select(results, Filters())).set_index("technique")
    assert table.loc["papule", "mean_distance_mm"] == pytest.approx((0.2 + 0.3 + 0.4 + 0.5) / 4)
    assert table.loc["nappage", "mean_distance_mm"] == pytest.approx(0.1)
    assert table.loc["nappage", "drills"] == 4
    assert "papule" in simulator_chart(table.reset_index()).alt


def test_export_of_a_formula_name_is_neutralised(results: Results, results_folder: Path) -> None:
    names = {login: a.display_name for login, a in Accounts(Store(results_folder)).all().items()}
    selection = select(results, Filters(learners=("learner00",)))
    rows = list(csv.DictReader(io.StringIO(to_safe_csv(attempts_export(selection, names)).decode("utf-8-sig"))))
    assert {r["name"] for r in rows} == {"'" + ATTACK}
    responses = list(csv.DictReader(io.StringIO(to_safe_csv(responses_export(selection)).decode("utf-8-sig"))))
    assert "'=1+1" in {r["answer"] for r in responses}
    assert list(responses[0]) == [*RESPONSES.columns, "certainty"]
    assert {r["certainty"] for r in responses} == {""}  # these attempts were scored without certainties


def test_the_responses_export_carries_each_certainty_through_the_neutraliser() -> None:
    """A CBM attempt (certainty 3 and 1, one question unanswered, one without CBM), an attempt
    made before CBM existed, and a certainty cell edited by hand into a formula."""
    attempts = pd.DataFrame(
        [
            attempt_row("cbm", "ada", "final-exam", "2026-12-01", score=-2, top=9, passed=False),
            attempt_row("old", "ada", "history", "2026-11-01", score=1, top=2, passed=False),
            attempt_row("edited", "bob", "final-exam", "2026-12-01", score=1, top=3, passed=False),
        ]
    )
    responses = pd.DataFrame(
        [
            response_row("cbm", "q-sure", "Right", 1.0),
            response_row("cbm", "q-unsure", "Wrong", 0.0),
            response_row("cbm", "q-blank", "", 0.0),
            response_row("cbm", "q-multiple", '["A"]', 0.5),
            response_row("old", "q-sure", "Right", 1.0),
            response_row("old", "q-unsure", "Wrong", 0.0),
            response_row("edited", "q-sure", "Right", 1.0),
        ]
    )
    certainty = pd.DataFrame(
        {
            "attempt_id": ["cbm", "cbm", "cbm", "edited"],
            "question_id": ["q-sure", "q-unsure", "q-blank", "q-sure"],
            "certainty": ["3", "1", "", "=1+1"],
        }
    )
    results = prepare(attempts, responses, certainty_raw=certainty)
    exported = responses_export(select(results, Filters()))
    got = {(r.attempt_id, r.question_id): r.certainty for r in exported.itertuples()}
    assert got == {
        ("old", "q-sure"): "",  # before CBM: no certainty
        ("old", "q-unsure"): "",
        ("cbm", "q-sure"): "3",
        ("cbm", "q-unsure"): "1",
        ("cbm", "q-blank"): "",  # unanswered in a CBM quiz
        ("cbm", "q-multiple"): "",  # a question type scored without a certainty
        ("edited", "q-sure"): "=1+1",
    }
    rows = list(csv.DictReader(io.StringIO(to_safe_csv(exported).decode("utf-8-sig"))))
    assert list(rows[0]) == [*RESPONSES.columns, "certainty"]
    assert {(r["attempt_id"], r["question_id"]): r["certainty"] for r in rows}[("edited", "q-sure")] == "'=1+1"
    only_old = responses_export(select(results, Filters(quizzes=("history",))))
    assert list(only_old["certainty"]) == ["", ""]
    without_table = responses_export(select(prepare(attempts, responses), Filters()))
    assert set(without_table["certainty"]) == {""}


def test_responses_of_unknown_attempts_and_bad_lines_do_not_break_loading(results_folder: Path, tmp_path: Path) -> None:
    shutil.copytree(results_folder, tmp_path / "results")  # a copy: this test damages its files
    store = Store(tmp_path / "results")
    store.append(RESPONSES, [response_row("no-such-attempt", "history-founder", "x", 1.0)])
    with open(store.path(ATTEMPTS), "a", encoding="utf-8") as handle:
        handle.write("broken,row\n")
    results = load_results(store)
    assert "no-such-attempt" not in set(results.responses["attempt_id"])
    assert results.problems and "attempts.csv" in results.problems[0]
    assert len(results.attempts) == 24 + 8


def test_question_index_points_at_the_id_line_of_each_question(real_quizzes: QuizCatalog) -> None:
    quizzes = real_quizzes
    index = question_index(quizzes)
    assert len(index) == sum(len(bank.questions) for bank in quizzes.banks)
    for bank in quizzes.banks:
        lines = bank.path.read_text(encoding="utf-8").split("\n")
        for question in bank.questions:
            source = index[question.id]
            assert source.file == f"quizzes/{bank.path.name}" and source.kind == question.type
            assert lines[source.line - 1].strip() in (f"- id: {question.id}", f"id: {question.id}")
    assert pass_marks(quizzes)["history"] == quizzes.bank("history").settings.pass_mark


# --- round trip: what the app writes is what the dashboard reads ------------------------------


def test_what_the_app_writes_is_what_the_dashboard_reads(tmp_path: Path) -> None:
    """Accounts, quiz attempts, drills and lesson ticks written by the app's own code, then
    loaded, filtered and summarised as the tutor's results page does."""
    store = Store(tmp_path)
    accounts = Accounts(store)
    accounts.create("ada", "Ada Lovelace", "password123")
    accounts.create("bob", "Bob Builder", "password123")

    bank = fixture_catalog().quiz("other-bank")  # two of three true/false questions, pass mark 50 %
    assert bank is not None
    clock = [datetime(2026, 3, 1, 9, 0, tzinfo=UTC)]
    attempts = Attempts(store, clock=lambda: clock[0])

    def take(learner: str, right: int) -> None:
        """Start the quiz and submit it with the first ``right`` drawn questions answered right."""
        draw = attempts.start(learner, bank).draw
        truth = {q: bank.questions[q].answer for q in draw.question_ids}
        answers = {q: truth[q] if i < right else not truth[q] for i, q in enumerate(draw.question_ids)}
        clock[0] += timedelta(minutes=5)
        attempts.submit(draw, bank.settings, bank.questions, answers)

    take("ada", 1)  # 50 %: passes at the pass mark
    take("ada", 2)  # retry: 100 %
    take("bob", 0)  # 0 %: not passed

    model = load_skin_model()
    drill = model.drill("drill-papule-forehead")
    on_target = model.assess(drill.region, drill.technique, 10, 4)
    too_deep = model.assess(drill.region, drill.technique, 45, 4)
    assert on_target.distance_mm == 0 and too_deep.distance_mm > 0
    for placement in (on_target, too_deep):
        Attempts(store).record_drill(
            placement,
            drill,
            learner="ada",
            started="2026-03-02T09:00:00+00:00",
            version=1,
            scoring=model.data.general.drill_scoring,
        )

    progress = LessonProgress(store)
    progress.set_complete("ada", "quiz-lesson")
    progress.set_complete("ada", "removed-lesson")  # no longer in the course: not counted
    progress.set_complete("bob", "quiz-lesson")
    progress.set_complete("bob", "quiz-lesson", done=False)  # reopened: the latest row wins
    lesson_ids = [lesson.id for lesson in load_catalog(FIXTURES / "lessons").lessons]
    assert lesson_ids == ["quiz-lesson"]

    results = load_results(store)
    assert results.problems == ()
    everything = select(results, Filters())
    assert sorted(everything.attempts["learner"].astype(str)) == ["ada", "ada", "ada", "ada", "bob"]
    quiz_rows = results.attempts[results.attempts["quiz"] == "other-bank"].set_index("learner")
    assert list(quiz_rows.loc["ada", "percentage"]) == [50.0, 100.0]
    assert list(quiz_rows.loc["ada", "first"]) == [True, False]
    assert len(everything.responses()) == 3 * 2 + 2  # two answers per quiz attempt, one per drill

    names = {login: account.display_name for login, account in Accounts(store).all().items()}
    table = learner_summary(everything, store.read(PROGRESS).frame, lesson_ids, names).set_index("learner")
    ada, bob = table.loc["ada"], table.loc["bob"]
    # the two drills are practice, apart from the course quiz: 2 quiz attempts, 1 quiz, passed
    assert (ada["name"], ada["attempts"], ada["quizzes"], ada["passed"], ada["practice"], ada["lessons"]) == (
        "Ada Lovelace",
        2,
        1,
        1,
        2,
        "1 / 1",
    )
    assert ada["best_pct"] == pytest.approx(100.0)  # best quiz attempt 100 %
    assert (bob["name"], bob["attempts"], bob["quizzes"], bob["passed"], bob["lessons"]) == (
        "Bob Builder",
        1,
        1,
        0,
        "0 / 1",
    )
    assert bob["best_pct"] == pytest.approx(0.0)

    [summary] = quiz_summaries(everything)  # the drills are not a quiz
    assert (summary.quiz, summary.attempts, summary.learners, summary.learners_passed) == ("other-bank", 3, 2, 1)
    assert summary.pass_rate == pytest.approx(2 / 3) and summary.mean_pct == pytest.approx(50.0)

    drills = simulator_summary(everything).set_index("technique")
    assert list(drills.index) == ["papule"] and drills.loc["papule", "drills"] == 2
    assert drills.loc["papule", "mean_distance_mm"] == pytest.approx(too_deep.distance_mm / 2, abs=1e-3)

    only_bob = select(results, Filters(learners=("bob",)))
    assert list(only_bob.attempts["learner"].astype(str)) == ["bob"] and simulator_summary(only_bob).empty
    only_drills = select(results, Filters(quizzes=(SIMULATOR_QUIZ,)))
    assert len(only_drills.attempts) == 2 and quiz_summaries(only_drills) == []


def test_a_learners_review_of_mistakes_is_practice_not_a_course_quiz(tmp_path: Path) -> None:
    """The personal review quiz never enters the quizzes' statistics; it is counted apart."""
    store = write_results(tmp_path)
    row = attempt_row("learner01-review", "learner01", MISTAKES_QUIZ, "2026-11-04", score=1, top=2, passed=False)
    store.append(ATTEMPTS, [row])
    selection = select(load_results(store), Filters())
    assert MISTAKES_QUIZ not in quizzes_in(selection)
    assert MISTAKES_QUIZ not in {s.quiz for s in quiz_summaries(selection)}
    practice = practice_summary(selection).set_index("quiz")
    assert practice.loc[MISTAKES_QUIZ, "attempts"] == 1 and practice.loc[SIMULATOR_QUIZ, "learners"] == 4
    table = learner_summary(selection, store.read(PROGRESS).frame, [], {}).set_index("learner")
    assert table.loc["learner01", "quizzes"] == 1  # history only
    assert table.loc["learner01", "practice"] == 3  # the review and two drills
