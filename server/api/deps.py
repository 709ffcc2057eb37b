"""Request-scoped helpers shared by the handlers: who is calling, and may they."""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from annotated_types import Ge, Le
from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from kuaichu_protocol.messages import Role
from server.container import AppContext
from server.domain.ids import MAX_ID, MIN_ID
from server.services.auth import AuthError, Principal
from server.services.errors import Forbidden, Unauthorized


Id = Annotated[int, Ge(MIN_ID), Le(MAX_ID)]
"""A database id in a path, query, form field or JSON body: 1 <= id <= 2**31 - 1, the range of an INTEGER key.

Anything outside is refused as 422 before a handler or the database sees it."""


def context(request: HTTPConnection) -> AppContext:
    """The app's services, for a request or a WebSocket alike."""
    return request.app.state.ctx


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def current_principal(request: Request) -> Principal:
    try:
        return context(request).auth.resolve(bearer_token(request))
    except AuthError as e:
        raise Unauthorized(str(e)) from e


def require(*roles: Role) -> Callable[..., Principal]:
    """Dependency: the caller must be logged in with one of ``roles``."""
    allowed = {Role(r) for r in roles}

    def _check(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.role not in allowed:
            names = "、".join(sorted(r.value for r in allowed))
            raise Forbidden(f"角色 {principal.role.value} 无权执行此操作（需要: {names}）")
        return principal

    return _check


SEAT_ROLES = (Role.OPERATOR, Role.OFFICER, Role.SUPERVISOR)
