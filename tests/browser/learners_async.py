"""The browser steps of tests/browser/helpers.py for Playwright's async API, so that many learners
can drive one Chromium at the same time (one context each) from a single event loop."""

from __future__ import annotations

import asyncio

from playwright.async_api import BrowserContext, Page, Response, expect

from tests.browser.helpers import APP

SUBMIT = "Submit my answers"
SCORE = "5 / 8"  # single 1 + multiple 2 + true/false 1 + numeric 1; ordering, matching, diagram left blank


async def wait_idle(page: Page, timeout: float = 30_000) -> None:
    await page.wait_for_selector(f'{APP}[data-test-connection-state="CONNECTED"]', timeout=timeout)
    await page.wait_for_function(
        """() => { const app = document.querySelector('[data-testid="stApp"]');
                   return app && app.getAttribute('data-test-script-state') !== 'running'; }""",
        timeout=timeout,
    )


async def open_page(page: Page, url: str) -> None:
    await page.goto(url)
    await wait_idle(page)


async def sign_up(page: Page, base_url: str, login: str, name: str, password: str = "password123") -> None:
    """Create an account on the Account page and come back signed in (through the cookie route)."""
    await open_page(page, f"{base_url}/account")
    await page.get_by_role("tab", name="Create an account").click()
    await page.get_by_role("textbox", name="Your name").fill(name)
    await page.get_by_role("textbox", name="Choose a login").fill(login)
    await page.get_by_role("textbox", name="Choose a password").fill(password)
    await page.get_by_role("textbox", name="Repeat the password").fill(password)

    def landed(response: Response) -> bool:
        source = response.request.redirected_from
        return response.request.resource_type == "document" and source is not None and "/auth/session" in source.url

    async with page.expect_response(landed, timeout=30_000):
        await page.get_by_role("button", name="Create my account").click()
    await page.wait_for_load_state("load")
    await wait_idle(page)
    await expect(page.get_by_role("heading", name=f"Welcome, {name}")).to_be_visible()


def question_box(page: Page, prompt: str):
    return page.get_by_test_id("stVerticalBlock").filter(has_text=prompt).last


async def answer_basics(page: Page) -> None:
    """The single, true/false, numeric and multiple questions of the test bank, answered right."""
    await question_box(page, "Which option is right?").get_by_text("Right one").click()
    await question_box(page, "This statement is false.").get_by_text("False", exact=True).click()
    await page.get_by_label("Your answer (mm)").fill("0.9")
    await page.get_by_label("Your answer (mm)").press("Enter")
    await page.get_by_test_id("stCheckbox").get_by_text("A-ok", exact=True).click()
    await page.get_by_test_id("stCheckbox").get_by_text("C-ok", exact=True).click()
    await wait_idle(page)


async def start_test_quiz(page: Page, base_url: str) -> None:
    """Open the test bank's card on the Quizzes page and start an attempt."""
    await open_page(page, f"{base_url}/quizzes?quiz=apptest")
    await page.get_by_role("button", name="Start").or_(page.get_by_role("button", name="Take again")).click()
    await expect(page.get_by_text("Question 1", exact=False).first).to_be_visible()
    await expect(page.get_by_test_id("stSidebar").get_by_text("Signed in as")).to_be_visible()
    await wait_idle(page)


async def submit_when_told(page: Page, go: asyncio.Event) -> None:
    """Wait for the signal, then press Submit and see the result."""
    await go.wait()
    await page.get_by_role("button", name=SUBMIT).click()
    await expect(page.get_by_test_id("stMetricValue").first).to_have_text(SCORE, timeout=60_000)
    await expect(page.get_by_test_id("stException")).to_have_count(0)


async def new_learner_page(context: BrowserContext) -> Page:
    context.set_default_timeout(30_000)
    return await context.new_page()
