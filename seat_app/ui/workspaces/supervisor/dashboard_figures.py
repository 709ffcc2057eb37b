"""What the dashboard shows, worked out from the server's replies (docs/metrics.md); no Qt here.

The tiles come from the seat socket's ``now`` frame and keep counting between
frames from the moment each arrived, as the operator's queue does. The charts
and the CSV come from ``GET /api/metrics`` replies for the chosen date range;
every number shown is one the server computed, only rearranged.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from seat_app.core.queue import WaitLevel, wait_level

#: The server's clock zone (docs/metrics.md: dates are local to it); a reply's ``timezone`` overrides it.
SERVER_ZONE = "Asia/Shanghai"
ANSWER_TARGET_S, HANDLING_TARGET_S = 60, 300
#: the first and the last hour a day's charts always show (the service runs 07:00-19:00, DESIGN.md)
SERVICE_HOURS = (7, 18)


class Preset(StrEnum):
    TODAY = "today"
    YESTERDAY = "yesterday"
    LAST_7_DAYS = "last_7_days"
    CUSTOM = "custom"


@dataclass(frozen=True)
class DateRange:
    """Local dates, both inclusive, as the API takes them."""

    first: date
    last: date

    @property
    def single_day(self) -> bool:
        return self.first == self.last

    @property
    def time_group(self) -> str:
        """One day is shown by hour, longer ranges by day."""
        return "hour" if self.single_day else "day"

    def week_before(self) -> DateRange:
        """The same weekdays one week earlier: what today is compared with."""
        return DateRange(self.first - timedelta(days=7), self.last - timedelta(days=7))

    def params(self) -> tuple[str, str]:
        return self.first.isoformat(), self.last.isoformat()


def local_today(zone: str = SERVER_ZONE, now: datetime | None = None) -> date:
    now = now or datetime.now(ZoneInfo("UTC"))
    return now.astimezone(ZoneInfo(zone)).date()


def preset_range(preset: Preset, today: date, custom: DateRange | None = None) -> DateRange:
    if preset is Preset.TODAY:
        return DateRange(today, today)
    if preset is Preset.YESTERDAY:
        return DateRange(today - timedelta(days=1), today - timedelta(days=1))
    if preset is Preset.LAST_7_DAYS:
        return DateRange(today - timedelta(days=6), today)
    if custom is None:
        raise ValueError("a custom range needs its dates")
    return custom


# --- now --------------------------------------------------------------------------------------
class SeatState(StrEnum):
    IDLE = "idle"
    IN_CALL = "in_call"
    WRAP_UP = "wrap_up"


@dataclass(frozen=True)
class SeatRow:
    name: str
    state: str
    in_state_s: float | None  # when the frame was made
    case_id: int | None


@dataclass(frozen=True)
class NowFigures:
    """One ``now`` frame, and when it arrived (``time.monotonic``)."""

    calls_waiting: int = 0
    oldest_wait_s: float | None = None
    signed_in: int = 0
    in_call: int = 0
    idle: int = 0
    officer_queue: int = 0
    officer_oldest_s: float | None = None
    cases_today: int = 0
    cases_yesterday_by_now: int = 0
    seats: tuple[SeatRow, ...] = ()
    received_at: float = field(default_factory=time.monotonic)

    def since_frame(self, now: float | None = None) -> float:
        return max(0.0, (time.monotonic() if now is None else now) - self.received_at)

    def oldest_wait_now(self, now: float | None = None) -> float | None:
        return None if self.oldest_wait_s is None else self.oldest_wait_s + self.since_frame(now)

    def officer_oldest_now(self, now: float | None = None) -> float | None:
        return None if self.officer_oldest_s is None else self.officer_oldest_s + self.since_frame(now)

    def wait_level(self, now: float | None = None) -> WaitLevel:
        """Amber past 45 s, red past 60 s (seat_app.core.queue, the operator's queue colours)."""
        wait = self.oldest_wait_now(now)
        return WaitLevel.NORMAL if wait is None else wait_level(wait)

    def seat_in_state_now(self, row: SeatRow, now: float | None = None) -> float | None:
        return None if row.in_state_s is None else row.in_state_s + self.since_frame(now)

    @property
    def cases_delta(self) -> int:
        return self.cases_today - self.cases_yesterday_by_now


def now_from_frame(data: dict[str, Any], received_at: float | None = None) -> NowFigures:
    """The ``now`` frame (or ``GET /api/metrics/now``) as figures; missing parts count as empty."""
    at = _parse_time(data.get("at"))
    seats = data.get("seats") or {}
    officers = data.get("officer_queue") or {}
    rows = tuple(SeatRow(str(s.get("name") or s.get("user_id") or ""), str(s.get("state") or ""),
                         _age(at, _parse_time(s.get("since"))), s.get("case_id"))
                 for s in data.get("seat_list") or ())
    return NowFigures(
        calls_waiting=int(data.get("calls_waiting") or 0), oldest_wait_s=_float(data.get("oldest_wait_s")),
        signed_in=int(seats.get("signed_in") or 0), in_call=int(seats.get("in_call") or 0),
        idle=int(seats.get("idle") or 0), officer_queue=int(officers.get("length") or 0),
        officer_oldest_s=_float(officers.get("oldest_s")), cases_today=int(data.get("cases_today") or 0),
        cases_yesterday_by_now=int(data.get("cases_yesterday_by_now") or 0), seats=rows,
        received_at=time.monotonic() if received_at is None else received_at)


def format_duration(seconds: float | None) -> str:
    """``m:ss`` under an hour, ``h:mm:ss`` above; a dash for nothing."""
    if seconds is None:
        return "—"
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:d}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:d}:{secs:02d}"


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _age(at: datetime | None, since: datetime | None) -> float | None:
    if since is None:
        return None
    reference = at or datetime.now(since.tzinfo)
    return max(0.0, (reference - since).total_seconds())


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


