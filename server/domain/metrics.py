"""The supervisor dashboard's figures, each defined once: from which event to which, over which cases.

Pure: the service (server/services/metrics.py) reads one ``CaseFacts`` per case from the audit events
and the case row; everything else (durations, percentiles, rates, grouping by local hour, day, seat and
officer) happens here, in Python, so SQLite and PostgreSQL give the same numbers. The README's "Metrics"
section and docs/metrics.md describe the same definitions for people.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

#: The audit actions the figures are built from (case_states' action names, plus the events the case
#: services write: the evacuation instruction and captured evidence).
ANSWER, ABANDON, INTERRUPT, REJOIN = "answer", "abandon", "interrupt", "rejoin"
ESCALATE, SUBMIT, DETERMINE, SEND_BACK = "escalate", "submit", "determine", "send_back"
REQUEST_REVIEW, REVIEW = "request_review", "review"
INSTRUCTION, EVIDENCE_ADDED = "instruction", "evidence_added"
#: An instruction whose text contains this is the operator telling the parties to leave the scene
#: (seat_app/core/phrases.py LEAVE_SCENE: "信息已采集完毕，请立即撤离现场，恢复交通。").
EVACUATE_MARK = "撤离现场"
#: A review event whose detail says the decision was changed (``outcome`` or ``status``: revised).
OVERTURN_KEYS, OVERTURNED_OUTCOMES = ("outcome", "status"), ("revised",)
#: Evidence of this kind is a frame the seat captured from the live video: the call had a picture.
VIDEO_FRAME_KIND = "frame"

#: The rollup (table ``case_metrics``, one row per case, kept up to date as each audit event is appended):
#: its time columns and its counters, the same as CaseFacts's. tests/server/test_metrics_rollup.py proves
#: it equals the raw read of the audit events.
ROLLUP_TIMES = ("first_answer", "last_answer", "evacuated", "first_submit", "first_escalate", "first_determine",
                "abandoned", "first_interrupt")
ROLLUP_COUNTS = ("interrupts", "send_backs", "review_requests", "reviews", "overturns", "video_frames")


@dataclass(frozen=True)
class RollupChange:
    earliest: tuple[str, ...] = ()  # time columns that take the event's time if it is earlier (or unset)
    latest: tuple[str, ...] = ()  # time columns that take it if it is later
    counts: tuple[str, ...] = ()  # counters that go up by one

    def __bool__(self) -> bool:
        return bool(self.earliest or self.latest or self.counts)


def rollup_change(action: str, detail: dict) -> RollupChange:
    """What one audit event does to its case's rollup row (the same rules as the raw query's)."""
    if action == ANSWER:
        return RollupChange(("first_answer",), ("last_answer",))
    if action == INSTRUCTION:
        return RollupChange(("evacuated",)) if EVACUATE_MARK in str(detail.get("text", "")) else RollupChange()
    if action == INTERRUPT:
        return RollupChange(("first_interrupt",), counts=("interrupts",))
    if action == REVIEW:
        overturned = any(detail.get(k) in OVERTURNED_OUTCOMES for k in OVERTURN_KEYS)
        return RollupChange(counts=("reviews", "overturns") if overturned else ("reviews",))
    if action == EVIDENCE_ADDED:
        return RollupChange(counts=("video_frames",)) if detail.get("kind") == VIDEO_FRAME_KIND else RollupChange()
    simple = {SUBMIT: ("first_submit",), ESCALATE: ("first_escalate",), DETERMINE: ("first_determine",),
              ABANDON: ("abandoned",)}
    if action in simple:
        return RollupChange(simple[action])
    counters = {SEND_BACK: ("send_backs",), REQUEST_REVIEW: ("review_requests",)}
    return RollupChange(counts=counters.get(action, ()))


#: The states in which a case is still in the operator's phase.
OPEN_STATES = frozenset({"queued", "in_call", "collecting", "interrupted"})

ANSWER_TARGET_S, SCENE_TARGET_S, DONE_TARGET_S = 60, 180, 300
MAX_RANGE_DAYS = 366
MIN_YEAR, MAX_YEAR = 2000, 2100
GROUPS = ("hour", "day", "seat", "officer")

TIMES = ("answer", "scene", "handling", "decision", "end_to_end", "abandon_wait")
RATES = ("abandon", "escalation", "send_back", "review", "overturn", "video_success")
SERVICE_LEVELS = ("answered_within_60s", "done_within_5min")

#: The table the README shows: metric -> (from, to), each as the event it is read from.
DEFINITIONS: dict[str, tuple[str, str]] = {
    "answer": ("reported (the case row's created_at, its `open` event)", "first `answer`"),
    "scene": ("first `answer`", "first instruction containing 撤离现场, else first `submit` / `escalate`"),
    "handling": ("first `answer`", "first `submit` or `escalate`"),
    "decision": ("first `submit`", "first `determine`"),
    "end_to_end": ("reported", "first `determine` (the document is issued with it)"),
    "abandon_wait": ("reported", "`abandon`"),
}


@dataclass(frozen=True)
class CaseFacts:
    """One case as the metrics see it; every time is in seconds since the Unix epoch (UTC), or None.

    (Plain numbers, not datetimes: a year's range is 200,000 of these, and the database does the conversion.)
    """

    case_id: int
    reported_at: float
    state: str
    seat_user_id: int | None  # the operator who last held the case (cases.last_seat_user_id)
    officer_user_id: int | None
    first_answer: float | None = None
    last_answer: float | None = None
    evacuated: float | None = None
    first_submit: float | None = None
    first_escalate: float | None = None
    first_determine: float | None = None
    abandoned: float | None = None
    first_interrupt: float | None = None
    interrupts: int = 0
    send_backs: int = 0
    review_requests: int = 0
    reviews: int = 0
    overturns: int = 0
    video_frames: int = 0
    escalation_reason: str = ""

    #: When the operator's work ended: submitted or escalated, whichever came first.
    handled: float | None = field(init=False, compare=False, repr=False)
    #: Each time metric in TIMES order, worked out once however many buckets count the case.
    duration_row: tuple[float | None, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        handled = _first(self.first_submit, self.first_escalate)
        object.__setattr__(self, "handled", handled)
        object.__setattr__(self, "duration_row", (
            seconds(self.reported_at, self.first_answer),  # answer
            seconds(self.first_answer, self.evacuated or handled),  # scene
            seconds(self.first_answer, handled),  # handling
            seconds(self.first_submit, self.first_determine),  # decision
            seconds(self.reported_at, self.first_determine),  # end_to_end
            seconds(self.reported_at, self.abandoned),  # abandon_wait
        ))


def _first(a: float | None, b: float | None) -> float | None:
    if a is None or b is None:
        return b if a is None else a
    return min(a, b)


def seconds(start: float | None, end: float | None) -> float | None:
    """Rounded to the millisecond: both databases keep microseconds, SQLite's arithmetic not quite."""
    if start is None or end is None or end < start:
        return None
    return round(end - start, 3)


def duration(case: CaseFacts, metric: str) -> float | None:
    """One time metric of a case; each is defined once, in CaseFacts.duration_row (see DEFINITIONS)."""
    return case.duration_row[TIMES.index(metric)]


# --- percentiles and summaries ------------------------------------------------------------------


def nearest_rank(sorted_values: Sequence[float], p: float) -> float | None:
    """The p-th percentile by nearest rank: the value at 1-based position ceil(p/100 * n)."""
    n = len(sorted_values)
    if n == 0:
        return None
    rank = max(1, math.ceil(p / 100 * n - 1e-9))
    return sorted_values[rank - 1]


def stat(values: Iterable[float]) -> dict:
    ordered = sorted(values)
    n = len(ordered)
    return {"count": n, "p50": _ms(nearest_rank(ordered, 50)), "p90": _ms(nearest_rank(ordered, 90)),
            "mean": round(sum(ordered) / n, 2) if n else None}


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def rate(numerator: int, denominator: int) -> dict:
    return {"numerator": numerator, "denominator": denominator,
            "rate": round(numerator / denominator, 4) if denominator else None}


# --- one bucket of cases ------------------------------------------------------------------------


def bucket(cases: Sequence[CaseFacts]) -> dict:
    """Every figure of the dashboard over ``cases`` (docs/metrics.md, "<Bucket>").

    One pass with plain counters: a year's range puts 200,000 cases through here twice (total and group).
    """
    values: dict[str, list[float]] = {t: [] for t in TIMES}
    columns = [values[t] for t in TIMES]
    reasons: Counter[str] = Counter()
    answered = video = within = abandoned = escalated = submitted = sent_back = determined = 0
    review_requested = reviewed = overturned = interrupted = interruptions = resumed = handled = 0
    done_in_time = still_open = 0
    for c in cases:
        row = c.duration_row
        for column, v in zip(columns, row):
            if v is not None:
                column.append(v)
        if c.first_answer is not None:
            answered += 1
            video += c.video_frames > 0
            within += row[0] <= ANSWER_TARGET_S
        if c.abandoned is not None:
            abandoned += 1
        if c.first_escalate is not None:
            escalated += 1
            reasons[(c.escalation_reason or "").strip() or "（未填写）"] += 1
        if c.first_submit is not None:
            submitted += 1
            sent_back += c.send_backs > 0
        if c.first_determine is not None:
            determined += 1
            review_requested += c.review_requests > 0
        if c.reviews:
            reviewed += 1
            overturned += c.overturns > 0
        if c.interrupts:
            interrupted += 1
            interruptions += c.interrupts
            resumed += _resumed(c)
        if c.handled is not None:
            handled += 1
            done_in_time += c.handled - c.reported_at <= DONE_TARGET_S
        still_open += c.state in OPEN_STATES
    n = {"answered": answered, "video": video, "within_60s": within, "abandoned": abandoned,
         "escalated": escalated, "submitted": submitted, "sent_back": sent_back, "determined": determined,
         "review_requested": review_requested, "reviewed": reviewed, "overturned": overturned,
         "interrupted": interrupted, "interruptions": interruptions, "resumed": resumed, "handled": handled,
         "done_in_time": done_in_time, "open": still_open}
    answered = n["answered"]
    return {
        "cases": len(cases), "answered": answered, "abandoned": n["abandoned"], "escalated": n["escalated"],
        "submitted": n["submitted"], "determined": n["determined"], "open": n["open"],
        "times": {metric: stat(v) for metric, v in values.items()},
        "rates": {
            "abandon": rate(n["abandoned"], len(cases)),
            "escalation": rate(n["escalated"], answered),
            "send_back": rate(n["sent_back"], n["submitted"]),
            "review": rate(n["review_requested"], n["determined"]),
            "overturn": rate(n["overturned"], n["reviewed"]),
            "video_success": rate(n["video"], answered),
        },
        "service_level": {
            "answered_within_60s": rate(n["within_60s"], answered + n["abandoned"]),
            "done_within_5min": rate(n["done_in_time"], n["handled"]),
        },
        "interruptions": {
            "count": n["interruptions"],
            "per_call": round(n["interruptions"] / answered, 4) if answered else None,
            "interrupted_cases": n["interrupted"],
            "resumed": rate(n["resumed"], n["interrupted"]),
        },
        "escalation_reasons": [{"reason": r, "count": k} for r, k in sorted(reasons.items(),
                                                                          key=lambda kv: (-kv[1], kv[0]))],
    }


def _resumed(case: CaseFacts) -> bool:
    """Answered again after its first interruption (the party tapped 继续处理 and a seat took it)."""
    return case.first_interrupt is not None and case.last_answer is not None and case.last_answer > case.first_interrupt


# --- ranges and groups --------------------------------------------------------------------------


class BadRange(ValueError):
    """A date range or group the dashboard cannot ask for; the message is for users (Chinese)."""


@dataclass(frozen=True)
class Range:
    first_day: date
    last_day: date
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, datetime.min.time(), self.zone)

    @property
    def end(self) -> datetime:
        """Local midnight after the last day (exclusive)."""
        return datetime.combine(self.last_day + timedelta(days=1), datetime.min.time(), self.zone)

    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=i) for i in range((self.last_day - self.first_day).days + 1)]


