"""AppTest of My progress: attempts (simulator drills too), charts with text alternatives,
mastery, and "review my mistakes" taken as a quiz and stored like any other attempt."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from course.quiz.attempts import Attempts, Draw
from course.quiz.models import MISTAKES_QUIZ
from course.simulator.geometry import Verdict
from course.simulator.loading import load_skin_model
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, RESPONSES
from tests.helpers.apptest import QUIZ, answer, open_quiz, submit, texts, write_bank


def take_the_test_quiz(app_test) -> None:
    at = open_quiz(app_test)
    answer(at)  # wrong: the multiple choice (0 of 2) and the ordering (1/3)
    submit(at)
    assert not at.exception, at.exception


def place_drill(data_dir: Path) -> None:
    """Ada completes the papule/forehead drill on its centre line (10° x 2.7 mm), as the simulator stores it."""
    model = load_skin_model()
    drill = model.drill("drill-papule-forehead")
    placement = model.assess(drill.region, drill.technique, 10, 2.7)
    assert placement.verdict is Verdict.ON_TARGET
    Attempts(Store(data_dir)).record_drill(
        placement,
        drill,
        learner="ada",
        started="2026-03-01T09:00:00+00:00",
        version=model.version,
        scoring=model.data.general.drill_scoring,
    )


def open_progress(app_test):
    at = app_test(user="ada").run()
    at.switch_page("views/pages/my_progress.py").run()
    assert not at.exception, at.exception
    return at


def test_no_attempts_yet(app_test, make_account, content_dirs: tuple[Path, Path]) -> None:
    make_account("ada")
    at = open_progress(app_test)
    assert any("not taken a quiz yet" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_attempts_charts_and_mastery(app_test, make_account, data_dir: Path, content_dirs: tuple[Path, Path]) -> None:
    write_bank(content_dirs[1])
    make_account("ada")
    take_the_test_quiz(app_test)
    place_drill(data_dir)
    at = open_progress(app_test)
    assert [m.value for m in at.metric] == ["2", "1", "83%"]  # (66.67 + 100) / 2
    table = at.dataframe[0].value
    assert list(table["Quiz"]) == ["Needle simulator drill", "AppTest quiz"]  # newest first
    assert list(table["Result"]) == ["Passed", "Passed"] and list(table["Score"]) == ["1 / 1", "5.33333 / 8"]
    charts = at.get("plotly_chart")
    assert len(charts) == 2
    shown = texts(at)
    assert "2 attempts, 2 passed." in shown  # the scores chart's text alternative
    assert "Share of the points earned per objective:" in shown
    # founding-story: diagram 1 + single 1 + multiple 0/2 + matching 1 = 3 of 5; key-dates: 1 + 1 + 1/3 of 3
    assert "60% (getting there)" in shown and "78% (getting there)" in shown
    # mastery per lesson as a list (a grid cut its columns at 390 px)
    assert not [d for d in at.dataframe if "Mastery" in d.value.columns]
    (lessons,) = [m.value for m in at.markdown if m.value.startswith("- **2\\. History")]
    assert lessons.endswith(": 67% (getting there), 5.33333 / 8 points") and "\n" not in lessons


def test_review_my_mistakes_is_a_stored_quiz(
    app_test, make_account, data_dir: Path, content_dirs: tuple[Path, Path]
) -> None:
    write_bank(content_dirs[1])
    make_account("ada")
    take_the_test_quiz(app_test)
    at = open_progress(app_test)
    assert any("**2 questions**" in m.value for m in at.markdown)
    at.button(key="progress:mistakes").click().run()
    assert not at.exception, at.exception
    at.switch_page("views/pages/quizzes.py").run()  # AppTest's next run would go back to the calling page
    draw: Draw = at.session_state["quizzes:draw"]
    assert draw.quiz == MISTAKES_QUIZ and sorted(draw.question_ids) == ["apptest-multiple", "apptest-ordering"]
    key = f"quiz:{MISTAKES_QUIZ}"
    order = [c.label for c in at.checkbox if c.key.startswith(f"{key}:apptest-multiple")]
    for index, label in enumerate(order):
        if label in ("A-ok", "C-ok"):
            at.checkbox(key=f"{key}:apptest-multiple:{index}").check()
    for position, item in enumerate(["first", "second", "third"]):
        at.selectbox(key=f"{key}:apptest-ordering:{position}").set_value(item)
    submit(at, MISTAKES_QUIZ)
    assert not at.exception, at.exception
    assert [m.value for m in at.metric] == ["3 / 3", "100%"]
    frame = Store(data_dir).read(ATTEMPTS).frame
    assert list(frame["quiz"]) == [QUIZ, MISTAKES_QUIZ]
    mistakes = frame.iloc[-1]
    responses = Store(data_dir).read(RESPONSES).frame
    assert sorted(responses.loc[responses["attempt_id"] == mistakes["attempt_id"], "question_id"]) == [
        "apptest-multiple",
        "apptest-ordering",
    ]
    at.switch_page("views/pages/my_progress.py").run()
    assert any("No mistakes to review" in i.value for i in at.info)


def test_times_are_in_the_browsers_zone_with_its_name(app_test, make_account, data_dir: Path) -> None:
    make_account("ada")
    place_drill(data_dir)
    at = app_test(user="ada")
    at.context = {"timezone": "Asia/Tokyo", "timezone_offset": -540}
    at.run()
    at.switch_page("views/pages/my_progress.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert table.columns[0] == "Date (Asia/Tokyo)"
    frame = Store(data_dir).read(ATTEMPTS).frame
    submitted = frame["submitted"].iloc[0]  # UTC in the file
    assert table.iloc[0, 0] == pd.Timestamp(submitted).tz_convert("Asia/Tokyo").strftime("%Y-%m-%d %H:%M")


def test_without_a_zone_from_the_browser_times_are_utc_and_say_so(app_test, make_account, data_dir: Path) -> None:
    make_account("ada")
    place_drill(data_dir)
    at = open_progress(app_test)
    assert at.dataframe[0].value.columns[0] == "Date (UTC)"


def test_a_past_attempts_review_reopens_read_only(
    app_test, make_account, data_dir: Path, content_dirs: tuple[Path, Path]
) -> None:
    write_bank(content_dirs[1])
    make_account("ada")
    take_the_test_quiz(app_test)
    place_drill(data_dir)
    at = open_progress(app_test)
    picker = at.selectbox(key="progress:past-attempt")
    attempt_id = Store(data_dir).read(ATTEMPTS).frame["attempt_id"].iloc[0]  # the quiz (the drill came after)
    assert len(picker.options) == 1  # the drill has no questions to review
    assert "AppTest quiz · 67% · passed" in picker.options[0] and picker.options[0].endswith("passed")
    assert not any("**Your answer:**" in m.value for m in at.markdown)  # nothing until one is chosen
    picker.set_value(attempt_id).run()
    assert not at.exception, at.exception
    reviewed = [m.value for m in at.markdown if m.value.startswith("**Your answer:**")]
    assert len(reviewed) == 7  # every question of the attempt
    assert any("AppTest quiz**" in m.value and "5.33333 / 8 (67%), passed." in m.value for m in at.markdown)
    assert not [b for b in at.button if b.key and b.key.startswith("quizzes:submit")]  # read-only: nothing to submit
    assert len(Store(data_dir).read(ATTEMPTS).frame) == 2  # reopening stores nothing


def test_another_learners_attempt_cannot_be_reopened(
    app_test, make_account, data_dir: Path, content_dirs: tuple[Path, Path]
) -> None:
    write_bank(content_dirs[1])
    make_account("ada")
    take_the_test_quiz(app_test)
    make_account("bob")
    ada_attempt = Store(data_dir).read(ATTEMPTS).frame["attempt_id"].iloc[0]
    book = Attempts(Store(data_dir))
    assert book.submitted_draw(ada_attempt, "ada") is not None
    assert book.submitted_draw(ada_attempt, "bob") is None
    at = app_test(user="bob").run()
    at.switch_page("views/pages/my_progress.py").run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "progress:past-attempt"]  # bob has none to offer
