"""Every RTCPeerConnection the seat opens, so that none outlives the app.

aiortc keeps UDP sockets, a DTLS session and several tasks per connection; one
that is never closed keeps them all. The registry drops (and closes) a
connection as soon as it reaches ``failed`` or ``closed``, and ``close_all``
is the last thing the app awaits before quitting.
"""
from __future__ import annotations

import asyncio
import logging

from aiortc import RTCConfiguration, RTCIceServer, RTCIceTransportPolicy, RTCPeerConnection

log = logging.getLogger(__name__)

_DEAD_STATES = ("failed", "closed")


def rtc_configuration(ice_servers: list[dict] | None, policy: str = "all") -> RTCConfiguration:
    """ICE servers as the server hands them out: ``[{"urls", "username"?, "credential"?}]``.

    None and ``[]`` both mean *no* servers. aiortc's own default is Google's STUN,
    which stalls candidate gathering for seconds on a network without it.
    aiortc uses at most one STUN and one TURN server of the list. ``policy`` "relay" (the server's
    ``ice_transport_policy``) gathers only TURN-relayed candidates and pairs only with the remote's
    relayed ones, as the browser's ``iceTransportPolicy: "relay"`` does.
    """
    servers = [
        RTCIceServer(urls=s["urls"], username=s.get("username"), credential=s.get("credential"))
        for s in ice_servers or []
    ]
    return RTCConfiguration(iceServers=servers, iceTransportPolicy=RTCIceTransportPolicy(policy))


class PeerRegistry:
    def __init__(self) -> None:
        self._peers: set[RTCPeerConnection] = set()
        self._closing: set[asyncio.Task] = set()

    def create(self, ice_servers: list[dict] | None = None, policy: str = "all") -> RTCPeerConnection:
        pc = RTCPeerConnection(rtc_configuration(ice_servers, policy))
        self._peers.add(pc)
        pc.on("connectionstatechange", lambda: self._on_state(pc))
        return pc

    def __len__(self) -> int:
        return len(self._peers)

    def __contains__(self, pc: object) -> bool:
        return pc in self._peers

    def _on_state(self, pc: RTCPeerConnection) -> None:
        if pc.connectionState not in _DEAD_STATES or pc not in self._peers:
            return
        self._peers.discard(pc)
        if pc.connectionState == "failed":  # "closed" means aiortc is already shutting it down
            log.info("peer connection failed; closing it")
            task = asyncio.ensure_future(pc.close())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    async def close(self, pc: RTCPeerConnection) -> None:
        self._peers.discard(pc)
        await pc.close()

    async def close_all(self) -> None:
        peers, self._peers = list(self._peers), set()
        results = await asyncio.gather(*(pc.close() for pc in peers), *self._closing, return_exceptions=True)
        for result in results:
            if isinstance(result, Exception):
                log.warning("closing a peer connection failed: %r", result)
