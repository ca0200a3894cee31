"""Meso Academy: the frame of the app. Page config, navigation, sidebar; nothing else."""

import streamlit as st

from views.parts.navigation import build_navigation
from views.parts.sidebar import render_sidebar

st.set_page_config(page_title="Meso Academy", page_icon=":material/school:", layout="centered")
page = build_navigation()
render_sidebar()
page.run()
