"""A party's registry checks (driver, vehicle, insurance) as the seat shows them.

The server decides; this module only reads its answer. Two shapes are accepted,
so the seat does not break while the verification endpoint settles:

* the stored form ``{"driver": {"status", "reason_zh", "details"}, "vehicle": ..., "insurance": ...}``
* a list ``[{"check", "ok", "reason", "source"}]`` (or that list under ``"checks"``).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from seat_app.core.case import Party
from seat_app.core.field_checks import is_valid

CHECKS = ("driver", "vehicle", "insurance")
#: When all of these are well-formed the seat asks the registry by itself (the operator may still press 核验).
VERIFY_FIELDS = ("plate", "id_number", "driver_name", "vin")


class CheckStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    INCOMPLETE = "incomplete"  # a field the check needs is missing
    UNAVAILABLE = "unavailable"  # the registry did not answer: retry
    NOT_RUN = "not_run"


@dataclass(frozen=True)
class CheckView:
    check: str
    status: CheckStatus
    reason: str = ""
    source: str = ""
    details: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status is CheckStatus.PASSED


@dataclass(frozen=True)
class VerificationView:
    checks: tuple[CheckView, ...]

    @property
    def ran(self) -> bool:
        return any(c.status is not CheckStatus.NOT_RUN for c in self.checks)

    @property
    def passed(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failed(self) -> bool:
        return any(c.status is CheckStatus.FAILED for c in self.checks)

    def get(self, name: str) -> CheckView:
        return next((c for c in self.checks if c.check == name), CheckView(name, CheckStatus.NOT_RUN))

    def filled_fields(self) -> dict[str, str]:
        """Party fields the registry's answer supplies (insurer, policy, validity, vehicle type...)."""
        mapping = {
            "driver": {"licence_class": "licence_class", "valid_from": "licence_valid_from",
                       "valid_until": "licence_valid_until"},
            "vehicle": {"plate_colour": "plate_colour", "vehicle_type": "vehicle_type", "owner": "owner"},
            "insurance": {"insurer_name": "insurer", "policy_number": "policy_number",
                          "valid_from": "insurance_valid_from", "valid_until": "insurance_valid_until"},
        }
        out: dict[str, str] = {}
        for check in self.checks:
            for key, target in mapping.get(check.check, {}).items():
                if check.details.get(key):
                    out[target] = str(check.details[key])
        return out


NOT_VERIFIED = VerificationView(tuple(CheckView(c, CheckStatus.NOT_RUN) for c in CHECKS))


def parse_verification(data: Any) -> VerificationView:
    if not data:
        return NOT_VERIFIED
    if isinstance(data, Mapping) and "checks" in data:
        data = data["checks"]
    if isinstance(data, list):
        return _from_list(data)
    if isinstance(data, Mapping):
        return _from_stored(data)
    return NOT_VERIFIED


def _from_list(items: list[Any]) -> VerificationView:
    found = {}
    for item in items:
        if not isinstance(item, Mapping) or "check" not in item:
            continue
        status = item.get("status")
        if status not in set(CheckStatus):
            status = CheckStatus.PASSED if item.get("ok") else CheckStatus.FAILED
        found[item["check"]] = CheckView(
            check=str(item["check"]), status=CheckStatus(status),
            reason=str(item.get("reason") or item.get("reason_zh") or ""),
            source=str(item.get("source") or ""), details=dict(item.get("details") or {}),
        )
    return VerificationView(tuple(found.get(c, CheckView(c, CheckStatus.NOT_RUN)) for c in CHECKS))


def _from_stored(data: Mapping[str, Any]) -> VerificationView:
    checks = []
    for name in CHECKS:
        item = data.get(name)
        if not isinstance(item, Mapping):
            checks.append(CheckView(name, CheckStatus.NOT_RUN))
            continue
        status = item.get("status")
        if status not in set(CheckStatus):
            status = CheckStatus.PASSED if item.get("ok") else CheckStatus.FAILED
        checks.append(CheckView(
            check=name, status=CheckStatus(status), reason=str(item.get("reason_zh") or item.get("reason") or ""),
            source=str(item.get("source") or data.get("source") or ""), details=dict(item.get("details") or {}),
        ))
    return VerificationView(tuple(checks))


def verification_key(party: Party | None) -> tuple[str, ...] | None:
    """What the registry checks hinge on, once every piece of it is well-formed; None before that."""
    if party is None or not party.is_motor or not all(is_valid(f, party.value(f)) for f in VERIFY_FIELDS):
        return None
    return tuple(party.value(f) for f in VERIFY_FIELDS)
