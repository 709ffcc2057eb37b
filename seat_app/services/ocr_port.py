"""The seat's view of OCR: one blocking call from an RGB picture to overlay items.

The OCR engine (``seat_app.services.ocr``) is CPU-heavy and synchronous; the case
session runs :meth:`OcrPort.read` in an executor. This module adapts whatever the
engine returns into :class:`seat_app.core.evidence.OverlayItem` so the rest of
the seat does not depend on the engine's types.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

import numpy as np

from seat_app.core.evidence import OverlayItem

log = logging.getLogger(__name__)


class OcrPort(Protocol):
    def read(self, rgb: np.ndarray, label: str) -> list[OverlayItem]:
        """What the picture shows; ``label`` (plate, licence, ...) is a hint of what was aimed at."""
        ...


class NullOcr:
    """No OCR available: captures still upload, and the operator types."""

    def read(self, rgb: np.ndarray, label: str) -> list[OverlayItem]:
        return []


class DeferredOcr:
    """Stands in while the models load, so the login window need not wait for them.

    ``read`` runs in an executor, so it may block there until ``set`` hands over the real port.
    """

    def __init__(self, timeout_s: float = 120.0) -> None:
        self._ready = threading.Event()
        self._port: OcrPort = NullOcr()
        self.timeout_s = timeout_s

    def set(self, port: OcrPort) -> None:
        self._port = port
        self._ready.set()

    def read(self, rgb: np.ndarray, label: str) -> list[OverlayItem]:
        self._ready.wait(self.timeout_s)
        return self._port.read(rgb, label)


class FunctionOcr:
    """Wraps a function ``(rgb, label) -> iterable of items`` whose items look like overlay items."""

    def __init__(self, read: Callable[[np.ndarray, str], Iterable[Any]]) -> None:
        self._read = read

    def read(self, rgb: np.ndarray, label: str) -> list[OverlayItem]:
        return [to_overlay_item(item) for item in self._read(rgb, label)]


def to_overlay_item(item: Any) -> OverlayItem:
    """Accepts an OverlayItem, a mapping, or an object with box/text/field/valid attributes."""
    if isinstance(item, OverlayItem):
        return item
    get = item.get if isinstance(item, Mapping) else lambda k, d=None: getattr(item, k, d)
    return OverlayItem(
        box=_box(get("box")), text=str(get("text", "") or ""), field=str(get("field", "") or ""),
        valid=bool(get("valid", get("ok", False))), confidence=float(get("confidence", get("score", 0.0)) or 0.0),
        caption=str(get("caption", "") or ""), flag=str(get("flag", "") or ""),
        alternatives=tuple(str(a) for a in get("alternatives", ()) or ()),
    )


def _box(raw: Any) -> tuple[int, int, int, int]:
    """(x, y, w, h) from a rect or from a polygon of points."""
    if raw is None:
        return (0, 0, 0, 0)
    points = np.asarray(raw, dtype=float)
    if points.ndim == 1 and points.size == 4:
        x, y, w, h = points
        return int(x), int(y), int(w), int(h)
    points = points.reshape(-1, 2)
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    return int(x0), int(y0), int(x1 - x0), int(y1 - y0)


def overlay_json(items: Iterable[OverlayItem]) -> dict[str, Any]:
    """What the server keeps (PUT /api/evidence/{id}/ocr): fields read plus every box."""
    items = list(items)
    return {
        "fields": {i.field: i.text for i in items if i.field and i.valid},
        "items": [{"box": list(i.box), "text": i.text, "field": i.field, "valid": i.valid,
                   "confidence": round(i.confidence, 3)} for i in items],
    }
