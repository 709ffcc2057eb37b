"""Field dispatches that need a supervisor's eye: given up, or still retrying after an error."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from kuaichu_protocol.messages import Role
from server.api.deps import Id, context, require
from server.api.schemas import SEAT, DispatchListOut, OkOut, reply
from server.services.auth import Principal

router = APIRouter(prefix="/api/dispatches", tags=["dispatch"], responses=SEAT)


@router.get("", **reply(DispatchListOut))
def attention(request: Request, _: Principal = Depends(require(Role.SUPERVISOR, Role.ADMIN))) -> dict:
    rows = context(request).dispatches.needing_attention()
    return {"items": [{"id": d.id, "case_id": d.case_id, "status": d.status, "attempts": d.attempts,
                       "last_error": d.last_error, "summary": d.summary,
                       "created_at": d.created_at.isoformat()} for d in rows]}


@router.post("/{dispatch_id}/retry", **reply(OkOut))
def retry(dispatch_id: Id, request: Request, p: Principal = Depends(require(Role.SUPERVISOR, Role.ADMIN))) -> dict:
    context(request).dispatches.retry(dispatch_id, p.actor)
    return {"ok": True}
