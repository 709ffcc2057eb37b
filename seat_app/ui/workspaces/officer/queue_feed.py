"""Keeps the officer's queue live: the seat socket's ``officer_queue`` pushes, and while the socket is down,
a read of the awaiting cases every few seconds instead (as the operator's queue falls back to polling).

The officer's own SeatSocket (``socket_factory``), opened after login and again after a re-login.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from qasync import asyncSlot

from kuaichu_protocol.messages import CaseState, ToSeatMsg
from seat_app.services.api_client import ApiError
from seat_app.services.seat_socket import SeatSocket
from seat_app.ui.workspaces.officer.queue_items import from_cases, from_push
from seat_app.ui.workspaces.officer.queue_widget import OfficerQueueWidget

log = logging.getLogger(__name__)

SocketFactory = Callable[[str], SeatSocket]
#: how often the queue is read while the seat socket is down
POLL_MS = 5000


class QueueFeed(QObject):
    linkChanged = Signal(bool)
    sessionExpired = Signal()

    def __init__(self, queue: OfficerQueueWidget, socket_factory: SocketFactory, call: Callable[..., Awaitable[Any]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.queue = queue
        self.socket_factory = socket_factory
        self.call = call
        self.socket: SeatSocket | None = None
        self.stopped = False
        self._unsubscribe: list[Callable[[], None]] = []
        self.poll = QTimer(self, interval=POLL_MS)
        self.poll.timeout.connect(self.read_queue)

    def start(self, ws_url: str) -> None:
        self.stopped = False
        self.socket = self.socket_factory(ws_url)
        events = self.socket.events
        self._unsubscribe = [
            events.on("message", self._message),
            events.on("connected", lambda: self._link(True)),
            events.on("disconnected", lambda: self._link(False)),
            events.on("session_expired", self.sessionExpired.emit),
        ]
        self.socket.start()

    async def stop(self) -> None:
        self.stopped = True
        self.poll.stop()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        if self.socket is not None:
            await self.socket.stop()
        self.socket = None

    def _message(self, type: str, data: dict[str, Any]) -> None:  # noqa: A002 - the socket's keyword
        if type == ToSeatMsg.OFFICER_QUEUE:
            self.queue.set_items(from_push(list(data.get("items") or [])))

    def _link(self, up: bool) -> None:
        self.linkChanged.emit(up)
        if up:
            self.poll.stop()
        elif not self.stopped:
            self.poll.start()
            self.read_queue()

    @asyncSlot()
    async def read_queue(self) -> None:
        try:
            cases = await self.call("list_cases", [CaseState.AWAITING_LIABILITY.value])
        except ApiError as exc:
            log.info("officer queue not read: %s", exc.message)
            return
        if self.socket is None or not self.socket.connected:  # a push would be newer than this read
            self.queue.set_items(from_cases(cases))
