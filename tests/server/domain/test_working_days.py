"""The review deadline counts working days from the official calendar (146号 第七十一条, 第一百一十二条)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from server.domain.working_days import CalendarError, WorkCalendar
from server.resource_files import resource

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar.from_toml(resource("work_calendar.toml").read_text(encoding="utf-8"))


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_the_shipped_calendar_holds_2025_and_2026_with_every_official_day_off(calendar):
    assert calendar.years == {2025, 2026}
    by_year = {y: sorted(d for d in calendar.holidays if d.year == y) for y in (2025, 2026)}
    assert len(by_year[2025]) == 1 + 8 + 3 + 5 + 3 + 8
    assert len(by_year[2026]) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert sorted(calendar.workdays) == [date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28),
                                         date(2025, 10, 11), date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28),
                                         date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)]
    assert all(d.weekday() >= 5 for d in calendar.workdays)


@pytest.mark.parametrize("delivered, last_day", [
    (local(2026, 3, 2, 9, 0), date(2026, 3, 5)),  # Monday: Tue, Wed, Thu
    (local(2026, 3, 6, 17, 0), date(2026, 3, 11)),  # Friday: the weekend does not count
    (local(2026, 4, 3, 10, 0), date(2026, 4, 9)),  # before 清明: Sat-Mon off
    (local(2026, 2, 12, 10, 0), date(2026, 2, 24)),  # Fri 13, the make-up Saturday 14, then 春节 to the 23rd
    (local(2026, 9, 30, 10, 0), date(2026, 10, 10)),  # 国庆 1-7 off, 8, 9 and the make-up Saturday the 10th
    (local(2025, 1, 24, 23, 30), date(2025, 2, 5)),  # make-up Sunday 26th, Mon 27th, 春节, Wed 5 Feb
    (local(2025, 12, 29, 12, 0), date(2026, 1, 4)),  # across the year: 30, 31 Dec, 元旦 1-3 off, the make-up Sunday 4th
])
def test_three_working_days_after_the_delivery_day(calendar, delivered, last_day):
    deadline = calendar.deadline(delivered, 3, SHANGHAI)
    assert deadline.last_day == last_day
    assert deadline.at == datetime.combine(last_day + timedelta(days=1), time(0, 0), SHANGHAI)  # 24:00 that day
    assert not deadline.approximate


def test_the_delivery_day_is_the_local_day_not_the_utc_one(calendar):
    delivered = datetime(2026, 4, 2, 16, 30, tzinfo=timezone.utc)  # 00:30 on Friday 3 April in Shanghai
    assert calendar.deadline(delivered, 3, SHANGHAI).last_day == date(2026, 4, 9)


def test_a_year_the_calendar_lacks_is_counted_with_weekends_and_marked_approximate(calendar):
    deadline = calendar.deadline(local(2026, 12, 30, 10, 0), 3, SHANGHAI)
    assert deadline.last_day == date(2027, 1, 4)  # 31 Dec, Fri 1 Jan (unknown: a weekday), Mon 4 Jan
    assert deadline.approximate
    assert not calendar.deadline(local(2026, 12, 24, 10, 0), 3, SHANGHAI).approximate


def test_the_window_is_configurable(calendar):
    assert calendar.deadline(local(2026, 3, 2, 9, 0), 1, SHANGHAI).last_day == date(2026, 3, 3)
    assert calendar.deadline(local(2026, 3, 2, 9, 0), 5, SHANGHAI).last_day == date(2026, 3, 9)
    with pytest.raises(ValueError):
        calendar.deadline(local(2026, 3, 2, 9, 0), 0, SHANGHAI)
    with pytest.raises(ValueError):
        calendar.deadline(datetime(2026, 3, 2, 9, 0), 3, SHANGHAI)


@pytest.mark.parametrize("text, says", [
    ('["2026"]\nholidays = ["2026-01-01"]\n', "source"),
    ('["2026"]\nsource = "x"\nholidays = ["2026-13-01"]\n', "2026-13-01"),
    ('["2026"]\nsource = "x"\nholidays = ["2025-01-01"]\n', "不在 2026 年"),
    ('["2026"]\nsource = "x"\nholidays = ["2026-01-05..2026-01-01"]\n', "结束早于开始"),
    ('["2026"]\nsource = "x"\nholidays = ["2026-01-03"]\nworkdays = ["2026-01-03"]\n', "同时"),
    ('["26"]\nsource = "x"\n', "四位年份"),
    ('["2026"]\nsource = "x"\nholiday = []\n', "未知的键"),
    ('["2026"\n', "TOML"),
    ('["2026"]\nsource = "x"\nholidays = [20260101]\n', "日期字符串"),
])
def test_a_malformed_calendar_is_refused_with_a_message_naming_the_entry(text, says):
    with pytest.raises(CalendarError, match=says):
        WorkCalendar.from_toml(text)
