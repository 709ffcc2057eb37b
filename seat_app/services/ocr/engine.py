"""The one PP-OCRv4 model set of the seat, loaded once and shared by every reader.

RapidOCR's own ``__call__`` scales a 720p frame up to 736 px on its short side before
detecting, which costs about 340 ms on two cores (bench/ocr_bench.py measures it). The readers here never need that:
they detect on a downscaled picture (a 640 px frame detects in about 30 ms) and send
only the regions they care about to the recogniser, whose per-frame character
probabilities they keep so that plates can be decoded against the plate grammar.

Models ship inside the rapidocr-onnxruntime wheel; nothing is downloaded. Calls are
serialised with a lock: onnxruntime already uses both cores for one call, and two
concurrent calls would only fight over them.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import cv2
import numpy as np

from .geometry import shrink

REC_HEIGHT = 48
REC_HEIGHT_SMALL = 32  # a cheaper look, for short print that only has to be told apart (line_selection)
REC_TAIL = 64  # blank padding after each line: without it the last character is often lost (99.1% vs 97.4%
# on the real plate crops with 16 px); more than 64 px changes nothing but costs time
REC_MAX_WIDTH = 1600
REC_FRAMES_PER_PX = 1 / 8  # the recogniser emits one CTC frame per 8 px of input width
REC_BATCH = 8
# Lines per batch times their padded width, at most: beyond it a batch costs more per line than
# smaller ones (8 lines of 600 px took 33 ms a line, 4 of them 25 ms, one alone 27 ms).
REC_BATCH_WIDTH = 2400
DET_MEAN_STD = 0.5
# Mean text probability a detected box needs. RapidOCR's 0.5 suits its 736 px input; on the
# 640 px copy, small print (a licence's dates, a 'C1') scores 0.3-0.5 and would be lost.
DET_BOX_THRESHOLD = 0.3


@dataclass(frozen=True)
class Recognition:
    """One text line as the recogniser saw it."""

    text: str
    confidence: float
    probs: np.ndarray  # (frames, charset) softmax, only the frames that cover the line itself
    frames: tuple[int, ...] = ()  # the frame where each character of ``text`` was read


class OcrEngine:
    """PP-OCRv4 detection and recognition on the CPU, safe to call from any worker thread."""

    def __init__(self, threads: int | None = None) -> None:
        from rapidocr_onnxruntime import RapidOCR  # heavy import: keep it out of module import time

        options = {}
        if threads:
            options = {"intra_op_num_threads": threads}
        self._ocr = RapidOCR(**options)
        self._ocr.text_det.postprocess_op.box_thresh = DET_BOX_THRESHOLD
        det, rec = self._ocr.text_det.infer, self._ocr.text_rec.session
        det.session = _session_with_arena(det.session, threads)
        rec.session = _session_with_arena(rec.session, threads)
        self._lock = threading.Lock()
        self.charset: list[str] = list(self._ocr.text_rec.postprocess_op.character)
        self.char_index: dict[str, int] = {ch: i for i, ch in enumerate(self.charset)}
        self._warm = False

    # --- detection ------------------------------------------------------------------
    def detect(self, image: np.ndarray, max_side: int = 640) -> list[np.ndarray]:
        """Text-line quadrilaterals (4x2 float32, clockwise from top left) in ``image`` coordinates,
        found on a copy scaled so its longer side is at most ``max_side``."""
        height, width = image.shape[:2]
        tensor = self._det_input(image, max_side)
        with self._lock:
            pred = self._ocr.text_det.infer(tensor)[0]
        boxes, _scores = self._ocr.text_det.postprocess_op(pred, (height, width))
        if boxes is None or len(boxes) == 0:
            return []
        return list(self._ocr.text_det.filter_tag_det_res(np.asarray(boxes, np.float32), (height, width)))

    @staticmethod
    def _det_input(image: np.ndarray, max_side: int) -> np.ndarray:
        height, width = image.shape[:2]
        ratio = min(1.0, max_side / max(height, width))
        size_w = max(32, int(round(width * ratio / 32)) * 32)
        size_h = max(32, int(round(height * ratio / 32)) * 32)
        resized = shrink(image, size_w, size_h)
        tensor = (resized.astype(np.float32) / 255.0 - DET_MEAN_STD) / DET_MEAN_STD
        return tensor.transpose(2, 0, 1)[np.newaxis]

    # --- recognition ----------------------------------------------------------------
    def recognise(self, lines: list[np.ndarray], tail: int = REC_TAIL, height: int = REC_HEIGHT) -> list[Recognition]:
        """Read single text lines (BGR crops, any size); one Recognition per line, same order.
        ``tail``: blank pixels after each line (see REC_TAIL). ``height``: the model is trained at
        48 px; smaller is cheaper (cost grows with its square) and still reads short large print."""
        if not lines:
            return []
        tensors = [_rec_tensor(line, height) for line in lines]
        results: list[Recognition | None] = [None] * len(lines)
        for batch in _batches_by_width([t.shape[2] for t in tensors]):
            for index, recognition in zip(batch, self._recognise_batch([tensors[i] for i in batch], tail)):
                results[index] = recognition
        return [r for r in results if r is not None]

    def _recognise_batch(self, tensors: list[np.ndarray], tail: int) -> list[Recognition]:
        width = max(t.shape[2] for t in tensors) + tail
        batch = np.zeros((len(tensors), 3, tensors[0].shape[1], width), np.float32)
        for i, tensor in enumerate(tensors):
            batch[i, :, :, : tensor.shape[2]] = tensor
        with self._lock:
            probs = self._ocr.text_rec.session(batch)[0]
        out = []
        for tensor, line_probs in zip(tensors, probs):
            frames = min(len(line_probs), math.ceil(tensor.shape[2] * REC_FRAMES_PER_PX) + 1)
            out.append(self._greedy(line_probs[:frames]))
        return out

    def _greedy(self, probs: np.ndarray) -> Recognition:
        """Best-path CTC decoding, as RapidOCR does it."""
        best = probs.argmax(axis=1)
        keep = (best != 0) & np.concatenate(([True], best[1:] != best[:-1]))
        read = [(self.charset[i], int(t)) for t, i in zip(np.flatnonzero(keep), best[keep])]
        confidence = float(probs.max(axis=1)[keep].mean()) if keep.any() else 0.0
        while read and read[0][0].isspace():
            read.pop(0)
        while read and read[-1][0].isspace():
            read.pop()
        return Recognition("".join(ch for ch, _ in read), confidence, probs, tuple(t for _, t in read))

    def warm_up(self) -> None:
        """Run each model once so the first real capture does not pay for graph set-up."""
        if self._warm:
            return
        picture = np.full((360, 640, 3), 255, np.uint8)
        cv2.putText(picture, "KUAICHU 2024", (40, 200), cv2.FONT_HERSHEY_SIMPLEX, 2.5, (0, 0, 0), 6)
        self.detect(picture)
        self.recognise([picture[140:230, 20:620], picture[140:230, 20:300]])
        self.recognise([picture[140:230, 20:200]], height=REC_HEIGHT_SMALL)
        self._warm = True


def _session_with_arena(session, threads: int | None):
    """The same model in a new session with onnxruntime's memory arena, which RapidOCR turns off:
    every call here has a new input shape, and without the arena each one goes back to the
    system allocator (detection took about a quarter longer).

    Its worker threads do not spin. Each session has its own threads, and on two cores a
    session's threads busy-waiting after a call took the CPU from the other model's call that
    followed: detection after recognition took 45 ms instead of 32, and a document frame 235 ms
    median instead of 165. Spinning only helped calls in quick succession on one model (a plate
    crop: 13.5 against 16 ms)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if threads:
        options.intra_op_num_threads = threads
    return ort.InferenceSession(session._model_path, options, providers=["CPUExecutionProvider"])


