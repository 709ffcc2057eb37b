"""The supervisor's dashboard through the real shell and window, with the fake server and socket.

What the supervisor sees: the live tiles from ``now`` frames (the oldest wait
turning amber past 45 s and red past 60 s), the seats and how long each has been
in its state, the charts of the chosen range, the range picker asking the server
for the right dates, and the CSV and PNG files that are saved.
"""
from __future__ import annotations

import csv
from datetime import timedelta

import pytest
from PySide6.QtCharts import QBarSeries, QHorizontalBarSeries, QLineSeries
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from kuaichu_protocol.messages import ToSeatMsg
from seat_app.core.seat_settings import SeatSettings
from seat_app.ui.shell_controller import ShellController
from seat_app.ui.workspaces.catalogue import Workspaces
from seat_app.ui.workspaces.supervisor.dashboard_controller import DashboardController
from tests.seat_app.doubles import FakeApi, FakeSocket
from tests.seat_app.supervisor import dashboard_data


@pytest.fixture
def fake_api():
    api_ = FakeApi()
    dashboard_data.seed(api_)
    return api_


@pytest.fixture
def shell(qtbot, qloop, fake_api):
    FakeSocket.instances.clear()
    s = ShellController(SeatSettings(server_url="http://fake", username="supervisor1"),
                        workspaces=Workspaces(socket_factory=FakeSocket), save_settings=False,
                        client_factory=lambda *a, **k: fake_api)
    qtbot.addWidget(s.window)
    yield s
    if not s.shut_down:
        s.window.on_close = None
        s.window.close()


