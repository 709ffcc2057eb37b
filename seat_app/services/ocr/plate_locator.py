"""Find where plates might be in a scene, cheaply, before anything is recognised.

Two cheap cues on a downscaled copy, because each misses what the other catches:

* the text detector at 640 px (about 30 ms) finds plate text whatever the colour, but
  drops very small or blurred plates;
* colour masks (blue, yellow, new-energy green) find the plate's painted background even
  when its text is too small to detect, but fail on a car of the plate's own colour.

Candidates are quadrilaterals in full-resolution coordinates, ranked by how plate-like
they look; the caller recognises only the best few, on crops cut from the full frame.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .geometry import linked_groups, quad_size, shrink

LOCATE_SIDE = 640  # px, longer side of the copy the cues run on
PLATE_ASPECT = (1.8, 7.0)  # width / height of a plate or of its text line, allowing for skew and blur
MIN_PLATE_HEIGHT = 5  # px on the downscaled copy
MAX_CANDIDATES = 10
NEW_ENERGY_ASPECT = 480 / 140
TWO_ROW_ASPECT = 2.6  # a plate-coloured region narrower than this (width / height) is a two-row plate

# (hue range, minimum saturation, minimum value) in OpenCV's 0-180 hue scale.
COLOUR_RANGES = {
    "blue": ((100, 125), 90, 35),
    "yellow": ((15, 34), 100, 60),
    "green": ((38, 85), 50, 60),
}


# How to cut a candidate out, as (width, height) margins: first choice, then a second try if the
# first reads poorly. The detector's boxes run well beyond the characters (its DB post-processing
# grows every text region), and the recogniser reads plates best cut close to the characters
# (93.7% against 78% on degraded synthetic scenes); colour regions already follow the plate's edge.
TEXT_MARGINS = ((-0.02, -0.1), (0.04, 0.12))
COLOUR_MARGINS = ((0.0, 0.0), (0.04, 0.12))


@dataclass(frozen=True)
class PlateCandidate:
    quad: np.ndarray  # 4x2 float32, full-resolution coordinates, clockwise from top left
    source: str  # "text" or the colour name
    score: float  # higher is more plate-like
    ground: float = 1.0  # share of the region painted in a plate colour (a colour region: all of it)

    @property
    def aspect(self) -> float:
        width, height = quad_size(self.quad)
        return width / max(height, 1e-6)

    @property
    def margins(self) -> tuple[tuple[float, float], tuple[float, float]]:
        return TEXT_MARGINS if self.source in ("text", "joined") else COLOUR_MARGINS


def find_candidates(image: np.ndarray, text_boxes: list[np.ndarray]) -> list[PlateCandidate]:
    """Plate-like regions of ``image``; ``text_boxes`` are the detector's lines on the same image."""
    scale = min(1.0, LOCATE_SIDE / max(image.shape[:2]))
    small = shrink(image, round(image.shape[1] * scale), round(image.shape[0] * scale)) if scale < 1 else image
    hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
    candidates = [c for c in (_from_text(box, scale, hsv) for box in text_boxes) if c is not None]
    candidates += [c for c in (_from_text(box, scale, hsv, "joined") for box in _joined_lines(text_boxes)) if c]
    candidates += _from_colour(hsv, scale)
    return _suppress_overlaps(sorted(candidates, key=lambda c: c.score, reverse=True))[:MAX_CANDIDATES]


def _from_text(box: np.ndarray, scale: float, hsv: np.ndarray, source: str = "text") -> PlateCandidate | None:
    """A detected line shaped like a plate; lines on a plate-coloured ground rank first, so that
    shop signs and badges do not crowd the plates out of the few candidates recognised."""
    width, height = quad_size(box)
    if height * scale < MIN_PLATE_HEIGHT or not PLATE_ASPECT[0] <= width / max(height, 1) <= PLATE_ASPECT[1]:
        return None
    aspect_fit = 1.0 - min(1.0, abs(width / height - 3.6) / 3.0)
    ground = _plate_ground(hsv, box * scale)
    return PlateCandidate(box.astype(np.float32), source, 1.0 + aspect_fit + ground, ground)


