"""The officer's workspace through the real window and shell, with the fake server and socket.

What the officer sees: the queue oldest first with ages turning amber and red,
a case held by another officer opening read-only, the 第六十条 problems next to
the parties as they type, violations found by typing, the facts draft following
the violations until edited, and the preview, issue and send-back calls.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from kuaichu_protocol.messages import ToSeatMsg
from seat_app.core.seat_settings import SeatSettings
from seat_app.services import api_client as api
from seat_app.ui.shell_controller import ShellController
from seat_app.ui.workspaces.catalogue import Workspaces
from tests.seat_app.doubles import FakeApi, FakeSocket, FakeWiring
from tests.seat_app.officer.cases import add_evidence, officer_case, queue_item
from tests.seat_app.officer.steps import choose, pick_by_typing

AMBER, RED, WHITE = "#fff3cd", "#fde0e0", "#ffffff"


@pytest.fixture
def fake_api():
    api = FakeApi()
    for case_id in (5, 6, 7):
        api.cases[case_id] = officer_case(case_id)
    add_evidence(api, api.cases[5])
    return api


@pytest.fixture
def shell(qtbot, qloop, fake_api):
    FakeSocket.instances.clear()
    workspaces = Workspaces(call_wiring=FakeWiring(), socket_factory=FakeSocket)
    s = ShellController(SeatSettings(server_url="http://fake", username="officer1"), workspaces=workspaces,
                        save_settings=False, client_factory=lambda *a, **k: fake_api)
    qtbot.addWidget(s.window)
    yield s
    if not s.shut_down:
        s.window.on_close = None
        s.window.close()


def officer(qtbot, shell, fake_api):
    shell.start()
    shell.login_dialog.password.setText("pw")
    qtbot.mouseClick(shell.login_dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(shell.window.isVisible, timeout=3000)
    workspace = shell.workspace("liability")
    qtbot.waitUntil(lambda: FakeSocket.instances and FakeSocket.instances[-1].connected, timeout=3000)
    return workspace


def push_queue(fake_api, *items):
    FakeSocket.instances[-1].push(ToSeatMsg.OFFICER_QUEUE, items=list(items))


def open_case(qtbot, workspace, case_id=5):
    workspace.page.queue.openRequested.emit(case_id)
    qtbot.waitUntil(lambda: workspace.case is not None and workspace.case["id"] == case_id, timeout=3000)
    return workspace.page


def test_the_queue_is_oldest_first_with_ages_turning_amber_then_red(qtbot, shell, fake_api):
    w = officer(qtbot, shell, fake_api)
    cases = fake_api.cases
    push_queue(fake_api, queue_item(cases[6], 120), queue_item(cases[5], 31 * 60),
               queue_item(cases[7], 11 * 60, officer_user_id=3, officer_name="民警 钱程"))
    queue = w.page.queue
    qtbot.waitUntil(lambda: len(queue.items) == 3, timeout=3000)
    assert [i.case_id for i in queue.items] == [5, 7, 6]
    assert [queue.row_colour(i) for i in (5, 7, 6)] == [RED, AMBER, WHITE]
    assert queue.row_texts(0)[0] == "31:00" and queue.row_texts(1)[3] == "民警 钱程"
    assert queue.title.text() == "待认定（3）"

    push_queue(fake_api, queue_item(cases[6], 10 * 60 - 1))  # live: the next frame replaces the list
    qtbot.waitUntil(lambda: [i.case_id for i in queue.items] == [6], timeout=3000)
    assert queue.row_colour(6) == WHITE
    qtbot.waitUntil(lambda: queue.row_colour(6) == AMBER, timeout=4000)  # the clock ticks every second
    assert queue.row_texts(0)[0].startswith("10:0")


def test_while_the_socket_is_down_the_queue_is_read_instead(qtbot, shell, fake_api):
    fake_api.cases[6]["submitted_at"] = "2026-05-01T07:00:00+00:00"
    fake_api.cases[7].update(state="determined")
    w = officer(qtbot, shell, fake_api)
    socket = FakeSocket.instances[-1]
    socket.connected = False
    socket.events.emit("disconnected")
    queue = w.page.queue
    qtbot.waitUntil(lambda: [i.case_id for i in queue.items] == [6, 5], timeout=3000)  # oldest first
    assert fake_api.called("list_cases")[-1] == (["awaiting_liability"],) and queue.row_colour(6) == RED
    assert "连接中断" in shell.window.link_label.text() and w.feed.poll.isActive()
    socket.connected = True
    socket.events.emit("connected")
    assert not w.feed.poll.isActive() and "已连接" in shell.window.link_label.text()


def test_a_case_another_officer_holds_opens_read_only_naming_them(qtbot, shell, fake_api):
    fake_api.cases[6].update(officer_user_id=3, officer_name="民警 钱程")
    w = officer(qtbot, shell, fake_api)
    page = open_case(qtbot, w, 6)
    assert fake_api.called("take_case") == [(6,)] and fake_api.called("get_case") == [(6,)]
    assert w.read_only and not page.banner.isHidden() and "民警 钱程" in page.banner.text()
    assert not page.issue_button.isEnabled() and not page.preview_button.isEnabled()
    assert not page.send_back_button.isEnabled() and page.facts.isReadOnly()
    assert all(not pw.grade.isEnabled() for pw in page.party_widgets.values())

    page = open_case(qtbot, w, 7)  # a free one is taken and editable
    assert not w.read_only and page.banner.isHidden() and fake_api.cases[7]["officer_name"] == "民警 赵刚"
    assert page.preview_button.isEnabled()


def test_an_admin_sees_the_case_but_cannot_decide_it(qtbot, shell, fake_api, monkeypatch):
    def officers_only(case_id):
        fake_api._log("take_case", case_id)
        raise api.Forbidden("权限不足", 403)

    monkeypatch.setattr(fake_api, "take_case", officers_only)
    w = officer(qtbot, shell, fake_api)
    page = open_case(qtbot, w, 5)
    assert w.read_only and "只有民警可以认定责任" in page.banner.text() and not page.preview_button.isEnabled()
    qtbot.waitUntil(lambda: page.gallery.count() == 1, timeout=3000)  # everything else is there to see


def test_one_screen_shows_the_evidence_recordings_parties_place_rules_and_audit(qtbot, shell, fake_api):
    fake_api.audit[5] = [{"id": 1, "actor": "operator1", "action": "submit", "from": "collecting",
                          "to": "awaiting_liability", "detail": {}, "at": "2026-05-01T08:20:00+00:00", "hash": "x"}]
    w = officer(qtbot, shell, fake_api)
    page = open_case(qtbot, w, 5)
    qtbot.waitUntil(lambda: page.gallery.count() == 1 and page.recordings.segments.count() == 1, timeout=5000)
    assert page.overlay.view.boxes and page.overlay.view.boxes[0].item.text == "川A·5F7K2"
    view = page.overlay.view
    before = view.transform().m11()
    qtbot.mouseClick(page.zoom_in, Qt.MouseButton.LeftButton)
    assert view.transform().m11() == pytest.approx(before * 1.25)
    wheel = QWheelEvent(QPointF(50, 50), view.mapToGlobal(QPointF(50, 50)), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase,
                        False)
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.transform().m11() == pytest.approx(before * 1.25 * 1.25)
    qtbot.mouseClick(page.zoom_fit, Qt.MouseButton.LeftButton)
    assert view.transform().m11() == pytest.approx(before)
    first = page.party_widgets[51]
    assert first.title() == "甲方（机动车）张伟 川A·5F7K2" and "核验通过" in first.registry.text()
    assert page.location.map.point == (104.0802, 30.6571) and page.location.map.rings  # on the area outline
    assert "锦江区" in page.location.text.text()
    assert page.weather.currentText() == "晴" and page.weather.count() == 7  # the operator's, or one of six
    assert page.audit.rowCount() == 1 and page.audit.item(0, 2).text() == "提交认定"
    assert page.audit.item(0, 3).text() == "采集中 → 待认定"
    answers = page.eligibility.topLevelItem(1)
    texts = [answers.child(i).text(1) for i in range(answers.childCount())]
    assert "无人受伤" in texts and page.eligibility.topLevelItem(0).child(0).text(1) == "两车事故"

    page.recordings.segments.itemClicked.emit(page.recordings.segments.item(0))
    qtbot.waitUntil(lambda: page.recordings.player.source().isLocalFile(), timeout=3000)
    assert fake_api.called("evidence_content")[-1] == (fake_api.uploads[-1]["id"],)
    assert page.recordings.scrub.isEnabled()


def test_problems_show_next_to_the_parties_as_the_officer_decides(qtbot, shell, fake_api):
    w = officer(qtbot, shell, fake_api)
    page = open_case(qtbot, w, 5)
    a, b = page.party_widgets[51], page.party_widgets[52]
    assert not page.issue_button.isEnabled() and "尚未选择责任" in page.problems.text()

    choose(page, 51, "full")
    choose(page, 52, "full")
    assert "责任组合不成立" in page.problems.text() and "甲方全部责任，乙方全部责任" in page.problems.text()
    assert "甲方负全部责任，须至少选择一项违法行为" in a.problems.text() and not a.problems.isHidden()
    choose(page, 52, "none")
    assert "责任组合不成立" not in page.problems.text() and b.problems.isHidden()
    pick_by_typing(qtbot, page, 51, "追尾", "rear_end")
    assert a.problems.isHidden() and page.issue_button.isEnabled()

    pick_by_typing(qtbot, page, 52, "第五十条", "reversing")  # by the article
    assert "乙方无责任，不应选择违法行为" in b.problems.text() and not page.issue_button.isEnabled()
    qtbot.mouseClick(b.picker.chips[0].remove_button, Qt.MouseButton.LeftButton)
    assert b.problems.isHidden() and page.issue_button.isEnabled()
    searches = fake_api.called("search_violations")
    assert ("追尾",) in searches and ("第五十条",) in searches and len(searches) <= 4  # debounced, not per key


def test_a_party_has_at_most_three_violations(qtbot, shell, fake_api):
    w = officer(qtbot, shell, fake_api)
    page = open_case(qtbot, w, 5)
    choose(page, 51, "major")
    for typed, code in (("追尾", "rear_end"), ("变更车道", "lane_change"), ("倒车", "reversing")):
        pick_by_typing(qtbot, page, 51, typed, code)
    picker = page.party_widgets[51].picker
    assert picker.chosen_codes() == ["rear_end", "lane_change", "reversing"] and not picker.edit.isEnabled()


def test_the_facts_draft_follows_the_violations_until_the_officer_edits_it(qtbot, shell, fake_api):
    w = officer(qtbot, shell, fake_api)
    page = open_case(qtbot, w, 5)
    draft = page.facts.toPlainText()
    assert "甲方张伟驾驶小型轿车（川A·5F7K2）与乙方李娜" in draft and "锦江区" in draft
    assert "经过：乙车由右侧车道向左变道时与甲车右前部刮擦。" in draft and "自动更新" in page.facts_state.text()
    choose(page, 51, "full")
    choose(page, 52, "none")
    pick_by_typing(qtbot, page, 51, "追尾", "rear_end")
    assert page.facts.toPlainText().endswith("甲方未与前车保持足以采取紧急制动措施的安全距离（追尾）。")
    assert page.facts.toPlainText().startswith(draft)

    page.facts.setPlainText("甲车追尾乙车。")  # the officer writes their own
    assert "已手动修改" in page.facts_state.text()
    pick_by_typing(qtbot, page, 51, "手持电话", "phone_use")
    assert page.facts.toPlainText() == "甲车追尾乙车。"  # kept
    qtbot.mouseClick(page.redraft_button, Qt.MouseButton.LeftButton)
    assert page.facts.toPlainText().endswith("（追尾），驾驶时拨打接听手持电话。")
    assert "自动更新" in page.facts_state.text()
    qtbot.mouseClick(page.party_widgets[51].picker.chips[1].remove_button, Qt.MouseButton.LeftButton)
    assert page.facts.toPlainText().endswith("（追尾）。")  # a draft again: it follows


def decide(qtbot, page):
    choose(page, 51, "full")
    choose(page, 52, "none")
    pick_by_typing(qtbot, page, 51, "追尾", "rear_end")
    page.weather.setCurrentText("雨")
    if not page.facts.toPlainText().strip():
        page.facts.setPlainText("甲车追尾乙车。")


def test_preview_then_issue_shows_the_number_and_the_pdf(qtbot, shell, fake_api):
    w = officer(qtbot, shell, fake_api)
    page = open_case(qtbot, w, 5)
    decide(qtbot, page)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.document.page_count() == 1, timeout=3000)
    (case_id, body), = fake_api.called("preview_determination")
    assert case_id == 5 and body["weather"] == "雨" and body["facts"] == page.facts.toPlainText().strip()
    assert body["parties"] == [{"party_id": 51, "responsibility": "full", "violations": ["rear_end"]},
                               {"party_id": 52, "responsibility": "none", "violations": []}]
    assert fake_api.cases[5]["state"] == "awaiting_liability" and page.tabs.currentWidget() is page.document

    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    box = w.dialog
    assert isinstance(box, QMessageBox) and "甲方全部责任" in box.informativeText()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert not fake_api.called("issue_determination")
    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.dialog.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(fake_api.called("document_pdf")), timeout=3000)
    number = "成公交简认字〔2026〕第000001号"
    assert fake_api.called("issue_determination")[0][1] == body and fake_api.cases[5]["state"] == "determined"
    qtbot.waitUntil(lambda: number in page.document.caption.text(), timeout=3000)
    assert number in page.banner.text() and not page.issue_button.isEnabled() and page.facts.isReadOnly()
    qtbot.mouseClick(page.document.window_button, Qt.MouseButton.LeftButton)  # A4 high, beside the workspace
    assert page.document.pdf_window.isVisible()


def test_an_issue_the_server_refuses_is_shown_and_can_be_retried(qtbot, shell, fake_api):
    w = officer(qtbot, shell, fake_api)
    page = open_case(qtbot, w, 5)
    decide(qtbot, page)
    fake_api.cases[5]["state"] = "determined"  # another officer issued it meanwhile
    w.issue()
    qtbot.waitUntil(lambda: "出具失败" in shell.window.notice.text(), timeout=3000)
    assert "已出具认定书" in shell.window.notice.text() and w.issued is None


def test_logging_out_mid_decision_is_refused_until_it_is_issued_or_sent_back(qtbot, shell, fake_api):
    w = officer(qtbot, shell, fake_api)
    page = open_case(qtbot, w, 5)
    shell.window.logout_action.trigger()  # opened but nothing decided yet: the officer may leave
    qtbot.waitUntil(lambda: shell.login_dialog.isVisible(), timeout=3000)
    w = officer(qtbot, shell, fake_api)
    fake_api.cases[5].update(officer_user_id=None, officer_name="")
    page = open_case(qtbot, w, 5)
    choose(page, 51, "full")
    shell.window.logout_action.trigger()
    qtbot.waitUntil(lambda: shell.window.notice.text() == "请先出具认定书或退回当前案件", timeout=3000)
    assert shell.window.isVisible() and shell.workspace("liability") is w


def test_send_back_needs_a_reason_and_clears_the_case(qtbot, shell, fake_api):
    w = officer(qtbot, shell, fake_api)
    page = open_case(qtbot, w, 5)
    qtbot.mouseClick(page.send_back_button, Qt.MouseButton.LeftButton)
    dialog = w.dialog
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.reason.setPlainText("   ")
    assert not ok.isEnabled()
    dialog.reason.setPlainText("请补拍乙车碰撞部位近景")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.case is None, timeout=3000)
    assert fake_api.called("send_back") == [(5, "请补拍乙车碰撞部位近景")] and fake_api.cases[5]["state"] == "queued"
    assert page.case_label.text() == "未打开案件" and not page.party_widgets
