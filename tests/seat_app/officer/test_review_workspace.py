"""The officer's 复核 tab through the real window and shell, with the fake server: the pending requests, the
case, the document, the request and its evidence; the issuer refused; 维持; and a case sent back that the
officer queue decides again, whose new document revokes the old one."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from seat_app.core.seat_settings import SeatSettings
from seat_app.ui.shell_controller import ShellController
from seat_app.ui.workspaces.catalogue import Workspaces
from tests.seat_app.doubles import MINIMAL_PDF, FakeApi, FakeSocket, FakeWiring
from tests.seat_app.officer.cases import officer_case, queue_item
from tests.seat_app.officer.steps import choose, pick_by_typing

OLD = "成公交简认字〔2026〕第000007号"


def determined_case() -> dict:
    case = officer_case(5, state="determined", accident_facts="甲车追尾乙车。", accident_at="2026-05-01T08:05:00+08:00")
    first, second = case["parties"]
    first.update(responsibility="full", violation="未保持安全距离（追尾）", clause="《中华人民共和国道路交通安全法》第四十三条")
    second.update(responsibility="none", violation="", clause="")
    return case


@pytest.fixture
def fake_api():
    api = FakeApi()
    api.cases[5] = determined_case()
    api.documents[OLD] = MINIMAL_PDF
    api.reviews[1] = {
        "review": {"id": 1, "case_id": 5, "case_number": "KC2026-0005", "document_number": OLD, "issued_by": 3,
                   "issued_by_name": "民警 赵刚", "issued_by_username": "officer1", "party_id": 52,
                   "party_label": "乙方", "status": "pending", "status_label": "待复核",
                   "created_at": "2026-05-02T09:30:00+08:00", "decided_at": None},
        "request": "撤销原认定，重新认定责任", "reason": "甲车并未追尾，是乙车倒车", "evidence": [100],
        "decision_reason": "", "decision_reason_label": "", "outcome": "", "decided_by": None}
    return api


def reviewer(qtbot, qloop, fake_api, username: str, user_id: int | None = None):
    FakeSocket.instances.clear()
    shell = ShellController(SeatSettings(server_url="http://fake", username=username),
                            workspaces=Workspaces(call_wiring=FakeWiring(), socket_factory=FakeSocket),
                            save_settings=False, client_factory=lambda *a, **k: fake_api)
    qtbot.addWidget(shell.window)
    shell.start()
    shell.login_dialog.password.setText("pw")
    qtbot.mouseClick(shell.login_dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(shell.window.isVisible, timeout=3000)
    if user_id is not None:
        fake_api.user["user_id"] = user_id  # as the real server's login reply carries it
    workspace = shell.workspace("liability")
    workspace.page.parts.setCurrentIndex(1)  # the 复核 tab
    page = workspace.page.review
    qtbot.waitUntil(lambda: page.requests.count() == 1, timeout=3000)
    return shell, workspace, page


def close(shell) -> None:
    if not shell.shut_down:
        shell.window.on_close = None
        shell.window.close()


def open_first(qtbot, page):
    item = page.requests.item(0)
    assert "KC2026-0005" in item.text() and "乙方申请" in item.text() and OLD in item.text()
    qtbot.mouseClick(page.requests.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.requests.visualItemRect(item).center())
    qtbot.waitUntil(lambda: page.evidence.count() == 1 and page.document.document.pageCount() == 1, timeout=3000)
    assert "甲方：张伟" in page.case_summary.text() and "全部责任" in page.case_summary.text()
    assert "乙车倒车" in page.request_text.text() and OLD in page.document.caption.text()


def test_the_issuing_officer_sees_the_request_but_is_refused_as_its_reviewer(qtbot, qloop, fake_api):
    shell, _, page = reviewer(qtbot, qloop, fake_api, "officer1")
    try:
        open_first(qtbot, page)
        page.upheld.setChecked(True)
        page.outcome.setPlainText("事实清楚，维持原认定")
        assert page.decide_button.isEnabled()
        qtbot.mouseClick(page.decide_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "是您出具的" in page.banner.text(), timeout=3000)
        assert not page.decide_button.isEnabled() and not page.upheld.isEnabled()
        assert fake_api.reviews[1]["review"]["status"] == "pending" and fake_api.cases[5]["state"] == "determined"
    finally:
        close(shell)


def test_the_seat_marks_the_officers_own_documents_and_offers_no_decision(qtbot, qloop, fake_api):
    shell, _, page = reviewer(qtbot, qloop, fake_api, "officer1", user_id=3)  # 3 issued document 7
    try:
        assert "须由其他民警复核" in page.requests.item(0).text()
        open_first(qtbot, page)
        assert "是您出具的" in page.banner.text()
        assert not page.upheld.isEnabled() and not page.outcome.isEnabled() and not page.decide_button.isEnabled()
        assert not fake_api.called("decide_review")
    finally:
        close(shell)


def test_another_officer_upholds_it_and_the_queue_empties(qtbot, qloop, fake_api):
    shell, _, page = reviewer(qtbot, qloop, fake_api, "officer2")
    try:
        open_first(qtbot, page)
        page.evidence.itemClicked.emit(page.evidence.item(0))  # the applicant's photo, large
        assert not page.evidence_image.pixmap().isNull()
        assert not page.decide_button.isEnabled() and "请选择" in page.problem.text()
        page.upheld.setChecked(True)
        assert not page.reason.isEnabled() and "请填写复核结论" in page.problem.text()
        page.outcome.setPlainText("事实清楚，证据确实充分，维持原认定")
        qtbot.mouseClick(page.decide_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.requests.count() == 0, timeout=3000)
        assert fake_api.called("decide_review") == [(1, "upheld", "", "事实清楚，证据确实充分，维持原认定")]
        assert fake_api.cases[5]["state"] == "reviewed" and "维持原认定" in shell.window.notice.text()
        assert page.empty.isVisible() and not page.decide_button.isEnabled()
    finally:
        close(shell)


def test_sent_back_it_returns_to_the_officer_queue_and_the_new_document_revokes_the_old(qtbot, qloop, fake_api):
    shell, workspace, page = reviewer(qtbot, qloop, fake_api, "officer2")
    try:
        open_first(qtbot, page)
        page.sent_back.setChecked(True)
        page.outcome.setPlainText("乙车倒车的事实未查清，责令重新调查、认定")
        assert page.reason.isEnabled() and "第七十六条" in page.problem.text() and not page.decide_button.isEnabled()
        page.reason.setCurrentIndex(page.reason.findData("responsibility_unfair"))
        qtbot.mouseClick(page.decide_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.requests.count() == 0, timeout=3000)
        assert fake_api.called("decide_review")[0][1:3] == ("sent_back", "responsibility_unfair")
        assert fake_api.cases[5]["state"] == "awaiting_liability" and "退回" in page.banner.text()
        # Back in the officer queue: the same seat decides it again in the 责任认定 tab.
        workspace.page.parts.setCurrentIndex(0)
        FakeSocket.instances[-1].push("officer_queue", items=[queue_item(fake_api.cases[5], 60)])
        qtbot.waitUntil(lambda: len(workspace.page.queue.items) == 1, timeout=3000)
        workspace.page.queue.openRequested.emit(5)
        qtbot.waitUntil(lambda: workspace.case is not None and not workspace.read_only, timeout=3000)
        liability = workspace.page
        choose(liability, 51, "none")
        choose(liability, 52, "full")
        pick_by_typing(qtbot, liability, 52, "追尾", "rear_end")
        liability.facts.setPlainText("乙车倒车时与甲车相撞。")
        qtbot.mouseClick(liability.issue_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(workspace.dialog.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: fake_api.cases[5]["state"] == "determined", timeout=3000)
        new = "成公交简认字〔2026〕第000002号"
        assert fake_api.revoked == {OLD: new}
    finally:
        close(shell)
