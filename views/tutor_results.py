"""Placeholder until its issue lands; already closed to anyone but tutors."""

import streamlit as st

from views import state

state.require_tutor()
st.title("Coming soon")
st.info("This tutor page is being built.")
