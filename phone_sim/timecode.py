"""A capture timestamp drawn into the video itself, to measure glass-to-glass latency.

The simulated phone paints the wall-clock milliseconds of each frame as a row of
black and white blocks across the top of the picture; the seat reads them back
from the decoded frame and subtracts from its own clock (same machine, or
NTP-synchronised machines). The blocks are big and defined as fractions of the
frame, so they survive VP8 at low bitrate and any frame size.

Layout: ``START`` (white, black) + 32 bits of ``ms mod 2**32`` + 8 check bits.
"""
from __future__ import annotations

import time
from functools import lru_cache

import numpy as np

DATA_BITS = 32
CHECK_BITS = 8
START = (1, 0)
CELLS = len(START) + DATA_BITS + CHECK_BITS
WHITE, BLACK = 235, 16  # video-range luma
WRAP = 1 << 32


def band_height(frame_height: int) -> int:
    """Rows used at the top; a multiple of 4 so the chroma rows line up in I420."""
    return max(8, round(frame_height * 0.05 / 4) * 4)


@lru_cache(maxsize=16)
def _cell_edges(width: int) -> tuple[tuple[int, int], ...]:
    edges = np.linspace(0, width, CELLS + 1).round().astype(int)
    return tuple(zip(edges[:-1].tolist(), edges[1:].tolist()))


def _check(value: int) -> int:
    return (sum(value.to_bytes(4, "big")) ^ 0x5A) & 0xFF


def _bits(value: int) -> list[int]:
    data = [(value >> (DATA_BITS - 1 - i)) & 1 for i in range(DATA_BITS)]
    check = [(_check(value) >> (CHECK_BITS - 1 - i)) & 1 for i in range(CHECK_BITS)]
    return [*START, *data, *check]


def now_ms() -> int:
    return int(time.time() * 1000) % WRAP


def draw(luma: np.ndarray, ms: int | None = None) -> int:
    """Paint the code into an H x W luma array in place; returns the value drawn."""
    value = now_ms() if ms is None else ms % WRAP
    rows = band_height(luma.shape[0])
    for bit, (x0, x1) in zip(_bits(value), _cell_edges(luma.shape[1])):
        luma[:rows, x0:x1] = WHITE if bit else BLACK
    return value


def read(luma: np.ndarray) -> int | None:
    """The value in an H x W luma array, or None if there is no intact code."""
    rows = band_height(luma.shape[0])
    top, bottom = rows // 4, rows - rows // 4
    bits = []
    for x0, x1 in _cell_edges(luma.shape[1]):
        inset = (x1 - x0) // 4
        cell = luma[top:bottom, x0 + inset : x1 - inset]
        bits.append(1 if cell.mean() > 128 else 0)
    if tuple(bits[: len(START)]) != START:
        return None
    value = int("".join(map(str, bits[2 : 2 + DATA_BITS])), 2)
    check = int("".join(map(str, bits[2 + DATA_BITS :])), 2)
    return value if check == _check(value) else None


def age_ms(value: int, now: float | None = None) -> int:
    """Milliseconds from the drawn value to ``now`` (time.time()), across the 2**32 wrap."""
    current = int((time.time() if now is None else now) * 1000) % WRAP
    diff = (current - value) % WRAP
    return diff if diff < WRAP // 2 else diff - WRAP
