"""Draw a lesson's figure markers (``{{ figure: ... }}``) with the course's figure builders."""

from __future__ import annotations

import streamlit as st

from course.models import FigureRef


def render_figure(ref: FigureRef, key_prefix: str) -> None:
    """Render one figure marker. The skin model's builders plug in here (issue 4)."""
    st.info(f"Figure '{ref.name}' will appear here once the skin model lands.", icon=":material/image:")
