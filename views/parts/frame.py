"""What every page run does around the page itself: page config, the store check, the logo,
navigation, the sidebar, the sign-in hand-off and the LRS sender; ``app.py`` calls it."""

from __future__ import annotations

import streamlit as st

from course.brand import icon_svg, logo_svg
from views.parts.navigation import build_navigation
from views.parts.sidebar import render_sidebar
from views.parts.state import follow_handoff, one_run, require_store, start_lrs_sender


def run_frame() -> None:
    """Set up the page frame, then run the page the navigation chose."""
    with one_run():  # the store, the account, the catalog: looked up once in this run
        st.set_page_config(page_title="Meso Academy", page_icon=":material/school:", layout="centered")
        require_store()  # a database that is down or behind its schema: say so and what to run
        st.logo(logo_svg(), size="large", icon_image=icon_svg())
        page = build_navigation()
        render_sidebar()
        follow_handoff()
        start_lrs_sender()
        page.run()
