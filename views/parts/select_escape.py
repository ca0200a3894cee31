"""Escape closes an open select box's list and keeps the answer chosen.

In Streamlit 1.67 pressing Escape while a select box's list is open clears the value chosen
before: a learner who opens a matching or ordering answer to read the options whole, then
closes the list with Escape (as the ARIA combobox pattern says to), loses that answer, and the
quiz then says nothing was answered. This script (inline JS, no build step, no CDN), run by the
sidebar's page-helper component (``views/parts/sidebar_closer.py``), takes that one key press: it closes the list the
way leaving the box does (blur, then focus back), which keeps the chosen value. Escape on a
closed select box still clears it, as the pattern allows. It receives no data.
"""

from __future__ import annotations

# a script fragment: views/parts/sidebar_closer.py's component runs it once per page
JS = """
function onSelectKey(event) {
  const input = event.target;
  if (event.key !== "Escape" || !(input instanceof HTMLInputElement)) return;
  if (input.getAttribute("role") !== "combobox" || input.getAttribute("aria-expanded") !== "true") return;
  if (!input.closest('[data-testid="stSelectbox"]')) return;
  event.preventDefault();
  event.stopPropagation();  // before the select box's own handler, which would clear the value
  input.blur();  // leaving the box closes the list and keeps what was chosen
  input.focus({ preventScroll: true });
}

function installSelectEscape() {
  if (window.__mesoSelectEscape) return;
  window.__mesoSelectEscape = true;
  document.addEventListener("keydown", onSelectKey, true);  // capture: ahead of the widget
}
"""
