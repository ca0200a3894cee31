"""axe-core (bundled by ``axe-playwright-python``) run on a page: its serious and critical violations.

Waived, each for one rule on one of Streamlit's own elements that no app code can change, so
the rest of the page (and every other rule on that element) is still checked:

* ``list`` and ``listitem`` on the sidebar's page list, ``ul[data-testid="stSidebarNavItems"]``:
  Streamlit 1.67 groups the pages of each ``st.navigation`` section in a ``<div>`` (with the
  section's header) placed directly inside that ``<ul>``, so the ``<ul>`` has ``<div>``
  children and the ``<li>`` items have a ``<div>`` parent. The links themselves are named
  and reachable by keyboard; only the list markup is off. An app can only avoid it by
  dropping ``st.navigation``'s sidebar for hand-made links, which would lose its routing
  and current-page marking.
"""

from __future__ import annotations

from dataclasses import dataclass

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

SERIOUS = ("serious", "critical")


@dataclass(frozen=True)
class Waiver:
    rule: str
    inside: str  # CSS selector of the Streamlit element the rule is waived in
    reason: str


WAIVERS = (
    Waiver("list", '[data-testid="stSidebarNavItems"]', "Streamlit's sidebar page list puts <div> groups in its <ul>"),
    Waiver("listitem", '[data-testid="stSidebarNavItems"]', "the <li> items of those groups have a <div> parent"),
)

_AXE = Axe()

# True when the node axe names lies inside ``inside``. axe names a node as [selector], or as
# [[host, ..., selector]] through shadow roots.
_INSIDE = """([target, inside]) => {
  const path = Array.isArray(target[0]) ? target[0] : [target[0]];
  let root = document, node = null;
  for (const selector of path) {
    node = root.querySelector(selector);
    if (!node) return false;
    root = node.shadowRoot || node;
  }
  return Boolean(node && node.closest(inside));
}"""


def serious_violations(page: Page) -> list[str]:
    """Every serious or critical axe violation on the page now, as "rule: node (summary)",
    without the waived ones above."""
    results = _AXE.run(page, options={"resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in SERIOUS:
            continue
        waivers = [w for w in WAIVERS if w.rule == violation["id"]]
        for node in violation["nodes"]:
            if any(page.evaluate(_INSIDE, [node["target"], w.inside]) for w in waivers):
                continue
            summary = " ".join(node.get("failureSummary", "").split())[:240]
            found.append(f"{violation['id']} ({violation['impact']}): {node['html'][:160]} - {summary}")
    return found
