"""Spaced review (course.review): cards from stored results, rating rules, the append-only log and
rebuilding a card's state from it (with a property test against the live FSRS scheduler), due lists,
streaks and forecast, the tutors' tables, the retention setting and the Anki package."""

from __future__ import annotations

import io
import sqlite3
import tempfile
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Rating, Scheduler
from hypothesis import given, settings
from hypothesis import strategies as st

from course.clock import zone_named
from course.quiz.models import SingleQuestion, TrueFalseQuestion
from course.review import anki
from course.review.book import ReviewBook, forecast, streaks
from course.review.cards import cards_table
from course.review.rating import FAST_S, SLOW_S, rate_answer, rate_drill
from course.review.schedule import ReviewError, desired_retention, new_card, same_state, state_cells
from course.review.tutor import learner_review_table, question_card_counts
from course.simulator.geometry import Verdict
from course.simulator.loading import load_skin_model
from course.store.csvstore import HeaderMismatch, Store
from course.store.tables import ATTEMPTS, CERTAINTY, RESPONSES, REVIEWS

T0 = datetime(2026, 3, 1, 9, 0, 0, tzinfo=UTC)


def attempt(attempt_id: str, learner: str, quiz: str, submitted: str) -> dict[str, object]:
    return {
        "attempt_id": attempt_id,
        "learner": learner,
        "quiz": quiz,
        "started": submitted,
        "submitted": submitted,
        "score": 0,
        "max_score": 1,
        "percentage": 0,
        "passed": "false",
        "bank_version": "1",
        "outcome": "submitted",
    }


def response(attempt_id: str, question_id: str, correct: bool) -> dict[str, object]:
    return {
        "attempt_id": attempt_id,
        "question_id": question_id,
        "answer": "x",
        "correct": "true" if correct else "false",
        "points": int(correct),
        "max_points": 1,
    }


def seed_results(store: Store) -> None:
    """Ada: q-wrong wrong, q-lucky right at certainty 1, q-sure right at 3, q-plain right; a drill
    off target and one on target; later she gets q-wrong right (the card stays). Bob: q-wrong wrong."""
    store.append(
        ATTEMPTS,
        [
            attempt("a1", "ada", "history", "2026-03-01T08:00:00+00:00"),
            attempt("a2", "ada", "simulator", "2026-03-01T08:10:00+00:00"),
            attempt("a3", "ada", "history", "2026-03-01T08:20:00+00:00"),
            attempt("b1", "bob", "history", "2026-03-01T08:30:00+00:00"),
        ],
    )
    store.append(
        RESPONSES,
        [
            response("a1", "q-wrong", False),
            response("a1", "q-lucky", True),
            response("a1", "q-sure", True),
            response("a1", "q-plain", True),
            response("a2", "drill-papule-forehead", False),
            response("a2", "drill-nappage-cheek", True),
            response("a3", "q-wrong", True),
            response("b1", "q-wrong", False),
        ],
    )
    store.append(
        CERTAINTY,
        [
            {"attempt_id": "a1", "question_id": "q-wrong", "certainty": 3},
            {"attempt_id": "a1", "question_id": "q-lucky", "certainty": 1},
            {"attempt_id": "a1", "question_id": "q-sure", "certainty": 3},
        ],
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "data")
    seed_results(store)
    return store


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


# --- cards -------------------------------------------------------------------------------------


def test_cards_come_from_mistakes_unsure_answers_and_off_target_drills(store: Store) -> None:
    cards = cards_table(store.read(ATTEMPTS).frame, store.read(RESPONSES).frame, store.read(CERTAINTY).frame)
    ada = cards[cards["learner"] == "ada"]
    assert ada[["item", "kind", "reason", "since"]].values.tolist() == [
        ["q-wrong", "question", "wrong", "2026-03-01T08:00:00+00:00"],
        ["q-lucky", "question", "unsure", "2026-03-01T08:00:00+00:00"],
        ["drill-papule-forehead", "drill", "off-target", "2026-03-01T08:10:00+00:00"],
    ]
    assert cards[cards["learner"] == "bob"]["item"].tolist() == ["q-wrong"]


def test_a_card_is_one_per_learner_and_item_from_the_first_mistake(store: Store) -> None:
    store.append(ATTEMPTS, [attempt("a4", "ada", "history", "2026-03-05T08:00:00+00:00")])
    store.append(RESPONSES, [response("a4", "q-wrong", False)])
    cards = ReviewBook(store).card_rows("ada")
    assert cards["item"].tolist().count("q-wrong") == 1
    assert cards.loc[cards["item"] == "q-wrong", "since"].item() == "2026-03-01T08:00:00+00:00"


