"""What an officer does with the keyboard and mouse, shared by the fake-server and the real-server tests."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication


def choose(page, party_id, grade):
    widget = page.party_widgets[party_id]
    widget.grade.setCurrentIndex(widget.grade.findData(grade))


def type_text(widget, text):
    """Key presses carrying Chinese text, one per character (QTest's keyClicks takes ASCII only)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def pick_by_typing(qtbot, page, party_id, typed, code):
    """Types part of a behaviour or article, waits for the debounced search and picks the suggestion."""
    picker = page.party_widgets[party_id].picker
    picker.edit.setFocus()
    type_text(picker.edit, typed)
    qtbot.waitUntil(lambda: code in picker.suggestions.values(), timeout=3000)
    text = next(t for t, c in picker.suggestions.items() if c == code)
    popup = picker.completer.popup()
    row = picker.model.stringList().index(text)
    popup.setCurrentIndex(picker.completer.completionModel().index(row, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: code in picker.chosen_codes() and not picker.edit.text(), timeout=3000)
