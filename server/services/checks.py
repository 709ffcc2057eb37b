"""Automatic verification of a party, and the case checklist that gates submission.

Verification asks the registry outside any transaction (it may be slow or down),
then stores the result on the party with its time and source and audits it. A
registry that fails gives "unavailable" results, which never count as a pass.

The checklist is the eligibility rules, the evidence requirements and the
safety steps in one list. The same list is the submission guard: a case goes to
``awaiting_liability`` only when nothing on it is missing.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import SAFETY_TICKS
from kuaichu_protocol.validators import is_valid_id_number, is_valid_plate
from server.adapters.db import unit_of_work
from server.adapters.orm import Case, Evidence, Party, utcnow
from server.adapters.registry.base import Registry, lookup_party
from server.domain.city_rules import CityRules
from server.domain.eligibility import Answers, CaseFacts, PartyFacts, evaluate, missing_for_submission
from server.domain.evidence_requirements import EvidenceItem, PartyRef, evidence_checklist
from server.domain.service_area import ServiceArea
from server.domain.verification import PartyFields, verify_party
from server.services import audit
from server.services.cases import Actor, case_for_write
from server.services.errors import Conflict, Invalid, NotFound

log = logging.getLogger("kuaichu.checks")

SAFETY_LABELS_ZH = {
    "hazard_lights": "已开启危险报警闪光灯",
    "triangle": "已在来车方向放置警示三角牌",
    "off_carriageway": "人员已撤离至安全地带",
}


@dataclass(frozen=True)
class VerifyOutcome:
    party_id: int
    verification: dict[str, Any]
    unavailable: bool


def ready_for_auto_verification(party: Party) -> bool:
    """OCR or typing has produced a valid plate and ID number: worth asking the registry."""
    return party.kind == "motor" and is_valid_plate(party.plate) and is_valid_id_number(party.id_number)


class CheckService:
    def __init__(self, factory: sessionmaker[Session], registry: Registry, rules: CityRules,
                 area: ServiceArea, timezone: str) -> None:
        self._factory, self._registry, self._rules, self._area = factory, registry, rules, area
        self._tz = ZoneInfo(timezone)

    # --- verification ---------------------------------------------------------
    def verify(self, case_id: int, party_id: int, actor: Actor) -> VerifyOutcome:
        fields, accident_date = self._party_fields(case_id, party_id, actor)
        lookup = lookup_party(self._registry, fields, accident_date)  # no transaction held meanwhile
        result = verify_party(fields, lookup, accident_date)
        with unit_of_work(self._factory) as s:
            case_for_write(s, case_id, actor)  # again: the case may have changed hands during the lookup
            party = s.get(Party, party_id)
            party.verification = result.to_json()
            party.verified_at = utcnow()
            party.verification_source = self._registry.source[:32]
            audit.append(s, actor=actor.audit_name, action="party_verified", case_id=case_id,
                         detail={"party_id": party_id, "source": party.verification_source,
                                 **{c.check: c.status.value for c in result.checks}})
        return VerifyOutcome(party_id, result.to_json(), result.unavailable)

    def _party_fields(self, case_id: int, party_id: int, actor: Actor) -> tuple[PartyFields, date]:
        with self._factory() as s:
            case = case_for_write(s, case_id, actor)
            party = s.get(Party, party_id)
            if party is None or party.case_id != case_id:
                raise NotFound(f"当事方 {party_id} 不存在")
            if party.kind != "motor":
                raise Invalid("非机动车当事方无需核验驾驶证、行驶证和交强险")
            fields = PartyFields(party.driver_name, party.id_number, party.plate, party.plate_colour,
                                 party.vehicle_type, party.vin)
            return fields, self._local_date(case.accident_at or case.created_at)

    def _local_date(self, moment: datetime) -> date:
        return moment.astimezone(self._tz).date()

    # --- answers and the checklist ---------------------------------------------
    def set_answers(self, case_id: int, answers: dict[str, Any], actor: Actor) -> None:
        allowed = {"injuries", "drink_drugs_flight", "vehicles_movable", "motor_at_fault", "safety_confirmed"}
        unknown = set(answers) - allowed
        if unknown:
            raise Invalid(f"未知的问题: {', '.join(sorted(unknown))}")
        with unit_of_work(self._factory) as s:
            case = case_for_write(s, case_id, actor)
            merged = {**(case.answers or {}), **answers}
            try:
                Answers.from_dict(merged)
            except ValueError as e:
                raise Invalid(f"回答不正确: {e}") from e
            if not isinstance(merged.get("safety_confirmed", False), bool):
                raise Invalid("safety_confirmed 必须是 true 或 false")
            case.answers = merged
            audit.append(s, actor=actor.audit_name, action="answers_set", case_id=case_id, detail=answers)

    def checklist(self, case_id: int) -> dict[str, Any]:
        with self._factory() as s:
            case = s.get(Case, case_id)
            if case is None:
                raise NotFound(f"案件 {case_id} 不存在")
            return self._checklist(s, case)

    def _checklist(self, s: Session, case: Case) -> dict[str, Any]:
        try:
            answers = Answers.from_dict(case.answers or {})
        except ValueError:
            answers = Answers()
        facts = CaseFacts(
            parties=[PartyFacts.from_stored(p.position, p.kind, p.verification, plate=p.plate,
                                             plate_colour=p.plate_colour) for p in case.parties],
            answers=answers, latitude=case.latitude, longitude=case.longitude, reported_at=case.created_at,
        )
        rules = evaluate(facts, self._rules, utcnow(), area=self._area)
        evidence = evidence_checklist(self._evidence_items(s, case.id),
                                      [PartyRef(p.id, p.position, p.kind) for p in case.parties])
        safety = self._safety(case)
        missing = [m.__dict__ for m in missing_for_submission(rules, evidence)]
        missing += [{"key": i["key"], "reason_zh": "未确认：" + i["label_zh"]} for i in safety if not i["met"]]
        return {
            "case_id": case.id,
            "rules": [r.to_json() for r in rules],
            "evidence": [{"key": e.key, "label_zh": e.label_zh, "met": e.met, "count": e.count} for e in evidence],
            "safety": safety,
            "parties": [{"party_id": p.id, "position": p.position, "kind": p.kind,
                         "verification": p.verification or {},
                         "verified_at": p.verified_at.isoformat() if p.verified_at else None}
                        for p in case.parties],
            "missing": missing,
            "complete": not missing,
        }

    def _evidence_items(self, s: Session, case_id: int) -> list[EvidenceItem]:
        rows = s.execute(select(Evidence.label, Evidence.kind, Evidence.party_id).where(Evidence.case_id == case_id))
        return [EvidenceItem(label or "", kind, party_id) for label, kind, party_id in rows]

    @staticmethod
    def _safety(case: Case) -> list[dict[str, Any]]:
        ticks = case.safety or {}
        confirmed = bool((case.answers or {}).get("safety_confirmed"))
        return [{"key": f"safety.{t}", "label_zh": SAFETY_LABELS_ZH[t], "met": confirmed or bool(ticks.get(t)),
                 "by_phone": bool(ticks.get(t))} for t in SAFETY_TICKS]

    # --- the submission guard --------------------------------------------------
    def submission_guard(self, s: Session, case: Case) -> None:
        """Runs inside the submit transition: refuses with a 409 that lists everything missing."""
        listing = self._checklist(s, case)
        if listing["missing"]:
            reasons = "；".join(m["reason_zh"] for m in listing["missing"])
            raise Conflict(f"还不能提交责任认定：{reasons}", missing=listing["missing"])
