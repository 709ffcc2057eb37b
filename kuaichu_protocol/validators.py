"""Checks on the identifiers a case collects: plates, ID numbers, VINs, licence classes, dates.

The seat runs them on what OCR reads, and the server runs them again on what the seat
sends, so both must agree to the letter. They are pure functions over strings: no I/O,
no OCR knowledge, no opinion on plate colour (the seat judges colour separately).

Sources: GA 36-2018 (plates, including new-energy, embassy, consulate, Hong Kong/Macao,
temporary, emergency, motorcycle and low-speed plates; the armed-police, civil-aviation and
military plates follow their own issuers' formats), GB 11643-1999 (citizen ID
number), GB 16735-2019 / ISO 3779 (VIN), GA 1026 / 《机动车驾驶证申领和使用规定》
(licence classes).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# --- plates ----------------------------------------------------------------------
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
DIGITS = "0123456789"
# The issuing-office letter: any Latin capital but I (O appears on some police plates).
OFFICE_LETTERS = "ABCDEFGHJKLMNOPQRSTUVWXYZ"
# The serial never uses I or O: they read as 1 and 0.
SERIAL_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ" + DIGITS
# New-energy energy-type letters: D A B C E pure electric, F G H J K the others.
NEW_ENERGY_LETTERS = "DABCEFGHJK"
SUFFIXES = "学警挂港澳领临"
# The first (red) letter of a military plate names the issuing branch or theatre.
MILITARY_LETTERS = "VKHBSLJNGCZQ"
SEPARATORS = "·•.-  "

PlateTemplate = tuple[str, ...]  # one allowed character set per position


@dataclass(frozen=True)
class PlateCheck:
    """What the plate grammar says about one string."""

    text: str  # normalised: separators dropped, upper case
    ok: bool
    kind: str = ""  # the template that fits (PLATE_TEMPLATES)
    reason: str = ""
    plate_type: str = ""  # what kind of vehicle carries it (PLATE_TYPES); see plate_type()


# Each template names one plate shape; the seat's recogniser decodes against the same table.
# Several vehicle types share a shape (a car's and a lorry's plates differ only in colour):
# plate_type() tells them apart.
PLATE_TEMPLATES: dict[str, PlateTemplate] = {
    "standard": (PROVINCES, OFFICE_LETTERS) + (SERIAL_CHARS,) * 5,
    "new_energy_small": (PROVINCES, OFFICE_LETTERS, NEW_ENERGY_LETTERS, SERIAL_CHARS) + (DIGITS,) * 4,
    "new_energy_large": (PROVINCES, OFFICE_LETTERS) + (DIGITS,) * 5 + (NEW_ENERGY_LETTERS,),
    "suffix": (PROVINCES, OFFICE_LETTERS) + (SERIAL_CHARS,) * 4 + ("学警挂",),
    "hong_kong_macao": ("粤", "Z") + (SERIAL_CHARS,) * 4 + ("港澳",),
    "embassy": ("使",) + (DIGITS,) * 6,  # 使 + the mission's 3-digit code + 3 digits
    "consulate": (PROVINCES, OFFICE_LETTERS) + (DIGITS,) * 4 + ("领",),
    "temporary": (PROVINCES, OFFICE_LETTERS) + (SERIAL_CHARS,) * 5 + ("临",),
    "emergency": (PROVINCES, OFFICE_LETTERS) + (SERIAL_CHARS,) * 4 + ("应", "急"),
    "agricultural": (PROVINCES,) + (DIGITS,) * 2 + (SERIAL_CHARS,) * 5,  # province + 2-digit area + serial
    "armed_police": ("W", "J", PROVINCES) + (SERIAL_CHARS,) * 5,  # red WJ, the province small, then the serial
    "armed_police_coded": ("W", "J") + (DIGITS,) * 2 + (SERIAL_CHARS,) * 5,  # the province as two red digits
    "civil_aviation": ("民", "航") + (SERIAL_CHARS,) * 5,
    "military": (MILITARY_LETTERS, OFFICE_LETTERS) + (DIGITS,) * 5,
}

# Vehicle types, with the Chinese name the seat and the server show.
PLATE_TYPES: dict[str, str] = {
    "small_car": "小型汽车", "large_vehicle": "大型汽车", "trailer": "挂车", "coach": "教练汽车", "police": "警用汽车",
    "embassy": "使馆汽车", "consulate": "领馆汽车", "hong_kong_macao": "港澳入出境车",
    "new_energy_small": "小型新能源汽车", "new_energy_large": "大型新能源汽车", "motorcycle": "摩托车",
    "low_speed": "低速车", "agricultural": "农用/拖拉机", "temporary": "临时行驶车", "emergency": "应急救援车",
    "armed_police": "武警车辆", "civil_aviation": "民航车辆", "military": "军队车辆",
}
_TEMPLATE_TYPES = {"new_energy_small": "new_energy_small", "new_energy_large": "new_energy_large",
                   "hong_kong_macao": "hong_kong_macao", "embassy": "embassy", "consulate": "consulate",
                   "temporary": "temporary", "emergency": "emergency", "agricultural": "agricultural",
                   "armed_police": "armed_police", "armed_police_coded": "armed_police",
                   "civil_aviation": "civil_aviation", "military": "military"}
_SUFFIX_TYPES = {"学": "coach", "警": "police", "挂": "trailer"}
# Two-row yellow plates, by their width:height (GA 36: a lorry's rear 440x220 mm, a low-speed
# vehicle's 300x165, a motorcycle's 220x140). Below the first, a motorcycle; below the second, low-speed.
TWO_ROW_ASPECT_LIMITS = (1.7, 1.91)


def normalise_plate(text: str) -> str:
    """Drop the separator dot and spaces, upper-case the Latin letters."""
    return "".join(ch for ch in text if ch not in SEPARATORS).upper()


def matches_template(text: str, template: PlateTemplate) -> bool:
    return len(text) == len(template) and all(ch in allowed for ch, allowed in zip(text, template))


def check_plate(text: str, colour: str | None = None, rows: int = 1) -> PlateCheck:
    """Check a plate string against every template; the reason names the first rule broken.
    ``colour`` and ``rows``, when known, only refine the ``plate_type``."""
    plate = normalise_plate(text)
    for kind, template in PLATE_TEMPLATES.items():
        if matches_template(plate, template):
            return PlateCheck(plate, True, kind, plate_type=_type_of(kind, plate, colour, rows))
    return PlateCheck(plate, False, reason=_plate_reason(plate))


def plate_type(text: str, colour: str | None = None, rows: int = 1, aspect: float | None = None) -> str:
    """The vehicle type a plate belongs to (a PLATE_TYPES key), '' if the text is no plate.
    The text alone cannot tell a car's plate from a lorry's: without a colour, an ordinary
    plate is a small car's. ``aspect`` (width / height) tells two-row yellow plates apart."""
    check = check_plate(text)
    return _type_of(check.kind, check.text, colour, rows, aspect) if check.ok else ""