def _joined_lines(boxes: list[np.ndarray]) -> list[np.ndarray]:
    """Boxes the detector split along one line, joined: on a plate seen close up, the gaps
    around the province character and a 警/学 suffix are wide enough to break the line."""
    groups = linked_groups(len(boxes), lambda i, j: _same_line(boxes[i], boxes[j]))
    joined = [np.concatenate([boxes[i] for i in group]) for group in groups if len(group) > 1]
    return [_order(cv2.boxPoints(cv2.minAreaRect(points.astype(np.float32)))) for points in joined]


def _same_line(a: np.ndarray, b: np.ndarray) -> bool:
    """Similar height, on one baseline, less than a character height apart."""
    _, ha = quad_size(a)
    _, hb = quad_size(b)
    if not 0.7 <= ha / max(hb, 1e-6) <= 1.4:
        return False
    along = (a[1] - a[0]) / max(np.linalg.norm(a[1] - a[0]), 1e-6)
    across = np.array([-along[1], along[0]])
    offset = b.mean(axis=0) - a.mean(axis=0)
    if abs(float(offset @ across)) > 0.3 * ha:
        return False
    a_span = (a - a.mean(axis=0)) @ along
    b_span = (b - a.mean(axis=0)) @ along
    gap = max(b_span.min() - a_span.max(), a_span.min() - b_span.max())
    return gap < 0.8 * ha


def _plate_ground(hsv: np.ndarray, quad: np.ndarray) -> float:
    """Share of the region painted in a plate colour (blue, yellow, new-energy green)."""
    region = _region(hsv, quad)
    if len(region) == 0:
        return 0.0
    painted = np.zeros(len(region), bool)
    for (h0, h1), s_min, v_min in COLOUR_RANGES.values():
        painted |= (region[:, 0] >= h0) & (region[:, 0] <= h1) & (region[:, 1] >= s_min) & (region[:, 2] >= v_min)
    return float(painted.mean())


def _region(hsv: np.ndarray, quad: np.ndarray) -> np.ndarray:
    x0, y0 = np.floor(quad.min(axis=0)).astype(int)
    x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
    return hsv[max(0, y0):y1 + 1, max(0, x0):x1 + 1].reshape(-1, 3).astype(np.int32)


def _from_colour(hsv: np.ndarray, scale: float) -> list[PlateCandidate]:
    found = []
    for colour, ((h0, h1), s_min, v_min) in COLOUR_RANGES.items():
        mask = cv2.inRange(hsv, (h0, s_min, v_min), (h1, 255, 255))
        regions = [(q, s) for q, s in _plate_shaped_regions(mask) if _has_characters(hsv, q, light_ink=colour == "blue")]
        if colour == "green":
            regions = [(_whole_new_energy_plate(q), s) for q, s in regions]
        found += [PlateCandidate(q / scale, colour, s) for q, s in regions]
    return found


def _whole_new_energy_plate(quad: np.ndarray) -> np.ndarray:
    """A new-energy plate fades to white at the top, outside the green mask: grow the region
    upwards until it has the plate's 480:140 proportions."""
    width, height = quad_size(quad)
    missing = width / NEW_ENERGY_ASPECT - height
    if missing <= 0:
        return quad
    up = (quad[0] - quad[3] + quad[1] - quad[2]) / 2
    up /= max(np.linalg.norm(up), 1e-6)
    grown = quad.copy()
    grown[0] += up * missing
    grown[1] += up * missing
    return grown


def _has_characters(hsv: np.ndarray, quad: np.ndarray, light_ink: bool) -> bool:
    """Some, not most, of the region is ink: a plate, not a patch of sky or a car door."""
    region = _region(hsv, quad)
    if len(region) == 0:
        return False
    if light_ink:  # relative to the plate's own ground: blur and dusk leave white characters grey
        value, saturation = region[:, 2], region[:, 1]
        ground_v, ground_s = np.median(value), np.median(saturation)
        ink = (value >= max(ground_v * 1.3, ground_v + 25)) & (saturation < ground_s)
    else:
        ink = region[:, 2] < np.percentile(region[:, 2], 50) * 0.6
    return 0.05 <= float(ink.mean()) <= 0.6


