"""Meso Academy's frame: st.App (Streamlit plus the cookie routes of web/auth.py), page config, navigation, sidebar."""

import streamlit as st

from course.brand import icon_svg, logo_svg
from views.parts.navigation import build_navigation
from views.parts.sidebar import render_sidebar
from views.parts.state import follow_handoff
from web.auth import routes

app = st.App(__file__, routes=routes())  # what `streamlit run app.py` serves (uvicorn imports this module)

if __name__ == "__main__":  # each page run executes this file as __main__ (AppTest too); the import does not
    st.set_page_config(page_title="Meso Academy", page_icon=":material/school:", layout="centered")
    st.logo(logo_svg(), size="large", icon_image=icon_svg())
    page = build_navigation()
    render_sidebar()
    follow_handoff()
    page.run()
