"""Glossary terms in a lesson show their definition in place, with a link to the glossary in the same tab.

The lesson body links each term's first use to ``/glossary#anchor``
(:func:`course.content.glossary.linked_blocks`); this mounts a small ``st.components.v2``
script (``glossary_popover.js`` beside this file: inline, no build step, no CDN) that makes
those links open a panel with the definition. It works with a pointer, a finger and the
keyboard (Enter opens, Escape closes, focus goes to the panel and back). Only the terms the
lesson links are sent, as plain text (:func:`course.content.glossary.plain_definition`), and
the script writes them with ``textContent``: a definition is never rendered as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import streamlit as st

from course.content.glossary import plain_definition
from course.content.models import Term

_component = st.components.v2.component(
    "meso_glossary_popovers",
    html='<div class="glossary-popovers"></div>',
    js=(Path(__file__).parent / "glossary_popover.js").read_text(encoding="utf-8"),
)


def glossary_popovers(terms: Sequence[Term], key: str) -> None:
    """Make the page's links to these glossary terms show their definitions in place."""
    if not terms:
        return
    data = {"terms": {term.anchor: {"term": term.term, "definition": plain_definition(term)} for term in terms}}
    _component(key=key, data=data)
