"""Drawings of what a phone camera sees at an accident: plates, cars, and the three documents.

The simulated phone paints its scene with these, the OCR tests render their synthetic
samples with them, and the bench measures on them; so the pictures the seat is tested
on are the pictures the demo shows. Layouts follow the real 驾驶证, 行驶证 and 交强险
paperwork closely enough for label-based reading, and all data drawn is fictional.

Every function returns a BGR ``numpy`` image (OpenCV order) and draws with the project's
own CJK font, so nothing depends on fonts installed on the machine.
"""
from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from seat_app.paths import font_file

FONT_PATH = font_file()  # the seat's own CJK font, found where the seat finds it

RGB = tuple[int, int, int]


@lru_cache(maxsize=64)
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size, index=0)


def to_bgr(image: Image.Image) -> np.ndarray:
    return cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2BGR)


# --- plates (GA 36-2018 proportions, 1 px per mm at scale 1) -------------------------
@dataclass(frozen=True)
class PlateStyle:
    top: RGB  # background at the top edge; the bottom colour differs only on new-energy plates
    bottom: RGB
    ink: RGB


PLATE_STYLES: dict[str, PlateStyle] = {
    "blue": PlateStyle((18, 68, 190), (14, 58, 176), (250, 250, 250)),
    "yellow": PlateStyle((246, 196, 18), (240, 188, 12), (12, 12, 12)),
    "green": PlateStyle((236, 248, 236), (76, 190, 96), (12, 12, 12)),
    "white": PlateStyle((246, 246, 246), (238, 238, 238), (12, 12, 12)),
    "black": PlateStyle((16, 16, 16), (10, 10, 10), (250, 250, 250)),
}
PLATE_RED = (210, 20, 20)  # the 警 of police plates


def render_plate(text: str, colour: str = "blue", scale: float = 1.0, rows: int = 1) -> np.ndarray:
    """A flat, front-on plate. ``text`` without the separator dot, e.g. '川A5F7K2'.
    ``rows=2`` draws the 440x220 mm two-row plate of a lorry's or bus's rear (usually yellow)."""
    style = PLATE_STYLES[colour]
    chars = [ch for ch in text if ch not in "·. "]
    if rows == 2:
        return _render_two_row_plate(chars, style, scale)
    width_mm = 480 if len(chars) == 8 else 440
    image, draw = _plate_ground((round(width_mm * scale), round(140 * scale)), style, scale)
    for ch, box in zip(chars, _plate_char_boxes(len(chars), scale)):
        ink = PLATE_RED if ch == "警" else style.ink
        _draw_glyph(image, ch, box, ink)
    dot = _plate_dot_centre(len(chars), scale)
    r = 5 * scale
    draw.ellipse([dot[0] - r, dot[1] - r, dot[0] + r, dot[1] + r], fill=style.ink)
    return to_bgr(image)


def _plate_ground(size: tuple[int, int], style: PlateStyle, scale: float) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = _vertical_gradient(size, style.top, style.bottom)
    draw = ImageDraw.Draw(image)
    inset = max(2, round(5 * scale))
    draw.rounded_rectangle([inset, inset, size[0] - inset - 1, size[1] - inset - 1],
                           radius=round(10 * scale), outline=style.ink, width=max(1, round(3 * scale)))
    return image, draw


def _render_two_row_plate(chars: list[str], style: PlateStyle, scale: float) -> np.ndarray:
    """Province and office letter small on top (80x60 mm cells), the serial large below (65x110 mm)."""
    image, draw = _plate_ground((round(440 * scale), round(220 * scale)), style, scale)
    top = [(130, 15, 210, 75), (230, 15, 310, 75)]
    bottom = [(27 + i * 80, 95, 92 + i * 80, 205) for i in range(len(chars) - 2)]
    for ch, box in zip(chars, top + bottom):
        _draw_glyph(image, ch, tuple(round(v * scale) for v in box), style.ink)
    r = 5 * scale
    draw.ellipse([220 * scale - r, 45 * scale - r, 220 * scale + r, 45 * scale + r], fill=style.ink)
    return to_bgr(image)


def _plate_char_boxes(count: int, scale: float) -> list[tuple[int, int, int, int]]:
    """Character cells in mm: 45x90 (43x90 on 8-character plates), wide gap for the dot."""
    char_w, gap, dot_gap = (43, 9, 49) if count == 8 else (45, 12, 34)
    total = count * char_w + (count - 2) * gap + dot_gap
    x = ((480 if count == 8 else 440) - total) / 2
    boxes = []
    for i in range(count):
        boxes.append(tuple(round(v * scale) for v in (x, 25, x + char_w, 115)))
        x += char_w + (dot_gap if i == 1 else gap)
    return boxes


