"""Whether a case may be processed by video, rule by rule, with the reason in plain Chinese.

The rules are the published conditions (成都交警 / 柳州交警): property damage
only (a minor injury where the city allows it); motor vehicle with motor vehicle
where every party holds compulsory insurance and the cars can be moved; motor
vehicle with non-motor vehicle where the motor vehicle is insured and at fault;
1 to 3 vehicles; no drink, drugs or flight; valid documents; inside the service
hours and the service area. Limits come from :class:`CityRules`.

Every rule is reported, each ``met``, ``failed`` or ``needs_answer`` (the
operator has to ask or act: "有人受伤吗？"). The seat's checklist shows them and
the server refuses ``awaiting_liability`` while :func:`missing_for_submission`
is not empty.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from kuaichu_protocol.validators import PLATE_TYPES, plate_type
from server.domain.city_rules import CityRules
from server.domain.evidence_requirements import EvidenceRequirement
from server.domain.party_labels import party_label
from server.domain.service_area import ServiceArea
from server.domain.verification import CheckResult, CheckStatus, PartyVerification


class RuleStatus(StrEnum):
    MET = "met"
    FAILED = "failed"
    NEEDS_ANSWER = "needs_answer"


@dataclass(frozen=True)
class RuleResult:
    key: str
    status: RuleStatus
    reason_zh: str
    answer_key: str | None = None  # the Case.answers entry that settles a needs_answer

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "status": self.status.value,
            "reason_zh": self.reason_zh,
            "answer_key": self.answer_key,
        }


class Injury(StrEnum):
    NONE = "none"
    MINOR = "minor"  # 轻微人伤
    SERIOUS = "serious"


#: The operator's questions, keyed like Case.answers.
QUESTIONS_ZH: dict[str, str] = {
    "injuries": "是否有人员受伤？",
    "drink_drugs_flight": "驾驶人是否有饮酒、吸毒或逃逸情形？",
    "vehicles_movable": "车辆能否自行移动？",
    "motor_at_fault": "机动车一方是否应承担事故责任？",
}


@dataclass(frozen=True)
class Answers:
    """The operator's answers; None means not asked yet."""

    injuries: Injury | None = None
    drink_drugs_flight: bool | None = None
    vehicles_movable: bool | None = None
    motor_at_fault: bool | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Answers:
        """Reads Case.answers; raises ValueError naming a key with a bad value. Unknown keys are ignored."""
        injuries = data.get("injuries")
        if injuries is not None and injuries not in set(Injury):
            raise ValueError(f"injuries: expected one of {[i.value for i in Injury]}, got {injuries!r}")
        flags = {}
        for key in ("drink_drugs_flight", "vehicles_movable", "motor_at_fault"):
            value = data.get(key)
            if value is not None and not isinstance(value, bool):
                raise ValueError(f"{key}: expected true, false or null, got {value!r}")
            flags[key] = value
        return cls(injuries=Injury(injuries) if injuries is not None else None, **flags)


@dataclass(frozen=True)
class PartyFacts:
    position: int
    kind: str = "motor"  # motor | non_motor
    verification: PartyVerification | None = None  # None: not verified yet
    plate: str = ""  # as collected; "" when not entered yet
    plate_colour: str = ""

    @classmethod
    def from_stored(cls, position: int, kind: str, verification: Mapping[str, Any] | None, *,
                    plate: str | None = "", plate_colour: str | None = "") -> PartyFacts:
        """From Party columns; a missing or unreadable verification counts as not verified."""
        try:
            parsed = PartyVerification.from_json(verification) if verification else None
        except ValueError:
            parsed = None
        return cls(position, kind, parsed, plate or "", plate_colour or "")

    @property
    def plate_type(self) -> str:
        """kuaichu_protocol.validators.PLATE_TYPES key, or "" without a well-formed plate."""
        return plate_type(self.plate, self.plate_colour.strip().lower() or None) if self.plate else ""


@dataclass(frozen=True)
class CaseFacts:
    parties: Sequence[PartyFacts] = ()
    answers: Answers = field(default_factory=Answers)
    latitude: float | None = None
    longitude: float | None = None
    reported_at: datetime | None = None  # service hours are judged at the report, not at submission

    @property
    def motor(self) -> list[PartyFacts]:
        return [p for p in self.parties if p.kind == "motor"]

    @property
    def non_motor_count(self) -> int:
        return sum(1 for p in self.parties if p.kind != "motor")


