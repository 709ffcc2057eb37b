"""A registry held in memory: the demo registry and the test fake are both this."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from server.domain.verification import (
    DriverRecord,
    PolicyRecord,
    VehicleRecord,
    normalise_id_number,
    normalise_plate,
)


R = TypeVar("R")


class InMemoryRegistry:
    def __init__(
        self,
        drivers: Iterable[DriverRecord] = (),
        vehicles: Iterable[VehicleRecord] = (),
        policies: Iterable[PolicyRecord] = (),
        *,
        source: str = "memory",
    ) -> None:
        self.source = source
        self._drivers = _index(drivers, lambda d: d.id_number, "driver id_number")
        self._vehicles = _index(vehicles, lambda v: v.plate, "vehicle plate")
        self._policies: dict[str, list[PolicyRecord]] = {}
        for policy in policies:
            self._policies.setdefault(policy.plate, []).append(policy)

    def driver(self, id_number: str) -> DriverRecord | None:
        return self._drivers.get(normalise_id_number(id_number))

    def vehicle(self, plate: str) -> VehicleRecord | None:
        return self._vehicles.get(normalise_plate(plate))

    def policy(self, plate: str, on_date: date) -> PolicyRecord | None:
        return pick_policy(self._policies.get(normalise_plate(plate), ()), on_date)


def pick_policy(policies: Iterable[PolicyRecord], on_date: date) -> PolicyRecord | None:
    """The policy covering ``on_date``, else the newest that started by then, else None."""
    started = sorted((p for p in policies if p.valid_from <= on_date), key=lambda p: (p.valid_from, p.valid_until))
    covering = [p for p in started if on_date <= p.valid_until]
    if covering:
        return covering[-1]
    return started[-1] if started else None


def _index(records: Iterable[R], key: Callable[[R], str], what: str) -> dict[str, R]:
    index: dict[str, R] = {}
    for record in records:
        k = key(record)
        if k in index:
            raise ValueError(f"duplicate {what} {k!r}")
        index[k] = record
    return index
