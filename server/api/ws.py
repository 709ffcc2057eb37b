"""The two WebSocket endpoints: /ws/phone/{party_token} and /ws/seat.

Thin: authenticate, hand every frame to the hub, tell the hub when the socket
goes. A refused connection is accepted just long enough to send an error frame
with a plain message (browsers do not expose HTTP status on a failed upgrade),
then closed with 4000 + the HTTP status (4401, 4403, 4404, 4429).

The seat's session token never travels in the URL (URLs end up in access logs and
proxies): the seat sends ``{"type": "auth", "token": ...}`` as its first frame,
within ``AUTH_TIMEOUT_S``. The party token stays in its path, because the SMS link is
the credential; the log filter (server/adapters/log_redaction.py) hides it.

A browser always sends ``Origin``; one that is neither the configured public origin
(``public_base_url``) nor the origin the request was addressed to (its ``Host``) is
refused with 4403, so another site's page cannot drive a socket. Non-browser clients
(the seat app, the phone simulator) send none.
"""
from __future__ import annotations

import asyncio
import json
from urllib.parse import urlsplit

from anyio import CancelScope, move_on_after, to_thread
from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketState

from kuaichu_protocol.messages import Role, SeatMsg
from server.api.deps import context
from server.services.auth import AuthError
from server.services import ws_frames
from server.services.errors import ServiceError
from server.services.hub_sockets import SharedMessage

router = APIRouter(tags=["websocket"])

SEAT_SOCKET_ROLES = (Role.OPERATOR, Role.OFFICER, Role.SUPERVISOR)
#: How long a seat socket may stay open before its ``auth`` frame arrives.
AUTH_TIMEOUT_S = 5.0
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def transport_max_size(max_message_bytes: int) -> int:
    """What uvicorn may accept: above the app's limit, so an oversize frame gets an error frame, not a close."""
    return max_message_bytes * 4


class JsonSocket:
    """The hub's view of a WebSocket: send a dict, close; sends from many tasks go out one at a time."""

    def __init__(self, websocket: WebSocket) -> None:
        self._ws = websocket
        self._lock = asyncio.Lock()

    async def send(self, message: dict) -> None:
        async with self._lock:
            if self._ws.application_state == WebSocketState.CONNECTED:
                shared = isinstance(message, SharedMessage)
                text = message.text() if shared else json.dumps(message, ensure_ascii=False)
                await self._ws.send_text(text)

    async def close(self, code: int = 1000) -> None:
        async with self._lock:
            if self._ws.application_state == WebSocketState.CONNECTED:
                await self._ws.close(code)


async def _refuse(socket: JsonSocket, code: str, message: str, status: int) -> None:
    await socket.send({"type": "error", "code": code, "message": message})
    await socket.close(4000 + status)


def origin_of(url: str) -> str:
    """``scheme://host:port`` of a URL, lower-cased, with the default port spelled out."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:  # a port that is not a number
        return ""
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


def origin_refusal(websocket: WebSocket) -> str | None:
    """The plain reason to refuse this socket's ``Origin``, or None when it may connect.

    Allowed: no Origin (not a browser), the public origin, or the origin the request itself
    was addressed to (a phone that opened https://<LAN address>/ on a demo, whose Host says so);
    another site's page carries its own origin, which matches neither."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return None
    public = origin_of(context(websocket).settings.public_base_url)
    scheme = "https" if websocket.url.scheme == "wss" else "http"
    addressed = origin_of(f"{scheme}://{websocket.headers.get('host', '')}")
    if origin_of(origin) in (public, addressed):
        return None
    return f"来源 {origin[:100]} 不是本服务器的地址（{public}），连接被拒绝"


async def _refuse_origin(websocket: WebSocket) -> bool:
    """Refuses a foreign page's socket (True) before anything else is looked at."""
    reason = origin_refusal(websocket)
    if reason is None:
        return False
    await websocket.accept()
    await _refuse(JsonSocket(websocket), "bad_origin", reason, 403)
    return True


async def _frames(websocket: WebSocket):
    """Yields each text (or binary) payload until the client goes away."""
    while True:
        event = await websocket.receive()
        if event["type"] == "websocket.disconnect":
            return
        yield event.get("text") if event.get("text") is not None else event.get("bytes")


@router.websocket("/ws/phone/{token}")
async def phone_socket(websocket: WebSocket, token: str) -> None:
    if await _refuse_origin(websocket):
        return
    ctx = context(websocket)
    socket = JsonSocket(websocket)
    try:  # authenticate before accepting, so that an accepted socket is registered at once
        link = await to_thread.run_sync(ctx.invitations.resolve, token)
    except ServiceError as e:
        await websocket.accept()
        await _refuse(socket, e.code, e.message, e.status)
        return
    await to_thread.run_sync(ctx.invitations.touch, link.invitation_id)
    await websocket.accept()
    hub = ctx.hub
    await hub.start()
    conn = await hub.phone_connected(socket, link)
    try:
        async for raw in _frames(websocket):
            await hub.phone_message(conn, raw)
    finally:
        with CancelScope(shield=True):  # the case must learn that the phone went, even on shutdown
            await hub.phone_disconnected(conn)


@router.websocket("/ws/seat")
async def seat_socket(websocket: WebSocket) -> None:
    if await _refuse_origin(websocket):
        return
    ctx = context(websocket)
    hub = ctx.hub
    socket = JsonSocket(websocket)
    await websocket.accept()
    if "token" in websocket.query_params:
        await _refuse(socket, "unauthorized", "会话令牌不能放在地址中，请在第一条消息（auth）中发送", 401)
        return
    token = await _auth_token(websocket, ctx.settings.ws_max_message_bytes)
    if websocket.client_state == WebSocketState.DISCONNECTED:
        return
    if token is None:
        await _refuse(socket, "unauthorized", f"请在连接后 {AUTH_TIMEOUT_S:g} 秒内发送 auth 消息登录", 401)
        return
    try:
        principal = await to_thread.run_sync(ctx.auth.resolve, token)
    except AuthError as e:
        await _refuse(socket, "unauthorized", str(e), 401)
        return
    if principal.role not in SEAT_SOCKET_ROLES:
        await _refuse(socket, "forbidden", f"角色 {principal.role.value} 不能连接坐席通道", 403)
        return
    await hub.start()
    conn = await hub.seat_connected(socket, principal)
    try:
        async for raw in _frames(websocket):
            await hub.seat_message(conn, raw)
    finally:
        with CancelScope(shield=True):
            await hub.seat_disconnected(conn)


async def _auth_token(websocket: WebSocket, max_bytes: int) -> str | None:
    """The token of a well-formed ``auth`` first frame, or None (late, malformed, or another type)."""
    event = None
    with move_on_after(AUTH_TIMEOUT_S):
        event = await websocket.receive()
    if event is None or event["type"] == "websocket.disconnect":
        return None
    raw = event.get("text") if event.get("text") is not None else event.get("bytes")
    try:
        kind, frame = ws_frames.parse(raw, max_bytes, ws_frames.SEAT_AUTH_FRAMES)
    except ws_frames.FrameError:
        return None
    return frame.token if kind == SeatMsg.AUTH else None
