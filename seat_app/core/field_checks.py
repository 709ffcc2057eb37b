"""Whether each party field holds a well-formed value, judged with the shared validators.

The server runs the same validators (``kuaichu_protocol.validators``) on what the
seat sends, so a field marked valid here is one the server accepts. Validity is
about form only (a plate that could exist); whether it matches the registry is
the verification's job.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kuaichu_protocol import validators as v
from seat_app.core.case import Case


class Validity(StrEnum):
    EMPTY = "empty"
    VALID = "valid"
    INVALID = "invalid"


@dataclass(frozen=True)
class FieldCheck:
    validity: Validity
    reason: str = ""  # English, from the validator; the UI shows its own wording


def _date_check(text: str) -> v.Check:
    return v.Check(v.is_valid_date(text), "" if v.is_valid_date(text) else "not a date")


def _plate_check(text: str) -> v.Check:
    result = v.check_plate(text)
    return v.Check(result.ok, result.reason)


def _predicate(test: Callable[[str], bool], reason: str) -> Callable[[str], v.Check]:
    return lambda text: v.Check(test(text), "" if test(text) else reason)


def _plate_colour(text: str) -> bool:
    return text.strip().lower() in {"blue", "yellow", "green", "white", "black", "蓝", "黄", "绿", "白", "黑",
                                    "蓝色", "黄色", "绿色", "白色", "黑色", "yellow_green", "黄绿"}


#: One checker per field; fields without an entry (owner, vehicle type, phone) only need to be non-empty.
CHECKERS: dict[str, Callable[[str], v.Check]] = {
    "plate": _plate_check,
    "plate_colour": _predicate(_plate_colour, "unknown plate colour"),
    "id_number": v.check_id_number,
    "vin": v.check_vin,
    "licence_class": _predicate(v.is_valid_licence_class, "unknown licence class"),
    "licence_valid_from": _date_check,
    "licence_valid_until": _date_check,
    "insurance_valid_from": _date_check,
    "insurance_valid_until": _date_check,
    "policy_number": _predicate(v.is_plausible_policy_number, "not a policy number"),
    "driver_name": _predicate(v.is_plausible_person_name, "not a name"),
}


def check_field(name: str, value: str) -> FieldCheck:
    text = (value or "").strip()
    if not text:
        return FieldCheck(Validity.EMPTY)
    checker = CHECKERS.get(name)
    if checker is None:
        return FieldCheck(Validity.VALID)
    result = checker(text)
    return FieldCheck(Validity.VALID if result.ok else Validity.INVALID, result.reason)


def is_valid(name: str, value: str) -> bool:
    return check_field(name, value).validity is Validity.VALID


#: Identifiers that name one vehicle or one person: no two parties of a case may share one.
UNIQUE_FIELDS = ("plate", "vin", "id_number")


def shared_identifiers(case: Case) -> dict[tuple[int, str], tuple[int, ...]]:
    """(party id, field) -> the positions of the other parties holding the same plate, VIN or ID number.

    Both parties' fields are errors: the seat cannot tell which of them is wrong."""
    out: dict[tuple[int, str], tuple[int, ...]] = {}
    for name in UNIQUE_FIELDS:
        for party in case.parties:
            value = _identifier(name, party.value(name))
            others = tuple(p.position for p in case.parties
                           if p.id != party.id and value and _identifier(name, p.value(name)) == value)
            if others:
                out[(party.id, name)] = others
    return out


def _identifier(name: str, value: str) -> str:
    text = (value or "").strip().upper()
    return v.normalise_plate(text) if name == "plate" and text else text
