"""Picture conversions the capture path needs: frame <-> JPEG bytes, kept off the Qt thread by callers."""
from __future__ import annotations

import cv2
import numpy as np

JPEG_QUALITY = 92


def encode_jpeg(rgb: np.ndarray, quality: int = JPEG_QUALITY) -> bytes:
    ok, buffer = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("could not encode the frame as JPEG")
    return buffer.tobytes()


def decode_image(data: bytes) -> np.ndarray:
    """JPEG/PNG/WebP bytes -> H x W x 3 RGB; ValueError when the bytes are not a picture."""
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("not a picture")
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
