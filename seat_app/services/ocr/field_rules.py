"""Which fields each document kind yields, where their values are printed, and how to check them.

A rule names the printed labels that introduce a value, how to pull the value out of the
text after the label, and the shared validator that judges it. Corrections are limited
to what a field's own alphabet forces: an ID number is digits, so a read 'O' there can
only be '0'; a VIN never contains I, O or Q. Anything else is left as read, and the
validator flags it.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kuaichu_protocol import validators as v

from .results import DocumentKind

CJK = r"\u4e00-\u9fff"
DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "i": "1"})


@dataclass(frozen=True)
class FieldRule:
    name: str
    labels: tuple[str, ...]  # printed labels that introduce the value, most specific first
    parse: Callable[[str], str | None]  # the text after the label -> the value, or None if absent
    check: Callable[[str], v.Check]
    fallback: Callable[[str], str | None] | None = None  # finds the value in any line, label or not


# --- value parsers --------------------------------------------------------------------
def _first_match(pattern: str, flags: int = 0) -> Callable[[str], str | None]:
    compiled = re.compile(pattern, flags)

    def parse(text: str) -> str | None:
        match = compiled.search(text)
        return match.group(0) if match else None
    return parse


def parse_name(text: str) -> str | None:
    match = re.search(rf"[{CJK}]+(?:·[{CJK}]+)*", text.replace("•", "·"))
    return match.group(0) if match else None


def parse_owner(text: str) -> str | None:
    match = re.search(rf"[{CJK}][{CJK}·（）()]*", text)
    return match.group(0) if match else None


def find_id_number(text: str) -> str | None:
    """An 18-character ID number anywhere in the text (the fallback when no label was read)."""
    compact = re.sub(r"[\s:：]", "", text)
    for run in re.findall(r"[0-9OoDQIl|iXx]{18}", compact):
        candidate = _as_id_number(run)
        if re.fullmatch(r"\d{17}[\dX]", candidate):
            return candidate
    return None


def parse_id_number(text: str) -> str | None:
    """The run of digits after the label, whatever its length: the validator judges it."""
    match = re.search(r"[0-9OoDQIl|iXx]{6,}", re.sub(r"[\s:：]", "", text))
    return _as_id_number(match.group(0)) if match else None


def _as_id_number(run: str) -> str:
    """Digits only, but an X may close it: letters that look like digits are those digits."""
    return run[:-1].translate(DIGIT_LOOKALIKES) + ("X" if run[-1] in "Xx" else run[-1].translate(DIGIT_LOOKALIKES))


def parse_licence_class(text: str) -> str | None:
    compact = re.sub(r"\s", "", text).upper().translate(str.maketrans({"I": "1", "L": "1", "|": "1"}))
    match = re.search(r"[A-Z][A-Z0-9]{0,7}", compact)
    return match.group(0) if match else None


def _vin_alphabet(text: str) -> str:
    """A VIN never contains I, O or Q, so those are the digits they look like."""
    return re.sub(r"[\s:：]", "", text).upper().translate(str.maketrans({"O": "0", "Q": "0", "I": "1"}))


def parse_vin(text: str) -> str | None:
    """The run of letters and digits after the label, whatever its length: the validator judges it."""
    match = re.search(r"[A-Z0-9]{10,}", _vin_alphabet(text))
    return match.group(0) if match else None


def find_vin(text: str) -> str | None:
    """A 17-character VIN with a correct check digit anywhere in the text (the fallback)."""
    for match in re.finditer(r"(?=([A-Z0-9]{17}))", _vin_alphabet(text)):
        if v.is_valid_vin(match.group(1)):
            return match.group(1)
    return None


def parse_plate(text: str) -> str | None:
    compact = v.normalise_plate(re.sub(r"[:：]", "", text))
    match = re.search(rf"[{v.PROVINCES}][A-Z0-9]{{5,7}}[学警挂港澳]?", compact)
    if not match:
        return None
    plate = match.group(0)
    serial = plate[2:].translate(str.maketrans({"O": "0", "I": "1"}))  # the serial has no I or O
    return plate[:2] + serial


def parse_vehicle_type(text: str) -> str | None:
    match = re.search(rf"[{CJK}]{{1,10}}车", text)
    return match.group(0) if match else None


def parse_engine_number(text: str) -> str | None:
    match = re.search(r"[A-Z0-9][A-Z0-9\-]{3,19}", re.sub(r"[\s:：]", "", text).upper())
    return match.group(0) if match else None


def parse_policy_number(text: str) -> str | None:
    match = re.search(r"[A-Z0-9]{10,30}", re.sub(r"[\s:：]", "", text).upper())
    return match.group(0) if match else None


def parse_insurer(text: str) -> str | None:
    match = re.search(rf"[{CJK}]{{2,16}}?保险(?:股份)?有限(?:责任)?公司", text)
    return match.group(0) if match else None


def date_at(index: int) -> Callable[[str], str | None]:
    """The ``index``-th date written in the text, as ISO 8601."""
    def parse(text: str) -> str | None:
        dates = v.find_dates(text)
        return dates[index].isoformat() if len(dates) > index else None
    return parse


def valid_until(text: str) -> str | None:
    """The end of a validity period: the second date, or the first plus 'N年' on older licences."""
    dates = v.find_dates(text)
    if len(dates) > 1:
        return dates[1].isoformat()
    years = re.search(r"(\d{1,2})\s*年(?!\d)", text)
    if dates and years and not re.search(r"\d{4}\s*年", text[years.start() - 3:years.end()]):
        start = dates[0]
        try:
            return start.replace(year=start.year + int(years.group(1))).isoformat()
        except ValueError:
            return start.replace(year=start.year + int(years.group(1)), day=28).isoformat()
    return None


# --- checks ---------------------------------------------------------------------------
def _predicate(test: Callable[[str], bool], reason: str) -> Callable[[str], v.Check]:
    return lambda text: v.Check(True) if test(text) else v.Check(False, reason)


def _plate_check(text: str) -> v.Check:
    result = v.check_plate(text)
    return v.Check(result.ok, result.reason)


check_date = _predicate(v.is_valid_date, "not a date")
check_name = _predicate(v.is_plausible_person_name, "not a person's name")
check_owner = _predicate(lambda t: bool(re.fullmatch(rf"[{CJK}][{CJK}·（）()]{{1,30}}", t)), "not a name")
check_class = _predicate(v.is_valid_licence_class, "unknown licence class")
check_vehicle_type = _predicate(lambda t: bool(re.fullmatch(rf"[{CJK}]{{2,10}}车", t)), "not a vehicle type")
check_engine = _predicate(lambda t: bool(re.fullmatch(r"[A-Z0-9\-]{4,20}", t)), "not an engine number")
check_policy = _predicate(v.is_plausible_policy_number, "not a policy number")
check_insurer = _predicate(v.is_plausible_insurer, "not an insurer's name")


# --- rules per kind ---------------------------------------------------------------------
RULES: dict[DocumentKind, tuple[FieldRule, ...]] = {
    DocumentKind.DRIVER_LICENCE: (
        FieldRule("name", ("姓名",), parse_name, check_name),
        FieldRule("id_number", ("证号", "公民身份号码", "身份证明号码"), parse_id_number, v.check_id_number,
                  fallback=find_id_number),
        FieldRule("licence_class", ("准驾车型",), parse_licence_class, check_class),
        FieldRule("valid_from", ("有效起始日期", "有效期限", "有效期"), date_at(0), check_date),
        FieldRule("valid_until", ("有效期限", "有效期至", "有效期"), valid_until, check_date),
        FieldRule("birth_date", ("出生日期",), date_at(0), check_date),
        FieldRule("first_issue_date", ("初次领证日期",), date_at(0), check_date),
    ),
    DocumentKind.VEHICLE_LICENCE: (
        FieldRule("plate", ("号牌号码",), parse_plate, _plate_check),
        FieldRule("vehicle_type", ("车辆类型",), parse_vehicle_type, check_vehicle_type),
        FieldRule("owner", ("所有人",), parse_owner, check_owner),
        FieldRule("vin", ("车辆识别代号",), parse_vin, v.check_vin, fallback=find_vin),
        FieldRule("engine_number", ("发动机号码", "发动机号"), parse_engine_number, check_engine),
        FieldRule("registration_date", ("注册日期",), date_at(0), check_date),
        FieldRule("issue_date", ("发证日期",), date_at(0), check_date),
    ),
    DocumentKind.INSURANCE: (
        FieldRule("insurer", ("保险人", "保险公司"), parse_insurer, check_insurer, fallback=parse_insurer),
        FieldRule("policy_number", ("保险单号", "保单号码", "保单号"), parse_policy_number, check_policy),
        FieldRule("valid_from", ("保险期间", "有效期"), date_at(0), check_date),
        FieldRule("valid_until", ("保险期间", "有效期"), date_at(1), check_date),
        FieldRule("plate", ("号牌号码",), parse_plate, _plate_check),
    ),
}

# The fields a document of each kind must yield; the others are read when they happen to be seen.
REQUIRED: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.DRIVER_LICENCE: ("name", "id_number", "licence_class", "valid_from", "valid_until"),
    DocumentKind.VEHICLE_LICENCE: ("plate", "vehicle_type", "owner", "vin", "engine_number", "registration_date"),
    DocumentKind.INSURANCE: ("insurer", "policy_number", "valid_from", "valid_until"),
}

# Every label printed on the three documents: a value ends where the next label starts.
ALL_LABELS = tuple(sorted({label for rules in RULES.values() for rule in rules for label in rule.labels} | {
    "性别", "国籍", "住址", "使用性质", "品牌型号", "被保险人", "机动车种类", "地址", "联系电话",
}, key=len, reverse=True))
