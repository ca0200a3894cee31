"""A timed attempt counts down live in the browser, in the learner's time zone, at desktop and phone width.

The bank is the test bank with a time limit of 5 minutes and 3 seconds, so the 5-minute
announcement for screen readers comes within the test; the server still enforces the limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.helpers import assert_no_exception, open_page, sign_up, wait_idle
from tests.browser.server import DESKTOP, PHONE
from tests.helpers.apptest import QUIZ, write_bank

LIMIT_S = 303


@pytest.fixture
def timed_bank(server) -> Iterator[None]:
    path = Path(server.quizzes_dir) / f"{QUIZ}.yaml"
    write_bank(Path(server.quizzes_dir), max_attempts=f"null, time_limit_min: {LIMIT_S / 60}")
    yield
    path.unlink(missing_ok=True)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.usefixtures("timed_bank")
def test_a_timed_quiz_counts_down_live_in_local_time(server, browser: Browser, viewport: dict, tmp_path: Path) -> None:
    login = f"cd{viewport['width']}"
    context = browser.new_context(viewport=viewport, timezone_id="Asia/Tokyo")
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        sign_up(page, server.base_url, login, "Cora Countdown")
        open_page(page, server.url("quizzes"))
        card = page.get_by_test_id("stVerticalBlock").filter(has=page.get_by_role("heading", name="AppTest quiz")).last
        started = datetime.now(ZoneInfo("Asia/Tokyo"))
        card.get_by_role("button", name="Start").click()
        expect(page.get_by_text("Question 1")).to_be_visible()
        wait_idle(page)
        timer = page.locator(".countdown")
        expect(timer).to_be_visible()
        deadline = started + timedelta(seconds=LIMIT_S)
        expected = {f"{(deadline + timedelta(seconds=s)):%H:%M} JST" for s in (-60, 0, 60)}
        text = timer.locator(".cd-deadline").inner_text()
        assert any(text == f"Submit before {clock}" for clock in expected), text  # the browser's zone, named
        first = int(timer.get_attribute("data-seconds-left") or "0")
        assert LIMIT_S - 30 < first <= LIMIT_S
        clock = timer.locator(".cd-clock")
        expect(clock).to_have_text(re.compile(r"^0[45]:\d\d$"))
        before = clock.inner_text()
        # no rerun: it ticks in the browser (within a few seconds even on a loaded machine)
        expect(clock).not_to_have_text(before, timeout=5_000)
        expect(timer.locator(".cd-live")).to_have_text("5 minutes left to submit.", timeout=15_000)  # announced once
        assert timer.get_attribute("class") and "cd-low" in (timer.get_attribute("class") or "")
        # it stays in view while the questions scroll
        page.get_by_role("button", name="Submit my answers").scroll_into_view_if_needed()
        box = timer.bounding_box()
        assert box is not None and 0 <= box["y"] < viewport["height"] and box["x"] + box["width"] <= viewport["width"]
        page.screenshot(path=str(tmp_path / f"countdown-{viewport['width']}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert_no_exception(page)
    finally:
        context.close()
