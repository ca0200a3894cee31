"""Glossary: every medical term the lessons use, linked from its first use in a lesson."""

import streamlit as st

from course.content.glossary import find_terms
from views.parts import state

st.title("Glossary")
terms, error = state.glossary()
if error:
    st.error(f"The glossary cannot be shown until its file is fixed:\n\n`{error}`", icon=":material/error:")
else:
    shown = find_terms(terms, st.text_input("Find a term", key="glossary:query", placeholder="e.g. dermis"))
    if not shown:
        st.caption("No term matches your search.")
    for term in shown:
        st.subheader(term.term, anchor=term.anchor)
        st.markdown(term.definition)
        extra = []
        if term.aliases:
            extra.append("Also: " + ", ".join(term.aliases))
        if term.source:
            extra.append(f"Source: {term.source}")
        if extra:
            st.caption(" · ".join(extra))
