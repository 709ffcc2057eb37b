"""One call from a captured picture to plates and fields: what the seat's worker runs.

The order keeps the cost down: one text detection on a 640 px copy finds a card's cluster of
lines; a card's lines are recognised only where its wanted fields begin (line_selection), and
the plates beside it come from the same detection. A scene without a card is searched for
plates once more at SCENE_DETECT_SIDE or more (``scene_detect_side``), where small plates are
not lost (a shot labelled as a scene is detected at that size straight away), and plates are
recognised only at the few plate-like candidates. Nothing here touches Qt: the UI calls
``OcrReader.read`` from an executor.
"""
from __future__ import annotations

import time

import numpy as np

from . import documents, kinds, line_selection
from .engine import OcrEngine, get_engine
from .field_rules import REQUIRED
from .plate import PlateReader, colourless, read_scene
from .results import DocumentKind, OcrResult, PlateReading, TextLine, to_quad

DETECT_SIDE = 640
# A scene without a document is searched for plates at this size instead: at 640 px a plate
# 90-120 px wide in a 720p frame is often missed (real plate crops pasted into scenes: 78% read
# at 640, 85% at 960), and the frame's time allows it (a document frame needs the time for its card).
SCENE_DETECT_SIDE = 960
# A larger photo is detected at this share of its own size instead (up to SCENE_DETECT_MAX): plates
# further off in a 1.5-2 MP photo are 60-90 px wide, and at 960 px their text is too small for the
# detector (on half A of the shared real photos, 6 of 93 plates were never detected at 960; 5 of
# them were at this share). It also replaces the second look at 1280 px that a large photo with no
# plate found used to get: one detection at the size needed costs less than two.
SCENE_DETECT_SHARE = 0.75  # a 1280x720 frame stays at 960
SCENE_DETECT_MAX = 1280
# Pictures no taller than this with a plate's proportions are tried as a plate crop first.
CROP_MAX_HEIGHT = 240


