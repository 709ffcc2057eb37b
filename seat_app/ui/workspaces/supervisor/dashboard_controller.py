"""The supervisor's dashboard: live tiles from the seat socket's ``now`` frames, charts for a date range.

The workspace opens its own seat socket (the server pushes ``now`` to supervisor
and admin seats, docs/metrics.md); while it is down the figures are polled over
REST. A range takes three ``GET /api/metrics`` calls (by hour or day, the same a
week before, per seat), run off the Qt thread together; a reply for a range the
user has since left is dropped. Saving (CSV, PNG) asks for a file name through
``ask_path``, which tests replace.
"""
from __future__ import annotations

import asyncio
import csv
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from kuaichu_protocol.messages import ToSeatMsg
from seat_app.core.events import Emitter
from seat_app.core.seat_settings import SeatSettings
from seat_app.services.api_client import ApiError, SessionExpired
from seat_app.services.ports import ApiPort
from seat_app.services.seat_socket import SeatSocket
from seat_app.ui.main_window import MainWindow
from seat_app.ui.workspaces.supervisor.chart_panels import ChartPanel
from seat_app.ui.workspaces.supervisor.dashboard_figures import (SERVER_ZONE, DateRange, NowFigures, RangeView,
                                                                 csv_rows, local_today, now_from_frame)
from seat_app.ui.workspaces.supervisor.dashboard_page import DashboardPage
from seat_app.ui.workspaces.workspace import Workspace

log = logging.getLogger(__name__)

SocketFactory = Callable[[str], SeatSocket]
#: (parent, title, suggested file name, filter) -> the chosen path, or None when the user cancelled
AskPath = Callable[[QWidget, str, str, str], Path | None]

TICK_MS = 1000
REFRESH_MS = 60_000  # a range that includes today moves on while it is shown
POLL_MS = 5000  # the now figures over REST while the socket is down


def ask_save_path(parent: QWidget, title: str, suggested: str, file_filter: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), file_filter)
    return Path(path) if path else None


