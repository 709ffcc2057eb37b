"""The operator's flow through the real window, shell and operator workspace, with fake server, call and OCR.

KUAICHU_SCREENSHOTS=docs/screenshots saves the README's picture of a VIN on two parties.

What the operator sees: login errors with a retry, the live queue, losing a race,
a capture showing at once and filling fields when OCR is done, the checklist
gating submission, escalation needing a reason, interruption and rejoin, and a
clean close mid-call.
"""
from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPushButton

from kuaichu_protocol.messages import ToSeatMsg
from seat_app.core.evidence import OverlayItem
from seat_app.core.seat_settings import SeatSettings
from seat_app.ui.shell_controller import ShellController
from seat_app.ui.workspaces.catalogue import Workspaces
from tests.seat_app.doubles import FakeApi, FakeOcr, FakeSocket, FakeWiring, case_json

PLATE_A = OverlayItem((100, 300, 220, 70), "川A·5F7K2", "plate", True, 0.98)
PLATE_B = OverlayItem((800, 320, 220, 70), "川B·12345", "plate", True, 0.97)
NOISE = OverlayItem((10, 10, 80, 20), "中国平安", "", False, 0.5)
NAME = OverlayItem((300, 100, 120, 30), "张伟", "driver_name", True, 0.9)
BAD_ID = OverlayItem((300, 150, 260, 30), "51010119800101001", "id_number", False, 0.6)


@pytest.fixture
def fake_api():
    api = FakeApi()
    api.cases[1] = case_json(1)
    api.cases[2] = case_json(2)
    return api


@pytest.fixture
def wiring():
    return FakeWiring()


@pytest.fixture
def ocr():
    return FakeOcr({"scene": [PLATE_A, PLATE_B, NOISE], "licence": [NAME, BAD_ID]})


def make_shell(fake_api, wiring, ocr, recordings_dir=None, username="operator1") -> ShellController:
    FakeSocket.instances.clear()
    workspaces = Workspaces(ocr=ocr, call_wiring=wiring, recordings_dir=recordings_dir, socket_factory=FakeSocket)
    return ShellController(SeatSettings(server_url="http://fake", username=username), workspaces=workspaces,
                           save_settings=False, client_factory=lambda *a, **k: fake_api)


def close(shell) -> None:
    if not shell.shut_down:
        shell.window.on_close = None
        shell.window.close()


@pytest.fixture
def shell(qtbot, qloop, fake_api, wiring, ocr):
    s = make_shell(fake_api, wiring, ocr)
    qtbot.addWidget(s.window)
    yield s
    close(s)


def log_in(qtbot, shell, password="pw"):
    shell.start()
    dialog = shell.login_dialog
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)


def operator(qtbot, shell):
    """Logs in and returns the operator's workspace."""
    log_in(qtbot, shell)
    qtbot.waitUntil(shell.window.isVisible, timeout=3000)
    return shell.workspace("operator")


def answered(qtbot, shell, fake_api, wiring, case_id=1):
    op = operator(qtbot, shell)
    FakeSocket.instances[-1].push(ToSeatMsg.QUEUE, items=[
        {"case_id": 1, "number": "KC2026-0001", "waiting_s": 50, "district": "锦江区"},
        {"case_id": 2, "number": "KC2026-0002", "waiting_s": 5, "rejoining": True},
    ])
    queue = op.page.queue
    qtbot.waitUntil(lambda: len(queue.items) == 2, timeout=2000)
    queue.answerRequested.emit(case_id)
    qtbot.waitUntil(lambda: op.case is not None, timeout=3000)
    engine = wiring.engines[str(case_id)]
    engine.set_state("connected")
    return op, engine


def test_unreachable_server_and_wrong_password_are_explained_and_retry_works(qtbot, shell, fake_api):
    fake_api.unreachable = True
    log_in(qtbot, shell)
    dialog = shell.login_dialog
    qtbot.waitUntil(lambda: "无法连接服务器" in dialog.message.text(), timeout=3000)
    assert dialog.login_button.isEnabled() and not shell.window.isVisible()
    fake_api.unreachable = False
    dialog.password.setText("wrong")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "密码错误" in dialog.message.text(), timeout=3000)
    dialog.password.setText("pw")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(shell.window.isVisible, timeout=3000)
    assert "王敏" in shell.window.user_label.text()


