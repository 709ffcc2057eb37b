"""The demo registry: fictional drivers, vehicles and policies from server/resources/demo_registry.json.

The file also names ``scenarios`` (e.g. ``standard``, ``uninsured``): the parties
the phone simulator plays, each a driver ID number and a plate, so that the
demo shows every verification outcome on a consistent scene.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from server.adapters.registry.memory import InMemoryRegistry
from server.adapters.registry.records import RecordError, parse_driver, parse_policy, parse_vehicle
from server.domain.verification import normalise_id_number, normalise_plate

R = TypeVar("R")

TOP_LEVEL_KEYS = ("drivers", "vehicles", "policies", "scenarios")


class DemoRegistryError(ValueError):
    """The demo file cannot be used; the message says which record and field."""


class DemoRegistry(InMemoryRegistry):
    def __init__(self, data: Mapping[str, Any]) -> None:
        if not isinstance(data, Mapping) or set(data) != set(TOP_LEVEL_KEYS):
            raise DemoRegistryError(f"expected exactly the top-level keys {list(TOP_LEVEL_KEYS)}")
        try:
            super().__init__(
                _parse_all(data, "drivers", parse_driver),
                _parse_all(data, "vehicles", parse_vehicle),
                _parse_all(data, "policies", parse_policy),
                source="demo",
            )
        except ValueError as exc:  # duplicates
            raise DemoRegistryError(str(exc)) from exc
        self.scenarios = _scenarios(data["scenarios"], self)

    @classmethod
    def from_file(cls, path: Path) -> DemoRegistry:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise DemoRegistryError(f"{path}: {exc}") from exc
        try:
            return cls(data)
        except DemoRegistryError as exc:
            raise DemoRegistryError(f"{path}: {exc}") from exc


def _parse_all(data: Mapping[str, Any], key: str, parse: Callable[[Any], R]) -> list[R]:
    rows = data[key]
    if not isinstance(rows, list):
        raise DemoRegistryError(f"{key}: expected a list")
    parsed = []
    for index, row in enumerate(rows):
        try:
            parsed.append(parse(row))
        except RecordError as exc:
            raise DemoRegistryError(f"{key}[{index}]: {exc}") from exc
    return parsed


def _scenarios(raw: Any, registry: InMemoryRegistry) -> dict[str, list[dict[str, str]]]:
    if not isinstance(raw, Mapping):
        raise DemoRegistryError("scenarios: expected an object")
    scenarios: dict[str, list[dict[str, str]]] = {}
    for name, parties in raw.items():
        if not isinstance(parties, list) or not parties:
            raise DemoRegistryError(f"scenarios.{name}: expected a non-empty list of parties")
        for index, party in enumerate(parties):
            where = f"scenarios.{name}[{index}]"
            if not isinstance(party, Mapping) or registry.driver(str(party.get("driver", ""))) is None:
                raise DemoRegistryError(f"{where}: driver is not in drivers")
            if registry.vehicle(str(party.get("plate", ""))) is None:
                raise DemoRegistryError(f"{where}: plate is not in vehicles")
        scenarios[name] = [
            {"driver": normalise_id_number(p["driver"]), "plate": normalise_plate(p["plate"])} for p in parties
        ]
    return scenarios
