"""Turns registry JSON (the demo file and the HTTP registry's replies) into domain records.

Both sources use the same field names, documented in ``http.py``; a record that
does not fit raises :class:`RecordError` naming the field, so a bad demo file
stops start-up and a bad HTTP reply is treated as the registry being unavailable.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from server.domain import licence_classes
from server.domain.verification import (
    DriverRecord,
    DriverStatus,
    PolicyRecord,
    VehicleRecord,
    VehicleStatus,
    normalise_id_number,
    normalise_plate,
)

E = TypeVar("E", bound=StrEnum)

PLATE_COLOURS = frozenset({"blue", "green", "yellow", "white", "black"})


class RecordError(ValueError):
    """A registry record is missing a field or has a value of the wrong form."""


def parse_driver(data: Any) -> DriverRecord:
    f = _Fields(data)
    licence_class = f.text("licence_class").strip().upper()
    try:
        licence_classes.parse_classes(licence_class)
    except ValueError as exc:
        raise RecordError(f"licence_class: {exc}") from exc
    return DriverRecord(
        id_number=normalise_id_number(f.text("id_number")),
        name=f.text("name").strip(),
        licence_class=licence_class,
        valid_from=f.date("valid_from"),
        valid_until=f.date("valid_until"),
        status=f.choice("status", DriverStatus),
    )


def parse_vehicle(data: Any) -> VehicleRecord:
    f = _Fields(data)
    colour = f.text("plate_colour")
    if colour not in PLATE_COLOURS:
        raise RecordError(f"plate_colour: expected one of {sorted(PLATE_COLOURS)}, got {colour!r}")
    return VehicleRecord(
        plate=normalise_plate(f.text("plate")),
        plate_colour=colour,
        vehicle_type=f.text("vehicle_type").strip(),
        vin=f.text("vin").strip().upper(),
        owner=f.text("owner").strip(),
        engine_number=f.text("engine_number", required=False),
        registered=f.date("registered"),
        status=f.choice("status", VehicleStatus),
        inspection_valid_until=f.date("inspection_valid_until"),
        transmission=f.choice("transmission", licence_classes.Transmission, required=False).value,
    )


def parse_policy(data: Any) -> PolicyRecord:
    f = _Fields(data)
    return PolicyRecord(
        policy_number=f.text("policy_number").strip(),
        plate=normalise_plate(f.text("plate")),
        insurer=f.text("insurer").strip().upper(),
        insurer_name=f.text("insurer_name").strip(),
        valid_from=f.date("valid_from"),
        valid_until=f.date("valid_until"),
    )


class _Fields:
    """Typed access to one JSON record, with errors that name the field."""

    def __init__(self, data: Any) -> None:
        if not isinstance(data, Mapping):
            raise RecordError(f"expected a JSON object, got {type(data).__name__}")
        self._data = data

    def text(self, key: str, *, required: bool = True) -> str:
        value = self._data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise RecordError(f"{key}: expected a non-empty string, got {value!r}")
        return value

    def date(self, key: str) -> date:
        text = self.text(key)
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise RecordError(f"{key}: expected a date YYYY-MM-DD, got {text!r}") from None

    def choice(self, key: str, kind: type[E], *, required: bool = True) -> E:
        text = self.text(key, required=required)
        try:
            return kind(text)
        except ValueError:
            raise RecordError(f"{key}: expected one of {[k.value for k in kind]}, got {text!r}") from None
