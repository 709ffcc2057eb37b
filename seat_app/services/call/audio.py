"""Call audio behind two small interfaces, so the engine never touches a sound device.

The seat UI plugs real devices in (a Qt audio input feeding ``BufferedAudioSource``,
an output implementing ``AudioSink``); tests and the phone simulator use the
tone, silence and recording implementations here. Everything is 48 kHz, which
is what Opus runs at, so no resampling happens on the way in.
"""
from __future__ import annotations

import asyncio
import fractions
import threading
import time
from abc import ABC, abstractmethod
from collections import deque

import av
import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

SAMPLE_RATE = 48_000
FRAME_SAMPLES = 960  # 20 ms, one Opus frame
TIME_BASE = fractions.Fraction(1, SAMPLE_RATE)


class AudioSource(ABC):
    """Supplies outgoing mono int16 samples. ``read`` must not block: pad with silence instead."""

    @abstractmethod
    def read(self, count: int) -> np.ndarray: ...


class AudioSink(ABC):
    """Receives every decoded remote audio frame on the event loop; must return quickly."""

    @abstractmethod
    def write(self, frame: av.AudioFrame) -> None: ...

    def close(self) -> None:
        """Release the device; called once when the call ends."""


class SilenceSource(AudioSource):
    def read(self, count: int) -> np.ndarray:
        return np.zeros(count, dtype=np.int16)


class ToneSource(AudioSource):
    """A continuous sine, handy to hear (or check) that audio flows."""

    def __init__(self, frequency: float = 440.0, amplitude: int = 3000) -> None:
        self.frequency = frequency
        self.amplitude = amplitude
        self._phase = 0

    def read(self, count: int) -> np.ndarray:
        n = np.arange(self._phase, self._phase + count)
        self._phase += count
        wave = np.sin(2 * np.pi * self.frequency * n / SAMPLE_RATE) * self.amplitude
        return wave.astype(np.int16)


class BufferedAudioSource(AudioSource):
    """A microphone bridge: a device thread ``push``es samples, the call reads them.

    Keeps at most ``max_seconds`` so a stalled call cannot build up delay.
    """

    def __init__(self, max_seconds: float = 0.2) -> None:
        self._max = int(SAMPLE_RATE * max_seconds)
        self._pending = np.zeros(0, dtype=np.int16)
        self._lock = threading.Lock()

    def push(self, samples: np.ndarray) -> None:
        chunk = np.asarray(samples, dtype=np.int16).ravel()
        with self._lock:
            self._pending = np.concatenate([self._pending, chunk])[-self._max :]

    def read(self, count: int) -> np.ndarray:
        with self._lock:
            taken, self._pending = self._pending[:count], self._pending[count:]
        out = np.zeros(count, dtype=np.int16)
        out[: len(taken)] = taken
        return out


class NullSink(AudioSink):
    def write(self, frame: av.AudioFrame) -> None:
        pass


def to_mono_int16(frame: av.AudioFrame) -> np.ndarray:
    """Mono int16 samples of an s16 frame (what aiortc's Opus decoder produces)."""
    data = frame.to_ndarray()
    channels = len(frame.layout.channels)
    if frame.format.is_planar:
        data = data.reshape(channels, -1).T
    else:
        data = data.reshape(-1, channels)
    return data.mean(axis=1).astype(np.int16)


class RecordingSink(AudioSink):
    """Keeps the last ``max_seconds`` of mono audio; tests read ``samples()`` and ``frames``."""

    def __init__(self, max_seconds: float = 10.0) -> None:
        self.frames = 0
        self.closed = False
        self._chunks: deque[np.ndarray] = deque(maxlen=int(max_seconds * SAMPLE_RATE / FRAME_SAMPLES))

    def write(self, frame: av.AudioFrame) -> None:
        self.frames += 1
        self._chunks.append(to_mono_int16(frame))

    def samples(self) -> np.ndarray:
        return np.concatenate(list(self._chunks)) if self._chunks else np.zeros(0, np.int16)

    def close(self) -> None:
        self.closed = True


class AudioSourceTrack(MediaStreamTrack):
    """Paces an AudioSource into 20 ms frames for aiortc. One per peer connection."""

    kind = "audio"

    def __init__(self, source: AudioSource) -> None:
        super().__init__()
        self.source = source
        self._start: float | None = None
        self._pts = 0

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        await self._wait_for_slot()
        samples = np.asarray(self.source.read(FRAME_SAMPLES), dtype=np.int16)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self._pts
        frame.time_base = TIME_BASE
        self._pts += FRAME_SAMPLES
        return frame

    async def _wait_for_slot(self) -> None:
        if self._start is None:
            self._start = time.monotonic()
            return
        due = self._start + self._pts / SAMPLE_RATE
        await asyncio.sleep(max(0.0, due - time.monotonic()))
