"""The picture the simulated front camera films: the driver's face.

artwork.py draws what the back camera sees (scene and documents); a selfie view
is only needed here. Its teal wall looks nothing like the grey road, so tests
can tell from the pixels alone that a camera switch reached the seat.
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from .artwork import font

FRONT_BACKGROUND = (40, 130, 140)
SKIN = (225, 185, 150)


def render_front_camera(size: tuple[int, int]) -> np.ndarray:
    """RGB, ``size`` = (width, height)."""
    width, height = size
    image = Image.new("RGB", size, FRONT_BACKGROUND)
    draw = ImageDraw.Draw(image)
    cx, cy, r = width // 2, int(height * 0.58), min(width, height) // 4
    draw.ellipse([cx - r, cy - r, cx + r, cy + int(r * 1.2)], fill=SKIN)
    for dx in (-r // 2.5, r // 2.5):
        draw.ellipse([cx + dx - r // 10, cy - r // 4, cx + dx + r // 10, cy - r // 12], fill=(40, 30, 30))
    draw.arc([cx - r // 2, cy + r // 6, cx + r // 2, cy + r // 1.6], 20, 160, fill=(150, 60, 60), width=4)
    draw.text((cx, height // 5), "前置摄像头", font=font(height // 10), fill=(255, 255, 255), anchor="mm")
    return np.asarray(image)