def test_queue_shows_rejoining_first_with_wait_colours(qtbot, shell, fake_api):
    op = operator(qtbot, shell)
    FakeSocket.instances[-1].push(ToSeatMsg.QUEUE, items=[
        {"case_id": 1, "number": "KC1", "waiting_s": 10}, {"case_id": 2, "number": "KC2", "waiting_s": 62},
        {"case_id": 3, "number": "KC3", "waiting_s": 50}, {"case_id": 4, "number": "KC4", "waiting_s": 1, "rejoining": True},
    ])
    queue = op.page.queue
    qtbot.waitUntil(lambda: len(queue.items) == 4, timeout=2000)
    assert [i.case_id for i in queue.items] == [4, 2, 3, 1]
    assert queue.table.item(0, 1).text() == "重新接入"
    assert queue.row_colour(2) == "#fde0e0" and queue.row_colour(3) == "#fff3cd" and queue.row_colour(1) == "#ffffff"


def test_losing_the_race_to_another_seat_is_a_notice_not_a_crash(qtbot, shell, fake_api):
    fake_api.lose_race.add(1)
    op = operator(qtbot, shell)
    FakeSocket.instances[-1].push(ToSeatMsg.QUEUE, items=[{"case_id": 1, "number": "KC1", "waiting_s": 10},
                                                          {"case_id": 2, "number": "KC2", "waiting_s": 3}])
    queue = op.page.queue
    qtbot.waitUntil(lambda: len(queue.items) == 2, timeout=2000)
    queue.answerRequested.emit(1)
    qtbot.waitUntil(lambda: "其他坐席" in shell.window.notice.text(), timeout=3000)
    assert op.case is None
    assert queue.answer_button.isEnabled()  # the operator can take the next caller at once
    queue.answerRequested.emit(2)
    qtbot.waitUntil(lambda: op.case is not None, timeout=3000)
    assert fake_api.called("answer") == [(1,), (2,)]


def test_enter_answers_the_selected_case(qtbot, shell, fake_api, wiring):
    op = operator(qtbot, shell)
    FakeSocket.instances[-1].push(ToSeatMsg.QUEUE, items=[{"case_id": 2, "number": "KC2", "waiting_s": 3}])
    queue = op.page.queue
    qtbot.waitUntil(lambda: len(queue.items) == 1, timeout=2000)
    queue.table.setFocus()
    qtbot.keyClick(queue.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: op.case is not None, timeout=3000)
    assert fake_api.called("answer") == [(2,)]


def test_capture_shows_at_once_then_ocr_fills_both_plates(qtbot, shell, fake_api, wiring):
    op, engine = answered(qtbot, shell, fake_api, wiring)
    qtbot.waitUntil(lambda: fake_api.cases[1]["state"] == "collecting", timeout=3000)
    engine.next_frame(1920, 1080)
    w = op.page
    qtbot.waitUntil(lambda: w.video.frames_shown >= 1, timeout=2000)
    assert w.video.info.text().startswith("1920×1080")
    qtbot.keyClick(shell.window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.gallery.count() == 1, timeout=2000)
    parties = w.parties
    qtbot.waitUntil(lambda: parties.form_at(2) is not None and parties.form_at(2).edits["plate"].text() == "川B12345",
                    timeout=4000)
    assert parties.form_at(1).edits["plate"].text() == "川A5F7K2"
    assert parties.form_at(1).validity("plate") == "valid"
    upload = fake_api.uploads[0]
    assert (upload["kind"], upload["label"]) == ("frame", "scene")
    qtbot.waitUntil(lambda: bool(fake_api.called("put_ocr")), timeout=2000)
    assert [b.item.text for b in w.overlay.view.boxes] == ["川A·5F7K2", "川B·12345", "中国平安"]
    assert op.actions.count == 1


def test_a_licence_captured_as_the_scene_is_relabelled_and_the_operator_told(qtbot, shell, fake_api, wiring,
                                                                              ocr):
    ocr.readings["scene"] = [NAME, OverlayItem((300, 150, 260, 30), "11010519491231002X", "id_number", True, 0.97)]
    fake_api.cases[1]["parties"][0]["id_number"] = "11010519491231002X"  # the ID number ties it to 甲
    op, engine = answered(qtbot, shell, fake_api, wiring)
    engine.next_frame()
    w = op.page
    assert w.video.target_box.currentText() == "现场全景"
    qtbot.keyClick(shell.window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: shell.window.notice.text() == "识别为甲方 驾驶证，已自动归类", timeout=4000)
    assert w.gallery.list.item(0).text().startswith("甲方 驾驶证")
    assert w.video.target_box.currentText() == "现场全景"  # the scene is still to be taken
    assert w.checklist.checklist.item("evidence.licence.1").met
    qtbot.waitUntil(lambda: bool(fake_api.called("label_evidence")), timeout=2000)
    assert fake_api.called("label_evidence") == [(100, "licence", 11)]


