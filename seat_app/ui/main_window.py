"""The seat's main window: it lays out the panels and hands closing to the controller. Nothing else.

┌ queue ┐┌ video + capture ───────┐┌ case: parties ─────────────────┐
│       ││ evidence gallery        ││ checklist | instructions        │
│       ││ overlay of OCR results  ││                                 │
└───────┘└─────────────────────────┘└─────────────────────────────────┘
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncClose

from seat_app.ui.widgets.checklist_widget import ChecklistWidget
from seat_app.ui.widgets.evidence_gallery_widget import EvidenceGalleryWidget
from seat_app.ui.widgets.instruction_widget import InstructionWidget
from seat_app.ui.widgets.overlay_widget import OverlayWidget
from seat_app.ui.widgets.parties_widget import PartiesWidget
from seat_app.ui.widgets.queue_widget import QueueWidget
from seat_app.ui.widgets.video_widget import VideoWidget


def _boxed(title: str, *widgets: QWidget, stretch: tuple[int, ...] = ()) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 12, 6, 6)
    for i, widget in enumerate(widgets):
        layout.addWidget(widget, stretch[i] if i < len(stretch) else 0)
    return box


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("快处 · 交通事故视频快处坐席"))
        self.resize(1600, 940)
        self.on_close: Callable[[], Awaitable[None]] | None = None
        self.queue = QueueWidget()
        self.video = VideoWidget()
        self.gallery = EvidenceGalleryWidget()
        self.overlay = OverlayWidget()
        self.parties = PartiesWidget()
        self.checklist = ChecklistWidget()
        self.instructions = InstructionWidget()
        self._build_toolbar()
        self._build_layout()

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
        self.logout_action = self.toolbar.addAction(self.tr("退出登录"))
        self.addToolBar(self.toolbar)

    def _build_layout(self) -> None:
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setVisible(False)
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(_boxed(self.tr("视频"), self.video))
        centre.addWidget(_boxed(self.tr("证据"), self.gallery, self.overlay, stretch=(0, 1)))
        centre.setSizes([470, 430])
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.checklist, self.tr("清单"))
        self.side_tabs.addTab(self.instructions, self.tr("提示当事人"))
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(_boxed(self.tr("当事人"), self.parties))
        right.addWidget(self.side_tabs)
        right.setSizes([560, 340])
        columns = QSplitter(Qt.Orientation.Horizontal)
        columns.addWidget(_boxed(self.tr("队列"), self.queue))
        columns.addWidget(centre)
        columns.addWidget(right)
        columns.setSizes([380, 560, 660])
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(columns, 1)
        self.setCentralWidget(holder)

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def show_notice(self, text: str, error: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet("color: #c62828; font-weight: bold;" if error else "color: #1b5e20;")

    @asyncClose
    async def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Mid-call closing ends the call cleanly before the window goes: see SeatController.shutdown."""
        if self.on_close is not None:
            await self.on_close()
        event.accept()
