"""The seat's top-level flow: log in, watch the queue, answer, hand the case to a CaseController, close cleanly.

Every operator intent (button, shortcut, click on an OCR box) enters here, is
counted in the case's action log, and is delegated. Network work is awaited on
the qasync loop (the REST client runs in executors), so the window never
freezes; failures become a line in the toolbar, and an expired session or an
unreachable server brings back the login dialog with the reason and a retry.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit
from qasync import asyncSlot

from seat_app import settings as settings_store
from seat_app.core.actions import ActionLog
from seat_app.core.seat_settings import SeatSettings
from seat_app.services.api_client import ApiClient, ApiError, SessionExpired, Unreachable
from seat_app.services.case_session import CaseSession
from seat_app.services.ocr_port import OcrPort
from seat_app.services.seat import Seat
from seat_app.services.seat_socket import SeatSocket
from seat_app.ui import labels
from seat_app.ui.case_controller import CaseController
from seat_app.ui.dialogs.escalate_dialog import EscalateDialog
from seat_app.ui.dialogs.login_dialog import LoginDialog
from seat_app.ui.dialogs.settings_dialog import SettingsDialog
from seat_app.ui.main_window import MainWindow
from seat_app.ui.qt_adapters import SeatAdapter

log = logging.getLogger(__name__)

#: seat_app.app.CallWiring or a test double: ``make_engine(case_id, ice_servers, recording_dir, upload)``,
#: ``audio(case_id)`` and ``release(case_id)``.
CallWiring = Any


class SeatController(QObject):
    finished = Signal()  # the app may quit: the window closed (or login was abandoned) and all is shut down

    def __init__(self, settings: SeatSettings, *, ocr: OcrPort | None = None, call_wiring: CallWiring | None = None,
                 save_settings: bool = True, recordings_dir: Any = None,
                 client_factory: Callable[..., Any] = ApiClient, socket_factory: Callable[[str], Any] = SeatSocket) -> None:
        super().__init__()
        self.client_factory = client_factory
        self.socket_factory = socket_factory
        self.settings = settings
        self.ocr = ocr
        self.call_wiring = call_wiring
        self.save_settings = save_settings
        self.recordings_dir = recordings_dir
        self.actions = ActionLog()
        self.window = MainWindow()
        self.window.on_close = self.shutdown
        self.login_dialog: LoginDialog | None = None
        self.escalate_dialog: EscalateDialog | None = None
        self.client: ApiClient | None = None
        self.seat: Seat | None = None
        self.seat_adapter: SeatAdapter | None = None
        self.case: CaseController | None = None
        self.shortcuts: dict[str, QShortcut] = {}
        self._shut_down = False
        self._connect_widgets()
        self._install_shortcuts()

    # --- start and login -------------------------------------------------------------------
    def start(self) -> None:
        self.show_login()

    def show_login(self, reason: str = "") -> None:
        if self.login_dialog is None:
            dialog = LoginDialog(self.settings.server_url, self.settings.username)
            dialog.loginRequested.connect(self.login)
            dialog.rejected.connect(self._login_abandoned)
            self.login_dialog = dialog
        if reason:
            self.login_dialog.show_info(reason)
        self.login_dialog.set_busy(False)
        self.login_dialog.show()
        self.login_dialog.raise_()

    @asyncSlot(str, str, str)
    async def login(self, server_url: str, username: str, password: str) -> None:
        dialog = self.login_dialog
        client = self._client_for(server_url)
        try:
            result = await asyncio.get_running_loop().run_in_executor(None, client.login, username, password)
        except Unreachable:
            dialog.show_error(self.tr("无法连接服务器 {0}，请检查网络或服务器地址后重试").format(server_url))
            return
        except ApiError as exc:
            dialog.show_error(exc.message)
            return
        self._remember(server_url, username)
        dialog.hide()
        self.window.user_label.setText(self.tr("坐席：{0}").format(result.display_name))
        self._start_seat()
        self.window.show()

    def _client_for(self, server_url: str) -> ApiClient:
        if self.client is None or self.client.base_url != server_url.rstrip("/"):
            self.client = self.client_factory(server_url, timeout=self.settings.request_timeout_s,
                                              verify=self.settings.verify_tls)
        return self.client

    def _remember(self, server_url: str, username: str) -> None:
        changed = self.settings.evolve(server_url=server_url, username=username)
        if changed != self.settings:
            self.settings = changed
            if self.save_settings:
                settings_store.save(changed)

    def _login_abandoned(self) -> None:
        if not self.window.isVisible():
            self._finish()

    def _start_seat(self) -> None:
        if self.seat is not None:  # a re-login: the same seat, a fresh socket with the new token
            asyncio.ensure_future(self._restart_socket())
            return
        engine_factory = self.call_wiring.make_engine if self.call_wiring else None
        self.seat = Seat(self.client, engine_factory=engine_factory, ocr=self.ocr, recordings_dir=self.recordings_dir,
                         socket_factory=self.socket_factory,
                         engine_dropped=self.call_wiring.release if self.call_wiring else None)
        self.seat_adapter = SeatAdapter(self.seat.events, self)
        self.seat_adapter.queueChanged.connect(self.window.queue.set_items)
        self.seat_adapter.linkChanged.connect(self._link_changed)
        self.seat_adapter.sessionStarted.connect(self._session_started)
        self.seat_adapter.sessionExpired.connect(self._session_expired)
        self.seat_adapter.error.connect(self._seat_error)
        self.seat_adapter.notice.connect(self._seat_notice)
        self._link_changed(False)
        self.seat.start()

    async def _restart_socket(self) -> None:
        if self.seat.socket is not None:
            await self.seat.socket.stop()
        self.seat.start()

    def _session_expired(self) -> None:
        self.show_login(self.tr("登录已过期，请重新登录（当前案件保持打开）"))

    def _link_changed(self, up: bool) -> None:
        self.window.link_label.setText(self.tr("● 已连接服务器") if up else self.tr("○ 实时连接中断，正在重连…"))
        self.window.link_label.setStyleSheet("color: #2e7d32;" if up else "color: #b26a00;")

    def _seat_error(self, action: str, message: str) -> None:
        self.window.show_notice(self.tr("{0}失败：{1}").format(labels.action_text(action), message), error=True)

    def _seat_notice(self, kind: str, data: dict) -> None:
        if kind == "lost_race":
            self.window.show_notice(self.tr("该案件已被其他坐席接听：{0}").format(data.get("message", "")), error=True)
        elif kind == "busy":
            self.window.show_notice(self.tr("请先处理完当前案件"), error=True)
        elif kind == "leftover_recordings":
            self.window.show_notice(self._leftover_text(data), error=bool(data.get("rejected") or data.get("kept")))

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
        self.case = CaseController(self.window, session, audio)
        self.case.closed.connect(self._case_closed)
        self.case.sessionExpired.connect(self._session_expired)
        self.window.queue.set_busy(True)
        self.window.show_notice(self.tr("已接听案件 {0}").format(session.case.number))

    def _case_closed(self, outcome: str) -> None:
        log.info("case closed (%s) after %d operator actions: %s", outcome, self.actions.count, self.actions.summary())
        if self.case is not None:
            self.case.detach()
            self.case.deleteLater()
            if self.call_wiring is not None:
                self.call_wiring.release(str(self.case.session.case.id))
        self.case = None
        self.window.queue.set_busy(False)

    # --- operator intents -------------------------------------------------------------------
    def _connect_widgets(self) -> None:
        w = self.window
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
        w.parties.verifyRequested.connect(lambda pid: self.act("verify", pid))
        w.parties.verifyAllRequested.connect(lambda: self.act("verify_all"))
        w.parties.addPartyRequested.connect(lambda kind: self.act("add_party", kind))
        w.checklist.answerGiven.connect(lambda key, value: self.act("answer_question", key, value))
        w.checklist.safetyConfirmed.connect(lambda: self.act("confirm_safety"))
        w.checklist.submitRequested.connect(lambda: self.act("submit"))
        w.checklist.escalateRequested.connect(self.open_escalate)
        w.instructions.instructionRequested.connect(lambda text: self.act("instruct", text))
        w.settings_action.triggered.connect(self.open_settings)
        w.logout_action.triggered.connect(self.logout)

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

    def _install_shortcuts(self) -> None:
        handlers = {
            "answer": self._shortcut_answer,
            "capture": lambda: self.act("capture"),
            "photo": lambda: self.act("photo"),
            "switch_camera": lambda: self.act("switch_camera"),
            "torch": self.window.video.torch_button.toggle,
            "mute": self.window.video.mute_button.toggle,
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
        """Single keys must not fire while the operator types into a field."""
        def run() -> None:
            if not isinstance(QApplication.focusWidget(), (QLineEdit, QPlainTextEdit)):
                handler()
        return run

    def _shortcut_answer(self) -> None:
        if self.case is None:
            self.window.queue.answer_selected()

    def _shortcut_submit(self) -> None:
        if self.window.checklist.submit_button.isEnabled():
            self.act("submit")

    def _show_shortcut_hints(self) -> None:
        keys = {a: QKeySequence(self.settings.shortcut(a)).toString(QKeySequence.SequenceFormat.NativeText)
                for a in self.shortcuts}
        self.window.video.set_shortcuts(keys)
        self.window.queue.set_shortcut_hint(keys["answer"])
        self.window.overlay.set_shortcut_hint(keys["apply_all"])
        self.window.parties.set_shortcut_hint(keys["verify_all"])
        self.window.checklist.set_shortcuts(keys)

    # --- settings, logout, closing ------------------------------------------------------------
    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self.window)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.result_settings()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def apply_settings(self, new: SeatSettings) -> None:
        self.settings = new
        if self.save_settings:
            settings_store.save(new)
        for action, shortcut in self.shortcuts.items():
            shortcut.setKey(QKeySequence(new.shortcut(action)))
        self.window.video.set_fps(new.display_fps)
        self._show_shortcut_hints()

    @asyncSlot()
    async def logout(self) -> None:
        if self.case is not None:
            self.window.show_notice(self.tr("请先处理完当前案件"), error=True)
            return
        if self.seat is not None:
            await self.seat.shutdown()
            self.seat_adapter.detach()
            self.seat = None
        if self.client is not None:
            try:
                await asyncio.get_running_loop().run_in_executor(None, self.client.logout)
            except ApiError:
                pass
        self.window.hide()
        self.show_login()

    @property
    def shut_down(self) -> bool:
        return self._shut_down

    async def shutdown(self) -> None:
        """Window closing: end the call (recording flushed, peer closed, server told), then let the app quit."""
        if self._shut_down:
            return
        self._shut_down = True
        if self.seat is not None:
            await self.seat.shutdown()
        if self.case is not None:
            self._case_closed("shutdown")
        self._finish()

    def _finish(self) -> None:
        if self.login_dialog is not None:
            self.login_dialog.hide()
        self.finished.emit()


def _report_failure(task: asyncio.Task) -> None:
    if task.cancelled():
        return
    exc = task.exception()
    if isinstance(exc, SessionExpired):
        return  # the socket or the next call brings the login back
    if exc is not None:
        log.error("operator action failed", exc_info=exc)
