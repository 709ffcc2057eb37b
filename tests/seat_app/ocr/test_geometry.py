"""Shrinking a picture by halves first gives what one area resize gives, at the size asked for."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from seat_app.services.ocr.geometry import shrink


@pytest.mark.parametrize("size, target", [((4000, 3000), (1280, 960)), ((1633, 1225), (640, 480)),
                                          ((1280, 720), (640, 360)), ((1280, 720), (960, 540)), ((300, 200), (300, 200))])
def test_shrink_matches_one_area_resize(size, target):
    rng = np.random.default_rng(3)
    coarse = rng.integers(0, 255, (size[1] // 50 + 2, size[0] // 50 + 2, 3), dtype=np.uint8)
    picture = cv2.resize(coarse, size, interpolation=cv2.INTER_CUBIC)  # a photo's smooth content
    out = shrink(picture, *target)
    assert out.shape == (target[1], target[0], 3)
    direct = cv2.resize(picture, target, interpolation=cv2.INTER_AREA)
    assert np.abs(out.astype(int) - direct.astype(int)).mean() < 1.5
