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

OKABE_ITO = (ORANGE, SKY_BLUE, GREEN, YELLOW, BLUE, VERMILION, PURPLE, BLACK)
"""The palette in its published order."""

SERIES = (BLUE, ORANGE, GREEN, PURPLE, SKY_BLUE, VERMILION, YELLOW, BLACK)
"""The order for one line per series on a white page: yellow, the faintest on white, comes late."""
