"""The sidebar on a phone: it closes after a choice, and a closed sidebar is out of the Tab order.

Streamlit 1.67 collapses its sidebar after a page is chosen only for a mobile user agent; a
narrow desktop window (or a phone that asks for the desktop site) keeps it open over most of
the page. This ``st.components.v2`` component (inline JS, no build step, no CDN), mounted once
in the sidebar, does what a phone needs:

- choosing a page in the sidebar (a link or the logo, by pointer, finger or Enter) on a window
  at most 640 px wide presses Streamlit's own *Collapse sidebar* button, then gives the focus to
  the page's main area, so the next Tab goes into the page just opened;
- a collapsed sidebar is made ``inert``: Streamlit only slides it out of view, and its links
  stayed in the Tab order, taking the keyboard's focus to links nobody can see;
- on a narrow window, opening the sidebar puts the focus (which Streamlit drops with the
  *Expand sidebar* button) on its current page link, and Escape inside it closes it and gives
  the focus back to *Expand sidebar*.

The same component also runs the select boxes' Escape fix (``views/parts/select_escape.py``) and
puts the text-fitting rules in the page (``views/parts/text_fit.py``): one mount per run for all,
since each component costs a message and a mount on every run. Its JS receives no data; it reads
only Streamlit's own test ids and ARIA attributes.
"""

from __future__ import annotations

import streamlit as st

from views.parts.select_escape import JS as SELECT_ESCAPE_JS
from views.parts.text_fit import JS as FIT_TEXT_JS

NARROW_PX = 640  # at most this wide, a choice closes the sidebar (the JS's NARROW below)

_JS = (
    SELECT_ESCAPE_JS
    + FIT_TEXT_JS
    + f"""
const NARROW = {NARROW_PX};
const SIDEBAR = '[data-testid="stSidebar"]';
const narrow = () => window.innerWidth <= NARROW;
const sidebar = () => document.querySelector(SIDEBAR);
const collapseButton = () => document.querySelector('[data-testid="stSidebarCollapseButton"] button');
const expandButton = () => document.querySelector('[data-testid="stExpandSidebarButton"]');

function focusMain() {{
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main) return;
  if (!main.hasAttribute("tabindex")) main.setAttribute("tabindex", "-1");
  main.focus({{ preventScroll: true }});
}}

function collapse(thenFocus) {{
  const button = collapseButton();
  if (!button) return;
  button.click();
  thenFocus();
}}

function sync(bar, wasCollapsed) {{
  const collapsed = bar.getAttribute("data-collapsed") === "true";
  bar.inert = collapsed;  // out of sight, out of the Tab order
  // the Expand button goes away as the sidebar opens: its focus falls back to the body
  const lost = !document.activeElement || document.activeElement === document.body;
  if (wasCollapsed && !collapsed && narrow() && lost) {{
    const here = bar.querySelector('a[aria-current="page"]') || bar.querySelector("a[href], button");
    if (here) here.focus();
  }}
  return collapsed;
}}

function install() {{
  document.addEventListener("click", (event) => {{
    if (!narrow()) return;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const target = event.target instanceof Element ? event.target : null;
    const choice = target && target.closest(SIDEBAR + ' a[href], ' + SIDEBAR + ' [data-testid="stLogoLink"]');
    if (!choice || choice.target === "_blank") return;
    // after Streamlit's own handler has started the page change
    setTimeout(() => collapse(focusMain), 0);
  }});
  document.addEventListener("keydown", (event) => {{
    const bar = sidebar();
    if (event.key !== "Escape" || !narrow() || !bar || !bar.contains(document.activeElement)) return;
    if (bar.getAttribute("data-collapsed") === "true") return;
    let tries = 0;
    const back = () => {{  // the Expand button is drawn once the sidebar has collapsed
      const open = expandButton();
      if (open) open.focus();
      else if (tries++ < 30) requestAnimationFrame(back);
    }};
    collapse(back);
  }});
  const seen = new WeakMap();
  const check = () => {{
    const bar = sidebar();
    if (bar) seen.set(bar, sync(bar, seen.has(bar) ? seen.get(bar) : true));
  }};
  new MutationObserver(check).observe(document.body, {{
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-collapsed"],
  }});
  check();
}}

export default function ({{ parentElement }}) {{
  // the component draws nothing: take its element container out of the sidebar's layout
  const host = parentElement.getRootNode().host || parentElement;
  const box = host.closest ? host.closest('[data-testid="stElementContainer"]') : null;
  if (box) box.style.display = "none";
  installFitText();
  installSelectEscape();
  if (window.__mesoSidebarCloser) return;
  window.__mesoSidebarCloser = true;
  install();
}}
"""
)

_closer = st.components.v2.component("meso_sidebar_closer", js=_JS)


def sidebar_closer() -> None:
    """Mount the sidebar's phone behaviour, the select boxes' Escape fix and the text-fitting rules
    (call it once per run, inside ``st.sidebar``)."""
    _closer(key="sidebar-closer")
