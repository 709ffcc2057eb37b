"""How the simulated phone reaches the server: the phone WebSocket and two HTTP calls.

Kept behind small interfaces so tests swap in memory versions (loopback.py,
MemoryPhotoStore) and nothing here knows about calls or media:

* ``PhoneTransport``: JSON messages over ``/ws/phone/{party_token}`` (PhoneMsg out, ToPhoneMsg in);
* ``PhotoUploader``: ``POST /api/phone/{party_token}/photos`` (multipart ``file``) -> ``{evidence_id, ...}``;
* ``report_accident``: the public-report flow that obtains a party token.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import ssl
from collections.abc import Awaitable, Callable
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import requests
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

log = logging.getLogger(__name__)


class PhoneTransport(Protocol):
    async def send(self, message: dict) -> None: ...

    async def receive(self) -> dict | None:
        """The next server message, or None once the connection is gone."""

    async def close(self) -> None: ...


Connector = Callable[[], Awaitable[PhoneTransport]]
PhotoUploader = Callable[[bytes, str], Awaitable[dict]]


def parse_invite(invite_url: str) -> tuple[str, str]:
    """``https://host/p/<token>`` -> (``https://host``, token)."""
    parts = urlsplit(invite_url)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[-2] != "p":
        raise ValueError(f"not an invitation link: {invite_url}")
    return urlunsplit((parts.scheme, parts.netloc, "", "", "")), segments[-1]


def phone_socket_url(server: str, party_token: str) -> str:
    parts = urlsplit(server)
    scheme = {"https": "wss", "http": "ws"}.get(parts.scheme, parts.scheme)
    return urlunsplit((scheme, parts.netloc, f"/ws/phone/{party_token}", "", ""))


class WebSocketPhoneTransport:
    def __init__(self, connection: ClientConnection) -> None:
        self._connection = connection

    @classmethod
    async def open(cls, server: str, party_token: str, verify_tls: bool = True) -> WebSocketPhoneTransport:
        url = phone_socket_url(server, party_token)
        context = None
        if url.startswith("wss:") and not verify_tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return cls(await connect(url, ssl=context, open_timeout=10))

    async def send(self, message: dict) -> None:
        try:
            await self._connection.send(json.dumps(message, ensure_ascii=False))
        except ConnectionClosed:
            log.info("phone socket closed while sending %s", message.get("type"))

    async def receive(self) -> dict | None:
        while True:
            try:
                raw = await self._connection.recv()
            except ConnectionClosed:
                return None
            try:
                return json.loads(raw)
            except ValueError:
                log.warning("server sent something that is not JSON; ignored")

    async def close(self) -> None:
        await self._connection.close()


def websocket_connector(server: str, party_token: str, verify_tls: bool = True) -> Connector:
    return lambda: WebSocketPhoneTransport.open(server, party_token, verify_tls)


class HttpPhotoUploader:
    """Uploads a full-resolution photo the way the phone page does."""

    def __init__(self, server: str, party_token: str, verify_tls: bool = True, timeout: float = 30) -> None:
        self.url = f"{server.rstrip('/')}/api/phone/{party_token}/photos"
        self.verify_tls = verify_tls
        self.timeout = timeout

    async def __call__(self, data: bytes, filename: str) -> dict:
        return await asyncio.to_thread(self._post, data, filename)

    def _post(self, data: bytes, filename: str) -> dict:
        reply = requests.post(self.url, files={"file": (filename, data, "image/jpeg")},
                              timeout=self.timeout, verify=self.verify_tls)
        reply.raise_for_status()
        return reply.json()


class MemoryPhotoStore:
    """A stand-in for the server's photo endpoint: keeps the bytes, names them by hash."""

    def __init__(self) -> None:
        self.photos: dict[str, bytes] = {}

    async def __call__(self, data: bytes, filename: str) -> dict:
        evidence_id = f"ev-{hashlib.sha256(data).hexdigest()[:12]}"
        self.photos[evidence_id] = data
        return {"evidence_id": evidence_id}


def request_code(server: str, phone: str, verify_tls: bool = True) -> None:
    """Ask the server to text a one-time code to ``phone`` (the demo keeps it in its SMS outbox)."""
    reply = requests.post(f"{server.rstrip('/')}/api/phone/codes", json={"phone": phone},
                          timeout=10, verify=verify_tls)
    reply.raise_for_status()


def report_accident(server: str, phone: str, code: str, verify_tls: bool = True) -> str:
    """File a public video report; returns the party token for the phone WebSocket."""
    reply = requests.post(f"{server.rstrip('/')}/api/phone/report",
                          json={"phone": phone, "code": code, "consent": True},
                          timeout=10, verify=verify_tls)
    reply.raise_for_status()
    return reply.json()["party_token"]
