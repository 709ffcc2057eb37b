"""Re-encodes a photo a party's phone uploaded, so that only its pixels are kept.

A phone upload comes from the public internet: its file can carry a web page after the
image data, scripts in metadata, or a location the party never meant to share. It is
decoded (within the pixel limit, checked from the header first), turned upright by its
EXIF orientation, converted to sRGB when it carries a colour profile, and written again as
a plain JPEG (photos that came as JPEG) or PNG (the others, losslessly), with no metadata.
The original's sha256 and size are returned so the evidence's audit event can name them.
The same input always gives the same bytes, so uploading a photo twice stays idempotent.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from server.adapters.media_probe import Probe, decode, image_content_type, open_image

JPEG_QUALITY = 92
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Sanitised:
    data: bytes
    probe: Probe
    original_sha256: str
    original_size_bytes: int
    original_content_type: str


def sanitise(data: bytes, max_pixels: int) -> Sanitised:
    """Raises media_probe.NotRecognised for a file that is not a whole image, TooManyPixels for a bomb."""
    with open_image(data, max_pixels) as img:
        original_type = image_content_type(img.format)
        decode(img)
        clean = _pixels_only(img)
        fmt = "JPEG" if original_type == "image/jpeg" else "PNG"
        buf = io.BytesIO()
        if fmt == "JPEG":
            clean.save(buf, "JPEG", quality=JPEG_QUALITY)
        else:
            clean.save(buf, "PNG", compress_level=6)
        size = clean.size
    return Sanitised(buf.getvalue(), Probe(image_content_type(fmt), *size), hashlib.sha256(data).hexdigest(),
                     len(data), original_type)


def _pixels_only(img: Image.Image) -> Image.Image:
    icc, jpeg = img.info.get("icc_profile"), img.format == "JPEG"
    ImageOps.exif_transpose(img, in_place=True)  # no copy of the pixels when it is already upright
    upright = img
    target = _target_mode(upright, jpeg)
    if icc:
        upright = _to_srgb(upright, icc, target)
    if upright.mode != target:
        upright = upright.convert(target)
    upright.info = {}  # no EXIF, text chunks, profile or comments are carried into the new file
    return upright


def _target_mode(img: Image.Image, jpeg: bool) -> str:
    if img.mode in ("1", "L", "I;16", "I"):
        return "L"
    has_alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
    return "RGBA" if has_alpha and not jpeg else "RGB"


def _to_srgb(img: Image.Image, icc: bytes, target: str) -> Image.Image:
    """Pixels in the camera's colour space (Display P3 on many phones) become sRGB; a profile
    that cannot be read is dropped and the pixels kept as they are."""
    if target == "L":
        return img
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(img.convert(target), source, _SRGB, outputMode=target)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return img
