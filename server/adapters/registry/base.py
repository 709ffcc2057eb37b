"""The registry (车驾管系统) seen from the server: three lookups and one way to fail.

Every implementation answers with domain records, None for "no such record", or
raises :class:`RegistryUnavailable` when it cannot tell (timeout, 5xx, garbage).
"Unavailable" is never a pass: the verification shows "核验系统暂不可用，请重试".
"""
from __future__ import annotations

from datetime import date
from typing import Protocol

from server.domain.verification import (
    DriverRecord,
    PartyFields,
    PolicyRecord,
    RegistryLookup,
    Unavailable,
    VehicleRecord,
    normalise_id_number,
    normalise_plate,
)


class RegistryUnavailable(Exception):
    """The registry could not be asked or did not answer properly. Retry later."""


class Registry(Protocol):
    #: Stored on the party as ``verification_source`` (at most 32 characters).
    source: str

    def driver(self, id_number: str) -> DriverRecord | None:
        """The driving licence held by this ID number (the licence number is the ID number)."""

    def vehicle(self, plate: str) -> VehicleRecord | None:
        """The registered vehicle with this plate."""

    def policy(self, plate: str, on_date: date) -> PolicyRecord | None:
        """The compulsory-insurance policy for the plate that covers ``on_date``.

        When none covers it, the newest one that started on or before ``on_date``
        (so the seat can say "expired on ..."), or None if the plate never had one.
        """


def lookup_party(registry: Registry, fields: PartyFields, on_date: date) -> RegistryLookup:
    """Asks the registry about one party, skipping lookups whose key was not collected.

    After the first failure the remaining lookups are not attempted, so a registry
    that is down costs the seat one timeout, not three; they are reported as
    unavailable as well.
    """
    id_number, plate = normalise_id_number(fields.id_number), normalise_plate(fields.plate)
    asks = {
        "driver": (lambda: registry.driver(id_number)) if id_number else None,
        "vehicle": (lambda: registry.vehicle(plate)) if plate else None,
        "policy": (lambda: registry.policy(plate, on_date)) if plate else None,
    }
    answers: dict[str, object] = {}
    failure: Unavailable | None = None
    for name, ask in asks.items():
        if ask is None:
            continue
        if failure is not None:
            answers[name] = failure
            continue
        try:
            answers[name] = ask()
        except RegistryUnavailable as exc:
            failure = Unavailable(str(exc) or type(exc).__name__)
            answers[name] = failure
    return RegistryLookup(**answers)
