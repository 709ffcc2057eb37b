"""Verification, the operator's eligibility answers, the case checklist, and the service area they check."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from kuaichu_protocol.messages import Role
from server.api.cases import actor_of
from server.api.deps import SEAT_ROLES, Id, context, require
from server.api.schemas import SEAT, ChecklistOut, Json, Out, VerificationOut, boolean_not_null, errors, reply
from server.services.auth import Principal

router = APIRouter(tags=["checks"], responses=SEAT)
CASES = "/api/cases"

REGISTRY_DOWN_ZH = "核验系统暂不可用，请稍后重试"


@router.post(CASES + "/{case_id}/parties/{party_id}/verify", **reply(VerificationOut, also=errors(503)))
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


@router.put(CASES + "/{case_id}/answers", **reply(ChecklistOut))
def set_answers(case_id: Id, body: AnswersIn, request: Request,
                p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    ctx = context(request)
    ctx.checks.set_answers(case_id, body.model_dump(exclude_unset=True), actor_of(p))
    return ctx.checks.checklist(case_id)


@router.get(CASES + "/{case_id}/checklist", **reply(ChecklistOut))
def checklist(case_id: Id, request: Request, _: Principal = Depends(require(*SEAT_ROLES, Role.ADMIN))) -> dict:
    return context(request).checks.checklist(case_id)


class GeometryOut(Out):
    type: Literal["Polygon", "MultiPolygon", "LineString", "MultiLineString"]
    coordinates: list[Any]


class FeatureOut(Out):
    type: Literal["Feature"]
    properties: Json  # role include/exclude, name, hole_names, buffer_m (server/domain/service_area.py)
    geometry: GeometryOut


class ServiceAreaOut(Out):
    type: Literal["FeatureCollection"]
    features: list[FeatureOut]


@router.get("/api/service-area", **reply(ServiceAreaOut))
def service_area(request: Request, _: Principal = Depends(require(*SEAT_ROLES, Role.ADMIN))) -> dict:
    """The area the eligibility check uses, for the officer's map (start-up already refused a bad file)."""
    return _area_geojson(context(request).settings.service_area_file)


@lru_cache(maxsize=4)
def _area_geojson(path: Path) -> dict[str, Any]:
    """The file as one FeatureCollection of plain features, whichever of the accepted shapes it has."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("type") == "FeatureCollection":
        features = data["features"]
    elif data.get("type") == "Feature":
        features = [data]
    else:  # a bare Polygon or MultiPolygon
        features = [{"type": "Feature", "properties": {}, "geometry": data}]
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": f.get("properties") or {},
         "geometry": {"type": f["geometry"]["type"], "coordinates": f["geometry"]["coordinates"]}}
        for f in features]}