def _plate_dot_centre(count: int, scale: float) -> tuple[float, float]:
    boxes = _plate_char_boxes(count, scale)
    return (boxes[1][2] + boxes[2][0]) / 2, 70 * scale


def _draw_glyph(image: Image.Image, ch: str, box: tuple[int, int, int, int], ink: RGB) -> None:
    """Stretch one glyph to fill its cell; Latin letters and digits a little heavier, as plate type is."""
    x0, y0, x1, y1 = box
    size = max(8, y1 - y0)
    glyph_font = font(size)
    stroke = round(size * 0.02) if ch.isascii() else 0
    left, top, right, bottom = glyph_font.getbbox(ch, stroke_width=stroke)
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), ch, font=glyph_font, fill=255, stroke_width=stroke, stroke_fill=255)
    target = (max(1, x1 - x0), max(1, y1 - y0))
    fitted = mask.resize(target, Image.LANCZOS)
    image.paste(Image.new("RGB", target, ink), (x0, y0), fitted)


def _vertical_gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    ramp = np.linspace(0.0, 1.0, size[1])[:, None, None]
    rows = (1 - ramp) * np.array(top) + ramp * np.array(bottom)
    return Image.fromarray(np.repeat(rows, size[0], axis=1).astype(np.uint8), "RGB")


# --- documents -----------------------------------------------------------------------
CARD_SIZE = (1000, 680)  # 88 x 60 mm at about 11 px/mm
INK = (28, 28, 36)
LABEL_INK = (40, 40, 48)
STAMP_RED = (200, 40, 40)


def _field(data: Mapping[str, str], *keys: str) -> str:
    return next((str(data[k]) for k in keys if data.get(k)), "")


