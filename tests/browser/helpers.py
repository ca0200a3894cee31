"""Helpers for driving the Streamlit app in Chromium without fixed sleeps."""

from __future__ import annotations

from playwright.sync_api import Page, expect

APP = '[data-testid="stApp"]'


def wait_idle(page: Page, timeout: float = 30_000) -> None:
    """Wait until the app is connected and the script is not running."""
    page.wait_for_selector(f'{APP}[data-test-connection-state="CONNECTED"]', timeout=timeout)
    page.wait_for_function(
        """() => { const app = document.querySelector('[data-testid="stApp"]');
                   return app && app.getAttribute('data-test-script-state') !== 'running'; }""",
        timeout=timeout,
    )


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def assert_no_exception(page: Page) -> None:
    """No Streamlit exception box anywhere on the page."""
    expect(page.get_by_test_id("stException")).to_have_count(0)


def sign_up(page: Page, base_url: str, login: str, name: str, password: str = "password123") -> None:
    open_page(page, f"{base_url}/account")
    page.get_by_role("tab", name="Create an account").click()
    page.get_by_role("textbox", name="Your name").fill(name)
    page.get_by_role("textbox", name="Choose a login").fill(login)
    page.get_by_role("textbox", name="Choose a password").fill(password)
    page.get_by_role("textbox", name="Repeat the password").fill(password)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text(f"You are signed in as {name}")).to_be_visible()


def sign_in(page: Page, base_url: str, login: str, password: str = "password123") -> None:
    open_page(page, f"{base_url}/account")
    page.get_by_role("textbox", name="Login", exact=True).fill(login)
    page.get_by_role("textbox", name="Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("You are signed in as")).to_be_visible()


def nav_link(page: Page, name: str):
    """A sidebar navigation link by its visible title."""
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=name)


# --- shared steps of the simulator and quiz tests ---------------------------------------------

ANGLE_INPUT = "Needle angle to the skin (°) (type a value)"


def verdict(page: Page, text: str):
    """The verdict box holding ``text`` (the same words also appear in the figure's text description)."""
    return page.get_by_test_id("stAlert").filter(has_text=text)


def flatten_needle_to_on_target(page: Page) -> None:
    """Type a 1° angle: the default 4 mm needle then stays in the forehead's epidermis."""
    angle = page.get_by_role("spinbutton", name=ANGLE_INPUT)
    angle.fill("1")
    angle.press("Enter")
    wait_idle(page)
    expect(verdict(page, "On target — you are in the epidermis.")).to_be_visible()
    expect(verdict(page, "Too deep")).to_have_count(0)


def question_box(page: Page, prompt: str):
    """The bordered container of the quiz question whose prompt contains ``prompt``."""
    return page.get_by_test_id("stVerticalBlock").filter(has_text=prompt).last


def answer_fixture_quiz_basics(page: Page) -> None:
    """Answer the fixture bank's single, true/false, numeric and multiple questions right."""
    question_box(page, "Which option is right?").get_by_text("Right one").click()
    question_box(page, "This statement is false.").get_by_text("False", exact=True).click()
    page.get_by_label("Your answer (mm)").fill("0.9")
    page.get_by_test_id("stCheckbox").get_by_text("A-ok", exact=True).click()
    page.get_by_test_id("stCheckbox").get_by_text("C-ok", exact=True).click()
