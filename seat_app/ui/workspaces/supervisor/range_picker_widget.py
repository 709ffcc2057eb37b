"""The date range the charts cover: today, yesterday, the last 7 days, or two dates of the user's choosing."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QButtonGroup, QDateEdit, QHBoxLayout, QLabel, QPushButton, QWidget

from seat_app.ui.workspaces.supervisor.dashboard_figures import DateRange, Preset, preset_range


class RangePickerWidget(QWidget):
    rangeChanged = Signal(object)  # DateRange

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.preset = Preset.TODAY
        self.buttons: dict[Preset, QPushButton] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        texts = {Preset.TODAY: self.tr("今天"), Preset.YESTERDAY: self.tr("昨天"),
                 Preset.LAST_7_DAYS: self.tr("近 7 天"), Preset.CUSTOM: self.tr("自定义")}
        for preset, text in texts.items():
            button = QPushButton(text)
            button.setCheckable(True)
            button.setObjectName("rangeButton")
            button.clicked.connect(lambda _=False, p=preset: self.choose(p))
            self.group.addButton(button)
            self.buttons[preset] = button
            layout.addWidget(button)
        self.first = self._date_edit(today)
        self.last = self._date_edit(today)
        self.dash = QLabel("–")
        for widget in (self.first, self.dash, self.last):
            layout.addWidget(widget)
        self.first.dateChanged.connect(self._custom_edited)
        self.last.dateChanged.connect(self._custom_edited)
        self.buttons[Preset.TODAY].setChecked(True)
        self._show_custom(False)

    def _date_edit(self, day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMaximumDate(QDate(self.today.year, self.today.month, self.today.day))
        return edit

    def _show_custom(self, shown: bool) -> None:
        for widget in (self.first, self.dash, self.last):
            widget.setVisible(shown)

    def custom_range(self) -> DateRange:
        first, last = self.first.date().toPython(), self.last.date().toPython()
        return DateRange(min(first, last), max(first, last))

    def current(self) -> DateRange:
        return preset_range(self.preset, self.today, self.custom_range())

    def choose(self, preset: Preset) -> None:
        self.preset = preset
        self.buttons[preset].setChecked(True)
        self._show_custom(preset is Preset.CUSTOM)
        self.rangeChanged.emit(self.current())

    def set_custom(self, first: date, last: date) -> None:
        """Both dates at once (one reload, not two)."""
        for edit, day in ((self.first, first), (self.last, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self.choose(Preset.CUSTOM)

    def _custom_edited(self) -> None:
        if self.preset is Preset.CUSTOM:
            self.rangeChanged.emit(self.current())

    def set_today(self, today: date) -> None:
        """Past midnight: "today" moves on."""
        self.today = today
        for edit in (self.first, self.last):
            edit.setMaximumDate(QDate(today.year, today.month, today.day))
