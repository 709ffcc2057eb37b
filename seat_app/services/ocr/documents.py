"""Read the fields of a driving licence, vehicle licence or insurance paper from a picture.

The card is found as the tight cluster of text lines the detector sees on the downscaled
frame (a licence held up at the roadside has a dozen lines; a car has one or two), and only
those lines are recognised, each cut from the full-resolution picture. Fields are then
found by their printed labels, not by position: labels survive perspective, other print
runs, and the sticker form of the insurance, where a fixed layout would not.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .engine import OcrEngine
from .geometry import linked_groups, quad_size
from .field_rules import ALL_LABELS, RULES, FieldRule
from .plate import CLOSE_RATIO, CONFUSABLE, CONFUSABLE_REASON, MIN_ALTERNATIVE_PROB, PlateReader
from .plate_locator import cut_out
from .results import DocumentKind, OcrField, Quad, TextLine, to_quad

MIN_DOCUMENT_LINES = 4
NEIGHBOUR_GAP = 5.0  # line heights: lines closer than this belong to the same card
SMALL_PRINT = 0.6  # lines lower than this share of the typical line are English sub-labels: not read
LINE_MARGINS = (0.0, 0.0)  # the detector's own margin: trimming 0.3 line heights off each end cost 4% of fields
LINE_TAIL = 16  # px of blank after each line: lines keep the detector's margin, so less than plates need
# Fields with no checksum to catch a misread 0/O/D, 8/B...: their confusable characters are marked.
NO_CHECKSUM = ("engine_number", "policy_number")


# --- finding the card -----------------------------------------------------------------
def document_lines(text_boxes: list[np.ndarray]) -> list[np.ndarray]:
    """The text lines of the largest card-like cluster, top to bottom; [] if there is none."""
    boxes = [b for b in text_boxes if _height(b) > 0]
    if len(boxes) < MIN_DOCUMENT_LINES:
        return []
    cluster = max(_clusters(boxes), key=len)
    if len(cluster) < MIN_DOCUMENT_LINES:
        return []
    heights = np.array([_height(boxes[i]) for i in cluster])
    typical = float(np.median(heights))
    kept = [boxes[i] for i in cluster if _height(boxes[i]) >= SMALL_PRINT * typical]
    return sorted(kept, key=lambda b: (float(b[:, 1].mean()), float(b[:, 0].min())))


def _clusters(boxes: list[np.ndarray]) -> list[list[int]]:
    """Single-linkage groups of boxes whose edges lie within NEIGHBOUR_GAP line heights."""
    bounds = np.array([[*b.min(axis=0), *b.max(axis=0)] for b in boxes])
    heights = np.array([_height(b) for b in boxes])
    return linked_groups(len(boxes),
                         lambda i, j: _gap(bounds[i], bounds[j]) <= NEIGHBOUR_GAP * min(heights[i], heights[j]))


def _gap(a: np.ndarray, b: np.ndarray) -> float:
    dx = max(0.0, max(a[0], b[0]) - min(a[2], b[2]))
    dy = max(0.0, max(a[1], b[1]) - min(a[3], b[3]))
    return float(max(dx, dy))


def _height(box: np.ndarray) -> float:
    return quad_size(box)[1]


REGION_MARGIN = 3.0  # line heights around the card's lines that are still the card: small print, the stamp


def region_of(lines: list[np.ndarray]) -> np.ndarray:
    """Axis-aligned bounds (x0, y0, x1, y1) of the card: its lines, grown by REGION_MARGIN line
    heights, so that the English sub-label and the stamp under its last line are not read as plates."""
    points = np.concatenate(lines)
    grow = REGION_MARGIN * float(np.median([_height(line) for line in lines]))
    return np.array([*(points.min(axis=0) - grow), *(points.max(axis=0) + grow)])


def read_lines(engine: OcrEngine, image: np.ndarray, quads: list[np.ndarray]) -> list[TextLine]:
    crops = [cut_out(image, q, LINE_MARGINS) for q in quads]
    return [TextLine(r.text, r.confidence, to_quad(q), r.probs, r.frames)
            for r, q in zip(engine.recognise(crops, LINE_TAIL), quads)]


# --- labels and values ------------------------------------------------------------------
@dataclass(frozen=True)
class Segment:
    """A label on a line and the text that follows it up to the next label."""

    label: str
    value: str
    line: TextLine
    value_span: tuple[int, int]  # character offsets of the value in line.text


def segments(line: TextLine) -> list[Segment]:
    found = _find_labels(line.text)
    out = []
    for k, (label, start, end) in enumerate(found):
        stop = found[k + 1][1] if k + 1 < len(found) else len(line.text)
        lead = len(line.text[end:stop]) - len(line.text[end:stop].lstrip(" :：.·"))
        out.append(Segment(label, line.text[end + lead:stop].strip(), line, (end + lead, stop)))
    return out


def _find_labels(text: str) -> list[tuple[str, int, int]]:
    """Printed labels in a line, left to right, longest first. An exact label wins; failing
    that, one wrong character is forgiven in labels of four or more (a misread glyph)."""
    found, i = [], 0
    while i < len(text):
        label = next((lb for lb in ALL_LABELS if text.startswith(lb, i)), None)
        label = label or next((lb for lb in ALL_LABELS if _near_label_at(text, i, lb)), None)
        if label is None:
            i += 1
            continue
        found.append((label, i, i + len(label)))
        i += len(label)
    return found


def _near_label_at(text: str, i: int, label: str) -> bool:
    window = text[i:i + len(label)]
    if len(label) < 4 or len(window) < len(label) or window[0] != label[0]:
        return False
    return sum(a != b for a, b in zip(window, label)) == 1


def extract_fields(kind: DocumentKind, lines: list[TextLine], plates: PlateReader | None = None) -> dict[str, OcrField]:
    """Every field of ``kind`` that can be found in the lines, checked by its validator.
    With ``plates``, a printed plate number is decoded against the plate grammar."""
    all_segments = [s for line in lines for s in segments(line)]
    fields = {}
    for rule in RULES.get(kind, ()):
        found = _find_value(rule, all_segments, lines)
        if found is None:
            continue
        fields[rule.name] = _field(rule, *found)
        if rule.name == "plate" and plates is not None:
            fields[rule.name] = _as_plate(fields[rule.name], *found[1:], plates)
        if rule.name in NO_CHECKSUM and plates is not None:
            fields[rule.name] = _mark_confusable(fields[rule.name], found[1], found[2], plates.engine.char_index)
    return fields


def _mark_confusable(found: OcrField, line: TextLine, span: tuple[int, int], index: dict[str, int]) -> OcrField:
    """An engine or policy number has no checksum: where the model rated a look-alike (0/O/D,
    8/B, 1/I...) almost as high as the character read, the field is flagged "confusable" with
    those look-alikes per character, and does not fill its field on its own."""
    start = line.text.find(found.text, span[0])
    if line.probs is None or len(line.frames) != len(line.text) or start < 0:
        return found
    alternatives = []
    for k, ch in enumerate(found.text):
        frame = line.probs[line.frames[start + k]]
        chosen = frame[index[ch]] if ch in index else 0.0
        others = [o for pair in CONFUSABLE if ch in pair for o in pair if o != ch and o in index]
        alternatives.append(tuple(o for o in sorted(others, key=lambda o: -frame[index[o]])
                                  if frame[index[o]] >= max(CLOSE_RATIO * chosen, MIN_ALTERNATIVE_PROB)))
    if not any(alternatives):
        return found
    return replace(found, valid=False, reason=CONFUSABLE_REASON, alternatives=tuple(alternatives))


def _as_plate(found: OcrField, line: TextLine, span: tuple[int, int], plates: PlateReader) -> OcrField:
    """Re-read the value's frames with the plate grammar: the recogniser sees 川 as 川I in running text."""
    if line.probs is None or len(line.frames) != len(line.text) or span[0] >= span[1]:
        return found
    first = line.frames[span[0] - 1] + 1 if span[0] > 0 else 0
    last = line.frames[span[1]] - 1 if span[1] < len(line.frames) else len(line.probs) - 1
    read = plates.read_printed(line.probs[first:last + 1], line.text[span[0]:span[1]])
    if read is None:
        return found
    text, confidence, valid, reason = read
    return OcrField(found.name, text, confidence, found.box, valid, reason)


