"""Checks a party's driver, vehicle and compulsory insurance (交强险) against registry records.

Drivers upload no paper: the registry (车驾管系统) is the source of truth and the
fields read from the party's documents must agree with it. Everything here is
pure. The service layer fetches the records (``server.adapters.registry``), calls
:func:`verify_party` and stores :meth:`PartyVerification.to_json` on the party.

A registry that did not answer is never a pass: its checks come back
``unavailable`` and the seat is told to retry.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from server.domain import licence_classes


class CheckStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    INCOMPLETE = "incomplete"  # a field the check needs was not collected yet
    UNAVAILABLE = "unavailable"  # the registry did not answer; retry


class DriverStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class VehicleStatus(StrEnum):
    NORMAL = "normal"
    STOLEN = "stolen"
    SCRAPPED = "scrapped"
    SEIZED = "seized"


@dataclass(frozen=True)
class DriverRecord:
    id_number: str
    name: str
    licence_class: str
    valid_from: date
    valid_until: date
    status: DriverStatus


@dataclass(frozen=True)
class VehicleRecord:
    plate: str
    plate_colour: str
    vehicle_type: str
    vin: str
    owner: str
    engine_number: str
    registered: date
    status: VehicleStatus
    inspection_valid_until: date
    transmission: str = ""  # manual | automatic | "" (unknown)


@dataclass(frozen=True)
class PolicyRecord:
    policy_number: str
    plate: str
    insurer: str  # PICC | CPIC | PINGAN | ...
    insurer_name: str
    valid_from: date
    valid_until: date


@dataclass(frozen=True)
class Unavailable:
    """A lookup the registry did not answer."""

    detail: str = ""  # English, for logs and the audit record


@dataclass(frozen=True)
class RegistryLookup:
    """What the registry said for one party; None means "no such record"."""

    driver: DriverRecord | None | Unavailable = None
    vehicle: VehicleRecord | None | Unavailable = None
    policy: PolicyRecord | None | Unavailable = None


@dataclass(frozen=True)
class PartyFields:
    """The party's fields as collected by the seat (OCR or typed)."""

    driver_name: str = ""
    id_number: str = ""
    plate: str = ""
    plate_colour: str = ""
    vehicle_type: str = ""
    vin: str = ""


@dataclass(frozen=True)
class CheckResult:
    check: str  # driver | vehicle | insurance
    status: CheckStatus
    reason_zh: str
    problems: tuple[str, ...] = ()  # machine-readable codes, e.g. "licence_expired"
    details: Mapping[str, str] = field(default_factory=dict)  # registry facts for the seat

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "reason_zh": self.reason_zh,
            "problems": list(self.problems),
            "details": dict(self.details),
        }


