"""The supervisor's page: it lays out the tiles, the charts and the seat list, and fills them. Nothing else.

┌ 值班看板  [今天|昨天|近7天|自定义]                          [刷新] [导出 CSV] ┐
│ live tiles: waiting · oldest wait · seats · officers' queue · today vs yesterday │
│ range tiles: cases · answered in 60 s · handling · escalation · determined      │
├ cases per hour vs a week before ─────────┬ funnel ────────────┬ seats ─────────┤
├ answer time ───────┬ handling per seat ──┴ escalation reasons ┤                │
└─────────────────────────────────────────────────────────────────────────────────┘
"""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget)

from seat_app.ui.workspaces.supervisor.chart_panels import (BLUE, ORANGE, ChartPanel, HorizontalBarsChart,
                                                             HourlyCasesChart, QuantileChart, percent)
from seat_app.ui.workspaces.supervisor.dashboard_figures import NowFigures, RangeView, format_duration
from seat_app.ui.workspaces.supervisor.range_picker_widget import RangePickerWidget
from seat_app.ui.workspaces.supervisor.seat_list_widget import SeatListWidget
from seat_app.ui.workspaces.supervisor.tile_widget import TileWidget

PAGE_STYLE = """
QFrame#chartPanel { background: #ffffff; border: 1px solid #d0d7de; border-radius: 6px; }
QLabel#chartTitle { font-weight: bold; font-size: 14px; color: #1b2733; }
QLabel#chartNote { color: #607d8b; padding-left: 8px; }
QLabel#dashboardHeading { font-size: 20px; font-weight: bold; color: #1b2733; }
QLabel#updated { color: #607d8b; }
QPushButton#rangeButton { padding: 4px 12px; border: 1px solid #b0bec5; border-radius: 4px; background: #ffffff; }
QPushButton#rangeButton:checked { background: #1565c0; color: white; border-color: #1565c0; }
"""


