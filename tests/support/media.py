"""Media for tests: decoded frames as aiortc hands them to the seat (video, Opus-decoded audio, a feed of
both), and files as uploads bring them (real small recordings, pixel bombs)."""
from __future__ import annotations

import io
import struct
import zlib

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


# --- files as uploads bring them: real small media, and hostile ones -------------------------------

def png_bomb(width: int, height: int, mode: str = "RGB") -> bytes:
    """A valid PNG of ``width`` x ``height`` black pixels that is a few hundred KB on disk.

    Written chunk by chunk (rows of zeros through one zlib stream), so making it costs no more
    memory than the file itself; Pillow would have to allocate every pixel to write it.
    """
    channels = {"L": 1, "RGB": 3, "RGBA": 4}[mode]
    colour_type = {"L": 0, "RGB": 2, "RGBA": 6}[mode]
    compressor, row = zlib.compressobj(9), b"\0" * (1 + width * channels)  # filter byte 0, then the row
    idat = bytearray()
    rows_per_step = max(1, (1 << 22) // len(row))
    for start in range(0, height, rows_per_step):
        idat += compressor.compress(row * min(rows_per_step, height - start))
    idat += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", bytes(idat)) + _png_chunk(b"IEND", b"")


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def recording(container_format: str = "mp4", frames: int = 12, size: tuple[int, int] = (160, 120),
              live: bool = False) -> bytes:
    """A short real recording made with PyAV: H.264 in MP4 (as the seat's recorder writes) or VP8 in WebM;
    a ``live`` WebM states no duration and no index, like a browser's MediaRecorder."""
    codec = {"mp4": "libx264", "webm": "libvpx"}[container_format]
    width, height = size
    out = io.BytesIO()
    with av.open(out, "w", format=container_format, options={"live": "1"} if live else {}) as container:
        stream = container.add_stream(codec, rate=25)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for i in range(frames):
            container.mux(stream.encode(video(width, height, i)))
        container.mux(stream.encode(None))
    return out.getvalue()


def audio_only_recording(container_format: str = "mp4") -> bytes:
    """A real recording with sound and no picture."""
    codec = {"mp4": "aac", "webm": "libopus"}[container_format]
    out = io.BytesIO()
    with av.open(out, "w", format=container_format) as container:
        stream = container.add_stream(codec, rate=48_000)
        for i in range(25):
            frame = audio()
            frame.pts = i * 960
            for packet in stream.encode(frame):
                container.mux(packet)
        container.mux(stream.encode(None))
    return out.getvalue()
