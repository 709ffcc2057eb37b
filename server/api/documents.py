"""Issued documents: the PDF for seats, and the public verification page behind the document's QR code.

``/v/{number}`` is server-rendered HTML (no script) that anyone may open: it shows what
``DocumentService.public`` allows and checks an uploaded PDF against the sha256 issued.
"""
from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from kuaichu_protocol.messages import Role
from server.api.deps import SEAT_ROLES, context, require
from server.api.schemas import SEAT
from server.api.uploads import file_bytes, read_form
from server.resource_files import package_dir
from server.services.auth import Principal
from server.services.errors import NotFound, ServiceError

router = APIRouter(tags=["documents"])

#: An issued document is well under 1 MB; a file this big is not one of ours.
MAX_VERIFY_BYTES = 5 * 1024 * 1024
PDF = {200: {"description": "认定书（PDF）", "content": {"application/pdf": {"schema": {
    "type": "string", "format": "binary"}}}}}
_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'self'; form-action 'self'; "
                                       "frame-ancestors 'none'; base-uri 'none'",
            "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}


@lru_cache(maxsize=1)
def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(package_dir("web", "templates")), autoescape=select_autoescape(["html"]))
    env.filters["when"] = lambda t: f"{t.year}年{t.month}月{t.day}日 {t.hour:02d}:{t.minute:02d}"
    return env


@router.get("/api/documents/{number}.pdf", response_class=Response, responses={**SEAT, **PDF})
def document_pdf(number: str, request: Request, _: Principal = Depends(require(*SEAT_ROLES, Role.ADMIN))) -> Response:
    pdf = context(request).documents.pdf(number)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{number}.pdf"', "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff"})


def _page(request: Request, number: str, outcome: str = "", status: int = 200) -> HTMLResponse:
    try:
        doc, message = context(request).documents.public(number), ""
    except NotFound as e:
        doc, message, status = None, e.message, 404
    html = _templates().get_template("verify.html").render(doc=doc, message=message, outcome=outcome)
    return HTMLResponse(html, status_code=status, headers=_HEADERS)


@router.get("/v/{number}", response_class=HTMLResponse, include_in_schema=False)
def verify_page(number: str, request: Request) -> HTMLResponse:
    return _page(request, number)


@router.post("/v/{number}", response_class=HTMLResponse, include_in_schema=False)
async def verify_upload(number: str, request: Request) -> HTMLResponse:
    """Says whether the uploaded file is the document issued under this number, byte for byte."""
    try:
        form = await read_form(request, MAX_VERIFY_BYTES)
        try:
            data = await file_bytes(form, "file", MAX_VERIFY_BYTES)
        finally:
            await form.close()
    except ServiceError as e:
        return await run_in_threadpool(_page, request, number, e.message, e.status)
    documents = context(request).documents
    try:
        doc = await run_in_threadpool(documents.public, number)
    except NotFound:
        return await run_in_threadpool(_page, request, number)
    return await run_in_threadpool(_page, request, number, "match" if doc.matches(data) else "mismatch")
