"""What the operator records about the accident during the call: the weather in one click, and the course of
events (经过) as the parties tell it. The officer's document carries both (146号 第二十四条).

The weather is a row of six toggle buttons, one of them down at a time; a click is saved at once. The notes
are plain text, saved once the operator stops typing for a moment (and at once by ``flush``, before the
case leaves the call). The widget only says what was chosen or typed; the case controller saves it.
"""
from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (QButtonGroup, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout,
                               QWidget)

# The values the server accepts, in the order the buttons show them.
WEATHER = ("晴", "阴", "雨", "雪", "雾", "其他")
MAX_NOTES = 2000
# How long the operator may pause typing before the notes are saved.
SAVE_DELAY_MS = 800


#: The chosen weather reads at a glance, across the desk.
_CHOSEN = "QPushButton:checked { background: #1565c0; color: white; font-weight: bold; }"


class CaseNotesWidget(QWidget):
    weatherChosen = Signal(str)
    notesEdited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        labels = {"晴": self.tr("晴"), "阴": self.tr("阴"), "雨": self.tr("雨"), "雪": self.tr("雪"),
                  "雾": self.tr("雾"), "其他": self.tr("其他")}
        self.weather_group = QButtonGroup(self)
        self.weather_group.setExclusive(True)
        self.weather_buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("天气")))
        for value in WEATHER:
            button = QPushButton(labels[value])
            button.setCheckable(True)
            button.setStyleSheet(_CHOSEN)
            button.setToolTip(self.tr("事故发生时的天气：{0}").format(labels[value]))
            button.clicked.connect(lambda _checked=False, v=value: self.weatherChosen.emit(v))
            self.weather_group.addButton(button)
            self.weather_buttons[value] = button
            row.addWidget(button)
        row.addStretch(1)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(self.tr("经过：当事人所述的事故经过，如行驶方向、碰撞部位（自动保存）"))
        self.notes.setTabChangesFocus(True)
        self.notes.textChanged.connect(self._typed)
        self.status = QLabel()
        self.status.setObjectName("notesStatus")
        self._timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._saved_text: str | None = ""  # None: unknown (a save failed), so any text is pending
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.notes, 1)
        layout.addWidget(self.status)
        self._show_count()

    # --- what the case says ------------------------------------------------------------
    def set_values(self, weather: str, notes: str) -> None:
        """Shows what the server holds, without saving it again."""
        self.set_weather(weather)
        self.set_notes(notes)

    def set_notes(self, notes: str) -> None:
        """Shows the saved notes, without saving them again."""
        self._timer.stop()
        self.notes.blockSignals(True)
        self.notes.setPlainText(notes)
        self.notes.blockSignals(False)
        self._saved_text = notes
        self._show_count()

    def set_weather(self, weather: str) -> None:
        """Puts that button down (none for ""), e.g. back to the saved one when a save failed."""
        self.weather_group.setExclusive(False)  # an exclusive group never lets its last button go up
        for value, button in self.weather_buttons.items():
            button.setChecked(value == weather)
        self.weather_group.setExclusive(True)

    def clear(self) -> None:
        self.set_values("", "")

    def weather(self) -> str:
        button = self.weather_group.checkedButton()
        return next((v for v, b in self.weather_buttons.items() if b is button), "")

    def pending(self) -> bool:
        """Typed notes not yet handed over to be saved."""
        return self.notes.toPlainText() != self._saved_text

    # --- saving ------------------------------------------------------------------------
    def _typed(self) -> None:
        self._show_count()
        self._timer.start()

    def flush(self) -> None:
        """Hands the notes over now if they changed (the timer does it after a pause)."""
        text = self.take_pending()
        if text is not None:
            self.notesEdited.emit(text)

    def take_pending(self) -> str | None:
        """The changed notes, now counted as handed over, or None (unchanged, or too long to save)."""
        self._timer.stop()
        text = self.notes.toPlainText()
        if text == self._saved_text or len(text) > MAX_NOTES:
            return None
        self._saved_text = text
        return text

    def mark_unsaved(self, text: str) -> None:
        """The save of ``text`` failed: it counts as pending again, and the next pause retries it."""
        if self._saved_text == text:
            self._saved_text = None
        self.status.setText(self.tr("经过未保存，将在下次修改时重试"))

    def show_saved(self, at: str) -> None:
        self.status.setText(self.tr("已保存 {0} · {1}/{2} 字").format(at, len(self.notes.toPlainText()), MAX_NOTES))

    def _show_count(self) -> None:
        count = len(self.notes.toPlainText())
        if count > MAX_NOTES:
            self.status.setText(self.tr("经过最多 {0} 字，已超出 {1} 字，未保存").format(MAX_NOTES, count - MAX_NOTES))
        else:
            self.status.setText(self.tr("{0}/{1} 字").format(count, MAX_NOTES))
