"""Lesson editing in real browsers: a tutor retitles a lesson; a learner sees it after a reload."""

from __future__ import annotations

from playwright.sync_api import expect

from course.accounts.accounts import Accounts, Role
from course.store.csvstore import Store
from tests.browser.helpers import assert_no_exception, nav_link, open_page, sign_in, wait_idle

FILE = "01-what-is-mesotherapy.md"
URL = "lesson-what-is-mesotherapy"
OLD_TITLE = "What mesotherapy is"
NEW_TITLE = "What mesotherapy is, edited in the browser"


def test_tutor_saves_a_new_title_and_a_learner_sees_it_after_reload(server, browser) -> None:
    Accounts(Store(server.data_dir)).create("tutor-bt", "Browser Tutor", "password123", Role.TUTOR)
    path = server.lessons_dir / FILE
    original = path.read_text(encoding="utf-8")
    tutor_context = browser.new_context(viewport={"width": 1280, "height": 900})
    learner_context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        learner = learner_context.new_page()
        open_page(learner, server.url(URL))
        expect(learner.get_by_role("heading", name=OLD_TITLE, exact=True)).to_be_visible()

        tutor = tutor_context.new_page()
        sign_in(tutor, server.base_url, "tutor-bt")
        nav_link(tutor, "Lesson editor").click()
        wait_idle(tutor)
        area = tutor.get_by_label("Lesson markdown")
        expect(area).to_have_value(original)
        area.fill(original.replace(f"title: {OLD_TITLE}\n", f"title: {NEW_TITLE}\n"))
        area.press("Control+Enter")  # commit the text area's value
        wait_idle(tutor)
        preview = tutor.locator(".st-key-editor-preview")
        expect(preview.get_by_role("heading", name=NEW_TITLE)).to_be_visible()
        tutor.get_by_role("button", name="Save").click()
        expect(tutor.get_by_text("Learners see the change on their next page load")).to_be_visible()
        assert_no_exception(tutor)
        assert f"title: {NEW_TITLE}\n" in path.read_text(encoding="utf-8")

        learner.reload()
        wait_idle(learner)
        expect(learner.get_by_role("heading", name=NEW_TITLE)).to_be_visible()
        assert_no_exception(learner)
    finally:
        tutor_context.close()
        learner_context.close()
        path.write_text(original, encoding="utf-8")  # the server is shared by other browser tests
