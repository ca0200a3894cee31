"""Escape closes an open select box's list and keeps the answer chosen.

In Streamlit 1.67 pressing Escape while a select box's list is open clears the value chosen
before: a learner who opens a matching or ordering answer to read the options whole, then
closes the list with Escape (as the ARIA combobox pattern says to), loses that answer, and the
quiz then says nothing was answered. This ``st.components.v2`` component (inline JS, no build
step, no CDN), mounted once in the sidebar, takes that one key press: it closes the list the
way leaving the box does (blur, then focus back), which keeps the chosen value. Escape on a
closed select box still clears it, as the pattern allows. It receives no data.
"""

from __future__ import annotations

import streamlit as st

_JS = """
function onKey(event) {
  const input = event.target;
  if (event.key !== "Escape" || !(input instanceof HTMLInputElement)) return;
  if (input.getAttribute("role") !== "combobox" || input.getAttribute("aria-expanded") !== "true") return;
  if (!input.closest('[data-testid="stSelectbox"]')) return;
  event.preventDefault();
  event.stopPropagation();  // before the select box's own handler, which would clear the value
  input.blur();  // leaving the box closes the list and keeps what was chosen
  input.focus({ preventScroll: true });
}

export default function ({ parentElement }) {
  const host = parentElement.getRootNode().host || parentElement;
  const box = host.closest ? host.closest('[data-testid="stElementContainer"]') : null;
  if (box) box.style.display = "none";  // it draws nothing
  if (window.__mesoSelectEscape) return;
  window.__mesoSelectEscape = true;
  document.addEventListener("keydown", onKey, true);  // capture: ahead of the widget
}
"""

_component = st.components.v2.component("meso_select_escape", js=_JS)


def select_escape() -> None:
    """Mount the Escape fix (call it once per run, inside ``st.sidebar``)."""
    _component(key="select-escape")
