"""Who is in the simulated accident: parties joined from the demo registry.

The server's demo registry (server/resources/demo_registry.json) lists ``scenarios``
as ``[{"driver": id_number, "plate": ...}]`` plus the ``drivers``, ``vehicles`` and
``policies`` they refer to, so the documents the simulator shows match what the
server's demo registry will answer. The file is package data of ``server``, so the
simulator asks server/resource_files.py for it. Without the file the simulator still
runs, on built-in fictional data.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from server.resource_files import resource

log = logging.getLogger(__name__)


def registry_path() -> Path:
    """The server's packaged demo registry, found where the server finds it."""
    return resource("demo_registry.json")


_FALLBACK_DRIVERS = [
    {"id_number": "510104198503127714", "name": "王建国", "licence_class": "C1",
     "valid_from": "2016-03-20", "valid_until": "2036-03-20"},
    {"id_number": "51010719900823468X", "name": "李秀英", "licence_class": "C1",
     "valid_from": "2019-07-02", "valid_until": "2039-07-02"},
]
_FALLBACK_VEHICLES = [
    {"plate": "川A5F7K2", "plate_colour": "blue", "vehicle_type": "小型轿车",
     "vin": "LSVAU2187N2123456", "owner": "王建国", "registered": "2022-04-15"},
    {"plate": "川AD35812", "plate_colour": "green", "vehicle_type": "小型轿车",
     "vin": "LGXCE4CB6P0658213", "owner": "李秀英", "registered": "2023-06-02"},
]


@dataclass(frozen=True)
class Party:
    driver: dict
    vehicle: dict
    policy: dict | None

    @property
    def plate(self) -> str:
        return self.vehicle["plate"]

    @property
    def plate_colour(self) -> str:
        return self.vehicle.get("plate_colour", "blue")


def load_scenario(name: str = "standard", path: Path | None = None) -> list[Party]:
    """The parties of scenario ``name``; built-in data if the registry file is missing."""
    path = path or registry_path()
    if not path.exists():
        log.info("no %s; using built-in demo parties", path)
        return _fallback_parties()
    registry = json.loads(path.read_text(encoding="utf-8"))
    scenarios = registry.get("scenarios", {})
    if name not in scenarios:
        raise KeyError(f"unknown scenario {name!r}; known: {', '.join(sorted(scenarios))}")
    return [_join(registry, entry) for entry in scenarios[name]]


def scenario_names(path: Path | None = None) -> list[str]:
    path = path or registry_path()
    if not path.exists():
        return ["standard"]
    return sorted(json.loads(path.read_text(encoding="utf-8")).get("scenarios", {}))


def _join(registry: dict, entry: dict) -> Party:
    driver = _find(registry.get("drivers", []), "id_number", entry["driver"])
    vehicle = _find(registry.get("vehicles", []), "plate", entry["plate"])
    policy = _find(registry.get("policies", []), "plate", entry["plate"])
    return Party(driver or {"id_number": entry["driver"], "name": "未登记"},
                 vehicle or {"plate": entry["plate"]}, policy)


def _find(rows: list[dict], key: str, value: str) -> dict | None:
    return next((row for row in rows if row.get(key) == value), None)


def _fallback_parties() -> list[Party]:
    return [Party(d, v, None) for d, v in zip(_FALLBACK_DRIVERS, _FALLBACK_VEHICLES)]
