"""The officer's endpoints (issue 12): the violation catalogue, taking a case, sending it back, and the
liability document's preview and issue. Only officers preview, issue or send back."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from kuaichu_protocol.liability import MAX_VIOLATIONS
from kuaichu_protocol.messages import Role
from server.api.cases import ReasonIn, actor_of, case_json
from server.api.deps import SEAT_ROLES, Id, context, require
from server.api.schemas import SEAT, CaseOut, IssuedOut, ViolationOut, reply
from server.services.auth import Principal
from server.services.determination import WEATHERS, Decision, PartyChoice

router = APIRouter(tags=["liability"], responses=SEAT)

PDF = {200: {"description": "认定书预览（PDF）", "content": {"application/pdf": {"schema": {
    "type": "string", "format": "binary"}}}}}


class PartyDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    party_id: Id
    responsibility: Literal["full", "major", "equal", "minor", "none"]
    violations: list[str] = Field(default_factory=list, max_length=MAX_VIOLATIONS + 2)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    facts: str = Field(default="", max_length=4000)
    weather: Literal[WEATHERS] | None = None  # type: ignore[valid-type]
    parties: list[PartyDecisionIn] = Field(min_length=1, max_length=8)

    def decision(self) -> Decision:
        return Decision(self.facts, tuple(PartyChoice(p.party_id, p.responsibility, tuple(p.violations))
                                          for p in self.parties), self.weather)


@router.get("/api/violations", **reply(list[ViolationOut]))
def violations(request: Request, q: str = Query(default="", max_length=64),
               _: Principal = Depends(require(*SEAT_ROLES, Role.ADMIN))) -> list[dict]:
    return [v.as_json() for v in context(request).determination.catalogue.search(q)]


@router.post("/api/cases/{case_id}/take", **reply(CaseOut))
def take(case_id: Id, request: Request, p: Principal = Depends(require(Role.OFFICER))) -> dict:
    """The officer takes the case; another officer's case is a 409 naming who has it."""
    ctx = context(request)
    ctx.determination.take(case_id, actor_of(p))
    return case_json(ctx.cases.get(case_id), full=True)


@router.post("/api/cases/{case_id}/send-back", **reply(CaseOut))
def send_back(case_id: Id, body: ReasonIn, request: Request, p: Principal = Depends(require(Role.OFFICER))) -> dict:
    ctx = context(request)
    ctx.determination.send_back(case_id, body.reason, actor_of(p))
    return case_json(ctx.cases.get(case_id), full=True)


@router.post("/api/cases/{case_id}/determination/preview", response_class=Response, responses=PDF)
def preview(case_id: Id, body: DecisionIn, request: Request, p: Principal = Depends(require(Role.OFFICER))) -> Response:
    pdf = context(request).determination.preview(case_id, body.decision(), actor_of(p))
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": 'inline; filename="preview.pdf"', "Cache-Control": "no-store"})


@router.post("/api/cases/{case_id}/determination", status_code=201, **reply(IssuedOut, 201))
def issue(case_id: Id, body: DecisionIn, request: Request, p: Principal = Depends(require(Role.OFFICER))) -> dict:
    issued = context(request).determination.issue(case_id, body.decision(), actor_of(p))
    return {"document_number": issued.document_number, "sha256": issued.sha256}
