"""Meso Academy: the frame of the app. Page config, st.App routes, navigation, sidebar; nothing else.

``streamlit run app.py`` finds ``app`` (an ``st.App``) and serves it with uvicorn: Streamlit plus
the two cookie routes of :mod:`web.auth`. The same file is the script each page run executes
(as ``__main__``, also under AppTest); importing it as the ASGI module runs no page code.
"""

import streamlit as st

from web.auth import routes

app = st.App(__file__, routes=routes())

if __name__ == "__main__":
    from views.parts.navigation import build_navigation
    from views.parts.sidebar import render_sidebar
    from views.parts.state import PAGE_KEY, follow_handoff

    st.set_page_config(page_title="Meso Academy", page_icon=":material/school:", layout="centered")
    page = build_navigation()
    st.session_state[PAGE_KEY] = page.url_path
    render_sidebar()
    follow_handoff()
    page.run()
