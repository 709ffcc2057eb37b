"""The officer's 复核 tab at work: list the pending requests, open one with its case, document and evidence,
and make the decision. The server decides who may review (never the officer who issued the document) and
says why not; the page shows its words. Every REST call goes through the officer controller's ``call``.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QListWidgetItem
from qasync import asyncSlot

from seat_app.core.case import party_label
from seat_app.services.api_client import ApiError, Forbidden
from seat_app.ui.widgets.liability_party_widget import grade_label
from seat_app.ui.workspaces.officer.review_page import ReviewPage, local_minute

Call = Callable[..., Awaitable[Any]]
Notify = Callable[..., None]
translate = QCoreApplication.translate


class ReviewController(QObject):
    def __init__(self, page: ReviewPage, call: Call, notify: Notify, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.page, self._call, self._notify = page, call, notify
        self.detail: dict[str, Any] | None = None
        self.user_id: int | None = None  # who is logged in: the requests they issued are marked, not decidable
        self._asked_who = False
        self.files: dict[int, bytes] = {}
        page.openRequested.connect(self.open_review)
        page.refresh_button.clicked.connect(self.refresh)
        page.decide_button.clicked.connect(self.decide)
        page.evidence.itemClicked.connect(self._show_file)

    @asyncSlot()
    async def refresh(self) -> None:
        try:
            if not self._asked_who:
                self.user_id, self._asked_who = (await self._call("me")).get("user_id"), True
            reply = await self._call("list_reviews", "pending")
        except ApiError as exc:
            self.page.show_banner(exc.message)
            return
        self.page.set_reasons(list(reply.get("reasons") or []))
        self.page.set_requests(list(reply.get("items") or []), self.user_id)

    @asyncSlot(int)
    async def open_review(self, review_id: int) -> None:
        try:
            detail = await self._call("get_review", review_id)
        except ApiError as exc:
            self.page.show_banner(exc.message)
            return
        self.detail, self.files = detail, {}
        page = self.page
        page.show_banner("")
        page.clear_decision()
        page.evidence.clear()
        page.evidence_image.clear()
        page.case_summary.setText(case_summary(detail))
        page.request_text.setText(request_text(detail))
        review = detail["review"]
        mine = self.user_id is not None and review.get("issued_by") == self.user_id
        page.set_open(True, decidable=review["status"] == "pending" and not mine)
        if review["status"] != "pending":
            page.show_banner(self.tr("该申请已{0}").format(review["status_label"]))
        elif mine:
            page.show_banner(self.tr("认定书 {0} 是您出具的，须由其他民警复核").format(review["document_number"]))
        await asyncio.gather(self._load_document(review["document_number"]),
                             *(self._load_file(int(i)) for i in detail.get("evidence") or []))

    async def _load_document(self, number: str) -> None:
        if not number:
            return
        try:
            pdf = await self._call("document_pdf", number)
        except ApiError as exc:
            self.page.document.caption.setText(exc.message)
            return
        self.page.document.show_pdf(pdf, self.tr("认定书 {0}").format(number))

    async def _load_file(self, evidence_id: int) -> None:
        try:
            data = await self._call("evidence_content", evidence_id)
        except ApiError as exc:
            self.page.show_banner(exc.message)
            return
        self.files[evidence_id] = data
        self.page.add_evidence(evidence_id, data, "application/pdf" if data[:5] == b"%PDF-" else "image/*")

    def _show_file(self, item: QListWidgetItem) -> None:
        data = self.files.get(int(item.data(Qt.ItemDataRole.UserRole)), b"")
        if data[:5] == b"%PDF-":
            self.page.show_evidence_pdf(data, item.text())
        else:
            self.page.show_evidence_image(data)

    @asyncSlot()
    async def decide(self) -> None:
        page = self.page
        if self.detail is None or page.problem_text():
            return
        review = self.detail["review"]
        page.decide_button.setEnabled(False)
        try:
            await self._call("decide_review", review["id"], page.decision_code(), page.reason_code(),
                             page.outcome.toPlainText().strip())
        except Forbidden as exc:  # the officer issued this document: another officer reviews it
            page.show_banner(exc.message)
            page.set_open(True, decidable=False)
            return
        except ApiError as exc:
            page.show_banner(exc.message)
            page.update_decision()
            return
        upheld = page.decision_code() == "upheld"
        self._notify(self.tr("案件 {0} 复核结论已作出：{1}，已短信告知各方").format(
            review["case_number"], self.tr("维持原认定") if upheld else self.tr("责令重新调查、认定，案件已退回待认定队列")))
        page.show_banner(self.tr("已作出复核结论") if upheld else self.tr("已退回重新认定：案件回到“待认定”队列"))
        page.set_open(True, decidable=False)
        self.detail = None
        await self.refresh()


def case_summary(detail: dict[str, Any]) -> str:
    case, review = detail["case"], detail["review"]
    lines = [translate("ReviewController", "案件 {0}　认定书 {1}　出具民警 {2}").format(
        case["number"], review["document_number"], review["issued_by_name"] or "—")]
    when = local_minute(case.get("accident_at"))
    lines.append(translate("ReviewController", "事故时间 {0}　地点 {1}　天气 {2}").format(
        when, case.get("district") or "—", case.get("weather") or "—"))
    for party in sorted(case.get("parties") or [], key=lambda p: p["position"]):
        lines.append(f"{party_label(party['position'])}：{party.get('driver_name') or '—'}，{party.get('plate') or '—'}，"
                     f"{grade_label(party['responsibility']) if party.get('responsibility') else '—'}"
                     + (f"（{party['violation']}，{party['clause']}）" if party.get("violation") else ""))
    if case.get("accident_facts"):
        lines.append(translate("ReviewController", "事实：{0}").format(case["accident_facts"]))
    return "\n".join(lines)


def request_text(detail: dict[str, Any]) -> str:
    review = detail["review"]
    return translate("ReviewController", "{0}于 {1} 申请复核\n\n请求：{2}\n\n理由：{3}").format(
        review["party_label"], local_minute(review.get("created_at")), detail["request"],
        detail["reason"])
