"""AppTest over the Course section: home, every lesson page, the glossary, broken content."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course.accounts.progress import LessonProgress
from course.content.bibliography import load_references
from course.content.glossary import load_glossary, plain_definition
from course.content.lessons import DISCLAIMER, load_catalog
from course.store.csvstore import Store
from course.text import escape_markdown
from tests.helpers.apptest import open_url_path

LESSONS = load_catalog().lessons
REFERENCES = load_references()


def all_text(at) -> str:
    kinds = ("title", "markdown", "caption", "info", "subheader", "error", "success")
    parts = [e.value for kind in kinds for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def lesson_links(at) -> list[str]:
    """The labels of the home page's lesson links (the sidebar's navigation left out)."""
    return [link.value for link in at.main.get("page_link") if link.value[:1].isdigit()]


def test_home_lists_every_lesson_in_course_order(app_test) -> None:
    at = app_test().run()
    assert not at.exception
    assert at.title[0].value == "Meso Academy"
    assert DISCLAIMER in [i.value for i in at.info]
    expected = [f"{n}. {lesson.title} · {lesson.meta.duration_min} min" for n, lesson in enumerate(LESSONS, 1)]
    assert expected and lesson_links(at) == expected
    # course order is the lessons' ``order`` field, which the numbered file names follow
    assert [lesson.path.name for lesson in LESSONS] == sorted(lesson.path.name for lesson in LESSONS)


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_every_lesson_page_shows_title_objectives_sources_disclaimer(app_test, lesson) -> None:
    at = open_url_path(app_test().run(), lesson.url_path)
    assert not at.exception, at.exception
    assert at.title[0].value == lesson.title
    text = all_text(at)
    assert DISCLAIMER in text
    for objective in lesson.meta.objectives:
        assert objective.text in text
    for key in lesson.meta.sources:
        assert escape_markdown(REFERENCES[key].citation) in text
    assert [s.value for s in at.subheader][-1] == "Sources"


def test_marking_a_lesson_complete_is_stored_and_ticked(app_test, make_account, data_dir: Path) -> None:
    make_account("ada")
    lesson = LESSONS[0]
    at = open_url_path(app_test(user="ada").run(), lesson.url_path)
    at.button(key=f"lesson:{lesson.id}:complete").click().run()
    assert not at.exception
    assert LessonProgress(Store(data_dir)).completed("ada") == {lesson.id}
    assert any("completed this lesson" in s.value for s in at.success)
    # the lesson leads on to its own quiz, the next step of the course
    (quiz_link,) = [link for link in at.main.get("page_link") if link.value == "Take the quiz for this lesson"]
    assert quiz_link.proto.page.endswith("quizzes") and "quiz=" in quiz_link.proto.query_string
    at.switch_page("views/pages/home.py").run()
    assert any(f"1 of {len(LESSONS)} lessons" in str(p.proto) for p in at.get("progress"))
    ticks = [link.proto.icon for link in at.main.get("page_link") if link.value[:1].isdigit()]
    # read, its quiz still to pass: the outline and the next step say so
    assert ticks == [":material/quiz:"] + [":material/radio_button_unchecked:"] * (len(LESSONS) - 1)
    links = {link.value: link for link in at.main.get("page_link")}
    assert "Take the quiz for lesson 1" in links
    assert "Read · quiz to pass" in all_text(at)


def test_a_passed_quiz_on_an_unread_lesson_shows_as_half_done(app_test, make_account, data_dir: Path) -> None:
    from course.store.tables import ATTEMPTS
    from tests.helpers.results import attempt_row

    make_account("ada")
    Store(data_dir).append(
        ATTEMPTS, [attempt_row("a1", "ada", LESSONS[1].id, "2026-11-01", score=9, top=10, passed=True)]
    )
    at = app_test(user="ada").run()
    assert not at.exception
    ticks = [link.proto.icon for link in at.main.get("page_link") if link.value[:1].isdigit()]
    assert ticks[:2] == [":material/radio_button_unchecked:", ":material/incomplete_circle:"]
    assert "Quiz passed · not yet marked read" in all_text(at)


def test_home_continues_at_the_first_step_left_and_ends_with_the_final_exam(
    app_test, make_account, data_dir: Path
) -> None:
    from course.store.tables import ATTEMPTS
    from tests.helpers.results import attempt_row

    make_account("ada")
    store = Store(data_dir)
    progress = LessonProgress(store)
    progress.set_complete("ada", LESSONS[0].id, done=True)
    store.append(ATTEMPTS, [attempt_row("a1", "ada", LESSONS[0].id, "2026-11-01", score=9, top=10, passed=True)])
    at = app_test(user="ada").run()
    assert not at.exception
    text = all_text(at)
    assert f"read lesson 2, *{escape_markdown(LESSONS[1].title)}*" in text
    assert "Open lesson 2" in [link.value for link in at.main.get("page_link")]
    ticks = [link.proto.icon for link in at.main.get("page_link") if link.value[:1].isdigit()]
    assert ticks[0] == ":material/check_circle:" and ticks[1] == ":material/radio_button_unchecked:"
    rows = []
    for number, lesson in enumerate(LESSONS):
        progress.set_complete("ada", lesson.id, done=True)
        rows.append(attempt_row(f"b{number}", "ada", lesson.id, "2026-11-02", score=9, top=10, passed=True))
    store.append(ATTEMPTS, rows)
    at = app_test(user="ada").run()
    assert "passed every lesson quiz" in all_text(at)
    [final] = [link for link in at.main.get("page_link") if link.value == "Take the final exam"]
    assert "quiz=final-exam" in str(final.proto)


def test_signed_out_learner_is_invited_to_sign_in(app_test) -> None:
    at = open_url_path(app_test().run(), LESSONS[0].url_path)
    assert any("Sign in to keep track" in c.value for c in at.caption)


def test_review_link_shows_the_section(app_test) -> None:
    from course.content.lessons import lesson_sections

    lesson = next(lesson for lesson in LESSONS if lesson_sections(lesson))
    anchor, (heading, _) = next(iter(lesson_sections(lesson).items()))
    at = app_test()
    at.query_params["section"] = anchor
    at = open_url_path(at.run(), lesson.url_path)
    assert any(f"Revise: {heading}" in m.value for m in at.markdown)


def test_broken_lesson_gets_its_own_error_page_and_others_work(app_test, content_dirs) -> None:
    lessons_dir, _ = content_dirs
    (lessons_dir / "99-broken.md").write_text("---\nid: broken\ntitle: [oops\n---\nBody\n")
    at = app_test().run()
    assert not at.exception
    assert any("99-broken.md" in w.value for w in at.warning)
    at = open_url_path(at, "lesson-broken")
    [error] = at.error
    assert "99-broken.md:3" in error.value and "invalid YAML" in error.value
    at = open_url_path(at, LESSONS[0].url_path)
    assert at.title[0].value == LESSONS[0].title and not at.error


def test_lesson_file_removed_while_running(app_test, content_dirs) -> None:
    lessons_dir, _ = content_dirs
    lesson = LESSONS[-1]
    at = open_url_path(app_test().run(), lesson.url_path)
    assert at.title[0].value == lesson.title
    (lessons_dir / lesson.path.name).unlink()
    at.run()
    assert not at.exception
    assert at.error and "no longer available" in at.error[0].value


def test_glossary_lists_and_filters_terms(app_test) -> None:
    at = app_test().run()
    at.switch_page("views/pages/glossary.py").run()
    assert at.title[0].value == "Glossary"
    total = len(at.subheader)
    assert total >= 30
    at.text_input(key="glossary:query").input("dermis").run()
    assert 0 < len(at.subheader) < total
    assert all("dermis" in s.value.lower() or "Also" in str(at.caption) for s in at.subheader)


def test_a_lesson_sends_the_definitions_of_the_terms_it_links_as_text(app_test) -> None:
    lesson = LESSONS[2]
    at = open_url_path(app_test().run(), lesson.url_path)
    [mounted] = [el for el in at.get("bidi_component") if el.key.endswith(":glossary")]
    sent = json.loads(mounted.proto.json)["terms"]
    linked = set(re.findall(r"\]\(/glossary#([\w-]+)\)", "\n".join(m.value for m in at.markdown)))
    assert sent and set(sent) == linked  # only the terms this lesson links
    terms = {term.anchor: term for term in load_glossary()}
    for anchor, entry in sent.items():
        assert entry == {"term": terms[anchor].term, "definition": plain_definition(terms[anchor])}
