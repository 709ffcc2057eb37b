"""The officer's 复核 tab: the pending review requests, and for the one open the case, the document, the
party's request with its evidence, and the decision (维持, or 重新调查、认定 with a 第七十六条 reason).

┌ requests ┐┌ case · document (PDF) ───────┐┌ the request · its evidence ┐
│          ││                               ││ decision · reason · outcome │
└──────────┘└───────────────────────────────┘└─────────────────────────────┘
Widgets only; ``review_controller.py`` fills them and acts.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from seat_app.ui.widgets.pdf_preview_widget import PdfPreviewWidget

translate = QCoreApplication.translate
THUMB = 96


def _boxed(title: str, *widgets: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 12, 6, 6)
    for widget in widgets:
        layout.addWidget(widget)
    return box


def local_minute(iso: str | None) -> str:
    """The server's UTC time as the seat's local date and time, to the minute."""
    try:
        return datetime.fromisoformat(str(iso)).astimezone().strftime("%Y-%m-%d %H:%M") if iso else ""
    except ValueError:
        return str(iso)


def request_line(item: dict[str, Any]) -> str:
    """One line of the queue: case, document, applicant, when."""
    when = local_minute(item.get("created_at"))
    return translate("ReviewPage", "{0}　{2}申请\n{1}\n{3}").format(
        item.get("case_number", ""), item.get("document_number", ""), item.get("party_label", ""), when)


class ReviewPage(QWidget):
    openRequested = Signal(int)  # a review id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.requests = QListWidget()
        self.requests.setWordWrap(True)
        self.requests.itemActivated.connect(lambda item: self.openRequested.emit(int(item.data(Qt.ItemDataRole.UserRole))))
        self.requests.itemClicked.connect(lambda item: self.openRequested.emit(int(item.data(Qt.ItemDataRole.UserRole))))
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.empty = QLabel(self.tr("没有待复核的申请"))
        self.empty.setStyleSheet("color: #607d8b;")
        self.title = QLabel(self.tr("复核申请"))
        self.title.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.case_summary = QLabel(self.tr("未打开复核申请"))
        self.case_summary.setWordWrap(True)
        self.case_summary.setTextFormat(Qt.TextFormat.PlainText)
        self.case_summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.document = PdfPreviewWidget()
        self.document.caption.setText(self.tr("认定书"))
        self.request_text = QLabel()
        self.request_text.setWordWrap(True)
        self.request_text.setTextFormat(Qt.TextFormat.PlainText)
        self.request_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.evidence = QListWidget()
        self.evidence.setViewMode(QListWidget.ViewMode.IconMode)
        self.evidence.setIconSize(QPixmap(THUMB, THUMB).size())
        self.evidence.setMaximumHeight(THUMB + 40)
        self.evidence_view = PdfPreviewWidget()
        self.evidence_view.caption.setText(self.tr("点击证据查看"))
        self.evidence_image = QLabel()
        self.evidence_image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.evidence_image.setMinimumHeight(160)
        self.evidence_view.setVisible(False)  # shown for a PDF the applicant sent, the picture for a photo
        self._build_decision()
        self._build_layout()
        self.set_open(False)

    def _build_decision(self) -> None:
        self.upheld = QRadioButton(self.tr("维持原认定"))
        self.sent_back = QRadioButton(self.tr("责令重新调查、认定"))
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.upheld)
        self.choice.addButton(self.sent_back)
        self.reason = QComboBox()  # 第七十六条's reasons: filled from the server's list
        self.outcome = QPlainTextEdit()
        self.outcome.setPlaceholderText(self.tr("复核结论：例如 事实清楚，证据确实充分，适用法律正确，责任划分公正，程序合法"))
        self.outcome.setMaximumHeight(120)
        self.decide_button = QPushButton(self.tr("作出复核结论"))
        self.decide_button.setObjectName("primary")
        self.problem = QLabel()
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        for widget in (self.upheld, self.sent_back):
            widget.toggled.connect(self.update_decision)
        self.reason.currentIndexChanged.connect(self.update_decision)
        self.outcome.textChanged.connect(self.update_decision)
        self.decision = QWidget()
        layout = QVBoxLayout(self.decision)
        layout.setContentsMargins(0, 0, 0, 0)
        choices = QHBoxLayout()
        choices.addWidget(self.upheld)
        choices.addWidget(self.sent_back)
        choices.addStretch(1)
        layout.addLayout(choices)
        layout.addWidget(QLabel(self.tr("理由（第七十六条）")))
        layout.addWidget(self.reason)
        layout.addWidget(self.outcome)
        layout.addWidget(self.problem)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.decide_button)
        layout.addLayout(buttons)

    def _build_layout(self) -> None:
        queue = QWidget()
        queue_layout = QVBoxLayout(queue)
        queue_layout.setContentsMargins(0, 0, 0, 0)
        queue_layout.addWidget(self.requests, 1)
        queue_layout.addWidget(self.empty)
        queue_layout.addWidget(self.refresh_button)
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(_boxed(self.tr("案件"), self.case_summary))
        centre.addWidget(_boxed(self.tr("认定书"), self.document))
        centre.setSizes([220, 680])
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(_boxed(self.tr("复核申请"), self.request_text))
        right.addWidget(_boxed(self.tr("申请人提交的证据"), self.evidence, self.evidence_image, self.evidence_view))
        right.addWidget(_boxed(self.tr("复核结论"), self.decision))
        right.setSizes([200, 420, 280])
        columns = QSplitter(Qt.Orientation.Horizontal)
        columns.addWidget(_boxed(self.tr("待复核"), queue))
        columns.addWidget(centre)
        columns.addWidget(right)
        columns.setSizes([330, 620, 650])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(columns, 1)

    # --- filling -------------------------------------------------------------------------
    def set_requests(self, items: list[dict[str, Any]], user_id: int | None = None) -> None:
        """The pending requests; those whose document ``user_id`` issued are greyed and say so."""
        self.requests.clear()
        for item in items:
            mine = user_id is not None and item.get("issued_by") == user_id
            row = QListWidgetItem(request_line(item) + (self.tr("\n（您出具的认定书，须由其他民警复核）") if mine else ""))
            row.setData(Qt.ItemDataRole.UserRole, int(item["id"]))
            row.setToolTip(self.tr("出具民警：{0}").format(item.get("issued_by_name") or "—"))
            if mine:
                row.setForeground(Qt.GlobalColor.gray)
            self.requests.addItem(row)
        self.empty.setVisible(not items)
        self.title.setText(self.tr("复核申请（{0}）").format(len(items)))

    def set_reasons(self, reasons: list[dict[str, str]]) -> None:
        current = self.reason_code()
        self.reason.clear()
        self.reason.addItem(self.tr("（维持原认定时不选）"), "")
        for reason in reasons:
            self.reason.addItem(reason["label"], reason["code"])
        index = self.reason.findData(current)
        self.reason.setCurrentIndex(max(index, 0))

    def reason_code(self) -> str:
        return self.reason.currentData() or ""

    def decision_code(self) -> str:
        return "upheld" if self.upheld.isChecked() else "sent_back" if self.sent_back.isChecked() else ""

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def set_open(self, open_: bool, decidable: bool = False) -> None:
        for widget in (self.upheld, self.sent_back, self.reason, self.outcome):
            widget.setEnabled(open_ and decidable)
        self.update_decision()
        if not (open_ and decidable):
            self.decide_button.setEnabled(False)

    def clear_decision(self) -> None:
        self.choice.setExclusive(False)
        self.upheld.setChecked(False)
        self.sent_back.setChecked(False)
        self.choice.setExclusive(True)
        self.reason.setCurrentIndex(0)
        self.outcome.clear()

    def add_evidence(self, evidence_id: int, data: bytes, content_type: str) -> None:
        row = QListWidgetItem(self.tr("证据 {0}").format(evidence_id))
        row.setData(Qt.ItemDataRole.UserRole, evidence_id)
        if content_type.startswith("image/"):
            pixmap = QPixmap()
            pixmap.loadFromData(data)
            row.setIcon(pixmap.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio))
        else:
            row.setText(self.tr("PDF {0}").format(evidence_id))
        self.evidence.addItem(row)

    def show_evidence_pdf(self, data: bytes, caption: str) -> None:
        self.evidence_image.clear()
        self.evidence_image.setVisible(False)
        self.evidence_view.setVisible(True)
        self.evidence_view.show_pdf(data, caption)

    def show_evidence_image(self, data: bytes) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(data)
        self.evidence_view.setVisible(False)
        self.evidence_image.setVisible(True)
        self.evidence_image.setPixmap(pixmap.scaled(max(self.evidence_image.width(), THUMB), 320,
                                                    Qt.AspectRatioMode.KeepAspectRatio))

    def problem_text(self) -> str:
        """Why the decision cannot be made yet ("" when it can)."""
        decision = self.decision_code()
        if not decision:
            return self.tr("请选择维持原认定或责令重新调查、认定")
        if decision == "sent_back" and not self.reason_code():
            return self.tr("责令重新调查、认定须选择第七十六条的理由")
        if decision == "upheld" and self.reason_code():
            return self.tr("维持原认定不选择理由")
        if not self.outcome.toPlainText().strip():
            return self.tr("请填写复核结论")
        return ""

    def update_decision(self) -> None:
        self.reason.setEnabled(self.outcome.isEnabled() and self.sent_back.isChecked())
        if self.upheld.isChecked() and self.reason.currentIndex() != 0:
            self.reason.setCurrentIndex(0)
        problem = self.problem_text() if self.outcome.isEnabled() else ""
        self.problem.setText(problem)
        self.decide_button.setEnabled(self.outcome.isEnabled() and not problem)