def test_clicking_a_box_fills_the_party_the_operator_aimed_at(qtbot, shell, fake_api, wiring):
    op, engine = answered(qtbot, shell, fake_api, wiring)
    engine.next_frame()
    w = op.page
    w.video.targetChosen.emit(_target(op, "licence", 1))
    w.video.captureRequested.emit()
    qtbot.waitUntil(lambda: w.overlay.record is not None and bool(w.overlay.view.boxes), timeout=4000)
    form = w.parties.form_at(1)
    assert form.edits["driver_name"].text() == ""  # a lone name with a malformed ID number proves no document
    box = next(b for b in w.overlay.view.boxes if b.item.field == "driver_name")
    w.overlay.boxClicked.emit(w.overlay.record.local_id, box.item)
    qtbot.waitUntil(lambda: form.edits["driver_name"].text() == "张伟", timeout=2000)
    box = next(b for b in w.overlay.view.boxes if b.item.field == "id_number")
    w.overlay.boxClicked.emit(w.overlay.record.local_id, box.item)
    qtbot.waitUntil(lambda: w.parties.form_at(1).edits["id_number"].text() == "51010119800101001", timeout=2000)
    assert w.parties.form_at(1).validity("id_number") == "invalid"


def _target(op, label, position):
    from seat_app.core.evidence import capture_plan

    return next(t for t in capture_plan(op.case.session.case) if t.label == label
                and t.party_position == position)


def test_checklist_gates_submit_and_submit_tells_the_phone_to_leave(qtbot, shell, fake_api, wiring):
    op, engine = answered(qtbot, shell, fake_api, wiring)
    w = op.page
    session = op.case.session
    checklist = w.checklist
    assert not checklist.submit_button.isEnabled() and checklist.escalate_button.isEnabled()
    engine.next_frame()
    for _ in range(9):  # scene, impact, then plate/licence/vehicle licence per party, then together
        before = w.gallery.count()
        w.video.captureRequested.emit()
        qtbot.waitUntil(lambda: w.gallery.count() == before + 1, timeout=3000)
        qtbot.waitUntil(lambda: not session.busy, timeout=3000)
    w.parties.verifyAllRequested.emit()
    qtbot.waitUntil(lambda: len(fake_api.called("verify_party")) == 2, timeout=3000)
    checklist.safetyConfirmed.emit()
    for key, value in (("injuries", "none"), ("drink_drugs_flight", False), ("vehicles_movable", True)):
        qtbot.waitUntil(lambda key=key, value=value: checklist.button(key, value) is not None, timeout=2000)
        qtbot.mouseClick(checklist.button(key, value), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(checklist.submit_button.isEnabled, timeout=3000)
    qtbot.mouseClick(checklist.submit_button, Qt.MouseButton.LeftButton)
    confirm_submit(qtbot, op, keep=True)  # 继续采集: nothing is sent, the call goes on
    assert op.case is not None and fake_api.called("submit") == [] and engine.hung_up is None
    qtbot.mouseClick(checklist.submit_button, Qt.MouseButton.LeftButton)
    confirm_submit(qtbot, op)
    qtbot.waitUntil(lambda: op.case is None, timeout=3000)
    assert fake_api.cases[1]["state"] == "awaiting_liability"
    assert ("show_instruction", {"text": "信息已采集完毕，请立即撤离现场，恢复交通。"}) in engine.commands
    assert fake_api.called("record_instruction")[-1][-1] == "信息已采集完毕，请立即撤离现场，恢复交通。"
    assert fake_api.called("push_instruction") == []  # shown once, over the data channel
    assert engine.hung_up == "submitted" and engine.recorder.stopped
    assert op.actions.count == 9 + 1 + 1 + 3 + 1


def confirm_submit(qtbot, op, keep: bool = False) -> None:
    """The confirmation names each party with its plate; answer it with 提交并结束通话 or 继续采集."""
    qtbot.waitUntil(lambda: op.submit_dialog is not None and op.submit_dialog.isVisible(), timeout=2000)
    dialog = op.submit_dialog
    text = dialog.informativeText()
    for party in op.case.session.case.parties:
        assert f"{'甲乙丙'[party.position - 1]}方" in text and party.value("plate") in text
    wanted = "继续采集" if keep else "提交并结束通话"
    button = next(b for b in dialog.buttons() if b.text() == wanted)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)


def test_escalation_needs_a_reason(qtbot, shell, fake_api, wiring):
    op, _ = answered(qtbot, shell, fake_api, wiring)
    qtbot.waitUntil(lambda: fake_api.cases[1]["state"] == "collecting", timeout=3000)
    op.page.checklist.escalate_button.click()
    dialog = op.escalate_dialog
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.presets.setCurrentIndex(2)
    dialog.presets.activated.emit(2)
    assert ok.isEnabled()
    ok.click()
    qtbot.waitUntil(lambda: fake_api.cases[1]["state"] == "escalated", timeout=3000)
    assert fake_api.called("escalate") == [(1, "车辆无法移动")]


