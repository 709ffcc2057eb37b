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

from seat_app.services.ocr.results import REQUESTABLE_KINDS, OcrResult

KIND_NAMES = {"plate": "车牌", "driver_licence": "驾驶证", "vehicle_licence": "行驶证", "insurance": "交强险保单/标志",
              "unknown": "未识别"}
EXIT_UNREADABLE = 1


class UnreadableImage(Exception):
    """The file is missing, not an image, or damaged; the message is for the operator."""


def load_image(path: Path) -> np.ndarray:
    """The file as a BGR image; raises UnreadableImage with a Chinese reason."""
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
        image = _load_with_pillow(path)
    if image is None or image.size == 0 or min(image.shape[:2]) < 8:
        raise UnreadableImage("不是可识别的图像，或图像已损坏")
    return image


def _load_with_pillow(path: Path) -> np.ndarray | None:
    """Formats OpenCV does not decode (GIF, some TIFF and WebP variants)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as picture:
            rgb = np.asarray(picture.convert("RGB"))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    return np.ascontiguousarray(rgb[..., ::-1])


def format_text(path: str, result: OcrResult) -> str:
    lines = [f"== {path}", f"类型: {KIND_NAMES.get(str(result.kind), str(result.kind))} ({result.kind})"]
    if result.fields:
        lines.append("字段:")
        for name, found in result.fields.items():
            mark = "有效" if found.valid else "无效"
            lines.append(f"  {name}: {found.text}  置信度 {found.confidence:.2f}  {mark}")
    lines.append(f"车牌: {len(result.plates)} 个" if result.plates else "车牌: 未发现")
    for plate in result.plates:
        mark = "有效" if plate.valid else "无效"
        lines.append(f"  {plate.text}  颜色 {plate.colour or '未知'}  置信度 {plate.confidence:.2f}  {mark}")
    lines.append(f"耗时: {result.ms:.0f} ms")
    return "\n".join(lines)


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
        try:
            image = load_image(Path(name))
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
        print(json.dumps(result.to_json(name), ensure_ascii=False) if args.json else format_text(name, result),
              flush=True)
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
