"""自检: the self-test of ``kuaichu-seat --self-test`` in a window, one row per check as it finishes.

The checks are seat_app/selftest/checks.py's. Each runs in a worker thread (OCR and the loopback call take
a few seconds), except the Qt device listing, which runs on the UI thread; the window stays responsive and
shows which check is running. The reasons stay in the checks' own words, as the command line prints them,
so what IT reads on the phone matches what the seat shows.
"""
from __future__ import annotations

import asyncio
import dataclasses
import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QProgressBar,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from seat_app.selftest import checks

COLOURS = {checks.PASS: "#1b5e20", checks.WARN: "#e65100", checks.FAIL: "#c62828"}


class SelfTestDialog(QDialog):
    def __init__(self, config: checks.SelfTestConfig, check_list: list[checks.Check] | None = None,
                 version: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("坐席自检"))
        self.resize(980, 420)
        self.config = config
        self.version = version
        self.checks, self.left_out = checks.plan(config, check_list if check_list is not None else checks.all_checks())
        self.results: list[checks.CheckResult] = []
        self._task: asyncio.Task | None = None

        self.status = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, len(self.checks))
        self.table = QTableWidget(len(self.checks), 4)
        self.table.setHorizontalHeaderLabels([self.tr("结果"), self.tr("检查项"), self.tr("说明"), self.tr("耗时")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        for row, check in enumerate(self.checks):
            self.table.setItem(row, 0, QTableWidgetItem(self.tr("等待")))
            self.table.setItem(row, 1, QTableWidgetItem(self._title(check.name)))
            self.table.setItem(row, 2, QTableWidgetItem(""))
            self.table.setItem(row, 3, QTableWidgetItem(""))
        self.not_run = QLabel("\n".join(self.tr("未检查：") + line for line in self.left_out))
        self.not_run.setWordWrap(True)
        self.not_run.setVisible(bool(self.left_out))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.again = QPushButton(self.tr("重新检查"))
        self.copy = QPushButton(self.tr("复制报告"))
        buttons.addButton(self.again, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.again.clicked.connect(self.start)
        self.copy.clicked.connect(self.copy_report)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.not_run)
        layout.addWidget(buttons)

    def _title(self, name: str) -> str:
        titles = {
            "settings": self.tr("配置文件"), "ocr": self.tr("文字识别（样例号牌和驾驶证）"),
            "devices": self.tr("麦克风和扬声器"), "loopback": self.tr("视频通话（本机回环）"),
            "recording": self.tr("录像写入和读回"), "server": self.tr("服务器连接和证书"),
            "ice": self.tr("ICE 服务器（STUN/TURN）"), "role": self.tr("当前用户角色"),
        }
        return titles.get(name, name)

    # --- running -----------------------------------------------------------------------------
    def start(self) -> asyncio.Task:
        """Run every check again; the returned task ends when the last one has."""
        if self._task is not None and not self._task.done():
            return self._task
        self._task = asyncio.ensure_future(self.run_all())
        return self._task

    async def run_all(self) -> list[checks.CheckResult]:
        self.results = []
        self.again.setEnabled(False)
        self.progress.setValue(0)
        for row in range(len(self.checks)):
            self._show(row, self.tr("等待"), "", "", None)
        loop = asyncio.get_running_loop()
        for row, check in enumerate(self.checks):
            self._show(row, self.tr("检查中…"), "", "", None)
            self.status.setText(self.tr("正在检查：{0}").format(self._title(check.name)))
            if check.qt:
                result = checks.run_check(check, self.config)
            else:
                result = await loop.run_in_executor(None, checks.run_check, check, self.config)
            self.results.append(result)
            self._show(row, self._word(result.status), result.reason, f"{result.seconds:.2f} s", result.status)
            self.progress.setValue(row + 1)
        passed, warned, failed = checks.summary(self.results)
        verdict = self.tr("有检查未通过，坐席不能正常使用") if failed else (
            self.tr("坐席可以使用，但有提醒") if warned else self.tr("全部通过"))
        self.status.setText(self.tr("{0}：通过 {1} 项，提醒 {2} 项，未通过 {3} 项").format(verdict, passed, warned, failed))
        self.status.setStyleSheet(f"color: {COLOURS[checks.FAIL if failed else checks.WARN if warned else checks.PASS]};"
                                  " font-weight: bold;")
        self.again.setEnabled(True)
        return self.results

    def _word(self, status: str) -> str:
        return {checks.PASS: self.tr("通过"), checks.WARN: self.tr("提醒"), checks.FAIL: self.tr("未通过")}[status]

    def _show(self, row: int, word: str, reason: str, seconds: str, status: str | None) -> None:
        cells = (word, None, reason, seconds)
        for column, text in enumerate(cells):
            if text is not None:
                self.table.item(row, column).setText(text)
        colour = QColor(COLOURS[status]) if status else QColor("#555555")
        self.table.item(row, 0).setForeground(colour)
        self.table.item(row, 2).setToolTip(reason)
        self.table.resizeRowToContents(row)

    def report(self) -> str:
        return checks.report_text(self.results, self.left_out, self.version)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report())

    def report_json(self) -> str:
        return json.dumps(checks.report_json(self.results, self.left_out, self.version), ensure_ascii=False)

    def done(self, code: int) -> None:  # noqa: D401 - Qt's name
        if self._task is not None and not self._task.done():
            self.status.setText(self.tr("正在结束当前检查…"))
            self._task.add_done_callback(lambda _: super(SelfTestDialog, self).done(code))
            return
        super().done(code)


def open_for_seat(parent: QWidget | None = None, session: tuple[str, str] | None = None) -> SelfTestDialog:
    """The window the seat's 自检 action opens: the seat's settings as saved, checks started at once.
    ``session``: the logged-in user's (server URL, token), so the role check asks about them."""
    from seat_app import paths
    from seat_app import settings as settings_store
    from seat_app.selftest.cli import version

    settings, problems = settings_store.load_checked()
    files = [str(p) for p in (paths.it_defaults_file(), paths.user_settings_file()) if p.is_file()]
    server_url, token = session or (settings.server_url, "")
    config = checks.config_from_settings(settings, server_url=server_url, problems=problems, files=files)
    if token:
        config = dataclasses.replace(config, token=token)
    dialog = SelfTestDialog(config, version=version(), parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.start()
    return dialog
