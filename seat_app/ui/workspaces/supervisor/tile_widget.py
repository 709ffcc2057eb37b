"""A dashboard tile: a caption, one big figure and a line under it, coloured by how it stands."""
from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

#: level -> (background, figure colour, border): normal, amber past the warning, red past the target
LEVEL_STYLES = {
    "normal": ("#ffffff", "#1b2733", "#d0d7de"),
    "good": ("#ffffff", "#2e7d32", "#d0d7de"),
    "amber": ("#fff3cd", "#b26a00", "#f0c36d"),
    "red": ("#fde0e0", "#c62828", "#e57373"),
}


class TileWidget(QFrame):
    def __init__(self, key: str, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.level = "normal"
        self.setObjectName("tile")
        self.caption = QLabel(caption)
        self.value = QLabel("—")
        self.detail = QLabel(" ")
        self.caption.setStyleSheet("font-size: 13px; color: #546e7a; background: transparent; border: none;")
        self.detail.setStyleSheet("font-size: 12px; color: #607d8b; background: transparent; border: none;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(0)
        for label in (self.caption, self.value, self.detail):
            layout.addWidget(label)
        self.setMinimumWidth(150)
        self._paint()

    def set(self, value: str, detail: str = "", level: str = "normal") -> None:
        self.value.setText(value)
        self.detail.setText(detail or " ")
        if level != self.level:
            self.level = level
            self._paint()

    def _paint(self) -> None:
        background, figure, border = LEVEL_STYLES[self.level]
        self.setStyleSheet(f"QFrame#tile {{ background: {background}; border: 1px solid {border};"
                           f" border-radius: 6px; }}")
        self.value.setStyleSheet(f"font-size: 28px; font-weight: bold; color: {figure};"
                                 " background: transparent; border: none;")
