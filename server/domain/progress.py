"""The party's timeline (网办进度): what happened to the case, and who is waiting on whom next.

Pure: built from the case's audit events (and its timestamps where an event is missing) by
``timeline``; ``server/services/progress.py`` reads the rows and renders the page. Each step
has its local time and one plain sentence on what happens next. The party reading the page
is "您"; the others are named by their label (甲方, 乙方 ...) only.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any


@dataclass(frozen=True)
class Event:
    """One audit event as the timeline needs it."""

    action: str
    at: datetime  # timezone-aware (UTC in the database)
    actor: str = ""  # user:<id> | party:<id> | system
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseTimes:
    """The case's own timestamps, standing in for events an older case may lack."""

    reported_at: datetime | None = None
    answered_at: datetime | None = None
    submitted_at: datetime | None = None
    determined_at: datetime | None = None


@dataclass(frozen=True)
class Step:
    key: str  # reported | answered | evidence | submitted | sent_back | escalated | document_issued | delivered
    #           | review_requested | review_withdrawn | review_decided | claim_reported | closed
    at: datetime  # local
    title: str
    next: str  # what happens next, and who is waiting on whom

    @property
    def at_text(self) -> str:
        return local_text(self.at)


def local_text(at: datetime) -> str:
    """2026年12月2日 12:50, the way the page writes a time."""
    return f"{at.year}年{at.month}月{at.day}日 {at.hour:02d}:{at.minute:02d}"


#: Audit actions of a review request, its withdrawal and its decision (the transition and the review service's own).
REVIEW_REQUESTED = frozenset({"request_review", "review_requested"})
REVIEW_WITHDRAWN = frozenset({"review_withdrawn", "withdraw_review"})
REVIEW_DECIDED = frozenset({"review", "review_decided"})
UPHELD = frozenset({"upheld", "uphold", "维持"})
#: Evidence kinds that are not the call's: a review request's files, the issued document itself.
NOT_CALL_EVIDENCE = frozenset({"review", "document"})


def _party_of(event: Event) -> int | None:
    value = event.detail.get("party_id")
    if isinstance(value, int):
        return value
    if event.actor.startswith("party:") and event.actor[6:].isdigit():
        return int(event.actor[6:])
    return None


def _who(party_id: int | None, viewer: int | None, labels: Mapping[int, str]) -> str:
    if party_id is not None and party_id == viewer:
        return "您"
    return labels.get(party_id, "一方当事人") if party_id is not None else "一方当事人"