def test_interrupted_call_waits_for_the_party_and_reattaches_on_rejoin(qtbot, shell, fake_api, wiring):
    op, engine = answered(qtbot, shell, fake_api, wiring)
    socket = FakeSocket.instances[-1]
    fake_api.cases[1]["state"] = "interrupted"
    socket.push(ToSeatMsg.PHONE_LEFT, case_id=1)
    w = op.page
    qtbot.waitUntil(lambda: "等待当事人继续处理" in w.banner.text(), timeout=2000)
    assert w.video.canvas.banner and op.case is not None
    fake_api.cases[1]["state"] = "queued"
    socket.push(ToSeatMsg.PHONE_REJOINED, case_id=1)
    qtbot.waitUntil(lambda: len(fake_api.called("answer")) == 2, timeout=3000)
    engine.set_state("connected")
    qtbot.waitUntil(lambda: not w.banner.isVisible(), timeout=2000)


def test_after_its_own_socket_was_away_the_seat_learns_of_the_rejoin_from_the_queue(qtbot, shell, fake_api, wiring):
    """A server restart: this seat's socket was down when the party rejoined, so it never got phone_left nor
    phone_rejoined. The whole queue it gets on reconnecting shows the case back, held for it: it answers again,
    once, however many queue frames still list the case."""
    op, engine = answered(qtbot, shell, fake_api, wiring)
    socket = FakeSocket.instances[-1]
    fake_api.cases[1]["state"] = "queued"
    back = {"case_id": 1, "number": fake_api.cases[1]["number"], "state": "queued", "waiting_s": 2,
            "rejoining": True, "preferred_seat": True, "phone_online": True}
    socket.push(ToSeatMsg.QUEUE, version=1, items=[back])
    socket.push(ToSeatMsg.QUEUE_CHANGES, version=2, since=1, added=[], updated=[{**back, "waiting_s": 3}], removed=[])
    qtbot.waitUntil(lambda: len(fake_api.called("answer")) == 2, timeout=3000)
    assert op.case is not None and fake_api.cases[1]["state"] == "in_call"  # still open here: never "lost"
    socket.push(ToSeatMsg.QUEUE_CHANGES, version=3, since=2, added=[], updated=[{**back, "waiting_s": 4}], removed=[])
    qtbot.wait(200)
    assert len(fake_api.called("answer")) == 2
    engine.set_state("connected")


def test_a_rejoining_case_held_for_another_seat_is_not_answered_by_this_one(qtbot, shell, fake_api, wiring):
    op, _ = answered(qtbot, shell, fake_api, wiring)
    socket = FakeSocket.instances[-1]
    other = {"case_id": 1, "number": fake_api.cases[1]["number"], "state": "queued", "waiting_s": 2,
             "rejoining": True, "preferred_seat": False, "phone_online": True}
    socket.push(ToSeatMsg.QUEUE, version=1, items=[other])
    qtbot.wait(200)
    assert len(fake_api.called("answer")) == 1


def test_no_audio_device_warns_and_the_call_goes_on(qtbot, shell, fake_api, wiring):
    op, _ = answered(qtbot, shell, fake_api, wiring)
    assert "音频设备不可用" in op.page.video.audio_warning.text()
    assert op.page.video.capture_button.isEnabled()
    op.page.video.mute_button.click()
    assert wiring.audios["1"].source.muted


def test_closing_mid_call_ends_the_call_and_tells_the_server(qtbot, shell, fake_api, wiring):
    op, engine = answered(qtbot, shell, fake_api, wiring)
    qtbot.waitUntil(lambda: fake_api.cases[1]["state"] == "collecting", timeout=3000)
    socket = FakeSocket.instances[-1]
    with qtbot.waitSignal(shell.finished, timeout=5000):
        shell.window.close()
    assert engine.hung_up == "shutdown" and engine.recorder.stopped
    assert fake_api.cases[1]["state"] == "interrupted"
    assert ("hangup", {"case_id": 1, "reason": "shutdown"}) in socket.sent
    assert not socket.connected


def test_an_expired_session_asks_to_log_in_again_and_reconnects(qtbot, shell, fake_api, wiring):
    op, _ = answered(qtbot, shell, fake_api, wiring)
    first_socket = FakeSocket.instances[-1]
    first_socket.events.emit("session_expired")
    dialog = shell.login_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    assert "登录已过期" in dialog.message.text() and op.case is not None  # the case stays open
    dialog.password.setText("pw")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: FakeSocket.instances[-1] is not first_socket, timeout=3000)
    assert not dialog.isVisible() and FakeSocket.instances[-1].connected


