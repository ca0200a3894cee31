"""Sessions in a real browser: signed in across reloads and new tabs through the HttpOnly cookie,
answers kept across a reload, sign-out reaching every tab, a forged cookie refused, a tutor page
opened by its URL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from course.accounts.accounts import Accounts, Role
from course.accounts.sessions import COOKIE_NAME
from course.content.lessons import load_catalog
from course.store.csvstore import Store
from course.store.tables import HANDOFFS, SESSIONS
from tests.browser.helpers import (
    assert_no_exception,
    nav_link,
    open_page,
    question_box,
    sign_in,
    sign_out,
    through_cookie_route,
    wait_idle,
)
from tests.helpers.apptest import QUIZ, write_bank


@pytest.fixture
def learner(server) -> str:
    """A learner account of its own for each test (the server and its data folder are shared)."""
    login = f"sess-{len(Accounts(Store(server.data_dir)).all())}"
    Accounts(Store(server.data_dir)).create(login, "Sam Session", "password123")
    return login


@pytest.fixture
def own_bank(server) -> Iterator[None]:
    write_bank(Path(server.quizzes_dir))
    yield
    (Path(server.quizzes_dir) / f"{QUIZ}.yaml").unlink(missing_ok=True)


def sidebar(page: Page):
    return page.get_by_test_id("stSidebar")


def session_cookie(context: BrowserContext) -> dict:
    (cookie,) = [c for c in context.cookies() if c["name"] == COOKIE_NAME]
    return cookie


def history_urls(context: BrowserContext, page: Page) -> list[str]:
    """Every address in the tab's back/forward history (through the DevTools protocol)."""
    cdp = context.new_cdp_session(page)
    return [entry["url"] for entry in cdp.send("Page.getNavigationHistory")["entries"]]


def test_signed_in_across_a_reload_and_the_token_stays_out_of_reach(
    server, browser_context: BrowserContext, learner: str
) -> None:
    page = browser_context.new_page()
    open_page(page, server.url("account"))
    sign_in(page, server.base_url, learner)
    cookie = session_cookie(browser_context)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert not cookie["secure"]  # plain http here; Secure when served over https
    token = cookie["value"]
    assert len(token) == 43
    assert token not in page.evaluate("document.cookie")  # HttpOnly: scripts cannot read it
    assert token not in page.content()
    urls = history_urls(browser_context, page)
    assert not [u for u in urls if token in u or "code=" in u or "password" in u], urls
    assert page.url == server.url("account")  # the 303 left a clean address
    # the store holds only the token's hash
    stored = (server.data_dir / SESSIONS.name).read_text() + (server.data_dir / HANDOFFS.name).read_text()
    assert token not in stored

    page.reload()
    wait_idle(page)
    expect(page.get_by_text("You are signed in as")).to_be_visible()
    expect(sidebar(page).get_by_text("Signed in as Sam Session")).to_be_visible()
    assert token not in page.content()
    assert_no_exception(page)


def test_a_glossary_term_opens_the_glossary_in_the_same_tab_signed_in(
    server, browser_context: BrowserContext, learner: str
) -> None:
    """A term's definition opens in place; its *Open in the glossary* link stays in this tab."""
    page = browser_context.new_page()
    sign_in(page, server.base_url, learner)
    lesson = load_catalog(Path(server.lessons_dir)).lessons[1]
    open_page(page, server.url(lesson.url_path))
    term = page.locator('[data-testid="stMain"] a[href*="glossary#"][aria-haspopup="dialog"]').first
    expect(term).to_be_attached()
    term.scroll_into_view_if_needed()
    term.click()
    panel = page.get_by_role("dialog", name=re.compile("^Definition: "))
    expect(panel).to_be_visible()
    panel.get_by_role("link", name=re.compile("in the glossary$")).click()
    page.wait_for_url(re.compile(r"/glossary#"))
    wait_idle(page)
    assert len(browser_context.pages) == 1  # no new tab
    expect(page.get_by_role("heading", name="Glossary").first).to_be_visible()
    expect(sidebar(page).get_by_text("Signed in as Sam Session")).to_be_visible()
    assert_no_exception(page)


def test_three_answers_survive_a_reload(server, browser_context: BrowserContext, learner: str, own_bank) -> None:
    page = browser_context.new_page()
    sign_in(page, server.base_url, learner)
    nav_link(page, "Quizzes").click()
    card = page.get_by_test_id("stVerticalBlock").filter(has=page.get_by_role("heading", name="AppTest quiz")).last
    card.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Question 1")).to_be_visible()
    question_box(page, "Which option is right?").get_by_text("Right one").click()
    wait_idle(page)
    question_box(page, "This statement is false.").get_by_text("False", exact=True).click()
    wait_idle(page)
    numeric = page.get_by_label("Your answer (mm)")
    numeric.fill("0.9")
    numeric.press("Enter")
    wait_idle(page)
    assert "quiz=apptest" in page.url

    page.reload()
    wait_idle(page)
    expect(page.get_by_text("Your 3 answers given so far are back")).to_be_visible()
    expect(question_box(page, "Which option is right?").get_by_role("radio", name="Right one")).to_be_checked()
    expect(question_box(page, "This statement is false.").get_by_role("radio", name="False")).to_be_checked()
    expect(page.get_by_label("Your answer (mm)")).to_have_value("0.9")
    expect(question_box(page, "Which option is right?").get_by_role("radio", name="Wrong one")).not_to_be_checked()
    assert_no_exception(page)


