"""Field dispatches that need a supervisor's eye: given up, or still retrying after an error."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from kuaichu_protocol.messages import Role
from server.adapters.db import unit_of_work
from server.adapters.orm import utcnow
from server.api.deps import Id, context, require
from server.api.schemas import SEAT, DispatchListOut, OkOut, reply
from server.services import audit, dispatch_outbox
from server.services.auth import Principal
from server.services.errors import Conflict

router = APIRouter(prefix="/api/dispatches", tags=["dispatch"], responses=SEAT)


@router.get("", **reply(DispatchListOut))
def attention(request: Request, _: Principal = Depends(require(Role.SUPERVISOR, Role.ADMIN))) -> dict:
    with context(request).session_factory() as s:
        rows = dispatch_outbox.needing_attention(s)
        return {"items": [{"id": d.id, "case_id": d.case_id, "status": d.status, "attempts": d.attempts,
                           "last_error": d.last_error, "summary": d.payload.get("summary", ""),
                           "created_at": d.created_at.isoformat()} for d in rows]}


@router.post("/{dispatch_id}/retry", **reply(OkOut))
def retry(dispatch_id: Id, request: Request, p: Principal = Depends(require(Role.SUPERVISOR, Role.ADMIN))) -> dict:
    with unit_of_work(context(request).session_factory) as s:
        if not dispatch_outbox.retry(s, dispatch_id, utcnow()):
            raise Conflict("只能重试已失败的派警请求")
        audit.append(s, actor=p.actor, action="dispatch_retry", detail={"dispatch_id": dispatch_id})
    return {"ok": True}