class SocketAdapter(QObject):
    """The dashboard socket's events as signals."""

    nowReceived = Signal(dict)
    linkChanged = Signal(bool)
    sessionExpired = Signal()

    def __init__(self, emitter: Emitter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._off = [
            emitter.on("message", self._message),
            emitter.on("connected", lambda: self.linkChanged.emit(True)),
            emitter.on("disconnected", lambda: self.linkChanged.emit(False)),
            emitter.on("session_expired", self.sessionExpired.emit),
        ]

    def _message(self, type: str, data: dict) -> None:  # noqa: A002 - the socket's keyword
        if type == ToSeatMsg.NOW:
            self.nowReceived.emit(dict(data))

    def detach(self) -> None:
        for off in self._off:
            off()


class DashboardController(Workspace):
    def __init__(self, window: MainWindow, settings: SeatSettings, *, socket_factory: SocketFactory = SeatSocket,
                 ask_path: AskPath = ask_save_path) -> None:
        self.zone = SERVER_ZONE
        page = DashboardPage(local_today(self.zone))
        super().__init__("dashboard", QCoreApplication.translate("DashboardController", "值班看板"), page, window)
        self.page: DashboardPage = page
        self.window = window
        self.socket_factory = socket_factory
        self.ask_path = ask_path
        self.client: ApiPort | None = None
        self.socket: SeatSocket | None = None
        self.adapter: SocketAdapter | None = None
        self.figures = NowFigures()
        self.view: RangeView | None = None
        self.loading: DateRange | None = None
        self.tasks: set[asyncio.Task] = set()
        self.ticker = self._timer(TICK_MS, lambda: self.page.tick(self.figures))
        self.refresher = self._timer(REFRESH_MS, self._refresh_if_live)
        self.poller = self._timer(POLL_MS, lambda: self._spawn(self.poll_now()))
        page.range_picker.rangeChanged.connect(lambda rng: self._spawn(self.load(rng)))
        page.refresh_button.clicked.connect(lambda: self._spawn(self.load(page.range_picker.current())))
        page.export_button.clicked.connect(self.export_clicked)
        for chart in page.charts:
            chart.saveRequested.connect(self.save_chart_clicked)

    def _timer(self, interval_ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        return timer

    def _spawn(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # --- the workspace's life ----------------------------------------------------------------
    def start(self, client: ApiPort) -> None:
        self.client = client
        self._open_socket()
        self.ticker.start()
        self.refresher.start()
        self._spawn(self.poll_now())
        self._spawn(self.load(self.page.range_picker.current()))

    def _open_socket(self) -> None:
        self.socket = self.socket_factory(self.client.ws_url)
        self.adapter = SocketAdapter(self.socket.events, self)
        self.adapter.nowReceived.connect(self.show_now)
        self.adapter.linkChanged.connect(self._link_changed)
        self.adapter.sessionExpired.connect(self.sessionExpired)
        self.socket.start()

    def resume(self) -> None:
        """A re-login: a fresh socket with the new token, and the range again."""
        self._spawn(self._reopen())

    async def _reopen(self) -> None:
        await self._close_socket()
        self._open_socket()
        await self.load(self.page.range_picker.current())

    async def _close_socket(self) -> None:
        if self.adapter is not None:
            self.adapter.detach()
            self.adapter = None
        if self.socket is not None:
            socket, self.socket = self.socket, None
            await socket.stop()

    async def stop(self) -> None:
        for timer in (self.ticker, self.refresher, self.poller):
            timer.stop()
        await self._close_socket()
        for task in list(self.tasks):
            task.cancel()
        self.client = None

    def _link_changed(self, up: bool) -> None:
        if up:
            self.poller.stop()
        else:
            self.poller.start()

    # --- now ------------------------------------------------------------------------------------
    def show_now(self, data: dict) -> None:
        self.figures = now_from_frame(data)
        self.page.show_now(self.figures)

    async def poll_now(self) -> None:
        if self.client is None:
            return
        try:
            data = await asyncio.to_thread(self.client.metrics_now)
        except SessionExpired:
            self.sessionExpired.emit()
            return
        except ApiError as exc:
            log.info("now figures not available: %s", exc.message)
            return
        if self.socket is None or not self.socket.connected:  # a connected socket has newer figures
            self.show_now(data)

    # --- the range ---------------------------------------------------------------------------------
    def _refresh_if_live(self) -> None:
        rng = self.page.range_picker.current()
        today = local_today(self.zone)
        self.page.range_picker.set_today(today)
        if rng.last >= today:
            self._spawn(self.load(rng))

    async def load(self, rng: DateRange) -> None:
        """The three replies for ``rng``, then the charts; a reply for a range already left is dropped."""
        if self.client is None:
            return
        self.loading = rng
        self.page.show_updated(self.tr("正在加载…"))
        client, group = self.client, rng.time_group
        try:
            by_time, before, by_seat = await asyncio.gather(
                asyncio.to_thread(client.metrics, *rng.params(), group),
                asyncio.to_thread(client.metrics, *rng.week_before().params(), group),
                asyncio.to_thread(client.metrics, *rng.params(), "seat"))
        except SessionExpired:
            self.sessionExpired.emit()
            return
        except ApiError as exc:
            if self.loading == rng:
                self.page.show_updated(self.tr("统计加载失败：{0}").format(exc.message), error=True)
            return
        if self.loading != rng:
            return
        self.zone = by_time.get("timezone") or self.zone
        self.view = RangeView(rng, by_time, before, by_seat)
        self.page.show_range(self.view)
        self.page.show_updated(self.tr("更新于 {0}").format(datetime.now().strftime("%H:%M:%S")))

    # --- saving -----------------------------------------------------------------------------------------
    def export_csv(self, path: Path) -> None:
        """The current view's numbers, UTF-8 with a BOM so that Excel opens it right."""
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out, lineterminator="\r\n").writerows(csv_rows(self.view))

    def export_clicked(self) -> None:
        if self.view is None:
            return
        first, last = self.view.range.params()
        name = f"kuaichu-dashboard-{first}" + (f"-{last}" if last != first else "") + ".csv"
        path = self.ask_path(self.window, self.tr("导出 CSV"), name, self.tr("CSV 文件 (*.csv)"))
        if path is None:
            return
        try:
            self.export_csv(path)
        except OSError as exc:
            self.window.show_notice(self.tr("导出失败：{0}").format(exc.strerror or exc), error=True)
            return
        self.window.show_notice(self.tr("已导出 {0}").format(path))

    def save_chart_clicked(self, panel: ChartPanel) -> None:
        suffix = self.view.range.params()[0] if self.view is not None else "chart"
        path = self.ask_path(self.window, self.tr("保存图表"), f"{panel.key}-{suffix}.png", self.tr("PNG 图片 (*.png)"))
        if path is None:
            return
        if panel.save_png(path):
            self.window.show_notice(self.tr("已保存 {0}").format(path))
        else:
            self.window.show_notice(self.tr("无法保存 {0}").format(path), error=True)