def evaluate(facts: CaseFacts, rules: CityRules, now: datetime, *, area: ServiceArea) -> list[RuleResult]:
    """One result per rule, in a fixed order the seat can show as is.

    ``now`` is used for the service hours only when the case has no report time.
    """
    return [
        _vehicle_count(facts, rules),
        _party_kinds(facts, rules),
        _injuries(facts.answers.injuries, rules),
        _yes_no(
            "drink_drugs_flight", facts.answers.drink_drugs_flight, failed_when=True,
            met="驾驶人无饮酒、吸毒、逃逸情形", failed="驾驶人有饮酒、吸毒或逃逸情形，需民警到场处理",
        ),
        _vehicles_movable(facts),
        _motor_at_fault(facts),
        _documents_valid(facts),
        _insurance(facts),
        _service_hours(facts.reported_at or now, rules),
        _service_area(facts, rules, area),
    ]


@dataclass(frozen=True)
class MissingItem:
    key: str
    reason_zh: str


def missing_for_submission(
    results: Iterable[RuleResult], evidence: Iterable[EvidenceRequirement] = ()
) -> list[MissingItem]:
    """What stops the case from going to ``awaiting_liability``; empty means it may go."""
    missing = [MissingItem(r.key, r.reason_zh) for r in results if r.status is not RuleStatus.MET]
    missing += [MissingItem(e.key, e.missing_zh) for e in evidence if not e.met]
    return missing


# --- the rules ----------------------------------------------------------------


def _vehicle_count(facts: CaseFacts, rules: CityRules) -> RuleResult:
    n = len(facts.parties)
    if n == 0:
        return RuleResult("vehicle_count", RuleStatus.NEEDS_ANSWER, "尚未录入当事方")
    if n > rules.max_vehicles:
        return RuleResult("vehicle_count", RuleStatus.FAILED, f"涉及{n}方，超过视频快处上限{rules.max_vehicles}方")
    if n < rules.min_vehicles:
        return RuleResult("vehicle_count", RuleStatus.FAILED, f"涉及{n}方，少于视频快处下限{rules.min_vehicles}方")
    return RuleResult("vehicle_count", RuleStatus.MET, f"涉及{n}方，在{rules.min_vehicles}至{rules.max_vehicles}方以内")


def _party_kinds(facts: CaseFacts, rules: CityRules) -> RuleResult:
    """Who is involved: motor and non-motor parties, and the kind of vehicle each plate names (a
    military or armed-police vehicle's accident is never handled by video)."""
    motor, non_motor = len(facts.motor), facts.non_motor_count
    if motor + non_motor == 0:
        return RuleResult("party_kinds", RuleStatus.NEEDS_ANSWER, "尚未录入当事方")
    refused = [p for p in facts.motor if p.plate_type and p.plate_type not in rules.plate_types]
    if refused:
        who = "；".join(f"{party_label(p.position)}为{PLATE_TYPES[p.plate_type]}（号牌{p.plate}）" for p in refused)
        return RuleResult("party_kinds", RuleStatus.FAILED, f"{who}，不适用视频快处，需转民警到场处理")
    if motor == 0:
        return RuleResult("party_kinds", RuleStatus.FAILED, "没有机动车一方，不适用视频快处")
    if non_motor and not rules.allow_non_motor:
        return RuleResult("party_kinds", RuleStatus.FAILED, f"{rules.city}视频快处不受理机动车与非机动车事故")
    if non_motor:
        return RuleResult("party_kinds", RuleStatus.MET, "机动车与非机动车事故")
    kind = "单车事故" if motor == 1 else "机动车与机动车事故"
    return RuleResult("party_kinds", RuleStatus.MET, kind)


def _injuries(injuries: Injury | None, rules: CityRules) -> RuleResult:
    if injuries is None:
        return RuleResult("injuries", RuleStatus.NEEDS_ANSWER, QUESTIONS_ZH["injuries"], "injuries")
    if injuries is Injury.NONE:
        return RuleResult("injuries", RuleStatus.MET, "无人员受伤，仅造成财产损失")
    if injuries is Injury.MINOR and rules.minor_injury_allowed:
        return RuleResult("injuries", RuleStatus.MET, f"轻微人伤，{rules.city}允许视频快处")
    if injuries is Injury.MINOR:
        return RuleResult("injuries", RuleStatus.FAILED, f"有人员受伤，{rules.city}视频快处仅受理财产损失事故")
    return RuleResult("injuries", RuleStatus.FAILED, "有人员受伤，需民警到场处理")