def _type_of(kind: str, plate: str, colour: str | None, rows: int, aspect: float | None = None) -> str:
    if kind in _TEMPLATE_TYPES:
        return _TEMPLATE_TYPES[kind]
    if kind == "suffix":
        return _SUFFIX_TYPES[plate[-1]]
    if colour == "yellow" or rows == 2:
        if rows == 2 and aspect is not None and aspect < TWO_ROW_ASPECT_LIMITS[0]:
            return "motorcycle"
        if rows == 2 and aspect is not None and aspect < TWO_ROW_ASPECT_LIMITS[1]:
            return "low_speed"
        return "large_vehicle"
    return "small_car"


def _plate_reason(plate: str) -> str:
    if not plate:
        return "empty"
    if plate[0] not in PROVINCES:
        return "unknown province"
    if len(plate) < 2 or plate[1] not in OFFICE_LETTERS:
        return "second character must be an office letter"
    serial = plate[2:]
    if "I" in serial or "O" in serial:
        return "I or O in the serial"
    if plate[-1] in "港澳":
        return "Hong Kong/Macao plates are 粤Z + 4 characters + 港/澳"
    if len(plate) not in (7, 8):
        return "wrong length"
    return "serial does not fit any plate shape"


def is_valid_plate(text: str) -> bool:
    return check_plate(text).ok


# --- citizen ID number (GB 11643) -------------------------------------------------
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
# First two digits: the province-level region codes in use.
_ID_REGIONS = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


@dataclass(frozen=True)
class Check:
    ok: bool
    reason: str = ""


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK_CHARS[total % 11]


