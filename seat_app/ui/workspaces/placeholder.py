"""The officer's workspace, as an empty page saying what will come (issue 11).

Until the liability tab exists, an officer sees their own workspace and what it
will hold, not the operator's queue.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from seat_app.ui.workspaces.workspace import Workspace


class PlaceholderPage(QWidget):
    def __init__(self, heading: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(heading)
        self.heading.setObjectName("workspaceHeading")
        self.heading.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.text.setStyleSheet("font-size: 15px; color: #455a64;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        for label in (self.heading, self.text):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            layout.addWidget(label)
        layout.addStretch(1)
        layout.insertStretch(0, 1)


def liability_workspace() -> Workspace:
    translate = QCoreApplication.translate
    title = translate("workspaces", "责任认定")
    page = PlaceholderPage(title, translate(
        "workspaces", "这里将列出等待责任认定的案件：查看证据和核验结果，逐方认定责任、违法行为和依据条款，"
        "然后出具责任认定书。此功能尚未开放。"))
    return Workspace("liability", title, page)

