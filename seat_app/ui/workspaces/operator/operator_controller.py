"""The operator's flow: watch the queue, answer, hand the case to a CaseController, stop cleanly.

Every operator intent (button, shortcut, click on an OCR box) enters here, is
counted in the case's action log, and is delegated. Network work is awaited on
the qasync loop (the REST client runs in executors), so the window never
freezes; failures become a line in the window's notice, and an expired session
is passed to the shell, which brings back the login dialog.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPlainTextEdit
from qasync import asyncSlot

from seat_app.core.actions import ActionLog
from seat_app.core.seat_settings import SeatSettings
from seat_app.services.api_client import SessionExpired
from seat_app.services.case_session import CaseSession
from seat_app.services.ocr_port import OcrPort
from seat_app.services.ports import ApiPort
from seat_app.services.seat import Seat
from seat_app.services.seat_socket import SeatSocket
from seat_app.ui import labels
from seat_app.ui.dialogs.escalate_dialog import EscalateDialog
from seat_app.ui.main_window import MainWindow
from seat_app.ui.qt_adapters import SeatAdapter
from seat_app.ui.workspaces.operator.case_controller import CaseController
from seat_app.ui.workspaces.operator.operator_workspace import OperatorWorkspace
from seat_app.ui.workspaces.operator.wiring import CallWiring
from seat_app.ui.workspaces.workspace import Workspace

log = logging.getLogger(__name__)

#: makes the seat socket from its address (``SeatSocket``, or a fake in the UI tests)
SocketFactory = Callable[[str], SeatSocket]


class OperatorController(Workspace):
    def __init__(self, window: MainWindow, settings: SeatSettings, *, ocr: OcrPort | None = None,
                 call_wiring: CallWiring | None = None, recordings_dir: Path | None = None,
                 socket_factory: SocketFactory = SeatSocket) -> None:
        page = OperatorWorkspace()
        title = QCoreApplication.translate("OperatorController", "接警处理")
        super().__init__("operator", title, page, window)
        self.page: OperatorWorkspace = page
        self.window = window
        self.settings = settings
        self.ocr = ocr
        self.call_wiring = call_wiring
        self.recordings_dir = recordings_dir
        self.socket_factory = socket_factory
        self.actions = ActionLog()
        self.escalate_dialog: EscalateDialog | None = None
        self.submit_dialog: QMessageBox | None = None
        self.seat: Seat | None = None
        self.seat_adapter: SeatAdapter | None = None
        self.case: CaseController | None = None
        self.shortcuts: dict[str, QShortcut] = {}
        self._queue_count: int | None = None
        self._connect_widgets()
        self._install_shortcuts()

    # --- the workspace's life ----------------------------------------------------------
    def _log_queue(self, items: list) -> None:
        """One line each time the number of waiting calls changes (the demo's test watches for it)."""
        if len(items) != self._queue_count:
            self._queue_count = len(items)
            log.info("queue shows %d call(s)", len(items))

    def start(self, client: ApiPort) -> None:
        wiring = self.call_wiring
        self.seat = Seat(client, engine_factory=wiring.make_engine if wiring else None, ocr=self.ocr,
                         recordings_dir=self.recordings_dir, socket_factory=self.socket_factory,
                         engine_dropped=wiring.release if wiring else None)
        self.seat_adapter = SeatAdapter(self.seat.events, self)
        self.seat_adapter.queueChanged.connect(self.page.queue.set_items)
        self.seat_adapter.queueChanged.connect(self._log_queue)
        self.seat_adapter.linkChanged.connect(self._link_changed)
        self.seat_adapter.sessionStarted.connect(self._session_started)
        self.seat_adapter.sessionExpired.connect(self.sessionExpired)
        self.seat_adapter.error.connect(self._seat_error)
        self.seat_adapter.notice.connect(self._seat_notice)
        self._link_changed(False)
        self.seat.start()

    def resume(self) -> None:
        """A re-login: the same seat, a fresh socket with the new token."""
        if self.seat is not None:
            asyncio.ensure_future(self._restart_socket())

    async def _restart_socket(self) -> None:
        if self.seat.socket is not None:
            await self.seat.socket.stop()
        self.seat.start()

    def busy_reason(self) -> str:
        return self.tr("请先处理完当前案件") if self.case is not None else ""

    async def stop(self) -> None:
        """End the call (recording flushed, peer closed, server told) and close the socket."""
        if self.seat is not None:
            await self.seat.shutdown()
        if self.case is not None:
            self._case_closed("shutdown")
        if self.seat_adapter is not None:
            self.seat_adapter.detach()
        self.seat = None
        self.window.set_link(None)

    def dispose(self) -> None:
        for shortcut in self.shortcuts.values():
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self.shortcuts.clear()
        super().dispose()

    def _notify(self, text: str, error: bool = False) -> None:
        self.window.show_notice(text, error=error)

    def _link_changed(self, up: bool) -> None:
        self.window.set_link(up)

    def _seat_error(self, action: str, message: str) -> None:
        self._notify(self.tr("{0}失败：{1}").format(labels.action_text(action), message), error=True)

    def _seat_notice(self, kind: str, data: dict) -> None:
        if kind == "lost_race":
            self._notify(self.tr("该案件已被其他坐席接听：{0}").format(data.get("message", "")), error=True)
        elif kind == "busy":
            self._notify(self.tr("请先处理完当前案件"), error=True)
        elif kind == "leftover_recordings":
            self._notify(self._leftover_text(data), error=bool(data.get("rejected") or data.get("kept")))

    def _leftover_text(self, data: dict) -> str:
        parts = []
        if data.get("uploaded"):
            parts.append(self.tr("已补传上次未上传的录像 {0} 段").format(data["uploaded"]))
        if data.get("rejected"):
            parts.append(self.tr("{0} 段录像不完整，已移至 rejected 文件夹").format(data["rejected"]))
        if data.get("kept"):
            parts.append(self.tr("{0} 段录像待下次登录后上传").format(data["kept"]))
        return self.tr("；").join(parts)

    # --- cases ----------------------------------------------------------------------------
    @asyncSlot(int)
    async def answer(self, case_id: int) -> None:
        if self.seat is not None:
            await self.seat.answer(case_id)

    def _session_started(self, session: CaseSession) -> None:
        self.actions.reset()
        audio = self.call_wiring.audio(str(session.case.id)) if self.call_wiring else None
        self.case = CaseController(self.page, session, audio, notify=self._notify)
        self.case.closed.connect(self._case_closed)
        self.case.sessionExpired.connect(self.sessionExpired)
        self.page.queue.set_busy(True)
        self._notify(self.tr("已接听案件 {0}").format(session.case.number))

    def _case_closed(self, outcome: str) -> None:
        log.info("case closed (%s) after %d operator actions: %s", outcome, self.actions.count, self.actions.summary())
        if self.case is not None:
            self.case.detach()
            self.case.deleteLater()
            if self.call_wiring is not None:
                self.call_wiring.release(str(self.case.session.case.id))
        self.case = None
        self.page.queue.set_busy(False)

    # --- operator intents -------------------------------------------------------------------
    def _connect_widgets(self) -> None:
        w = self.page
        w.queue.answerRequested.connect(self.answer)
        w.video.captureRequested.connect(lambda: self.act("capture"))
        w.video.photoRequested.connect(lambda: self.act("photo"))
        w.video.switchCameraRequested.connect(lambda: self.act("switch_camera"))
        w.video.torchToggled.connect(lambda on: self.act("torch", on))
        w.video.muteToggled.connect(lambda on: self.act("mute", on))
        w.video.endCallRequested.connect(lambda: self.act("end_call"))
        w.video.targetChosen.connect(lambda target: self.act("choose_target", target))
        w.overlay.boxClicked.connect(lambda local_id, item: self.act("apply_item", local_id, item))
        w.overlay.applyAllRequested.connect(lambda local_id: self.act("apply_all", local_id))
        w.parties.fieldEdited.connect(lambda pid, name, value: self.act("edit_field", pid, name, value))
        w.parties.valueChosen.connect(lambda pid, name, value: self.act("choose_value", pid, name, value))
        w.gallery.assignRequested.connect(lambda local_id, pid: self.act("assign_capture", local_id, pid))
        w.gallery.relabelRequested.connect(lambda local_id, label: self.act("relabel_capture", local_id, label))
        w.parties.verifyRequested.connect(lambda pid: self.act("verify", pid))
        w.parties.verifyAllRequested.connect(lambda: self.act("verify_all"))
        w.parties.addPartyRequested.connect(lambda kind: self.act("add_party", kind))
        w.checklist.answerGiven.connect(lambda key, value: self.act("answer_question", key, value))
        w.checklist.safetyConfirmed.connect(lambda: self.act("confirm_safety"))
        w.checklist.submitRequested.connect(self.confirm_submit)
        w.checklist.escalateRequested.connect(self.open_escalate)
        w.instructions.instructionRequested.connect(lambda text: self.act("instruct", text))
        w.notes.weatherChosen.connect(lambda weather: self.act("set_weather", weather))
        w.notes.notesEdited.connect(lambda text: self.act("set_notes", text))

    def act(self, name: str, *args: Any) -> None:
        """One operator action: count it, then run the case controller's handler for it."""
        if self.case is None:
            return
        self.actions.record(name)
        result = getattr(self.case, name)(*args)
        if asyncio.iscoroutine(result):
            task = asyncio.ensure_future(result)
            task.add_done_callback(_report_failure)

    def open_escalate(self) -> None:
        if self.case is None:
            return
        self.actions.record("escalate")
        failed = self.case.session.checklist().failed  # what rules out video processing, as the reason
        dialog = EscalateDialog("；".join(dict.fromkeys(i.reason for i in failed if i.reason)), parent=self.window)
        dialog.accepted.connect(lambda: self.act("escalate", dialog.text()))
        dialog.finished.connect(dialog.deleteLater)
        self.escalate_dialog = dialog
        dialog.open()

    def confirm_submit(self) -> None:
        """Submitting ends the call and sends the driver away: the operator confirms, seeing who and which cars."""
        if self.case is None or (self.submit_dialog is not None and self.submit_dialog.isVisible()):
            return
        case = self.case.session.case
        dialog = QMessageBox(QMessageBox.Icon.Question, self.tr("提交责任认定"),
                             self.tr("提交案件 {0} 给民警认定责任？").format(case.number),
                             QMessageBox.StandardButton.NoButton, self.window)
        dialog.setInformativeText(self.tr("{0}\n\n提交后通话结束，当事人会被告知立即撤离现场。").format(
            "\n".join(self._party_line(p) for p in case.parties)))
        confirm = dialog.addButton(self.tr("提交并结束通话"), QMessageBox.ButtonRole.AcceptRole)
        keep = dialog.addButton(self.tr("继续采集"), QMessageBox.ButtonRole.RejectRole)
        dialog.setDefaultButton(keep)
        dialog.setEscapeButton(keep)
        dialog.buttonClicked.connect(lambda button: self.act("submit") if button is confirm else None)
        dialog.finished.connect(dialog.deleteLater)
        self.submit_dialog = dialog
        dialog.open()

    def _party_line(self, party) -> str:
        name = party.value("driver_name") or self.tr("（未填姓名）")
        if not party.is_motor:
            plate = self.tr("非机动车")
        else:
            plate = party.value("plate") or self.tr("（未填号牌）")
        return f"{labels.party_name(party.position)}：{name}  {plate}"

    def _install_shortcuts(self) -> None:
        video = self.page.video
        handlers = {
            "answer": self._shortcut_answer,
            "capture": lambda: self.act("capture"),
            "photo": lambda: self.act("photo"),
            "switch_camera": lambda: self.act("switch_camera"),
            "torch": video.torch_button.toggle,
            "mute": video.mute_button.toggle,
            "end_call": lambda: self.act("end_call"),
            "apply_all": lambda: self.act("apply_all"),
            "verify_all": lambda: self.act("verify_all"),
            "submit": self._shortcut_submit,
            "escalate": self.open_escalate,
        }
        for action, handler in handlers.items():
            shortcut = QShortcut(QKeySequence(self.settings.shortcut(action)), self.window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self._guarded(handler))
            self.shortcuts[action] = shortcut
        self._show_shortcut_hints()

    def _guarded(self, handler: Callable[[], None]) -> Callable[[], None]:
        """Keys act only while this workspace is shown, and single keys not while the operator types."""
        def run() -> None:
            if self.window.current_workspace() is not self.page:
                return
            if not isinstance(QApplication.focusWidget(), (QLineEdit, QPlainTextEdit)):
                handler()
        return run

    def _shortcut_answer(self) -> None:
        if self.case is None:
            self.page.queue.answer_selected()

    def _shortcut_submit(self) -> None:
        if self.page.checklist.submit_button.isEnabled():
            self.confirm_submit()

    def _show_shortcut_hints(self) -> None:
        keys = {a: QKeySequence(self.settings.shortcut(a)).toString(QKeySequence.SequenceFormat.NativeText)
                for a in self.shortcuts}
        w = self.page
        w.video.set_shortcuts(keys)
        w.queue.set_shortcut_hint(keys["answer"])
        w.overlay.set_shortcut_hint(keys["apply_all"])
        w.parties.set_shortcut_hint(keys["verify_all"])
        w.checklist.set_shortcuts(keys)

    def apply_settings(self, settings: SeatSettings) -> None:
        self.settings = settings
        for action, shortcut in self.shortcuts.items():
            shortcut.setKey(QKeySequence(settings.shortcut(action)))
        self.page.video.set_fps(settings.display_fps)
        self._show_shortcut_hints()


def _report_failure(task: asyncio.Task) -> None:
    if task.cancelled():
        return
    exc = task.exception()
    if isinstance(exc, SessionExpired):
        return  # the socket or the next call brings the login back
    if exc is not None:
        log.error("operator action failed", exc_info=exc)
