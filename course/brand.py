"""The course's logo and banner, drawn as SVG from the palette (no image file is downloaded).

Both pictures show what the course is about: the skin's layers in the figures' colours
(:data:`course.simulator.figures.drawing.LAYER_STYLE` uses the same Okabe-Ito colours) and a
needle whose tip rests in the dermis. The pages draw them at run time (``st.logo``,
``st.image``); nothing is stored, so there is no generated file to keep in step.

>>> logo_svg().startswith("<svg") and "Meso Academy" in logo_svg()
True
>>> "<text" in banner_svg()
False
"""

from __future__ import annotations

from course.palette import BLACK, BRAND_BLUE, ORANGE, PURPLE, WHITE, YELLOW

NAME = "Meso Academy"
LOGO_ALT = "Meso Academy"
BANNER_ALT = ""  # decorative: the page's own title and text say what the banner shows

# epidermis, dermis, hypodermis: the order and colours of the lesson figures
_LAYERS = ((ORANGE, 0.12), (PURPLE, 0.38), (YELLOW, 0.50))


def _mark(x: float, y: float, size: float) -> str:
    """The course mark: a rounded square cut through the skin's three layers, a needle in the dermis."""
    top = y + size * 0.42
    depth = size - (top - y)
    bands, cursor = [], top
    for colour, share in _LAYERS:
        height = depth * share
        bands.append(f'<rect x="{x:g}" y="{cursor:g}" width="{size:g}" height="{height:g}" fill="{colour}"/>')
        cursor += height
    tip_x, tip_y = x + size * 0.62, top + depth * 0.30
    radius = size * 0.18
    return (
        f'<clipPath id="meso-mark"><rect x="{x:g}" y="{y:g}" width="{size:g}" height="{size:g}" rx="{radius:g}"/>'
        f"</clipPath>"
        f'<g clip-path="url(#meso-mark)">'
        f'<rect x="{x:g}" y="{y:g}" width="{size:g}" height="{size:g}" fill="{BRAND_BLUE}"/>{"".join(bands)}'
        f'<line x1="{x + size * 0.08:g}" y1="{y + size * 0.08:g}" x2="{tip_x:g}" y2="{tip_y:g}" '
        f'stroke="{WHITE}" stroke-width="{size * 0.09:g}" stroke-linecap="round"/>'
        f'<line x1="{x + size * 0.08:g}" y1="{y + size * 0.08:g}" x2="{tip_x:g}" y2="{tip_y:g}" '
        f'stroke="{BLACK}" stroke-width="{size * 0.03:g}" stroke-linecap="round"/>'
        f"</g>"
    )


def logo_svg() -> str:
    """The mark followed by the course's name in the brand blue (6.5:1 on the tinted sidebar).

    An SVG shown as an image cannot use the page's web fonts, so the name is drawn in whatever
    serif the machine has (DejaVu Serif on Debian is wider than Source Serif): ``textLength``
    fits it to the space beside the mark in any font, instead of cutting it ("Meso Acade")."""
    height, width = 40, 212
    room = width - height - 10 - 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{NAME}">'
        f"{_mark(0, 0, height)}"
        f'<text x="{height + 10}" y="{height * 0.71:g}" font-family="Source Serif 4, Source Serif Pro, DejaVu Serif, '
        f'Georgia, serif" font-size="24" font-weight="700" fill="{BRAND_BLUE}" textLength="{room}" '
        f'lengthAdjust="spacingAndGlyphs">{NAME}</text>'
        f"</svg>"
    )


def icon_svg() -> str:
    """The mark alone, for the narrow header when the sidebar is closed."""
    size = 40
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}" '
        f'role="img" aria-label="{NAME}">{_mark(0, 0, size)}</svg>'
    )


def banner_svg(width: int = 1200, height: int = 200) -> str:
    """A wide strip: the skin's layers to a gentle wave, papules of product in the dermis and
    three needles at the angles the course teaches. Decorative: it carries no text."""
    surface = height * 0.46
    depth = height - surface
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMidYMid slice">',
        f'<rect width="{width}" height="{height}" fill="{BRAND_BLUE}"/>',
    ]
    cursor = surface
    for colour, share in ((ORANGE, 0.14), (PURPLE, 0.50), (YELLOW, 0.36)):
        band = depth * share
        wave = height * 0.05
        parts.append(
            f'<path d="M0 {cursor:g} C {width * 0.25:g} {cursor - wave:g}, {width * 0.5:g} {cursor + wave:g}, '
            f"{width * 0.75:g} {cursor:g} S {width:g} {cursor + wave:g}, {width:g} {cursor:g} "
            f'V {height:g} H 0 Z" fill="{colour}"/>'
        )
        cursor += band
    dermis_middle = surface + depth * 0.36
    for x, rise in ((0.16, 0.48), (0.50, 0.62), (0.84, 0.30)):
        tip_x, tip_y = width * x, dermis_middle
        start_x, start_y = tip_x - height * 0.5, tip_y - height * rise
        parts.append(
            f'<circle cx="{tip_x:g}" cy="{tip_y:g}" r="{height * 0.045:g}" fill="{WHITE}" fill-opacity="0.85"/>'
            f'<line x1="{start_x:g}" y1="{start_y:g}" x2="{tip_x:g}" y2="{tip_y:g}" stroke="{WHITE}" '
            f'stroke-width="{height * 0.035:g}" stroke-linecap="round"/>'
            f'<line x1="{start_x:g}" y1="{start_y:g}" x2="{tip_x:g}" y2="{tip_y:g}" stroke="{BLACK}" '
            f'stroke-width="{height * 0.012:g}" stroke-linecap="round"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