# --- the range's charts -------------------------------------------------------------------------
@dataclass(frozen=True)
class RangeView:
    """The replies one range needs: by hour or day, the same a week before, and per seat."""

    range: DateRange
    by_time: dict[str, Any]
    week_before: dict[str, Any]
    by_seat: dict[str, Any]

    @property
    def total(self) -> dict[str, Any]:
        return self.by_time["total"]

    def targets(self) -> tuple[float, float]:
        targets = self.by_time.get("targets") or {}
        return float(targets.get("answer_s", ANSWER_TARGET_S)), float(targets.get("done_s", HANDLING_TARGET_S))

    def shown_groups(self) -> slice:
        """The hours the charts show: the service hours, widened to any hour with cases then or a week
        before (the night's empty hours are left out); every day of a longer range."""
        groups = self.by_time["groups"]
        if not self.range.single_day:
            return slice(0, len(groups))
        now, before = self._cases(self.by_time), self._cases(self.week_before)
        busy = [i for i in range(len(groups)) if now[i] or (i < len(before) and before[i])]
        first, last = SERVICE_HOURS
        return slice(min([first, *busy]), max([last, *busy]) + 1)

    @staticmethod
    def _cases(reply: dict[str, Any]) -> list[int]:
        return [int(g["cases"]) for g in reply["groups"]]

    def time_labels(self) -> list[str]:
        """``09`` per hour for one day, ``12-01`` per day otherwise."""
        groups = self.by_time["groups"][self.shown_groups()]
        if self.range.single_day:
            return [g["key"][-2:] for g in groups]
        return [g["label"] for g in groups]

    def cases_by_time(self) -> tuple[list[int], list[int]]:
        """Cases per shown hour (or day) in the range, and at the same positions a week before."""
        now = self._cases(self.by_time)
        before = (self._cases(self.week_before) + [0] * len(now))[: len(now)]
        shown = self.shown_groups()
        return now[shown], before[shown]

    def answer_times(self) -> tuple[list[float], list[float]]:
        """p50 and p90 of the answer time per shown hour (or day), seconds; 0 where nothing was answered."""
        stats = [g["times"]["answer"] for g in self.by_time["groups"][self.shown_groups()]]
        return [s["p50"] or 0.0 for s in stats], [s["p90"] or 0.0 for s in stats]

    def answered_within_target(self) -> float | None:
        return self.total["service_level"]["answered_within_60s"]["rate"]

    def handling_by_seat(self) -> tuple[list[str], list[float], list[float]]:
        """Seats that answered a case in the range: names, p50 and p90 handling time in seconds."""
        names, p50, p90 = [], [], []
        for group in self.by_seat["groups"]:
            stat = group["times"]["handling"]
            if not group["key"] or not stat["count"]:
                continue
            names.append(group["label"])
            p50.append(stat["p50"])
            p90.append(stat["p90"])
        return names, p50, p90

    def escalation_reasons(self) -> list[tuple[str, int]]:
        return [(r["reason"], int(r["count"])) for r in self.total["escalation_reasons"]]

    def funnel(self) -> list[tuple[str, int]]:
        """Keys of the funnel steps with their counts: reported, answered, submitted, determined."""
        t = self.total
        return [("reported", t["cases"]), ("answered", t["answered"]), ("submitted", t["submitted"]),
                ("determined", t["determined"])]


#: The CSV columns: what the dashboard shows for each row (docs/metrics.md names).
CSV_COLUMNS = (
    "section", "key", "label", "cases", "answered", "abandoned", "escalated", "submitted", "determined", "open",
    "answer_count", "answer_p50_s", "answer_p90_s", "handling_count", "handling_p50_s", "handling_p90_s",
    "end_to_end_p50_s", "end_to_end_p90_s", "answered_within_60s", "done_within_5min", "escalation_rate",
    "abandon_rate", "escalation_reasons",
)


def csv_rows(view: RangeView) -> list[list[str]]:
    """The view as a table: the range's total, then each hour or day, the week before, and each seat."""
    rows = [list(CSV_COLUMNS), _csv_row("total", {"key": "total", "label": _range_label(view.range), **view.total})]
    rows += [_csv_row(view.range.time_group, group) for group in view.by_time["groups"]]
    rows += [_csv_row(f"{view.range.time_group}_week_before", group) for group in view.week_before["groups"]]
    rows += [_csv_row("seat", group) for group in view.by_seat["groups"]]
    return rows


def _range_label(rng: DateRange) -> str:
    return rng.first.isoformat() if rng.single_day else f"{rng.first.isoformat()}..{rng.last.isoformat()}"


def _csv_row(section: str, bucket: dict[str, Any]) -> list[str]:
    times, rates, levels = bucket["times"], bucket["rates"], bucket["service_level"]
    cells: list[Any] = [section, bucket["key"], bucket["label"]]
    cells += [bucket[k] for k in ("cases", "answered", "abandoned", "escalated", "submitted", "determined", "open")]
    cells += [times["answer"]["count"], times["answer"]["p50"], times["answer"]["p90"]]
    cells += [times["handling"]["count"], times["handling"]["p50"], times["handling"]["p90"]]
    cells += [times["end_to_end"]["p50"], times["end_to_end"]["p90"]]
    cells += [levels["answered_within_60s"]["rate"], levels["done_within_5min"]["rate"]]
    cells += [rates["escalation"]["rate"], rates["abandon"]["rate"]]
    cells.append(";".join(f"{r['reason']}:{r['count']}" for r in bucket["escalation_reasons"]))
    return ["" if cell is None else str(cell) for cell in cells]
