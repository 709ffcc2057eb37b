"""Camera faults applied to rendered pictures: what a phone at the roadside does to a clean image.

Each fault takes a BGR image and a ``random.Random`` and returns a new image; ``degrade``
applies a random selection. Strengths stay within what a careful operator would still
accept as evidence: the target is OCR that copes with bad capture, not with no capture.
"""
from __future__ import annotations

import random

import cv2
import numpy as np


def perspective(image: np.ndarray, rng: random.Random, strength: float = 0.08) -> np.ndarray:
    """The camera is not square to the subject: corners pulled in by up to ``strength`` of the size."""
    height, width = image.shape[:2]
    src = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    dx, dy = width * strength, height * strength
    dst = np.float32([[rng.uniform(0, dx), rng.uniform(0, dy)], [width - rng.uniform(0, dx), rng.uniform(0, dy)],
                      [width - rng.uniform(0, dx), height - rng.uniform(0, dy)],
                      [rng.uniform(0, dx), height - rng.uniform(0, dy)]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)


def blur(image: np.ndarray, rng: random.Random) -> np.ndarray:
    """Out of focus, or the hand moved."""
    if rng.random() < 0.5:
        return cv2.GaussianBlur(image, (0, 0), rng.uniform(0.5, 1.1))
    length = rng.choice((3, 4, 5))
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0 / length
    rotation = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1.0)
    kernel = cv2.warpAffine(kernel, rotation, (length, length))
    return cv2.filter2D(image, -1, kernel / max(kernel.sum(), 1e-6))


def jpeg(image: np.ndarray, rng: random.Random) -> np.ndarray:
    """Video or upload compression."""
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(30, 75)])
    return cv2.imdecode(data, cv2.IMREAD_COLOR) if ok else image


def low_light(image: np.ndarray, rng: random.Random) -> np.ndarray:
    """Dusk or a car park: dark, with sensor noise the camera amplified."""
    dark = (image.astype(np.float32) / 255.0) ** rng.uniform(1.2, 1.8) * rng.uniform(0.35, 0.65) * 255.0
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(2, 7), image.shape)
    return np.clip(dark + noise, 0, 255).astype(np.uint8)


def glare(image: np.ndarray, rng: random.Random) -> np.ndarray:
    """Sun or a street lamp reflected: a soft bright patch somewhere in the picture."""
    height, width = image.shape[:2]
    centre = (rng.uniform(0.1, 0.9) * width, rng.uniform(0.1, 0.9) * height)
    axes = (rng.uniform(0.06, 0.2) * width, rng.uniform(0.05, 0.15) * height)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    falloff = ((xx - centre[0]) / axes[0]) ** 2 + ((yy - centre[1]) / axes[1]) ** 2
    light = np.exp(-falloff)[..., None] * rng.uniform(0.35, 0.6)
    return np.clip(image * (1 - light) + 255 * light, 0, 255).astype(np.uint8)


FAULTS = {"perspective": perspective, "blur": blur, "jpeg": jpeg, "low_light": low_light, "glare": glare}


def degrade(image: np.ndarray, rng: random.Random, faults: tuple[str, ...] | None = None) -> tuple[np.ndarray, list[str]]:
    """Apply ``faults`` (default: each with probability one half, in a realistic order); return what was applied."""
    chosen = list(faults) if faults is not None else [name for name in FAULTS if rng.random() < 0.5]
    order = ["perspective", "glare", "low_light", "blur", "jpeg"]  # scene, light, optics, then encoding
    applied = [name for name in order if name in chosen]
    for name in applied:
        image = FAULTS[name](image, rng)
    return image, applied