def _batches_by_width(widths: list[int]) -> list[list[int]]:
    """Indices grouped so lines in a batch are of similar width: padding a short line to a long
    one's width costs the time of the long one. Widest last, so the newest line sets the padding."""
    batches: list[list[int]] = []
    for index in sorted(range(len(widths)), key=widths.__getitem__):
        batch = batches[-1] if batches else None
        if (batch and len(batch) < REC_BATCH and widths[index] <= widths[batch[0]] * 1.3 + 16
                and (len(batch) + 1) * widths[index] <= REC_BATCH_WIDTH):
            batch.append(index)
        else:
            batches.append([index])
    return batches


def _rec_tensor(line: np.ndarray, target_h: int) -> np.ndarray:
    """Scale a line to the recogniser's input height, keeping its aspect; normalise to [-1, 1]."""
    if line.ndim == 2:
        line = cv2.cvtColor(line, cv2.COLOR_GRAY2BGR)
    height, width = line.shape[:2]
    target_w = int(np.clip(math.ceil(target_h * width / max(1, height)), 16, REC_MAX_WIDTH))
    interpolation = cv2.INTER_AREA if height > target_h else cv2.INTER_LINEAR
    resized = cv2.resize(line, (target_w, target_h), interpolation=interpolation)
    return (resized.astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)


_engine: OcrEngine | None = None
_engine_lock = threading.Lock()


def get_engine() -> OcrEngine:
    """The process-wide engine, created on first use."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = OcrEngine()
        return _engine
