"""Geometry the OCR steps share: the size of a text quadrilateral, grouping by a pairwise link, and
shrinking a picture."""
from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np


def quad_size(quad: np.ndarray) -> tuple[float, float]:
    """(width, height) of a quad (4x2, clockwise from top left), each the mean of its two sides."""
    width = (np.linalg.norm(quad[1] - quad[0]) + np.linalg.norm(quad[2] - quad[3])) / 2
    height = (np.linalg.norm(quad[3] - quad[0]) + np.linalg.norm(quad[2] - quad[1])) / 2
    return float(width), float(height)


def linked_groups(count: int, linked: Callable[[int, int], bool]) -> list[list[int]]:
    """Single-linkage groups of 0..count-1, where ``linked(i, j)`` (i < j) joins two; members in
    ascending order, groups in the order of their first member."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for i in range(count):
        for j in range(i + 1, count):
            if linked(i, j):
                parent[root(j)] = root(i)
    members: dict[int, list[int]] = {}
    for i in range(count):
        members.setdefault(root(i), []).append(i)
    return list(members.values())


def shrink(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """``image`` resized to ``width`` x ``height`` by area averaging, halved first as often as the
    target allows: OpenCV averages 2x2 blocks far faster than it resizes by any other factor (a
    12 MP photo to 1280 px: 43 ms directly, about 10 ms halved first), and an average of averages
    is the same average. An odd last row or column is dropped before a halving."""
    while image.shape[1] >= 2 * width and image.shape[0] >= 2 * height:
        even = image[: image.shape[0] // 2 * 2, : image.shape[1] // 2 * 2]
        image = cv2.resize(even, (even.shape[1] // 2, even.shape[0] // 2), interpolation=cv2.INTER_AREA)
    if (image.shape[1], image.shape[0]) == (width, height):
        return image
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