def _plate_shaped_regions(mask: np.ndarray) -> list[tuple[np.ndarray, float]]:
    """Closed, filled, plate-proportioned blobs of a colour mask, with a plate-likeness score."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 3))
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    regions = []
    for contour in contours:
        if cv2.contourArea(contour) < 40:
            continue
        (cx, cy), (w, h), angle = cv2.minAreaRect(contour)
        if w < h:
            w, h, angle = h, w, angle + 90
        if h < MIN_PLATE_HEIGHT or not PLATE_ASPECT[0] <= w / h <= PLATE_ASPECT[1] or abs(_wrap(angle)) > 25:
            continue
        fill = cv2.contourArea(contour) / (w * h)
        if fill < 0.5:
            continue
        quad = _order(cv2.boxPoints(((cx, cy), (w, h), angle)))
        regions.append((quad, 0.5 + fill))
    return regions


def _wrap(angle: float) -> float:
    return (angle + 90) % 180 - 90


def _suppress_overlaps(candidates: list[PlateCandidate]) -> list[PlateCandidate]:
    """Best first; a candidate overlapping a better one goes, with two exceptions: a joined line
    and its parts are both kept (the join may have taken in a neighbouring sign), and so is a
    squat plate-coloured region around a detected line (a two-row plate, whose rows the
    detector finds as two separate lines)."""
    kept: list[PlateCandidate] = []
    for candidate in candidates:
        if all(_may_coexist(candidate, other) for other in kept):
            kept.append(candidate)
    return kept


def _may_coexist(candidate: PlateCandidate, better: PlateCandidate) -> bool:
    if {candidate.source, better.source} == {"text", "joined"}:
        return True
    if candidate.source in COLOUR_RANGES and candidate.aspect < TWO_ROW_ASPECT:
        return overlap(candidate.quad, better.quad, of_first=True) < 0.85
    return overlap(candidate.quad, better.quad) < 0.3


def overlap(a: np.ndarray, b: np.ndarray, of_first: bool = False) -> float:
    """Intersection over the smaller box (or over ``a``), on axis-aligned bounds."""
    ax0, ay0, ax1, ay1 = *a.min(axis=0), *a.max(axis=0)
    bx0, by0, bx1, by1 = *b.min(axis=0), *b.max(axis=0)
    inter = max(0.0, min(ax1, bx1) - max(ax0, bx0)) * max(0.0, min(ay1, by1) - max(ay0, by0))
    area_a = (ax1 - ax0) * (ay1 - ay0)
    base = area_a if of_first else min(area_a, (bx1 - bx0) * (by1 - by0))
    return float(inter / base) if base > 0 else 0.0


def _order(points: np.ndarray) -> np.ndarray:
    """Clockwise from top left."""
    points = np.asarray(points, np.float32)
    by_sum, by_diff = points.sum(axis=1), np.diff(points, axis=1)[:, 0]
    return np.array([points[by_sum.argmin()], points[by_diff.argmin()], points[by_sum.argmax()],
                     points[by_diff.argmax()]], np.float32)


def cut_out(image: np.ndarray, quad: np.ndarray, margin: tuple[float, float] = (0.04, 0.12)) -> np.ndarray:
    """The quad straightened into an upright crop, grown by ``margin`` (of width, of height) each side."""
    width, height = quad_size(quad)
    grown = grow(quad, margin[0] * width, margin[1] * height)
    out_w, out_h = max(8, int(round(width * (1 + 2 * margin[0])))), max(8, int(round(height * (1 + 2 * margin[1]))))
    target = np.float32([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]])
    matrix = cv2.getPerspectiveTransform(grown.astype(np.float32), target)
    return cv2.warpPerspective(image, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def grow(quad: np.ndarray, dx: float, dy: float) -> np.ndarray:
    """Move each side of the quad outwards: the left/right sides by ``dx``, top/bottom by ``dy``."""
    quad = np.asarray(quad, np.float32)
    across = ((quad[1] - quad[0]) + (quad[2] - quad[3])) / 2
    down = ((quad[3] - quad[0]) + (quad[2] - quad[1])) / 2
    ux = across / max(np.linalg.norm(across), 1e-6)
    uy = down / max(np.linalg.norm(down), 1e-6)
    signs = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], np.float32)
    return quad + signs[:, :1] * ux * dx + signs[:, 1:] * uy * dy