def timeline(events: Iterable[Event], times: CaseTimes, *, viewer: int | None, labels: Mapping[int, str],
             tz: tzinfo) -> list[Step]:
    """The steps in time order. ``viewer`` is the party reading; ``labels`` maps party ids to 甲方, 乙方 ...

    Evidence is one step (its count, at the last upload before the case was submitted or sent back).
    Delivery and claims are the viewer's own only: another party's receipt or claim is not theirs to see."""
    ordered = sorted(events, key=lambda e: e.at)
    steps: list[Step] = []
    evidence: list[Event] = []

    def add(key: str, at: datetime, title: str, next_: str) -> None:
        steps.append(Step(key, at.astimezone(tz), title, next_))

    def flush_evidence() -> None:
        if evidence:
            add("evidence", evidence[-1].at, f"证据已采集（{len(evidence)} 份）",
                "现场照片、证件和视频截图已保存，民警认定责任时会逐一查看。")
            evidence.clear()

    seen: set[str] = set()
    for e in ordered:
        a = e.action
        if a == "open" and "reported" not in seen:
            seen.add("reported")
            add("reported", e.at, "您报了案", "正在等待坐席接听视频，请留在安全的地方。")
        elif a == "answer" and "answered" not in seen:
            seen.add("answered")
            add("answered", e.at, "坐席接通了视频", "坐席正在视频里了解经过、采集证据，请按提示操作。")
        elif a == "evidence_added" and e.detail.get("kind") not in NOT_CALL_EVIDENCE:
            evidence.append(e)
        elif a == "submit":
            flush_evidence()
            seen.add("submitted")
            add("submitted", e.at, "已提交民警认定责任", "现在等民警审查证据、认定责任，您不用做什么，结果会短信通知您。")
        elif a == "send_back":
            flush_evidence()
            reason = str(e.detail.get("reason", "")).strip()
            add("sent_back", e.at, "民警要求补充证据" + (f"：{reason}" if reason else ""),
                "民警在等您补充：请打开短信里的新链接，重新接通视频。")
        elif a == "escalate":
            flush_evidence()
            add("escalated", e.at, "已转为现场处理", "民警会到现场处理，请在安全的地方等候。")
        elif a == "document_issued":
            flush_evidence()
            number = str(e.detail.get("number", "")).strip()
            add("document_issued", e.at, "民警出具了责任认定书" + (f"（{number}）" if number else ""),
                "请阅读认定书。如有异议，可以在期限内申请复核；也可以向保险公司报案理赔。")
        elif a == "document_delivered" and _party_of(e) == viewer:
            add("delivered", e.at, "您已收到认定书（已送达）",
                "如有异议，请在下方写明的期限内申请复核（从送达起算）；也可以向保险公司报案理赔。")
        elif a in REVIEW_REQUESTED and "review_requested" not in seen:
            seen.add("review_requested")
            who = _who(_party_of(e), viewer, labels)
            add("review_requested", e.at, f"{who}申请了复核",
                "现在等上级民警复核，结论会短信通知各方；申请人在结论出来前可以撤回。")
        elif a in REVIEW_WITHDRAWN:
            who = _who(_party_of(e), viewer, labels)
            add("review_withdrawn", e.at, f"{who}撤回了复核申请", "复核结束，认定书继续有效。")
        elif a in REVIEW_DECIDED and "review_decided" not in seen:
            seen.add("review_decided")
            outcome = str(e.detail.get("outcome", e.detail.get("decision", ""))).strip()
            if outcome in UPHELD:
                add("review_decided", e.at, "复核结论：维持原认定",
                    "复核已结束。对赔偿有争议的，可以申请人民调解委员会调解，或者向人民法院提起民事诉讼。")
            else:
                add("review_decided", e.at, "复核结论：重新调查、认定",
                    "原认定书将被撤销，现在等民警重新调查、认定，新的认定书会短信通知您。")
        elif a == "claim_reported" and _party_of(e) == viewer:
            add("claim_reported", e.at, "您已向保险公司报案", "现在等保险公司处理，理赔人员会联系您。")
        elif a == "close":
            flush_evidence()
            add("closed", e.at, "案件已结案", "处理已全部结束。")
    flush_evidence()
    _fill(steps, times, tz)
    steps.sort(key=lambda s: s.at)
    return steps


def _fill(steps: list[Step], times: CaseTimes, tz: tzinfo) -> None:
    """Cases older than their events (seeded, imported) still show when they were reported and answered."""
    have = {s.key for s in steps}
    fallback = (("reported", times.reported_at, "您报了案", "正在等待坐席接听视频，请留在安全的地方。"),
                ("answered", times.answered_at, "坐席接通了视频", "坐席正在视频里了解经过、采集证据，请按提示操作。"),
                ("submitted", times.submitted_at, "已提交民警认定责任",
                 "现在等民警审查证据、认定责任，您不用做什么，结果会短信通知您。"))
    for key, at, title, next_ in fallback:
        if at is not None and key not in have:
            steps.append(Step(key, at.astimezone(tz), title, next_))


def remaining_text(seconds: float) -> str:
    """How long is left, in words: 2天5小时, 3小时20分钟, 不到1分钟."""
    if seconds <= 0:
        return "已过期"
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{mins}分钟" if mins else f"{hours}小时"
    return f"{mins}分钟" if mins else "不到1分钟"