@pytest.fixture
def dashboard(qtbot, shell) -> DashboardController:
    shell.start()
    shell.login_dialog.password.setText("pw")
    qtbot.mouseClick(shell.login_dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(shell.window.isVisible, timeout=3000)
    board = shell.workspace("dashboard")
    qtbot.waitUntil(lambda: board.view is not None, timeout=3000)
    return board


def push(board: DashboardController, **figures) -> None:
    board.socket.push(ToSeatMsg.NOW, **dashboard_data.frame(**figures))


def bar_values(chart) -> dict[str, list[float]]:
    series = next(s for s in chart.chart.series() if isinstance(s, (QBarSeries, QHorizontalBarSeries)))
    return {bars.label(): [bars.at(i) for i in range(bars.count())] for bars in series.barSets()}


def categories(chart) -> list[str]:
    return next(a for a in chart.chart.axes() if hasattr(a, "categories")).categories()


def target_line(chart) -> float:
    line = next(s for s in chart.chart.series() if isinstance(s, QLineSeries))
    return line.at(0).y()


def test_the_supervisor_sees_the_dashboard_and_it_opens_its_own_socket(dashboard, shell):
    assert list(shell.mounted) == ["dashboard"] and shell.window.workspace_titles() == ["值班看板"]
    assert dashboard.socket is FakeSocket.instances[-1] and dashboard.socket.url.endswith("token=t0k")


def test_the_live_tiles_show_the_now_frame(dashboard):
    push(dashboard)
    tiles = dashboard.page.live
    assert tiles["waiting"].value.text() == "3"
    assert tiles["seats"].value.text() == "2 / 1" and "在线 3" in tiles["seats"].detail.text()
    assert tiles["officer_queue"].value.text() == "4" and tiles["officer_queue"].detail.text().startswith("最久 5:1")
    assert tiles["cases_today"].value.text() == "20" and tiles["cases_today"].detail.text() == "昨日同时段 23（-3）"
    assert tiles["oldest_wait"].value.text().startswith("0:5")


@pytest.mark.parametrize(("oldest", "level"), [(None, "normal"), (30.0, "normal"), (50.0, "amber"), (75.0, "red")])
def test_the_oldest_wait_turns_amber_past_45_s_and_red_past_60_s(dashboard, oldest, level):
    push(dashboard, oldest_wait_s=oldest, calls_waiting=1 if oldest else 0)
    tile = dashboard.page.live["oldest_wait"]
    assert tile.level == level
    assert ("#c62828" in tile.value.styleSheet()) == (level == "red")
    assert ("#b26a00" in tile.value.styleSheet()) == (level == "amber")


def test_the_oldest_wait_keeps_counting_between_frames(dashboard):
    push(dashboard, oldest_wait_s=44.0)
    assert dashboard.page.live["oldest_wait"].level == "normal"
    dashboard.figures = dashboard.figures.__class__(**{**dashboard.figures.__dict__,
                                                        "received_at": dashboard.figures.received_at - 20})
    dashboard.page.tick(dashboard.figures)
    assert dashboard.page.live["oldest_wait"].level == "red"
    assert dashboard.page.live["oldest_wait"].value.text().startswith("1:0")


def test_the_seat_list_shows_each_seats_state_and_how_long(dashboard):
    push(dashboard)
    rows = dashboard.page.seat_list.rows_text()
    # in a call first, the longest first; the frame was made at 10:15:02
    assert rows == [("坐席 王敏", "● 通话中", "3:00"), ("坐席 张丽", "● 通话中", "1:00"), ("坐席 李强", "● 空闲", "0:30")]


def test_the_charts_show_todays_range(dashboard):
    page = dashboard.page
    hours = bar_values(page.hourly)
    today = [dashboard_data.TODAY_HOURS.get(h, 0) for h in range(7, 19)]  # the service hours
    before = [dashboard_data.WEEK_BEFORE_HOURS.get(h, 0) for h in range(7, 19)]
    assert list(hours.values()) == [before, today] and "上周同日" in hours
    assert categories(page.hourly) == [f"{h:02d}" for h in range(7, 19)]
    assert categories(page.handling) == ["坐席 王敏", "坐席 李强"]  # nobody's "未接听" is no seat
    assert bar_values(page.handling) == {"p50": [230 / 60, 250 / 60], "p90": [280 / 60, 340 / 60]}
    assert target_line(page.handling) == 5.0 and page.handling.note.text() == "1 个坐席 p90 超过目标"
    assert target_line(page.answer_time) == 60.0 and page.answer_time.note.text() == "60 秒内接听 89%"
    assert bar_values(page.answer_time)["p90"][1] == 64.0  # 08:00
    assert categories(page.reasons) == ["车辆无法移动", "有人受伤"]  # drawn bottom up: the most frequent on top
    assert categories(page.funnel) == ["已认定", "提交认定", "接听", "报警"]
    assert list(bar_values(page.funnel).values()) == [[12, 15, 19, 20]]
    summary = page.summary
    assert summary["cases"].value.text() == "20" and summary["answer"].value.text() == "89%"
    assert summary["handling"].value.text() == "4:00" and summary["handling"].level == "red"  # p90 5:30
    assert summary["escalation"].value.text() == "16%"


def test_the_range_picker_asks_the_server_for_the_right_dates(dashboard, fake_api, qtbot):
    today = dashboard.page.range_picker.today
    day = timedelta(days=1)
    fake_api.calls.clear()
    qtbot.mouseClick(dashboard.page.range_picker.buttons["yesterday"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dashboard.view.range.first == today - day, timeout=3000)
    y, wb = (today - day).isoformat(), (today - 8 * day).isoformat()
    assert sorted(fake_api.called("metrics")) == sorted([(y, y, "hour"), (wb, wb, "hour"), (y, y, "seat")])
    fake_api.calls.clear()
    qtbot.mouseClick(dashboard.page.range_picker.buttons["last_7_days"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dashboard.view.range.first == today - 6 * day, timeout=3000)
    assert ((today - 6 * day).isoformat(), today.isoformat(), "day") in fake_api.called("metrics")
    assert len(categories(dashboard.page.hourly)) == 7 and dashboard.page.hourly.title.text() == "每日案件"
    fake_api.calls.clear()
    assert not dashboard.page.range_picker.first.isVisible()
    dashboard.page.range_picker.set_custom(today - 3 * day, today - 10 * day)  # either order
    qtbot.waitUntil(lambda: dashboard.view.range.first == today - 10 * day, timeout=3000)
    assert dashboard.page.range_picker.first.isVisible()
    assert fake_api.called("metrics")[0] == ((today - 10 * day).isoformat(), (today - 3 * day).isoformat(), "day")


def test_a_failing_server_is_said_and_the_last_view_stays(dashboard, fake_api, qtbot):
    shown = dashboard.view
    fake_api.unreachable = True
    qtbot.mouseClick(dashboard.page.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "统计加载失败" in dashboard.page.updated.text(), timeout=3000)
    assert "无法连接服务器" in dashboard.page.updated.text() and dashboard.view is shown


def test_the_figures_are_polled_while_the_socket_is_down(dashboard, fake_api, qtbot):
    fake_api.now_reply = dashboard_data.frame(calls_waiting=7)
    dashboard.socket.connected = False
    dashboard.socket.events.emit("disconnected")
    assert dashboard.poller.isActive()
    dashboard.poller.timeout.emit()
    qtbot.waitUntil(lambda: dashboard.page.live["waiting"].value.text() == "7", timeout=3000)
    dashboard.socket.events.emit("connected")
    assert not dashboard.poller.isActive()


def test_the_view_exports_as_csv(dashboard, tmp_path, qtbot):
    target = tmp_path / "view.csv"
    dashboard.ask_path = lambda parent, title, suggested, kind: target
    qtbot.mouseClick(dashboard.page.export_button, Qt.MouseButton.LeftButton)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    total = rows[0]
    assert (total["section"], total["cases"], total["answered"], total["determined"]) == ("total", "20", "19", "12")
    assert (total["answer_p90_s"], total["handling_p50_s"], total["answered_within_60s"]) == ("58.0", "240.0", "0.8947")
    assert total["escalation_reasons"] == "有人受伤:2;车辆无法移动:1"
    hours = [r for r in rows if r["section"] == "hour"]  # every hour, the night's too
    assert [int(r["cases"]) for r in hours] == [dashboard_data.TODAY_HOURS.get(h, 0) for h in range(24)]
    assert sum(int(r["cases"]) for r in rows if r["section"] == "hour_week_before") == 23
    assert [r["label"] for r in rows if r["section"] == "seat"] == ["坐席 王敏", "坐席 李强", "未接听"]


def test_cancelling_the_export_writes_nothing(dashboard, tmp_path, qtbot):
    dashboard.ask_path = lambda *a: None
    qtbot.mouseClick(dashboard.page.export_button, Qt.MouseButton.LeftButton)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("how", ["button", "context menu"])
def test_each_chart_saves_as_png(dashboard, tmp_path, how):
    asked = []

    def ask(parent, title, suggested, kind):
        asked.append(suggested)
        return tmp_path / suggested

    dashboard.ask_path = ask
    for chart in dashboard.page.charts:
        if how == "button":
            chart.save_button.click()
        else:
            assert chart.save_action in chart.view.actions()
            chart.save_action.trigger()
    assert len(asked) == 5 and all(name.endswith(".png") for name in asked)
    for name in asked:
        image = QImage(str(tmp_path / name))
        assert not image.isNull() and image.width() > 100 and image.height() > 100
    assert asked[0] == f"cases_per_hour-{dashboard.view.range.first.isoformat()}.png"


def test_logging_out_closes_the_dashboards_socket(dashboard, shell, qtbot):
    socket = dashboard.socket
    shell.window.logout_action.trigger()
    qtbot.waitUntil(lambda: not socket.connected, timeout=3000)
    assert shell.mounted == {}



def test_a_login_again_opens_a_fresh_socket_and_reloads_the_range(dashboard, fake_api, qtbot):
    old = dashboard.socket
    fake_api.calls.clear()
    dashboard.resume()
    qtbot.waitUntil(lambda: dashboard.socket is not old and dashboard.socket is not None, timeout=3000)
    qtbot.waitUntil(lambda: len(fake_api.called("metrics")) == 3, timeout=3000)
    assert not old.connected and dashboard.socket.connected
    push(dashboard, calls_waiting=5)
    assert dashboard.page.live["waiting"].value.text() == "5"
