"""A week of finished demo cases, so the supervisor dashboard shows something on a first run.

Each case is written as it would have happened: the case row with its stamps and the audit events of its
transitions at their (past) times, appended to the one hash chain, so ``kuaichu-server verify-audit``
still passes. ``record_case`` is also how the metric tests seed a day with known timings. Every seeded
case is ``source = "demo"`` and its events say ``seeded: true``; live code never writes either.
"""
from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import CaseState as S
from server.adapters.db import unit_of_work
from server.adapters.orm import Case, Party, User, utcnow
from server.services import audit

DEMO_SOURCE = "demo"
WEEK_CASES = 300
LEAVE_SCENE_TEXT = "信息已采集完毕，请立即撤离现场，恢复交通。"
ESCALATION_REASONS = ("有人受伤", "车辆无法移动", "一方驾驶人疑似饮酒", "当事人对事实有争议", "超出服务区域")
#: Cases an hour, 07:00-19:00, shaped like a weekday's traffic (morning and evening peaks).
HOURLY_WEIGHT = {7: 5, 8: 10, 9: 9, 10: 7, 11: 6, 12: 5, 13: 5, 14: 6, 15: 6, 16: 7, 17: 10, 18: 8}

#: The state a case is in after each action (the audit event's to_state).
_TARGET = {"answer": S.IN_CALL, "start_collection": S.COLLECTING, "interrupt": S.INTERRUPTED, "rejoin": S.QUEUED,
           "abandon": S.ABANDONED, "escalate": S.ESCALATED, "submit": S.AWAITING_LIABILITY,
           "send_back": S.INTERRUPTED, "determine": S.DETERMINED, "close": S.CLOSED,
           "request_review": S.REVIEW_REQUESTED, "review": S.REVIEWED}


@dataclass(frozen=True)
class Step:
    """One audited thing that happened to a case, ``after_s`` seconds after it was reported."""

    after_s: float
    action: str
    actor: str
    detail: dict[str, Any] = field(default_factory=dict)


def record_case(s: Session, reported_at: datetime, steps: Sequence[Step], *, seat_user_id: int | None = None,
                officer_user_id: int | None = None, escalation_reason: str = "", source: str = DEMO_SOURCE) -> int:
    """Writes one case that was reported at ``reported_at`` and went through ``steps``; returns its id."""
    state = S.QUEUED
    case = Case(number=f"KC{reported_at:%Y%m%d}-{secrets.token_hex(3).upper()}", state=state.value, source=source,
                queued_at=reported_at, accident_at=reported_at, created_at=reported_at, updated_at=reported_at,
                seat_user_id=seat_user_id, last_seat_user_id=seat_user_id, officer_user_id=officer_user_id,
                escalation_reason=escalation_reason)
    case.parties.append(Party(position=1, kind="motor"))
    s.add(case)
    s.flush()
    audit.append(s, actor="system", action="open", case_id=case.id, to_state=state.value,
                 detail={"source": source, "seeded": True}, at=reported_at)
    for step in sorted(steps, key=lambda st: st.after_s):
        at = reported_at + timedelta(seconds=step.after_s)
        target = _TARGET.get(step.action)
        audit.append(s, actor=step.actor, action=step.action, case_id=case.id,
                     from_state=state.value if target else "", to_state=target.value if target else "",
                     detail={**step.detail, "seeded": True}, at=at)
        if target is not None:
            state = target
            _stamp(case, target, at)
    case.state = state.value
    case.updated_at = reported_at + timedelta(seconds=max((st.after_s for st in steps), default=0))
    if state == S.ABANDONED:  # nobody answered it
        case.seat_user_id = case.last_seat_user_id = None
    s.flush()
    return case.id


def _stamp(case: Case, target: S, at: datetime) -> None:
    column = {S.QUEUED: "queued_at", S.IN_CALL: "answered_at", S.AWAITING_LIABILITY: "submitted_at",
              S.DETERMINED: "determined_at", S.CLOSED: "closed_at"}.get(target)
    if column:
        setattr(case, column, at)


# --- the demo week ------------------------------------------------------------------------------