def test_settings_change_shortcuts_and_are_kept(qtbot, shell, fake_api, tmp_path, monkeypatch):
    from PySide6.QtGui import QKeySequence

    from seat_app import settings as store
    from seat_app.ui.dialogs.settings_dialog import SettingsDialog

    monkeypatch.setenv("KUAICHU_SEAT_CONFIG", str(tmp_path / "seat.json"))
    monkeypatch.setenv("KUAICHU_SEAT_DEFAULTS", str(tmp_path / "it.json"))
    op = operator(qtbot, shell)
    shell.save_settings = True
    dialog = SettingsDialog(shell.settings)
    qtbot.addWidget(dialog)
    dialog.shortcut_edits["capture"].setKeySequence(QKeySequence("F8"))
    dialog.server.setText("https://kuaichu.example")
    shell.apply_settings(dialog.result_settings())
    assert op.shortcuts["capture"].key().toString() == "F8"
    assert "F8" in op.page.video.capture_button.toolTip()
    saved = store.load()
    assert saved.shortcut("capture") == "F8" and saved.server_url == "https://kuaichu.example"


def test_phone_controls_send_commands_and_a_phone_photo_takes_the_capture_path(qtbot, shell, fake_api, wiring):
    op, engine = answered(qtbot, shell, fake_api, wiring)
    engine.reply = {"take_photo": {"evidence_id": 555, "width": 1920, "height": 1080},
                    "switch_camera": {"facing": "user"}}
    video = op.page.video
    video.camera_button.click()
    video.torch_button.click()
    video.photo_button.click()
    qtbot.waitUntil(lambda: op.page.gallery.count() == 1, timeout=3000)
    assert [name for name, _ in engine.commands if name != "show_instruction"] == ["switch_camera", "torch",
                                                                                "take_photo"]
    assert engine.commands[0][1] == {"facing": "user"} and engine.commands[1][1] == {"on": True}
    record = op.case.session.records[0]
    assert (record.kind, record.evidence_id, record.width) == ("photo", 555, 1920)
    qtbot.waitUntil(lambda: bool(fake_api.called("label_evidence")), timeout=2000)
    assert fake_api.called("label_evidence")[0] == (555, "scene", None)
    assert not fake_api.called("upload_evidence")  # the phone uploaded it already


def test_segments_left_by_a_crash_are_sent_after_login_and_the_operator_is_told(qtbot, qloop, fake_api, wiring, ocr,
                                                                                tmp_path):
    left = tmp_path / "case-1" / "case-1-0003-20261124T101500.mp4"
    left.parent.mkdir()
    left.write_bytes(b"\x00\x00\x00\x18ftypisom")  # the fake server takes any bytes; the real one is tested elsewhere
    shell = make_shell(fake_api, wiring, ocr, recordings_dir=tmp_path)
    qtbot.addWidget(shell.window)
    try:
        log_in(qtbot, shell)
        qtbot.waitUntil(lambda: shell.window.notice.text() == "已补传上次未上传的录像 1 段", timeout=3000)
        assert fake_api.called("upload_recording") == [(1, left.name)]
        assert not left.exists()
    finally:
        close(shell)


def test_an_error_from_the_outage_goes_when_the_server_is_back(qtbot, shell, fake_api):
    op = operator(qtbot, shell)
    window, socket = shell.window, FakeSocket.instances[-1]
    assert window.link_label.text() == "● 已连接服务器"
    socket.connected = False
    socket.events.emit("disconnected")
    fake_api.unreachable = True
    qtbot.waitUntil(lambda: window.link_label.text().startswith("○"), timeout=2000)
    asyncio.ensure_future(op.seat.refresh_queue())  # the poll while the socket is down
    qtbot.waitUntil(lambda: window.notice.text().startswith("刷新队列失败：无法连接服务器"), timeout=3000)
    fake_api.unreachable = False
    socket.connected = True
    socket.events.emit("connected")
    qtbot.waitUntil(lambda: window.link_label.text() == "● 已连接服务器", timeout=2000)
    assert window.notice.text() == ""  # no red line left beside the green one


def test_an_error_while_connected_stays_after_a_reconnect(qtbot, shell, fake_api):
    fake_api.lose_race.add(1)
    op = operator(qtbot, shell)
    window, socket = shell.window, FakeSocket.instances[-1]
    socket.push(ToSeatMsg.QUEUE, items=[{"case_id": 1, "number": "KC1", "waiting_s": 10}])
    qtbot.waitUntil(lambda: len(op.page.queue.items) == 1, timeout=2000)
    op.page.queue.answerRequested.emit(1)
    qtbot.waitUntil(lambda: "其他坐席" in window.notice.text(), timeout=3000)
    socket.events.emit("disconnected")
    socket.events.emit("connected")
    qtbot.waitUntil(lambda: window.link_label.text() == "● 已连接服务器", timeout=2000)
    assert "其他坐席" in window.notice.text()  # not about the link: the operator still needs to read it


