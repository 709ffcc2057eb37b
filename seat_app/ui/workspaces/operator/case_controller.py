"""Connects one case session to the panels, and the operator's intents to the session.

Created when a case is answered and dropped when it closes. Every intent arrives
through the operator controller (buttons, shortcuts and box clicks alike) and runs
as a coroutine on the qasync loop; the panels change only in reaction to the
session's events, so what the operator sees is what the session holds.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from kuaichu_protocol.messages import Command
from seat_app.core.attribution import KIND_PLATES, OPERATOR, REGISTRY, FieldLedger, Reading, Source
from seat_app.core.case import Case
from seat_app.core.checklist import Checklist
from seat_app.core.evidence import CaptureTarget, EvidenceRecord, OverlayItem, capture_plan
from seat_app.core.field_checks import shared_identifiers
from seat_app.core.phrases import shot_instruction
from seat_app.services.api_client import ApiError, SessionExpired
from seat_app.services.case_session import CaseSession
from seat_app.services.ports import VideoFrame
from seat_app.ui import labels
from seat_app.ui.qt_adapters import SessionAdapter
from seat_app.ui.workspaces.operator.operator_workspace import OperatorWorkspace
from seat_app.ui.workspaces.operator.wiring import CallAudio

log = logging.getLogger(__name__)

_WAITING_STATES = ("interrupted", "waiting")
_ON_CALL_STATES = ("in_call", "collecting")  # the server takes the weather and the notes only then


class CaseController(QObject):
    closed = Signal(str)  # outcome
    sessionExpired = Signal()

    def __init__(self, page: OperatorWorkspace, session: CaseSession, audio: CallAudio | None = None, *,
                 notify: Callable[[str, bool], None]) -> None:
        super().__init__(page)
        self.page = page
        self.notify = notify
        self.session = session
        self.audio = audio
        self.facing = "environment"
        self.weather = ""  # as saved on the server
        self._guided: str | None = None  # the shot the phone was last asked for (CaptureTarget.key)
        self._guidance: set[asyncio.Task] = set()
        self.adapter = SessionAdapter(session.events, self)
        self._connect()
        self._status_timer = QTimer(self, interval=500)
        self._status_timer.timeout.connect(self._show_call_status)
        self._status_timer.start()
        self._start()

    # --- wiring ----------------------------------------------------------------------
    def _connect(self) -> None:
        a = self.adapter
        a.caseChanged.connect(self._case_changed)
        a.checklistChanged.connect(self._checklist_changed)
        a.evidenceAdded.connect(self._evidence_added)
        a.evidenceUpdated.connect(self._evidence_updated)
        a.evidenceRelabelled.connect(self._evidence_relabelled)
        a.ledgerChanged.connect(self._show_ledger)
        a.callStateChanged.connect(self._call_state_changed)
        a.phoneEvent.connect(self._phone_event)
        a.error.connect(self._error)
        a.closed.connect(self._closed)
        a.sessionExpired.connect(self.sessionExpired)
        self.page.gallery.selected.connect(self._show_evidence)

    def _start(self) -> None:
        w = self.page
        w.gallery.clear()
        w.overlay.show_record(None, None)
        w.video.attach(self._latest_frame)
        w.instructions.setEnabled(True)
        w.notes.clear()
        asyncio.ensure_future(self._load_notes())
        if self.audio is not None and self.audio.warning:
            w.video.set_audio_warning(self.tr("音频设备不可用：{0}").format(self.audio.warning))
        self._case_changed(self.session.case)
        self._checklist_changed(self.session.checklist())
        self._call_state_changed(self.session.call_state)

    def detach(self) -> None:
        self._status_timer.stop()
        self.adapter.detach()
        self.page.gallery.selected.disconnect(self._show_evidence)
        w = self.page
        w.video.attach(None)
        w.video.set_banner("")
        w.video.set_recording(False)
        w.video.set_audio_warning("")
        w.show_banner("")
        w.instructions.setEnabled(False)
        w.notes.setEnabled(False)
        w.parties.set_case(None)
        w.checklist.set_checklist(None)

    def _latest_frame(self) -> VideoFrame | None:
        engine = self.session.engine
        return engine.latest_frame() if engine is not None else None

    # --- session -> panels --------------------------------------------------------------
    def _case_changed(self, case: Case) -> None:
        self.page.parties.set_case(case)
        self.page.gallery.set_parties([(p.id, p.position) for p in case.parties], case.can_add_vehicle)
        self._show_ledger(self.session.ledger)
        self.page.checklist.set_answers(case.answers)
        self.page.notes.setEnabled(case.state in _ON_CALL_STATES)
        self._update_targets()

    def _checklist_changed(self, checklist: Checklist) -> None:
        self.page.checklist.set_checklist(checklist)
        self._update_targets()

    def _update_targets(self) -> None:
        plan = capture_plan(self.session.case)
        target = self.session.capture_target()
        self.page.video.set_targets(plan, target)
        self._guide_phone(target)

    def _guide_phone(self, target: CaptureTarget) -> None:
        """下一张 tells the phone what to point at (甲方号牌, 乙方驾驶证...) over the data channel, whenever the
        proposed shot changes; the phone shows the words, and the simulated phone films that document.
        The first proposal (the scene) is what a phone shows anyway, so nothing is sent for it."""
        if self._guided is None or target.key == self._guided:
            self._guided = target.key
            return
        self._guided = target.key
        if self.session.engine is not None:
            args = {"text": shot_instruction(target.label, target.party_position), "shot": target.key}
            task = asyncio.ensure_future(self._send_guidance(args))
            self._guidance.add(task)  # the loop keeps only weak references to tasks
            task.add_done_callback(self._guidance.discard)

    async def _send_guidance(self, args: dict) -> None:
        try:
            await self.session.engine.command(Command.SHOW_INSTRUCTION, args, timeout=3.0)
        except Exception as exc:  # noqa: BLE001 - guidance only: a phone that missed it still shows the call
            log.info("next-shot guidance not shown on the phone: %s", exc)

    def _evidence_added(self, record: EvidenceRecord, image: np.ndarray) -> None:
        self.page.gallery.add(record, image)
        self._update_targets()

    def _evidence_updated(self, record: EvidenceRecord) -> None:
        self.page.gallery.update_record(record)
        shown = self.page.overlay.record
        if shown is not None and shown.local_id == record.local_id:
            self.page.overlay.show_record(record, self.session.images.get(record.local_id))

    def _show_ledger(self, ledger: FieldLedger) -> None:
        """Conflicts and shared identifiers on the fields; the captures that wait for their party."""
        conflicts = {key: tuple((c.value, self._source_text(c.source)) for c in candidates)
                     for key, candidates in ledger.conflicts.items()}
        self.page.parties.set_issues(conflicts, shared_identifiers(self.session.case))
        self.page.gallery.set_pending({i: _what_it_says(r) for i, r in ledger.pending.items()})

    def _source_text(self, source: Source) -> str:
        if source.kind == OPERATOR:
            return self.tr("操作员填写")
        if source.kind == REGISTRY:
            return self.tr("核验系统")
        number = next((n for n, r in enumerate(self.session.records, 1) if r.local_id == source.local_id), None)
        kind = labels.evidence_label("plate" if source.kind == KIND_PLATES else source.kind)
        return self.tr("第{0}张 {1}").format(number, kind) if number else kind

    def _evidence_relabelled(self, record: EvidenceRecord) -> None:
        shows = labels.evidence_label(record.label, record.extra.get("position"))
        self.show_notice(self.tr("识别为{0}，已自动归类").format(shows))

    def _show_evidence(self, local_id: int) -> None:
        record = self.session.record(local_id)
        self.page.overlay.show_record(record, self.session.images.get(local_id))

    def _call_state_changed(self, state: str) -> None:
        waiting = state in _WAITING_STATES
        text = labels.call_state_text(state)
        self.page.video.set_banner(text if waiting else "")
        self.page.show_banner(self.tr("案件保持打开：{0}").format(text) if waiting else "")
        self.page.video.set_call_active(state not in ("ended",) and self.session.engine is not None)

    def _show_call_status(self) -> None:
        engine = self.session.engine
        recorder = engine.recorder if engine is not None else None
        self.page.video.set_recording(bool(recorder is not None and recorder.recording))
        if engine is not None:
            self.page.video.set_call_status(labels.call_state_text(str(engine.stats().state)))

    def _phone_event(self, name: str, data: dict) -> None:
        if name == "camera_switched":
            self.facing = data.get("facing", self.facing)

    def _error(self, action: str, message: str) -> None:
        if action == "capture" and not message:
            message = self.tr("还没有收到视频画面")
        elif action.startswith("command:"):
            message = labels.command_error_text(message)
        self.show_notice(self.tr("{0}失败：{1}").format(labels.action_text(action), message), error=True)

    def show_notice(self, text: str, error: bool = False) -> None:
        self.notify(text, error)

    def _closed(self, outcome: str) -> None:
        self.show_notice(labels.outcome_text(outcome))
        self.closed.emit(outcome)

    # --- operator intents (awaited by the operator controller's async slots) ---------------
    async def capture(self) -> None:
        await self.session.capture()

    async def photo(self) -> None:
        await self.session.request_photo()

    async def switch_camera(self) -> None:
        facing = "user" if self.facing == "environment" else "environment"
        result = await self.session.command(Command.SWITCH_CAMERA, {"facing": facing})
        if result is not None:
            self.facing = result.get("facing", facing)

    async def torch(self, on: bool) -> None:
        if await self.session.command(Command.TORCH, {"on": on}) is None:
            self.page.video.torch_button.blockSignals(True)
            self.page.video.torch_button.setChecked(False)
            self.page.video.torch_button.blockSignals(False)

    def mute(self, on: bool) -> None:
        if self.audio is not None:
            self.audio.source.muted = on

    async def end_call(self) -> None:
        await self.session.end_call("operator")

    def choose_target(self, target: CaptureTarget) -> None:
        self.session.set_capture_target(target)
        self._guide_phone(target)

    async def apply_item(self, local_id: int, item: OverlayItem) -> None:
        await self.session.apply_item(local_id, item)

    async def apply_all(self, local_id: int | None = None) -> None:
        record = self.page.overlay.record if local_id is None else self.session.record(local_id)
        if record is not None:
            await self.session.apply_all(record.local_id)

    async def edit_field(self, party_id: int, name: str, value: str) -> None:
        await self.session.edit_field(party_id, name, value)

    async def choose_value(self, party_id: int, name: str, value: str) -> None:
        await self.session.choose_value(party_id, name, value)

    async def assign_capture(self, local_id: int, party_id: int) -> None:
        await self.session.assign(local_id, party_id)

    async def relabel_capture(self, local_id: int, label: str) -> None:
        await self.session.relabel(local_id, label)

    async def verify(self, party_id: int) -> None:
        await self.session.verify(party_id)

    async def verify_all(self) -> None:
        await self.session.verify_all()

    async def add_party(self, kind: str) -> None:
        await self.session.add_party(kind)

    async def answer_question(self, key: str, value: Any) -> None:
        await self.session.answer_question(key, value)

    async def confirm_safety(self) -> None:
        await self.session.confirm_safety()

    async def instruct(self, text: str) -> None:
        if await self.session.instruct(text):
            self.show_notice(self.tr("已推送：{0}").format(text))

    async def submit(self) -> None:
        await self.save_notes_now()
        await self.session.submit()

    async def escalate(self, reason: str) -> None:
        await self.save_notes_now()
        await self.session.escalate(reason)

    # --- operator case notes (issue 12) ------------------------------------------------------
    async def _load_notes(self) -> None:
        """A rejoined case shows what was recorded before the drop."""
        data = await self._save_or_read(self.session.api.get_case(self.session.case.id), quiet=True)
        notes = self.page.notes
        if data is None:
            return
        if not notes.weather():  # what the operator chose meanwhile stays
            self.weather = data.get("weather") or ""
            notes.set_weather(self.weather)
        if not notes.pending():
            notes.set_notes(data.get("operator_notes") or "")

    async def set_weather(self, weather: str) -> None:
        if await self._save_or_read(self.session.api.update_case(self.session.case.id, weather=weather)) is None:
            self.page.notes.set_weather(self.weather)  # the button goes back to what the server holds
            return
        self.weather = weather

    async def set_notes(self, text: str) -> None:
        if await self._save_or_read(self.session.api.update_case(self.session.case.id, notes=text)) is None:
            self.page.notes.mark_unsaved(text)
        else:
            self.page.notes.show_saved(datetime.now().strftime("%H:%M:%S"))

    async def save_notes_now(self) -> None:
        """Notes still being typed are saved before the case leaves the call."""
        text = self.page.notes.take_pending()
        if text is not None and self.session.case.state in _ON_CALL_STATES:
            await self.set_notes(text)

    async def _save_or_read(self, call: Any, quiet: bool = False) -> dict[str, Any] | None:
        try:
            return await call
        except SessionExpired:
            self.sessionExpired.emit()
        except ApiError as exc:
            if not quiet:
                self.show_notice(self.tr("保存天气和经过失败：{0}").format(exc.message), error=True)
        return None


def _what_it_says(reading: Reading) -> str:
    """The words that let the operator tell whose document it is: a name, a plate, a policy number; failing
    those (a 驾驶证 called a policy keeps only its dates), whatever it reads, so the question is never empty."""
    for name in ("driver_name", "owner", "plate", "policy_number", "vin", "id_number"):
        if reading.key(name):
            return reading.key(name)
    return next((value for _, value in reading.values), "")
