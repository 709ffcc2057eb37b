"""Decoded media frames as aiortc hands them to the seat: video, Opus-decoded audio, and a feed of both."""
from __future__ import annotations

import av
import numpy as np

from seat_app.services.call.recorder import SegmentRecorder

T0 = 1_700_000_000.0


def video(width: int, height: int, i: int) -> av.VideoFrame:
    planes = np.full((height * 3 // 2, width), 128, np.uint8)
    planes[:height, (i * 8) % width:(i * 8) % width + 16] = 235
    return av.VideoFrame.from_ndarray(planes, format="yuv420p")


def audio() -> av.AudioFrame:
    """What aiortc's Opus decoder hands over: 20 ms of s16 stereo at 48 kHz."""
    pcm = (np.sin(np.arange(1920) / 8) * 3000).astype(np.int16).reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="stereo")
    frame.sample_rate = 48_000
    return frame


def feed(recorder: SegmentRecorder, sizes: list[tuple[int, int]], start: float = T0, fps: int = 25) -> float:
    """One frame of each size in ``sizes``, 1/fps apart, with audio alongside; returns the next time."""
    for i, size in enumerate(sizes):
        at = start + i / fps
        recorder.add_video(video(*size, i), at)
        recorder.add_audio(audio(), at)
        recorder.add_audio(audio(), at + 0.02)
    return start + len(sizes) / fps
