"""Bring one element of the page into view once, and flash it so the eye finds it.

A Revise link from a quiz review opens a lesson with ``?section=...``; Streamlit keeps the
previous page's scroll offset, so without this the Revise box sits off screen. A tiny
``st.components.v2`` component (inline JS, no build step, no CDN) scrolls the keyed container
into view. The JS receives only a CSS class the app chose, never user text.
"""

from __future__ import annotations

import streamlit as st

_JS = """
export default function ({ data }) {
  const selector = "." + CSS.escape(data.className);
  let tries = 0;
  const find = () => {
    const target = document.querySelector(selector);
    if (!target) {
      if (tries++ < 60) requestAnimationFrame(find);
      return;
    }
    target.scrollIntoView({ block: "start", behavior: "instant" });
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    target.animate(
      [{ boxShadow: "0 0 0 4px rgba(230, 159, 0, 0.9)" }, { boxShadow: "0 0 0 4px rgba(230, 159, 0, 0)" }],
      { duration: 2400, easing: "ease-out" }
    );
  };
  find();
}
"""

_scroller = st.components.v2.component("meso_scroll_into_view", js=_JS)


def scroll_into_view(key: str, once_per: str) -> None:
    """Scroll the container created with ``st.container(key=key)`` into view, once for each
    distinct ``once_per`` value in this session (a rerun does not jump the page again)."""
    seen = st.session_state.setdefault("_scrolled", set())
    if once_per in seen:
        return
    seen.add(once_per)
    _scroller(data={"className": f"st-key-{key}"}, key=f"scroll-{key}")
