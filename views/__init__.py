"""Streamlit pages: they read widgets and session state, call ``course``, and render."""
