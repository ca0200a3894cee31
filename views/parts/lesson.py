"""A lesson page: objectives, the body with its figures, sources, disclaimer, completion."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from course.analytics.outline import lesson_quizzes, passed_quizzes
from course.content.bibliography import Reference, cited_keys, render_citations
from course.content.glossary import linked_blocks, linked_terms
from course.content.lessons import DISCLAIMER, KEY_POINTS_ANCHOR, key_points, lesson_sections, load_lesson
from course.content.models import CheckRef, FigureRef, Lesson
from course.content.problems import ContentError
from course.errors import MesoError
from course.store.tables import ATTEMPTS
from course.text import escape_markdown
from views.parts import state
from views.parts.figure_blocks import render_figure
from views.parts.glossary_popover import glossary_popovers
from views.parts.notices import show_exception
from views.parts.quiz_widgets import quiz_catalog
from views.parts.reading_progress import reading_progress
from views.parts.scroll import scroll_into_view
from views.parts.self_check import render_self_check


def render_lesson(lesson_id: str) -> None:
    """Render the lesson with this id, or explain why it cannot be shown."""
    catalog = state.catalog()
    found = catalog.find(lesson_id)
    if found is None:
        name = state.vanished_lessons(catalog).get(lesson_id, "its file")
        st.error(
            f"The lesson '{lesson_id}' is no longer available: {name} was moved, renamed or removed. "
            "The other lessons are unaffected."
        )
        return
    index, lesson = found
    lessons = catalog.lessons
    render_lesson_content(lesson, f"Lesson {index + 1} of {len(lessons)}", key_prefix=f"lesson:{lesson.id}")
    _completion(lesson)
    _prev_next(index, lessons)


def render_lesson_content(lesson: Lesson, position: str, key_prefix: str, keep_practice: bool = True) -> None:
    """What a learner reads: title, objectives, body with figures, self-checks and glossary
    links, sources.

    The lesson page and the tutor editor's live preview both call this, so the preview is
    exactly what learners will see. ``key_prefix`` keeps widget keys apart; the preview
    passes ``keep_practice=False`` so a tutor trying a self-check stores nothing.
    """
    st.title(lesson.title)
    st.caption(f"{position} · about {lesson.meta.duration_min} minutes")
    st.info(DISCLAIMER, icon=":material/school:")
    _review_callout(lesson)
    st.subheader("What you will learn", anchor="objectives")
    st.markdown("\n".join(f"- {objective.text}" for objective in lesson.meta.objectives))
    bibliography = state.references()
    points = key_points(lesson)
    if points is not None:  # the section the lesson ends with, shown once, in a box near the top
        with st.container(border=True, key="lesson-key-points"):
            st.subheader(points.heading, anchor=KEY_POINTS_ANCHOR)
            st.markdown(render_citations(points.markdown, bibliography))
    reading_progress()
    terms, _ = state.glossary()
    blocks = linked_blocks(lesson if points is None else points.rest, terms)
    for block in blocks:
        if isinstance(block, FigureRef):
            render_figure(block, key_prefix=key_prefix)
        elif isinstance(block, CheckRef):
            render_self_check(block, lesson, where=key_prefix, keep=keep_practice)
        else:
            st.markdown(render_citations(block, bibliography))
    glossary_popovers(linked_terms(blocks, terms), key=f"{key_prefix}:glossary")
    _sources(lesson)


def source_lines(lesson: Lesson) -> list[str]:
    """The lesson's source list as markdown lines: each cited work's citation (escaped, it
    is file text) with a link to its DOI or address and to its References entry."""
    bibliography = state.references()
    lines = []
    for number, key in enumerate(cited_keys(lesson), 1):
        reference = bibliography.get(key)
        if reference is None:
            lines.append(f"{number}. *{escape_markdown(key)}: not in the references file*")
            continue
        lines.append(f"{number}. {reference_markdown(reference)} · [entry](/references#{reference.anchor})")
    return lines


def reference_markdown(reference: Reference) -> str:
    """A reference's citation as markdown (escaped: it is file text), then its DOI or address
    as a link; the lesson page and the References page show a work the same way."""
    text = escape_markdown(reference.citation)
    if reference.link:
        shown = f"doi:{reference.doi}" if reference.doi else reference.link
        text += f" [{escape_markdown(shown)}](<{reference.link}>)"
    return text


def _sources(lesson: Lesson) -> None:
    st.subheader("Sources", anchor="sources")
    st.markdown("\n".join(source_lines(lesson)))
    if state.references().problems:
        st.caption("Some sources cannot be shown in full until the references file is fixed (see References).")


REVISE_KEY = "lesson-revise"
QUIZZES_PAGE = "views/pages/quizzes.py"


def _review_callout(lesson: Lesson) -> None:
    """When a quiz review links here with ``?section=...``, show that section first."""
    anchor = st.query_params.get("section")
    if not anchor:
        return
    section = lesson_sections(lesson).get(anchor)
    if section is None:
        return
    heading, text = section
    with st.container(border=True, key=REVISE_KEY):
        st.markdown(f"**Revise: {heading}**")
        st.markdown(text)
    scroll_into_view(REVISE_KEY, once_per=f"{lesson.id}#{anchor}")


def _completion(lesson: Lesson) -> None:
    account = state.current_user()
    st.divider()
    if account is None:
        st.caption("Sign in to keep track of the lessons you have completed.")
        return
    progress = state.lesson_progress()
    done = lesson.id in progress.completed(account.login)
    key = f"lesson:{lesson.id}:complete"
    if done:
        st.success("You have completed this lesson.", icon=":material/check_circle:")
        _quiz_step(lesson, account.login)
        if st.button("Mark as not completed", key=key):
            _set_complete(account.login, lesson.id, done=False)
    elif st.button("Mark lesson as completed", key=key, type="primary", icon=":material/check:"):
        _set_complete(account.login, lesson.id, done=True)


def _quiz_step(lesson: Lesson, learner: str) -> None:
    """After reading, the course's next step for this lesson: its quiz (or that it is passed)."""
    quiz = lesson_quizzes(quiz_catalog()).get(lesson.id)
    if quiz is None:
        return
    if quiz in passed_quizzes(state.store().read(ATTEMPTS).frame, learner):
        st.caption("You have also passed this lesson's quiz: both steps of the lesson are done.")
        return
    st.markdown("**Next step:** check yourself with this lesson's quiz.")
    st.page_link(
        QUIZZES_PAGE, label="Take the quiz for this lesson", icon=":material/quiz:", query_params={"quiz": quiz}
    )


