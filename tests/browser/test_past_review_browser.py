"""A past attempt's review reopens from My progress, in a real browser at desktop and phone width.

The attempt is stored through the package (as the quiz page stores it), so the test is about
reopening it, not taking it again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from course.accounts.accounts import Accounts
from course.quiz.answers import right_answer
from course.quiz.attempts import Attempts
from course.quiz.banks import load_quizzes
from course.store.csvstore import Store
from tests.browser.helpers import assert_no_exception, sign_in
from tests.browser.server import DESKTOP, PHONE


def stored_attempt(server, login: str) -> None:
    """``login`` takes the History quiz and answers the first question only."""
    store = Store(server.data_dir)
    Accounts(store).create(login, "Pat Past", "password123")
    catalog = load_quizzes(Path(server.quizzes_dir))
    quiz = catalog.quiz("history")
    assert quiz is not None
    book = Attempts(store)
    draw = book.start(login, quiz, lookup=catalog.questions).draw
    first = catalog.questions[draw.question_ids[0]]
    # Whatever type the draw put first, answer it with a value its widget could produce.
    book.submit(draw, quiz.settings, catalog.questions, {first.id: right_answer(first)})


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_past_attempts_review_reopens_from_my_progress(
    server, browser: Browser, viewport: dict, tmp_path: Path
) -> None:
    login = f"past{viewport['width']}"
    stored_attempt(server, login)
    context = browser.new_context(viewport=viewport, timezone_id="Europe/Paris")
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        sign_in(page, server.base_url, login, path="progress")
        expect(page.get_by_role("heading", name="Review a past attempt")).to_be_visible()
        picker = page.get_by_test_id("stSelectbox").filter(has_text="Attempt")
        picker.scroll_into_view_if_needed()
        picker.click()
        option = page.get_by_role("option").filter(has_text="History")
        expect(option).to_have_count(1)
        assert " CE" in option.inner_text()  # CET or CEST: the browser's zone, named
        option.click()
        box = page.locator(".st-key-progress-past-review")
        expect(box.get_by_text("Your answer:").first).to_be_visible()
        expect(box.get_by_role("link", name="Revise").first).to_be_attached()
        assert not box.get_by_role("button", name="Submit my answers").count()  # read-only
        box.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / f"past-review-{viewport['width']}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert_no_exception(page)
    finally:
        context.close()
