"""The officer's page: it lays out everything needed to decide one case. Nothing else.

┌ queue ┐┌ evidence gallery + overlay (zoom) ┐┌ parties: data, registry, grade, violations ┐
│       │├ recordings | place | eligibility | ││ weather · facts                             │
│       ││ audit | document                   ││ problems · preview · issue · send back      │
└───────┘└────────────────────────────────────┘└─────────────────────────────────────────────┘
A second tab, 复核, holds the review requests (``review_page.py``).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from seat_app.ui.widgets.evidence_gallery_widget import EvidenceGalleryWidget
from seat_app.ui.widgets.liability_party_widget import LiabilityPartyWidget
from seat_app.ui.widgets.overlay_widget import OverlayWidget
from seat_app.ui.widgets.pdf_preview_widget import PdfPreviewWidget
from seat_app.ui.widgets.recording_player_widget import RecordingPlayerWidget
from seat_app.ui.workspaces.officer.case_panels import AuditPanel, EligibilityPanel, LocationPanel
from seat_app.ui.workspaces.officer.queue_widget import OfficerQueueWidget
from seat_app.ui.workspaces.officer.review_page import ReviewPage

#: 146号 第二十四条: the officer records the weather; the operator's one-click choices
WEATHER = ("晴", "阴", "雨", "雪", "雾", "其他")
ZOOM_STEP = 1.25


def _boxed(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 12, 6, 6)
    layout.addWidget(widget)
    return box


class OfficerWorkspace(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue = OfficerQueueWidget()
        self.case_label = QLabel(self.tr("未打开案件"))
        self.case_label.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.gallery = EvidenceGalleryWidget()
        self.overlay = OverlayWidget()
        self.overlay.apply_button.setVisible(False)  # the officer reads; fields are not filled here
        self.recordings = RecordingPlayerWidget()
        self.location = LocationPanel()
        self.eligibility = EligibilityPanel()
        self.audit = AuditPanel()
        self.document = PdfPreviewWidget()
        self.party_widgets: dict[int, LiabilityPartyWidget] = {}
        self._build_decision()
        self._build_layout()

    def _build_decision(self) -> None:
        self.parties_box = QVBoxLayout()
        self.parties_box.setContentsMargins(0, 0, 0, 0)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.parties_box)
        column.addStretch(1)
        self.parties_scroll = QScrollArea()
        self.parties_scroll.setWidgetResizable(True)
        self.parties_scroll.setWidget(holder)
        self.weather = QComboBox()  # the server takes these six only (146号 第二十四条 records the weather)
        self.weather.addItems(["", *WEATHER])
        self.facts = QPlainTextEdit()
        self.facts.setPlaceholderText(self.tr("交通事故事实：打开案件后自动起草，可直接修改"))
        self.facts.setMinimumHeight(90)
        self.facts.setMaximumHeight(200)
        self.facts_state = QLabel()
        self.facts_state.setStyleSheet("color: #607d8b;")
        self.redraft_button = QPushButton(self.tr("重新起草"))
        self.redraft_button.setToolTip(self.tr("丢弃修改，按当前违法行为重新生成事实"))
        self.problems = QLabel()
        self.problems.setObjectName("error")
        self.problems.setWordWrap(True)
        self.preview_button = QPushButton(self.tr("预览认定书"))
        self.issue_button = QPushButton(self.tr("出具认定书"))
        self.issue_button.setObjectName("primary")
        self.send_back_button = QPushButton(self.tr("退回补充证据"))
        self.send_back_button.setObjectName("danger")
        facts_header = QHBoxLayout()
        facts_header.addWidget(QLabel(self.tr("交通事故事实")))
        facts_header.addWidget(self.facts_state, 1)
        facts_header.addWidget(self.redraft_button)
        form = QFormLayout()
        form.addRow(self.tr("天气"), self.weather)
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.issue_button)
        self.decision = QWidget()
        layout = QVBoxLayout(self.decision)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.parties_scroll, 4)
        layout.addLayout(form)
        layout.addLayout(facts_header)
        layout.addWidget(self.facts, 1)
        layout.addWidget(self.problems)
        layout.addLayout(buttons)

    def _build_layout(self) -> None:
        self.zoom_in = QPushButton(self.tr("放大"))
        self.zoom_out = QPushButton(self.tr("缩小"))
        self.zoom_fit = QPushButton(self.tr("适应窗口"))
        self.zoom_in.clicked.connect(lambda: self.overlay.view.scale(ZOOM_STEP, ZOOM_STEP))
        self.zoom_out.clicked.connect(lambda: self.overlay.view.scale(1 / ZOOM_STEP, 1 / ZOOM_STEP))
        self.zoom_fit.clicked.connect(self.overlay.view.fit)
        self.overlay.view.setDragMode(self.overlay.view.DragMode.ScrollHandDrag)
        self.overlay.view.viewport().installEventFilter(self)  # Ctrl + wheel zooms too
        zoom = QHBoxLayout()
        zoom.addStretch(1)
        for button in (self.zoom_in, self.zoom_out, self.zoom_fit):
            zoom.addWidget(button)
        evidence = QWidget()
        evidence_layout = QVBoxLayout(evidence)
        evidence_layout.setContentsMargins(0, 0, 0, 0)
        evidence_layout.addWidget(self.gallery)
        evidence_layout.addWidget(self.overlay, 1)
        evidence_layout.addLayout(zoom)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.recordings, self.tr("通话录像"))
        self.tabs.addTab(self.location, self.tr("位置"))
        self.tabs.addTab(self.eligibility, self.tr("适用条件与询问"))
        self.tabs.addTab(self.audit, self.tr("审计记录"))
        self.tabs.addTab(self.document, self.tr("认定书"))
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(_boxed(self.tr("证据"), evidence))
        centre.addWidget(self.tabs)
        centre.setSizes([520, 380])
        columns = QSplitter(Qt.Orientation.Horizontal)
        columns.addWidget(_boxed(self.tr("待认定"), self.queue))
        columns.addWidget(centre)
        columns.addWidget(_boxed(self.tr("责任认定"), self.decision))
        columns.setSizes([350, 600, 650])
        top = QHBoxLayout()
        top.addWidget(self.case_label, 1)
        self.liability_part = QWidget()
        layout = QVBoxLayout(self.liability_part)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(columns, 1)
        # The second part: the review requests (复核, issue 13), decided by officers who did not issue them.
        self.review = ReviewPage()
        self.parts = QTabWidget()
        self.parts.addTab(self.liability_part, self.tr("责任认定"))
        self.parts.addTab(self.review, self.tr("复核"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.parts)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        wheel = event.type() == QEvent.Type.Wheel and isinstance(event, QWheelEvent)
        ctrl = wheel and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if ctrl and watched is self.overlay.view.viewport():
            step = ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP
            self.overlay.view.scale(step, step)
            return True
        return super().eventFilter(watched, event)

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def set_parties(self, widgets: list[LiabilityPartyWidget]) -> None:
        for widget in self.party_widgets.values():
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        self.party_widgets = {w.party_id: w for w in widgets}
        for widget in widgets:
            self.parties_box.addWidget(widget)

    def set_read_only(self, read_only: bool) -> None:
        for widget in self.party_widgets.values():
            widget.set_read_only(read_only)
        for widget in (self.weather, self.redraft_button, self.preview_button, self.send_back_button):
            widget.setEnabled(not read_only)
        self.facts.setReadOnly(read_only)
        if read_only:
            self.issue_button.setEnabled(False)
