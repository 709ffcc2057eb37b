"""What the seat keeps of the remote video: the newest decoded frame, and a frame rate.

The engine replaces the frame on every arrival and never queues them; the UI
and the capture button read whichever is newest. Conversion to RGB happens only
when someone asks, because most frames are overwritten unseen.
"""
from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

import av
import numpy as np


@dataclass
class ReceivedFrame:
    frame: av.VideoFrame
    received_at: float  # time.time() when the seat got it decoded
    index: int  # 0-based count of video frames received in this call
    _rgb: np.ndarray | None = field(default=None, repr=False)

    @property
    def width(self) -> int:
        return self.frame.width

    @property
    def height(self) -> int:
        return self.frame.height

    @property
    def size(self) -> tuple[int, int]:
        return self.frame.width, self.frame.height

    def to_rgb(self) -> np.ndarray:
        """H x W x 3 uint8, converted once and cached."""
        if self._rgb is None:
            self._rgb = self.frame.to_ndarray(format="rgb24")
        return self._rgb

    def luma(self) -> np.ndarray:
        """H x W brightness, without a colour conversion when the frame is already YUV."""
        if self.frame.format.name not in ("yuv420p", "yuvj420p"):
            return self.frame.to_ndarray(format="gray")
        plane = self.frame.planes[0]
        rows = np.frombuffer(plane, dtype=np.uint8).reshape(self.height, plane.line_size)
        return rows[:, : self.width]


class RateMeter:
    """Frames per second over a sliding window."""

    def __init__(self, window: float = 2.0) -> None:
        self.window = window
        self._times: deque[float] = deque()

    def tick(self, at: float | None = None) -> None:
        at = time.monotonic() if at is None else at
        self._times.append(at)
        while self._times and at - self._times[0] > self.window:
            self._times.popleft()

    def rate(self) -> float:
        if len(self._times) < 2:
            return 0.0
        span = self._times[-1] - self._times[0]
        return (len(self._times) - 1) / span if span > 0 else 0.0