def test_next_shot_tells_the_phone_what_to_point_at(qtbot, shell, fake_api, wiring):
    op, engine = answered(qtbot, shell, fake_api, wiring)
    w = op.page
    assert w.video.target_box.currentText() == "现场全景"
    assert not any(name == "show_instruction" for name, _ in engine.commands)  # the phone films the scene anyway
    w.video.targetChosen.emit(_target(op, "licence", 1))
    want = ("show_instruction", {"text": "请出示甲方驾驶人的驾驶证，平放并对准镜头。", "shot": "licence.1"})
    qtbot.waitUntil(lambda: want in engine.commands, timeout=2000)
    engine.next_frame()
    w.video.captureRequested.emit()  # the plan then proposes the next missing shot: the phone is told that too
    qtbot.waitUntil(lambda: w.gallery.count() == 1, timeout=3000)
    proposed = w.video.target_box.currentData()
    qtbot.waitUntil(lambda: engine.commands[-1][1].get("shot") == proposed.key, timeout=2000)
    assert len([c for c in engine.commands if c[0] == "show_instruction"]) == 2


# --- attribution by a shared identifier, conflicts, moving a capture (issue 17) ----------------------
ID_A = "11010519491231002X"
LICENCE_A = [NAME, OverlayItem((300, 150, 260, 30), ID_A, "id_number", True, 0.97),
             OverlayItem((300, 200, 60, 30), "C1", "licence_class", True, 0.93)]


def _captured(qtbot, op, engine, count: int) -> None:
    engine.next_frame()
    op.page.video.captureRequested.emit()
    qtbot.waitUntil(lambda: op.page.gallery.count() == count and not op.case.session.busy, timeout=4000)


def test_a_reading_never_overwrites_what_the_operator_typed_and_the_operator_picks(qtbot, shell, fake_api, wiring,
                                                                                   ocr, tmp_path):
    ocr.readings["scene"] = LICENCE_A
    fake_api.cases[1]["parties"][0].update(id_number=ID_A, driver_name="张三")  # typed before the capture
    op, engine = answered(qtbot, shell, fake_api, wiring)
    form = op.page.parties.form_at(1)
    _captured(qtbot, op, engine, 1)
    qtbot.waitUntil(lambda: form.issues["driver_name"].isVisible(), timeout=2000)
    assert form.edits["driver_name"].text() == "张三" and form.validity("driver_name") == "invalid"
    assert form.edits["licence_class"].text() == "C1"  # an empty field still fills
    choices = {b.text(): b for b in form.issues["driver_name"].findChildren(QPushButton, "conflict_choice")}
    assert set(choices) == {"张三（操作员填写）", "张伟（第1张 驾驶证）"}
    shell.window.resize(1600, 1000)
    form.grab().save(str(tmp_path / "conflict.png"))
    choices["张伟（第1张 驾驶证）"].click()
    qtbot.waitUntil(lambda: form.edits["driver_name"].text() == "张伟", timeout=2000)
    qtbot.waitUntil(lambda: not form.issues["driver_name"].isVisible(), timeout=2000)
    qtbot.waitUntil(lambda: fake_api.cases[1]["parties"][0]["driver_name"] == "张伟", timeout=2000)


def test_a_licence_nobody_shares_an_identifier_with_asks_whose_it_is(qtbot, shell, fake_api, wiring, ocr):
    ocr.readings["scene"] = LICENCE_A
    op, engine = answered(qtbot, shell, fake_api, wiring)
    gallery, form = op.page.gallery, op.page.parties.form_at(1)
    _captured(qtbot, op, engine, 1)
    qtbot.waitUntil(gallery.prompt.isVisible, timeout=2000)
    assert gallery.prompt_label.text() == "第1张 驾驶证（张伟）属于哪一方？"
    assert gallery.list.item(0).text().endswith("待选归属")
    assert form.edits["id_number"].text() == ""  # not guessed from the order or the shot's label
    buttons = {b.text(): b for b in gallery.prompt.findChildren(QPushButton, "attribute_to")}
    assert list(buttons) == ["甲方", "新当事方"]
    buttons["甲方"].click()  # the one click
    qtbot.waitUntil(lambda: form.edits["id_number"].text() == ID_A, timeout=2000)
    qtbot.waitUntil(lambda: not gallery.prompt.isVisible(), timeout=2000)
    assert gallery.list.item(0).text().startswith("甲方 驾驶证")
    assert op.actions.names == ["capture", "assign_capture"]  # one click answered 归属