@dataclass(frozen=True)
class PartyVerification:
    driver: CheckResult
    vehicle: CheckResult
    insurance: CheckResult

    @property
    def checks(self) -> tuple[CheckResult, CheckResult, CheckResult]:
        return (self.driver, self.vehicle, self.insurance)

    @property
    def passed(self) -> bool:
        return all(c.status is CheckStatus.PASSED for c in self.checks)

    @property
    def unavailable(self) -> bool:
        return any(c.status is CheckStatus.UNAVAILABLE for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {c.check: c.to_json() for c in self.checks}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PartyVerification:
        """Reads what :meth:`to_json` stored; raises ValueError if it is not that shape."""
        try:
            parsed = {
                name: CheckResult(
                    check=name,
                    status=CheckStatus(data[name]["status"]),
                    reason_zh=str(data[name]["reason_zh"]),
                    problems=tuple(data[name].get("problems", ())),
                    details=dict(data[name].get("details", {})),
                )
                for name in ("driver", "vehicle", "insurance")
            }
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a stored verification: {exc!r}") from exc
        return cls(**parsed)


UNAVAILABLE_REASON = "核验系统暂不可用，请重试"


def normalise_plate(plate: str) -> str:
    """``"川a·12345 "`` -> ``"川A12345"``: the form records are keyed by."""
    return "".join(ch for ch in plate.upper() if ch not in " ·•.-\u3000")


def normalise_id_number(id_number: str) -> str:
    return id_number.strip().upper()


def normalise_vin(vin: str) -> str:
    return vin.replace(" ", "").strip().upper()


def verify_party(fields: PartyFields, lookup: RegistryLookup, accident_date: date) -> PartyVerification:
    """Driver, vehicle and insurance checks for one motor-vehicle party."""
    vehicle = lookup.vehicle if isinstance(lookup.vehicle, VehicleRecord) else None
    return PartyVerification(
        driver=check_driver(fields, lookup.driver, vehicle, accident_date),
        vehicle=check_vehicle(fields, lookup.vehicle, accident_date),
        insurance=check_insurance(fields, lookup.policy, accident_date),
    )


class _Findings:
    """Collects failures and gaps for one check, then says what the check concluded."""

    def __init__(self, check: str) -> None:
        self.check = check
        self.failures: list[tuple[str, str]] = []
        self.gaps: list[tuple[str, str]] = []
        self.details: dict[str, str] = {}

    def fail(self, code: str, reason_zh: str) -> None:
        self.failures.append((code, reason_zh))

    def gap(self, code: str, reason_zh: str) -> None:
        self.gaps.append((code, reason_zh))

    def result(self, passed_reason_zh: str) -> CheckResult:
        if self.failures:
            return self._result(CheckStatus.FAILED, self.failures)
        if self.gaps:
            return self._result(CheckStatus.INCOMPLETE, self.gaps)
        return CheckResult(self.check, CheckStatus.PASSED, passed_reason_zh, (), self.details)

    def _result(self, status: CheckStatus, items: list[tuple[str, str]]) -> CheckResult:
        codes = tuple(code for code, _ in items)
        reason = "；".join(reason for _, reason in items)
        return CheckResult(self.check, status, reason, codes, self.details)


def _unavailable(check: str, lookup: Unavailable) -> CheckResult:
    details = {"error": lookup.detail} if lookup.detail else {}
    return CheckResult(check, CheckStatus.UNAVAILABLE, UNAVAILABLE_REASON, ("registry_unavailable",), details)


def _incomplete(check: str, code: str, reason_zh: str) -> CheckResult:
    return CheckResult(check, CheckStatus.INCOMPLETE, reason_zh, (code,))


# --- driver -------------------------------------------------------------------

_DRIVER_STATUS_REASONS = {
    DriverStatus.EXPIRED: ("licence_expired", "驾驶证已过期"),
    DriverStatus.SUSPENDED: ("licence_suspended", "驾驶证被暂扣"),
    DriverStatus.REVOKED: ("licence_revoked", "驾驶证已被吊销"),
}


def check_driver(
    fields: PartyFields,
    record: DriverRecord | None | Unavailable,
    vehicle: VehicleRecord | None,
    accident_date: date,
) -> CheckResult:
    if not normalise_id_number(fields.id_number):
        return _incomplete("driver", "id_number_missing", "缺少驾驶人身份证号")
    if isinstance(record, Unavailable):
        return _unavailable("driver", record)
    if record is None:
        return CheckResult("driver", CheckStatus.FAILED, "未查到该身份证号对应的驾驶证", ("licence_not_found",))
    found = _Findings("driver")
    found.details.update(
        licence_class=record.licence_class,
        valid_from=record.valid_from.isoformat(),
        valid_until=record.valid_until.isoformat(),
        status=record.status.value,
    )
    _check_driver_identity(fields, record, found)
    _check_driver_validity(record, accident_date, found)
    _check_driver_class(fields, record, vehicle, found)
    return found.result(f"驾驶证有效，准驾车型{record.licence_class}，有效期至{record.valid_until.isoformat()}")


def _check_driver_identity(fields: PartyFields, record: DriverRecord, found: _Findings) -> None:
    name = fields.driver_name.strip()
    if not name:
        found.gap("name_missing", "缺少驾驶人姓名")
    elif name != record.name.strip():
        found.fail("name_mismatch", "姓名与驾驶证档案不符")


def _check_driver_validity(record: DriverRecord, accident_date: date, found: _Findings) -> None:
    if record.status in _DRIVER_STATUS_REASONS:
        found.fail(*_DRIVER_STATUS_REASONS[record.status])
    elif accident_date > record.valid_until:
        found.fail("licence_expired", f"驾驶证已于{record.valid_until.isoformat()}过期")
    if accident_date < record.valid_from:
        found.fail("licence_not_yet_valid", "事故发生时驾驶证尚未生效")


def _check_driver_class(
    fields: PartyFields, record: DriverRecord, vehicle: VehicleRecord | None, found: _Findings
) -> None:
    vehicle_type = vehicle.vehicle_type if vehicle else fields.vehicle_type.strip()
    transmission = vehicle.transmission if vehicle else ""
    if not vehicle_type:
        found.gap("vehicle_type_missing", "缺少车辆类型，无法核对准驾车型")
        return
    try:
        allowed = licence_classes.permits(record.licence_class, vehicle_type, transmission)
    except ValueError:
        found.gap("licence_class_unreadable", f"驾驶证准驾车型「{record.licence_class}」无法识别，请人工核对")
        return
    if allowed is False:
        found.fail("licence_class_mismatch", f"准驾车型{record.licence_class}不允许驾驶{_describe(vehicle_type, transmission)}")
    elif allowed is None and vehicle_type not in licence_classes.KNOWN_VEHICLE_TYPES:
        found.gap("vehicle_type_unknown", f"车辆类型「{vehicle_type}」不在准驾对照表中，请人工核对")
    elif allowed is None:
        found.gap("transmission_unknown", f"无法确认车辆是否为自动挡，准驾车型{record.licence_class}仅限自动挡")


def _describe(vehicle_type: str, transmission: str) -> str:
    if transmission == licence_classes.Transmission.MANUAL:
        return f"{vehicle_type}（手动挡）"
    if transmission == licence_classes.Transmission.AUTOMATIC:
        return f"{vehicle_type}（自动挡）"
    return vehicle_type


# --- vehicle ------------------------------------------------------------------

_VEHICLE_STATUS_REASONS = {
    VehicleStatus.STOLEN: ("vehicle_stolen", "该车已登记为被盗抢车辆"),
    VehicleStatus.SCRAPPED: ("vehicle_scrapped", "该车已登记报废"),
    VehicleStatus.SEIZED: ("vehicle_seized", "该车处于查封、扣押状态"),
}


def check_vehicle(fields: PartyFields, record: VehicleRecord | None | Unavailable, accident_date: date) -> CheckResult:
    if not normalise_plate(fields.plate):
        return _incomplete("vehicle", "plate_missing", "缺少号牌号码")
    if isinstance(record, Unavailable):
        return _unavailable("vehicle", record)
    if record is None:
        return CheckResult("vehicle", CheckStatus.FAILED, "未查到该号牌的机动车登记信息", ("vehicle_not_found",))
    found = _Findings("vehicle")
    found.details.update(
        plate_colour=record.plate_colour,
        vehicle_type=record.vehicle_type,
        owner=record.owner,
        status=record.status.value,
        inspection_valid_until=record.inspection_valid_until.isoformat(),
    )
    _check_vehicle_identity(fields, record, found)
    if record.status in _VEHICLE_STATUS_REASONS:
        found.fail(*_VEHICLE_STATUS_REASONS[record.status])
    if accident_date > record.inspection_valid_until:
        found.fail("inspection_lapsed", f"机动车检验有效期已于{record.inspection_valid_until.isoformat()}届满")
    return found.result(f"车辆登记信息一致，状态正常，检验有效期至{record.inspection_valid_until.isoformat()}")


def _check_vehicle_identity(fields: PartyFields, record: VehicleRecord, found: _Findings) -> None:
    colour = fields.plate_colour.strip().lower()
    if colour and colour != record.plate_colour:
        found.fail("plate_colour_mismatch", "号牌颜色与登记不符")
    vehicle_type = fields.vehicle_type.strip()
    if vehicle_type and vehicle_type != record.vehicle_type:
        found.fail("vehicle_type_mismatch", f"车辆类型与登记不符（登记为{record.vehicle_type}）")
    vin = normalise_vin(fields.vin)
    if not vin:
        found.gap("vin_missing", "缺少车辆识别代号（VIN）")
    elif vin != normalise_vin(record.vin):
        found.fail("vin_mismatch", "车辆识别代号与登记不符")


# --- insurance ----------------------------------------------------------------


def check_insurance(fields: PartyFields, record: PolicyRecord | None | Unavailable, accident_date: date) -> CheckResult:
    """Compulsory insurance in force on the accident date; the insurer and policy go in the details."""
    if not normalise_plate(fields.plate):
        return _incomplete("insurance", "plate_missing", "缺少号牌号码")
    if isinstance(record, Unavailable):
        return _unavailable("insurance", record)
    if record is None:
        return CheckResult("insurance", CheckStatus.FAILED, "未查到该车交强险投保记录", ("uninsured",))
    found = _Findings("insurance")
    found.details.update(
        insurer=record.insurer,
        insurer_name=record.insurer_name,
        policy_number=record.policy_number,
        valid_from=record.valid_from.isoformat(),
        valid_until=record.valid_until.isoformat(),
    )
    if accident_date > record.valid_until:
        found.fail("policy_expired", f"交强险已于{record.valid_until.isoformat()}到期")
    if accident_date < record.valid_from:
        found.fail("policy_not_yet_valid", "事故发生时交强险尚未生效")
    return found.result(f"交强险有效：{record.insurer_name}，保单号{record.policy_number}")
