"""Measures a call from the seat's side, using the timestamp the simulated phone draws into its video.

Used by the seat's call CLI, by bench/call_bench.py and by tests: it listens to a
CallEngine's frame events and keeps set-up time, frame sizes, frame rate and
glass-to-glass latency (capture clock in the picture vs. the seat's clock when
the frame came out of the decoder).
"""
from __future__ import annotations

import asyncio
import math
from collections import Counter

from . import timecode


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


class CallProbe:
    def __init__(self, engine) -> None:
        self.engine = engine
        self.frames = 0
        self.unreadable = 0
        self.latencies_ms: list[int] = []
        self.sizes: Counter[tuple[int, int]] = Counter()
        self.first_frame_at: float | None = None
        self.first_frame = asyncio.Event()
        self._arrivals: list[float] = []
        self._unsubscribe = [engine.on("frame", self._on_frame)]

    def _on_frame(self, received) -> None:
        if self.first_frame_at is None:
            self.first_frame_at = received.received_at
            self.first_frame.set()
        self.frames += 1
        self.sizes[received.size] += 1
        self._arrivals.append(received.received_at)
        value = timecode.read(received.luma())
        if value is None:
            self.unreadable += 1
        else:
            self.latencies_ms.append(timecode.age_ms(value, received.received_at))

    def fps(self, since: float | None = None) -> float:
        """Mean received frame rate (from ``since``, a time.time())."""
        times = [t for t in self._arrivals if since is None or t >= since]
        return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 and times[-1] > times[0] else 0.0

    def reset_window(self) -> None:
        """Forget frames so far (e.g. the ramp-up) for the figures that follow."""
        self._arrivals.clear()
        self.latencies_ms.clear()
        self.sizes.clear()

    def summary(self) -> dict:
        size = self.sizes.most_common(1)[0][0] if self.sizes else (0, 0)
        return {"frames": self.frames, "fps": round(self.fps(), 1), "size": f"{size[0]}x{size[1]}",
                "latency_p50_ms": percentile(self.latencies_ms, 50),
                "latency_p95_ms": percentile(self.latencies_ms, 95), "unreadable": self.unreadable}

    def close(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