def _card_base(size: tuple[int, int], tint: RGB, seed: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A laminated card: tinted paper with the fine wavy security pattern."""
    image = Image.new("RGB", size, tint)
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    pattern = tuple(max(0, c - 14) for c in tint)
    for row in range(0, size[1], 14):
        phase = rng.uniform(0, 6.28)
        xs = np.arange(0, size[0], 6)
        ys = row + 4 * np.sin(xs / 40 + phase)
        draw.line(list(zip(xs.tolist(), ys.tolist())), fill=pattern, width=1)
    draw.rounded_rectangle([0, 0, size[0] - 1, size[1] - 1], radius=28, outline=(150, 150, 150), width=3)
    return image, draw


def _label(draw: ImageDraw.ImageDraw, xy: tuple[int, int], chinese: str, english: str, value: str,
           value_x: int | None = None) -> None:
    """A printed label with its English line below, and the value beside it."""
    x, y = xy
    draw.text((x, y), chinese, font=font(30), fill=LABEL_INK)
    draw.text((x, y + 36), english, font=font(15), fill=(90, 90, 100))
    if value:
        vx = value_x if value_x is not None else x + font(30).getbbox(chinese)[2] + 26
        draw.text((vx, y - 1), value, font=font(32), fill=INK)


def _stamp(draw: ImageDraw.ImageDraw, centre: tuple[int, int], radius: int, text: str) -> None:
    cx, cy = centre
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=STAMP_RED, width=5)
    draw.text((cx, cy - radius // 3), "★", font=font(radius // 2), fill=STAMP_RED, anchor="mm")
    draw.text((cx, cy + radius // 3), text, font=font(max(10, radius // 5)), fill=STAMP_RED, anchor="mm")


def _photo(image: Image.Image, box: tuple[int, int, int, int], seed: int) -> None:
    """A head-and-shoulders silhouette where the holder's photo goes."""
    draw = ImageDraw.Draw(image)
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=(228, 232, 240), outline=(160, 160, 170), width=2)
    cx, w = (x0 + x1) // 2, x1 - x0
    shade = 70 + random.Random(seed).randint(0, 50)
    draw.ellipse([cx - w // 5, y0 + w // 6, cx + w // 5, y0 + w // 6 + w // 2], fill=(shade, shade, shade + 10))
    draw.pieslice([x0 + w // 10, y1 - w // 2, x1 - w // 10, y1 + w // 2], 180, 360, fill=(shade, shade, shade + 10))


def _title(draw: ImageDraw.ImageDraw, width: int, chinese: str, english: str) -> None:
    draw.text((width // 2, 52), chinese, font=font(40), fill=INK, anchor="mm")
    draw.text((width // 2, 94), english, font=font(18), fill=(70, 70, 80), anchor="mm")


def render_driving_licence(data: Mapping[str, str], size: tuple[int, int] | None = None) -> np.ndarray:
    """The front page of a 机动车驾驶证. Keys: name, id_number, sex, nationality, address,
    birth_date, first_issue_date, licence_class, valid_from, valid_until (all optional).

    With ``size``, the card lies on a desk in a camera frame of that size (see ``on_desk``).
    """
    width, height = CARD_SIZE
    image, draw = _card_base(CARD_SIZE, (246, 236, 238), seed=len(_field(data, "name")))
    _title(draw, width, "中华人民共和国机动车驾驶证", "Driving License of the People's Republic of China")
    x = 50
    _label(draw, (x, 128), "证号", "License No.", _field(data, "id_number", "licence_number"))
    _label(draw, (x, 190), "姓名", "Name", _field(data, "name"))
    _label(draw, (430, 190), "性别", "Sex", _field(data, "sex") or "男")
    _label(draw, (590, 190), "国籍", "Nationality", _field(data, "nationality") or "中国")
    _label(draw, (x, 252), "住址", "Address", _field(data, "address"))
    _photo(image, (770, 250, 950, 470), seed=len(_field(data, "id_number", "licence_number")))
    _label(draw, (x, 314), "出生日期", "Date of Birth", _field(data, "birth_date"))
    _label(draw, (x, 376), "初次领证日期", "Date of First Issue", _field(data, "first_issue_date"))
    _label(draw, (x, 438), "准驾车型", "Class", _field(data, "licence_class"))
    period = f"{_field(data, 'valid_from')} 至 {_field(data, 'valid_until')}"
    _label(draw, (x, 500), "有效期限", "Valid Period", period)
    _stamp(draw, (150, 600), 62, "公安局交通警察支队")
    return on_desk(to_bgr(image), size) if size else to_bgr(image)


def render_vehicle_licence(data: Mapping[str, str], size: tuple[int, int] | None = None) -> np.ndarray:
    """The main page of a 机动车行驶证. Keys: plate, vehicle_type, owner, address, use_character,
    model, vin, engine_number, registration_date (or registered), issue_date (all optional)."""
    width, height = CARD_SIZE
    image, draw = _card_base(CARD_SIZE, (238, 242, 236), seed=len(_field(data, "vin")))
    _title(draw, width, "中华人民共和国机动车行驶证", "Vehicle License of the People's Republic of China")
    x, right = 50, 520
    _label(draw, (x, 128), "号牌号码", "Plate No.", _field(data, "plate"))
    _label(draw, (right, 128), "车辆类型", "Vehicle Type", _field(data, "vehicle_type"))
    _label(draw, (x, 190), "所有人", "Owner", _field(data, "owner"))
    _label(draw, (x, 252), "住址", "Address", _field(data, "address"))
    _label(draw, (x, 314), "使用性质", "Use Character", _field(data, "use_character") or "非营运")
    _label(draw, (right, 314), "品牌型号", "Model", _field(data, "model"))
    _label(draw, (x, 376), "车辆识别代号", "VIN", _field(data, "vin"))
    _label(draw, (x, 438), "发动机号码", "Engine No.", _field(data, "engine_number"))
    registered = _field(data, "registration_date", "registered")
    _label(draw, (x, 500), "注册日期", "Register Date", registered)
    _label(draw, (right, 500), "发证日期", "Issue Date", _field(data, "issue_date") or registered)
    _stamp(draw, (860, 600), 62, "公安局交通警察支队")
    return on_desk(to_bgr(image), size) if size else to_bgr(image)


def render_insurance(data: Mapping[str, str], size: tuple[int, int] | None = None) -> np.ndarray:
    """A 交强险 policy (``style`` 'policy', the default) or windscreen sticker ('sticker').
    Keys: insurer (or insurer_name), policy_number, insured, plate, vin, valid_from, valid_until."""
    if data.get("style") == "sticker":
        sticker = _render_insurance_sticker(data)
        return on_desk(sticker, size) if size else sticker
    size = (1120, 760)
    image, draw = _card_base(size, (250, 250, 246), seed=len(_field(data, "policy_number")))
    insurer = _field(data, "insurer_name", "insurer")
    draw.rectangle([40, 30, 100, 90], outline=STAMP_RED, width=5)
    draw.text((70, 60), "保", font=font(36), fill=STAMP_RED, anchor="mm")
    draw.text((120, 60), insurer, font=font(34), fill=INK, anchor="lm")
    draw.text((size[0] // 2, 140), "机动车交通事故责任强制保险单", font=font(42), fill=INK, anchor="mm")
    rows = [
        ("保险单号：", _field(data, "policy_number")),
        ("被保险人：", _field(data, "insured", "owner")),
        ("号牌号码：", _field(data, "plate")),
        ("车辆识别代号：", _field(data, "vin")),
        ("保险期间：", _period_words(data)),
        ("保险人：", insurer),
    ]
    for i, (label, value) in enumerate(rows):
        y = 210 + i * 80
        draw.text((60, y), label, font=font(30), fill=LABEL_INK)
        draw.text((60 + font(30).getbbox(label)[2] + 8, y - 1), value, font=font(32), fill=INK)
    _stamp(draw, (950, 640), 80, "保险合同专用章")
    return on_desk(to_bgr(image), size) if size else to_bgr(image)


def _render_insurance_sticker(data: Mapping[str, str]) -> np.ndarray:
    size = (820, 560)
    image, draw = _card_base(size, (226, 238, 250), seed=len(_field(data, "policy_number")))
    draw.text((size[0] // 2, 62), "机动车交通事故责任强制保险标志", font=font(38), fill=INK, anchor="mm")
    rows = [
        ("保险单号", _field(data, "policy_number")),
        ("号牌号码", _field(data, "plate")),
        ("保险期间", f"{_field(data, 'valid_from')} 至 {_field(data, 'valid_until')}"),
        ("保险公司", _field(data, "insurer_name", "insurer")),
    ]
    for i, (label, value) in enumerate(rows):
        y = 140 + i * 90
        draw.text((50, y), label, font=font(30), fill=LABEL_INK)
        draw.text((50 + font(30).getbbox(label)[2] + 24, y - 1), value, font=font(32), fill=INK)
    draw.text((size[0] // 2, 520), "中国银行保险监督管理委员会监制", font=font(20), fill=(90, 90, 100), anchor="mm")
    return to_bgr(image)


def _period_words(data: Mapping[str, str]) -> str:
    """'自2025年04月16日0时起至2026年04月15日24时止', the wording printed on policies."""
    def words(iso: str) -> str:
        parts = iso.split("-")
        return f"{parts[0]}年{parts[1]}月{parts[2]}日" if len(parts) == 3 else iso
    return f"自{words(_field(data, 'valid_from'))}0时起至{words(_field(data, 'valid_until'))}24时止"


def on_desk(document: np.ndarray, size: tuple[int, int], fill: float = 0.8) -> np.ndarray:
    """A camera frame of ``size`` (width, height) showing the document flat on a wooden desk."""
    width, height = size
    desk = _vertical_gradient(size, (120, 92, 64), (98, 74, 50))
    frame = to_bgr(desk)
    scale = min(width * fill / document.shape[1], height * fill / document.shape[0])
    doc = cv2.resize(document, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    y0, x0 = (height - doc.shape[0]) // 2, (width - doc.shape[1]) // 2
    frame[y0:y0 + doc.shape[0], x0:x0 + doc.shape[1]] = doc
    return frame


# --- scene --------------------------------------------------------------------------
CAR_COLOURS: list[RGB] = [(200, 200, 205), (30, 30, 34), (170, 30, 30), (240, 240, 240),
                          (40, 70, 150), (120, 125, 130), (180, 150, 110), (60, 110, 80)]


def render_scene(plates: list[tuple[str, str]], size: tuple[int, int] = (1280, 720), seed: int = 0,
                 document: np.ndarray | None = None) -> np.ndarray:
    """Two (or more) cars seen from behind, stopped after a scrape, each plate readable.

    ``document``, if given, is held up in the lower right corner, as a driver shows a
    licence to the camera.
    """
    rng = random.Random(seed)
    width, height = size
    image = _road(size, rng)
    cars_width = width * (0.62 if document is not None else 1.0)  # leave the right side to the document
    slot = cars_width / max(1, len(plates))
    for i, (text, colour) in enumerate(plates):
        _draw_car(image, (int(i * slot), int(slot)), height, text, colour, rng)
    frame = to_bgr(image)
    if document is not None:
        frame = _hold_up(frame, document, rng)
    return frame


def _road(size: tuple[int, int], rng: random.Random) -> Image.Image:
    width, height = size
    image = _vertical_gradient(size, (150, 185, 220), (200, 215, 230))
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.3)
    grey = 95 + rng.randint(-10, 10)
    draw.rectangle([0, horizon, width, height], fill=(grey, grey + 2, grey + 5))
    draw.rectangle([0, horizon - 30, width, horizon], fill=(90, 130, 80))  # roadside trees
    for x in range(-40, width, width // 6):
        draw.polygon([(x, height), (x + 40, height), (width // 2 + (x - width // 2) // 6 + 6, horizon),
                      (width // 2 + (x - width // 2) // 6, horizon)], fill=(230, 230, 225))
    return image


def _draw_car(image: Image.Image, span: tuple[int, int], height: int, plate: str, colour: str,
              rng: random.Random) -> None:
    """A car from behind: body, rear window, lamps, bumper, tyres, and the plate low in the middle."""
    draw = ImageDraw.Draw(image)
    left, slot = span
    car_w = int(slot * rng.uniform(0.74, 0.84))
    x0 = left + (slot - car_w) // 2 + rng.randint(-slot // 20, slot // 20)
    x1 = x0 + car_w
    y1 = int(height * rng.uniform(0.84, 0.9))
    y0 = y1 - int(car_w * 0.62)
    body = rng.choice(CAR_COLOURS)
    dark = tuple(max(0, c - 50) for c in body)
    for tx in (x0 + car_w // 10, x1 - car_w // 10 - car_w // 6):
        draw.rounded_rectangle([tx, y1 - 20, tx + car_w // 6, y1 + 18], radius=10, fill=(20, 20, 20))
    draw.rounded_rectangle([x0 + car_w // 8, y0, x1 - car_w // 8, y0 + car_w // 4], radius=30, fill=dark)
    draw.polygon([(x0 + car_w // 6, y0 + 14), (x1 - car_w // 6, y0 + 14),
                  (x1 - car_w // 7, y0 + car_w // 4 - 6), (x0 + car_w // 7, y0 + car_w // 4 - 6)],
                 fill=(50, 62, 75))
    draw.rounded_rectangle([x0, y0 + car_w // 4 - 10, x1, y1], radius=26, fill=body, outline=dark, width=3)
    for lx in (x0 + 12, x1 - 12 - car_w // 7):
        draw.rounded_rectangle([lx, y0 + car_w // 4 + 8, lx + car_w // 7, y0 + car_w // 4 + 48],
                               radius=8, fill=(190, 20, 25))
    draw.rectangle([x0 + 6, y1 - car_w // 9, x1 - 6, y1 - 6], fill=dark)
    plate_w = int(car_w * rng.uniform(0.25, 0.3))
    _paste_plate(image, plate, colour, ((x0 + x1) // 2, y1 - car_w // 9 - int(plate_w * 0.16)), plate_w, rng)


def _paste_plate(image: Image.Image, text: str, colour: str, centre: tuple[int, int], plate_w: int,
                 rng: random.Random) -> None:
    art = render_plate(text, colour, scale=plate_w / (480 if len(text) == 8 else 440) * 1.5)
    art = cv2.resize(art, (plate_w, int(plate_w * art.shape[0] / art.shape[1])), interpolation=cv2.INTER_AREA)
    h, w = art.shape[:2]
    angle = rng.uniform(-3, 3)
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rgba = cv2.cvtColor(art, cv2.COLOR_BGR2RGBA)
    rgba[..., 3] = 255
    rotated = cv2.warpAffine(rgba, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0, 0))
    patch = Image.fromarray(rotated, "RGBA")
    image.paste(patch, (centre[0] - w // 2, centre[1] - h // 2), patch)


def _hold_up(frame: np.ndarray, document: np.ndarray, rng: random.Random) -> np.ndarray:
    """Paste a document, slightly turned, into the lower right of the frame."""
    height, width = frame.shape[:2]
    doc_w = int(width * 0.36)
    doc_h = int(doc_w * document.shape[0] / document.shape[1])
    x0, y0 = width - doc_w - int(width * 0.03), height - doc_h - int(height * 0.04)
    jitter = doc_w * 0.02
    src = np.float32([[0, 0], [document.shape[1], 0], [document.shape[1], document.shape[0]], [0, document.shape[0]]])
    dst = np.float32([[x0 + rng.uniform(-jitter, jitter), y0 + rng.uniform(-jitter, jitter)],
                      [x0 + doc_w + rng.uniform(-jitter, jitter), y0 + rng.uniform(-jitter, jitter)],
                      [x0 + doc_w, y0 + doc_h], [x0, y0 + doc_h]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(document, matrix, (width, height))
    mask = cv2.warpPerspective(np.full(document.shape[:2], 255, np.uint8), matrix, (width, height))
    out = frame.copy()
    out[mask > 127] = warped[mask > 127]
    return out