def test_no_results_no_cards(tmp_path: Path) -> None:
    book = ReviewBook(Store(tmp_path))
    assert book.cards("ada") == [] and book.due_count("ada") == 0


# --- rating rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("correct", "certainty", "seconds", "rating"),
    [
        (False, 3, 5, Rating.Again),
        (False, None, 200, Rating.Again),
        (True, 1, 5, Rating.Hard),  # right but unsure
        (True, 2, SLOW_S + 1, Rating.Hard),  # right but slow
        (True, 3, SLOW_S + 1, Rating.Hard),
        (True, 2, 5, Rating.Good),
        (True, None, 5, Rating.Good),  # no certainty said: never Easy
        (True, 3, FAST_S + 1, Rating.Good),  # sure but not fast
        (True, 3, SLOW_S, Rating.Good),  # the slow threshold itself is not slow
        (True, 3, FAST_S, Rating.Easy),  # the fast threshold itself is fast
        (True, 3, 2, Rating.Easy),
    ],
)
def test_rating_from_what_the_learner_did(correct: bool, certainty: int | None, seconds: float, rating: Rating) -> None:
    assert rate_answer(correct, certainty, seconds) is rating


def test_drill_rating_from_the_simulators_score() -> None:
    model = load_skin_model()
    drill = model.drill("drill-papule-forehead")
    on = model.assess(drill.region, drill.technique, 10, 4)
    assert on.verdict is Verdict.ON_TARGET
    assert rate_drill(True, on.score, 5) is Rating.Easy and rate_drill(True, on.score, 40) is Rating.Good
    far = model.assess(drill.region, drill.technique, 90, 10)
    assert far.verdict is Verdict.TOO_DEEP and far.score < 0.5
    assert rate_drill(False, far.score, 5) is Rating.Again
    assert rate_drill(False, 0.5, 5) is Rating.Hard and rate_drill(False, 0.49, 5) is Rating.Again


# --- the log ---------------------------------------------------------------------------------------


def test_a_review_appends_one_row_with_the_state_after(store: Store) -> None:
    clock = Clock(T0)
    book = ReviewBook(store, clock=clock, retention=0.9)
    card = next(c for c in book.due("ada") if c.item == "q-wrong")
    after = book.record(card, Rating.Good, seconds=12.34)
    rows = store.read(REVIEWS).frame
    assert rows[["learner", "item", "at", "event", "rating", "seconds"]].values.tolist() == [
        ["ada", "q-wrong", "2026-03-01T09:00:00+00:00", "review", "3", "12.3"]
    ]
    assert rows.iloc[0]["due"] == state_cells(after.card)["due"]
    again = next(c for c in book.cards("ada") if c.item == "q-wrong")
    assert same_state(again.card, after.card) and again.reviews == 1
    assert after.card.due > T0 and "q-wrong" not in {c.item for c in book.due("ada")}
    clock.moment = after.card.due
    assert "q-wrong" in {c.item for c in book.due("ada")}


def test_suspend_and_resume_are_log_rows(store: Store) -> None:
    book = ReviewBook(store, clock=Clock(T0))
    card = next(c for c in book.due("ada") if c.item == "q-lucky")
    book.suspend(card)
    assert "q-lucky" not in {c.item for c in book.due("ada")}
    assert next(c for c in book.cards("ada") if c.item == "q-lucky").suspended
    book.suspend(card, suspended=False)
    assert "q-lucky" in {c.item for c in book.due("ada")}
    assert store.read(REVIEWS).frame["event"].tolist() == ["suspend", "resume"]


def test_a_torn_last_line_is_reported_and_skipped(store: Store) -> None:
    book = ReviewBook(store, clock=Clock(T0))
    first = book.record(next(c for c in book.due("ada") if c.item == "q-wrong"), Rating.Again, 5)
    with open(store.path(REVIEWS), "a", encoding="utf-8") as handle:
        handle.write("ada,q-lucky,2026-03-01T09:00:00+00:00,review,3,5,2,,3.1")  # killed mid-append
    problems = book.problems()
    assert len(problems) == 1 and "torn last line" in problems[0].message and problems[0].line == 3
    lucky = next(c for c in book.cards("ada") if c.item == "q-lucky")
    assert lucky.reviews == 0  # the torn row did not count
    assert same_state(next(c for c in book.cards("ada") if c.item == "q-wrong").card, first.card)
    book.record(lucky, Rating.Good, 5)  # the next append starts on a line of its own
    assert store.read(REVIEWS).frame["item"].tolist() == ["q-wrong", "q-lucky"]


def test_nothing_is_rewritten(store: Store) -> None:
    book = ReviewBook(store, clock=Clock(T0))
    book.record(book.due("ada")[0], Rating.Again, 5)
    before = store.path(REVIEWS).read_bytes()
    book.record(book.due("ada")[0], Rating.Good, 5)
    assert store.path(REVIEWS).read_bytes().startswith(before)