def _find_value(rule: FieldRule, all_segments: list[Segment], lines: list[TextLine]):
    for label in rule.labels:
        for segment in (s for s in all_segments if s.label == label):
            value = rule.parse(segment.value)
            if value:
                return value, segment.line, segment.value_span
            neighbour = _right_neighbour(segment.line, lines)
            value = rule.parse(neighbour.text) if neighbour else None
            if value:
                return value, neighbour, (0, len(neighbour.text))
    if rule.fallback is not None:
        for line in lines:
            value = rule.fallback(line.text)
            if value:
                return value, line, (0, len(line.text))
    return None


def _right_neighbour(line: TextLine, lines: list[TextLine]) -> TextLine | None:
    """The nearest line further along the same row: a value detected apart from its label.
    Distances are measured along the label's own baseline, as the card may be turned. A box
    read as nothing (a speck between label and value) is passed over."""
    box = np.array(line.box, float)
    along = (box[1] - box[0]) + (box[2] - box[3])
    along /= max(np.linalg.norm(along), 1e-6)
    across = np.array([-along[1], along[0]])
    centre, height = box.mean(axis=0), _height(box)
    end = float(np.max((box - centre) @ along))
    best, best_gap = None, 6.0 * height
    for other in lines:
        other_box = np.array(other.box, float)
        offset = other_box - centre
        gap = float(np.min(offset @ along)) - end
        drift = abs(float(other_box.mean(axis=0) @ across - centre @ across))
        if (other is not line and other.text.strip()  # a box read as nothing holds no value
                and drift < 0.5 * height and -height < gap < best_gap):  # det boxes overlap
            best, best_gap = other, gap
    if best is not None and _find_labels(best.text[:6]):
        return None
    return best


def _field(rule: FieldRule, value: str, line: TextLine, span: tuple[int, int]) -> OcrField:
    check = rule.check(value)
    return OcrField(rule.name, value, line.confidence, _sub_box(line, span), check.ok, check.reason)


def _sub_box(line: TextLine, span: tuple[int, int]) -> Quad:
    """The part of a line's box holding characters ``span``: Chinese characters are about twice
    as wide as Latin letters and digits."""
    weights = np.array([1.0 if ord(ch) > 0x2E80 else 0.55 for ch in line.text] or [1.0])
    edges = np.concatenate(([0.0], np.cumsum(weights))) / weights.sum()
    start, stop = edges[min(span[0], len(weights))], edges[min(span[1], len(weights))]
    box = np.array(line.box, float)
    top = box[0] + (box[1] - box[0]) * np.array([[start], [stop]])
    bottom = box[3] + (box[2] - box[3]) * np.array([[stop], [start]])
    return to_quad(np.vstack([top, bottom]))
