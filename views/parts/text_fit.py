"""No text cut without a way to read it whole: a few rules over Streamlit's own elements.

At 390 px Streamlit 1.67 cuts several labels on one line: page links (Previous/Next, Revise,
the Home outline) are ``white-space: nowrap`` with no visible ellipsis, the sidebar's page
titles end in an ellipsis with no way to read the rest on a touch screen, and a select box's
options (matching and ordering answers) and its chosen value are cut mid-word. These rules
let the page links and the sidebar titles wrap, let each option of an open select box wrap
(the list is where a learner reads them whole), and end a chosen value too long for its box
with an ellipsis. tests/browser/test_phone_width.py measures each at 390 px.

The rules go into the page's head once per page load, from the sidebar's page-helper component
(``views/parts/sidebar_closer.py``), instead of a style element sent with every run. The
stylesheet is ours, a constant: no user text reaches it.
"""

from __future__ import annotations

import json

CSS = """
[data-testid="stPageLink"] a, [data-testid="stPageLink"] a span,
[data-testid="stPageLink"] a p { white-space: normal; overflow: visible; overflow-wrap: break-word; }
[data-testid="stPageLink"] a { height: auto; min-height: 2rem; }
[data-testid="stPageLink"] a > span:last-child, [data-testid="stPageLink"] a [data-testid="stMarkdownContainer"],
[data-testid="stPageLink"] a [data-testid="stMarkdownContainer"] p,
[data-testid="stSidebarNavLink"] > span:last-child, [data-testid="stSidebarNavLink"] .stMarkdownEllipsis,
[data-testid="stSidebarNavLink"] [data-testid="stMarkdownContainer"] p { line-height: 1.4; }
[data-testid="stSidebarNavLink"] { height: auto; min-height: 2rem; padding-top: 0.25rem; padding-bottom: 0.25rem;
  align-items: center; }
[data-testid="stSidebarNavLink"] > span, [data-testid="stSidebarNavLink"] .stMarkdownEllipsis,
[data-testid="stSidebarNavLink"] .stMarkdownEllipsis p {
  height: auto; white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: break-word; }
[data-testid="stSelectbox"] input[role="combobox"] { text-overflow: ellipsis; }
[data-testid="stSelectboxVirtualDropdown"] [role="option"] { height: auto; min-height: 2.25rem; }
[data-testid="stSelectboxVirtualDropdown"] [role="option"] > div {
  white-space: normal; overflow: visible; overflow-wrap: break-word; }
"""

# a script fragment: views/parts/sidebar_closer.py's component runs it once per page load
JS = f"""
function installFitText() {{
  if (document.getElementById("meso-fit-text")) return;
  const style = document.createElement("style");
  style.id = "meso-fit-text";
  style.textContent = {json.dumps(CSS)};
  document.head.appendChild(style);
}}
"""
