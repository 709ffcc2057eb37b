"""Phone REST: the public report (SMS code, then a case) and what a party link may read and upload.

Every route under /api/phone/{token} resolves the party link first (rate-limited
per token) and acts only on that link's case and party.
"""
from __future__ import annotations

import hashlib

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from kuaichu_protocol.messages import CaseState as S
from kuaichu_protocol.messages import ToSeatMsg
from server.api.deps import context
from server.api.schemas import (CONSENT, MOBILE_NUMBER, PHONE, SMS_CODE, CodeSentOut, PhoneCaseOut, PhotoOut,
                                ReportedOut, errors, reply)
from server.api.uploads import file_bytes, optional_number, read_form, text_field
from server.domain.case_states import STATE_LABELS_ZH
from server.services.cases import Actor

router = APIRouter(prefix="/api/phone", tags=["phone"], responses=PHONE)


class CodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phone: str = Field(max_length=20, json_schema_extra=MOBILE_NUMBER)


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phone: str = Field(max_length=20, json_schema_extra=MOBILE_NUMBER)
    code: str = Field(max_length=6, json_schema_extra=SMS_CODE)
    consent: bool = Field(json_schema_extra=CONSENT)


@router.post("/codes", status_code=202, **reply(CodeSentOut, 202))
def send_code(body: CodeIn, request: Request) -> dict:
    client = request.client.host if request.client else "unknown"  # the peer, or what a trusted proxy says
    resend_after = context(request).reports.send_code(body.phone, client)
    return {"sent": True, "resend_after_s": resend_after}


@router.post("/report", status_code=201, **reply(ReportedOut, 201, also=errors(401)))
def report(body: ReportIn, request: Request) -> dict:
    r = context(request).reports.report(body.phone, body.code, body.consent)
    return {"party_token": r.party_token, "case_number": r.case_number}


@router.get("/{token}", **reply(PhoneCaseOut))
def case_for_party(token: str, request: Request) -> dict:
    ctx = context(request)
    link = ctx.invitations.resolve(token)
    case = ctx.cases.get(link.case_id)
    snapshot = ctx.hub.queue.snapshot()
    place = snapshot.for_phone(case.id, ctx.hub.online, ctx.hub.operators_online()) if case.state == S.QUEUED else None
    return {
        "case_number": case.number, "state": case.state, "state_label": STATE_LABELS_ZH[S(case.state)],
        "queue": place, "instructions": ctx.scene.instructions(case.id),
        "safety": case.safety, "ice_servers": ctx.settings.ice_servers,
        "ice_transport_policy": ctx.settings.ice_transport_policy, "ice_trickle": ctx.settings.ice_trickle,
    }


@router.post("/{token}/photos", status_code=201, **reply(PhotoOut, 201))
async def upload_photo(token: str, request: Request) -> dict:
    ctx = context(request)
    link = await run_in_threadpool(ctx.invitations.resolve, token)
    form = await read_form(request, ctx.evidence.size_limit("photo"))
    try:
        data = await file_bytes(form, "file", ctx.evidence.size_limit("photo"))
        row = await run_in_threadpool(
            ctx.evidence.add, link.case_id, data, "photo", Actor.party(link.case_id, link.party_id),
            party_id=link.party_id, label=text_field(form, "label")[:64],
            latitude=optional_number(form, "lat", float), longitude=optional_number(form, "lon", float),
        )
    finally:
        await form.close()
    case = await run_in_threadpool(ctx.cases.get, link.case_id)
    if case.seat_user_id is not None:
        ctx.hub.to_seat_threadsafe(case.seat_user_id, {
            "type": ToSeatMsg.CASE_UPDATED, "case_id": case.id, "what": "photo_uploaded", "evidence_id": row.id})
    # The photo is stored re-encoded (its pixels only); the phone is told both hashes.
    return {"evidence_id": row.id, "sha256": row.sha256, "width": row.width, "height": row.height,
            "size_bytes": row.size_bytes, "original_sha256": hashlib.sha256(data).hexdigest()}
