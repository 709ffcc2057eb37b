"""The seat's main window: it hosts the workspaces, the status line and the menus, and hands closing on.

┌ user · server link · notice ········ 设置 · 自检 · 退出登录 ┐
│ [接警处理] [责任认定] [值班看板]   (tabs only when the role has more than one) │
│ the current workspace                                                     │
└───────────────────────────────────────────────────────────────────────────┘
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QToolBar, QWidget
from qasync import asyncClose


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("快处 · 交通事故视频快处坐席"))
        self.resize(1600, 940)
        self.on_close: Callable[[], Awaitable[None]] | None = None
        self._link_up: bool | None = None
        self._stale_on_reconnect = False
        # (server URL, session token) of the logged-in user, for the self-test's role check; set by the shell
        self.session: Callable[[], tuple[str, str] | None] | None = None
        self._build_toolbar()
        self.workspaces = QTabWidget()
        self.workspaces.setTabBarAutoHide(True)  # one workspace: no tab bar
        self.workspaces.setDocumentMode(True)
        self.setCentralWidget(self.workspaces)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar()
        self.toolbar.setMovable(False)
        self.user_label = QLabel()
        self.link_label = QLabel()
        self.notice = QLabel()
        self.notice.setWordWrap(False)
        self.toolbar.addWidget(self.user_label)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.link_label)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.notice)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().horizontalPolicy().Expanding,
                             spacer.sizePolicy().verticalPolicy().Preferred)
        self.toolbar.addWidget(spacer)
        self.settings_action = self.toolbar.addAction(self.tr("设置"))
        self.self_test_action = self.toolbar.addAction(self.tr("自检"))
        self.self_test_action.triggered.connect(self.open_self_test)
        self.logout_action = self.toolbar.addAction(self.tr("退出登录"))
        self.addToolBar(self.toolbar)

    def open_self_test(self) -> QWidget:
        """The self-test window (seat_app/ui/dialogs/self_test_dialog.py), its checks started."""
        from seat_app.ui.dialogs.self_test_dialog import open_for_seat

        return open_for_seat(self, self.session() if self.session else None)

    # --- workspaces ------------------------------------------------------------------------
    def add_workspace(self, page: QWidget, title: str) -> None:
        self.workspaces.addTab(page, title)

    def remove_workspaces(self) -> None:
        while self.workspaces.count():
            self.workspaces.removeTab(0)

    def workspace_titles(self) -> list[str]:
        return [self.workspaces.tabText(i) for i in range(self.workspaces.count())]

    def current_workspace(self) -> QWidget | None:
        return self.workspaces.currentWidget()

    def show_notice(self, text: str, error: bool = False) -> None:
        """One line for the latest event. An error raised while the server link is down is about the outage,
        so it goes when the link comes back (set_link), instead of standing beside "已连接服务器"."""
        self.notice.setText(text)
        self.notice.setStyleSheet("color: #c62828; font-weight: bold;" if error else "color: #1b5e20;")
        self._stale_on_reconnect = error and self._link_up is False

    def set_link(self, up: bool | None) -> None:
        """The live link to the server: up, down (reconnecting), or None (no workspace holds one)."""
        was_down = self._link_up is False
        self._link_up = up
        if up is None:
            self.link_label.setText("")
            return
        self.link_label.setText(self.tr("● 已连接服务器") if up else self.tr("○ 实时连接中断，正在重连…"))
        self.link_label.setStyleSheet("color: #2e7d32;" if up else "color: #b26a00;")
        if up and was_down and self._stale_on_reconnect:
            self.show_notice("")

    @asyncClose
    async def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Mid-call closing ends the call cleanly before the window goes: see ShellController.shutdown."""
        if self.on_close is not None:
            await self.on_close()
        event.accept()