def _set_complete(learner: str, lesson_id: str, done: bool) -> None:
    """Store the change and show it, or say why it could not be stored."""
    try:
        state.lesson_progress().set_complete(learner, lesson_id, done=done)
    except MesoError as exc:
        show_exception(exc)
        return
    st.rerun()


def _prev_next(index: int, lessons: tuple[Lesson, ...]) -> None:
    pages = st.session_state.get("_lesson_pages", {})
    left, right = st.columns(2)
    if index > 0 and lessons[index - 1].id in pages:
        left.page_link(
            pages[lessons[index - 1].id], label=f"Previous: {lessons[index - 1].title}", icon=":material/arrow_back:"
        )
    if index + 1 < len(lessons) and lessons[index + 1].id in pages:
        right.page_link(
            pages[lessons[index + 1].id], label=f"Next: {lessons[index + 1].title}", icon=":material/arrow_forward:"
        )


def render_broken_lesson(path: Path) -> None:
    """The page of a lesson file that failed validation: what is wrong and where."""
    st.title(path.name)
    try:
        load_lesson(path)
    except ContentError as exc:
        lines = "\n".join(f"- `{problem}`" for problem in exc.problems)
        st.error(f"This lesson cannot be shown until its file is fixed:\n\n{lines}", icon=":material/error:")
        st.caption(
            "Tutors: fix the file (or use the lesson editor), then reload this page. Every other lesson works as usual."
        )
        return
    st.info("This lesson has just been fixed: reload the page to read it.")
