"""Lesson editor (tutors only): edit a lesson's markdown beside a live preview, save, restore.

Every action that changes files runs in a button callback, before the page is drawn, so
the widgets can be updated (new text, the lesson just created) and the outcome shown as a
message that survives the rerun. The rules (validation, atomic save, history, stale-save
refusal, safe file names) live in :mod:`course.content.editor`.
"""

from __future__ import annotations

import streamlit as st

from course.content.editor import (
    EditorError,
    InvalidLesson,
    LessonEditor,
    OpenedLesson,
    Snapshot,
    diff_text,
    normalise,
    problem_text,
)
from course.paths import lessons_dir
from views.parts import state
from views.parts.lesson import render_lesson_content
from views.parts.notices import show_exception

EDIT, CREATE = "Edit a lesson", "Create a new lesson"
OPENED = "editor:opened"
TEXT = "editor:text"
FLASH = "editor:flash"


def _open(opened: OpenedLesson) -> None:
    st.session_state[OPENED] = opened
    st.session_state[TEXT] = opened.text


def _flash(kind: str, message: str, details: str = "") -> None:
    st.session_state[FLASH] = (kind, message, details)


def _show_flash() -> None:
    flash = st.session_state.pop(FLASH, None)
    if flash is None:
        return
    kind, message, details = flash
    (st.success if kind == "success" else st.error)(message, icon=None)
    if details:
        st.code(details, language=None, wrap_lines=True)


def _saved(editor: LessonEditor, lesson_id: str, text: str, snapshot: Snapshot, message: str) -> None:
    path = editor.path_for(lesson_id)
    _open(OpenedLesson(lesson_id, path.name if path else "", normalise(text), snapshot))
    st.session_state["editor:mode"] = EDIT
    st.session_state["editor:lesson"] = lesson_id
    _flash("success", message)


def _refused(exc: EditorError) -> None:
    if isinstance(exc, InvalidLesson):
        details = "\n".join(problem_text(p) for p in exc.problems)
        _flash("error", "Not saved: the lesson has problems. Fix these lines, then save again.", details)
    else:
        _flash("error", f"Not saved. {exc}")


def _save(editor: LessonEditor, author: str) -> None:
    opened: OpenedLesson = st.session_state[OPENED]
    text = st.session_state.get(TEXT, "")
    try:
        result = editor.save(opened.lesson_id, text, author, opened.snapshot)
    except EditorError as exc:
        _refused(exc)
        return
    kept = " The previous version is in the history below." if result.archived else ""
    _saved(
        editor,
        opened.lesson_id,
        text,
        result.snapshot,
        f"Saved {result.lesson.path.name}. Learners see the change on their next page load.{kept}",
    )


def _restore(editor: LessonEditor, author: str) -> None:
    opened: OpenedLesson = st.session_state[OPENED]
    name = st.session_state.get("editor:version")
    try:
        result = editor.restore(opened.lesson_id, name, author, opened.snapshot)
    except EditorError as exc:
        _refused(exc)
        return
    _saved(
        editor,
        opened.lesson_id,
        result.lesson.path.read_text(encoding="utf-8"),
        result.snapshot,
        "Restored that version. The version it replaced is now in the history, so this can be undone too.",
    )


def _reload(editor: LessonEditor) -> None:
    opened: OpenedLesson = st.session_state[OPENED]
    try:
        _open(editor.open(opened.lesson_id))
    except EditorError as exc:
        _flash("error", str(exc))
        return
    _flash("success", "Reloaded the lesson as it is on disk now; your unsaved text was discarded.")


def _start_new(editor: LessonEditor) -> None:
    lesson_id = st.session_state.get("editor:new-id", "").strip()
    title = st.session_state.get("editor:new-title", "")
    try:
        _open(editor.new(lesson_id, title))
    except EditorError as exc:
        _flash("error", str(exc))