def test_signing_out_in_one_tab_signs_the_other_out_on_its_next_action(
    server, browser_context: BrowserContext, learner: str
) -> None:
    first = browser_context.new_page()
    sign_in(first, server.base_url, learner)
    second = browser_context.new_page()
    open_page(second, server.url("glossary"))
    expect(sidebar(second).get_by_text("Signed in as Sam Session")).to_be_visible()

    sign_out(first)
    expect(sidebar(first).get_by_text("Not signed in")).to_be_visible()
    assert not [c for c in browser_context.cookies() if c["name"] == COOKIE_NAME]  # the cookie is cleared

    nav_link(second, "My progress").click()  # the other tab's next action, on its open connection
    wait_idle(second)
    expect(sidebar(second).get_by_text("Not signed in")).to_be_visible()
    expect(second.get_by_text("Please sign in (or create a free account)")).to_be_visible()
    assert_no_exception(second)


def test_sign_out_everywhere_ends_the_sessions_of_other_browsers(server, browser, learner: str) -> None:
    phone, laptop = browser.new_context(), browser.new_context()
    try:
        on_phone, on_laptop = phone.new_page(), laptop.new_page()
        sign_in(on_phone, server.base_url, learner)
        sign_in(on_laptop, server.base_url, learner)
        expect(on_laptop.get_by_text("You are signed in on 2 browsers or devices.")).to_be_visible()
        sign_out(on_laptop, where="everywhere")
        on_phone.reload()
        wait_idle(on_phone)
        expect(sidebar(on_phone).get_by_text("Not signed in")).to_be_visible()
        expect(sidebar(on_phone).get_by_text("You were signed out (here or on another device)")).to_be_visible()
    finally:
        phone.close()
        laptop.close()


def test_a_cookie_edited_by_hand_is_refused(server, browser_context: BrowserContext, learner: str) -> None:
    page = browser_context.new_page()
    sign_in(page, server.base_url, learner)
    cookie = session_cookie(browser_context)
    flipped = ("B" if cookie["value"][0] == "A" else "A") + cookie["value"][1:]
    for forged, note in ((flipped, "was not recognised"), ("admin", "cookie was not valid")):
        browser_context.add_cookies([{**cookie, "value": forged}])
        page.reload()
        wait_idle(page)
        expect(sidebar(page).get_by_text("Not signed in")).to_be_visible()
        expect(sidebar(page).get_by_text(note)).to_be_visible()
        expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
        assert_no_exception(page)


def test_after_signing_in_the_learner_is_back_on_the_page(
    server, browser_context: BrowserContext, learner: str
) -> None:
    page = browser_context.new_page()
    open_page(page, server.url("progress"))
    expect(page.get_by_text("Please sign in (or create a free account)")).to_be_visible()
    page.get_by_test_id("stMain").get_by_role("link", name="Sign in or create an account").click()
    page.wait_for_url(re.compile(r"next=progress"))  # the click's navigation can start after an idle check
    wait_idle(page)
    page.get_by_role("textbox", name="Login", exact=True).fill(learner)
    page.get_by_role("textbox", name="Password", exact=True).fill("password123")
    through_cookie_route(page, "/auth/session", page.get_by_role("button", name="Sign in", exact=True).click)
    page.wait_for_url(server.url("progress"))  # a clean address: no code, no next
    expect(page.get_by_role("heading", name="My progress", exact=True)).to_be_visible()


def test_a_forged_or_replayed_hand_off_is_refused(server, browser_context: BrowserContext) -> None:
    page = browser_context.new_page()
    open_page(page, server.url("auth/session?code=" + "0" * 64))
    expect(page.get_by_text("That sign-in link could not be used")).to_be_visible()
    assert not [c for c in browser_context.cookies() if c["name"] == COOKIE_NAME]


def test_a_tutor_opens_the_editor_by_its_url(server, browser_context: BrowserContext) -> None:
    Accounts(Store(server.data_dir)).create("sess-tutor", "Tess Session", "password123", Role.TUTOR)
    page = browser_context.new_page()
    sign_in(page, server.base_url, "sess-tutor")
    tab = browser_context.new_page()
    open_page(tab, server.url("tutor-editor"))
    expect(tab.get_by_role("heading", name="Lesson editor", exact=True)).to_be_visible()
    expect(tab.get_by_text("for tutors only")).to_have_count(0)
    assert_no_exception(tab)
