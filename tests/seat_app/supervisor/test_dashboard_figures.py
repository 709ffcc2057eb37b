"""The dashboard's arithmetic without Qt: ranges, the waits' colours as time passes, and which hours are shown."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from seat_app.core.queue import WaitLevel
from seat_app.ui.workspaces.supervisor.dashboard_figures import (DateRange, Preset, RangeView, format_duration,
                                                                 local_today, now_from_frame, preset_range)
from tests.seat_app.doubles import metrics_reply
from tests.seat_app.supervisor import dashboard_data

TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(("preset", "first", "last"), [
    (Preset.TODAY, date(2026, 12, 2), date(2026, 12, 2)),
    (Preset.YESTERDAY, date(2026, 12, 1), date(2026, 12, 1)),
    (Preset.LAST_7_DAYS, date(2026, 11, 26), date(2026, 12, 2)),
])
def test_the_presets_are_local_dates(preset, first, last):
    assert preset_range(preset, TODAY) == DateRange(first, last)


def test_a_custom_range_needs_its_dates_and_compares_with_the_same_weekdays():
    with pytest.raises(ValueError):
        preset_range(Preset.CUSTOM, TODAY)
    rng = preset_range(Preset.CUSTOM, TODAY, DateRange(date(2026, 11, 2), date(2026, 11, 4)))
    assert rng.week_before() == DateRange(date(2026, 10, 26), date(2026, 10, 28))
    assert rng.week_before().first.weekday() == rng.first.weekday() and rng.time_group == "day"
    assert DateRange(TODAY, TODAY).time_group == "hour"


def test_today_is_the_servers_date_not_the_seats():
    late_utc = datetime(2026, 12, 1, 17, 30, tzinfo=timezone.utc)  # 01:30 the next day in Chengdu
    assert local_today("Asia/Shanghai", late_utc) == date(2026, 12, 2)
    assert local_today("UTC", late_utc) == date(2026, 12, 1)


def test_the_oldest_wait_counts_on_from_the_frame_and_changes_colour():
    figures = now_from_frame(dashboard_data.frame(oldest_wait_s=40.0), received_at=100.0)
    assert [figures.wait_level(now) for now in (100.0, 105.0, 105.5, 120.0, 120.5)] == [
        WaitLevel.NORMAL, WaitLevel.NORMAL, WaitLevel.AMBER, WaitLevel.AMBER, WaitLevel.RED]
    assert now_from_frame(dashboard_data.frame(oldest_wait_s=None)).wait_level() is WaitLevel.NORMAL


def test_a_seats_time_in_state_is_measured_on_the_servers_clock():
    figures = now_from_frame(dashboard_data.frame(), received_at=10.0)
    by_name = {row.name: row for row in figures.seats}
    assert figures.seat_in_state_now(by_name["坐席 王敏"], now=10.0) == 180.0  # 10:12:02 -> the frame's 10:15:02
    assert figures.seat_in_state_now(by_name["坐席 李强"], now=15.0) == 35.0
    assert by_name["坐席 王敏"].case_id == 41 and figures.cases_delta == -3


def test_an_empty_frame_is_all_zeros():
    figures = now_from_frame({})
    assert (figures.calls_waiting, figures.signed_in, figures.officer_queue, figures.seats) == (0, 0, 0, ())
    assert figures.oldest_wait_now() is None


@pytest.mark.parametrize(("seconds", "text"), [(None, "—"), (0, "0:00"), (59.9, "0:59"), (61, "1:01"),
                                               (3725, "1:02:05")])
def test_durations_read_as_clock_times(seconds, text):
    assert format_duration(seconds) == text


def view(today_hours: dict[int, int], before_hours: dict[int, int]) -> RangeView:
    day = "2026-12-02"
    reply = metrics_reply(day, day, "hour", dashboard_data.hour_groups(TODAY, today_hours))
    before = metrics_reply("2026-11-25", "2026-11-25", "hour",
                           dashboard_data.hour_groups(date(2026, 11, 25), before_hours))
    return RangeView(DateRange(TODAY, TODAY), reply, before, metrics_reply(day, day, "seat", []))


def test_a_day_shows_the_service_hours_and_any_other_hour_with_cases():
    assert view({9: 1}, {}).time_labels() == [f"{h:02d}" for h in range(7, 19)]
    night = view({9: 1}, {2: 1, 21: 3})
    assert night.time_labels() == [f"{h:02d}" for h in range(2, 22)]
    now, before = night.cases_by_time()
    assert (now[7], before[0], before[-1], len(now)) == (1, 1, 3, 20)
