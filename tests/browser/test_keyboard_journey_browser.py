"""A keyboard-only journey: sign up, read a lesson, move the simulator's needle, take a quiz with
every question type and see the score, with Tab, Shift+Tab, Enter, Space, arrows and typing only.

The focus moves by Tab from the top of each page (no clicks, no locators filled in): a control
that Tab cannot reach, or that does nothing from the keyboard, fails the step that needs it,
with the trail of what the focus went through. The quiz is the fixed-order test bank of
tests/helpers/apptest.py (one question of each of the seven types, known answers), written into
the server's quizzes folder before the Quizzes page loads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.helpers import (
    SIDEBAR_INERT,
    assert_no_exception,
    focused,
    named,
    open_page,
    tab_to,
    through_cookie_route,
    wait_idle,
)
from tests.browser.server import DESKTOP, PHONE
from tests.helpers.apptest import QUIZ, write_bank

LESSON = "2. History: from Bray-et-Lû to international consensus"
NEEDLE = "Needle: drag its tip, or use the arrow keys"

# the needle drawing's live region and spoken value, from inside the component's shadow root
_NEEDLE_WORDS = """() => {
  const roots = [document, ...[...document.querySelectorAll('*')].filter(e => e.shadowRoot).map(e => e.shadowRoot)];
  for (const root of roots) {
    const svg = root.querySelector('svg.nv-svg');
    if (svg) return {live: root.querySelector('.nv-live').textContent, value: svg.getAttribute('aria-valuetext')};
  }
  return null;
}"""


@pytest.fixture
def every_type_bank(server) -> Iterator[None]:
    write_bank(Path(server.quizzes_dir))
    yield
    (Path(server.quizzes_dir) / f"{QUIZ}.yaml").unlink(missing_ok=True)


def press(page: Page, key: str) -> None:
    """Press a key that may rerun the script, and wait for the run to end."""
    page.keyboard.press(key)
    wait_idle(page)


def choose(page: Page, combobox: str, option: str) -> None:
    """Tab to a select box, type the start of an option to filter the list, take it with Enter."""
    tab_to(page, lambda f: f["role"] == "combobox" and f["label"] == combobox)
    page.keyboard.type(option)
    # the list filters as the keys arrive: Enter before the option is listed takes nothing
    expect(page.get_by_role("option", name=option, exact=True)).to_be_visible()
    page.keyboard.press("Enter")
    with contextlib.suppress(PlaywrightTimeout):  # the choice's rerun may start a moment after the key
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stApp\"]')"
            ".getAttribute('data-test-script-state') === 'running'",
            timeout=1_000,
        )
    wait_idle(page)  # then its end: the next select box is not typed into while this one reruns
    with contextlib.suppress(PlaywrightTimeout):  # the list closes when the choice is taken; else the assert says what
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.getAttribute('aria-expanded') !== 'true'",
            timeout=5_000,
        )
    now = focused(page)
    assert now["value"] == option and now["expanded"] == "false", f"{combobox}: {option} not chosen: {now}"


def open_from_sidebar(page: Page, title: str) -> None:
    """Tab to the sidebar link ``title`` and follow it with Enter. On a phone the sidebar is
    closed (and out of the Tab order): Tab to *Expand sidebar* first, which puts the focus in the
    sidebar; after the choice the sidebar closes and the focus is in the page."""
    sidebar = page.get_by_test_id("stSidebar")
    phone = page.viewport_size["width"] <= 640
    if phone:
        expect(sidebar).to_have_attribute("data-collapsed", "true")
        page.wait_for_function(SIDEBAR_INERT, timeout=10_000)  # closed, out of the Tab order
        tab_to(page, named("Expand sidebar", tag="button"))
        page.keyboard.press("Enter")
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        page.wait_for_function("() => document.activeElement.closest('[data-testid=\"stSidebar\"]')")
    tab_to(page, named(title, tag="a", exact=True))
    press(page, "Enter")
    if phone:
        expect(sidebar).to_have_attribute("data-collapsed", "true")
        assert focused(page)["testid"] == "stMain", "after a choice the focus is in the page"


def sign_up(page: Page, base_url: str, login: str) -> None:
    open_page(page, f"{base_url}/account")
    tab_to(page, lambda f: f["role"] == "tab" and f["text"] == "Sign in")
    page.keyboard.press("ArrowRight")  # the tab list: arrows move between tabs
    now = focused(page)
    assert now["role"] == "tab" and now["text"] == "Create an account", now
    page.keyboard.press("Enter")
    for label, value in (
        ("Your name", "Kay Board"),
        ("Choose a login", login),
        ("Choose a password", "password123"),
        ("Repeat the password", "password123"),
    ):
        tab_to(page, named(label, tag="input", exact=True))
        page.keyboard.type(value)
    through_cookie_route(page, "/auth/session", lambda: page.keyboard.press("Enter"))  # Enter submits the form
    expect(page.get_by_role("heading", name="Welcome, Kay Board")).to_be_visible()


def read_lesson(page: Page) -> None:
    open_from_sidebar(page, LESSON)
    expect(page.get_by_role("heading", name=LESSON.split(". ", 1)[1], level=1)).to_be_visible()
    tab_to(page, named("Mark lesson as completed", tag="button"))  # the bottom of the lesson, through its links
    progress = page.get_by_role("progressbar", name="Reading progress")
    assert int(progress.get_attribute("aria-valuenow") or 0) > 50, "reaching the end by Tab scrolled the lesson"
    press(page, "Enter")
    expect(page.get_by_text("You have completed this lesson.")).to_be_visible()


def move_needle(page: Page) -> None:
    open_from_sidebar(page, "Needle simulator")
    tab_to(page, lambda f: f["role"] == "slider" and f["label"].startswith(NEEDLE))
    before = page.evaluate(_NEEDLE_WORDS)
    verdict_before = page.get_by_test_id("stAlert").first.inner_text()
    for key in ["ArrowUp"] * 3 + ["ArrowRight"] * 4:
        page.keyboard.press(key)
    moving = page.evaluate(_NEEDLE_WORDS)
    assert moving["value"] != before["value"], "the arrow keys moved the needle (aria-valuetext)"
    # once the keys pause, the placement is announced and sent to the server for a verdict
    page.wait_for_function(
        f"() => ({_NEEDLE_WORDS})().live === 'Needle at ' + {moving['value']!r} + '.'", timeout=10_000
    )
    wait_idle(page)
    expect(page.get_by_test_id("stAlert").first).not_to_have_text(verdict_before)
    assert focused(page)["role"] == "slider", "the drawing keeps the focus after the verdict comes back"


def take_quiz(page: Page) -> None:
    open_from_sidebar(page, "Quizzes")
    tab_to(page, lambda f: f["text"] == "Start" and "AppTest quiz" in f["block"])
    press(page, "Enter")
    expect(page.get_by_text("Which option is right?")).to_be_visible()
    choose(page, "Your answer (click a layer above, or choose it here)", "Papillary dermis")  # diagram
    tab_to(page, named("Right one", tag="input"))  # single choice: the first radio, then Space takes it
    press(page, "Space")
    assert focused(page)["checked"]
    tab_to(page, named("A-ok", tag="input"))  # multiple choice: Space ticks
    press(page, "Space")
    tab_to(page, named("C-ok", tag="input"))
    press(page, "Space")
    tab_to(page, named("True", tag="input", exact=True))  # true/false: the arrow moves to False and takes it
    press(page, "ArrowRight")
    now = focused(page)
    assert now["label"] == "False" and now["checked"], now
    tab_to(page, named("Your answer (mm)", tag="input"))  # numeric
    page.keyboard.type("0.86")
    press(page, "Enter")  # Enter keeps the typed number
    for position, item in enumerate(["first", "second", "third"], 1):  # ordering
        choose(page, f"Position {position}", item)
    choose(page, "Papule", "Junction")  # matching
    choose(page, "Nappage", "Superficial")
    page.keyboard.press("ArrowDown")  # the list again, to read the options whole; Escape closes it
    assert focused(page)["expanded"] == "true"
    press(page, "Escape")
    now = focused(page)
    assert now["value"] == "Superficial" and now["expanded"] == "false", f"Escape kept the answer: {now}"
    tab_to(page, named("Submit my answers", tag="button"))
    press(page, "Enter")
    expect(page.get_by_test_id("stMetric").filter(has_text="Score")).to_contain_text("8 / 8")
    expect(page.get_by_test_id("stMetric").filter(has_text="Percentage")).to_contain_text("100%")
    expect(page.get_by_text("Passed.")).to_be_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
@pytest.mark.usefixtures("every_type_bank")
def test_a_learner_can_do_everything_with_the_keyboard(
    server, browser: Browser, viewport: dict, tmp_path: Path
) -> None:
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        sign_up(page, server.base_url, f"keys{viewport['width']}")
        read_lesson(page)
        move_needle(page)
        take_quiz(page)
        assert_no_exception(page)
    except Exception:
        page.screenshot(path=str(tmp_path / "keyboard.png"), full_page=True)
        print(f"screenshot: {tmp_path / 'keyboard.png'}")
        raise
    finally:
        context.close()
