"""At 390 px no text is cut without an ellipsis and a way to read it whole.

A label is *cut* when its text runs past the edge of a box that clips it (overflow other than
visible) or past the window. Measured on what Streamlit cuts on one line on a phone: the sidebar's
page titles, page links (the Home outline, Previous/Next, a quiz review's Revise links), quiz
titles and headings, a matching question's select boxes (the chosen value may end in an
ellipsis, and then the open list shows it whole) and a lesson's table of sourced claims.
A quiz bank with long answers is written beside the real ones for the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from course.content.lessons import lesson_sections, load_catalog
from tests.browser.helpers import open_page, sign_up, wait_idle
from tests.browser.server import PHONE

QUIZ = "phonetext"
LONG = "Call emergency services at once, then call the clinic"
BANK = """id: phonetext
title: Long answers on a phone, with a quiz title long enough to need two lines
version: 1
lesson: history
settings: {{pass_mark: 60, shuffle_questions: false, shuffle_options: false, max_attempts: null}}
questions:
  - id: phonetext-matching
    type: matching
    prompt: "Match each sign to what the patient should do."
    objective: founding-story
    section: {section}
    pairs:
      - {{left: "Lips swelling and wheeze ten minutes after leaving the clinic", right: "{long}"}}
      - left: "Tingling on the lip, then small blisters"
        right: "Call the clinic; a prescriber decides on antivirals"
    distractors: ["Wait and see whether it settles by itself within a fortnight"]
    explanation: "As listed."
"""

# Every text inside ``root`` that is cut: its own text runs past a clipping ancestor's edge
# (up to the app's scrolling area) or past the window; an input's value runs past its box
# without text-overflow: ellipsis. Returns "text (what cuts it)" for each.
_CUT = """root => {
  const cut = [];
  const clips = (el) => getComputedStyle(el).overflowX !== 'visible';
  const stop = document.querySelector('[data-testid="stAppViewContainer"]');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || !el.getClientRects().length) continue;
    if (el.closest('[data-testid="stIconMaterial"], [aria-hidden="true"]')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width === 0) continue;
    if (box.right > window.innerWidth + 1 || box.left < -1) { cut.push(`${text} (the window)`); continue; }
    for (let up = el; up && up !== stop; up = up.parentElement) {
      if (!clips(up)) continue;
      const edge = up.getBoundingClientRect();
      if (box.right > edge.right + 1 || box.left < edge.left - 1) {
        cut.push(`${text} (${up.tagName.toLowerCase()} ${up.dataset.testid || up.className})`);
        break;
      }
    }
  }
  for (const input of root.querySelectorAll('input')) {
    if (input.value && input.scrollWidth > input.clientWidth + 1 && getComputedStyle(input).textOverflow !== 'ellipsis')
      cut.push(`${input.value} (input without an ellipsis)`);
  }
  return cut;
}"""


def cut_texts(where: Locator) -> list[str]:
    """The cut texts of every element ``where`` matches."""
    return [text for index in range(where.count()) for text in where.nth(index).evaluate(_CUT)]


@pytest.fixture
def long_bank(server) -> Iterator[None]:
    lesson = next(lesson for lesson in load_catalog(server.lessons_dir).lessons if lesson.id == "history")
    section = next(iter(lesson_sections(lesson)))
    path = Path(server.quizzes_dir) / f"{QUIZ}.yaml"
    path.write_text(BANK.format(section=section, long=LONG))
    yield
    path.unlink(missing_ok=True)


def check(page: Page, where: Locator, what: str, problems: list[str], shots: Path) -> None:
    found = cut_texts(where)
    if found:
        page.screenshot(path=str(shots / f"cut-{len(problems)}.png"))
        problems.extend(f"{what}: {text}" for text in found)


@pytest.mark.usefixtures("long_bank")
def test_no_text_is_cut_on_a_phone(server, browser: Browser, tmp_path: Path) -> None:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(30_000)
    page = context.new_page()
    problems: list[str] = []
    main = page.get_by_test_id("stMain")
    try:
        sign_up(page, server.base_url, "cutphone", "Cut Phone")
        # the Home outline: one page link per lesson, with its title and duration
        check(page, main.get_by_test_id("stPageLink"), "Home outline", problems, tmp_path)
        # the sidebar's page titles, opened as a phone opens it
        page.get_by_role("button", name="Expand sidebar").click()
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "false")
        page.wait_for_function(  # its slide in has ended
            """() => document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect().left >= 0"""
        )
        check(page, page.get_by_test_id("stSidebarNavLink"), "sidebar", problems, tmp_path)
        page.get_by_test_id("stSidebar").get_by_role("button", name="Collapse sidebar").click()

        # Previous/Next with the two longest neighbours' titles, and the lesson's title
        open_page(page, server.url("lesson-products-and-equipment"))
        check(page, main.get_by_test_id("stPageLink"), "Previous/Next", problems, tmp_path)
        check(page, main.get_by_role("heading", level=1), "lesson title", problems, tmp_path)
        # a lesson's sourced claims (with long source names)
        open_page(page, server.url("lesson-techniques"))
        claims = main.get_by_test_id("stExpander").filter(has_text="every range and who gives it").first
        claims.locator("summary").click()
        expect(claims).to_contain_text("weak source")  # text on the page, not painted in a grid's canvas
        check(page, claims, "claims", problems, tmp_path)

        open_page(page, server.url("quizzes"))
        check(page, main.get_by_role("heading"), "quiz titles", problems, tmp_path)
        main.get_by_test_id("stVerticalBlock").filter(has_text="Long answers on a phone").last.get_by_role(
            "button", name="Start"
        ).click()
        wait_idle(page)
        boxes = main.get_by_test_id("stSelectbox")
        first = boxes.nth(0).get_by_role("combobox")
        first.click()
        options = page.get_by_role("option")
        expect(options).to_have_count(3)
        check(page, page.get_by_role("listbox"), "matching options (open list)", problems, tmp_path)
        options.filter(has_text=LONG).click()
        wait_idle(page)
        expect(first).to_have_value(LONG)
        check(page, boxes, "matching answers", problems, tmp_path)
        # the chosen value may end in an ellipsis: opening the list shows it whole, marked chosen
        boxes.nth(0).get_by_role("button", name="Open").click()  # the chevron: the input would start a search
        chosen = page.get_by_role("option", name=LONG)
        expect(chosen).to_have_attribute("aria-selected", "true")
        check(page, chosen, "the chosen answer in the list", problems, tmp_path)
        page.keyboard.press("Escape")  # closes the list and keeps the answer (views/parts/select_escape.py)
        wait_idle(page)
        expect(first).to_have_value(LONG)
        main.get_by_role("button", name="Submit my answers").click()
        wait_idle(page)
        expect(main.get_by_text("your result")).to_be_visible()
        revise = main.get_by_test_id("stPageLink").filter(has_text="Revise:")
        expect(revise.first).to_be_visible()
        check(page, revise, "Revise links", problems, tmp_path)
        page.screenshot(path=str(tmp_path / "review-390.png"), full_page=True)
    except Exception:
        page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        print(f"screenshot: {tmp_path / 'failure.png'}")
        raise
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
