"""Working days and the review deadline (复核: 公安部令第146号 第七十一条, 第一百一十二条).

Pure. The calendar is ``server/resources/work_calendar.toml`` (its header says how
to add a year). A period of days starts the day after the event (第一百一十二条:
the day it starts is not counted), and "三日" for a review means three working
days: the deadline is the end (24:00, i.e. the next day's 00:00 local) of the
third working day after the delivery day.

A year the file does not hold is counted with weekends only, and the deadline
says so (``approximate``), so a page can warn instead of being silently wrong.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo


class CalendarError(ValueError):
    """The calendar file is malformed: the message names the year and the entry."""


@dataclass(frozen=True)
class Deadline:
    at: datetime  # the moment the period ends (local, timezone-aware): 00:00 of the day after the last day
    last_day: date  # the last working day on which a request is still in time
    approximate: bool  # some day counted lies in a year the calendar does not hold


def _parse_day(year: str, text: object) -> date:
    try:
        day = date.fromisoformat(str(text).strip())
    except ValueError as e:
        raise CalendarError(f"工作日历 {year} 年的日期 {text!r} 不是 YYYY-MM-DD") from e
    if str(day.year) != year:
        raise CalendarError(f"工作日历 {year} 年的日期 {text!r} 不在 {year} 年")
    return day


def _expand(year: str, entry: object) -> list[date]:
    if not isinstance(entry, str):
        raise CalendarError(f"工作日历 {year} 年的条目 {entry!r} 应为日期字符串")
    if ".." not in entry:
        return [_parse_day(year, entry)]
    first, last = (_parse_day(year, part) for part in entry.split("..", 1))
    if last < first:
        raise CalendarError(f"工作日历 {year} 年的区间 {entry!r} 结束早于开始")
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[date]
    workdays: frozenset[date]  # make-up working days (调休), usually on a weekend
    years: frozenset[int]

    @classmethod
    def from_toml(cls, text: str) -> WorkCalendar:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise CalendarError(f"工作日历不是合法的 TOML：{e}") from e
        holidays: set[date] = set()
        workdays: set[date] = set()
        years: set[int] = set()
        for year, block in data.items():
            if not (year.isdigit() and len(year) == 4) or not isinstance(block, dict):
                raise CalendarError(f"工作日历的 [{year}] 应为四位年份的表")
            for key in block:
                if key not in ("source", "holidays", "workdays"):
                    raise CalendarError(f"工作日历 {year} 年有未知的键 {key!r}")
            if not str(block.get("source", "")).strip():
                raise CalendarError(f"工作日历 {year} 年缺少 source（国务院办公厅通知）")
            days_off = [d for entry in block.get("holidays", []) for d in _expand(year, entry)]
            days_on = [_parse_day(year, entry) for entry in block.get("workdays", [])]
            both = set(days_off) & set(days_on)
            if both:
                raise CalendarError(f"工作日历 {year} 年的 {min(both)} 同时是假日和调休上班日")
            holidays.update(days_off)
            workdays.update(days_on)
            years.add(int(year))
        return cls(frozenset(holidays), frozenset(workdays), frozenset(years))

    def knows(self, day: date) -> bool:
        return day.year in self.years

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def deadline(self, delivered_at: datetime, working_days: int, tz: tzinfo) -> Deadline:
        """The end of the ``working_days``-th working day after the day of ``delivered_at`` (local)."""
        if working_days < 1:
            raise ValueError("working_days must be at least 1")
        if delivered_at.tzinfo is None:
            raise ValueError("delivered_at must be timezone-aware")
        day = delivered_at.astimezone(tz).date()
        approximate = not self.knows(day)
        counted = 0
        while counted < working_days:
            day += timedelta(days=1)
            approximate = approximate or not self.knows(day)
            if self.is_working_day(day):
                counted += 1
        end = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz)
        return Deadline(at=end, last_day=day, approximate=approximate)
