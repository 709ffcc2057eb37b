"""Case endpoints for seats: list, read, move through the lifecycle, edit parties, read the audit trail,
and a supervisor's takeover."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from kuaichu_protocol.messages import CaseState as S
from kuaichu_protocol.messages import Role, ToSeatMsg
from server.api.deps import SEAT_ROLES, Id, context, require
from server.api.schemas import (NOT_BLANK, SEAT, AnsweredOut, AuditListOut, CaseListOut, CaseOut, EscalatedCaseOut,
                               PartyOut, UpdatedPartyOut, reply)
from server.domain.masking import mask_id_number, mask_name, mask_phone, sees_personal_data
from server.services.auth import Principal
from server.services.cases import MAX_NOTES, Actor, Takeover
from server.services.checks import ready_for_auto_verification

from server.container import AppContext

if TYPE_CHECKING:
    from server.services.rows import Case, Party

router = APIRouter(prefix="/api/cases", tags=["cases"], responses=SEAT)

Text64 = Field(default=None, max_length=64)
#: Line breaks and tabs, no other control character (the service refuses them; PostgreSQL refuses NUL).
PLAIN_TEXT = {"pattern": r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$"}


def actor_of(p: Principal) -> Actor:
    return Actor(p.role.value, p.actor, user_id=p.user_id)


def sees_full(c: Case, p: Principal) -> bool:
    return sees_personal_data(p.role.value, p.user_id, c.state, c.seat_user_id, c.officer_user_id)


def party_json(p: Party, full: bool) -> dict:
    out = {c: getattr(p, c) for c in (
        "id", "position", "kind", "phone", "driver_name", "id_number", "licence_class", "licence_valid_from",
        "licence_valid_until", "plate", "plate_colour", "vehicle_type", "vin", "owner", "insurer",
        "policy_number", "insurance_valid_from", "insurance_valid_until", "verification",
        "verification_source", "responsibility", "violation", "clause")}
    out["verified_at"] = p.verified_at.isoformat() if p.verified_at else None
    if not full:
        out.update(phone=mask_phone(p.phone), id_number=mask_id_number(p.id_number),
                   driver_name=mask_name(p.driver_name))
    return out


def case_json(c: Case, full: bool) -> dict:
    stamp = lambda v: v.isoformat() if v else None  # noqa: E731
    return {
        "id": c.id, "number": c.number, "state": c.state, "source": c.source,
        "reporter_phone": c.reporter_phone if full else mask_phone(c.reporter_phone),
        "priority": c.priority, "district": c.district,
        "location": None if c.latitude is None else
        {"lat": c.latitude, "lon": c.longitude, "accuracy_m": c.location_accuracy_m},
        "safety": c.safety, "answers": c.answers, "eligibility": c.eligibility,
        "escalation_reason": c.escalation_reason, "accident_facts": c.accident_facts,
        "weather": c.weather, "operator_notes": c.operator_notes,
        "seat_user_id": c.seat_user_id, "officer_user_id": c.officer_user_id, "officer_name": c.officer_name or "",
        "accident_at": stamp(c.accident_at),
        "queued_at": stamp(c.queued_at), "answered_at": stamp(c.answered_at), "submitted_at": stamp(c.submitted_at),
        "determined_at": stamp(c.determined_at), "created_at": stamp(c.created_at),
        "parties": [party_json(p, full) for p in c.parties],
    }


@router.get("", **reply(CaseListOut))
def list_cases(request: Request, state: list[S] | None = Query(default=None),
               _: Principal = Depends(require(*SEAT_ROLES, Role.ADMIN))) -> dict:
    cases = context(request).cases.list([s.value for s in state] if state else None)
    return {"items": [case_json(c, full=False) for c in cases]}


@router.get("/{case_id}", **reply(CaseOut))
def get_case(case_id: Id, request: Request, p: Principal = Depends(require(*SEAT_ROLES, Role.ADMIN))) -> dict:
    case = context(request).cases.get(case_id)
    return case_json(case, full=sees_full(case, p))


@router.get("/{case_id}/audit", **reply(AuditListOut))
def case_audit(case_id: Id, request: Request,
               _: Principal = Depends(require(Role.OFFICER, Role.SUPERVISOR, Role.ADMIN))) -> dict:
    events = context(request).audit_log.for_case(case_id)
    return {"items": [{"id": e.id, "actor": e.actor, "action": e.action, "from": e.from_state,
                       "to": e.to_state, "detail": e.detail, "at": e.created_at.isoformat(),
                       "hash": e.hash} for e in events]}


@router.post("/{case_id}/answer", **reply(AnsweredOut))
def answer(case_id: Id, request: Request, p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    ctx = context(request)
    ctx.cases.transition(case_id, S.IN_CALL, actor_of(p),
                         changes={"seat_user_id": p.user_id, "last_seat_user_id": p.user_id, "priority": 0})
    return {"case": case_json(ctx.cases.get(case_id), full=True), "ice_servers": ctx.settings.ice_servers,
            "ice_transport_policy": ctx.settings.ice_transport_policy}


@router.post("/{case_id}/start-collection", **reply(CaseOut))
def start_collection(case_id: Id, request: Request, p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    ctx = context(request)
    ctx.cases.transition(case_id, S.COLLECTING, actor_of(p))
    return case_json(ctx.cases.get(case_id), full=True)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2000, json_schema_extra=NOT_BLANK)


@router.post("/{case_id}/interrupt", **reply(CaseOut))
def interrupt(case_id: Id, request: Request, p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    ctx = context(request)
    ctx.cases.transition(case_id, S.INTERRUPTED, actor_of(p))
    return case_json(ctx.cases.get(case_id), full=True)


@router.post("/{case_id}/escalate", **reply(EscalatedCaseOut))
def escalate(case_id: Id, body: ReasonIn, request: Request,
             p: Principal = Depends(require(Role.OPERATOR, Role.OFFICER, Role.SUPERVISOR))) -> dict:
    ctx = context(request)
    dispatch_id = ctx.escalation.escalate(case_id, body.reason, actor_of(p))
    return {**case_json(ctx.cases.get(case_id), full=True), "dispatch_id": dispatch_id}


@router.post("/{case_id}/submit", **reply(CaseOut))
def submit(case_id: Id, request: Request, p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    ctx = context(request)
    ctx.cases.transition(case_id, S.AWAITING_LIABILITY, actor_of(p), guard=ctx.checks.submission_guard)
    return case_json(ctx.cases.get(case_id), full=True)


class CaseNotesIn(BaseModel):
    """What the operator records during the call: the weather in one click, the course of events (经过)."""

    model_config = ConfigDict(extra="forbid")
    weather: Literal["晴", "阴", "雨", "雪", "雾", "其他"] | None = None
    notes: str | None = Field(default=None, max_length=MAX_NOTES, json_schema_extra=PLAIN_TEXT)


@router.patch("/{case_id}", **reply(CaseOut))
def update_case(case_id: Id, body: CaseNotesIn, request: Request,
                p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    ctx = context(request)
    ctx.cases.update_notes(case_id, actor_of(p), weather=body.weather, notes=body.notes)
    return case_json(ctx.cases.get(case_id), full=True)


class PartyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["motor", "non_motor"] | None = None
    phone: str | None = Field(default=None, max_length=20)
    driver_name: str | None = Text64
    id_number: str | None = Field(default=None, max_length=18)
    licence_class: str | None = Field(default=None, max_length=16)
    licence_valid_from: str | None = Field(default=None, max_length=10)
    licence_valid_until: str | None = Field(default=None, max_length=10)
    plate: str | None = Field(default=None, max_length=12)
    plate_colour: str | None = Field(default=None, max_length=12)
    vehicle_type: str | None = Field(default=None, max_length=32)
    vin: str | None = Field(default=None, max_length=17)
    owner: str | None = Field(default=None, max_length=128)
    insurer: str | None = Text64
    policy_number: str | None = Text64
    insurance_valid_from: str | None = Field(default=None, max_length=10)
    insurance_valid_until: str | None = Field(default=None, max_length=10)


class NewPartyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["motor", "non_motor"] = "motor"


@router.post("/{case_id}/parties", status_code=201, **reply(PartyOut, 201))
def add_party(case_id: Id, body: NewPartyIn, request: Request,
              p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    party = context(request).cases.add_party(case_id, actor_of(p), body.kind)
    return party_json(party, full=True)


@router.patch("/{case_id}/parties/{party_id}", **reply(UpdatedPartyOut))
def update_party(case_id: Id, party_id: Id, body: PartyIn, request: Request, background: BackgroundTasks,
                 p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    ctx = context(request)
    fields = body.model_dump(exclude_none=True)
    party = ctx.cases.update_party(case_id, party_id, fields, actor_of(p))
    auto = not party.verification and ready_for_auto_verification(party)
    if auto:  # OCR fields validate: ask the registry without the operator having to
        background.add_task(ctx.checks.verify, case_id, party_id, actor_of(p))
    return {**party_json(party, full=True), "auto_verification": auto}


class TakeoverIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500, json_schema_extra=NOT_BLANK)
    # None: the caller holds the case from now on; else the active operator who does.
    operator_user_id: Id | None = None


@router.post("/{case_id}/takeover", **reply(CaseOut))
def take_over(case_id: Id, body: TakeoverIn, request: Request,
              p: Principal = Depends(require(Role.SUPERVISOR, Role.ADMIN))) -> dict:
    """A supervisor hands a case to themself or to another operator; the seats involved are told."""
    ctx = context(request)
    result = ctx.cases.take_over(case_id, actor_of(p), body.operator_user_id, body.reason)
    _tell_seats(ctx, result, p)
    case = ctx.cases.get(case_id)
    return case_json(case, full=sees_full(case, p))


def _tell_seats(ctx: AppContext, result: Takeover, p: Principal) -> None:
    hub = ctx.hub
    message = {"type": ToSeatMsg.CASE_TAKEN_OVER, "case_id": result.case_id, "number": result.number,
               "holder_user_id": result.holder_user_id, "by_user_id": p.user_id}
    for user_id in {result.previous_user_id, result.holder_user_id} - {None, p.user_id}:
        hub.to_seat_threadsafe(user_id, message)
    if result.state in (S.QUEUED, S.INTERRUPTED):  # the rejoin preference moved to the new holder
        hub.publish_threadsafe("queue_changed", {})
