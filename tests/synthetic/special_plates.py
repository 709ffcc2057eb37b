"""Two-row plates the phone simulator's artwork does not draw: a motorcycle's, a low-speed
vehicle's, an agricultural vehicle's and the armed police's, at their GA 36 / issuer proportions.

The top row is small and centred (province and office letter, or the area digits, or the red WJ
and the province), the bottom row carries the large serial, like the lorry plate of
``kuaichu_artwork.artwork``.
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from kuaichu_artwork import artwork

# name: (width, height) in mm
SIZES = {"motorcycle": (220, 140), "low_speed": (300, 165), "large_vehicle": (440, 220), "agricultural": (300, 165),
         "armed_police": (440, 220)}
RED = (210, 20, 20)


def two_row_plate(top: str, bottom: str, colour: str, size_mm: tuple[int, int], scale: float = 2.0,
                  red: str = "") -> np.ndarray:
    """``red``: characters of the top row printed red (the WJ of an armed-police plate)."""
    style = artwork.PLATE_STYLES[colour]
    width, height = round(size_mm[0] * scale), round(size_mm[1] * scale)
    picture = Image.new("RGB", (width, height), style.top)
    draw = ImageDraw.Draw(picture)
    inset = max(2, round(4 * scale))
    draw.rounded_rectangle([inset, inset, width - inset - 1, height - inset - 1], radius=round(8 * scale),
                           outline=style.ink, width=max(1, round(3 * scale)))
    top_h, cell_w = 0.28 * height, 0.16 * width
    x = (width - cell_w * len(top) * 1.1) / 2
    for ch in top:
        ink = RED if ch in red else style.ink
        _glyph(picture, ch, (x, 0.08 * height, x + cell_w, 0.08 * height + top_h), ink)
        x += cell_w * 1.1
    step = 0.9 * width / len(bottom)
    for i, ch in enumerate(bottom):
        x0 = 0.05 * width + i * step + 0.08 * step
        _glyph(picture, ch, (x0, 0.44 * height, x0 + 0.84 * step, 0.92 * height), style.ink)
    return artwork.to_bgr(picture)


def _glyph(picture: Image.Image, ch: str, box: tuple[float, float, float, float], ink) -> None:
    artwork._draw_glyph(picture, ch, tuple(round(v) for v in box), ink)
