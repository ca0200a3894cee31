"""Every page at phone width (390x844): no horizontal scrolling, no exception box; the sidebar
closes after a choice on a phone and stays open on a desktop.

A tutor signs in at desktop size (tutors see every page in the sidebar), then each page is
opened from the sidebar and the viewport narrowed to a phone's, so the session survives.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from course.accounts.accounts import Accounts, Role
from course.content.lessons import load_catalog
from course.store.csvstore import Store
from tests.browser.helpers import SIDEBAR_INERT, assert_no_exception, nav_link, open_page, sign_in, wait_idle
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


_UNCOVERED = """heading => {
  const box = heading.getBoundingClientRect();
  const x = box.left + Math.min(box.width / 2, 40), y = box.top + box.height / 2;
  const top = document.elementFromPoint(x, y);
  return y > 0 && y < window.innerHeight && !!top && heading.contains(top);
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_sidebar_closes_after_a_choice_on_a_phone_only(server, browser, viewport: dict, tmp_path: Path) -> None:
    """At 390 px the sidebar opens over the page, so choosing a page closes it and the page shows;
    closed, its links are out of the Tab order. At 1280 px it sits beside the page and stays open."""
    context = browser.new_context(viewport=viewport)  # a desktop user agent, as Streamlit sees a narrow window
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        sidebar = page.get_by_test_id("stSidebar")
        open_page(page, server.url("references"))
        phone = viewport == PHONE
        if phone:
            expect(sidebar).to_have_attribute("data-collapsed", "true")
            # a closed sidebar keeps its links out of the Tab order (once views/parts/sidebar_closer.py is loaded)
            page.wait_for_function(SIDEBAR_INERT, timeout=10_000)
            page.get_by_role("button", name="Expand sidebar").click()
            expect(sidebar).to_have_attribute("data-collapsed", "false")
            assert not sidebar.evaluate("bar => bar.inert")
        nav_link(page, "Glossary").click()
        wait_idle(page)
        heading = page.get_by_role("heading", name="Glossary", level=1)
        expect(heading).to_be_visible()
        page.wait_for_timeout(400)  # the sidebar's slide (a collapse is already under way by now)
        page.screenshot(path=str(tmp_path / f"after-choice-{viewport['width']}.png"))
        expect(sidebar).to_have_attribute("data-collapsed", "true" if phone else "false")
        assert heading.evaluate(_UNCOVERED), "the chosen page's title is in view, not under the sidebar"
    finally:
        context.close()
