"""The officer's flow: watch the queue, take a case, decide it, preview, issue or send it back.

The queue arrives on the officer's own seat socket (``officer_queue`` frames).
Opening a case takes it (``POST /take``); when another officer has it, the case
opens read-only with a banner naming them. Every REST call is awaited on the
qasync loop (the client runs in executors), so the window never freezes. The
decision is checked with the shared 第六十条 rule on every change; Issue stays
disabled while a problem remains, and the server checks again.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox
from qasync import asyncSlot

from seat_app.core.seat_settings import SeatSettings
from seat_app.services.api_client import ApiError, AsyncApi, Conflict, Forbidden, SessionExpired
from seat_app.services.ports import ApiPort
from seat_app.services.seat_socket import SeatSocket
from seat_app.ui import labels
from seat_app.ui.main_window import MainWindow
from seat_app.ui.widgets.liability_party_widget import LiabilityPartyWidget, grade_label
from seat_app.ui.workspaces.officer.case_file import CaseFile
from seat_app.ui.workspaces.officer.decision import GRADES, Decision, FactsText, Violation
from seat_app.ui.workspaces.officer.dialogs import SendBackDialog, issue_confirmation
from seat_app.ui.workspaces.officer.facts import draft_for
from seat_app.ui.workspaces.officer.officer_workspace import OfficerWorkspace
from seat_app.ui.workspaces.officer.queue_feed import QueueFeed, SocketFactory
from seat_app.ui.workspaces.officer.review_controller import ReviewController
from seat_app.ui.workspaces.workspace import Workspace

log = logging.getLogger(__name__)



class OfficerController(Workspace):
    def __init__(self, window: MainWindow, settings: SeatSettings, *,
                 socket_factory: SocketFactory = SeatSocket) -> None:
        page = OfficerWorkspace()
        super().__init__("liability", QCoreApplication.translate("OfficerController", "责任认定"), page, window)
        self.page: OfficerWorkspace = page
        self.window = window
        self.settings = settings
        self.socket_factory = socket_factory
        self.client: ApiPort | None = None
        self.api: AsyncApi | None = None
        self.case_file: CaseFile | None = None
        self.case: dict[str, Any] | None = None
        self.read_only = False
        self.issued: dict[str, Any] | None = None
        self.decision: Decision | None = None
        self.facts: FactsText | None = None
        self.catalogue: dict[str, Violation] = {}
        self.dialog: Any = None
        self._setting_facts = False
        self.stopped = False
        self.feed = QueueFeed(page.queue, socket_factory, self._call, self)
        self.feed.linkChanged.connect(self._link)
        self.feed.sessionExpired.connect(self.sessionExpired)
        self._connect_widgets()
        self._show_no_case()
        self.reviews = ReviewController(page.review, self._call, self._notify, self)
        page.parts.currentChanged.connect(lambda index: index == 1 and self.reviews.refresh())

    # --- the workspace's life ----------------------------------------------------------
    def start(self, client: ApiPort) -> None:
        self.client = client
        self.api = AsyncApi(client)
        self.case_file = CaseFile(self.page, self.api, self._call, self._notify, self)
        self.feed.start(client.ws_url)
        asyncio.ensure_future(self._load_service_area())

    def resume(self) -> None:
        """A re-login: a fresh socket with the new token."""
        asyncio.ensure_future(self._restart_feed())

    async def _restart_feed(self) -> None:
        await self.feed.stop()
        self.feed.start(self.client.ws_url)

    @property
    def socket(self) -> SeatSocket | None:
        return self.feed.socket

    def busy_reason(self) -> str:
        if self.case is not None and not self.read_only and self.issued is None and self.decision_started():
            return self.tr("请先出具认定书或退回当前案件")
        return ""

    async def stop(self) -> None:
        self.stopped = True
        await self.feed.stop()
        if self.case_file is not None:
            self.case_file.close()
        self.window.set_link(None)

    def _notify(self, text: str, error: bool = False) -> None:
        self.window.show_notice(text, error=error)

    def _link(self, up: bool) -> None:
        self.window.set_link(up)

    async def _load_service_area(self) -> None:
        try:
            area = await self._call("service_area")
        except ApiError as exc:  # an older server without the route: the point is drawn alone
            log.info("no service area outline: %s", exc.message)
            return
        self.page.location.map.set_area(area)

    async def _call(self, name: str, *args: Any) -> Any:
        """One REST call; an expired session goes to the shell (and is raised on).

        A reply that comes after the workspace stopped (logout, close) cancels its caller: the page
        it would fill is gone.
        """
        try:
            result = await getattr(self.api, name)(*args)
        except SessionExpired:
            self.sessionExpired.emit()
            raise
        except ApiError:
            if self.stopped:
                raise asyncio.CancelledError from None
            raise
        if self.stopped:
            raise asyncio.CancelledError
        return result

    # --- opening a case --------------------------------------------------------------------
    def _connect_widgets(self) -> None:
        p = self.page
        p.queue.openRequested.connect(self.open_case)
        p.facts.textChanged.connect(self._facts_typed)
        p.redraft_button.clicked.connect(self._redraft)
        p.weather.currentTextChanged.connect(lambda _t: self._refresh())
        p.preview_button.clicked.connect(self.preview)
        p.issue_button.clicked.connect(self.confirm_issue)
        p.send_back_button.clicked.connect(self.open_send_back)

    @asyncSlot(int)
    async def open_case(self, case_id: int) -> None:
        if self.case is not None and self.case.get("id") == case_id and self.issued is None:
            return
        try:
            case, banner = await self._call("take_case", case_id), ""
        except (Conflict, Forbidden) as exc:  # another officer has it, or this user only looks (admin)
            try:
                case = await self._call("get_case", case_id)
            except ApiError as again:
                self._notify(again.message, error=True)
                return
            banner = self._read_only_reason(exc, case)
        except ApiError as exc:
            self._notify(self.tr("无法打开案件：{0}").format(exc.message), error=True)
            return
        self._show_case(case, read_only=bool(banner), banner=banner)
        await self.case_file.load(case)

    def _read_only_reason(self, refusal: ApiError, case: dict[str, Any]) -> str:
        if isinstance(refusal, Forbidden):
            return self.tr("只有民警可以认定责任")
        holder = case.get("officer_name") or ""
        if holder and holder in refusal.message:
            return refusal.message
        return self.tr("案件已由 {0} 处理").format(holder or self.tr("其他民警"))

    def _show_case(self, case: dict[str, Any], *, read_only: bool, banner: str) -> None:
        self.case, self.read_only, self.issued = case, read_only, None
        p = self.page
        p.case_label.setText(self.tr("案件 {0}").format(case.get("number", "")))
        p.show_banner(self.tr("{0}：只能查看，不能认定").format(banner) if banner else "")
        parties = sorted(case.get("parties") or [], key=lambda x: x.get("position") or 0)
        self.decision = Decision([(int(x["id"]), labels.party_name(x.get("position"))) for x in parties])
        widgets = [self._party_widget(x) for x in parties]
        p.set_parties(widgets)
        p.weather.setCurrentIndex(max(0, p.weather.findText(str(case.get("weather") or ""))))
        self.facts = FactsText(lambda: draft_for(self.case, self.decision))
        self.facts.refresh()
        self._put_facts(self.facts.text)
        self.case_file.show(case)
        p.set_read_only(read_only)
        self._refresh()

    def _party_widget(self, party: dict[str, Any]) -> LiabilityPartyWidget:
        widget = LiabilityPartyWidget(party, GRADES)
        if party.get("responsibility") in GRADES:
            widget.set_grade(party["responsibility"])
            self.decision.set_responsibility(widget.party_id, party["responsibility"])
        widget.responsibilityChosen.connect(self._grade_chosen)
        widget.violationSearch.connect(self.search_violations)
        widget.violationPicked.connect(self._violation_picked)
        widget.violationRemoved.connect(self._violation_removed)
        return widget

    def _show_no_case(self) -> None:
        p = self.page
        p.set_parties([])
        p.set_read_only(True)
        p.issue_button.setEnabled(False)
        p.problems.setText("")
        p.facts_state.setText("")

    # --- the decision --------------------------------------------------------------------------
    def decision_started(self) -> bool:
        return self.decision is not None and any(p.responsibility or p.violations for p in self.decision.parties)

    def _grade_chosen(self, party_id: int, grade: str) -> None:
        if self.decision is not None:
            self.decision.set_responsibility(party_id, grade)
            self._refresh()

    @asyncSlot(int, str)
    async def search_violations(self, party_id: int, query: str) -> None:
        try:
            found = [Violation.from_json(v) for v in await self._call("search_violations", query)]
        except ApiError as exc:
            self._notify(self.tr("违法行为查询失败：{0}").format(exc.message), error=True)
            return
        self.catalogue.update({v.code: v for v in found})
        widget = self.page.party_widgets.get(party_id)
        if widget is not None:
            widget.picker.set_suggestions(query, [(v.code, v.text) for v in found])

    def _violation_picked(self, party_id: int, code: str) -> None:
        if self.decision is not None and code in self.catalogue:
            if not self.decision.add_violation(party_id, self.catalogue[code]):
                self._notify(self.tr("每方最多三项违法行为，且不能重复"), error=True)
            self._violations_changed()

    def _violation_removed(self, party_id: int, code: str) -> None:
        if self.decision is not None:
            self.decision.remove_violation(party_id, code)
            self._violations_changed()

    def _violations_changed(self) -> None:
        if self.facts is not None and self.facts.refresh():
            self._put_facts(self.facts.text)
        self._refresh()

    def _put_facts(self, text: str) -> None:
        self._setting_facts = True
        try:
            self.page.facts.setPlainText(text)
        finally:
            self._setting_facts = False

    def _facts_typed(self) -> None:
        if self.facts is not None and not self._setting_facts:
            self.facts.typed(self.page.facts.toPlainText())
            self._refresh()

    def _redraft(self) -> None:
        if self.facts is not None:
            self.facts.redraft()
            self._put_facts(self.facts.text)
            self._refresh()

    def _refresh(self) -> None:
        """The problems next to the parties they name, the facts' state, and whether Issue may be pressed."""
        p = self.page
        if self.decision is None:
            return
        own, shared = self.decision.problems_by_party()
        for party_id, widget in p.party_widgets.items():
            widget.picker.set_chosen([(v.code, v.text) for v in self.decision.party(party_id).violations])
            widget.picker.setEnabled(not self.read_only and self.issued is None)
            widget.set_problems(own.get(party_id, []))
        facts_missing = not p.facts.toPlainText().strip()
        messages = shared + ([self.tr("请填写交通事故事实")] if facts_missing else [])
        p.problems.setText("\n".join(f"⚠ {m}" for m in messages))
        p.facts_state.setText(self.tr("已手动修改，不再随违法行为更新") if self.facts and self.facts.edited
                              else self.tr("草稿：随违法行为自动更新"))
        blocked = self.read_only or self.issued is not None
        p.issue_button.setEnabled(not blocked and not messages and not any(own.values()))
        p.preview_button.setEnabled(not blocked)
        p.send_back_button.setEnabled(not blocked)

    def _body(self) -> dict[str, Any]:
        return self.decision.body(self.page.facts.toPlainText().strip(), self.page.weather.currentText().strip())

    # --- preview, issue, send back ----------------------------------------------------------------
    @asyncSlot()
    async def preview(self) -> None:
        if self.case is None or self.read_only:
            return
        try:
            pdf = await self._call("preview_determination", int(self.case["id"]), self._body())
        except ApiError as exc:
            self._notify(self.tr("预览失败：{0}").format(exc.message), error=True)
            return
        self.page.document.show_pdf(pdf, self.tr("预览（未出具，无文书编号效力）"))
        self.page.tabs.setCurrentWidget(self.page.document)

    def confirm_issue(self) -> None:
        if self.case is None or not self.page.issue_button.isEnabled():
            return
        summary = "；".join(f"{x.label}{grade_label(x.responsibility)}" for x in self.decision.parties)
        box = issue_confirmation(str(self.case.get("number", "")), summary, self.window)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda button: self.issue() if button is yes else None)
        box.finished.connect(box.deleteLater)
        self.dialog = box
        box.open()

    @asyncSlot()
    async def issue(self) -> None:
        if self.case is None or self.read_only or self.issued is not None:
            return
        self.page.issue_button.setEnabled(False)
        try:
            issued = await self._call("issue_determination", int(self.case["id"]), self._body())
        except ApiError as exc:
            self._notify(self.tr("出具失败：{0}").format(exc.message), error=True)
            self._refresh()
            return
        self.issued = issued
        number = str(issued.get("document_number") or "")
        self.page.show_banner(self.tr("已出具认定书 {0}，已向各方发送短信").format(number))
        self.page.set_read_only(True)
        self._refresh()
        self._notify(self.tr("已出具认定书 {0}").format(number))
        try:
            pdf = await self._call("document_pdf", number)
        except ApiError as exc:
            self._notify(self.tr("认定书已出具，但读取 PDF 失败：{0}").format(exc.message), error=True)
            return
        self.page.document.show_pdf(pdf, self.tr("认定书 {0}  sha256 {1}").format(number, issued.get("sha256", "")))
        self.page.tabs.setCurrentWidget(self.page.document)

    def open_send_back(self) -> None:
        if self.case is None or self.read_only or self.issued is not None:
            return
        dialog = SendBackDialog(str(self.case.get("number", "")), self.window)
        dialog.accepted.connect(lambda: self.send_back(dialog.text()))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    @asyncSlot(str)
    async def send_back(self, reason: str) -> None:
        if self.case is None or not reason.strip():
            return
        number = self.case.get("number", "")
        try:
            await self._call("send_back", int(self.case["id"]), reason.strip())
        except ApiError as exc:
            self._notify(self.tr("退回失败：{0}").format(exc.message), error=True)
            return
        self._notify(self.tr("案件 {0} 已退回接警队列补充证据").format(number))
        self._close_case()

    def _close_case(self) -> None:
        self.case = self.decision = self.facts = None
        self.issued = None
        p = self.page
        p.case_label.setText(self.tr("未打开案件"))
        p.show_banner("")
        self.case_file.show(None)
        self._put_facts("")
        self._show_no_case()

