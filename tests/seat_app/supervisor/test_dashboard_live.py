"""The dashboard in the real seat window against a real server holding seed-demo's week: the tiles say what
the API says, the now figures arrive over the supervisor's own seat socket, and the week's charts draw.

Set KUAICHU_SCREENSHOTS=docs/screenshots to save the dashboard as supervisor-dashboard.png.
"""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from seat_app.app import style_app
from seat_app.core.seat_settings import SeatSettings
from seat_app.services.api_client import ApiClient
from seat_app.services.seat_socket import SeatSocket
from seat_app.ui.shell_controller import ShellController
from seat_app.ui.workspaces.catalogue import Workspaces
from seat_app.ui.workspaces.supervisor.chart_panels import percent
from seat_app.ui.workspaces.supervisor.dashboard_figures import format_duration
from server.adapters.db import unit_of_work
from server.adapters.orm import Case, utcnow
from server.services.demo_seed import DEMO_PASSWORD, seed_demo
from server.settings import Settings
from tests.seat_app.doubles import FakeWiring, run
from tests.support.live_server import LiveServer, sqlite_settings

SHOTS = os.environ.get("KUAICHU_SCREENSHOTS", "")


@pytest.fixture
def live(tmp_path, sqlite_template):
    kwargs = sqlite_settings(tmp_path, sqlite_template)
    seed_demo(Settings(**kwargs))  # the demo users, the week of history and two cases for the officer
    with LiveServer.start(kwargs) as server:
        waiting = [server.ctx.cases.open_case("public", reporter_phone=p).id for p in ("13800000001", "13800000002")]
        with unit_of_work(server.ctx.session_factory) as s:
            for case_id, seconds in zip(waiting, (25, 50)):
                s.get(Case, case_id).queued_at = utcnow() - timedelta(seconds=seconds)
        yield server


def api(server: LiveServer, username: str) -> ApiClient:
    client = ApiClient(server.url)
    client.login(username, DEMO_PASSWORD)
    return client


@pytest.fixture
def operators_signed_in(qtbot, qloop, live):
    """Two operators' seats on the line, so the seat list has rows."""
    sockets = [SeatSocket(api(live, name).ws_url) for name in ("operator1", "operator2")]
    for socket in sockets:
        socket.start()
    yield sockets
    for socket in sockets:
        run(qloop, qtbot, socket.stop())


@pytest.fixture
def dashboard(qtbot, qloop, live, operators_signed_in):
    if SHOTS:
        style_app(QApplication.instance())
    shell = ShellController(SeatSettings(server_url=live.url, username="supervisor1"),
                            workspaces=Workspaces(call_wiring=FakeWiring()), save_settings=False)
    qtbot.addWidget(shell.window)
    shell.start()
    shell.login_dialog.password.setText(DEMO_PASSWORD)
    qtbot.mouseClick(shell.login_dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(shell.window.isVisible, timeout=10000)
    board = shell.workspace("dashboard")
    qtbot.waitUntil(lambda: board.view is not None and board.page.seat_list.rowCount() == 2, timeout=15000)
    yield board
    shell.window.close()
    qtbot.waitUntil(lambda: shell.shut_down, timeout=10000)
    if SHOTS:
        QApplication.instance().setStyleSheet("")


def test_the_tiles_say_what_the_api_says(dashboard, live, qtbot, tmp_path):
    supervisor = api(live, "supervisor1")
    now = supervisor.metrics_now()
    live_tiles = dashboard.page.live
    assert live_tiles["waiting"].value.text() == str(now["calls_waiting"]) == "2"
    assert live_tiles["officer_queue"].value.text() == str(now["officer_queue"]["length"])
    assert live_tiles["cases_today"].value.text() == str(now["cases_today"])
    assert live_tiles["seats"].value.text() == f"{now['seats']['in_call']} / {now['seats']['idle']}" == "0 / 2"
    assert live_tiles["oldest_wait"].level == "amber"  # 50 s and counting
    assert {row[0] for row in dashboard.page.seat_list.rows_text()} == {"坐席 王敏", "坐席 李强"}

    today = dashboard.page.range_picker.today
    qtbot.mouseClick(dashboard.page.range_picker.buttons["last_7_days"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dashboard.view.range.first == today - timedelta(days=6), timeout=15000)
    week = supervisor.metrics((today - timedelta(days=6)).isoformat(), today.isoformat(), "day")["total"]
    summary = dashboard.page.summary
    assert int(summary["cases"].value.text()) == week["cases"] >= 300
    assert summary["answer"].value.text() == percent(week["service_level"]["answered_within_60s"]["rate"])
    assert summary["handling"].value.text() == format_duration(week["times"]["handling"]["p50"])
    assert summary["escalation"].value.text() == percent(week["rates"]["escalation"]["rate"])
    assert summary["determined"].value.text() == str(week["determined"])
    seats = supervisor.metrics((today - timedelta(days=6)).isoformat(), today.isoformat(), "seat")
    answered_by = [g["label"] for g in seats["groups"] if g["key"] and g["times"]["handling"]["count"]]
    assert dashboard.page.handling.chart.axes()[0].categories() == answered_by == ["坐席 王敏", "坐席 李强"]
    funnel = dashboard.page.funnel.chart.series()[0].barSets()[0]
    assert [funnel.at(i) for i in range(4)] == [week["determined"], week["submitted"], week["answered"], week["cases"]]

    window = dashboard.window
    window.resize(1680, 1050)
    qtbot.wait(300)  # the resize's layout pass
    shot = window.grab()
    target = Path(SHOTS) / "supervisor-dashboard.png" if SHOTS else tmp_path / "supervisor-dashboard.png"
    assert shot.save(str(target))
    assert target.stat().st_size > 20_000