def test_a_capture_moved_from_its_thumbnail_takes_its_fields_and_two_parties_sharing_an_id_are_both_flagged(
        qtbot, shell, fake_api, wiring, ocr):
    ocr.readings["scene"] = LICENCE_A
    fake_api.cases[1]["parties"][0]["id_number"] = ID_A
    op, engine = answered(qtbot, shell, fake_api, wiring)
    w = op.page
    _captured(qtbot, op, engine, 1)
    qtbot.waitUntil(lambda: w.parties.form_at(1).edits["driver_name"].text() == "张伟", timeout=2000)
    local_id = op.case.session.records[0].local_id
    menu = w.gallery.menu_for(local_id)
    to_party = next(a.menu() for a in menu.actions() if a.text() == "归属到")
    next(a for a in to_party.actions() if a.text() == "新当事方").trigger()
    qtbot.waitUntil(lambda: w.parties.form_at(2) is not None
                    and w.parties.form_at(2).edits["driver_name"].text() == "张伟", timeout=3000)
    first, second = w.parties.form_at(1), w.parties.form_at(2)
    qtbot.waitUntil(lambda: first.edits["driver_name"].text() == "", timeout=2000)
    assert first.edits["id_number"].text() == ID_A  # on the case before the capture: not the capture's to take
    assert second.edits["id_number"].text() == ID_A
    qtbot.waitUntil(lambda: fake_api.cases[1]["parties"][0].get("driver_name") == "", timeout=2000)  # the server's
    for form, other in ((first, "乙方"), (second, "甲方")):  # one ID number on two parties: an error on both
        qtbot.waitUntil(lambda form=form: form.issues["id_number"].isVisible(), timeout=2000)
        assert form.validity("id_number") == "invalid"
        (label,) = form.issues["id_number"].findChildren(QLabel)
        assert label.text() == f"✖ 与{other}相同：同一身份证号不能属于两方"
    kinds = next(a.menu() for a in w.gallery.menu_for(local_id).actions() if a.text() == "改为")
    next(a for a in kinds.actions() if a.text() == "行驶证").trigger()
    qtbot.waitUntil(lambda: op.case.session.record(local_id).label == "vehicle_licence", timeout=2000)
    qtbot.waitUntil(lambda: w.gallery.list.item(0).text().startswith("乙方 行驶证"), timeout=2000)


VIN_A, VIN_B = "LSVAU2187N2123456", "LGXCE4CB6P0658213"
VEHICLE_LICENCE_A = [OverlayItem((300, 80, 200, 30), "川A·5F7K2", "plate", True, 0.97),
                     OverlayItem((300, 120, 200, 30), "小型轿车", "vehicle_type", True, 0.95),
                     OverlayItem((300, 160, 200, 30), "王建国", "owner", True, 0.95),
                     OverlayItem((300, 200, 300, 30), VIN_A, "vin", True, 0.97)]


def _two_cars_with_a_vehicle_licence(qtbot, shell, fake_api, wiring, ocr):
    """甲 (plate known) and 乙; one capture of 甲's 行驶证, given to 甲 by its plate."""
    fake_api.cases[1] = case_json(1, parties=2)
    fake_api.cases[1]["parties"][0]["plate"] = "川A5F7K2"
    ocr.readings["scene"] = VEHICLE_LICENCE_A
    op, engine = answered(qtbot, shell, fake_api, wiring)
    _captured(qtbot, op, engine, 1)
    first = op.page.parties.form_at(1)
    qtbot.waitUntil(lambda: first.edits["owner"].text() == "王建国", timeout=2000)
    return op


def _typed(form, name: str, value: str) -> None:
    form.edits[name].setText(value)
    form.edits[name].editingFinished.emit()


def test_a_vin_on_two_parties_is_a_checklist_error_naming_both_until_it_is_put_right(
        qtbot, shell, fake_api, wiring, ocr, tmp_path):
    op = _two_cars_with_a_vehicle_licence(qtbot, shell, fake_api, wiring, ocr)
    checklist, second = op.page.checklist, op.page.parties.form_at(2)
    key = "verification.shared.vin.1-2"
    _typed(second, "vin", VIN_A.lower())  # the operator copies 甲's VIN onto 乙 by mistake
    qtbot.waitUntil(lambda: checklist.status(key) is not None, timeout=2000)
    line = next(w for w in checklist.body.findChildren(QLabel) if w.property("key") == key)
    assert line.text() == "甲方与乙方的车辆识别代号相同：同一车辆识别代号不能属于两方，请改正后再提交"
    assert checklist.status(key).value == "failed" and not checklist.submit_button.isEnabled()
    assert f"✖ {line.text()}" in checklist.summary.text()  # said above the list too, where it is seen at once
    shell.window.resize(1600, 1000)
    qtbot.waitUntil(lambda: second.issues["vin"].isVisible(), timeout=2000)
    shots = Path(os.environ.get("KUAICHU_SCREENSHOTS") or tmp_path)  # the README's picture of it
    assert shell.window.grab().save(str(shots / "checklist-shared-identifier.png"))
    _typed(second, "vin", VIN_B)
    qtbot.waitUntil(lambda: checklist.status(key) is None, timeout=2000)  # gone the moment it is fixed
    assert "✖" not in checklist.summary.text()
    assert not any(w.property("key") == key for w in checklist.body.findChildren(QLabel) if w.isVisible())


