"""The shared engine: one model set, safe across worker threads, usable before and after warm-up."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np

from kuaichu_artwork import artwork
from seat_app.services.ocr import engine as engine_module
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


def test_batches_hold_every_line_once_and_stay_within_their_bounds():
    widths = [600, 90, 95, 100, 2000, 580, 610, 96, 97, 98, 99, 101, 102, 300, 310]
    batches = engine_module._batches_by_width(widths)
    assert sorted(i for batch in batches for i in batch) == list(range(len(widths)))
    for batch in batches:
        padded = max(widths[i] for i in batch)
        assert len(batch) <= engine_module.REC_BATCH
        assert len(batch) == 1 or len(batch) * padded <= engine_module.REC_BATCH_WIDTH
        assert padded <= min(widths[i] for i in batch) * 1.3 + 16


def test_models_run_with_the_memory_arena_and_without_spinning_threads(engine: OcrEngine):
    det = engine._ocr.text_det.infer.session.get_session_options()
    rec = engine._ocr.text_rec.session.session.get_session_options()
    assert det.enable_cpu_mem_arena and rec.enable_cpu_mem_arena
    assert det.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    assert rec.get_session_config_entry("session.intra_op.allow_spinning") == "0"
