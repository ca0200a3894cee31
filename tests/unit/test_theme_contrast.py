"""The theme in .streamlit/config.toml passes WCAG AA for the text Streamlit draws with it.

Streamlit paints body text in ``textColor``, captions and help text at 60 % of it, links in
``linkColor``, inline code in ``codeTextColor`` on ``codeBackgroundColor``, a primary button's
label in white on ``primaryColor``; each on the page, the widgets' and the sidebar's
backgrounds. The browser test (tests/browser/test_accessibility_browser.py) runs axe on the
rendered pages; this test says which colour pair broke when a theme edit does.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from course.brand import banner_svg, icon_svg, logo_svg
from course.palette import AA_TEXT, BRAND_BLUE, WHITE, blend, contrast_ratio
from course.paths import ROOT

THEME = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
SIDEBAR = {**THEME, **THEME["sidebar"]}
CAPTION_OPACITY = 0.6  # Streamlit's fadedText60


def pairs() -> list[tuple[str, str, str]]:
    found = []
    for where, theme in (("main", THEME), ("sidebar", SIDEBAR)):
        for bg_name in ("backgroundColor", "secondaryBackgroundColor"):
            bg = theme[bg_name]
            found += [
                (f"{where} text on {bg_name}", theme["textColor"], bg),
                (f"{where} caption on {bg_name}", blend(theme["textColor"], bg, CAPTION_OPACITY), bg),
                (f"{where} link on {bg_name}", theme["linkColor"], bg),
                (f"{where} primary (selected, focus) on {bg_name}", theme["primaryColor"], bg),
            ]
        found.append((f"{where} code", theme["codeTextColor"], theme["codeBackgroundColor"]))
        found.append((f"{where} primary button label", WHITE, theme["primaryColor"]))
    return found


@pytest.mark.parametrize(("what", "foreground", "background"), pairs(), ids=lambda v: v if " " in str(v) else "")
def test_theme_colours_pass_aa(what: str, foreground: str, background: str) -> None:
    ratio = contrast_ratio(foreground, background)
    assert ratio >= AA_TEXT, f"{what}: {foreground} on {background} is {ratio:.2f}:1"


def test_theme_uses_the_course_blue_and_fonts_streamlit_ships() -> None:
    assert THEME["primaryColor"].upper() == BRAND_BLUE
    assert THEME["font"] in {"sans-serif", "serif", "monospace"}
    assert THEME["headingFont"] in {"sans-serif", "serif", "monospace"}


def test_logo_text_reads_on_the_sidebar_and_the_header() -> None:
    assert f'fill="{BRAND_BLUE}"' in logo_svg()
    for background in (SIDEBAR["backgroundColor"], THEME["backgroundColor"]):
        assert contrast_ratio(BRAND_BLUE, background) >= AA_TEXT


def test_brand_pictures_are_self_contained_svg() -> None:
    for svg in (logo_svg(), icon_svg(), banner_svg()):
        assert svg.startswith("<svg") and svg.endswith("</svg>")
        assert "href" not in svg and "http://" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert "<text" not in banner_svg()  # decorative: nothing to read, nothing to contrast


def test_the_logo_name_is_fitted_beside_the_mark_in_any_font() -> None:
    """Shown as an image, the SVG cannot use the page's fonts: the name is fitted to its room
    (textLength), so a wider fallback serif squeezes it instead of cutting it off."""
    svg = logo_svg()
    width = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))
    text = re.search(r"<text ([^>]*)>", svg).group(1)
    x = float(re.search(r'\bx="([\d.]+)"', text).group(1))
    room = float(re.search(r'textLength="([\d.]+)"', text).group(1))
    assert 'lengthAdjust="spacingAndGlyphs"' in text
    assert x + room <= width and room > 100
