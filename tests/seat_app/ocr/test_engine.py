"""The shared engine: one model set, safe across worker threads, usable before and after warm-up."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np

from seat_app.phone_sim import artwork
from seat_app.services.ocr.engine import OcrEngine, get_engine


def test_get_engine_is_one_instance():
    assert get_engine() is get_engine()


def test_detects_on_a_downscaled_copy_but_answers_in_full_resolution(engine: OcrEngine):
    frame = np.full((1080, 1920, 3), 235, np.uint8)
    cv2.putText(frame, "KUAICHU 12345", (1200, 900), cv2.FONT_HERSHEY_SIMPLEX, 3, (0, 0, 0), 8)
    boxes = engine.detect(frame, max_side=640)
    assert len(boxes) == 1
    x0, y0 = boxes[0].min(axis=0)
    x1, y1 = boxes[0].max(axis=0)
    assert 1150 < x0 < 1220 and x1 > 1750 and 780 < y0 < 860 and 900 < y1 < 960


def test_concurrent_reads_from_worker_threads_agree(engine: OcrEngine):
    plates = [artwork.render_plate(text, colour) for text, colour in
              [("川A5F7K2", "blue"), ("苏E1234学", "yellow"), ("粤BD12345", "green"), ("京N8P8F8", "blue")]]
    alone = [r.text for r in engine.recognise(plates)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda p: engine.recognise([p])[0].text, plates * 3))
    assert together == alone * 3


def test_recognise_of_nothing_is_nothing(engine: OcrEngine):
    assert engine.recognise([]) == []
