"""One call from a captured picture to plates and fields: what the seat's worker runs.

The order keeps the cost down: one text detection on a 640 px copy serves both plates and
documents; a card is recognised line by line only when its cluster of lines is there, and
plates only at the few plate-like candidates. Nothing here touches Qt: the UI calls
``OcrReader.read`` from an executor and shows the result.
"""
from __future__ import annotations

import time

import numpy as np

from . import documents, kinds
from .engine import OcrEngine, get_engine
from .plate import PlateReader, read_scene
from .results import DocumentKind, OcrResult

DETECT_SIDE = 640
# When a scene shows no plate at 640 px, look once more at this size: a plate far from the
# camera in a full-resolution photo can be too small for the first pass.
DETECT_SIDE_AGAIN = 1280


class OcrReader:
    """Reads plates and documents; thread-safe (the engine serialises model calls)."""

    def __init__(self, engine: OcrEngine | None = None) -> None:
        self.engine = engine or get_engine()
        self.plates = PlateReader(self.engine)

    def warm_up(self) -> None:
        self.engine.warm_up()

    def read(self, image: np.ndarray, kind: str = "auto") -> OcrResult:
        """``kind``: plate, driver_licence, vehicle_licence, insurance, or auto (decide from the picture)."""
        started = time.perf_counter()
        image = _as_bgr(image)
        text_boxes = self.engine.detect(image, DETECT_SIDE)
        result = self._read_document(image, text_boxes, kind) if kind != "plate" else OcrResult(DocumentKind.PLATE)
        if kind in ("plate", "auto"):
            result.plates = self._read_plates(image, text_boxes, result)
            if result.kind == DocumentKind.UNKNOWN and result.plates:
                result.kind = DocumentKind.PLATE
        result.ms = (time.perf_counter() - started) * 1000
        result.image_size = (image.shape[1], image.shape[0])
        return result

    def _read_plates(self, image: np.ndarray, text_boxes: list[np.ndarray], result: OcrResult) -> list:
        region = _document_region(result)
        plates = read_scene(self.plates, image, text_boxes, exclude=region)
        if plates or region is not None or max(image.shape[:2]) < 1.5 * DETECT_SIDE:
            return plates
        return read_scene(self.plates, image, self.engine.detect(image, DETECT_SIDE_AGAIN))

    def _read_document(self, image: np.ndarray, text_boxes: list[np.ndarray], kind: str) -> OcrResult:
        quads = documents.document_lines(text_boxes)
        if not quads:
            return OcrResult(DocumentKind(kind) if kind != "auto" else DocumentKind.UNKNOWN)
        lines = documents.read_lines(self.engine, image, quads)
        found = kinds.detect_kind(line.text for line in lines) if kind == "auto" else DocumentKind(kind)
        fields = documents.extract_fields(found, lines, self.plates)
        return OcrResult(found, fields=fields, lines=lines)


def _document_region(result: OcrResult) -> np.ndarray | None:
    if not result.lines:
        return None
    return documents.region_of([np.array(line.box, float) for line in result.lines])





def _as_bgr(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return np.repeat(image[..., None], 3, axis=2)
    if image.shape[2] == 4:
        return np.ascontiguousarray(image[..., :3])
    return image
