"""Evidence endpoints for seats: upload frames, photos and recordings, list them, fetch their bytes, keep OCR."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, BinaryIO

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from kuaichu_protocol.messages import Role
from server.api.cases import actor_of
from server.api.deps import MAX_ID, SEAT_ROLES, Id, context, require
from server.api.http_hardening import loads_bounded
from server.api.schemas import CONTENT, SEAT, EvidenceListOut, EvidenceOut, reply
from server.api.uploads import optional_number, read_body, read_form, text_field, upload_file
from server.services.auth import Principal
from server.services.evidence import MAX_OCR_BYTES, RECORDING_KIND
from server.services.errors import Invalid

if TYPE_CHECKING:
    from server.services.rows import Evidence

router = APIRouter(tags=["evidence"], responses=SEAT)

_STREAM_CHUNK = 256 * 1024
#: The seat app's API client sends ``X-Kuaichu-Client: seat`` when it fetches evidence to show it.
SEAT_CLIENT_HEADER = "X-Kuaichu-Client"
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "video/webm": "webm",
               "video/x-matroska": "mkv", "video/mp4": "mp4"}


def _multipart_doc(fields: dict[str, dict]) -> dict:
    """OpenAPI description of a form the handler parses itself (to bound its size)."""
    schema = {"type": "object", "required": ["file"],
              "properties": {"file": {"type": "string", "format": "binary"}, **fields}}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}}


def evidence_json(e: Evidence) -> dict:
    return {
        "id": e.id, "case_id": e.case_id, "party_id": e.party_id, "sha256": e.sha256, "kind": e.kind,
        "content_type": e.content_type, "size_bytes": e.size_bytes, "width": e.width, "height": e.height,
        "captured_at": e.captured_at.isoformat(), "uploaded_by": e.uploaded_by, "label": e.label,
        "location": None if e.latitude is None else {"lat": e.latitude, "lon": e.longitude},
        "ocr": e.ocr, "created_at": e.created_at.isoformat(), "content_url": f"/api/evidence/{e.id}/content",
    }


def _captured_at(raw: str) -> datetime | None:
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError as e:
        raise Invalid("captured_at 必须是 ISO 8601 时间，例如 2026-05-01T08:30:00+08:00") from e
    if value.tzinfo is None:
        raise Invalid("captured_at 必须带时区")
    return value


_EVIDENCE_FORM = _multipart_doc({
    "kind": {"type": "string", "enum": ["frame", "photo", "document"]},
    "label": {"type": "string", "maxLength": 64},
    "party_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    "lat": {"type": "number"}, "lon": {"type": "number"}, "captured_at": {"type": "string", "format": "date-time"},
})


@router.post("/api/cases/{case_id}/evidence", status_code=201, openapi_extra=_EVIDENCE_FORM,
             **reply(EvidenceOut, 201))
async def upload_evidence(case_id: Id, request: Request, p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    service = context(request).evidence
    form = await read_form(request, service.size_limit("photo"))
    try:
        kind = text_field(form, "kind", "frame")
        if kind == RECORDING_KIND:
            raise Invalid("录像请上传到 /recordings")
        data = await upload_file(form, "file", service.size_limit(kind))
        row = await run_in_threadpool(
            service.add, case_id, data, kind, actor_of(p),
            party_id=optional_number(form, "party_id", int), label=text_field(form, "label"),
            latitude=optional_number(form, "lat", float), longitude=optional_number(form, "lon", float),
            captured_at=_captured_at(text_field(form, "captured_at")),
        )
    finally:
        await form.close()
    return evidence_json(row)


@router.post("/api/cases/{case_id}/recordings", status_code=201, **reply(EvidenceOut, 201),
             openapi_extra=_multipart_doc({"label": {"type": "string", "maxLength": 64}}))
async def upload_recording(case_id: Id, request: Request, p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    service = context(request).evidence
    limit = service.size_limit(RECORDING_KIND)
    form = await read_form(request, limit)
    try:
        data = await upload_file(form, "file", limit)
        row = await run_in_threadpool(service.add, case_id, data, RECORDING_KIND, actor_of(p),
                                      label=text_field(form, "label"))
    finally:
        await form.close()
    return evidence_json(row)


@router.get("/api/cases/{case_id}/evidence", **reply(EvidenceListOut))
def list_evidence(case_id: Id, request: Request, _: Principal = Depends(require(*SEAT_ROLES, Role.ADMIN))) -> dict:
    return {"items": [evidence_json(e) for e in context(request).evidence.list(case_id)]}


@router.get("/api/evidence/{evidence_id}/content", response_class=StreamingResponse, responses=CONTENT)
def evidence_content(evidence_id: Id, request: Request,
                     _: Principal = Depends(require(*SEAT_ROLES, Role.ADMIN))) -> StreamingResponse:
    row, f = context(request).evidence.open_stream(evidence_id)
    filename = f"{row.sha256}.{_EXTENSIONS.get(row.content_type, 'bin')}"
    # Only the seat app shows evidence itself; anywhere else (a browser) it is a download, and even
    # opened in a tab it runs in a sandbox that can load nothing and run no script.
    disposition = "inline" if request.headers.get(SEAT_CLIENT_HEADER, "").lower() == "seat" else "attachment"
    headers = {"Content-Length": str(row.size_bytes), "ETag": f'"{row.sha256}"',
               "Content-Disposition": f'{disposition}; filename="{filename}"', "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": "sandbox; default-src 'none'", "Cache-Control": "private, no-store"}
    return StreamingResponse(_chunks(f), media_type=row.content_type, headers=headers)


def _chunks(f: BinaryIO) -> Iterator[bytes]:
    with f:
        while chunk := f.read(_STREAM_CHUNK):
            yield chunk


@router.put("/api/evidence/{evidence_id}/ocr", **reply(EvidenceOut),
            openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "description": "What the seat's OCR read, e.g. {\"plate\": \"川A12345\"}"}}}}})
async def set_ocr(evidence_id: Id, request: Request, p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    raw = await read_body(request, MAX_OCR_BYTES)
    try:
        ocr = loads_bounded(raw or b"null")
    except (ValueError, UnicodeDecodeError) as e:
        raise Invalid("OCR 结果不是有效的 JSON") from e
    row = await run_in_threadpool(context(request).evidence.set_ocr, evidence_id, ocr, actor_of(p))
    return evidence_json(row)


class RelabelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field(max_length=64, pattern=r"^[a-z_]*$")
    party_id: Id | None = None


@router.patch("/api/evidence/{evidence_id}", **reply(EvidenceOut))
def relabel(evidence_id: Id, body: RelabelIn, request: Request,
            p: Principal = Depends(require(Role.OPERATOR))) -> dict:
    row = context(request).evidence.relabel(evidence_id, body.label, body.party_id, actor_of(p))
    return evidence_json(row)
