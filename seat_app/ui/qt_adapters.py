"""Service events -> Qt signals, and nothing else.

Services announce things through :class:`seat_app.core.events.Emitter` on the
asyncio loop. Widgets only ever see these signals, so no widget is touched from
an aiortc callback or a worker thread (a signal emitted off the GUI thread is
queued to it by Qt).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from seat_app.core.events import Emitter


class SeatAdapter(QObject):
    queueChanged = Signal(list)
    linkChanged = Signal(bool)
    sessionStarted = Signal(object)
    sessionExpired = Signal()
    error = Signal(str, str)  # action, server message
    notice = Signal(str, dict)  # kind, data

    def __init__(self, emitter: Emitter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._off = [
            emitter.on("queue", lambda items: self.queueChanged.emit(list(items))),
            emitter.on("link", lambda up: self.linkChanged.emit(bool(up))),
            emitter.on("session", lambda session: self.sessionStarted.emit(session)),
            emitter.on("session_expired", self.sessionExpired.emit),
            emitter.on("error", lambda action, message: self.error.emit(action, message)),
            emitter.on("notice", lambda kind, data: self.notice.emit(kind, dict(data))),
        ]

    def detach(self) -> None:
        for off in self._off:
            off()


class SessionAdapter(QObject):
    caseChanged = Signal(object)
    checklistChanged = Signal(object)
    evidenceAdded = Signal(object, object)  # EvidenceRecord, RGB ndarray
    evidenceUpdated = Signal(object)
    evidenceRelabelled = Signal(object)  # EvidenceRecord, with the label OCR showed it has
    ledgerChanged = Signal(object)  # FieldLedger: conflicts, and captures awaiting their party
    callStateChanged = Signal(str)
    videoSizeChanged = Signal(int, int)
    phoneEvent = Signal(str, dict)
    error = Signal(str, str)
    sessionExpired = Signal()
    closed = Signal(str)

    def __init__(self, emitter: Emitter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._off = [
            emitter.on("case", lambda case: self.caseChanged.emit(case)),
            emitter.on("checklist", lambda checklist: self.checklistChanged.emit(checklist)),
            emitter.on("evidence_added", lambda record, image: self.evidenceAdded.emit(record, image)),
            emitter.on("evidence_updated", lambda record: self.evidenceUpdated.emit(record)),
            emitter.on("evidence_relabelled", lambda record: self.evidenceRelabelled.emit(record)),
            emitter.on("ledger", lambda ledger: self.ledgerChanged.emit(ledger)),
            emitter.on("call_state", lambda state: self.callStateChanged.emit(str(state))),
            emitter.on("video_size", lambda width, height: self.videoSizeChanged.emit(int(width), int(height))),
            emitter.on("phone_event", lambda name, data: self.phoneEvent.emit(str(name), dict(data or {}))),
            emitter.on("error", lambda action, message: self.error.emit(action, message)),
            emitter.on("session_expired", self.sessionExpired.emit),
            emitter.on("closed", lambda outcome: self.closed.emit(outcome)),
        ]

    def detach(self) -> None:
        for off in self._off:
            off()

