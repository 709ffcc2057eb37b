"""Bounded reading of request bodies: an upload is refused as soon as it passes its limit.

Starlette would otherwise spool a body of any size to disk before a handler sees
it. Here a declared Content-Length over the limit is refused before reading, and
a body without one (chunked) is cut off at the first chunk past the limit.
"""
from __future__ import annotations

import math
import os
from collections.abc import AsyncIterator
from typing import BinaryIO

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from server.api.deps import MAX_ID
from server.services.errors import Invalid, TooLarge

#: Room for the multipart boundaries, part headers and the small text fields next to the file.
FORM_OVERHEAD_BYTES = 64 * 1024
MAX_TEXT_FIELD_BYTES = 4 * 1024


def _too_large(limit: int) -> TooLarge:
    return TooLarge(f"上传内容过大：最大 {_human(limit)}", limit_bytes=limit)


def _human(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def check_declared_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared is None:
        return
    try:
        length = int(declared)
    except ValueError as e:
        raise Invalid("Content-Length 不正确") from e
    if length > limit:
        raise _too_large(limit)


async def _bounded(request: Request, limit: int) -> AsyncIterator[bytes]:
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise _too_large(limit)
        yield chunk


async def read_body(request: Request, limit: int) -> bytes:
    check_declared_length(request, limit)
    parts = [chunk async for chunk in _bounded(request, limit)]
    return b"".join(parts)


async def read_form(request: Request, file_limit: int) -> FormData:
    """A multipart form with at most one file of ``file_limit`` bytes and a few short text fields."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise Invalid("请用 multipart/form-data 上传文件")
    limit = file_limit + FORM_OVERHEAD_BYTES
    check_declared_length(request, limit)
    parser = MultiPartParser(request.headers, _bounded(request, limit), max_files=1, max_fields=16,
                             max_part_size=MAX_TEXT_FIELD_BYTES)
    try:
        return await parser.parse()
    except MultiPartException as e:
        raise Invalid(f"上传格式不正确：{e.message}") from e


async def file_bytes(form: FormData, name: str, limit: int) -> bytes:
    upload = form.get(name)
    if not isinstance(upload, UploadFile):
        raise Invalid(f"缺少文件字段 {name}")
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    return data


async def upload_file(form: FormData, name: str, limit: int) -> BinaryIO:
    """The uploaded file itself, left where the parser streamed it (a temporary file spooled to disk past
    1 MB), for a service that reads it in chunks; ``file_bytes`` when the bytes are wanted whole."""
    upload = form.get(name)
    if not isinstance(upload, UploadFile):
        raise Invalid(f"缺少文件字段 {name}")
    size = await run_in_threadpool(upload.file.seek, 0, os.SEEK_END)
    if size > limit:
        raise _too_large(limit)
    await run_in_threadpool(upload.file.seek, 0)
    return upload.file


def text_field(form: FormData, name: str, default: str = "") -> str:
    value = form.get(name, default)
    if not isinstance(value, str):
        raise Invalid(f"{name} 必须是文本字段")
    return value.strip()


def optional_number(form: FormData, name: str, kind: type[int] | type[float]) -> int | float | None:
    raw = text_field(form, name)
    if not raw:
        return None
    try:
        value = kind(raw)
    except ValueError as e:
        raise Invalid(f"{name} 必须是数字") from e
    if kind is int and not 1 <= value <= MAX_ID:  # an int form field is an id (party_id): the Id range
        raise Invalid(f"{name} 超出范围")
    if kind is float and not math.isfinite(value):
        raise Invalid(f"{name} 必须是有限的数字")
    return value
