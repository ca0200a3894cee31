"""AppTest of the Review page: two wrong answers become two cards; a session answers them (one
right, one wrong), each stored as a log row with its rating and next due date; suspend; the
forecast chart has its text alternative; the home page says how many cards are due."""

from __future__ import annotations

from pathlib import Path

from fsrs import Rating

from course.quiz.attempts import Attempts
from course.review.book import ReviewBook
from course.simulator.geometry import Verdict
from course.simulator.loading import load_skin_model
from course.store.csvstore import Store
from course.store.tables import REVIEWS
from tests.helpers.apptest import open_quiz, submit, write_bank


def two_mistakes(app_test, content_dirs: tuple[Path, Path]) -> None:
    """Ada takes the test quiz with everything right but the single choice and the true/false question."""
    write_bank(content_dirs[1])
    at = open_quiz(app_test)
    key = "quiz:apptest"
    at.selectbox(key=f"{key}:apptest-diagram").set_value("papillary-dermis").run()
    at.radio(key=f"{key}:apptest-single").set_value("Wrong one")
    at.checkbox(key=f"{key}:apptest-multiple:0").check()
    at.checkbox(key=f"{key}:apptest-multiple:2").check()
    at.radio(key=f"{key}:apptest-tf").set_value("True")
    at.text_input(key=f"{key}:apptest-numeric").input("0.86")
    for position, item in enumerate(["first", "second", "third"]):
        at.selectbox(key=f"{key}:apptest-ordering:{position}").set_value(item)
    at.selectbox(key=f"{key}:apptest-matching:0").set_value("Junction")
    at.selectbox(key=f"{key}:apptest-matching:1").set_value("Superficial")
    submit(at)
    assert not at.exception, at.exception


def open_review(app_test):
    at = app_test(user="ada").run()
    at.switch_page("views/pages/review.py").run()
    assert not at.exception, at.exception
    return at


def test_no_cards_yet(app_test, make_account, content_dirs) -> None:
    make_account("ada")
    at = open_review(app_test)
    assert any("no review cards yet" in i.value for i in at.info)


def test_a_review_session(app_test, make_account, data_dir: Path, content_dirs) -> None:
    make_account("ada")
    two_mistakes(app_test, content_dirs)
    due = {c.item for c in ReviewBook(Store(data_dir)).due("ada")}
    assert due == {"apptest-single", "apptest-tf"}

    at = app_test(user="ada").run()
    assert any("due for review" in str(link.proto) for link in at.get("page_link"))  # home and sidebar
    at.switch_page("views/pages/review.py").run()
    assert at.metric[0].value == str(len(due))
    assert at.get("plotly_chart")  # the forecast, with its text alternative as a caption
    assert any("Cards due: 2 today" in c.value for c in at.caption)

    at.number_input(key="review:size").set_value(2).run()
    at.button(key="review:start").click().run()
    assert not at.exception, at.exception
    session = at.session_state["review:session"]
    first, second = session.queue
    answered = {}
    for item in (first, second):
        quiz_id = f"review-{session.seed}-{len(session.done)}"
        key = f"quiz:{quiz_id}:{item}"
        if item == "apptest-single":
            at.radio(key=key).set_value("Right one")
            answered[item] = "Good"
        elif item == "apptest-tf":
            at.radio(key=key).set_value("True")  # wrong again
            answered[item] = "Again"
        at.form_submit_button(key="review:check").click().run()
        assert not at.exception, at.exception
        assert any("this card comes back on" in s.value for s in at.success), [s.value for s in at.success]
        assert any(f"Rated **{answered[item]}**" in s.value for s in at.success)
        assert any("**Why:**" in m.value for m in at.markdown)  # the explanation
        at.button(key="review:next").click().run()
        session = at.session_state["review:session"]

    rows = Store(data_dir).read(REVIEWS).frame
    assert rows["item"].tolist() == [first, second]
    assert rows["rating"].tolist() == [{"Again": "1", "Good": "3"}[answered[i]] for i in (first, second)]
    assert (rows["event"] == "review").all() and rows["due"].str.len().eq(25).all()
    assert any("Session done: 2 cards reviewed" in s.value for s in at.success)
    summary = at.dataframe[0].value
    assert list(summary["rated"]) == [answered[first], answered[second]]
    assert summary["next review"].str.endswith("UTC").all()


