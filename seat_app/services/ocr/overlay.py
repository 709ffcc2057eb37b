"""What the seat draws over a captured frame after OCR: boxes, text, target field, validity.

One item per plate, per document field, and per other recognised line, so the operator
can click any box to use its text. ``field`` is the party field the text fills (the names
of ``seat_app.core.case``: driver_name, licence_valid_from...), or "" for a line that fills
none; ``caption`` is the Chinese name the UI shows next to the box.
"""
from __future__ import annotations

from dataclasses import dataclass

from kuaichu_protocol import validators

from .results import DocumentKind, OcrResult, PlateReading, Quad

# (document kind, OCR field) -> party field. Fields not listed fill no party field.
PARTY_FIELDS: dict[tuple[DocumentKind, str], str] = {
    (DocumentKind.DRIVER_LICENCE, "name"): "driver_name",
    (DocumentKind.DRIVER_LICENCE, "id_number"): "id_number",
    (DocumentKind.DRIVER_LICENCE, "licence_class"): "licence_class",
    (DocumentKind.DRIVER_LICENCE, "valid_from"): "licence_valid_from",
    (DocumentKind.DRIVER_LICENCE, "valid_until"): "licence_valid_until",
    (DocumentKind.VEHICLE_LICENCE, "plate"): "plate",
    (DocumentKind.VEHICLE_LICENCE, "vehicle_type"): "vehicle_type",
    (DocumentKind.VEHICLE_LICENCE, "owner"): "owner",
    (DocumentKind.VEHICLE_LICENCE, "vin"): "vin",
    (DocumentKind.INSURANCE, "insurer"): "insurer",
    (DocumentKind.INSURANCE, "policy_number"): "policy_number",
    (DocumentKind.INSURANCE, "valid_from"): "insurance_valid_from",
    (DocumentKind.INSURANCE, "valid_until"): "insurance_valid_until",
}
CAPTIONS = {
    "plate": "号牌号码", "name": "姓名", "id_number": "证号", "licence_class": "准驾车型",
    "valid_from": "有效期起", "valid_until": "有效期至", "birth_date": "出生日期",
    "first_issue_date": "初次领证日期", "vehicle_type": "车辆类型", "owner": "所有人",
    "vin": "车辆识别代号", "engine_number": "发动机号码", "registration_date": "注册日期",
    "issue_date": "发证日期", "insurer": "保险公司", "policy_number": "保险单号",
}
PLATE_COLOUR_NAMES = {"blue": "蓝牌", "yellow": "黄牌", "green": "绿牌", "white": "白牌", "black": "黑牌"}
# Plate readings flagged for the operator: drawn amber, a click shows them zoomed with these.
FLAGS = ("partial", "confusable")
MAX_ALTERNATIVES = 6


@dataclass(frozen=True)
class OverlayItem:
    box: Quad  # image pixels, four corners clockwise from top left
    text: str
    field: str  # party field this text fills, or ""
    valid: bool  # the field's validator passed (False for lines that fill no field)
    confidence: float
    caption: str  # Chinese, shown beside the box: 号牌号码 (蓝牌), 姓名, ...
    source: str  # "plate", the document field name, or "line"
    flag: str = ""  # a plate the operator must check: "partial" ('?' unread) or "confusable"
    alternatives: tuple[str, ...] = ()  # whole readings to choose from, most likely first


def overlay_items(result: OcrResult) -> list[OverlayItem]:
    """Plates first, then document fields, then the remaining lines, then the boxes of lines
    not read (empty text: the UI can have them read on a click, see OcrReader.read_box)."""
    items = [_plate_item(p) for p in result.plates]
    used = set()
    for name, found in result.fields.items():
        flag = found.reason if found.reason in FLAGS else ""  # an engine or policy number's look-alikes
        items.append(OverlayItem(found.box, found.text, PARTY_FIELDS.get((result.kind, name), ""), found.valid,
                                 found.confidence, CAPTIONS.get(name, name), name, flag))
        used.add(found.box)
    for line in result.lines:
        if not any(_same_line(line.box, box) for box in used):
            items.append(OverlayItem(line.box, line.text, "", False, line.confidence, "", "line"))
    items += [OverlayItem(box, "", "", False, 0.0, "", "unread") for box in result.unread]
    return items


def _plate_item(plate) -> OverlayItem:
    colour = PLATE_COLOUR_NAMES.get(plate.colour or "", "")
    caption = f"号牌号码（{colour}）" if colour else "号牌号码"
    flag = plate.reason if plate.reason in FLAGS else ""
    return OverlayItem(plate.box, plate.text, "plate", plate.valid, plate.confidence, caption, "plate",
                       flag, plate_alternatives(plate) if flag else ())


def plate_alternatives(plate: PlateReading) -> tuple[str, ...]:
    """The whole plates a confusable reading may be: the reading itself, then each with one
    character swapped for an alternative the model rated nearly as high (most likely first), as
    long as the plate is well-formed. A partial reading offers none: its '?' is for the operator
    to read on the zoomed picture, never to guess."""
    if plate.partial:
        return ()
    found = [plate.text] if validators.is_valid_plate(plate.text) else []
    swaps = [(rank, k, ch) for k, others in enumerate(plate.alternatives) for rank, ch in enumerate(others)]
    for _rank, k, ch in sorted(swaps):
        text = plate.text[:k] + ch + plate.text[k + 1:]
        if text not in found and validators.is_valid_plate(text):
            found.append(text)
    return tuple(found[:MAX_ALTERNATIVES])


def _same_line(line_box: Quad, field_box: Quad) -> bool:
    """A field box is cut from its line's box, so its centre lies within the line's bounds."""
    xs, ys = [p[0] for p in line_box], [p[1] for p in line_box]
    cx = sum(p[0] for p in field_box) / 4
    cy = sum(p[1] for p in field_box) / 4
    return min(xs) <= cx <= max(xs) and min(ys) <= cy <= max(ys)