RATINGS = st.sampled_from([Rating.Again, Rating.Hard, Rating.Good, Rating.Easy])
GAPS = st.integers(min_value=0, max_value=60 * 24 * 3600)  # seconds, up to 60 days; 0: at once


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(GAPS, RATINGS, st.booleans()), min_size=1, max_size=8))
def test_replaying_the_log_gives_the_live_schedulers_state(steps: list[tuple[int, Rating, bool]]) -> None:
    """Whatever the ratings and times (on time or early), the state stored after the last review,
    the state rebuilt by replaying the log, and the state FSRS's own scheduler reaches are the same."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder))
        seed_results(store)
        clock = Clock(T0)
        book = ReviewBook(store, clock=clock, retention=0.9)
        live = new_card("ada", "q-wrong", "2026-03-01T08:00:00+00:00")
        fsrs = Scheduler(desired_retention=0.9, enable_fuzzing=False)
        for gap, rating, on_due in steps:
            clock.moment = max(clock.moment + timedelta(seconds=gap), live.due if on_due else T0)
            card = next(c for c in book.cards("ada") if c.item == "q-wrong")
            assert same_state(card.card, live)
            book.record(card, rating, seconds=3)
            live = fsrs.review_card(live, rating, review_datetime=clock.moment)[0]
        stored = next(c for c in book.cards("ada") if c.item == "q-wrong").card
        assert same_state(stored, live)
        assert same_state(book.rebuilt("ada", "q-wrong"), live)


def test_rebuilding_a_card_that_is_not_one_is_refused(store: Store) -> None:
    with pytest.raises(ReviewError, match="no review card"):
        ReviewBook(store).rebuilt("ada", "q-plain")


# --- due lists, streaks, forecast ---------------------------------------------------------------------


def test_due_list_longest_overdue_first(store: Store) -> None:
    book = ReviewBook(store, clock=Clock(T0))
    assert [c.item for c in book.due("ada")] == ["q-lucky", "q-wrong", "drill-papule-forehead"]
    assert book.due_count("bob") == 1


def test_streaks() -> None:
    today = date(2026, 3, 10)
    days = {today - timedelta(days=n) for n in (0, 1, 2, 5, 6, 7, 8)}
    result = streaks(days, today)
    assert (result.current, result.longest, result.today) == (3, 4, True)
    assert streaks({today - timedelta(days=2)}, today).current == 0  # yesterday missed: the run is over


def test_forecast_counts_overdue_today_and_leaves_suspended_out(store: Store) -> None:
    book = ReviewBook(store, clock=Clock(T0 + timedelta(days=3)))
    cards = book.cards("ada")
    after = book.record(cards[0], Rating.Good, 30)  # Good in learning: due again in 10 minutes
    book.suspend(next(c for c in cards if c.item == "drill-papule-forehead"))
    counts = forecast(book.cards("ada"), book.clock().date())
    assert len(counts) == 30 and counts[0] == 2 and sum(counts) == 2
    assert after.card.due.date() == book.clock().date()


def test_streaks_from_the_log(store: Store) -> None:
    clock = Clock(T0)
    book = ReviewBook(store, clock=clock)
    for day in range(3):
        clock.moment = T0 + timedelta(days=day)
        book.record(book.cards("ada")[0], Rating.Good, 5)
    clock.moment = T0 + timedelta(days=3)
    assert book.streaks("ada").current == 3 and not book.streaks("ada").today


def test_streaks_count_the_learners_own_days(store: Store) -> None:
    """A review at 00:30 in Paris (23:30 UTC the evening before) and one at 09:00 that morning:
    two UTC days, but one day for a learner in Paris."""
    paris = zone_named("Europe/Paris")
    start = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)  # 00:30 on 10 March in Paris
    clock = Clock(start)
    book = ReviewBook(store, clock=clock)
    book.record(book.cards("ada")[0], Rating.Good, 5)
    clock.moment = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # same Paris day, the next UTC day
    book.record(book.cards("ada")[0], Rating.Good, 5)
    assert book.review_days("ada") == {date(2026, 3, 9), date(2026, 3, 10)}
    assert book.review_days("ada", paris) == {date(2026, 3, 10)}
    assert (book.streaks("ada").current, book.streaks("ada", paris).current) == (2, 1)
    assert book.streaks("ada", paris).today


# --- the retention setting --------------------------------------------------------------------------


def test_desired_retention_setting() -> None:
    assert desired_retention({}) == 0.9
    assert desired_retention({"MESO_REVIEW_RETENTION": " 0.8 "}) == 0.8
    for bad in ("0.5", "1", "ninety", "nan"):
        with pytest.raises(ReviewError, match="MESO_REVIEW_RETENTION"):
            desired_retention({"MESO_REVIEW_RETENTION": bad})


def test_a_higher_retention_brings_cards_back_sooner(store: Store) -> None:
    dues = []
    for retention in (0.8, 0.95):
        card = new_card("ada", "q-wrong", "2026-03-01T08:00:00+00:00")
        fsrs = Scheduler(desired_retention=retention, enable_fuzzing=False)
        dues.append(fsrs.review_card(card, Rating.Easy, review_datetime=T0)[0].due)
    assert dues[1] < dues[0]


# --- tutors -------------------------------------------------------------------------------------------


def test_tutor_tables(store: Store) -> None:
    book = ReviewBook(store, clock=Clock(T0))
    wrong = next(c for c in book.cards("ada") if c.item == "q-wrong")
    book.record(book.record(wrong, Rating.Good, 5), Rating.Good, 5)  # to the review state: due in days
    now = T0 + timedelta(days=1)
    table = learner_review_table(
        store.read(ATTEMPTS).frame,
        store.read(RESPONSES).frame,
        store.read(CERTAINTY).frame,
        store.read(REVIEWS).frame,
        now=now,
        names={"ada": "Ada"},
    )
    rows = table.set_index("learner")
    assert rows.loc["ada", ["name", "cards", "due now", "overdue"]].tolist() == ["Ada", 3, 2, 2]
    assert 0.8 < rows.loc["ada", "retention estimate"] <= 1.0
    assert rows.loc["bob", "retention estimate"] is None  # never reviewed
    counts = question_card_counts(store.read(ATTEMPTS).frame, store.read(RESPONSES).frame, store.read(CERTAINTY).frame)
    assert counts.iloc[0][["item", "learners", "wrong"]].tolist() == ["q-wrong", 2, 2]


# --- Anki -------------------------------------------------------------------------------------------


def questions() -> list[object]:
    single = SingleQuestion.model_validate(
        {
            "id": "q-single",
            "type": "single",
            "prompt": "Which layer <b>holds</b> the papule?",
            "objective": "x",
            "lesson": "techniques",
            "critical": True,
            "explanation": "The papillary dermis & its junction.",
            "options": [{"text": "Dermis", "correct": True}, {"text": "Muscle"}],
        }
    )
    tf = TrueFalseQuestion.model_validate(
        {
            "id": "q-tf",
            "type": "true_false",
            "prompt": "Asepsis matters.",
            "objective": "x",
            "answer": True,
            "explanation": "Always.",
        }
    )
    return [single, tf]


def open_package(data: bytes) -> list[tuple[str, str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert set(package.namelist()) == {"collection.anki2", "media"}
        collection = package.read("collection.anki2")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "collection.anki2"
        path.write_bytes(collection)
        connection = sqlite3.connect(path)
        try:
            return connection.execute("select guid, flds, tags from notes order by flds").fetchall()
        finally:
            connection.close()


def test_anki_package_holds_the_notes_with_stable_guids() -> None:
    notes = [anki.question_note(q, "The injection techniques") for q in questions()]  # type: ignore[arg-type]
    first = open_package(anki.build_package(notes, learner="ada"))
    assert len(first) == 2
    fields = {row[1].split("\x1f")[2]: row for row in first}
    front, back, _item = fields["q-single"][1].split("\x1f")
    assert "Which layer &lt;b&gt;holds&lt;/b&gt; the papule?" in front and "• Dermis" in front
    assert (
        "Right answer: Dermis" in back and "&amp; its junction" in back and "Revise: The injection techniques" in back
    )
    assert "must-pass" in fields["q-single"][2]
    assert fields["q-single"][0] == anki.note_guid("q-single")
    again = open_package(anki.build_package(notes[::-1], learner="ada"))
    course = open_package(anki.build_package(notes))
    assert sorted(r[0] for r in again) == sorted(r[0] for r in first) == sorted(r[0] for r in course)
    assert anki.deck_id("ada") == anki.deck_id("ada") != anki.deck_id(None)


def test_anki_deck_skips_a_repeated_item() -> None:
    note = anki.question_note(questions()[1])  # type: ignore[arg-type]
    assert len(open_package(anki.build_package([note, note]))) == 1


def test_a_review_log_with_other_columns_is_refused(store: Store) -> None:
    store.path(REVIEWS).write_text("learner,item,when\n")
    book = ReviewBook(store, clock=Clock(T0))
    with pytest.raises(HeaderMismatch):
        book.log()
    with pytest.raises(HeaderMismatch):
        book.record(book.cards("bob")[0], Rating.Good, 5)
    assert store.path(REVIEWS).read_text() == "learner,item,when\n"
