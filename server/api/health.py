"""Liveness and readiness, for load balancers and the seat's self-test."""
from __future__ import annotations

from fastapi import APIRouter, Request

from server.api.deps import context
from server.api.schemas import HealthOut, reply

router = APIRouter(tags=["health"])


@router.get("/healthz", **reply(HealthOut))
def healthz(request: Request) -> dict:
    context(request).health.check_database()
    return {"ok": True, "version": request.app.version}
