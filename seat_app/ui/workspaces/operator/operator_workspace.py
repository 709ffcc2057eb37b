"""The operator's page: it lays out the panels of today's flow. Nothing else.

┌ queue ┐┌ video + capture ───────┐┌ case: parties ─────────────────┐
│       ││                         ││ weather · notes (经过)          │
│       ││ evidence gallery        ││ checklist | instructions        │
│       ││ overlay of OCR results  ││                                 │
└───────┘└─────────────────────────┘└─────────────────────────────────┘
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from seat_app.ui.widgets.case_notes_widget import CaseNotesWidget
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


class OperatorWorkspace(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue = QueueWidget()
        self.video = VideoWidget()
        self.gallery = EvidenceGalleryWidget()
        self.overlay = OverlayWidget()
        self.parties = PartiesWidget()
        self.notes = CaseNotesWidget()
        self.notes.setEnabled(False)
        self.checklist = ChecklistWidget()
        self.instructions = InstructionWidget()
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setVisible(False)
        self._build_layout()

    def _build_layout(self) -> None:
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(_boxed(self.tr("视频"), self.video))
        centre.addWidget(_boxed(self.tr("证据"), self.gallery, self.overlay, stretch=(0, 1)))
        centre.setSizes([470, 430])
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.checklist, self.tr("清单"))
        self.side_tabs.addTab(self.instructions, self.tr("提示当事人"))
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(_boxed(self.tr("当事人"), self.parties))
        right.addWidget(_boxed(self.tr("天气与经过"), self.notes))
        right.addWidget(self.side_tabs)
        right.setSizes([470, 150, 280])
        columns = QSplitter(Qt.Orientation.Horizontal)
        columns.addWidget(_boxed(self.tr("队列"), self.queue))
        columns.addWidget(centre)
        columns.addWidget(right)
        columns.setSizes([380, 560, 660])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(columns, 1)

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
