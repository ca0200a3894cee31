"""Meso Academy's frame: st.App (Streamlit plus the cookie routes of web/auth.py and the certificate
verification page of web/verify.py), page config, navigation, sidebar."""

import streamlit as st

from course.brand import icon_svg, logo_svg
from views.parts.navigation import build_navigation
from views.parts.sidebar import render_sidebar
from views.parts.state import follow_handoff, require_store, start_lrs_sender
from web import auth, verify

# what `streamlit run app.py` serves (uvicorn imports this module)
app = st.App(__file__, routes=auth.routes() + verify.routes())

if __name__ == "__main__":  # each page run executes this file as __main__ (AppTest too); the import does not
    st.set_page_config(page_title="Meso Academy", page_icon=":material/school:", layout="centered")
    require_store()  # a database that is down or behind its schema: say so and what to run
    st.logo(logo_svg(), size="large", icon_image=icon_svg())
    page = build_navigation()
    render_sidebar()
    follow_handoff()
    start_lrs_sender()
    page.run()
