"""Reads the city's rule file (TOML) and service area (GeoJSON) named in the settings.

The domain parses already-loaded data; this is the one place those two files are
opened. Errors name the file and the offending key, and are meant to stop start-up.
"""
from __future__ import annotations

import json
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from server.domain.city_rules import CityRules, CityRulesError, parse_city_rules
from server.domain.service_area import ServiceArea, ServiceAreaError, parse_service_area


def load_city_rules(path: Path, timezone: str) -> CityRules:
    try:
        tz = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CityRulesError(f"unknown time zone {timezone!r} (setting TIMEZONE)") from exc
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        return parse_city_rules(data, tz)
    except (OSError, tomllib.TOMLDecodeError, CityRulesError) as exc:
        raise CityRulesError(f"{path}: {exc}") from exc


def load_service_area(path: Path) -> ServiceArea:
    try:
        return parse_service_area(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError, ServiceAreaError) as exc:
        raise ServiceAreaError(f"{path}: {exc}") from exc
