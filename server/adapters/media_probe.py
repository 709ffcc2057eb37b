"""Tells what an uploaded file really is, from its bytes and never from its name.

Images must be JPEG, PNG or WebP, within a pixel limit read from the file's header before
any pixel is decoded (a small file can otherwise expand into gigabytes), and must decode
completely (a truncated or fake image is refused). Recordings must be Matroska/WebM or MP4
that FFmpeg (through PyAV) opens, with a video stream of positive duration whose first frame
decodes; only that first frame is decoded, never the whole file. Decoding is bounded by a
``DecodeGate``: at most a few uploads decode at once, the others wait their turn. A file is read
in place (the upload's spooled temporary file), never copied into memory whole.
"""
from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from typing import BinaryIO

import av
from PIL import Image

#: A seat's limit unless settings say otherwise (``max_image_pixels``).
MAX_IMAGE_PIXELS = 60_000_000
#: Packets read looking for the first decodable frame; a real recording gives one within a few.
MAX_PACKETS_TO_FIRST_FRAME = 300
#: Packets read to find the duration when the container does not state it (a browser's WebM).
MAX_PACKETS_FOR_DURATION = 100_000

_IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

#: What the probes read: the bytes, or a seekable binary file holding them (read from its start).
Media = bytes | BinaryIO


def _rewound(media: Media) -> BinaryIO:
    if isinstance(media, (bytes, bytearray, memoryview)):
        return io.BytesIO(media)
    media.seek(0)
    return media


def _head(media: Media, n: int = 64) -> bytes:
    return bytes(media[:n]) if isinstance(media, (bytes, bytearray, memoryview)) else _rewound(media).read(n)


def _size(media: Media) -> int:
    if isinstance(media, (bytes, bytearray, memoryview)):
        return len(media)
    return media.seek(0, io.SEEK_END)


class NotRecognised(ValueError):
    """The bytes are not a file of the accepted kinds; the message says why (in Chinese)."""


class TooManyPixels(ValueError):
    """The image is real but has more pixels than allowed; the message says how many (in Chinese)."""


@dataclass(frozen=True)
class Probe:
    content_type: str
    width: int | None = None
    height: int | None = None


