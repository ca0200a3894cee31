"""The course's colours: the Okabe–Ito palette, readable with every common colour-vision deficiency.

Every figure, chart and diagram takes its colours from here, so the same layer or series has
the same colour everywhere. Colour is never the only carrier of meaning: figures add fill
patterns, symbols or labels.

>>> len(set(OKABE_ITO)), SERIES[0] == BLUE
(8, True)
"""

from __future__ import annotations

ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILION = "#D55E00"
PURPLE = "#CC79A7"
BLACK = "#000000"
WHITE = "#FFFFFF"

BRAND_BLUE = "#005A8C"
"""The course's own blue (theme, logo, banner): Okabe-Ito blue darkened until white text on it
and it on the tinted sidebar pass WCAG AA (7.4:1 and 6.5:1; plain #0072B2 makes 4.5:1 on the tint)."""

OKABE_ITO = (ORANGE, SKY_BLUE, GREEN, YELLOW, BLUE, VERMILION, PURPLE, BLACK)
"""The palette in its published order."""

SERIES = (BLUE, ORANGE, GREEN, PURPLE, SKY_BLUE, VERMILION, YELLOW, BLACK)
"""The order for one line per series on a white page: yellow, the faintest on white, comes late."""


# --- contrast (WCAG 2.x) ----------------------------------------------------------------------

AA_TEXT = 4.5
"""WCAG 2 level AA: the least contrast of normal-size text against what is behind it."""


def _rgb(colour: str) -> tuple[float, float, float]:
    """``#RRGGBB`` as three channels from 0 to 255."""
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"expected a colour as #RRGGBB, got {colour!r}")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def blend(colour: str, under: str, opacity: float) -> str:
    """``colour`` painted at ``opacity`` over ``under``, as ``#RRGGBB``.

    >>> blend(BLACK, WHITE, 0.6)
    '#666666'
    """
    top, bottom = _rgb(colour), _rgb(under)
    mixed = (round(t * opacity + b * (1 - opacity)) for t, b in zip(top, bottom, strict=True))
    return "#" + "".join(f"{channel:02X}" for channel in mixed)


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of an sRGB colour (0 for black, 1 for white)."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(channel) for channel in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 (none) to 21 (black on white).

    >>> round(contrast_ratio(BLACK, WHITE), 1), round(contrast_ratio(BLUE, WHITE), 2)
    (21.0, 5.19)
    """
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
