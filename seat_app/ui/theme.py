"""Colours with a meaning (waiting time, validity, checklist state), in one place."""
from __future__ import annotations

from PySide6.QtGui import QColor

from seat_app.core.checklist import Status
from seat_app.core.field_checks import Validity
from seat_app.core.queue import WaitLevel

WAIT_COLOURS = {
    WaitLevel.NORMAL: QColor("#1b1b1b"),
    WaitLevel.AMBER: QColor("#b26a00"),
    WaitLevel.RED: QColor("#c62828"),
}
WAIT_BACKGROUNDS = {
    WaitLevel.NORMAL: QColor("#ffffff"),
    WaitLevel.AMBER: QColor("#fff3cd"),
    WaitLevel.RED: QColor("#fde0e0"),
}

VALID = "#2e7d32"
INVALID = "#c62828"
NEUTRAL = "#9e9e9e"
ACCENT = "#1565c0"

FIELD_BORDERS = {Validity.EMPTY: "#b0b0b0", Validity.VALID: VALID, Validity.INVALID: INVALID}

STATUS_COLOURS = {Status.MET: VALID, Status.FAILED: INVALID, Status.NEEDS_ANSWER: "#b26a00", Status.MISSING: NEUTRAL}
STATUS_MARKS = {Status.MET: "✔", Status.FAILED: "✖", Status.NEEDS_ANSWER: "?", Status.MISSING: "○"}

APP_STYLE = """
QMainWindow, QDialog { background: #f4f6f8; }
QGroupBox { font-weight: bold; border: 1px solid #d0d7de; border-radius: 6px; margin-top: 10px; background: #ffffff; }
QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }
QPushButton { padding: 4px 10px; }
QPushButton#primary { background: #1565c0; color: white; border-radius: 4px; padding: 6px 14px; font-weight: bold; }
QPushButton#primary:disabled { background: #9fb6d3; }
QPushButton#danger { background: #c62828; color: white; border-radius: 4px; padding: 6px 14px; }
QPushButton#danger:disabled { background: #e8b4b4; }
QLineEdit { padding: 2px 4px; }
QLabel#banner { background: #fff3cd; color: #6b4a00; padding: 6px; border-radius: 4px; font-weight: bold; }
QLabel#error { color: #c62828; }
QLabel#rec { color: #c62828; font-weight: bold; }
"""
ACCENT_COLOUR = QColor(ACCENT)