def _choose_lesson(editor: LessonEditor) -> OpenedLesson | None:
    files = editor.lesson_files()
    if not files:
        st.info("There are no lessons yet: create the first one.")
        return None
    ids = list(files)
    lesson_id = st.selectbox("Lesson", ids, key="editor:lesson", format_func=lambda i: files[i].name)
    opened: OpenedLesson | None = st.session_state.get(OPENED)
    if opened is None or opened.is_new or opened.lesson_id != lesson_id:
        try:
            opened = editor.open(lesson_id)
        except EditorError as exc:
            show_exception(exc)
            return None
        _open(opened)
    return opened


def _new_lesson(editor: LessonEditor) -> OpenedLesson | None:
    opened: OpenedLesson | None = st.session_state.get(OPENED)
    if opened is not None and opened.is_new:
        st.caption(f"New lesson **{opened.lesson_id}**, saved as {opened.file_name} (the number follows `order`).")
        return opened
    st.text_input(
        "Lesson id (its address: lowercase letters, digits and hyphens)",
        key="editor:new-id",
        max_chars=60,
        placeholder="e.g. aftercare",
    )
    st.text_input("Title", key="editor:new-title", max_chars=120)
    st.button("Start from the template", key="editor:new", on_click=_start_new, args=(editor,))
    return None


def _preview(editor: LessonEditor, opened: OpenedLesson, text: str) -> None:
    try:
        lesson = editor.validate(opened.lesson_id, text)
    except InvalidLesson as exc:
        st.warning("The preview appears when the lesson is valid. Problems to fix:", icon=":material/error:")
        st.code("\n".join(problem_text(p) for p in exc.problems), language=None, wrap_lines=True)
        return
    except EditorError as exc:
        st.warning(str(exc), icon=":material/error:")
        return
    with st.container(border=True, height=640, key="editor-preview"):  # scrolls beside the text area
        render_lesson_content(lesson, "Preview", key_prefix="editor:preview", keep_practice=False)


def _history(editor: LessonEditor, opened: OpenedLesson, author: str) -> None:
    st.subheader("History")
    versions = editor.history(opened.lesson_id)
    if not versions:
        st.caption("No earlier versions yet: every save keeps the version it replaces here.")
        return
    labels = {v.name: v.label for v in versions}
    name = st.selectbox("Past version", list(labels), key="editor:version", format_func=labels.__getitem__)
    current = editor.open(opened.lesson_id).text
    diff = diff_text(editor.version_text(opened.lesson_id, name), current, f"version of {labels[name]}", "current")
    if diff:
        st.caption("Lines starting with - are in that version only; lines starting with + are in the current one.")
        st.code(diff, language="diff", wrap_lines=True)
    else:
        st.caption("That version is the same as the current one.")
    st.button(
        "Restore this version",
        key="editor:restore",
        on_click=_restore,
        args=(editor, author),
        icon=":material/history:",
    )


st.set_page_config(layout="wide")  # side-by-side editing and wide tables need the room
account = state.require_tutor()
editor = LessonEditor(lessons_dir())
st.title("Lesson editor")
st.markdown(  # not a caption: Streamlit fades code in a caption below WCAG AA contrast
    "Edit the whole lesson file, front matter included. Saving checks it with the same rules as "
    "`python -m course check`; an invalid lesson is never saved."
)
_show_flash()
mode = st.radio("What do you want to do?", [EDIT, CREATE], key="editor:mode", horizontal=True)
opened = _choose_lesson(editor) if mode == EDIT else _new_lesson(editor)
if opened is not None:
    left, right = st.columns(2, gap="medium")
    with left:
        text = st.text_area("Lesson markdown", key=TEXT, height=640)
        if normalise(text) != normalise(opened.text):
            st.caption("You have unsaved changes (switching lesson discards them).")
        save_col, reload_col = st.columns(2)
        save_col.button(
            "Save",
            key="editor:save",
            type="primary",
            on_click=_save,
            args=(editor, account.login),
            icon=":material/save:",
        )
        if not opened.is_new:
            reload_col.button("Discard and reload", key="editor:reload", on_click=_reload, args=(editor,))
    with right:
        st.caption("Live preview, exactly as learners will see it")
        _preview(editor, opened, text)
    if not opened.is_new:
        _history(editor, opened, account.login)
