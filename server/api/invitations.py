"""Seat-side party links: open a case for a caller of the emergency number, invite a party, revoke a link,
and push an instruction to the phone when the data channel is down."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from kuaichu_protocol.messages import Role, ToPhoneMsg
from server.api.cases import actor_of, case_json
from server.api.deps import Id, context, require
from server.api.schemas import (MOBILE_NUMBER, NOT_BLANK, SEAT, InstructionOut, InvitationOut, OpenedCaseOut,
                                RevokedOut, errors, reply)
from server.services.auth import Principal
from server.services.phone_report import check_mobile

router = APIRouter(tags=["invitations"], responses={**SEAT, **errors(429)})


class NewCaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phone: str = Field(max_length=20, json_schema_extra=MOBILE_NUMBER)


class InviteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phone: str = Field(max_length=20, json_schema_extra=MOBILE_NUMBER)
    party_id: Id | None = None


class InstructionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=200, json_schema_extra=NOT_BLANK)
    # "server": push it to the phone's socket; "data_channel": the seat already showed it over the
    # call's data channel and only records it, so every instruction is in the case's audit trail.
    via: Literal["server", "data_channel"] = "server"


def _invitation_json(invitation) -> dict:
    return {"invitation_id": invitation.invitation_id, "expires_at": invitation.expires_at.isoformat()}


@router.post("/api/cases", status_code=201, **reply(OpenedCaseOut, 201))
def open_case_for_caller(body: NewCaseIn, request: Request, p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    """A driver phoned the emergency number: open a case and text them the link."""
    ctx = context(request)
    phone = check_mobile(body.phone)
    case = ctx.cases.open_case("invitation", phone, actor_of(p))
    invitation = ctx.invitations.create(case.id, phone, actor=p.actor)
    return {"case": case_json(ctx.cases.get(case.id), full=True), "invitation": _invitation_json(invitation)}


@router.post("/api/cases/{case_id}/invitations", status_code=201, **reply(InvitationOut, 201))
def invite(case_id: Id, body: InviteIn, request: Request, p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    ctx = context(request)
    invitation = ctx.invitations.create(case_id, check_mobile(body.phone), actor=p.actor,
                                        party_id=body.party_id, holder=actor_of(p))
    return _invitation_json(invitation)


@router.post("/api/invitations/{invitation_id}/revoke", **reply(RevokedOut))
def revoke(invitation_id: Id, request: Request,
           p: Principal = Depends(require(Role.OPERATOR, Role.SUPERVISOR))) -> dict:
    ctx = context(request)
    link = ctx.invitations.revoke(invitation_id, actor=p.actor, holder=actor_of(p))
    ctx.hub.publish_threadsafe("revoked", {"invitation_id": link.invitation_id})
    return {"invitation_id": link.invitation_id, "revoked": True}


@router.post("/api/cases/{case_id}/instructions", status_code=201, **reply(InstructionOut, 201))
def instruct(case_id: Id, body: InstructionIn, request: Request,
             p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    ctx = context(request)
    text = body.text.strip()
    ctx.scene.record_instruction(case_id, actor_of(p), text, via=body.via)
    if body.via == "server":
        ctx.hub.to_phone_threadsafe(case_id, {"type": ToPhoneMsg.INSTRUCTION, "text": text})
    return {"sent": body.via == "server", "recorded": True}
