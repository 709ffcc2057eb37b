"""Operator-side control over the call's outgoing audio (mute), independent of the device behind it."""
from __future__ import annotations

import numpy as np

from seat_app.services.call.audio import AudioSource


class MutableSource(AudioSource):
    """Passes the wrapped source through, or silence while muted (the device keeps running)."""

    def __init__(self, source: AudioSource) -> None:
        self.source = source
        self.muted = False

    def read(self, count: int) -> np.ndarray:
        samples = self.source.read(count)
        return np.zeros(count, dtype=np.int16) if self.muted else samples
