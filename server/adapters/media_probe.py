"""Tells what an uploaded file really is, from its bytes and never from its name.

Images must be JPEG, PNG or WebP and must decode completely (a truncated or fake
image is refused); recordings must start like Matroska/WebM or MP4.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image

#: Larger images are refused before decoding, so a small file cannot expand into gigabytes.
MAX_IMAGE_PIXELS = 60_000_000

_IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class NotRecognised(ValueError):
    """The bytes are not a file of the accepted kinds; the message says why (in Chinese)."""


@dataclass(frozen=True)
class Probe:
    content_type: str
    width: int | None = None
    height: int | None = None


def sniff_image(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def probe_image(data: bytes) -> Probe:
    fmt = sniff_image(data)
    if fmt is None:
        raise NotRecognised("不是有效的图片：只接受 JPEG、PNG 或 WebP 格式")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as img:
                width, height = img.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise NotRecognised(f"不是有效的图片：尺寸 {width}×{height} 过大")
                img.load()  # decodes every pixel: a truncated file fails here
    except NotRecognised:
        raise
    except Exception as e:  # noqa: BLE001 - Pillow raises many types for corrupt data
        raise NotRecognised("不是有效的图片：文件已损坏或不完整") from e
    if width < 1 or height < 1:
        raise NotRecognised("不是有效的图片：尺寸为零")
    return Probe(_IMAGE_FORMATS[fmt], width, height)


def probe_recording(data: bytes) -> Probe:
    if data.startswith(b"\x1a\x45\xdf\xa3"):  # EBML header: Matroska or its WebM profile
        doc_type = b"webm" if b"webm" in data[:64] else b"matroska"
        return Probe("video/webm" if doc_type == b"webm" else "video/x-matroska")
    if len(data) >= 12 and data[4:8] == b"ftyp":
        if not _mp4_complete(data):
            raise NotRecognised("录像文件不完整：MP4 被截断或缺少索引（moov），无法播放")
        return Probe("video/mp4")
    raise NotRecognised("不是有效的录像：只接受 WebM、Matroska 或 MP4 格式")


def _mp4_complete(data: bytes) -> bool:
    """The top-level boxes tile the file exactly and include the index (moov). A segment cut short
    (the seat died while writing it) ends inside a box and has no moov: no player can open it."""
    position, seen = 0, set()
    while position < len(data):
        if position + 8 > len(data):
            return False
        size, kind, header = int.from_bytes(data[position:position + 4], "big"), data[position + 4:position + 8], 8
        if size == 1:  # a 64-bit size follows the type
            if position + 16 > len(data):
                return False
            size, header = int.from_bytes(data[position + 8:position + 16], "big"), 16
        elif size == 0:  # the box runs to the end of the file
            size = len(data) - position
        if size < header or position + size > len(data):
            return False
        seen.add(kind)
        position += size
    return b"moov" in seen
