"""A logged-in seat: the live queue, answering, call signalling, and the one open case.

The seat socket brings the queue and the phone's signalling; while it is down the
queue is polled over REST so the operator never stares at a stale list. Answering
is REST (``POST /answer``): losing the race to another seat is a Conflict that
the UI shows as a notice, not an error dialog.

Events: ``queue(items)``, ``link(up)``, ``session(session)`` when a case is
answered, ``session_expired()``, ``error(action, message)``, ``notice(kind, data)``.

At start, recording segments an earlier run left on disk are sent to their cases
(``leftover_recordings``).
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kuaichu_protocol.messages import SeatMsg, ToSeatMsg
from seat_app.core import queue as queue_model
from seat_app.core.case import Case
from seat_app.core.events import Emitter
from seat_app.services.api_client import ApiError, AsyncApi, Conflict, SessionExpired
from seat_app.services import leftover_recordings
from seat_app.services.case_session import CaseSession
from seat_app.services.ocr_port import NullOcr, OcrPort
from seat_app.services.ports import ApiPort, CallEnginePort, EngineFactory, RecordingSegment, SegmentUpload
from seat_app.services.seat_socket import SeatSocket

log = logging.getLogger(__name__)

POLL_S = 3.0

class Seat:
    def __init__(self, client: ApiPort, *, engine_factory: EngineFactory | None = None,
                 ocr: OcrPort | None = None, recordings_dir: Path | None = None,
                 socket_factory: Callable[[str], SeatSocket] = SeatSocket,
                 engine_dropped: Callable[[str], None] | None = None) -> None:
        self.client = client
        self.api = AsyncApi(client)
        self.engine_factory = engine_factory
        self.engine_dropped = engine_dropped
        self.ocr = ocr or NullOcr()
        self.recordings_dir = recordings_dir
        self.socket_factory = socket_factory
        self.events = Emitter()
        self.queue: list[queue_model.QueueItem] = []
        self.queue_model = queue_model.QueueModel()  # kept from the socket's queue frames
        self.session: CaseSession | None = None
        self.socket: SeatSocket | None = None
        self.signalling: Any = None
        self._poller: asyncio.Task | None = None
        self._tasks: set[asyncio.Task] = set()
        self._reattaching: set[int] = set()  # cases being answered again after their party rejoined

    # --- starting and stopping ---------------------------------------------------
    def start(self) -> None:
        """After login: open the socket and poll the queue until it is up."""
        self.socket = self.socket_factory(self.client.ws_url)
        self.socket.events.on("message", self._on_message)
        self.socket.events.on("connected", lambda: self.events.emit("link", up=True))
        self.socket.events.on("disconnected", lambda: self.events.emit("link", up=False))
        self.socket.events.on("session_expired", lambda: self.events.emit("session_expired"))
        self.signalling = _make_signalling(self._send_signal)
        self.socket.start()
        self._poller = asyncio.ensure_future(self._poll_queue())
        if self.recordings_dir is not None:
            self._spawn(self.send_leftover_recordings())

    async def send_leftover_recordings(self) -> leftover_recordings.Leftovers:
        """Recording segments an earlier run could not upload (a crash, a long outage) go to their cases now."""
        busy = frozenset({self.session.case.id}) if self.session is not None else frozenset()
        result = await leftover_recordings.upload_leftovers(self.api, self.recordings_dir, busy)
        if result:
            self.events.emit("notice", kind="leftover_recordings", data={
                "uploaded": len(result.uploaded), "rejected": len(result.rejected), "kept": len(result.kept)})
        return result

    async def shutdown(self) -> None:
        """Closing the app: hand back the open case, end its call, close the socket and every peer."""
        if self.session is not None and not self.session.closed:
            await self.session.shutdown()
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
        if self.socket is not None:
            await self.socket.stop()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # --- queue ----------------------------------------------------------------------
    async def _poll_queue(self) -> None:
        while True:
            if self.socket is None or not self.socket.connected:
                await self.refresh_queue()
            await asyncio.sleep(POLL_S)

    async def refresh_queue(self) -> None:
        try:
            cases = await self.api.list_cases(["queued"])
        except SessionExpired:
            self.events.emit("session_expired")
            return
        except ApiError as exc:
            self.events.emit("error", action="queue", message=exc.message)
            return
        items = queue_model.from_cases(cases)
        self.queue_model.replace(items)
        self._set_queue(items)

    def _set_queue(self, items: list[queue_model.QueueItem]) -> None:
        self.queue = items
        self.events.emit("queue", items=items)

    # --- socket messages ------------------------------------------------------------------
    def _on_message(self, type: str, data: dict[str, Any]) -> None:  # noqa: A002 - the wire's name
        if type in (ToSeatMsg.QUEUE, ToSeatMsg.QUEUE_CHANGES):
            applied = self.queue_model.apply(type, data)
            if applied == queue_model.Applied.CHANGED:
                self._set_queue(self.queue_model.items)
                self._reattach_if_back_for_me()
            elif applied == queue_model.Applied.RESYNC and self.socket is not None:
                self._spawn(self.socket.send(SeatMsg.QUEUE_RESYNC))  # a frame was missed: the whole queue again
        elif type == ToSeatMsg.SIGNAL:
            self._spawn(self._route_signal(data))
        elif type == ToSeatMsg.PHONE_LEFT:
            self._on_phone_left(data.get("case_id"))
        elif type == ToSeatMsg.PHONE_REJOINED:
            self._on_phone_rejoined(data.get("case_id"))
        elif type == ToSeatMsg.CASE_UPDATED:
            self._on_case_updated(data)
        elif type == ToSeatMsg.ERROR:
            self.events.emit("error", action="socket", message=str(data.get("message", "")))

    def _mine(self, case_id: Any) -> CaseSession | None:
        session = self.session
        if session is not None and not session.closed and str(case_id) == str(session.case.id):
            return session
        return None

    async def _route_signal(self, data: dict[str, Any]) -> None:
        if self.signalling is not None and data.get("case_id") is not None:
            await self.signalling.handle({**data, "type": ToSeatMsg.SIGNAL, "case_id": str(data["case_id"])})

    def _on_phone_left(self, case_id: Any) -> None:
        session = self._mine(case_id)
        if session is not None:
            session.on_phone_left()

    def _on_phone_rejoined(self, case_id: Any) -> None:
        session = self._mine(case_id)
        if session is not None and session.case.id not in self._reattaching:
            self._reattaching.add(session.case.id)  # phone_rejoined and the queue both tell: one answer
            self._spawn(self._reattach(session))

    def _reattach_if_back_for_me(self) -> None:
        """The open case back in the queue, held for this seat: its party rejoined. ``phone_rejoined`` says so,
        but reaches only the sockets open at that moment; after this seat's own socket was away (a server
        restart), the queue is how it learns."""
        session = self._mine(self.session.case.id) if self.session is not None else None
        if session is None or session.case.id in self._reattaching:
            return
        if any(i.case_id == session.case.id and i.rejoining and i.preferred_seat for i in self.queue_model.items):
            self._reattaching.add(session.case.id)
            self._spawn(self._reattach(session))

    async def _reattach(self, session: CaseSession) -> None:
        try:
            if await session.reattach():  # answered: out of the queue here now, before the server's change says so
                self.queue_model.remove(session.case.id)
                self._set_queue([i for i in self.queue if i.case_id != session.case.id])
        finally:
            self._reattaching.discard(session.case.id)

    def _on_case_updated(self, data: dict[str, Any]) -> None:
        session = self._mine(data.get("case_id"))
        if session is None:
            return
        if data.get("what") in ("photo", "photo_uploaded") and isinstance(data.get("evidence_id"), int):
            self._spawn(session.take_phone_photo(data["evidence_id"]))
        self._spawn(session.refresh())

    async def _send_signal(self, message: dict[str, Any]) -> None:
        """The engines speak string case ids; the server's are integers."""
        message = dict(message)
        case_id = message.get("case_id")
        if isinstance(case_id, str) and case_id.isdigit():
            message["case_id"] = int(case_id)
        if self.socket is not None:
            await self.socket.send(message.pop("type"), **message)

    async def _send_hangup(self, case_id: int, reason: str) -> None:
        if self.socket is not None:
            await self.socket.send(SeatMsg.HANGUP, case_id=case_id, reason=reason)

    # --- answering ----------------------------------------------------------------------
    async def answer(self, case_id: int) -> CaseSession | None:
        """Take a case from the queue; None (with a notice) if another seat was faster."""
        if self.session is not None and not self.session.closed:
            self.events.emit("notice", kind="busy", data={})
            return None
        # Registered before answering: the phone's offer can arrive before the REST reply does.
        engine = self._new_engine(case_id)
        try:
            reply = await self.api.answer(case_id)
        except Conflict as exc:
            await self._drop_engine(case_id, engine)
            self.events.emit("notice", kind="lost_race", data={"message": exc.message})
            await self.refresh_queue()
            return None
        except SessionExpired:
            await self._drop_engine(case_id, engine)
            self.events.emit("session_expired")
            return None
        except ApiError as exc:
            await self._drop_engine(case_id, engine)
            self.events.emit("error", action="answer", message=exc.message)
            return None
        case = Case.from_json(reply["case"])
        if engine is not None:
            engine.configure(reply.get("ice_servers") or [], reply.get("ice_transport_policy") or "all")
        session = CaseSession(self.api, case, engine=engine, ocr=self.ocr, on_hangup=self._send_hangup)
        session.events.on("closed", lambda outcome: self._spawn(self.refresh_queue()))
        self.session = session
        self.queue_model.remove(case_id)
        self._set_queue([i for i in self.queue if i.case_id != case_id])
        self.events.emit("session", session=session)
        self._spawn(session.refresh_evaluation())
        return session

    def _new_engine(self, case_id: int) -> CallEnginePort | None:
        if self.engine_factory is None:
            return None
        directory = self.recordings_dir / f"case-{case_id}" if self.recordings_dir is not None else None
        engine = self.engine_factory(str(case_id), [], directory, self._recording_uploader(case_id))
        engine.expect_configuration()  # the ICE servers and policy come with the answer's reply
        if self.signalling is not None:
            self.signalling.open(engine)
        return engine

    async def _drop_engine(self, case_id: int, engine: CallEnginePort | None) -> None:
        if engine is None:
            return
        if self.signalling is not None:
            self.signalling.engines.pop(str(case_id), None)
        with contextlib.suppress(Exception):
            await engine.close()
        if self.engine_dropped is not None:
            self.engine_dropped(str(case_id))

    def _recording_uploader(self, case_id: int) -> SegmentUpload:
        async def upload(segment: RecordingSegment) -> None:
            data = await asyncio.get_running_loop().run_in_executor(None, Path(segment.path).read_bytes)
            await self.api.upload_recording(case_id, data, filename=Path(segment.path).name,
                                            label=f"segment-{segment.index}")
        return upload

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _make_signalling(send: Callable[[dict], Any]) -> Any:
    """The call package's router; absent (None) only in builds without aiortc."""
    try:
        from seat_app.services.call.signalling import SeatSignalling
    except ImportError:  # pragma: no cover - aiortc is a hard dependency of the real seat
        return None
    return SeatSignalling(send)
