"""Admin endpoints: the SMS outbox, seat users, and the audit-chain check."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from kuaichu_protocol.messages import Role
from server.api.deps import Id, context, require
from server.api.schemas import SEAT, AuditCheckOut, SmsListOut, UserListOut, UserOut, reply
from server.domain.masking import mask_phone, redact_sms
from server.services.auth import Principal
from server.services.users import MIN_PASSWORD_CHARS

if TYPE_CHECKING:
    from server.services.rows import SmsMessage, User

router = APIRouter(prefix="/api/admin", tags=["admin"], responses=SEAT)

SmsStatus = Literal["pending", "sending", "sent", "failed", "stored"]
def sms_json(m: SmsMessage, full: bool) -> dict:
    stamp = lambda v: v.isoformat() if v else None  # noqa: E731
    return {
        "id": m.id, "case_id": m.case_id, "phone": m.phone if full else mask_phone(m.phone),
        # Party-link tokens and codes are credentials: nobody, admins included, reads them here.
        "text": redact_sms(m.text), "status": m.status, "attempts": m.attempts,
        "next_attempt_at": stamp(m.next_attempt_at), "last_error": m.last_error,
        "created_at": stamp(m.created_at), "sent_at": stamp(m.sent_at),
    }


def user_json(u: User) -> dict:
    return {"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role,
            "active": u.active, "created_at": u.created_at.isoformat()}


@router.get("/sms", **reply(SmsListOut))
def list_sms(request: Request, status: SmsStatus | None = None, case_id: Id | None = None,
             limit: int = Query(200, ge=1, le=1000),
             p: Principal = Depends(require(Role.ADMIN, Role.SUPERVISOR))) -> dict:
    messages = context(request).sms.messages(status, case_id, limit)
    return {"items": [sms_json(m, full=p.role == Role.ADMIN) for m in messages]}


class NewUserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64, json_schema_extra={"pattern": r"^[A-Za-z0-9_.-]{1,64}$"})
    password: str = Field(min_length=1, max_length=256, json_schema_extra={"minLength": MIN_PASSWORD_CHARS})
    role: Role
    display_name: str = Field(default="", max_length=128)


@router.post("/users", status_code=201, **reply(UserOut, 201))
def create_user(body: NewUserIn, request: Request, p: Principal = Depends(require(Role.ADMIN))) -> dict:
    return user_json(context(request).users.create(body.username, body.password, body.role, body.display_name, p.actor))


@router.get("/users", **reply(UserListOut))
def list_users(request: Request, _: Principal = Depends(require(Role.ADMIN))) -> dict:
    return {"items": [user_json(u) for u in context(request).users.list()]}


@router.post("/users/{user_id}/deactivate", **reply(UserOut))
def deactivate_user(user_id: Id, request: Request, p: Principal = Depends(require(Role.ADMIN))) -> dict:
    return user_json(context(request).users.deactivate(user_id, p.user_id))


@router.get("/audit/verify", **reply(AuditCheckOut))
def verify_audit(request: Request, _: Principal = Depends(require(Role.ADMIN))) -> dict:
    report = context(request).audit_log.verify()
    return {"ok": report.ok, "checked": report.checked, "first_broken_id": report.first_broken_id,
            "problem": report.problem}