class DecodeGate:
    """A bounded number of decoding slots shared by the upload threads (uploads run in a thread pool)."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("a decode gate needs at least one slot")
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)
        self._lock = threading.Lock()
        self.waiting = 0  # uploads waiting for a slot right now

    @contextmanager
    def slot(self, timeout: float | None = None) -> Iterator[None]:
        """Holds one slot for the ``with`` block; raises TimeoutError if none frees within ``timeout``."""
        with self._lock:
            self.waiting += 1
        try:
            acquired = self._slots.acquire(timeout=timeout) if timeout is not None else self._slots.acquire()
        finally:
            with self._lock:
                self.waiting -= 1
        if not acquired:
            raise TimeoutError("no decoding slot became free")
        try:
            yield
        finally:
            self._slots.release()


def sniff_image(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


@contextmanager
def open_image(data: Media, max_pixels: int = MAX_IMAGE_PIXELS) -> Iterator[Image.Image]:
    """The image, opened but not yet decoded, after its header passed the format and pixel checks."""
    fmt = sniff_image(_head(data))
    if fmt is None:
        raise NotRecognised("不是有效的图片：只接受 JPEG、PNG 或 WebP 格式")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit follows
            img = Image.open(_rewound(data), formats=[fmt])  # reads the header only
    except Image.DecompressionBombError as e:  # past twice Pillow's own limit: too large, not damaged
        raise TooManyPixels(f"图片像素过大：最多 {_megapixels(max_pixels)}") from e
    except Exception as e:  # noqa: BLE001 - Pillow raises many types for corrupt data
        raise NotRecognised("不是有效的图片：文件已损坏或不完整") from e
    with img:
        width, height = img.size
        if width < 1 or height < 1:
            raise NotRecognised("不是有效的图片：尺寸为零")
        if width * height > max_pixels:
            raise TooManyPixels(f"图片像素过大：{width}×{height}，最多 {_megapixels(max_pixels)}")
        yield img


def decode(img: Image.Image) -> None:
    """Decodes every pixel: a truncated or corrupt file fails here, as NotRecognised."""
    try:
        img.load()
    except Exception as e:  # noqa: BLE001 - Pillow raises many types for corrupt data
        raise NotRecognised("不是有效的图片：文件已损坏或不完整") from e


def probe_image(data: Media, max_pixels: int = MAX_IMAGE_PIXELS) -> Probe:
    with open_image(data, max_pixels) as img:
        decode(img)
        return Probe(_IMAGE_FORMATS[img.format], *img.size)


def image_content_type(fmt: str) -> str:
    return _IMAGE_FORMATS[fmt]


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g} 百万像素"


# --- recordings --------------------------------------------------------------------------------------

def probe_recording(data: Media) -> Probe:
    """A recording a player can show: its container, a video stream with a duration, a first frame."""
    head = _head(data)
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML header: Matroska or its WebM profile
        content_type, demuxer = ("video/webm" if b"webm" in head else "video/x-matroska"), "matroska"
    elif len(head) >= 12 and head[4:8] == b"ftyp":
        if not _mp4_complete(data):
            raise NotRecognised("录像文件不完整：MP4 被截断或缺少索引（moov），无法播放")
        content_type, demuxer = "video/mp4", "mp4"
    else:
        raise NotRecognised("不是有效的录像：只接受 WebM、Matroska 或 MP4 格式")
    width, height = _check_playable(data, demuxer)
    return Probe(content_type, width, height)


def _check_playable(data: Media, demuxer: str) -> tuple[int, int]:
    try:
        with av.open(_rewound(data), mode="r", format=demuxer) as container:
            if not container.streams.video:
                raise NotRecognised("不是有效的录像：没有视频画面")
            stream = container.streams.video[0]
            if stream.codec_context is None:  # a codec FFmpeg does not know
                raise NotRecognised("不是有效的录像：视频画面无法解码")
            stream.codec_context.thread_count = 1  # one frame is decoded: no need for a thread per core
            frame = _first_frame(container, stream)
            if frame is None:
                raise NotRecognised("不是有效的录像：视频画面无法解码")
            duration = _stated_duration(container, stream)
        if duration is None:
            duration = _duration_from_packets(data, demuxer)
    except (av.FFmpegError, ValueError, OSError) as e:  # NotRecognised is a ValueError: it passes through
        if isinstance(e, NotRecognised):
            raise
        raise NotRecognised("不是有效的录像：文件已损坏，无法读取") from e
    if duration <= 0:
        raise NotRecognised("不是有效的录像：时长为零")
    return frame.width, frame.height


def _first_frame(container: av.container.InputContainer, stream: av.VideoStream) -> av.VideoFrame | None:
    """Decodes packets of the video stream until one frame comes out, reading at most a few hundred."""
    try:
        for n, packet in enumerate(container.demux(stream)):
            if n >= MAX_PACKETS_TO_FIRST_FRAME:
                return None
            for frame in packet.decode():  # the last, empty packet flushes the decoder
                return frame
    except (av.FFmpegError, ValueError, OSError):
        return None
    return None


def _stated_duration(container: av.container.InputContainer, stream: av.VideoStream) -> float | None:
    """Seconds of video as the stream's or the container's header states them, if either does."""
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / av.time_base
    return None


def _duration_from_packets(data: Media, demuxer: str) -> float:
    """A live WebM (a browser's MediaRecorder) states no duration: the span of its packets is it.
    The file is opened afresh (seeking back is not always possible) and only demuxed, never decoded."""
    first = last = None
    with av.open(_rewound(data), mode="r", format=demuxer) as container:
        stream = container.streams.video[0]
        time_base = stream.time_base or Fraction(1, 1000)
        try:
            for n, packet in enumerate(container.demux(stream)):
                if n >= MAX_PACKETS_FOR_DURATION:
                    break
                if packet.pts is None:
                    continue
                end = packet.pts + (packet.duration or 0)
                first = packet.pts if first is None else min(first, packet.pts)
                last = end if last is None else max(last, end)
        except (av.FFmpegError, ValueError, OSError):
            pass  # a damaged tail: the packets read so far give the span
    return 0.0 if first is None else float((last - first) * time_base)


def _mp4_complete(data: Media) -> bool:
    """The top-level boxes tile the file exactly and include the index (moov). A segment cut short
    (the seat died while writing it) ends inside a box and has no moov: no player can open it.
    Only the box headers are read."""
    f, end = _rewound(data), _size(data)
    position, seen = 0, set()
    while position < end:
        if position + 8 > end:
            return False
        f.seek(position)
        header_bytes = f.read(16)
        size, kind, header = int.from_bytes(header_bytes[0:4], "big"), header_bytes[4:8], 8
        if size == 1:  # a 64-bit size follows the type
            if position + 16 > end:
                return False
            size, header = int.from_bytes(header_bytes[8:16], "big"), 16
        elif size == 0:  # the box runs to the end of the file
            size = end - position
        if size < header or position + size > end:
            return False
        seen.add(kind)
        position += size
    return b"moov" in seen
