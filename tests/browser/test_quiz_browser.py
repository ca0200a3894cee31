"""Quizzes in a real browser: take a quiz (clicking a skin layer on the diagram), see the score
and review, reload, sign in again, and find the attempt on My progress."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, RESPONSES
from tests.browser.helpers import answer_fixture_quiz_basics, assert_no_exception, nav_link, sign_up, wait_idle
from tests.helpers.apptest import QUIZ, write_bank


@pytest.fixture
def test_bank(server) -> Iterator[None]:
    """The fixed-order test bank beside the real ones (the app reloads banks when files change)."""
    write_bank(Path(server.quizzes_dir))
    yield
    (Path(server.quizzes_dir) / f"{QUIZ}.yaml").unlink(missing_ok=True)


def click_layer(page: Page, chart_index: int, layer_index: int, layers: int = 5) -> None:
    """Click a layer band of the picker on its centred label, where a learner naturally clicks."""
    chart = page.get_by_test_id("stPlotlyChart").nth(chart_index)
    chart.scroll_into_view_if_needed()
    area = chart.locator(".nsewdrag").first
    expect(area).to_be_visible()
    box = area.bounding_box()
    assert box is not None
    x = box["x"] + box["width"] * 0.5
    y = box["y"] + box["height"] * (layer_index + 0.5) / layers
    page.mouse.move(x, y)
    page.wait_for_timeout(500)  # plotly needs a hover before a click selects (streamlit's own e2e tests do this)
    page.mouse.down()
    page.mouse.up()
    wait_idle(page)


def test_take_a_quiz_see_the_score_then_find_it_on_my_progress_after_reload(
    server,
    browser_page: Page,
    test_bank: None,
) -> None:
    page = browser_page
    sign_up(page, server.base_url, "quizzer1", "Quinn Quizzer")
    nav_link(page, "Quizzes").click()
    card = page.get_by_test_id("stVerticalBlock").filter(has=page.get_by_role("heading", name="AppTest quiz")).last
    card.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Question 1")).to_be_visible()
    assert_no_exception(page)

    click_layer(page, chart_index=0, layer_index=1)  # papillary dermis, second band from the top
    expect(page.get_by_test_id("stPlotlyChart").first).to_contain_text("Chosen: Papillary dermis")  # outlined
    expect(page.get_by_role("combobox", name="Your answer (click a layer above").first).to_be_visible()

    answer_fixture_quiz_basics(page)
    page.get_by_role("button", name="Submit my answers").click()

    # 1 + 1 + 1 + 1 + 2 of 8: ordering and matching left unanswered
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("6 / 8")
    expect(page.get_by_text("Passed.", exact=False)).to_be_visible()
    expect(page.get_by_text("Right answer:").first).to_be_visible()
    expect(page.get_by_role("link", name="Revise: History").first).to_be_visible()
    assert_no_exception(page)

    attempts = Store(Path(server.data_dir)).read(ATTEMPTS).frame
    mine = attempts[attempts["learner"] == "quizzer1"]
    assert list(mine["quiz"]) == [QUIZ] and list(mine["score"]) == [6.0]
    responses = Store(Path(server.data_dir)).read(RESPONSES).frame
    stored = responses[responses["attempt_id"] == mine["attempt_id"].iloc[0]].set_index("question_id")
    assert stored.loc["apptest-diagram", "answer"] == "papillary-dermis"

    page.reload()
    wait_idle(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("Signed in as")).to_be_visible()  # the cookie
    nav_link(page, "My progress").click()
    expect(page.get_by_role("heading", name="My progress", exact=True)).to_be_visible()
    table = page.get_by_test_id("stDataFrame").first  # the attempts (a canvas grid: checked via its alt text)
    expect(table).to_be_visible()
    expect(page.get_by_test_id("stMetricValue").nth(2)).to_have_text("75%")
    expect(page.get_by_text("1 attempts, 1 passed.", exact=False)).to_be_attached()
    assert_no_exception(page)


def test_a_revise_link_opens_the_lesson_with_its_section_in_view(server, browser_page: Page, test_bank: None) -> None:
    """The review is long; the lesson must not open at the review's scroll offset."""
    page = browser_page
    sign_up(page, server.base_url, "reviser1", "Rae Reviser")
    nav_link(page, "Quizzes").click()
    card = page.get_by_test_id("stVerticalBlock").filter(has=page.get_by_role("heading", name="AppTest quiz")).last
    card.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Question 1")).to_be_visible()
    answer_fixture_quiz_basics(page)
    page.get_by_role("button", name="Submit my answers").click()
    link = page.get_by_role("link", name=re.compile(r"^Revise: History.* › ")).first  # to one section
    link.scroll_into_view_if_needed()  # far down the review
    link.click()
    page.wait_for_url(re.compile(r"[?&]section="))  # the click's navigation can start after an idle check
    wait_idle(page)
    box = page.locator(".st-key-lesson-revise")
    expect(box).to_contain_text("Revise:")
    expect(box).to_be_in_viewport()
    expect(box).to_be_focused()  # brought into view and flashed, and keyboard focus moved there
    assert_no_exception(page)
