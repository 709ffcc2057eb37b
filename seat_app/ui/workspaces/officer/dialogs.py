"""The officer's two questions: "issue this document?" and "why send it back?" (a reason is required)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QPlainTextEdit, QVBoxLayout, QWidget


class SendBackDialog(QDialog):
    def __init__(self, case_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("退回补充证据"))
        self.setMinimumWidth(420)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("例如：请补拍乙方车辆碰撞部位的近景"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("退回"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("案件 {0} 将退回接警队列，各方会收到短信和链接。请写明需要补充什么：")
                                .format(case_number)))
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self._update()

    def text(self) -> str:
        return self.reason.toPlainText().strip()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.text()))


translate = QCoreApplication.translate


def issue_confirmation(case_number: str, summary: str, parent: QWidget | None = None) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Question, translate("IssueConfirmation", "出具认定书"),
                      translate("IssueConfirmation", "出具案件 {0} 的道路交通事故认定书？出具后不能修改，各方将收到短信。")
                      .format(case_number),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, parent)
    box.setInformativeText(summary)
    box.button(QMessageBox.StandardButton.Yes).setText(translate("IssueConfirmation", "出具"))
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box
