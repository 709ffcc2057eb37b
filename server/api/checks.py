"""Verification, the operator's eligibility answers and the case checklist."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from kuaichu_protocol.messages import Role
from server.api.cases import actor_of
from server.api.deps import SEAT_ROLES, Id, context, require
from server.api.schemas import SEAT, ChecklistOut, VerificationOut, boolean_not_null, errors, reply
from server.services.auth import Principal

router = APIRouter(prefix="/api/cases", tags=["checks"], responses=SEAT)

REGISTRY_DOWN_ZH = "核验系统暂不可用，请稍后重试"


@router.post("/{case_id}/parties/{party_id}/verify", **reply(VerificationOut, also=errors(503)))
def verify_party(case_id: Id, party_id: Id, request: Request,
                 p: Principal = Depends(require(Role.OPERATOR))):
    outcome = context(request).checks.verify(case_id, party_id, actor_of(p))
    body = {"party_id": party_id, "verification": outcome.verification}
    if outcome.unavailable:
        return JSONResponse({"error": "registry_unavailable", "message": REGISTRY_DOWN_ZH, **body}, status_code=503)
    return body


class AnswersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    injuries: Literal["none", "minor", "serious"] | None = None
    drink_drugs_flight: StrictBool | None = None
    vehicles_movable: StrictBool | None = None
    motor_at_fault: StrictBool | None = None
    # left out: unchanged; null is refused (it is a yes or no the operator gives once the scene is safe)
    safety_confirmed: StrictBool | None = Field(default=None, json_schema_extra=boolean_not_null)


@router.put("/{case_id}/answers", **reply(ChecklistOut))
def set_answers(case_id: Id, body: AnswersIn, request: Request,
                p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    ctx = context(request)
    ctx.checks.set_answers(case_id, body.model_dump(exclude_unset=True), actor_of(p))
    return ctx.checks.checklist(case_id)


@router.get("/{case_id}/checklist", **reply(ChecklistOut))
def checklist(case_id: Id, request: Request, _: Principal = Depends(require(*SEAT_ROLES))) -> dict:
    return context(request).checks.checklist(case_id)
