"""Every page at phone width (390x844): no horizontal scrolling, no exception box.

A tutor signs in at desktop size (tutors see every page in the sidebar), then each page is
opened from the sidebar and the viewport narrowed to a phone's, so the session survives.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from course.accounts.accounts import Accounts, Role
from course.content.lessons import load_catalog
from course.store.csvstore import Store
from tests.browser.helpers import assert_no_exception, nav_link, sign_in, wait_idle
from tests.browser.server import DESKTOP, PHONE

FIXED_PAGES = [
    "Home",
    "Glossary",
    "Quizzes",
    "Needle simulator",
    "Review",
    "Clinical cases",
    "My progress",
    "Account",
    "Lesson editor",
    "Results",
    "Certificates",
    "Exports",
]


def page_titles() -> list[str]:
    lessons = [f"{n}. {lesson.title}" for n, lesson in enumerate(load_catalog().lessons, 1)]
    return FIXED_PAGES[:1] + lessons + FIXED_PAGES[1:]


def horizontal_overflow(page: Page) -> int:
    """How many pixels the document is wider than the viewport (0 when nothing scrolls)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture(scope="module")
def tutor(server) -> str:
    Accounts(Store(server.data_dir)).create("phonetutor", "Phone Tutor", "password123", Role.TUTOR)
    return "phonetutor"


def test_every_page_fits_a_phone(server, browser_page, tutor: str, tmp_path: Path) -> None:
    page = browser_page
    sign_in(page, server.base_url, tutor)
    problems = []
    for title in page_titles():
        page.set_viewport_size(DESKTOP)
        nav_link(page, title).click()
        wait_idle(page)
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(300)  # let the layout settle after the resize (not a rerun wait)
        overflow = horizontal_overflow(page)
        if overflow > 0:
            problems.append(f"{title}: {overflow}px wider than the phone")
            page.screenshot(path=str(tmp_path / f"overflow-{title[:20]}.png"), full_page=True)
        assert_no_exception(page)
    assert problems == []
