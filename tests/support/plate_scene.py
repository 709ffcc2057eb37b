"""A synthetic accident scene with a readable plate, written as a .y4m for Chromium's fake camera.

Frames differ only in a small moving marker in the sky, so any received frame can be
compared with the source: the road, the car and the blue plate never move.
"""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from seat_app import paths

FONT = paths.font_file()
WIDTH, HEIGHT, FRAMES = 1280, 720, 60
PLATE_TEXT = "川A·12345"
PLATE_BOX = (440, 440, 840, 540)  # x0, y0, x1, y1 in the 1280x720 frame
PLATE_BLUE = (10, 60, 200)


def scene_rgb(index: int = 0) -> np.ndarray:
    img = Image.new("RGB", (WIDTH, HEIGHT), (150, 190, 230))  # sky
    d = ImageDraw.Draw(img)
    d.rectangle((0, 360, WIDTH, HEIGHT), fill=(90, 90, 95))  # road
    d.rectangle((240, 250, 1040, 600), fill=(200, 200, 205))  # rear of a car
    d.rectangle((300, 280, 980, 380), fill=(40, 50, 70))  # rear window
    d.rectangle((260, 400, 380, 460), fill=(220, 40, 30))  # lamps
    d.rectangle((900, 400, 1020, 460), fill=(220, 40, 30))
    d.rectangle(PLATE_BOX, fill=PLATE_BLUE, outline=(255, 255, 255), width=6)
    font = ImageFont.truetype(str(FONT), 72, index=0)
    d.text(((PLATE_BOX[0] + PLATE_BOX[2]) // 2, (PLATE_BOX[1] + PLATE_BOX[3]) // 2), PLATE_TEXT,
           font=font, fill=(255, 255, 255), anchor="mm")
    x = 40 + (index * 18) % (WIDTH - 120)
    d.ellipse((x, 60, x + 60, 120), fill=(255, 220, 0))  # the moving marker
    return np.asarray(img)


def write_y4m(path: Path, frames: int = FRAMES) -> Path:
    with path.open("wb") as f:
        f.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F30:1 Ip A1:1 C420jpeg\n".encode())
        for i in range(frames):
            f.write(b"FRAME\n")
            f.write(cv2.cvtColor(scene_rgb(i), cv2.COLOR_RGB2YUV_I420).tobytes())
    return path


def looks_like_scene(rgb: np.ndarray) -> tuple[bool, str]:
    """Does a received frame show the scene (at any size)? Compares the static parts with the source."""
    h, w = rgb.shape[:2]
    small = cv2.resize(rgb, (160, 90), interpolation=cv2.INTER_AREA).astype(np.int16)
    ref = cv2.resize(scene_rgb(0), (160, 90), interpolation=cv2.INTER_AREA).astype(np.int16)
    static = np.ones((90, 160), bool)
    static[5:17, :] = False  # the marker's band
    diff = float(np.abs(small - ref)[static].mean())
    x0, y0, x1, y1 = (int(v * s) for v, s in zip(PLATE_BOX, (w / WIDTH, h / HEIGHT, w / WIDTH, h / HEIGHT)))
    plate = rgb[y0 + (y1 - y0) // 4: y1 - (y1 - y0) // 4, x0 + 10: x1 - 10].reshape(-1, 3).astype(int)
    blue = (plate[:, 2] > plate[:, 0] + 60).mean()
    white = (plate.min(axis=1) > 180).mean()
    ok = diff < 12 and blue > 0.4 and 0.05 < white < 0.6
    return ok, f"mean abs diff {diff:.1f}, plate blue {blue:.2f}, plate white {white:.2f}"


def looks_like_front_canvas(rgb: np.ndarray) -> bool:
    """The test page's canvas "front camera": mostly green."""
    mean = rgb.reshape(-1, 3).mean(axis=0)
    return mean[1] > 100 and mean[1] > mean[0] + 40 and mean[1] > mean[2] + 40
