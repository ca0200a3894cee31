"""Glossary terms in a lesson show their definition in place (pointer, finger, keyboard) at desktop
and phone width, and lead to the glossary in the same tab, scrolled to the term."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from course.content.glossary import load_glossary, plain_definition
from course.content.lessons import load_catalog
from tests.browser.helpers import assert_no_exception, open_page
from tests.browser.server import DESKTOP, PHONE

TERMS = '[data-testid="stMain"] a[href*="glossary#"][aria-haspopup="dialog"]'


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_term_shows_its_definition_in_place(server, browser: Browser, viewport: dict, tmp_path: Path) -> None:
    context = browser.new_context(viewport=viewport, has_touch=viewport is PHONE)
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        lesson = load_catalog(Path(server.lessons_dir)).lessons[2]  # skin anatomy: many terms
        open_page(page, server.url(lesson.url_path))
        term = page.locator(TERMS).first
        expect(term).to_be_attached()
        expect(term).to_have_attribute("aria-expanded", "false")
        anchor = (term.get_attribute("href") or "").split("#")[1]
        entry = next(t for t in load_glossary(Path(server.lessons_dir)) if t.anchor == anchor)
        term.scroll_into_view_if_needed()
        if viewport is PHONE:
            term.tap()
        else:
            term.click()
        panel = page.get_by_role("dialog", name=f"Definition: {entry.term}")
        expect(panel).to_be_visible()
        expect(panel).to_be_focused()
        expect(panel.locator(".mg-definition")).to_have_text(plain_definition(entry))
        expect(term).to_have_attribute("aria-expanded", "true")
        assert page.url.endswith(lesson.url_path)  # the page did not go anywhere
        box = panel.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
        page.screenshot(path=str(tmp_path / f"glossary-popover-{viewport['width']}.png"))
        page.keyboard.press("Escape")
        expect(panel).to_be_hidden()
        expect(term).to_be_focused()  # focus back on the term
        expect(term).to_have_attribute("aria-expanded", "false")

        # keyboard only: Enter opens, Tab reaches the glossary link and Close, Enter on Close closes
        page.keyboard.press("Enter")
        expect(panel).to_be_visible()
        page.keyboard.press("Tab")
        expect(panel.get_by_role("link", name=f"Open {entry.term} in the glossary")).to_be_focused()
        page.keyboard.press("Tab")
        expect(panel.get_by_role("button", name="Close")).to_be_focused()
        page.keyboard.press("Enter")
        expect(panel).to_be_hidden()
        expect(term).to_be_focused()

        # a click elsewhere closes it; the glossary link opens the glossary here, at the term
        term.click()
        expect(panel).to_be_visible()
        page.get_by_role("heading", level=1).first.click()
        expect(panel).to_be_hidden()
        term.click()
        panel.get_by_role("link", name=f"Open {entry.term} in the glossary").click()
        page.wait_for_url(re.compile(rf"/glossary#{re.escape(anchor)}$"))
        heading = page.get_by_role("heading", name=entry.term, exact=True)
        expect(heading).to_be_in_viewport()
        assert len(context.pages) == 1
        page.screenshot(path=str(tmp_path / f"glossary-landed-{viewport['width']}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert_no_exception(page)
    finally:
        context.close()


def test_a_definition_is_text_never_markup(server, browser_page) -> None:
    """Every definition the lesson sends is written as text: no element is made from it."""
    lesson = load_catalog(Path(server.lessons_dir)).lessons[2]
    open_page(browser_page, server.url(lesson.url_path))
    expect(browser_page.locator(TERMS).first).to_be_attached()
    browser_page.locator(TERMS).first.click()
    panel = browser_page.locator(".meso-gloss-panel")
    expect(panel).to_be_visible()
    assert panel.locator(".mg-definition *").count() == 0
