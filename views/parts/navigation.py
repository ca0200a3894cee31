"""The page list: Course (home, one page per lesson, glossary, references), Practice, My progress, Tutor.

Lesson pages are generated from ``lessons/*.md``, so a new lesson file gets its page (at the
stable URL ``/lesson-<id>``) on the next run without touching code. A file that fails
validation still gets a page, which explains what is wrong with it.

The ``st.Page`` objects (about 30, each resolving and checking its script's path) are kept in
the session and built again only when what they show changes: the lessons (ids, titles, broken
and vanished files), which lessons this learner has read, and whether a tutor is signed in.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from course.content.lessons import lesson_id_of
from course.content.models import Catalog
from course.errors import MesoError
from views.parts import state
from views.parts.lesson import render_broken_lesson, render_lesson


def _lesson_page(lesson_id: str, title: str, done: bool, visibility: str = "visible") -> st.Page:
    def page() -> None:
        render_lesson(lesson_id)

    icon = ":material/check_circle:" if done else ":material/menu_book:"
    return st.Page(page, title=title, url_path=f"lesson-{lesson_id}", icon=icon, visibility=visibility)


def _broken_page(path: Path) -> st.Page:
    slug = lesson_id_of(path) or re.sub(r"[^a-z0-9-]+", "-", path.stem.lower()).strip("-") or "broken"

    def page() -> None:
        render_broken_lesson(path)

    return st.Page(page, title=f"{path.name} (needs fixing)", url_path=f"lesson-{slug}", icon=":material/error:")


PAGES_KEY = "_navigation_pages"  # session state: (what the pages depend on, sections, lesson pages)


def lesson_pages(
    catalog: Catalog, done: frozenset[str], vanished: dict[str, str]
) -> tuple[list[st.Page], dict[str, st.Page]]:
    """One page per valid lesson (in course order), then one per vanished and per broken file;
    and the valid lessons' pages by lesson id."""
    pages = [
        _lesson_page(lesson.id, f"{i}. {lesson.title}", lesson.id in done)
        for i, lesson in enumerate(catalog.lessons, 1)
    ]
    by_id = {lesson.id: page for lesson, page in zip(catalog.lessons, pages, strict=True)}
    taken = {f"lesson-{lesson.id}" for lesson in catalog.lessons}
    for lesson_id in vanished:
        page = _lesson_page(lesson_id, lesson_id, done=False, visibility="hidden")
        taken.add(page.url_path)
        pages.append(page)
    for path in catalog.broken:
        page = _broken_page(path)
        if page.url_path not in taken:
            taken.add(page.url_path)
            pages.append(page)
    return pages, by_id


def build_navigation() -> st.Page:
    """Run the navigation over the sections (:func:`sections`), kept in the session while the
    lessons, this learner's read lessons and the tutor flag are what they were."""
    account = state.current_user()
    is_tutor = bool(account and account.is_tutor)
    catalog = state.catalog()
    done: frozenset[str] = frozenset()
    if account is not None:
        with contextlib.suppress(MesoError):  # the store cannot be read right now: no ticks, then
            done = state.lesson_progress().completed(account.login)
    vanished = state.vanished_lessons(catalog)
    ctx = get_script_run_ctx()
    depends = (
        is_tutor,
        frozenset(done),
        tuple((lesson.id, lesson.title) for lesson in catalog.lessons),
        tuple(sorted(vanished.items())),
        tuple(catalog.broken),
        str(ctx.pages_manager.main_script_parent) if ctx else "",
    )
    held = st.session_state.get(PAGES_KEY)
    if held is None or held[0] != depends:
        held = (depends, *sections(is_tutor, catalog, done, vanished))
        st.session_state[PAGES_KEY] = held
    _, built, by_id = held
    # lesson pages link to their neighbours with st.page_link, which needs the Page objects
    st.session_state["_lesson_pages"] = by_id
    page = st.navigation(built, expanded=True)
    st.session_state[state.PAGE_KEY] = page.url_path  # where a sign-in started here comes back to
    return page


def sections(
    is_tutor: bool, catalog: Catalog, done: frozenset[str], vanished: dict[str, str]
) -> tuple[dict[str, list[st.Page]], dict[str, st.Page]]:
    """The sections, and the lesson pages by id; tutor pages are always routable (so a learner
    who opens one directly gets a refusal from the page) but listed only for tutors."""
    lessons, by_id = lesson_pages(catalog, done, vanished)
    visibility = "visible" if is_tutor else "hidden"
    tutor_pages = [
        st.Page(
            "views/pages/tutor_editor.py",
            title="Lesson editor",
            icon=":material/edit_note:",
            url_path="tutor-editor",
            visibility=visibility,
        ),
        st.Page(
            "views/pages/tutor_results.py",
            title="Results",
            icon=":material/monitoring:",
            url_path="tutor-results",
            visibility=visibility,
        ),
        st.Page(
            "views/pages/tutor_certificates.py",
            title="Certificates",
            icon=":material/workspace_premium:",
            url_path="tutor-certificates",
            visibility=visibility,
        ),
        st.Page(
            "views/pages/tutor_exports.py",
            title="Exports",
            icon=":material/ios_share:",
            url_path="tutor-exports",
            visibility=visibility,
        ),
    ]
    me_pages = [
        st.Page("views/pages/my_progress.py", title="My progress", icon=":material/insights:", url_path="progress"),
        st.Page("views/pages/account.py", title="Account", icon=":material/person:", url_path="account"),
    ]
    listed = {
        "Course": [
            st.Page("views/pages/home.py", title="Home", icon=":material/home:", default=True),
            *lessons,
            st.Page("views/pages/glossary.py", title="Glossary", icon=":material/dictionary:", url_path="glossary"),
            st.Page(
                "views/pages/references.py", title="References", icon=":material/library_books:", url_path="references"
            ),
        ],
        "Practice": [
            st.Page("views/pages/quizzes.py", title="Quizzes", icon=":material/quiz:", url_path="quizzes"),
            st.Page(
                "views/pages/simulator.py", title="Needle simulator", icon=":material/vaccines:", url_path="simulator"
            ),
            st.Page(
                "views/pages/cases.py", title="Clinical cases", icon=":material/personal_injury:", url_path="cases"
            ),
            st.Page("views/pages/review.py", title="Review", icon=":material/event_repeat:", url_path="review"),
        ],
        "My progress": me_pages if is_tutor else me_pages + tutor_pages,
    }
    if is_tutor:
        listed["Tutor"] = tutor_pages
    return listed, by_id
