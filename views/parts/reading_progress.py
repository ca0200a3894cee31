"""A lesson's reading progress: a thin bar along the top of the window that fills as you scroll.

An ``st.components.v2`` component (inline HTML, CSS and JS; no build step, no CDN). The JS
finds the element the page scrolls in (Streamlit's main area, else the document) and sets
the bar's width and ``aria-valuenow`` from the scroll position, once per animation frame.
It receives no data from the page, so no lesson text ever reaches the script.
"""

from __future__ import annotations

import streamlit as st

_HTML = """
<div class="meso-reading" role="progressbar" aria-label="Reading progress" aria-valuemin="0"
     aria-valuemax="100" aria-valuenow="0"><div class="meso-reading-bar"></div></div>
"""

_CSS = """
.meso-reading { position: fixed; top: 0; left: 0; right: 0; height: 4px; z-index: 1000020;
                background: rgba(0, 90, 140, 0.12); pointer-events: none; }
.meso-reading-bar { height: 100%; width: 0; background: #005A8C; }
@media (prefers-reduced-motion: no-preference) { .meso-reading-bar { transition: width 80ms linear; } }
"""

_JS = """
function scroller(from) {
  const up = (node) => node.parentElement || (node.getRootNode() && node.getRootNode().host) || null;
  for (let node = up(from); node; node = up(node)) {
    const style = getComputedStyle(node);
    if (/(auto|scroll)/.test(style.overflowY) && node.scrollHeight > node.clientHeight + 1) return node;
  }
  return document.scrollingElement || document.documentElement;
}

export default function ({ parentElement }) {
  const bar = parentElement.querySelector(".meso-reading");
  if (!bar || bar.__reading) return;
  bar.__reading = true;
  let box = null, pending = false;
  const update = () => {
    pending = false;
    box = box && box.isConnected ? box : scroller(bar);
    const room = box.scrollHeight - box.clientHeight;
    const share = room > 0 ? Math.min(1, Math.max(0, box.scrollTop / room)) : 1;
    bar.firstElementChild.style.width = (share * 100).toFixed(1) + "%";
    bar.setAttribute("aria-valuenow", String(Math.round(share * 100)));
  };
  const later = () => { if (!pending) { pending = true; requestAnimationFrame(update); } };
  // capture: the scrolling element is an ancestor, and scroll events do not bubble
  document.addEventListener("scroll", later, { capture: true, passive: true });
  window.addEventListener("resize", later, { passive: true });
  new ResizeObserver(later).observe(document.body);
  later();
}
"""

_component = st.components.v2.component("meso_reading_progress", html=_HTML, css=_CSS, js=_JS)


def reading_progress() -> None:
    """Mount the reading-progress bar (one per page; it draws itself at the top of the window)."""
    _component(key="reading-progress")