class OcrReader:
    """Reads plates and documents; thread-safe (the engine serialises model calls)."""

    def __init__(self, engine: OcrEngine | None = None) -> None:
        self.engine = engine or get_engine()
        self.plates = PlateReader(self.engine)

    def warm_up(self) -> None:
        self.engine.warm_up()

    def read(self, image: np.ndarray, kind: str = "auto", expect_scene: bool = False) -> OcrResult:
        """``kind``: plate, driver_licence, vehicle_licence, insurance, or auto (decide from the picture).
        ``expect_scene``: the shot was aimed at the scene (the capture's label). Only a hint about
        cost: the one detection is then made at ``scene_detect_side``, which plates need, instead of
        a cheap one for a card and a second for plates. A card in such a shot is still read."""
        started = time.perf_counter()
        see_colour = not colourless(image)
        image = _as_bgr(image)
        if kind in ("plate", "auto") and looks_like_plate_crop(image):
            crop = self._read_as_crop(image, started, see_colour)
            if crop is not None:
                return crop
        # A plate shot skips the look for a card: its plates are searched at the scene's size anyway.
        side = scene_detect_side(image) if expect_scene and kind == "auto" else DETECT_SIDE
        text_boxes = self.engine.detect(image, side) if kind != "plate" else None
        card = documents.document_lines(text_boxes) if text_boxes else []
        result = self._read_document(image, card, kind) if card else OcrResult(_requested(kind))
        if kind in ("plate", "auto"):
            region = documents.region_of(card) if card else None
            result.plates = self._read_plates(image, text_boxes, side, region, see_colour)
            if result.kind == DocumentKind.UNKNOWN and result.plates:
                result.kind = DocumentKind.PLATE
        result.ms = (time.perf_counter() - started) * 1000
        result.image_size = (image.shape[1], image.shape[0])
        return result

    def _read_as_crop(self, image: np.ndarray, started: float, see_colour: bool) -> OcrResult | None:
        """A picture that is only a plate (a stored crop, a zoomed photo): the detector finds nothing
        on a tight crop, recognition alone reads it (PITFALLS.md). None unless the reading is valid."""
        reading = self.plates.read_crops([image], see_colour=see_colour)[0]
        if not reading.valid:
            return None
        result = OcrResult(DocumentKind.PLATE, plates=[reading])
        result.ms = (time.perf_counter() - started) * 1000
        result.image_size = (image.shape[1], image.shape[0])
        return result

    def read_box(self, image: np.ndarray, box) -> TextLine:
        """Recognise one box of a picture on demand: a line the operator clicked that was not read."""
        quad = np.asarray(box, np.float32).reshape(4, 2)
        return documents.read_lines(self.engine, _as_bgr(image), [quad])[0]

    def _read_plates(self, image: np.ndarray, text_boxes: list[np.ndarray] | None, side: int,
                     region: np.ndarray | None, see_colour: bool = True) -> list[PlateReading]:
        """``text_boxes``: detected at ``side`` px (None: not detected yet)."""
        if region is not None:  # beside a document held up to the camera, plates are not small
            return read_scene(self.plates, image, text_boxes, exclude=region, see_colour=see_colour)
        scene_side = scene_detect_side(image)
        if text_boxes is None or (side < scene_side and max(image.shape[:2]) > 1.2 * side):
            text_boxes = self.engine.detect(image, scene_side)
        return read_scene(self.plates, image, text_boxes, see_colour=see_colour)

    def _read_document(self, image: np.ndarray, quads: list[np.ndarray], kind: str) -> OcrResult:
        """Read the lines the wanted fields begin. If that leaves a field missing, its label was
        probably misread in the line's head (姓名 as 姓汪): read the lines that begin with no known
        label next, and only then the rest, deciding the kind again from all the text."""
        heads = line_selection.read_heads(self.engine, image, quads)
        guess = DocumentKind(kind) if kind != "auto" else line_selection.kind_from_heads(heads)
        if guess not in REQUIRED:
            lines = documents.read_lines(self.engine, image, quads)
        else:
            chosen = line_selection.wanted_lines(guess, quads, heads)
            lines = documents.read_lines(self.engine, image, [quads[i] for i in chosen])
            fields = documents.extract_fields(guess, lines, self.plates)
            more = [] if _complete(guess, fields) else line_selection.unlabelled_lines(heads, chosen)
            if more:
                chosen += more
                lines = _top_to_bottom(lines + documents.read_lines(self.engine, image, [quads[i] for i in more]))
                fields = documents.extract_fields(guess, lines, self.plates)
            if _complete(guess, fields):
                unread = [to_quad(q) for i, q in enumerate(quads) if i not in chosen]
                return OcrResult(guess, fields=fields, lines=lines, unread=unread)
            rest = [q for i, q in enumerate(quads) if i not in chosen]
            lines = _top_to_bottom(lines + documents.read_lines(self.engine, image, rest))
        found = kinds.detect_kind(line.text for line in lines) if kind == "auto" else guess
        return OcrResult(found, fields=documents.extract_fields(found, lines, self.plates), lines=lines)


def _complete(kind: DocumentKind, fields: dict) -> bool:
    return all(name in fields for name in REQUIRED[kind])


def scene_detect_side(image: np.ndarray) -> int:
    """The size a scene is searched for plates at: SCENE_DETECT_SIDE, or SCENE_DETECT_SHARE of a
    larger photo's longer side, up to SCENE_DETECT_MAX (a 12 MP photo's plates are larger)."""
    longest = max(image.shape[:2])
    return int(min(SCENE_DETECT_MAX, max(SCENE_DETECT_SIDE, SCENE_DETECT_SHARE * longest)))


def looks_like_plate_crop(image: np.ndarray) -> bool:
    """Plate-shaped and small: a single-row plate is about 3.1 times as wide as it is high."""
    height, width = image.shape[:2]
    return height <= CROP_MAX_HEIGHT and 2.0 <= width / max(height, 1) <= 6.0


def _requested(kind: str) -> DocumentKind:
    return DocumentKind(kind) if kind != "auto" else DocumentKind.UNKNOWN


def _top_to_bottom(lines: list) -> list:
    return sorted(lines, key=lambda line: (np.mean([p[1] for p in line.box]), min(p[0] for p in line.box)))


def _as_bgr(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return np.repeat(image[..., None], 3, axis=2)
    if image.shape[2] == 4:
        return np.ascontiguousarray(image[..., :3])
    return image
