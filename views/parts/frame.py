"""What every page run does around the page itself: page config, the store check, the logo,
navigation, the sidebar (with the page-wide helpers of views/parts/sidebar_closer.py), the
sign-in hand-off and the LRS sender; ``app.py`` calls it."""

from __future__ import annotations

import streamlit as st

from course.brand import icon_svg, logo_svg
from course.store.base import StoreError
from views.parts.navigation import build_navigation
from views.parts.notices import show_error
from views.parts.sidebar import render_sidebar
from views.parts.state import follow_handoff, one_run, require_store, start_lrs_sender

STORE_DOWN = "The course cannot read its data right now"


def run_frame() -> None:
    """Set up the page frame, then run the page the navigation chose.

    A read of the store that fails on the way (a database that went down after the app
    started) ends the run with one message saying so, instead of a traceback; pages that can
    do better (the quiz page keeps the answers on screen) catch it themselves first.
    """
    with one_run():  # the store, the account, the catalog: looked up once in this run
        st.set_page_config(page_title="Meso Academy", page_icon=":material/school:", layout="centered")
        require_store()  # a database that is down or behind its schema: say so and what to run
        st.logo(logo_svg(), size="large", icon_image=icon_svg())
        try:
            page = build_navigation()
            render_sidebar()
            follow_handoff()
            start_lrs_sender()
            page.run()
        except StoreError as exc:
            show_error(
                f"{STORE_DOWN} ({exc.message}). Please reload the page in a moment.",
                exc.detail,
                icon=":material/database:",
            )