def test_suspend_a_card(app_test, make_account, data_dir: Path, content_dirs) -> None:
    make_account("ada")
    two_mistakes(app_test, content_dirs)
    before = ReviewBook(Store(data_dir)).due_count("ada")
    at = open_review(app_test)
    at.button(key="review:start").click().run()
    item = at.session_state["review:session"].queue[0]
    at.button(key="review:suspend").click().run()
    assert not at.exception, at.exception
    rows = Store(data_dir).read(REVIEWS).frame
    assert rows[["item", "event"]].values.tolist() == [[item, "suspend"]]
    book = ReviewBook(Store(data_dir))
    assert book.due_count("ada") == before - 1
    assert item not in {c.item for c in book.due("ada")}


def test_tutor_spaced_review_view(app_test, make_account, data_dir: Path, content_dirs) -> None:
    make_account("ada", name="Ada Lovelace")
    make_account("tina", tutor=True)
    two_mistakes(app_test, content_dirs)
    book = ReviewBook(Store(data_dir))
    book.record(book.due("ada")[0], Rating.Good, 5)
    at = app_test(user="tina").run()
    at.switch_page("views/pages/tutor_results.py").run()
    at.get("button_group")[0].set_value("Spaced review")
    at.run()
    assert not at.exception, at.exception
    learners = at.dataframe[0].value
    assert learners[["learner", "name", "cards", "due now"]].values.tolist() == [["ada", "Ada Lovelace", 2, 1]]
    assert learners["retention estimate"].iloc[0] is not None
    items = at.dataframe[1].value
    assert set(items["item"]) == {"apptest-single", "apptest-tf"} and set(items["learners"]) == {1}
    assert "Which option is right?" in set(items["question"])
    assert "Download the whole course" in " ".join(str(e.proto) for e in at.main)


def test_a_drill_card_is_answered_with_the_simulators_controls(app_test, make_account, data_dir: Path) -> None:
    """A drill placed too deep becomes a card; placed on target in review, it is rated from the
    simulator's verdict (on target: Good, or Easy when fast)."""
    make_account("ada")
    model = load_skin_model()
    drill = model.drill("drill-papule-forehead")
    too_deep = model.assess(drill.region, drill.technique, 60, 6)
    assert too_deep.verdict is Verdict.TOO_DEEP
    Attempts(Store(data_dir)).record_drill(
        too_deep,
        drill,
        learner="ada",
        started="2026-03-01T09:00:00+00:00",
        version=model.version,
        scoring=model.data.general.drill_scoring,
    )
    at = open_review(app_test)
    at.button(key="review:start").click().run()
    session = at.session_state["review:session"]
    assert session.queue == ["drill-papule-forehead"]
    needle = f"review:{session.seed}-0:needle"
    at.number_input(key=f"{needle}:angle:number").set_value(10)  # the keyboard alternative to dragging
    at.number_input(key=f"{needle}:length:number").set_value(2.7).run()  # 0.47 mm: the dermis's centre
    at.button(key="review:check-drill").click().run()
    assert not at.exception, at.exception
    assert any("On target" in s.value for s in at.success)
    assert any("Rated **Easy**" in s.value or "Rated **Good**" in s.value for s in at.success)
    rows = Store(data_dir).read(REVIEWS).frame
    assert rows[["item", "event"]].values.tolist() == [["drill-papule-forehead", "review"]]
    assert rows["rating"].iloc[0] in {"3", "4"}


def test_right_and_sure_and_fast_is_easy_right_and_unsure_is_hard(
    app_test, make_account, data_dir: Path, content_dirs
) -> None:
    make_account("ada")
    two_mistakes(app_test, content_dirs)
    at = open_review(app_test)
    at.button(key="review:start").click().run()
    ratings = {}
    for _ in range(2):
        session = at.session_state["review:session"]
        item = session.queue[0]
        quiz_id = f"review-{session.seed}-{len(session.done)}"
        key = f"quiz:{quiz_id}:{item}"
        at.radio(key=key).set_value("Right one" if item == "apptest-single" else "False")
        at.radio(key=f"{key}:certainty").set_value(3 if item == "apptest-single" else 1)
        at.form_submit_button(key="review:check").click().run()
        assert not at.exception, at.exception
        ratings[item] = at.session_state["review:session"].done[-1][1]
        at.button(key="review:next").click().run()
    assert ratings == {"apptest-single": "Easy", "apptest-tf": "Hard"}
    rows = Store(data_dir).read(REVIEWS).frame.set_index("item")
    assert rows.loc["apptest-single", "rating"] == "4" and rows.loc["apptest-tf", "rating"] == "2"
