"""Login, logout and "who am I" for seat users."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from server.api.deps import bearer_token, context, current_principal
from server.api.schemas import COMMON, LoginOut, OkOut, PrincipalOut, errors, reply
from server.services.auth import AuthError, LoginLocked, Principal
from server.services.errors import RateLimited, Unauthorized

router = APIRouter(prefix="/api/auth", tags=["auth"], responses={**COMMON, **errors(401, 429)})


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


def principal_json(p: Principal) -> dict:
    return {"user_id": p.user_id, "username": p.username, "display_name": p.display_name, "role": p.role.value}


@router.post("/login", **reply(LoginOut))
def login(body: LoginIn, request: Request) -> dict:
    client = request.client.host if request.client else "unknown"
    try:
        result = context(request).auth.login(body.username, body.password, client)
    except LoginLocked as e:
        raise RateLimited(f"登录失败次数过多，请 {e.retry_after_s} 秒后再试", retry_after_s=e.retry_after_s) from e
    except AuthError as e:
        raise Unauthorized(str(e)) from e
    return {"token": result.token, "expires_at": result.expires_at.isoformat(), "user": principal_json(result.principal)}


@router.post("/logout", **reply(OkOut))
def logout(request: Request, principal: Principal = Depends(current_principal)) -> dict:
    context(request).auth.logout(bearer_token(request))
    return {"ok": True}


@router.get("/me", **reply(PrincipalOut))
def me(principal: Principal = Depends(current_principal)) -> dict:
    return principal_json(principal)
