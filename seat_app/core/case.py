"""The case the operator is working on, as plain data read from the server's JSON.

The seat never owns the truth: every edit goes to the server and the reply
replaces the local copy. These models exist so widgets and the checklist can
read a case without knowing the wire format.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

PARTY_LABELS = ("甲", "乙", "丙", "丁")
MAX_VEHICLES = 3

#: The party fields the seat collects, grouped as the form shows them.
DRIVER_FIELDS = ("driver_name", "id_number", "licence_class", "licence_valid_from", "licence_valid_until")
VEHICLE_FIELDS = ("plate", "plate_colour", "vehicle_type", "vin", "owner")
INSURANCE_FIELDS = ("insurer", "policy_number", "insurance_valid_from", "insurance_valid_until")
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "driver": DRIVER_FIELDS,
    "vehicle": VEHICLE_FIELDS,
    "insurance": INSURANCE_FIELDS,
}
#: A non-motor party (bicycle, e-bike, pedestrian) has a driver but no registered vehicle or policy.
NON_MOTOR_GROUPS: dict[str, tuple[str, ...]] = {"driver": ("driver_name", "id_number")}
EDITABLE_FIELDS = ("phone",) + DRIVER_FIELDS + VEHICLE_FIELDS + INSURANCE_FIELDS


def party_label(position: int) -> str:
    """``1 -> "甲方"``, as on the liability document."""
    if 1 <= position <= len(PARTY_LABELS):
        return f"{PARTY_LABELS[position - 1]}方"
    return f"第{position}方"


@dataclass(frozen=True)
class Party:
    id: int
    position: int
    kind: str = "motor"  # motor | non_motor
    values: dict[str, str] = field(default_factory=dict)
    verification: dict[str, Any] | None = None
    verified_at: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Party:
        values = {k: str(data[k]) for k in EDITABLE_FIELDS if data.get(k) not in (None, "")}
        return cls(
            id=int(data["id"]),
            position=int(data.get("position") or 1),
            kind=data.get("kind") or "motor",
            values=values,
            verification=data.get("verification") or None,
            verified_at=data.get("verified_at"),
        )

    @property
    def label(self) -> str:
        return party_label(self.position)

    @property
    def is_motor(self) -> bool:
        return self.kind == "motor"

    @property
    def groups(self) -> dict[str, tuple[str, ...]]:
        return FIELD_GROUPS if self.is_motor else NON_MOTOR_GROUPS

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def with_values(self, changes: dict[str, str]) -> Party:
        return replace(self, values={**self.values, **changes})


@dataclass(frozen=True)
class Case:
    id: int
    number: str
    state: str
    district: str = ""
    location: dict[str, float] | None = None
    safety: dict[str, bool] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    eligibility: Any = None
    parties: tuple[Party, ...] = ()
    queued_at: str | None = None
    answered_at: str | None = None
    seat_user_id: int | None = None  # the operator holding the case, as the server last said

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Case:
        parties = sorted((Party.from_json(p) for p in data.get("parties") or ()), key=lambda p: p.position)
        return cls(
            id=int(data["id"]),
            number=str(data.get("number") or data["id"]),
            state=str(data.get("state") or ""),
            district=data.get("district") or "",
            location=data.get("location"),
            safety=dict(data.get("safety") or {}),
            answers=dict(data.get("answers") or {}),
            eligibility=data.get("eligibility"),
            parties=tuple(parties),
            queued_at=data.get("queued_at"),
            answered_at=data.get("answered_at"),
            seat_user_id=data["seat_user_id"] if isinstance(data.get("seat_user_id"), int) else None,
        )

    @property
    def motor_parties(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.is_motor)

    @property
    def has_non_motor(self) -> bool:
        return any(not p.is_motor for p in self.parties)

    @property
    def can_add_vehicle(self) -> bool:
        return len(self.motor_parties) < MAX_VEHICLES

    def party(self, party_id: int) -> Party | None:
        return next((p for p in self.parties if p.id == party_id), None)

    def party_at(self, position: int) -> Party | None:
        return next((p for p in self.parties if p.position == position), None)

    def with_party(self, party: Party) -> Case:
        """This case with ``party`` replaced (or added), keeping positions in order."""
        others = [p for p in self.parties if p.id != party.id]
        return replace(self, parties=tuple(sorted([*others, party], key=lambda p: p.position)))

    def with_answers(self, answers: dict[str, Any]) -> Case:
        return replace(self, answers={**self.answers, **answers})

    def location_text(self) -> str:
        if not self.location:
            return ""
        return f"{self.location['lat']:.5f}, {self.location['lon']:.5f}"
