"""Lessons and lesson progress in a real browser: sign up, read two lessons, mark one complete, reload, still ticked."""

from __future__ import annotations

from playwright.sync_api import expect

from course.content.lessons import load_catalog
from tests.browser.helpers import assert_no_exception, nav_link, open_page, sign_up, wait_idle


def nav_title(index: int) -> str:
    lesson = load_catalog().lessons[index]
    return f"{index + 1}. {lesson.title}"


def test_sign_up_read_two_lessons_complete_one_and_reload(server, browser_page) -> None:
    page = browser_page
    sign_up(page, server.base_url, "trainee1", "Tina Trainee")
    first, second = load_catalog().lessons[:2]

    nav_link(page, nav_title(0)).click()
    expect(page.get_by_role("heading", name=first.title)).to_be_visible()
    expect(page.get_by_text(first.meta.objectives[0].text)).to_be_visible()
    assert_no_exception(page)

    nav_link(page, nav_title(1)).click()
    expect(page.get_by_role("heading", name=second.title)).to_be_visible()
    page.get_by_role("button", name="Mark lesson as completed").click()
    expect(page.get_by_text("You have completed this lesson.")).to_be_visible()
    assert_no_exception(page)

    page.reload()
    wait_idle(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("Signed in as Tina Trainee")).to_be_visible()  # the cookie
    nav_link(page, nav_title(1)).click()
    expect(page.get_by_text("You have completed this lesson.")).to_be_visible()
    expect(nav_link(page, nav_title(1))).to_contain_text("check_circle")
    expect(nav_link(page, nav_title(0))).not_to_contain_text("check_circle")
    expect(page.get_by_text("Course progress: 1 of")).to_be_visible()


def test_lesson_url_opens_directly(server, browser_page) -> None:
    lesson = load_catalog().lessons[2]
    open_page(browser_page, server.url(lesson.url_path))
    expect(browser_page.get_by_role("heading", name=lesson.title)).to_be_visible()
    expect(browser_page.get_by_text("For education only.").first).to_be_visible()
    assert_no_exception(browser_page)
