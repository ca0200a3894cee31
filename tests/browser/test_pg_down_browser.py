"""PostgreSQL stopped while a learner is taking a quiz, in a real browser against a real server.

The test has a PostgreSQL of its own (it stops and restarts it) and a ``streamlit run`` server
on it, reached over TCP with a password. The learner answers, the database is stopped, the
learner submits: the page says the answers could not be saved, without a traceback and without
the password, and every answer is still selected. A page opened in a new tab meanwhile says the
data cannot be read. Once the database is back, the same Submit stores the attempt, once.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from course.accounts.accounts import Accounts
from course.accounts.sessions import COOKIE_NAME, Sessions
from course.store.pgstore import DOWN_MEMORY_S, PgStore
from course.store.tables import ATTEMPTS, RESPONSES
from tests.browser.helpers import answer_fixture_quiz_basics, assert_no_exception, open_page, question_box, wait_idle
from tests.helpers import postgres as pg
from tests.helpers.apptest import QUIZ
from tests.helpers.replicas import Replica, fresh_database, start_replicas

LOGIN = "downed1"


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[pg.Server]:
    """A PostgreSQL for this module alone, since the test stops it."""
    if not pg.available():
        pytest.fail("PostgreSQL 15 is not installed: bash scripts/test.sh installs it (apt-get install postgresql)")
    with pg.running() as server:
        yield server


@pytest.fixture(scope="module")
def app_on_own_postgres(
    own_postgres: pg.Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Replica, str]]:
    name = f"down{os.getpid()}"
    fresh_database(own_postgres, name)
    url = own_postgres.tcp_url(name)  # with the password, which must never reach the page
    with start_replicas(url, tmp_path_factory.mktemp("pgdown"), count=1) as (replica,):
        yield replica, url


def answers_still_selected(page: Page) -> None:
    expect(question_box(page, "Which option is right?").get_by_role("radio", name="Right one")).to_be_checked()
    expect(question_box(page, "This statement is false.").get_by_role("radio", name="False")).to_be_checked()
    expect(page.get_by_label("Your answer (mm)")).to_have_value("0.9")
    expect(page.get_by_role("checkbox", name="A-ok")).to_be_checked()
    expect(page.get_by_role("checkbox", name="C-ok")).to_be_checked()
    expect(page.get_by_role("checkbox", name="B-bad")).not_to_be_checked()


def test_a_submit_while_postgresql_is_down_keeps_the_answers_and_saves_once_it_is_back(
    own_postgres: pg.Server, app_on_own_postgres: tuple[Replica, str], browser_context
) -> None:
    replica, url = app_on_own_postgres
    store = PgStore(url)
    try:
        Accounts(store).create(LOGIN, "Dana Down", "password123")
        token = Sessions(store).create(LOGIN)[0]
    finally:
        store.close()
    browser_context.add_cookies([{"name": COOKIE_NAME, "value": token, "url": replica.base_url, "httpOnly": True}])
    page = browser_context.new_page()
    open_page(page, f"{replica.base_url}/quizzes?quiz={QUIZ}")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Question 1").first).to_be_visible()
    answer_fixture_quiz_basics(page)
    wait_idle(page)

    own_postgres.stop()
    try:
        page.get_by_role("button", name="Submit my answers").click()
        alert = page.get_by_test_id("stAlert").filter(has_text="Your answers could not be saved")
        expect(alert).to_be_visible(timeout=30_000)
        expect(alert).to_contain_text("the course's database is not answering right now")
        expect(alert).not_to_contain_text("127.0.0.1")  # the learner reads what happened, not the address
        details = page.get_by_test_id("stExpander").filter(has_text="Details for whoever runs the course")
        details.get_by_text("Details for whoever runs the course").click()
        expect(details).to_contain_text("cannot be reached")
        expect(details).to_contain_text("pg_isready -d 'postgresql://meso:***@127.0.0.1")
        assert_no_exception(page)
        answers_still_selected(page)
        expect(page.get_by_test_id("stMetricValue")).to_have_count(0)  # no result: nothing was stored
        assert pg.PASSWORD not in page.content()

        other = browser_context.new_page()  # a new tab: nothing to show but the reason
        open_page(other, f"{replica.base_url}/progress")
        expect(other.get_by_text("The course cannot read its data right now", exact=False)).to_be_visible()
        expect(other.get_by_text("Details for whoever runs the course")).to_be_visible()
        assert_no_exception(other)
        assert pg.PASSWORD not in other.content()
        other.close()
    finally:
        own_postgres.start()
    # the store says "down" at once for DOWN_MEMORY_S after it last found the server down (so a
    # page's several reads do not each wait); the learner's next try after that goes through
    time.sleep(DOWN_MEMORY_S)
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("5 / 8", timeout=30_000)
    assert_no_exception(page)
    assert "Traceback" not in replica.log.read_text()

    store = PgStore(url)
    try:
        attempts, responses = store.read(ATTEMPTS).frame, store.read(RESPONSES).frame
    finally:
        store.close()
    mine = attempts[attempts["learner"] == LOGIN]
    assert len(mine) == 1 and list(mine["score"]) == [5.0]
    assert len(responses[responses["attempt_id"] == mine["attempt_id"].iloc[0]]) == 7
