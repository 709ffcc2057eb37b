"""A registry for tests: in memory, records every call, and can be told to fail."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from server.adapters.registry.base import RegistryUnavailable
from server.adapters.registry.memory import InMemoryRegistry
from server.domain.verification import DriverRecord, PolicyRecord, VehicleRecord


class FakeRegistry(InMemoryRegistry):
    def __init__(
        self,
        drivers: Iterable[DriverRecord] = (),
        vehicles: Iterable[VehicleRecord] = (),
        policies: Iterable[PolicyRecord] = (),
    ) -> None:
        super().__init__(drivers, vehicles, policies, source="fake")
        self.calls: list[tuple[str, tuple[object, ...]]] = []
        #: Lookups ("driver", "vehicle", "policy") that raise RegistryUnavailable.
        self.failing: set[str] = set()

    def fail(self, *lookups: str) -> None:
        """Makes the named lookups (all three when none are named) unavailable."""
        self.failing = set(lookups or ("driver", "vehicle", "policy"))

    def driver(self, id_number: str) -> DriverRecord | None:
        self._call("driver", id_number)
        return super().driver(id_number)

    def vehicle(self, plate: str) -> VehicleRecord | None:
        self._call("vehicle", plate)
        return super().vehicle(plate)

    def policy(self, plate: str, on_date: date) -> PolicyRecord | None:
        self._call("policy", plate, on_date)
        return super().policy(plate, on_date)

    def _call(self, name: str, *args: object) -> None:
        self.calls.append((name, args))
        if name in self.failing:
            raise RegistryUnavailable(f"fake registry: {name} lookup made to fail")