def seed_week(factory: sessionmaker[Session], zone_name: str, cases: int = WEEK_CASES, seed: int = 14) -> list[str]:
    """Adds demo cases over the last seven local days (today's before now), once (a second run finds them and adds nothing)."""
    with unit_of_work(factory) as s:
        if s.scalar(select(func.count(Case.id)).where(Case.source == DEMO_SOURCE)):
            return ["demo history already present"]
        users = {u.username: u.id for u in s.scalars(select(User))}
        seats = [users[n] for n in ("operator1", "operator2") if n in users]
        officer = users.get("officer1")
        if not seats or officer is None:
            return ["demo history skipped: the demo operators and officer are missing"]
        rng = random.Random(seed)
        today = utcnow().astimezone(ZoneInfo(zone_name)).date()
        latest = utcnow() - timedelta(hours=3)  # today's cases too, all finished by now
        moments = sorted(_not_after(_moment(rng, today - timedelta(days=rng.randint(0, 6)), ZoneInfo(zone_name)),
                                    latest) for _ in range(cases))
        for reported_at in moments:
            seat = rng.choice(seats)
            steps, reason = _story(rng, seat, officer)
            record_case(s, reported_at, steps, seat_user_id=seat, officer_user_id=officer if _decided(steps) else None,
                        escalation_reason=reason)
    return [f"demo history: {cases} cases over the 7 days up to {today}"]


def _moment(rng: random.Random, day, zone: ZoneInfo) -> datetime:
    hour = rng.choices(list(HOURLY_WEIGHT), weights=list(HOURLY_WEIGHT.values()))[0]
    local = datetime.combine(day, datetime.min.time(), zone) + timedelta(hours=hour, seconds=rng.randint(0, 3599))
    return local.astimezone(ZoneInfo("UTC"))


def _not_after(moment: datetime, latest: datetime) -> datetime:
    return moment if moment <= latest else moment - timedelta(days=1)


def _decided(steps: Sequence[Step]) -> bool:
    return any(st.action == "determine" for st in steps)


def _story(rng: random.Random, seat: int, officer: int) -> tuple[list[Step], str]:
    """A plausible course for one case, with its times in seconds after the report."""
    op, off = f"user:{seat}", f"user:{officer}"
    wait = _clip(rng.lognormvariate(3.5, 0.55), 5, 400)  # median about 33 s, a tail past the 60 s target
    if rng.random() < 0.05:
        return [Step(wait + rng.uniform(20, 120), "abandon", "system", {"reason": "phone_gone"})], ""
    t = wait
    steps = [Step(t, "answer", op)]
    if rng.random() < 0.96:  # the seat captured frames: the call had a picture
        steps.append(Step(t + rng.uniform(15, 40), "evidence_added", op, {"kind": "frame", "label": "scene"}))
    t += rng.uniform(20, 50)
    steps.append(Step(t, "start_collection", op))
    if rng.random() < 0.06:
        t += rng.uniform(30, 90)
        steps += [Step(t, "interrupt", "system", {"reason": "phone_gone"})]
        if rng.random() < 0.8:
            t += rng.uniform(20, 60)
            steps += [Step(t, "rejoin", "system"), Step(t + rng.uniform(3, 15), "answer", op)]
            t += 20
            steps.append(Step(t, "start_collection", op))
        else:
            return steps, ""
    if rng.random() < 0.08:
        reason = rng.choice(ESCALATION_REASONS)
        return steps + [Step(t + rng.uniform(40, 160), "escalate", op, {"reason": reason})], reason
    t += _clip(rng.gauss(130, 40), 40, 400)
    steps.append(Step(t, "instruction", op, {"text": LEAVE_SCENE_TEXT, "via": "data_channel"}))
    t += rng.uniform(15, 60)
    steps.append(Step(t, "submit", op))
    if rng.random() < 0.05:
        t += rng.uniform(300, 900)
        back = t + rng.uniform(120, 300)  # the party rejoins from the SMS link, the seat collects and submits again
        steps += [Step(t, "send_back", off, {"reason": "请补充碰撞部位照片"}), Step(back, "rejoin", "party:1"),
                  Step(back + 10, "answer", op), Step(back + 20, "start_collection", op),
                  Step(back + 120, "submit", op)]
        t = back + 120
    t += _clip(rng.lognormvariate(6.6, 0.5), 120, 7200)  # the officer decides: median about 12 minutes
    steps.append(Step(t, "determine", off))
    if rng.random() < 0.05:
        t += rng.uniform(3600, 86400)
        steps.append(Step(t, "request_review", "party:1", {"party_position": 1}))
        steps.append(Step(t + rng.uniform(3600, 86400), "review", off,
                          {"outcome": "revised" if rng.random() < 0.4 else "upheld"}))
    return steps, ""


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
