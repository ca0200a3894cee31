"""Confidence-based marking in a real browser: the certainty choices beside each all-or-nothing
answer, the CBM score, and a review that shows each certainty and the marks it earned."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, CERTAINTY
from tests.browser.helpers import assert_no_exception, nav_link, question_box, sign_up, wait_idle
from tests.helpers.cbm import BANK, QUIZ

CERTAIN = "3 (high): +3 / -6"
MID = "2 (mid): +2 / -2"


@pytest.fixture
def cbm_bank(server) -> Iterator[None]:
    """The fixed-order CBM bank beside the real ones (the app reloads banks when files change)."""
    path = Path(server.quizzes_dir) / f"{QUIZ}.yaml"
    path.write_text(BANK, encoding="utf-8")
    yield
    path.unlink(missing_ok=True)


def certainty_choice(page: Page, prompt: str, label: str):
    """The certainty option ``label`` of the question whose prompt contains ``prompt``."""
    group = question_box(page, prompt).get_by_role("radiogroup", name="How sure are you of this answer?")
    return group.get_by_text(label, exact=True)


def review_box(page: Page, prompt: str):
    return question_box(page, prompt).filter(has_text="Your answer:")


def test_answer_with_certainties_and_see_the_marks_each_earned(server, browser_page: Page, cbm_bank: None) -> None:
    """Single choice right at 2 (+2), must-pass true/false wrong at 3 (-6), diagram left
    unanswered (0), multiple A+C (2 points, no certainty), number right (1 point, cbm: false):
    -1 of 3 + 3 + 3 + 2 + 1 = 12, shown as 0%."""
    page = browser_page
    sign_up(page, server.base_url, "sure1", "Sure Learner")
    nav_link(page, "Quizzes").click()
    card = page.get_by_test_id("stVerticalBlock").filter(has=page.get_by_role("heading", name="CBM quiz")).last
    card.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Confidence-based marking.", exact=False).first).to_be_visible()
    wait_idle(page)
    assert_no_exception(page)

    # a certainty choice beside each all-or-nothing answer, none beside the multiple choice or the number
    # the first draw renders the whole form; on a loaded machine that can outlast expect's 5 s
    expect(question_box(page, "Which option is right?").get_by_text(CERTAIN, exact=True)).to_be_visible(timeout=30_000)
    expect(question_box(page, "This statement is false.").get_by_text(MID, exact=True)).to_be_visible()
    expect(question_box(page, "Click the papillary dermis.").get_by_text(CERTAIN, exact=True)).to_be_visible()
    expect(question_box(page, "Tick the right ones.").get_by_text("How sure are you of this answer?")).to_have_count(0)
    expect(question_box(page, "How deep, in mm?").get_by_text("How sure are you of this answer?")).to_have_count(0)

    question_box(page, "Which option is right?").get_by_text("Right one", exact=True).click()
    certainty_choice(page, "Which option is right?", MID).click()
    question_box(page, "This statement is false.").get_by_text("True", exact=True).click()
    certainty_choice(page, "This statement is false.", CERTAIN).click()
    page.get_by_test_id("stCheckbox").get_by_text("A-ok", exact=True).click()
    page.get_by_test_id("stCheckbox").get_by_text("C-ok", exact=True).click()
    question_box(page, "How deep, in mm?").get_by_role("textbox", name="Your answer").fill("0.86")
    page.get_by_role("button", name="Submit my answers").click()
    wait_idle(page)

    expect(page.get_by_test_id("stMetricValue").first).to_have_text("-1 / 12")
    expect(page.get_by_test_id("stMetricValue").nth(1)).to_have_text("0%")
    expect(page.get_by_text("Not passed.", exact=False)).to_be_visible()
    expect(page.get_by_text("Must-pass question(s) missed", exact=False)).to_be_visible()
    expect(page.get_by_text("average mark per question with a certainty is -1.33", exact=False)).to_be_visible()

    single = review_box(page, "Which option is right?")
    expect(single).to_contain_text("2 / 3 marks")
    expect(single).to_contain_text("Your certainty: 2 (mid), right: 2 marks")
    must_pass = review_box(page, "This statement is false.")
    expect(must_pass).to_contain_text("-6 / 3 marks")
    expect(must_pass).to_contain_text("Your certainty: 3 (high), wrong: -6 marks")
    diagram = review_box(page, "Click the papillary dermis.")
    expect(diagram).to_contain_text("0 / 3 marks")
    expect(diagram).to_contain_text("Your certainty: none (no answer, so 0 marks)")
    multiple = review_box(page, "Tick the right ones.")
    expect(multiple).to_contain_text("2 / 2 points")
    expect(multiple).not_to_contain_text("Your certainty")
    assert_no_exception(page)

    store = Store(Path(server.data_dir))
    attempts = store.read(ATTEMPTS).frame
    (attempt,) = attempts[attempts["learner"] == "sure1"].to_dict("records")
    assert (attempt["quiz"], attempt["score"], attempt["max_score"]) == (QUIZ, -1.0, 12.0)
    rows = store.read(CERTAINTY).frame
    mine = rows[rows["attempt_id"] == attempt["attempt_id"]]
    assert dict(zip(mine["question_id"], mine["certainty"], strict=True)) == {
        "cbm-single": "2",
        "cbm-tf": "3",
        "cbm-diagram": "",
    }
