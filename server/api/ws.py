"""The two WebSocket endpoints: /ws/phone/{party_token} and /ws/seat?token=...

Thin: authenticate, hand every frame to the hub, tell the hub when the socket
goes. A refused connection is accepted just long enough to send an error frame
with a plain message (browsers do not expose HTTP status on a failed upgrade),
then closed with 4000 + the HTTP status (4401, 4403, 4404, 4429).
"""
from __future__ import annotations

import asyncio
import json

from anyio import CancelScope, to_thread
from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketState

from kuaichu_protocol.messages import Role
from server.api.deps import context
from server.api.phone_services import phone_services
from server.services.auth import AuthError
from server.services.errors import ServiceError

router = APIRouter(tags=["websocket"])

SEAT_SOCKET_ROLES = (Role.OPERATOR, Role.OFFICER, Role.SUPERVISOR)


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
                await self._ws.send_text(json.dumps(message, ensure_ascii=False))

    async def close(self, code: int = 1000) -> None:
        async with self._lock:
            if self._ws.application_state == WebSocketState.CONNECTED:
                await self._ws.close(code)


async def _refuse(socket: JsonSocket, code: str, message: str, status: int) -> None:
    await socket.send({"type": "error", "code": code, "message": message})
    await socket.close(4000 + status)


async def _frames(websocket: WebSocket):
    """Yields each text (or binary) payload until the client goes away."""
    while True:
        event = await websocket.receive()
        if event["type"] == "websocket.disconnect":
            return
        yield event.get("text") if event.get("text") is not None else event.get("bytes")


@router.websocket("/ws/phone/{token}")
async def phone_socket(websocket: WebSocket, token: str) -> None:
    services = phone_services(context(websocket))
    socket = JsonSocket(websocket)
    try:  # authenticate before accepting, so that an accepted socket is registered at once
        link = await to_thread.run_sync(services.invitations.resolve, token)
    except ServiceError as e:
        await websocket.accept()
        await _refuse(socket, e.code, e.message, e.status)
        return
    await to_thread.run_sync(services.invitations.touch, link.invitation_id)
    await websocket.accept()
    hub = services.hub
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
    ctx = context(websocket)
    hub = phone_services(ctx).hub
    socket = JsonSocket(websocket)
    try:
        principal = await to_thread.run_sync(ctx.auth.resolve, websocket.query_params.get("token", ""))
    except AuthError as e:
        await websocket.accept()
        await _refuse(socket, "unauthorized", str(e), 401)
        return
    await websocket.accept()
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
