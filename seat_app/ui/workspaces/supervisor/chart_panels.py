"""The dashboard's charts (QtCharts), each in a panel that can save itself as a PNG.

Each panel is told plain numbers (``show(...)``) and draws them; what the numbers
mean and where they come from is the controller's business. A target (60 s to
answer, 5 min to handle) is drawn as a dashed red line across the bars.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCharts import (QAbstractAxis, QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView,
                              QHorizontalBarSeries, QLineSeries, QValueAxis)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

BLUE = QColor("#1565c0")
LIGHT_BLUE = QColor("#90caf9")
GREY = QColor("#b0bec5")
ORANGE = QColor("#ef6c00")
TARGET = QColor("#c62828")


class ChartPanel(QFrame):
    """A titled chart with a "PNG" button and a context-menu action; ``saveRequested`` asks where to save."""

    saveRequested = Signal(object)  # the panel

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("chartPanel")
        self.chart = QChart()
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.setBackgroundRoundness(0)
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(200)
        self.title = QLabel(title)
        self.title.setObjectName("chartTitle")
        self.note = QLabel()
        self.note.setObjectName("chartNote")
        self.save_button = QToolButton()
        self.save_button.setText("PNG")
        self.save_button.setToolTip(self.tr("将此图保存为 PNG 图片"))
        self.save_button.clicked.connect(lambda: self.saveRequested.emit(self))
        self.save_action = QAction(self.tr("保存为 PNG…"), self)
        self.save_action.triggered.connect(lambda: self.saveRequested.emit(self))
        self.view.addAction(self.save_action)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.note, 1)
        header.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)

    @property
    def title_text(self) -> str:
        return self.title.text()

    def save_png(self, path: Path) -> bool:
        """The chart as the user sees it."""
        pixmap = self.view.grab()
        return pixmap.save(str(path), "PNG")

    def _reset(self) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)

    def _attach(self, series, across: QAbstractAxis, up: QAbstractAxis) -> None:
        """A vertical-bar series on its categories (bottom) and values (left)."""
        self.chart.addSeries(series)
        self.chart.addAxis(across, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(up, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(across)
        series.attachAxis(up)

    def _value_axis(self, top: float, title: str = "", label_format: str = "%d") -> QValueAxis:
        axis = QValueAxis()
        axis.setRange(0, max(top * 1.08, 1.0))
        axis.applyNiceNumbers()  # round ticks: 0, 5, 10 ... rather than 0, 7.5, 15
        axis.setLabelFormat(label_format)
        axis.setTitleText(title)
        small = QFont(axis.labelsFont())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        axis.setLabelsFont(small)
        return axis

    def _target_line(self, at: float, span: int, value_axis: QValueAxis, name: str) -> None:
        """A dashed line at ``at`` across ``span`` categories, on a hidden axis laid over the categories."""
        line = QLineSeries()
        line.setName(name)
        line.setPen(QPen(TARGET, 2, Qt.PenStyle.DashLine))
        line.append(QPointF(-0.5, at))
        line.append(QPointF(max(span, 1) - 0.5, at))
        across = QValueAxis()
        across.setRange(-0.5, max(span, 1) - 0.5)
        across.setVisible(False)
        across.setGridLineVisible(False)
        self.chart.addSeries(line)
        self.chart.addAxis(across, Qt.AlignmentFlag.AlignBottom)
        line.attachAxis(across)
        line.attachAxis(value_axis)


def _bar_set(name: str, values: Sequence[float], colour: QColor) -> QBarSet:
    bars = QBarSet(name)
    bars.setColor(colour)
    bars.setBorderColor(colour)
    for value in values:
        bars.append(float(value))
    return bars


def _category_axis(labels: Sequence[str]) -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.append([str(label) for label in labels] or [""])
    small = QFont(axis.labelsFont())
    small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
    axis.setLabelsFont(small)
    return axis


class QuantileChart(ChartPanel):
    """p50 and p90 of a duration per category (hour, day or seat), against its target.

    ``scale`` turns the server's seconds into the unit shown (60: minutes).
    """

    def __init__(self, key: str, title: str, unit: str, scale: float = 1.0, parent: QWidget | None = None) -> None:
        super().__init__(key, title, parent)
        self.unit = unit
        self.scale = scale

    def show(self, labels: Sequence[str], p50_s: Sequence[float], p90_s: Sequence[float], target_s: float,
             note: str = "") -> None:
        self._reset()
        p50 = [v / self.scale for v in p50_s]
        p90 = [v / self.scale for v in p90_s]
        target = target_s / self.scale
        series = QBarSeries()
        series.append(_bar_set("p50", p50, LIGHT_BLUE))
        series.append(_bar_set("p90", p90, BLUE))
        series.setBarWidth(0.8)
        categories = _category_axis(labels)
        values = self._value_axis(max([*p50, *p90, target]), self.unit, "%.0f")
        self._attach(series, categories, values)
        self._target_line(target, len(labels), values, self.tr("目标 {0} {1}").format(f"{target:g}", self.unit))
        self.chart.legend().setVisible(True)
        self.note.setText(note)

    def over_target(self, p90_s: Sequence[float], target_s: float) -> int:
        return sum(1 for value in p90_s if value > target_s)


class HourlyCasesChart(ChartPanel):
    """Cases per hour (or per day): the chosen range against the same weekdays a week before."""

    def show(self, labels: Sequence[str], current: Sequence[int], previous: Sequence[int],
             current_name: str, previous_name: str) -> None:
        self._reset()
        series = QBarSeries()
        series.append(_bar_set(previous_name, previous, GREY))
        series.append(_bar_set(current_name, current, BLUE))
        series.setBarWidth(0.85)
        categories = _category_axis(labels)
        values = self._value_axis(max([*current, *previous, 0]))
        self._attach(series, categories, values)
        self.chart.legend().setVisible(True)
        self.note.setText(self.tr("共 {0} 件，对比 {1} 件").format(sum(current), sum(previous)))


class HorizontalBarsChart(ChartPanel):
    """Labelled counts as horizontal bars, top to bottom in the order given (reasons, the funnel)."""

    def __init__(self, key: str, title: str, colour: QColor, parent: QWidget | None = None) -> None:
        super().__init__(key, title, parent)
        self.colour = colour

    def show(self, rows: Sequence[tuple[str, int]], note: str = "") -> None:
        self._reset()
        rows = list(rows)[::-1]  # Qt draws the first category at the bottom
        series = QHorizontalBarSeries()
        series.append(_bar_set(self.title_text, [count for _, count in rows], self.colour))
        series.setBarWidth(0.7)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsInsideEnd)
        categories = _category_axis([label for label, _ in rows])
        values = self._value_axis(max([count for _, count in rows] or [0]))
        self.chart.addSeries(series)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(values)
        series.attachAxis(categories)
        self.chart.legend().setVisible(False)
        self.note.setText(note)


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"
