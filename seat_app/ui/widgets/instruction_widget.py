"""Instructions to the phone: standard phrases (safety, what to show next, leave now) or free text."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from seat_app.core.phrases import PHRASES


class InstructionWidget(QWidget):
    instructionRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        groups = {"safety": self.tr("安全"), "show": self.tr("引导拍摄"), "finish": self.tr("结束")}
        for phrase in PHRASES:
            item = QListWidgetItem(f"[{groups[phrase.group]}] {phrase.text}")
            item.setData(Qt.ItemDataRole.UserRole, phrase.text)
            item.setData(Qt.ItemDataRole.UserRole + 1, phrase.key)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(lambda item: self._send(item.data(Qt.ItemDataRole.UserRole)))
        self.send_phrase = QPushButton(self.tr("发送"))
        self.send_phrase.setToolTip(self.tr("把选中的标准用语推送到当事人手机（或双击该用语）"))
        self.send_phrase.clicked.connect(self._send_selected)
        self.free_text = QLineEdit()
        self.free_text.setPlaceholderText(self.tr("自定义提示，回车发送"))
        self.free_text.setMaxLength(200)
        self.free_text.returnPressed.connect(self._send_free_text)
        row = QHBoxLayout()
        row.addWidget(self.free_text, 1)
        row.addWidget(self.send_phrase)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self.setEnabled(False)

    def _send_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._send(item.data(Qt.ItemDataRole.UserRole))

    def _send_free_text(self) -> None:
        text = self.free_text.text().strip()
        if text:
            self._send(text)
            self.free_text.clear()

    def _send(self, text: str) -> None:
        self.instructionRequested.emit(text)

    def select(self, key: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole + 1) == key:
                self.list.setCurrentRow(row)
