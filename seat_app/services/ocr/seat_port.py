"""The local OCR as the seat's ``OcrPort``: RGB frame and capture label in, overlay items out.

The seat's capture pipeline (``seat_app.services.evidence_capture``) calls ``read`` in an
executor with the frame as RGB and the label the operator aimed the shot at. A plate shot
is read as plates only (faster); everything else in ``auto`` mode, which tells the
documents apart by their wording more reliably than an operator's hurried label. The label
only steers cost: a scene shot is detected once at the size plates need, a document shot
first at the cheaper size a card needs; either still finds what the other was aimed at.
"""
from __future__ import annotations

import numpy as np

from .overlay import OverlayItem, overlay_items
from .reader import OcrReader

# Capture labels of seat_app.core.evidence -> reading mode; the rest read in auto mode.
MODE_FOR_LABEL = {"plate": "plate"}
# Labels of shots aimed at the scene: read at the plates' detection size straight away.
SCENE_LABELS = frozenset({"scene", "impact", "together"})


class LocalOcr:
    def __init__(self, reader: OcrReader | None = None) -> None:
        self.reader = reader or OcrReader()

    def read(self, rgb: np.ndarray, label: str) -> list[OverlayItem]:
        """Items with text; boxes of lines not read are left out, as the seat's items carry text."""
        result = self.reader.read(_bgr(rgb), MODE_FOR_LABEL.get(label, "auto"), expect_scene=label in SCENE_LABELS)
        items = overlay_items(result)
        return [item for item in items if item.text]

    def read_box(self, rgb: np.ndarray, box) -> str:
        """The text in one box of the picture, read on demand."""
        return self.reader.read_box(_bgr(rgb), box).text


def _bgr(rgb: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(rgb[..., 2::-1]) if rgb.ndim == 3 else rgb


def make_ocr() -> LocalOcr:
    """Load the models and warm them up: call at start-up, off the UI thread."""
    port = LocalOcr()
    port.reader.warm_up()
    return port
