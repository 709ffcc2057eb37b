"""Up to three violations for one party, picked by typing part of the behaviour or the article.

The widget asks (``searchRequested``, 300 ms after the last key) and shows what
it is given (``set_suggestions``): the catalogue lives on the server
(``GET /api/violations?q=``). Each chosen violation is a chip with a remove button.
"""
from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

SEARCH_DELAY_MS = 300


class ViolationChip(QWidget):
    removeRequested = Signal(str)  # code

    def __init__(self, code: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setStyleSheet("background: #e3f2fd; border-radius: 4px; padding: 2px 6px;")
        self.remove_button = QPushButton("×")
        self.remove_button.setFixedWidth(26)
        self.remove_button.setToolTip(self.tr("移除这项违法行为"))
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self.code))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.remove_button)


class ViolationPickerWidget(QWidget):
    searchRequested = Signal(str)
    picked = Signal(str)  # code
    removeRequested = Signal(str)  # code

    def __init__(self, limit: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.suggestions: dict[str, str] = {}  # shown text -> code
        self.chips: list[ViolationChip] = []
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("输入行为或条款查找违法行为，如：追尾、第四十三条"))
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(8)
        self.completer.activated.connect(self._activated)
        self.edit.setCompleter(self.completer)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._search)
        self.edit.textEdited.connect(lambda _text: self._debounce.start())
        self.chip_box = QVBoxLayout()
        self.chip_box.setContentsMargins(0, 0, 0, 0)
        self.chip_box.setSpacing(2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.chip_box)
        layout.addWidget(self.edit)

    def _search(self) -> None:
        text = self.edit.text().strip()
        if text:
            self.searchRequested.emit(text)

    def set_suggestions(self, query: str, items: list[tuple[str, str]]) -> None:
        """``items``: (code, text) found for ``query``; ignored when the officer has typed on since."""
        if query != self.edit.text().strip():
            return
        self.suggestions = {text: code for code, text in items}
        self.model.setStringList([text for _code, text in items])
        if items and self.edit.hasFocus():
            self.completer.complete()

    def _activated(self, text: str) -> None:
        code = self.suggestions.get(text)
        if code is not None:
            self.picked.emit(code)
        QTimer.singleShot(0, self.edit.clear)  # after the completer has written its text in

    def set_chosen(self, chosen: list[tuple[str, str]]) -> None:
        """(code, text) of the party's violations, in order."""
        for chip in self.chips:
            chip.hide()
            chip.deleteLater()
        self.chips = []
        for code, text in chosen:
            chip = ViolationChip(code, text)
            chip.removeRequested.connect(self.removeRequested)
            chip.remove_button.setEnabled(self.isEnabled())
            self.chip_box.addWidget(chip)
            self.chips.append(chip)
        full = len(chosen) >= self.limit
        self.edit.setEnabled(not full)
        self.edit.setPlaceholderText(self.tr("已选满 {0} 项").format(self.limit) if full else
                                     self.tr("输入行为或条款查找违法行为，如：追尾、第四十三条"))

    def chosen_codes(self) -> list[str]:
        return [chip.code for chip in self.chips]
