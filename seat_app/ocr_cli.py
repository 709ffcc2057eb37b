"""``kuaichu-ocr``: read plates and documents from image files, as the seat would.

For IT to check that a seat's OCR works, and to re-process stored evidence. Each image
gets its kind, fields (confidence, validity), plates and time taken; ``--json`` prints one
JSON object per line instead. A file that cannot be read gets one error line and the
exit status is 1; the other files are still read.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from kuaichu_protocol.validators import PLATE_TYPES
from seat_app.services.ocr.results import REQUESTABLE_KINDS, OcrResult

KIND_NAMES = {"plate": "车牌", "driver_licence": "驾驶证", "vehicle_licence": "行驶证", "insurance": "交强险保单/标志",
              "unknown": "未识别"}
EXIT_UNREADABLE = 1


class UnreadableImage(Exception):
    """The file is missing, not an image, or damaged; the message is for the operator."""


def load_image(path: Path, warnings: list[str] | None = None) -> np.ndarray:
    """The file as a BGR image; raises UnreadableImage with a Chinese reason. A file cut short
    (a JPEG missing its last bytes) is decoded as far as it goes, and a Chinese warning is
    appended to ``warnings``; less than MIN_DECODED_SHARE of its picture is an error."""
    import cv2

    if not path.exists():
        raise UnreadableImage("文件不存在")
    if not path.is_file():
        raise UnreadableImage("不是文件")
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as error:
        raise UnreadableImage(f"无法读取文件（{error.strerror or error}）") from None
    if data.size == 0:
        raise UnreadableImage("文件为空")
    image = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if image is None:
        image = _load_with_pillow(path, warnings if warnings is not None else [])
    if image is None or image.size == 0 or min(image.shape[:2]) < 8:
        raise UnreadableImage("不是可识别的图像，或图像已损坏")
    return image


# A truncated file must still show at least this share of its rows to be read at all.
MIN_DECODED_SHARE = 0.5


def _load_with_pillow(path: Path, warnings: list[str]) -> np.ndarray | None:
    """Formats OpenCV does not decode (HEIC from iPhones, GIF, some TIFF and WebP variants), and
    files cut short, which Pillow decodes as far as their data goes."""
    from PIL import Image, UnidentifiedImageError

    _register_heif()
    try:
        with Image.open(path) as picture:
            picture = _exif_upright(picture)
            try:
                rgb = np.asarray(picture.convert("RGB"))
            except OSError:  # "image file is truncated": decode again, keeping what is there
                rgb = _decode_truncated(path)
                if rgb is None:
                    return None
                share = _decoded_share(rgb)
                if share < MIN_DECODED_SHARE:
                    raise UnreadableImage(f"图像文件不完整，只有约 {share:.0%} 可读") from None
                warnings.append(f"图像文件不完整（可能未传完），已识别可读的约 {share:.0%}")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    return np.ascontiguousarray(rgb[..., ::-1])


def _decode_truncated(path: Path) -> np.ndarray | None:
    from PIL import Image, ImageFile

    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        with Image.open(path) as picture:
            return np.asarray(_exif_upright(picture).convert("RGB"))
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _decoded_share(rgb: np.ndarray) -> float:
    """Share of the rows a truncated decode filled from the file: the decoder paints the rows it
    never reached in one flat value, so count the flat rows at the bottom."""
    rows = rgb.reshape(rgb.shape[0], -1)
    flat = (rows == rows[-1:, :1]).all(axis=1)
    missing = len(flat) - (np.flatnonzero(~flat).max() + 1) if (~flat).any() else len(flat)
    return 1.0 - missing / len(flat)


def _exif_upright(picture):
    from PIL import ImageOps

    try:
        return ImageOps.exif_transpose(picture)
    except (OSError, ValueError, KeyError, TypeError):
        return picture


def _register_heif() -> None:
    """HEIC/HEIF through pillow-heif, when installed (a runtime dependency; never downloads)."""
    try:
        import pillow_heif
    except ImportError:
        return
    pillow_heif.register_heif_opener()


def format_text(path: str, result: OcrResult) -> str:
    lines = [f"== {path}", f"类型: {KIND_NAMES.get(str(result.kind), str(result.kind))} ({result.kind})"]
    if result.fields:
        lines.append("字段:")
        for name, found in result.fields.items():
            mark = "有效" if found.valid else "无效"
            lines.append(f"  {name}: {found.text}  置信度 {found.confidence:.2f}  {mark}")
    lines.append(f"车牌: {len(result.plates)} 个" if result.plates else "车牌: 未发现")
    for plate in result.plates:
        lines.append(f"  {plate.text}  {PLATE_TYPES.get(plate.plate_type, '类型未知')}  颜色 {plate.colour or '未知'}"
                     f"  置信度 {plate.confidence:.2f}  {_plate_mark(plate)}")
    lines.append(f"耗时: {result.ms:.0f} ms")
    return "\n".join(lines)


def _plate_mark(plate) -> str:
    if plate.valid:
        return "有效"
    if plate.partial:
        return "不完整（? 为看不清或被遮挡的字符），需人工核对"
    if plate.reason == "confusable":
        similar = "、".join(f"第{k + 1}位 {plate.text[k]}/{'/'.join(alt)}" for k, alt in enumerate(plate.alternatives) if alt)
        return f"易混字符需人工确认（{similar}）"
    return "无效"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kuaichu-ocr", description="识别图片中的车牌、驾驶证、行驶证和交强险保单。")
    parser.add_argument("--kind", choices=REQUESTABLE_KINDS, default="auto", help="图片内容（默认 auto：自动判断）")
    parser.add_argument("--json", action="store_true", help="每张图片输出一行 JSON")
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="图片文件")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return _read_all(args)
    except BrokenPipeError:  # the output was piped into `head` or similar, which has what it wanted
        sys.stderr.close()
        return 0


def _read_all(args: argparse.Namespace) -> int:
    reader = None
    status = 0
    for name in args.images:
        warnings: list[str] = []
        try:
            image = load_image(Path(name), warnings)
            for warning in warnings:
                print(f"警告: {name}: {warning}", file=sys.stderr, flush=True)
            if reader is None:
                reader = _make_reader()
            result = reader.read(image, args.kind)
        except UnreadableImage as error:
            status = EXIT_UNREADABLE
            _report_error(name, str(error), args.json)
            continue
        except KeyboardInterrupt:
            return 130
        except Exception as error:  # one bad file must not stop the batch or print a traceback
            status = EXIT_UNREADABLE
            _report_error(name, f"识别失败（{type(error).__name__}: {error}）", args.json)
            continue
        record = result.to_json(name) | ({"warnings": warnings} if warnings else {})
        print(json.dumps(record, ensure_ascii=False) if args.json else format_text(name, result), flush=True)
    return status


def _make_reader():
    from seat_app.services.ocr.reader import OcrReader

    reader = OcrReader()
    reader.warm_up()
    return reader


def _report_error(name: str, message: str, as_json: bool) -> None:
    print(f"错误: {name}: {message}", file=sys.stderr, flush=True)
    if as_json:
        print(json.dumps({"file": name, "error": message}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    sys.exit(main())
