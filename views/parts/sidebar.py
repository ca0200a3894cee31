"""The sidebar every page shares: who is signed in, course progress, sign out (and, on a phone,
closing after a choice: views/parts/sidebar_closer.py)."""

from __future__ import annotations

import streamlit as st

from course.accounts.progress import completion_ratio
from course.errors import MesoError
from course.text import escape_markdown
from views.parts import state
from views.parts.review import due_link
from views.parts.sidebar_closer import sidebar_closer


def render_sidebar() -> None:
    account = state.current_user()
    with st.sidebar:
        sidebar_closer()  # page-wide, drawn nowhere (also the Escape fix and the text rules): once per run
        if account is None:
            st.caption("Not signed in")
            note = state.signed_out_note()
            if note:
                st.warning(note, icon=":material/logout:")
            state.sign_in_link()
            return
        role = " (tutor)" if account.is_tutor else ""
        st.caption(f"Signed in as **{escape_markdown(account.display_name)}**{role}")
        ids = [lesson.id for lesson in state.catalog().lessons]
        try:
            done = state.lesson_progress().completed(account.login)
        except MesoError:  # the store cannot be read right now (the page says so where it matters)
            st.caption("Your course progress cannot be read right now.")
        else:
            ratio = completion_ratio(done, ids)
            st.progress(ratio, text=f"Course progress: {len(done & set(ids))} of {len(ids)} lessons")
            due_link(account.login)
        if st.button("Sign out", key="sidebar:sign-out", icon=":material/logout:"):
            state.sign_out()
            st.rerun()
