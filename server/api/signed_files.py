"""Signed, expiring links for insurers: the liability document and the case photos, without a login.

``GET /f/document/{number}?e=&s=`` and ``GET /f/evidence/{id}?e=&s=`` (server/services/signed_urls.py).
A wrong, altered or expired link is a 403; the file is a download that runs nothing.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Literal

from fastapi import APIRouter, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from server.api.deps import context
from server.api.schemas import errors
from server.services.signed_urls import SignedFile

router = APIRouter(tags=["signed files"], responses=errors(403, 404, 422))

FILE = {200: {"description": "认定书或照片", "content": {
    kind: {"schema": {"type": "string", "format": "binary"}} for kind in ("application/pdf", "image/jpeg", "image/png")}}}


@router.get("/f/{kind}/{ident}", response_class=Response, responses=FILE)
async def signed_file(request: Request, kind: Literal["document", "evidence"],
                      ident: str = Path(..., min_length=1, max_length=48, pattern="^[A-Za-z0-9-]+$"),
                      e: int = Query(..., ge=0, le=2**40, description="expiry, Unix seconds"),
                      s: str = Query(..., min_length=64, max_length=64, pattern="^[0-9a-f]{64}$",
                                     description="signature")) -> Response:
    found: SignedFile = await run_in_threadpool(context(request).signed_files.open, kind, ident, e, s, datetime.now(timezone.utc))
    headers = {"Content-Disposition": f'attachment; filename="{found.filename}"', "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": "sandbox; default-src 'none'", "Cache-Control": "private, no-store",
               "Referrer-Policy": "no-referrer"}
    return Response(found.data, media_type=found.content_type, headers=headers)
