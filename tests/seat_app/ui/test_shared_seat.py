"""A seat shared between people: after 退出登录 nothing of the first user remains for the next one.

operator1 handles a case (a capture in the gallery, the preview, plates read, a notice in the status
line) and logs out; the login box has no password left (Enter does not log operator1 back in), and
admin, logging in next, gets new workspaces whose operator page shows no case, no capture, no
preview and no status of operator1's. The first user's pages are deleted, not hidden.
"""
from __future__ import annotations

import gc

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt

from kuaichu_protocol.messages import ToSeatMsg
from seat_app.core.evidence import OverlayItem
from seat_app.core.seat_settings import SeatSettings
from seat_app.ui.shell_controller import ShellController
from seat_app.ui.workspaces.catalogue import Workspaces
from tests.seat_app.doubles import FakeApi, FakeOcr, FakeSocket, FakeWiring, case_json

PLATE_A = OverlayItem((100, 300, 220, 70), "川A·5F7K2", "plate", True, 0.98)
PLATE_B = OverlayItem((800, 320, 220, 70), "川B·12345", "plate", True, 0.97)


@pytest.fixture
def fake_api():
    api = FakeApi()
    api.cases[1] = case_json(1)
    return api


@pytest.fixture
def wiring():
    return FakeWiring()


@pytest.fixture
def shell(qtbot, qloop, fake_api, wiring):
    FakeSocket.instances.clear()
    workspaces = Workspaces(ocr=FakeOcr({"scene": [PLATE_A, PLATE_B]}), call_wiring=wiring,
                            socket_factory=FakeSocket)
    s = ShellController(SeatSettings(server_url="http://fake", username="operator1"), workspaces=workspaces,
                        save_settings=False, client_factory=lambda *a, **k: fake_api)
    qtbot.addWidget(s.window)
    yield s
    if not s.shut_down:
        s.window.on_close = None
        s.window.close()


def submit(qtbot, shell, username: str, password: str) -> None:
    shell.client_factory("http://fake").password = password  # the fake server knows one password at a time
    dialog = shell.login_dialog
    dialog.username.setText(username)
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(shell.window.isVisible, timeout=3000)


def test_the_next_user_sees_nothing_of_the_first(qtbot, shell, fake_api, wiring):
    shell.start()
    submit(qtbot, shell, "operator1", "operator1's password")
    first = shell.workspace("operator")
    FakeSocket.instances[-1].push(ToSeatMsg.QUEUE, items=[{"case_id": 1, "number": "KC2026-0001", "waiting_s": 5}])
    qtbot.waitUntil(lambda: len(first.page.queue.items) == 1, timeout=2000)
    first.page.queue.answerRequested.emit(1)
    qtbot.waitUntil(lambda: first.case is not None, timeout=3000)
    engine = wiring.engines["1"]
    engine.set_state("connected")
    qtbot.waitUntil(lambda: fake_api.cases[1]["state"] == "collecting", timeout=3000)
    engine.next_frame(1280, 720)
    qtbot.waitUntil(lambda: first.page.video.frames_shown >= 1, timeout=2000)
    qtbot.keyClick(shell.window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: first.page.gallery.count() == 1, timeout=2000)
    qtbot.waitUntil(lambda: first.page.parties.form_at(1) is not None
                    and first.page.parties.form_at(1).edits["plate"].text() == "川A5F7K2", timeout=4000)
    first.act("escalate", "车辆无法移动")  # the case ends; the status line says so
    qtbot.waitUntil(lambda: first.case is None, timeout=3000)
    shell.window.show_notice("operator1's last notice")
    old_pages = [w.page for w in (first,)]

    shell.window.logout_action.trigger()
    dialog = shell.login_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    assert dialog.password.text() == "" and dialog.message.text() == ""
    assert shell.window.notice.text() == "" and shell.window.user_label.text() == ""
    assert shell.window.link_label.text() == "" and not shell.mounted and shell.window.workspace_titles() == []
    logins = len(fake_api.called("login"))
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter on the emptied box does not log operator1 back in
    assert dialog.message.text() == "请输入用户名和密码" and len(fake_api.called("login")) == logins
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert not any(shiboken6.isValid(page) for page in old_pages)  # the first user's views are gone, images with them

    submit(qtbot, shell, "admin", "admin's password")
    assert list(shell.mounted) == ["operator", "liability", "dashboard"]
    second = shell.workspace("operator")
    assert second is not first and second.case is None
    page = second.page
    assert page.gallery.count() == 0 and page.video.frames_shown == 0 and page.queue.items == []
    assert page.parties.form_at(1) is None or page.parties.form_at(1).edits["plate"].text() == ""
    assert not page.checklist.submit_button.isEnabled() and not page.overlay.apply_button.isEnabled()  # 全部采用
    assert page.overlay.record is None
    assert "operator1's last notice" not in shell.window.notice.text()
    assert fake_api.called("login")[-1] == ("admin",)
