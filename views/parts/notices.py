"""Errors on a page: what the learner needs in the alert, what whoever runs the course needs
(the database's address, the command to check it) folded away beneath it."""

from __future__ import annotations

import streamlit as st

from course.errors import MesoError
from course.store.base import StoreError

DETAILS = "Details for whoever runs the course"


def parts(exc: MesoError) -> tuple[str, str]:
    """The learner's message and the technical detail ('' when there is none)."""
    if isinstance(exc, StoreError) and exc.detail:
        return exc.message, exc.detail
    return str(exc), ""


def capitalised(text: str) -> str:
    """``text`` with its first letter in capitals (package messages start in lower case, to be
    embedded in a sentence)."""
    return text[:1].upper() + text[1:]


def show_error(text: str, detail: str = "", icon: str = ":material/error:") -> None:
    """An error box with ``text``, and ``detail`` in a closed expander under it."""
    st.error(text, icon=icon)
    if detail:
        with st.expander(DETAILS, icon=":material/build:"):
            st.markdown(capitalised(detail))


def show_exception(exc: MesoError, icon: str = ":material/error:") -> None:
    """:func:`show_error` for an expected failure of the package."""
    show_error(*parts(exc), icon=icon)
