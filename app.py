"""Meso Academy's frame: st.App (Streamlit plus the cookie routes of web/auth.py and the certificate
verification page of web/verify.py); each page run goes through views/parts/frame.py."""

import streamlit as st

from views.parts.frame import run_frame
from web import auth, verify

# what `streamlit run app.py` serves (uvicorn imports this module)
app = st.App(__file__, routes=auth.routes() + verify.routes())

if __name__ == "__main__":  # each page run executes this file as __main__ (AppTest too); the import does not
    run_frame()
