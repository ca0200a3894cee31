"""A learner changes their name and password in a real browser, stays signed in on it (a fresh
session cookie), and the old password no longer works; at desktop and phone width."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.helpers import assert_no_exception, open_page, sign_up, wait_idle
from tests.browser.server import DESKTOP, PHONE


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_learner_changes_name_and_password_and_stays_signed_in(
    server, browser: Browser, viewport: dict, tmp_path: Path
) -> None:
    login = f"change{viewport['width']}"
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        sign_up(page, server.base_url, login, "Pat Before")
        open_page(page, f"{server.base_url}/account")
        page.get_by_text("Change your name").click()
        name = page.get_by_role("textbox", name="Your name")
        name.fill("Pat After")
        page.get_by_role("button", name="Save my name").click()
        wait_idle(page)
        expect(page.get_by_text("Your name is now Pat After.")).to_be_visible()

        page.get_by_text("Change your password").click()
        page.get_by_role("textbox", name="Current password").fill("password123")
        page.get_by_role("textbox", name="New password", exact=True).fill("another-pass-9")
        page.get_by_role("textbox", name="Repeat the new password").fill("another-pass-9")
        page.get_by_role("button", name="Change my password").click()
        expect(page.get_by_text("Your password is changed.")).to_be_visible()
        page.screenshot(path=str(tmp_path / f"account-change-{viewport['width']}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

        page.reload()  # the cookie route gave this browser a fresh session: still signed in
        wait_idle(page)
        expect(page.get_by_text("You are signed in as Pat After")).to_be_visible()
        assert_no_exception(page)

        other = context.browser.new_context(viewport=viewport) if context.browser else None
        assert other is not None
        try:
            fresh = other.new_page()
            open_page(fresh, f"{server.base_url}/account")
            fresh.get_by_role("textbox", name="Login").fill(login)
            fresh.get_by_role("textbox", name="Password").fill("password123")
            fresh.get_by_role("button", name="Sign in").click()
            expect(fresh.get_by_text("Wrong login or password.")).to_be_visible()
        finally:
            other.close()
    finally:
        context.close()
