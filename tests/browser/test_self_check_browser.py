"""A self-check in a real browser: sign up, open the techniques lesson, answer the gun-hygiene
self-check wrong then right; feedback and explanation show, and practice.csv (not
attempts.csv) keeps both answers."""

from __future__ import annotations

from playwright.sync_api import expect

from course.content.lessons import load_catalog
from course.quiz.banks import load_quizzes
from course.quiz.models import SingleQuestion
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, PRACTICE
from tests.browser.helpers import assert_no_exception, nav_link, question_box, sign_up, wait_idle


def test_answer_a_self_check_on_a_lesson_page(server, browser_page) -> None:
    page = browser_page
    question = load_quizzes().questions["tech-gun-hygiene"]
    assert isinstance(question, SingleQuestion)
    right = next(o for o in question.options if o.correct)
    wrong = next(o for o in question.options if not o.correct)
    lessons = load_catalog().lessons
    index, lesson = next((n, lesson) for n, lesson in enumerate(lessons) if lesson.id == "techniques")
    sign_up(page, server.base_url, "checker1", "Cleo Checker")
    nav_link(page, f"{index + 1}. {lesson.title}").click()
    expect(page.get_by_role("heading", name=lesson.title)).to_be_visible()

    box = question_box(page, question.prompt)
    box.scroll_into_view_if_needed()
    box.get_by_text(wrong.text, exact=True).click()
    box.get_by_role("button", name="Check my answer").click()
    wait_idle(page)
    expect(box.get_by_text("Not right.")).to_be_visible()
    expect(box.get_by_text(question.explanation[:60])).to_be_visible()

    box.get_by_text(right.text, exact=True).click()
    box.get_by_role("button", name="Check my answer").click()
    wait_idle(page)
    expect(box.get_by_text("Right.", exact=True)).to_be_visible()
    expect(box.get_by_text("Kept as practice")).to_be_visible()
    assert_no_exception(page)

    store = Store(server.data_dir)
    rows = store.read(PRACTICE).frame
    assert list(rows["correct"]) == ["false", "true"] and set(rows["learner"]) == {"checker1"}
    attempts = store.read(ATTEMPTS).frame  # the server is shared with other tests: look at this learner only
    assert attempts.empty or "checker1" not in set(attempts["learner"])
