"""Placeholder until its issue lands."""

import streamlit as st

st.title("Coming soon")
st.info("This part of the course is being built.")
