"""A supervisor's day in FakeApi replies (docs/metrics.md shape), the same numbers the tests then look for."""
from __future__ import annotations

from datetime import date, timedelta

from seat_app.ui.workspaces.supervisor.dashboard_figures import local_today
from tests.seat_app.doubles import FakeApi, bucket, metrics_reply, now_frame, rate, stat

#: cases per hour of today (07:00-18:00) and of the same weekday a week before
TODAY_HOURS = {7: 2, 8: 6, 9: 5, 10: 3, 11: 4}
WEEK_BEFORE_HOURS = {7: 3, 8: 7, 9: 4, 10: 4, 11: 2, 12: 3}
#: per seat: (label, cases, handling p50 s, p90 s)
SEATS = (("7", "坐席 王敏", 11, 230.0, 280.0), ("8", "坐席 李强", 9, 250.0, 340.0))
REASONS = {"有人受伤": 2, "车辆无法移动": 1}


def hour_groups(day: date, counts: dict[int, int]) -> list[dict]:
    return [bucket(counts.get(h, 0), answered=counts.get(h, 0), key=f"{day.isoformat()}T{h:02d}",
                   label=f"{day:%m-%d} {h:02d}:00", answer=stat(counts.get(h, 0), 20.0 + h, 40.0 + 3 * h)
                   if counts.get(h) else stat()) for h in range(24)]


def today_total() -> dict:
    return bucket(20, answered=19, escalated=3, submitted=15, determined=12, answer=stat(19, 31.0, 58.0),
                  handling=stat(19, 240.0, 330.0), within_60s=rate(17, 19), reasons=REASONS)


def seed(api: FakeApi, today: date | None = None) -> date:
    today = today or local_today()
    first = today.isoformat()
    before = (today - timedelta(days=7)).isoformat()
    api.metric_replies[(first, first, "hour")] = metrics_reply(first, first, "hour", hour_groups(today, TODAY_HOURS),
                                                               today_total())
    api.metric_replies[(before, before, "hour")] = metrics_reply(
        before, before, "hour", hour_groups(today - timedelta(days=7), WEEK_BEFORE_HOURS))
    seats = [bucket(n, answered=n, key=key, label=label, handling=stat(n, p50, p90)) for key, label, n, p50, p90 in SEATS]
    seats.append(bucket(1, key="", label="未接听"))
    api.metric_replies[(first, first, "seat")] = metrics_reply(first, first, "seat", seats, today_total())
    return today


def frame(**figures) -> dict:
    """A busy moment: 3 waiting, the oldest for 50 s, 2 of 3 seats in a call, 4 cases for the officers."""
    values = dict(
        calls_waiting=3, oldest_wait_s=50.0, seats={"signed_in": 3, "in_call": 2, "idle": 1},
        seat_list=[{"user_id": 7, "name": "坐席 王敏", "state": "in_call", "since": "2026-12-01T10:12:02+00:00", "case_id": 41},
                   {"user_id": 8, "name": "坐席 李强", "state": "idle", "since": "2026-12-01T10:14:32+00:00", "case_id": None},
                   {"user_id": 9, "name": "坐席 张丽", "state": "in_call", "since": "2026-12-01T10:14:02+00:00", "case_id": 42}],
        officer_queue={"length": 4, "oldest_s": 312.0}, cases_today=20, cases_yesterday_by_now=23)
    values.update(figures)
    return now_frame(**values)
