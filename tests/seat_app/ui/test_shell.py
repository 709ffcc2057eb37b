"""The seat's shell: each role sees its own workspaces, against a real server and against the fake one."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from seat_app.core.seat_settings import SeatSettings
from seat_app.services.ocr_port import NullOcr
from seat_app.ui.shell_controller import ShellController
from seat_app.ui.workspaces.catalogue import Workspaces
from seat_app.ui.workspaces.operator.operator_controller import OperatorController
from tests.seat_app.doubles import FakeApi, FakeSocket, FakeWiring, case_json
from tests.support.live_server import LiveServer, sqlite_settings

PASSWORD = "seat password 1"
USERS = (("operator1", "operator"), ("officer1", "officer"), ("supervisor1", "supervisor"))


@pytest.fixture(scope="module")
def live(tmp_path_factory, sqlite_template):
    with LiveServer.start(sqlite_settings(tmp_path_factory.mktemp("seat-shell"), sqlite_template)) as server:
        for name, role in USERS:
            server.create_user(name, PASSWORD, role)
        yield server


def log_in(qtbot, shell: ShellController, username: str, password: str) -> None:
    shell.start()
    dialog = shell.login_dialog
    dialog.username.setText(username)
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)


def close(shell: ShellController) -> None:
    if not shell.shut_down:
        shell.window.close()


def shown(shell: ShellController) -> tuple[list[str], list[str]]:
    """The mounted workspaces' keys and the tab titles the user sees."""
    return list(shell.mounted), shell.window.workspace_titles()


@pytest.mark.parametrize(("username", "key", "title"), [
    ("operator1", "operator", "接警处理"), ("officer1", "liability", "责任认定"), ("supervisor1", "dashboard", "值班看板"),
])
def test_each_role_logs_in_to_a_real_server_and_sees_its_own_workspace(qtbot, qloop, live, username, key, title):
    shell = ShellController(SeatSettings(server_url=live.url, username=username),
                            workspaces=Workspaces(ocr=NullOcr(), call_wiring=FakeWiring()), save_settings=False)
    qtbot.addWidget(shell.window)
    try:
        log_in(qtbot, shell, username, PASSWORD)
        qtbot.waitUntil(shell.window.isVisible, timeout=10000)
        assert shown(shell) == ([key], [title]) and shell.role == dict(USERS)[username]
        assert shell.window.current_workspace() is shell.workspace(key).page
        assert not shell.window.workspaces.tabBar().isVisible()  # one workspace: no tabs
        if key == "operator":  # today's flow: the live queue over the real seat socket
            operator = shell.workspace("operator")
            qtbot.waitUntil(lambda: operator.seat.socket is not None and operator.seat.socket.connected,
                            timeout=10000)
            assert operator.page.queue.isVisible()
        elif key == "liability":  # the officer's queue, over their own seat socket
            officer = shell.workspace(key)
            qtbot.waitUntil(lambda: officer.socket is not None and officer.socket.connected, timeout=10000)
            assert officer.page.queue.isVisible()
        else:  # the dashboard's now figures, over the supervisor's own seat socket
            dashboard = shell.workspace(key)
            qtbot.waitUntil(lambda: dashboard.socket is not None and dashboard.socket.connected, timeout=10000)
            assert dashboard.page.live["waiting"].isVisible()
    finally:
        close(shell)
        qtbot.waitUntil(lambda: shell.shut_down, timeout=10000)


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
    s = ShellController(SeatSettings(server_url="http://fake"), save_settings=False,
                        workspaces=Workspaces(call_wiring=wiring, socket_factory=FakeSocket),
                        client_factory=lambda *a, **k: fake_api)
    qtbot.addWidget(s.window)
    yield s
    close(s)


def test_admin_sees_all_three_workspaces_and_keys_act_only_in_the_operators(qtbot, shell, fake_api):
    log_in(qtbot, shell, "admin", "pw")
    qtbot.waitUntil(shell.window.isVisible, timeout=3000)
    assert shown(shell) == (["operator", "liability", "dashboard"], ["接警处理", "责任认定", "值班看板"])
    assert shell.window.workspaces.tabBar().isVisible()
    operator = shell.workspace("operator")
    assert isinstance(operator, OperatorController)
    operator.seat.socket.push("queue", items=[{"case_id": 1, "number": "KC1", "waiting_s": 3}])
    qtbot.waitUntil(lambda: len(operator.page.queue.items) == 1, timeout=2000)
    queue = operator.page.queue
    queue.table.selectRow(0)
    shell.window.workspaces.setCurrentIndex(1)
    with qtbot.assertNotEmitted(queue.answerRequested):  # a shortcut runs inside keyClick, or not at all
        qtbot.keyClick(shell.window, Qt.Key.Key_Return)
    shell.window.workspaces.setCurrentIndex(0)
    with qtbot.waitSignal(queue.answerRequested, timeout=2000):  # the same key, on the operator's page
        qtbot.keyClick(shell.window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: operator.case is not None, timeout=3000)
    assert fake_api.called("answer") == [(1,)]


def test_a_role_without_a_workspace_is_told_so_and_logged_out(qtbot, shell, fake_api, monkeypatch):
    monkeypatch.setitem(__import__("tests.seat_app.doubles", fromlist=["ROLES"]).ROLES, "clerk1", "clerk")
    log_in(qtbot, shell, "clerk1", "pw")
    dialog = shell.login_dialog
    qtbot.waitUntil(lambda: "没有可用的工作区" in dialog.message.text(), timeout=3000)
    assert "clerk" in dialog.message.text() and not shell.window.isVisible() and not shell.mounted
    assert fake_api.called("logout") and not fake_api.token


def test_logging_out_mid_case_is_refused_and_a_new_user_gets_their_own_workspace(qtbot, shell, fake_api, wiring):
    log_in(qtbot, shell, "operator1", "pw")
    qtbot.waitUntil(shell.window.isVisible, timeout=3000)
    operator = shell.workspace("operator")
    operator.page.queue.answerRequested.emit(1)
    qtbot.waitUntil(lambda: operator.case is not None, timeout=3000)
    shell.window.logout_action.trigger()
    qtbot.waitUntil(lambda: shell.window.notice.text() == "请先处理完当前案件", timeout=3000)
    assert shell.window.isVisible() and shell.workspace("operator") is operator

    wiring.engines["1"].set_state("connected")
    qtbot.waitUntil(lambda: fake_api.cases[1]["state"] == "collecting", timeout=3000)
    operator.act("escalate", "车辆无法移动")
    qtbot.waitUntil(lambda: operator.case is None, timeout=3000)
    shell.window.logout_action.trigger()
    qtbot.waitUntil(lambda: shell.login_dialog.isVisible(), timeout=3000)
    assert not shell.mounted and not FakeSocket.instances[-1].connected
    log_in(qtbot, shell, "officer1", "pw")
    qtbot.waitUntil(shell.window.isVisible, timeout=3000)
    assert shown(shell) == (["liability"], ["责任认定"]) and "民警 赵刚" in shell.window.user_label.text()
