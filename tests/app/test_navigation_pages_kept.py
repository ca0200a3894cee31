"""The navigation's pages are kept in the session between runs (views/parts/navigation.py) and
built again when what they show changes: a lesson read, a lesson's title edited, a lesson added."""

from __future__ import annotations

import re
from pathlib import Path

from course.content.lessons import load_catalog
from tests.helpers.apptest import open_url_path

LESSONS = load_catalog().lessons


def nav_page(at, lesson_id: str):
    return at.session_state["_lesson_pages"][lesson_id]


def test_reading_a_lesson_ticks_its_navigation_entry_on_the_next_run(app_test, make_account) -> None:
    make_account("ada")
    lesson = LESSONS[0]
    at = open_url_path(app_test(user="ada").run(), lesson.url_path)
    assert nav_page(at, lesson.id).icon == ":material/menu_book:"
    at.run()
    kept = nav_page(at, lesson.id)
    assert at.session_state["_lesson_pages"][LESSONS[1].id] is nav_page(at, LESSONS[1].id)
    at.button(key=f"lesson:{lesson.id}:complete").click().run()
    assert not at.exception
    at.run()
    assert nav_page(at, lesson.id).icon == ":material/check_circle:"
    assert nav_page(at, lesson.id) is not kept


def test_a_tutors_edits_show_in_the_navigation_on_the_next_run(app_test, content_dirs) -> None:
    lessons_dir, _ = content_dirs
    at = app_test().run()
    first = nav_page(at, LESSONS[0].id)
    at.run()
    assert nav_page(at, LESSONS[0].id) is first  # nothing changed: the same pages
    path: Path = lessons_dir / LESSONS[0].path.name
    path.write_text(path.read_text().replace(f"title: {LESSONS[0].title}\n", "title: A new title\n", 1))
    source = (
        (lessons_dir / LESSONS[-1].path.name).read_text().replace(f"id: {LESSONS[-1].id}\n", "id: extra-lesson\n", 1)
    )
    (lessons_dir / "99-extra-lesson.md").write_text(re.sub(r"^order: \d+$", "order: 99", source, count=1, flags=re.M))
    at.run()
    assert not at.exception
    assert nav_page(at, LESSONS[0].id).title == "1. A new title"
    assert nav_page(at, "extra-lesson").title == f"{len(LESSONS) + 1}. {LESSONS[-1].title}"
    at = open_url_path(at, "lesson-extra-lesson")
    assert not at.exception and at.title[0].value == LESSONS[-1].title
