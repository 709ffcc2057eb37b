"""The seat's 自检 window: the self-test's checks, one row each, filled in as each finishes."""
import socket
import threading

from seat_app.selftest import checks
from seat_app.selftest.qt_devices import DEVICES_CHECK
from seat_app.ui.dialogs.self_test_dialog import SelfTestDialog
from seat_app.ui.main_window import MainWindow


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_window_shows_each_check_as_it_runs_and_the_verdict(qtbot, qloop, tmp_path):
    release = threading.Event()

    def slow(config):
        assert release.wait(10)
        return checks.PASS, "done"

    by_name = {c.name: c for c in checks.CHECKS}
    url = f"https://127.0.0.1:{closed_port()}"
    config = checks.SelfTestConfig(server_url=url, settings_problems=("/etc/kuaichu/seat.json: language: bad",))
    listed = [by_name["settings"], DEVICES_CHECK, checks.Check("recording", "slow", slow), by_name["server"],
              by_name["role"]]
    dialog = SelfTestDialog(config, listed, version="0.1.0")
    qtbot.addWidget(dialog)
    dialog.show()
    task = dialog.start()
    qtbot.waitUntil(lambda: dialog.table.item(2, 0).text() == "检查中…", timeout=10000)
    assert dialog.table.item(0, 0).text() == "提醒" and "language: bad" in dialog.table.item(0, 2).text()
    assert dialog.progress.value() == 2 and not dialog.again.isEnabled()
    assert "录像写入和读回" in dialog.status.text()  # which check is running
    release.set()
    qtbot.waitUntil(task.done, timeout=15000)
    assert [dialog.table.item(row, 0).text() for row in range(4)][2:] == ["通过", "未通过"]
    assert dialog.table.item(3, 2).text() == f"cannot reach {url}: connection refused"
    assert dialog.status.text().startswith("有检查未通过")
    assert dialog.table.rowCount() == 4 and "role: no credentials" in dialog.not_run.text()  # no password here
    assert dialog.report().splitlines()[-1].startswith("FAILED:") and dialog.again.isEnabled()
    dialog.resize(1000, 360)
    dialog.grab().save(str(tmp_path / "self-test-window.png"))


def test_the_main_window_has_the_self_test_action(qtbot, qloop, tmp_path, monkeypatch):
    monkeypatch.setenv("KUAICHU_SEAT_DEFAULTS", str(tmp_path / "site.json"))
    monkeypatch.setenv("KUAICHU_SEAT_CONFIG", str(tmp_path / "user.json"))
    (tmp_path / "site.json").write_text('{"server_url": "http://127.0.0.1:%d"}' % closed_port())
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.self_test_action.text() == "自检"
    opened = []
    monkeypatch.setattr(SelfTestDialog, "start", lambda self: opened.append(self))  # the checks are tested above
    window.self_test_action.trigger()
    dialog = opened[0]
    assert dialog.parent() is window and dialog.isVisible()
    assert [c.name for c in dialog.checks] == ["settings", "ocr", "devices", "loopback", "recording", "server", "ice"]
    dialog.close()
    window.session = lambda: ("https://kuaichu.city.example", "session-token")  # what the shell sets once logged in
    window.self_test_action.trigger()
    dialog = opened[1]
    assert (dialog.config.server_url, dialog.config.token) == ("https://kuaichu.city.example", "session-token")
    assert [c.name for c in dialog.checks][-1] == "role"
    dialog.close()


def test_a_locked_server_cannot_be_typed_over_in_the_settings(qtbot):
    from seat_app.core.seat_settings import SeatSettings
    from seat_app.ui.dialogs.settings_dialog import SettingsDialog

    locked = SeatSettings(server_url="https://kuaichu.city.example", allow_server_change=False)
    dialog = SettingsDialog(locked)
    qtbot.addWidget(dialog)
    assert dialog.server.isReadOnly()
    free = SettingsDialog(SeatSettings())
    qtbot.addWidget(free)
    assert not free.server.isReadOnly()