def parse_range(first: str | None, last: str | None, zone_name: str, today: date) -> Range:
    try:
        first_day = date.fromisoformat(first) if first else today
        last_day = date.fromisoformat(last) if last else first_day
    except ValueError as e:
        raise BadRange("日期格式不正确，应为 YYYY-MM-DD") from e
    if first_day.year < MIN_YEAR or last_day.year > MAX_YEAR:
        raise BadRange(f"日期须在 {MIN_YEAR} 年至 {MAX_YEAR} 年之间")
    if last_day < first_day:
        raise BadRange("结束日期不能早于开始日期")
    if (last_day - first_day).days + 1 > MAX_RANGE_DAYS:
        raise BadRange(f"查询范围最多 {MAX_RANGE_DAYS} 天")
    return Range(first_day, last_day, ZoneInfo(zone_name))


def check_group(group: str) -> str:
    if group not in GROUPS:
        raise BadRange(f"group 必须是 {'、'.join(GROUPS)} 之一")
    return group


def _hour_key(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H")


def _local(epoch_s: float, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(epoch_s, zone)


def group_key(case: CaseFacts, group: str, zone: ZoneInfo) -> str:
    if group == "hour":
        return _local(case.reported_at, zone).strftime("%Y-%m-%dT%H")
    if group == "day":
        return _local(case.reported_at, zone).date().isoformat()
    user = case.seat_user_id if group == "seat" else case.officer_user_id
    if group == "officer" and case.first_determine is None:
        user = None  # an officer who took a case but has not decided it yet is not its decider
    return "" if user is None else str(user)


def _time_keys(rng: Range, group: str) -> list[str]:
    if group == "day":
        return [d.isoformat() for d in rng.days()]
    keys, moment = [], rng.start
    while moment < rng.end:  # stepped in UTC, so a zone with DST would still list each real hour once
        keys.append(_hour_key(moment, rng.zone))
        moment += timedelta(hours=1)
    return list(dict.fromkeys(keys))


def _label(group: str, key: str, names: Callable[[int], str]) -> str:
    if group == "hour":
        return f"{key[5:10]} {key[11:13]}:00"
    if group == "day":
        return key[5:]
    if key == "":
        return "未接听" if group == "seat" else "未认定"
    return names(int(key))


#: Every zone's offset is a multiple of 15 minutes, so a local hour's key is the same all through a
#: quarter-hour of UTC: the keys are looked up once per quarter-hour, not once per case.
_QUARTER_S = 900


def _keyed(cases: Sequence[CaseFacts], group: str, zone: ZoneInfo) -> dict[str, list[CaseFacts]]:
    by_key: dict[str, list[CaseFacts]] = {}
    if group in ("hour", "day"):
        memo: dict[int, str] = {}
        for case in cases:
            quarter = int(case.reported_at // _QUARTER_S)
            key = memo.get(quarter)
            if key is None:
                key = memo[quarter] = group_key(case, group, zone)
            by_key.setdefault(key, []).append(case)
        return by_key
    for case in cases:
        by_key.setdefault(group_key(case, group, zone), []).append(case)
    return by_key


def report(cases: Sequence[CaseFacts], rng: Range, group: str, names: Callable[[int], str]) -> dict:
    """The reply of GET /api/metrics without its header: the total and one bucket per group."""
    by_key = _keyed(cases, group, rng.zone)
    if group in ("hour", "day"):
        keys = _time_keys(rng, group)
    else:
        keys = sorted(by_key, key=lambda k: (k == "", int(k) if k else 0))
    groups = [{"key": k, "label": _label(group, k, names), **bucket(by_key.get(k, []))} for k in keys]
    return {"total": bucket(cases), "groups": groups}


# --- the CSV export -----------------------------------------------------------------------------


def csv_header() -> list[str]:
    head = ["key", "label", "cases", "answered", "abandoned", "escalated", "submitted", "determined", "open"]
    for t in TIMES:
        head += [f"{t}_count", f"{t}_p50", f"{t}_p90", f"{t}_mean"]
    for r in (*RATES, *SERVICE_LEVELS, "resumed"):
        head += [f"{r}_num", f"{r}_den", r]
    return head + ["interruptions", "interruptions_per_call", "interrupted_cases", "escalation_reasons"]


def csv_row(key: str, label: str, b: dict) -> list[str]:
    row: list[object] = [key, label, b["cases"], b["answered"], b["abandoned"], b["escalated"], b["submitted"],
                         b["determined"], b["open"]]
    for t in TIMES:
        s = b["times"][t]
        row += [s["count"], s["p50"], s["p90"], s["mean"]]
    rates = {**b["rates"], **b["service_level"], "resumed": b["interruptions"]["resumed"]}
    for r in (*RATES, *SERVICE_LEVELS, "resumed"):
        row += [rates[r]["numerator"], rates[r]["denominator"], rates[r]["rate"]]
    i = b["interruptions"]
    reasons = ";".join(f"{e['reason']}:{e['count']}" for e in b["escalation_reasons"])
    row += [i["count"], i["per_call"], i["interrupted_cases"], reasons]
    return ["" if v is None else str(v) for v in row]

