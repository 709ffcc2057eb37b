"""Routes the server's call signalling to CallEngines, so engines never see a WebSocket.

The seat's WebSocket client hands every ``ToSeatMsg`` it receives to
``SeatSignalling.handle``; what the router has to say back (``SeatMsg`` dicts)
goes out through the ``send`` coroutine it was given. In tests and in the
one-process demo, ``phone_sim.loopback.LoopbackHub`` plays the server.

Messages (kuaichu_protocol): ``{"type": "signal", "case_id", "sdp": {"type", "sdp"}}``
or ``{"type": "signal", "case_id", "candidate": {...}}`` both ways; ``phone_left``
interrupts the call; the seat's ``hangup`` ends it.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from kuaichu_protocol.messages import SeatMsg, ToSeatMsg

from .engine import CallEngine, OfferError

log = logging.getLogger(__name__)

Send = Callable[[dict], Awaitable[None]]
CaseId = str | int  # the server's case ids are integers; the loopback hub uses strings
EngineFactory = Callable[[CaseId], CallEngine]


class SeatSignalling:
    def __init__(self, send: Send, engine_factory: EngineFactory | None = None) -> None:
        """``engine_factory(case_id)`` makes an engine for an offer on a case nobody opened (demo, CLI)."""
        self.send = send
        self.engine_factory = engine_factory
        self.engines: dict[str, CallEngine] = {}

    def open(self, engine: CallEngine) -> CallEngine:
        """Register the engine for a case the seat has just answered."""
        self.engines[engine.case_id] = engine
        return engine

    def engine(self, case_id: CaseId) -> CallEngine | None:
        return self.engines.get(case_id)

    async def handle(self, message: dict) -> None:
        """Act on one server message; anything that is not call signalling is ignored."""
        kind, case_id = message.get("type"), message.get("case_id")
        if not isinstance(case_id, (str, int)) or isinstance(case_id, bool):
            return
        if kind == ToSeatMsg.SIGNAL:
            await self._on_signal(case_id, message)
        elif kind == ToSeatMsg.PHONE_LEFT and case_id in self.engines:
            self.engines[case_id].mark_interrupted()

    async def _on_signal(self, case_id: CaseId, message: dict) -> None:
        engine = self._engine_for(case_id)
        if engine is None:
            log.warning("signal for case %s, which has no call here", case_id)
            return
        sdp, candidate = message.get("sdp"), message.get("candidate")
        if isinstance(sdp, dict) and sdp.get("type") == "offer" and isinstance(sdp.get("sdp"), str):
            await self._answer(engine, sdp["sdp"])
        elif isinstance(candidate, dict):
            await self._add_candidate(engine, candidate)
        else:
            log.warning("case %s: unusable signal %s", case_id, sorted(message))

    def _engine_for(self, case_id: CaseId) -> CallEngine | None:
        if case_id not in self.engines and self.engine_factory is not None:
            self.engines[case_id] = self.engine_factory(case_id)
        return self.engines.get(case_id)

    async def _answer(self, engine: CallEngine, offer_sdp: str) -> None:
        try:
            answer = await engine.accept_offer(offer_sdp)
        except OfferError as exc:
            log.warning("case %s: cannot answer the offer: %s", engine.case_id, exc)
            return
        await self.send({"type": SeatMsg.SIGNAL, "case_id": engine.case_id,
                         "sdp": {"type": "answer", "sdp": answer}})

    async def _add_candidate(self, engine: CallEngine, candidate: dict) -> None:
        try:
            await engine.add_candidate(candidate)
        except (ValueError, KeyError, IndexError) as exc:
            log.warning("case %s: bad ICE candidate: %r", engine.case_id, exc)

    async def hangup(self, case_id: CaseId, reason: str = "operator") -> None:
        """End the call on this side and tell the server."""
        engine = self.engines.pop(case_id, None)
        if engine is not None:
            await engine.hangup(reason)
        await self.send({"type": SeatMsg.HANGUP, "case_id": case_id, "reason": reason})

    async def close_all(self) -> None:
        engines, self.engines = list(self.engines.values()), {}
        for engine in engines:
            await engine.close()
