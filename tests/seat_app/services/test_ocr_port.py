"""The seat's OCR port: adapting the engine's items, and standing in while the models load."""
from __future__ import annotations

import threading

import numpy as np

from seat_app.core.evidence import OverlayItem
from seat_app.services.ocr_port import DeferredOcr, FunctionOcr, to_overlay_item


def test_engine_items_become_overlay_items_with_a_rectangle_around_their_quad():
    class Item:
        box = ((10, 20), (110, 22), (108, 60), (12, 58))
        text, field, valid, confidence, caption = "川A5F7K2", "plate", True, 0.97, "号牌号码（蓝牌）"

    item = to_overlay_item(Item())
    assert item == OverlayItem((10, 20, 100, 40), "川A5F7K2", "plate", True, 0.97, "号牌号码（蓝牌）")
    assert FunctionOcr(lambda rgb, label: [Item()]).read(np.zeros((2, 2, 3), np.uint8), "scene")[0] == item


def test_a_deferred_ocr_waits_for_the_engine_then_reads_with_it():
    ocr, read = DeferredOcr(timeout_s=5), []
    reader = threading.Thread(target=lambda: read.extend(ocr.read(np.zeros((4, 4, 3), np.uint8), "plate")))
    reader.start()

    class Engine:
        def read(self, rgb, label):
            return [OverlayItem((0, 0, 1, 1), "川A12345", "plate", True)]

    ocr.set(Engine())
    reader.join(5)
    assert [i.text for i in read] == ["川A12345"]