def test_a_capture_called_another_kind_from_its_thumbnail_takes_that_kinds_fields_with_it(
        qtbot, shell, fake_api, wiring, ocr):
    op = _two_cars_with_a_vehicle_licence(qtbot, shell, fake_api, wiring, ocr)
    w, first = op.page, op.page.parties.form_at(1)
    local_id = op.case.session.records[0].local_id
    kinds = next(a.menu() for a in w.gallery.menu_for(local_id).actions() if a.text() == "改为")
    next(a for a in kinds.actions() if a.text() == "交强险保单").trigger()  # it was 甲's policy, not its 行驶证
    qtbot.waitUntil(lambda: first.edits["owner"].text() == "", timeout=2000)
    assert first.edits["vehicle_type"].text() == ""
    assert (first.edits["plate"].text(), first.edits["vin"].text()) == ("川A5F7K2", VIN_A)  # a policy prints them
    qtbot.waitUntil(lambda: fake_api.cases[1]["parties"][0].get("owner") == "", timeout=2000)  # the server's too
    qtbot.waitUntil(lambda: w.gallery.list.item(0).text().startswith("甲方 交强险保单"), timeout=2000)
    kinds = next(a.menu() for a in w.gallery.menu_for(local_id).actions() if a.text() == "改为")
    next(a for a in kinds.actions() if a.text() == "行驶证").trigger()  # and back
    qtbot.waitUntil(lambda: first.edits["owner"].text() == "王建国", timeout=2000)
    assert first.edits["vehicle_type"].text() == "小型轿车"


def test_a_licence_called_a_policy_asks_whose_policy_it_is_and_its_dates_follow_the_answer(
        qtbot, shell, fake_api, wiring, ocr):
    ocr.readings["scene"] = LICENCE_A + [OverlayItem((300, 250, 200, 30), "2016-03-20", "licence_valid_from", True, 0.9),
                                         OverlayItem((300, 300, 200, 30), "2036-03-20", "licence_valid_until", True, 0.9)]
    fake_api.cases[1]["parties"][0]["id_number"] = ID_A
    op, engine = answered(qtbot, shell, fake_api, wiring)
    w, form = op.page, op.page.parties.form_at(1)
    _captured(qtbot, op, engine, 1)
    qtbot.waitUntil(lambda: form.edits["licence_valid_until"].text() == "2036-03-20", timeout=2000)
    local_id = op.case.session.records[0].local_id
    kinds = next(a.menu() for a in w.gallery.menu_for(local_id).actions() if a.text() == "改为")
    next(a for a in kinds.actions() if a.text() == "交强险保单").trigger()
    qtbot.waitUntil(w.gallery.prompt.isVisible, timeout=2000)  # dates name nobody: not kept on 甲 by its old label
    assert w.gallery.prompt_label.text() == "第1张 交强险保单（2016-03-20）属于哪一方？"
    assert (form.edits["driver_name"].text(), form.edits["licence_valid_until"].text()) == ("", "")
    assert form.edits["id_number"].text() == ID_A  # on the case before the capture
    buttons = {b.text(): b for b in w.gallery.prompt.findChildren(QPushButton, "attribute_to")}
    buttons["甲方"].click()
    qtbot.waitUntil(lambda: form.edits["insurance_valid_until"].text() == "2036-03-20", timeout=2000)
    assert not w.gallery.prompt.isVisible()


def test_a_command_the_phone_refuses_is_said_in_plain_words(qtbot, shell, fake_api, wiring):
    from seat_app.services.call.control import CommandError, CommandTimeout

    op, engine = answered(qtbot, shell, fake_api, wiring)
    refusals = iter([CommandError("unsupported", "the front camera has no torch"), CommandTimeout("switch_camera", 5)])

    async def refuse(name, args=None, timeout=5.0):
        raise next(refusals)

    engine.command = refuse
    op.page.video.torch_button.click()
    qtbot.waitUntil(lambda: shell.window.notice.text() == "手机操作失败：这部手机或当前摄像头不支持", timeout=2000)
    assert not op.page.video.torch_button.isChecked()
    op.page.video.camera_button.click()
    qtbot.waitUntil(lambda: shell.window.notice.text() == "手机操作失败：手机没有响应", timeout=2000)
