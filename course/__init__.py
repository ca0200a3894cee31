"""Meso Academy's course logic: content, scoring, storage, the skin model and analytics.

This package never imports streamlit (a test checks it): the pages in ``views/`` read
widgets, call into here and render what comes back.
"""
