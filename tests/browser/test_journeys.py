"""The two whole journeys, learner and tutor, in Chromium, one step after another in one browser session.

A learner signs up, reads a lesson, uses the simulator, takes a quiz, finds it on My progress,
reloads and finds it again. A tutor edits a lesson with its live preview, saves, restores the
older version, opens the results dashboard and downloads the CSV export. Every step waits on
the app's script state or on the text it expects, and is followed by a check that no
Streamlit exception box is on the page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from course.accounts.accounts import Accounts, Role
from course.clock import now_utc
from course.content.lessons import load_catalog
from course.quiz.attempts import Attempts
from course.simulator.loading import load_skin_model
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, RESPONSES
from tests.browser.helpers import (
    answer_fixture_quiz_basics,
    assert_no_exception,
    flatten_needle_to_on_target,
    nav_link,
    sign_in,
    sign_up,
    type_needle,
    verdict,
    wait_idle,
)
from tests.helpers.apptest import QUIZ, write_bank

LEARNER, LEARNER_NAME = "journey-learner", "Jo Journey"
TUTOR = "journey-tutor"
FORMULA_NAME = '=HYPERLINK("http://x","y")'
EXPORT_HEADER = [  # attempts_export columns
    "attempt_id",
    "learner",
    "name",
    "quiz",
    "submitted",
    "score",
    "max_score",
    "percentage",
    "passed",
    "first_attempt",
]
EDITED_LESSON = 8  # the last lesson: no other browser test asserts on its text


@pytest.fixture
def journey_bank(server) -> Iterator[None]:
    """The fixed-order test bank beside the real ones, so the score is known in advance."""
    write_bank(Path(server.quizzes_dir))
    yield
    (Path(server.quizzes_dir) / f"{QUIZ}.yaml").unlink(missing_ok=True)


def go(page: Page, title: str) -> None:
    """Open a page from the sidebar (a new URL would start a new, signed-out session)."""
    nav_link(page, title).click()
    wait_idle(page)


def test_learner_journey(server, browser_page: Page, journey_bank: None) -> None:
    page = browser_page
    lessons = load_catalog(Path(server.lessons_dir)).lessons

    sign_up(page, server.base_url, LEARNER, LEARNER_NAME)
    expect(page.get_by_test_id("stSidebar").get_by_text(f"Signed in as {LEARNER_NAME}")).to_be_visible()
    assert_no_exception(page)

    # read a lesson, opened from the sidebar
    lesson = lessons[3]
    go(page, f"4. {lesson.title}")
    expect(page.get_by_role("heading", name=lesson.title)).to_be_visible()
    expect(page.get_by_role("heading", name="What you will learn")).to_be_visible()
    for objective in lesson.meta.objectives:
        expect(page.get_by_text(objective.text).first).to_be_visible()
    assert page.url.endswith(lesson.url_path)
    assert_no_exception(page)

    # the simulator: the needle starts on target; a steeper, longer one is too deep; a flat one on target again
    go(page, "Needle simulator")
    expect(verdict(page, "On target — you are in the epidermis.")).to_be_visible()
    type_needle(page, 45, 4)
    expect(verdict(page, "Too deep by 2.78 mm — you are in the hypodermis.")).to_be_visible()
    flatten_needle_to_on_target(page)
    assert_no_exception(page)

    # a quiz: answer, submit, score and review
    go(page, "Quizzes")
    card = page.get_by_test_id("stVerticalBlock").filter(has=page.get_by_role("heading", name="AppTest quiz")).last
    card.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Question 1")).to_be_visible()
    assert_no_exception(page)
    answer_fixture_quiz_basics(page)
    page.get_by_role("button", name="Submit my answers").click()
    # 1 + 2 + 1 + 1 of 8 (diagram, ordering and matching left unanswered): 62.5%, pass mark 60
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("5 / 8")
    expect(page.get_by_text("Passed.", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="Review", exact=True)).to_be_visible()
    expect(page.get_by_text("Right answer:").first).to_be_visible()
    expect(page.get_by_text("**Why:**")).to_have_count(0)  # markdown rendered, not shown raw
    assert_no_exception(page)
    attempts = Store(server.data_dir).read(ATTEMPTS).frame
    mine = attempts[attempts["learner"] == LEARNER]
    assert list(mine["quiz"]) == [QUIZ] and list(mine["score"]) == [5.0]

    def attempt_on_my_progress() -> None:
        go(page, "My progress")
        expect(page.get_by_role("heading", name="My progress", exact=True)).to_be_visible()
        expect(page.get_by_test_id("stMetricValue").first).to_have_text("1")  # attempts
        expect(page.get_by_text("1 attempts, 1 passed.", exact=False)).to_be_attached()
        expect(page.get_by_text("Latest: AppTest quiz", exact=False)).to_be_attached()
        assert_no_exception(page)

    attempt_on_my_progress()

    # a reload keeps the learner signed in (the session cookie), and the attempt is still there
    page.reload()
    wait_idle(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("Signed in as")).to_be_visible()
    assert_no_exception(page)
    attempt_on_my_progress()


@pytest.fixture
def formula_learner(server) -> str:
    """A learner whose display name is a spreadsheet formula, with one stored drill attempt."""
    store = Store(server.data_dir)
    Accounts(store).create("journey-formula", FORMULA_NAME, "password123")
    model = load_skin_model()
    drill = model.data.drills[0]
    placement = model.assess(drill.region, drill.technique, 10, 4.0)
    Attempts(store).record_drill(
        placement,
        drill,
        learner="journey-formula",
        started=now_utc(),
        version=model.version,
        scoring=model.data.general.drill_scoring,
    )
    return "journey-formula"


@pytest.fixture
def edited_lesson(server) -> Iterator[tuple[Path, str]]:
    """The lesson file the tutor edits, put back as it was whatever happens (the server is shared)."""
    path = sorted(Path(server.lessons_dir).glob("*.md"))[EDITED_LESSON]
    original = path.read_text(encoding="utf-8")
    yield path, original
    path.write_text(original, encoding="utf-8")


def test_tutor_journey(
    server, browser_page: Page, formula_learner: str, edited_lesson: tuple[Path, str], tmp_path: Path
) -> None:
    page = browser_page
    path, original = edited_lesson
    old_title = load_catalog(Path(server.lessons_dir)).lessons[EDITED_LESSON].title
    new_title = f"{old_title} (edited in the journey)"
    assert f"title: {old_title}\n" in original
    Accounts(Store(server.data_dir)).create(TUTOR, "Journey Tutor", "password123", Role.TUTOR)

    sign_in(page, server.base_url, TUTOR)
    expect(page.get_by_test_id("stSidebar").get_by_text("Signed in as Journey Tutor (tutor)")).to_be_visible()
    assert_no_exception(page)

    # open the editor and pick the lesson
    go(page, "Lesson editor")
    expect(page.get_by_role("heading", name="Lesson editor", exact=True)).to_be_visible()
    page.get_by_role("combobox", name="Lesson", exact=True).click()
    page.get_by_role("option", name=path.name).click()
    wait_idle(page)
    area = page.get_by_label("Lesson markdown")
    expect(area).to_have_value(original)
    preview = page.locator(".st-key-editor-preview")
    expect(preview.get_by_role("heading", name=old_title, exact=True)).to_be_visible()
    assert_no_exception(page)

    # edit: the preview follows the text
    area.fill(original.replace(f"title: {old_title}\n", f"title: {new_title}\n"))
    area.press("Control+Enter")  # commit the text area's value
    wait_idle(page)
    expect(preview.get_by_role("heading", name=new_title)).to_be_visible()
    expect(page.get_by_text("You have unsaved changes")).to_be_visible()
    assert_no_exception(page)

    # save: the file changes, the replaced version goes to the history
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Learners see the change on their next page load")).to_be_visible()
    assert f"title: {new_title}\n" in path.read_text(encoding="utf-8")
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    expect(page.get_by_role("combobox", name="Past version")).to_be_visible()
    expect(page.get_by_text(f"-title: {old_title}").first).to_be_attached()  # the diff against the current text
    assert_no_exception(page)

    # restore the older version
    page.get_by_role("button", name="Restore this version").click()
    expect(page.get_by_text("Restored that version.")).to_be_visible()
    expect(area).to_have_value(original)
    expect(preview.get_by_role("heading", name=old_title, exact=True)).to_be_visible()
    assert path.read_text(encoding="utf-8") == original
    assert_no_exception(page)

    # the results dashboard
    go(page, "Results")
    expect(page.get_by_role("heading", name="Results", exact=True)).to_be_visible()
    expect(page.get_by_text("attempts match the filters")).to_be_visible()
    assert_no_exception(page)
    page.get_by_role("radio", name="Export", exact=True).click()  # the "View" segmented control
    wait_idle(page)
    button = page.get_by_test_id("stDownloadButton").filter(has_text="Download attempts (CSV)")
    expect(button).to_be_visible()
    assert_no_exception(page)

    # export: the downloaded file has the header row and a neutralised formula name
    with page.expect_download() as download_info:
        button.get_by_role("button").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.name.startswith("attempts-") and saved.suffix == ".csv"
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert rows[0] == EXPORT_HEADER
    by_login = {row[1]: row for row in rows[1:]}
    assert by_login[formula_learner][2] == "'" + FORMULA_NAME
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    stored = Store(server.data_dir).read(ATTEMPTS).frame
    assert len(rows) - 1 == len(stored)  # no filter: every attempt
    assert len(Store(server.data_dir).read(RESPONSES).frame) >= len(stored)
    assert_no_exception(page)