def check_id_number(text: str, today: date | None = None) -> Check:
    """An 18-character ID number: region, a real birth date, and the check character."""
    number = text.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return Check(False, "must be 17 digits and a digit or X")
    if number[:2] not in _ID_REGIONS:
        return Check(False, "unknown region code")
    birth = parse_compact_date(number[6:14])
    if birth is None or birth.year < 1900 or birth > (today or date.today()):
        return Check(False, "birth date is not a real past date")
    if id_check_char(number[:17]) != number[17]:
        return Check(False, "check character does not match")
    return Check(True)


def is_valid_id_number(text: str) -> bool:
    return check_id_number(text).ok


# --- VIN (ISO 3779, check digit per GB 16735 / 49 CFR 565) -------------------------
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ" + DIGITS  # no I, O, Q
VIN_TRANSLITERATION = {
    **{d: int(d) for d in DIGITS},
    "A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6, "G": 7, "H": 8,
    "J": 1, "K": 2, "L": 3, "M": 4, "N": 5, "P": 7, "R": 9,
    "S": 2, "T": 3, "U": 4, "V": 5, "W": 6, "X": 7, "Y": 8, "Z": 9,
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_check_char(vin: str) -> str:
    """The check character for position 9 of a 17-character VIN ('X' stands for 10)."""
    total = sum(VIN_TRANSLITERATION[ch] * w for ch, w in zip(vin, _VIN_WEIGHTS))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def check_vin(text: str) -> Check:
    vin = text.strip().upper()
    if len(vin) != 17:
        return Check(False, "must be 17 characters")
    if any(ch not in VIN_CHARS for ch in vin):
        return Check(False, "only digits and letters other than I, O, Q")
    if vin_check_char(vin) != vin[8]:
        return Check(False, "check digit in position 9 does not match")
    return Check(True)


def is_valid_vin(text: str) -> bool:
    return check_vin(text).ok


# --- licence classes (准驾车型) ------------------------------------------------------
LICENCE_CLASSES = ("A1", "A2", "A3", "B1", "B2", "C1", "C2", "C3", "C4", "C5", "C6", "D", "E", "F", "M", "N", "P")


def parse_licence_classes(text: str) -> list[str] | None:
    """Split a class string such as 'A2D' or 'C1E' into codes; None if it does not split cleanly."""
    rest = re.sub(r"[\s,，、/]", "", text.upper())
    codes: list[str] = []
    while rest:
        code = next((c for c in sorted(LICENCE_CLASSES, key=len, reverse=True) if rest.startswith(c)), None)
        if code is None or code in codes:
            return None
        codes.append(code)
        rest = rest[len(code):]
    return codes or None


def is_valid_licence_class(text: str) -> bool:
    return parse_licence_classes(text) is not None


# --- dates -----------------------------------------------------------------------
_DATE_PATTERN = re.compile(r"(19\d{2}|20\d{2})\s*[-./年]?\s*(\d{1,2})\s*[-./月]?\s*(\d{1,2})\s*日?")


def parse_compact_date(text: str) -> date | None:
    """YYYYMMDD to a date, or None if it is not a calendar date."""
    if not re.fullmatch(r"\d{8}", text):
        return None
    return _make_date(text[:4], text[4:6], text[6:8])


def parse_date(text: str) -> date | None:
    """The first date in a string written the usual Chinese ways: 2016-05-20, 2016.05.20, 2016年5月20日."""
    match = _DATE_PATTERN.search(text)
    return _make_date(*match.groups()) if match else None


def find_dates(text: str) -> list[date]:
    found = (_make_date(*m.groups()) for m in _DATE_PATTERN.finditer(text))
    return [d for d in found if d is not None]


def _make_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def is_valid_date(text: str) -> bool:
    return parse_date(text) is not None


# --- insurance --------------------------------------------------------------------
def is_plausible_policy_number(text: str) -> bool:
    """Insurers number policies differently; all use 10-30 Latin letters and digits, mostly digits."""
    number = text.strip().upper()
    digits = sum(ch.isdigit() for ch in number)
    return bool(re.fullmatch(r"[A-Z0-9]{10,30}", number)) and digits >= len(number) // 2


def is_plausible_insurer(text: str) -> bool:
    return "保险" in text and text.endswith("公司")


def is_plausible_person_name(text: str) -> bool:
    """Two to five Chinese characters, or a transliterated name joined by '·'."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,5}|[\u4e00-\u9fff]{1,8}(·[\u4e00-\u9fff]{1,8})+", text))