class DashboardPage(QWidget):
    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(PAGE_STYLE)
        self.heading = QLabel(self.tr("值班看板"))
        self.heading.setObjectName("dashboardHeading")
        self.range_picker = RangePickerWidget(today)
        self.updated = QLabel()
        self.updated.setObjectName("updated")
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.export_button = QPushButton(self.tr("导出 CSV"))
        self.export_button.setEnabled(False)
        self.live = {key: TileWidget(key, caption) for key, caption in (
            ("waiting", self.tr("排队来电")), ("oldest_wait", self.tr("最长等待")), ("seats", self.tr("坐席 忙 / 闲")),
            ("officer_queue", self.tr("待责任认定")), ("cases_today", self.tr("今日案件")))}
        self.summary = {key: TileWidget(key, caption) for key, caption in (
            ("cases", self.tr("区间案件")), ("answer", self.tr("60 秒接听率")), ("handling", self.tr("处理时长 p50")),
            ("escalation", self.tr("转现场处理率")), ("determined", self.tr("已认定")))}
        self.hourly = HourlyCasesChart("cases_per_hour", self.tr("每小时案件"))
        self.answer_time = QuantileChart("answer_time", self.tr("接听等待时间"), self.tr("秒"))
        self.handling = QuantileChart("handling_per_seat", self.tr("各坐席处理时长"), self.tr("分钟"), 60.0)
        self.reasons = HorizontalBarsChart("escalation_reasons", self.tr("转现场原因"), ORANGE)
        self.funnel = HorizontalBarsChart("funnel", self.tr("办理漏斗"), BLUE)
        self.seat_list = SeatListWidget()
        self._build_layout()

    @property
    def charts(self) -> list[ChartPanel]:
        return [self.hourly, self.answer_time, self.handling, self.reasons, self.funnel]

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(16)
        top.addWidget(self.range_picker)
        top.addStretch(1)
        top.addWidget(self.updated)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)
        charts = QGridLayout()
        charts.setSpacing(8)
        charts.addWidget(self.hourly, 0, 0, 1, 2)
        charts.addWidget(self.funnel, 0, 2)
        charts.addWidget(self.answer_time, 1, 0)
        charts.addWidget(self.handling, 1, 1)
        charts.addWidget(self.reasons, 1, 2)
        for column in range(3):
            charts.setColumnStretch(column, 1)
        seats = QGroupBox(self.tr("坐席状态"))
        seats_layout = QVBoxLayout(seats)
        seats_layout.setContentsMargins(6, 14, 6, 6)
        seats_layout.addWidget(self.seat_list)
        seats.setMinimumWidth(300)
        body = QHBoxLayout()
        body.addLayout(charts, 1)
        body.addWidget(seats)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(_row(self.live.values()))
        layout.addLayout(_row(self.summary.values()))
        layout.addLayout(body, 1)

    # --- now ----------------------------------------------------------------------------------
    def show_now(self, figures: NowFigures) -> None:
        self.live["waiting"].set(str(figures.calls_waiting), self.tr("来电排队中"))
        self.live["seats"].set(f"{figures.in_call} / {figures.idle}", self.tr("在线 {0} 个坐席").format(figures.signed_in))
        self.live["officer_queue"].set(str(figures.officer_queue), "")
        delta = figures.cases_delta
        self.live["cases_today"].set(str(figures.cases_today), self.tr("昨日同时段 {0}（{1}）").format(
            figures.cases_yesterday_by_now, f"{delta:+d}"))
        self.seat_list.show_figures(figures)
        self.tick(figures)

    def tick(self, figures: NowFigures) -> None:
        """Once a second: the waits keep counting between frames."""
        wait = figures.oldest_wait_now()
        self.live["oldest_wait"].set(format_duration(wait), self.tr("目标 60 秒内接听"), str(figures.wait_level()))
        oldest = figures.officer_oldest_now()
        self.live["officer_queue"].set(str(figures.officer_queue),
                                       self.tr("最久 {0}").format(format_duration(oldest)) if oldest is not None else "")
        self.seat_list.tick()

    # --- the range --------------------------------------------------------------------------------
    def show_range(self, view: RangeView) -> None:
        self._show_summary(view)
        answer_target, done_target = view.targets()
        labels = view.time_labels()
        now, before = view.cases_by_time()
        rng = view.range
        current = f"{rng.first:%m-%d}" if rng.single_day else self.tr("本期")
        self.hourly.title.setText(self.tr("每小时案件") if rng.single_day else self.tr("每日案件"))
        self.hourly.show(labels, now, before, current, self.tr("上周同日") if rng.single_day else self.tr("前一周"))
        p50, p90 = view.answer_times()
        self.answer_time.show(labels, p50, p90, answer_target,
                              self.tr("60 秒内接听 {0}").format(percent(view.answered_within_target())))
        seats, h50, h90 = view.handling_by_seat()
        over = self.handling.over_target(h90, done_target)
        self.handling.show(seats, h50, h90, done_target,
                           self.tr("{0} 个坐席 p90 超过目标").format(over) if over else self.tr("全部坐席 p90 达标"))
        reasons = view.escalation_reasons()
        self.reasons.show(reasons, self.tr("共 {0} 件").format(sum(n for _, n in reasons)))
        self.funnel.show([(self.funnel_text(key), count) for key, count in view.funnel()],
                         self._funnel_note(view))
        self.export_button.setEnabled(True)

    def funnel_text(self, key: str) -> str:
        return {"reported": self.tr("报警"), "answered": self.tr("接听"), "submitted": self.tr("提交认定"),
                "determined": self.tr("已认定")}[key]

    def _funnel_note(self, view: RangeView) -> str:
        steps = view.funnel()
        reported, determined = steps[0][1], steps[-1][1]
        return self.tr("认定率 {0}").format(percent(determined / reported if reported else None))

    def _show_summary(self, view: RangeView) -> None:
        t = view.total
        answer, handling = t["times"]["answer"], t["times"]["handling"]
        answer_target, done_target = view.targets()
        self.summary["cases"].set(str(t["cases"]), self.tr("接听 {0} · 放弃 {1} · 未结 {2}").format(
            t["answered"], t["abandoned"], t["open"]))
        self.summary["answer"].set(percent(view.answered_within_target()), self.tr("p50 {0} · p90 {1}").format(
            format_duration(answer["p50"]), format_duration(answer["p90"])),
            _over(answer["p90"], answer_target))
        self.summary["handling"].set(format_duration(handling["p50"]), self.tr("p90 {0} · 目标 {1}").format(
            format_duration(handling["p90"]), format_duration(done_target)), _over(handling["p90"], done_target))
        escalation = t["rates"]["escalation"]
        self.summary["escalation"].set(percent(escalation["rate"]), self.tr("{0} 件转现场").format(t["escalated"]))
        decision = t["times"]["decision"]
        self.summary["determined"].set(str(t["determined"]), self.tr("认定用时 p50 {0}").format(
            format_duration(decision["p50"])))

    def show_updated(self, text: str, error: bool = False) -> None:
        self.updated.setText(text)
        self.updated.setStyleSheet("color: #c62828;" if error else "color: #607d8b;")


def _row(tiles) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(8)
    for tile in tiles:
        row.addWidget(tile, 1)
    return row


def _over(value: float | None, target: float) -> str:
    return "red" if value is not None and value > target else "normal"