def _yes_no(key: str, answer: bool | None, *, failed_when: bool, met: str, failed: str) -> RuleResult:
    if answer is None:
        return RuleResult(key, RuleStatus.NEEDS_ANSWER, QUESTIONS_ZH[key], key)
    if answer is failed_when:
        return RuleResult(key, RuleStatus.FAILED, failed)
    return RuleResult(key, RuleStatus.MET, met)


def _vehicles_movable(facts: CaseFacts) -> RuleResult:
    # The published condition asks this of motor-vehicle-with-motor-vehicle (and single-vehicle) cases.
    if facts.non_motor_count and len(facts.motor) < 2:
        return RuleResult("vehicles_movable", RuleStatus.MET, "机动车与非机动车事故，不要求确认车辆可自行移动")
    return _yes_no(
        "vehicles_movable", facts.answers.vehicles_movable, failed_when=False,
        met="车辆可以自行移动", failed="车辆无法自行移动，需民警到场处理",
    )


def _motor_at_fault(facts: CaseFacts) -> RuleResult:
    if not facts.non_motor_count:
        return RuleResult("motor_at_fault", RuleStatus.MET, "不涉及非机动车，无需确认")
    return _yes_no(
        "motor_at_fault", facts.answers.motor_at_fault, failed_when=False,
        met="机动车一方应承担事故责任",
        failed="机动车一方无责任，机动车与非机动车事故不适用视频快处，需民警到场处理",
    )


def _documents_valid(facts: CaseFacts) -> RuleResult:
    return _verification_rule(
        "documents_valid", facts, lambda v: (v.driver, v.vehicle), met="各方驾驶证、机动车核验通过"
    )


def _insurance(facts: CaseFacts) -> RuleResult:
    met = "各方机动车均在交强险有效期内" if len(facts.motor) > 1 else "机动车一方在交强险有效期内"
    return _verification_rule("insurance", facts, lambda v: (v.insurance,), met=met)


def _verification_rule(
    key: str, facts: CaseFacts, pick: Callable[[PartyVerification], tuple[CheckResult, ...]], *, met: str
) -> RuleResult:
    if not facts.motor:
        return RuleResult(key, RuleStatus.NEEDS_ANSWER, "尚未录入机动车当事方")
    failed: list[str] = []
    pending: list[str] = []
    for party in facts.motor:
        who = party_label(party.position)
        if party.verification is None:
            pending.append(f"{who}尚未核验")
            continue
        for check in pick(party.verification):
            _sort_check(check, who, failed, pending)
    if failed:
        return RuleResult(key, RuleStatus.FAILED, "；".join(failed))
    if pending:
        return RuleResult(key, RuleStatus.NEEDS_ANSWER, "；".join(pending))
    return RuleResult(key, RuleStatus.MET, met)


def _sort_check(check: CheckResult, who: str, failed: list[str], pending: list[str]) -> None:
    if check.status is CheckStatus.FAILED:
        failed.append(f"{who}：{check.reason_zh}")
    elif check.status is not CheckStatus.PASSED:
        pending.append(f"{who}：{check.reason_zh}")


def _service_hours(moment: datetime, rules: CityRules) -> RuleResult:
    local = moment.astimezone(rules.tz).strftime("%H:%M")
    if rules.within_service_hours(moment):
        return RuleResult("service_hours", RuleStatus.MET, f"报警时间{local}在服务时间（{rules.service_hours_zh}）内")
    return RuleResult("service_hours", RuleStatus.FAILED, f"报警时间{local}不在服务时间（{rules.service_hours_zh}）内")


def _service_area(facts: CaseFacts, rules: CityRules, area: ServiceArea) -> RuleResult:
    if not rules.service_area_required:
        return RuleResult("service_area", RuleStatus.MET, f"{rules.city}全域受理视频快处")
    if facts.latitude is None or facts.longitude is None:
        return RuleResult("service_area", RuleStatus.NEEDS_ANSWER, "未获取到事故位置，请确认事故地点")
    check = area.check(facts.latitude, facts.longitude)
    return RuleResult("service_area", RuleStatus.MET if check.served else RuleStatus.FAILED, check.reason_zh)
