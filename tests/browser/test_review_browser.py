"""Spaced review in a real browser: get two questions wrong, see "2 cards due", open Review,
answer both cards, and read when each comes back (stored in the review log)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from course.clock import utc_now
from course.store.csvstore import Store
from course.store.tables import REVIEWS
from tests.browser.helpers import assert_no_exception, nav_link, question_box, sign_up, wait_idle

BANK_ID = "review-journey"
BANK = """id: review-journey
title: Review journey quiz
version: 1
lesson: history
settings: {pass_mark: 60, shuffle_questions: false, shuffle_options: false}
questions:
  - id: review-journey-one
    type: single
    prompt: "Journey question one: which is right?"
    objective: founding-story
    explanation: "JOURNEY-EXPLANATION-ONE"
    options:
      - {text: Alpha right, correct: true}
      - {text: Alpha wrong}
  - id: review-journey-two
    type: single
    prompt: "Journey question two: which is right?"
    objective: key-dates
    explanation: "JOURNEY-EXPLANATION-TWO"
    options:
      - {text: Beta right, correct: true}
      - {text: Beta wrong}
  - id: review-journey-three
    type: true_false
    prompt: "Journey question three is true."
    objective: key-dates
    answer: true
    explanation: "It is true."
"""


@pytest.fixture
def journey_bank(server) -> Iterator[None]:
    path = Path(server.quizzes_dir) / f"{BANK_ID}.yaml"
    path.write_text(BANK)
    yield
    path.unlink(missing_ok=True)


def test_two_mistakes_become_cards_answered_with_their_next_due_dates(server, browser_page: Page, journey_bank) -> None:
    page = browser_page
    sign_up(page, server.base_url, "reviewer1", "Rita Reviewer")
    nav_link(page, "Quizzes").click()
    heading = page.get_by_role("heading", name="Review journey quiz")
    card = page.get_by_test_id("stVerticalBlock").filter(has=heading).last
    card.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Journey question one")).to_be_visible()
    question_box(page, "Journey question one").get_by_text("Alpha wrong").click()
    question_box(page, "Journey question two").get_by_text("Beta wrong").click()
    question_box(page, "Journey question three").get_by_text("True", exact=True).click()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("Not passed.", exact=False)).to_be_visible()

    nav_link(page, "Review").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Review", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="2 cards due for review")).to_be_visible()  # the sidebar
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("2")
    expect(page.get_by_text("Cards due: 2 today", exact=False).first).to_be_attached()  # the forecast's text
    page.get_by_role("button", name="Start a review session").click()

    comes_back = []
    for prompt, right in (("Journey question one", "Alpha right"), ("Journey question two", "Beta right")):
        expect(page.get_by_text(prompt).first).to_be_visible()
        question_box(page, prompt).get_by_text(right, exact=True).click()
        page.get_by_role("button", name="Check my answer").click()
        message = page.get_by_test_id("stAlert").filter(has_text="this card comes back on")
        expect(message).to_be_visible()
        expect(page.get_by_text("JOURNEY-EXPLANATION", exact=False).first).to_be_visible()
        comes_back.append(message.inner_text())
        assert_no_exception(page)
        page.get_by_role("button", name="Next card" if len(comes_back) == 1 else "Finish the session").click()
        wait_idle(page)

    expect(page.get_by_text("Session done: 2 cards reviewed.")).to_be_visible()
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("0")
    assert all("Rated Good" in text for text in comes_back), comes_back
    rows = Store(Path(server.data_dir)).read(REVIEWS).frame
    mine = rows[rows["learner"] == "reviewer1"]
    assert sorted(mine["item"]) == ["review-journey-one", "review-journey-two"]
    assert (mine["rating"] == "3").all()
    now = utc_now().isoformat()
    assert (mine["due"] > now).all()
    for due in mine["due"]:
        assert any(f"{due[:10]} {due[11:16]} UTC" in text for text in comes_back), (due, comes_back)
    assert_no_exception(page)
