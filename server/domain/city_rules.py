"""A city's eligibility rules for video processing, read from one TOML file.

Each city publishes its own service hours, vehicle limits and whether a minor
injury may be handled by video; everything that differs between Chengdu and
Liuzhou lives here, not in code. Parsing is strict: a misspelt key or a wrong
type stops the server at start-up with a message that names the key, rather
than silently falling back to a default.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from kuaichu_protocol.validators import PLATE_TYPES

# The plate types video handling takes when a rules file does not list them: every civilian
# vehicle. A military or armed-police vehicle's accident is handled by its own service's
# police, never by video (《军队车辆交通事故处理规定》), so the operator escalates.
DEFAULT_PLATE_TYPES = frozenset(PLATE_TYPES) - {"military", "armed_police"}

class CityRulesError(ValueError):
    """The rules file is unusable; the message names the offending key."""


@dataclass(frozen=True)
class CityRules:
    city: str
    tz: tzinfo  # local time for the service hours
    service_start_minute: int  # minutes after midnight, inclusive
    service_end_minute: int  # exclusive; 1440 means midnight at the end of the day
    min_vehicles: int
    max_vehicles: int
    allow_non_motor: bool
    minor_injury_allowed: bool
    service_area_required: bool
    plate_types: frozenset[str] = DEFAULT_PLATE_TYPES  # kuaichu_protocol.validators.PLATE_TYPES keys

    def within_service_hours(self, moment: datetime) -> bool:
        """Whether an aware moment falls in the service hours, judged in local time."""
        if moment.tzinfo is None:
            raise ValueError("service hours need an aware datetime")
        local = moment.astimezone(self.tz)
        seconds = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
        start, end = self.service_start_minute * 60, self.service_end_minute * 60
        if start < end:
            return start <= seconds < end
        return seconds >= start or seconds < end  # hours that run past midnight

    @property
    def service_hours_zh(self) -> str:
        return f"{_format_minute(self.service_start_minute)}至{_format_minute(self.service_end_minute)}"


_SCHEMA: dict[str, dict[str, type]] = {
    "": {"city": str},
    "service_hours": {"start": str, "end": str},
    "vehicles": {"min": int, "max": int, "allow_non_motor": bool},
    "injury": {"minor_injury_allowed": bool},
    "service_area": {"required": bool},
    "plates": {"allowed_types": list},
}
# Sections a rules file may leave out, and what leaving them out means: [plates] came later
# than the first cities' files; without it every civilian plate type is taken.
_OPTIONAL_SECTIONS = {"plates"}

_HHMM = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


def parse_city_rules(data: Mapping[str, Any], tz: tzinfo) -> CityRules:
    """Builds the rules from a parsed TOML document. Every key is required."""
    _check_shape(data)
    start = _minute(data["service_hours"]["start"], "service_hours.start")
    end = _minute(data["service_hours"]["end"], "service_hours.end")
    if start == end or start == 1440:
        hours = f"{_format_minute(start)}-{_format_minute(end)}"
        raise CityRulesError(f"service_hours: {hours} leaves no hours")
    vehicles = data["vehicles"]
    if not 1 <= vehicles["min"] <= vehicles["max"] <= 10:
        raise CityRulesError(f"vehicles: need 1 <= min <= max <= 10, got min={vehicles['min']} max={vehicles['max']}")
    return CityRules(
        city=data["city"],
        tz=tz,
        service_start_minute=start,
        service_end_minute=end,
        min_vehicles=vehicles["min"],
        max_vehicles=vehicles["max"],
        allow_non_motor=vehicles["allow_non_motor"],
        minor_injury_allowed=data["injury"]["minor_injury_allowed"],
        service_area_required=data["service_area"]["required"],
        plate_types=_plate_types(data["plates"]["allowed_types"]) if "plates" in data else DEFAULT_PLATE_TYPES,
    )


def _plate_types(names: list) -> frozenset[str]:
    unknown = [name for name in names if name not in PLATE_TYPES]
    if unknown:
        known = ", ".join(PLATE_TYPES)
        raise CityRulesError(f"plates.allowed_types: unknown plate type {unknown[0]!r} (known: {known})")
    return frozenset(names)


def _check_shape(data: Mapping[str, Any]) -> None:
    for section, keys in _SCHEMA.items():
        table = data if section == "" else data.get(section)
        if table is None and section in _OPTIONAL_SECTIONS:
            continue
        if not isinstance(table, Mapping):
            raise CityRulesError(f"missing section [{section}]")
        expected_keys = set(keys) | (set(_SCHEMA) - {""} if section == "" else set())
        for key in table:
            if key not in expected_keys:
                raise CityRulesError(f"unknown key {_name(section, key)}")
        for key, kind in keys.items():
            if key not in table:
                raise CityRulesError(f"missing key {_name(section, key)}")
            value = table[key]
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise CityRulesError(f"{_name(section, key)}: expected {kind.__name__}, got {value!r}")


def _name(section: str, key: str) -> str:
    return f"{section}.{key}" if section else key


def _minute(text: str, name: str) -> int:
    match = _HHMM.match(text)
    if not match or (match[1] == "24" and match[2] != "00"):
        raise CityRulesError(f"{name}: expected HH:MM between 00:00 and 24:00, got {text!r}")
    return int(match[1]) * 60 + int(match[2])


def _format_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
