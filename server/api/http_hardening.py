"""ASGI middleware that guards every HTTP request, whatever route it reaches.

- An unexpected exception becomes one logged line and a JSON 500, never a traceback in the reply.
- A client that drops mid-request is a normal event: logged at INFO, nothing of its body is kept.
- A JSON (or untyped) body is read in full, bounded in size and nesting before anything parses it,
  so neither FastAPI's parser nor a handler's ``json.loads`` can hit a RecursionError.
- Security headers: HSTS under TLS, and ``Cache-Control: no-store`` on API replies that set none.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import ClientDisconnect

from server.services.errors import Invalid

log = logging.getLogger("kuaichu.server.http")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The largest JSON body any route takes (OCR results are the largest, 256 KB) plus room.
MAX_JSON_BYTES = 512 * 1024
#: Real bodies nest a few levels (OCR: reading → boxes → points); 32 leaves a wide margin.
MAX_JSON_DEPTH = 32
HSTS = "max-age=31536000"
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
#: Bodies that are not JSON and are bounded where they are parsed (server/api/uploads.py).
_STREAMED_TYPES = ("multipart/form-data",)


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


async def send_json(send: Send, status: int, body: dict, headers: list[tuple[bytes, bytes]] = ()) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()), *headers]})
    await send({"type": "http.response.body", "body": payload})


def json_depth_exceeds(data: bytes, limit: int) -> bool:
    """True when brackets nest deeper than ``limit`` (outside strings), without parsing anything."""
    depth, in_string, escaped = 0, False, False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def loads_bounded(raw: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` for a handler that parses a body itself: the middleware skips multipart bodies, so a
    deep JSON document sent under that content type must still be refused here rather than recurse."""
    if json_depth_exceeds(raw, max_depth):
        raise Invalid(f"JSON 嵌套过深：最多 {max_depth} 层")
    value = json.loads(raw, parse_constant=_no_constant)  # a syntax error stays a ValueError for the caller
    try:  # 1e999 parses as infinity and "\ud800" as a lone surrogate: neither can be stored or sent back
        json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (ValueError, UnicodeError) as e:
        raise Invalid(_NOT_STORABLE) from e
    return value


_NOT_STORABLE = "JSON 中有无法保存的内容：数值超出范围，或文字编码不正确"


def _no_constant(name: str) -> None:
    raise Invalid(_NOT_STORABLE)  # NaN and Infinity are not JSON


class ErrorGuardMiddleware:
    """The outermost guard: an exception that escaped every handler is logged once and answered as JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except ClientDisconnect:
            log.info("client went away during %s %s; request dropped", scope["method"], _route_of(scope))
        except Exception:  # noqa: BLE001 - the last line of defence: one log line, a JSON 500
            if started:
                raise  # half a reply is out: the server logs it once and closes the connection
            log.exception("unexpected error in %s %s", scope["method"], _route_of(scope))
            await send_json(send, 500, {"error": "internal_error", "message": "服务器内部错误，请稍后重试"})


def _route_of(scope: Scope) -> str:
    """The matched route template (``/api/cases/{case_id}``) rather than the path, which may carry a token."""
    route = scope.get("route")
    return getattr(route, "path", None) or "(unmatched route)"


class JsonBodyGuardMiddleware:
    """Reads a JSON or untyped request body in full, bounded, and refuses it when it nests too deep."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_JSON_BYTES, max_depth: int = MAX_JSON_DEPTH) -> None:
        self.app, self.max_bytes, self.max_depth = app, max_bytes, max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS or _is_streamed(scope):
            await self.app(scope, receive, send)
            return
        try:
            body = await self._read(scope, receive)
        except _Refused as e:
            await send_json(send, e.status, {"error": e.code, "message": e.message})
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body only a disconnect can come

        await self.app(scope, replay, send)

    async def _read(self, scope: Scope, receive: Receive) -> bytes:
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_large()
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnect()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise self._too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if json_depth_exceeds(body, self.max_depth):
            raise _Refused(422, "invalid", f"JSON 嵌套过深：最多 {self.max_depth} 层")
        return body

    def _too_large(self) -> _Refused:
        return _Refused(413, "too_large", f"请求内容过大：JSON 最大 {self.max_bytes // 1024} KB")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _is_streamed(scope: Scope) -> bool:
    content_type = (_header(scope, b"content-type") or "").lower()
    return content_type.startswith(_STREAMED_TYPES)


class SecurityHeadersMiddleware:
    """HSTS on every reply over TLS; ``Cache-Control: no-store`` on /api/ replies that did not choose one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tls = scope.get("scheme") == "https"
        api = scope.get("path", "").startswith("/api/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if tls and b"strict-transport-security" not in names:
                    headers.append((b"strict-transport-security", HSTS.encode()))
                if api and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
