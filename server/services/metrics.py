"""The dashboard's reads: one row of facts per case, and the "now" figures.

The definitions live in server/domain/metrics.py; this module only fetches. The facts come from the
rollup ``case_metrics`` (one indexed range, server/services/metrics_rollup.py keeps it), or raw from the
audit events: one GROUP BY over the cases reported in the range joined to their events of the metrics'
actions (index ``ix_audit_case_action_at``, migration 0007). The raw read is the definition the rollup is
built from and tested against; at about 0.1 ms a case it is too slow past a week of a large city.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Float, and_, func, or_, select, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy import case as when
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import CaseState as S
from server.adapters.orm import AuditEvent, Case, CaseMetrics, User, UTCDateTime, utcnow
from server.domain import metrics as m
from server.services.errors import ServiceError

_ACTIONS = (m.ANSWER, m.ABANDON, m.INTERRUPT, m.ESCALATE, m.SUBMIT, m.DETERMINE, m.SEND_BACK,
            m.REQUEST_REVIEW, m.REVIEW, m.INSTRUCTION, m.EVIDENCE_ADDED)
IN_CALL_STATES = (S.IN_CALL.value, S.COLLECTING.value)


class BadRange(ServiceError):
    """Well-formed dates that make no range: the end before the start, too long, outside 2000-2100.

    400, not 422: the schema cannot say "to on or after from", and a request it allows is never a 422."""

    status, code = 400, "bad_range"


def _iso(day: date | str | None) -> str | None:
    return day.isoformat() if isinstance(day, date) else day


@dataclass(frozen=True)
class SeatPresence:
    """What the hub knows of one signed-in operator: since when its sockets are up, and its last call's end."""

    connected_at: datetime
    call_ended_at: datetime | None = None


class epoch(FunctionElement):
    """A timestamp column as seconds since the Unix epoch (a float), computed by the database."""

    type = Float()
    inherit_cache = True
    name = "epoch"


@compiles(epoch, "sqlite")
def _epoch_sqlite(element, compiler, **kw) -> str:  # noqa: ANN001 - SQLAlchemy's compiler hook
    # Whole seconds from strftime plus the stored ".ffffff" (julianday's double loses ~0.1 ms; SQLite 3.40
    # has no unixepoch(x, 'subsec')). SQLAlchemy stores "YYYY-MM-DD HH:MM:SS.ffffff".
    x = compiler.process(element.clauses, **kw)
    return f"(CAST(strftime('%s', substr({x}, 1, 19)) AS INTEGER) + CAST(substr({x}, 20) AS REAL))"


@compiles(epoch, "postgresql")
def _epoch_postgresql(element, compiler, **kw) -> str:  # noqa: ANN001
    return f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) AS DOUBLE PRECISION)"


def _aggregates() -> list:
    """Per case (grouped by case id): the rollup's columns, read raw from the audit events."""
    ev = AuditEvent.__table__

    def first(action: str, extra=None):
        cond = ev.c.action == action if extra is None else and_(ev.c.action == action, extra)
        return epoch(func.min(when((cond, ev.c.created_at))))

    def last(action: str):
        return epoch(func.max(when((ev.c.action == action, ev.c.created_at))))

    def count(action: str, extra=None):
        cond = ev.c.action == action if extra is None else and_(ev.c.action == action, extra)
        return func.count(when((cond, ev.c.id)))

    evacuate = ev.c.detail["text"].as_string().contains(m.EVACUATE_MARK)
    overturned = or_(*(ev.c.detail[key].as_string().in_(m.OVERTURNED_OUTCOMES) for key in m.OVERTURN_KEYS))
    frame = ev.c.detail["kind"].as_string() == m.VIDEO_FRAME_KIND
    return [
        first(m.ANSWER).label("first_answer"), last(m.ANSWER).label("last_answer"),
        first(m.INSTRUCTION, evacuate).label("evacuated"), first(m.SUBMIT).label("first_submit"),
        first(m.ESCALATE).label("first_escalate"), first(m.DETERMINE).label("first_determine"),
        first(m.ABANDON).label("abandoned"), first(m.INTERRUPT).label("first_interrupt"),
        count(m.INTERRUPT).label("interrupts"), count(m.SEND_BACK).label("send_backs"),
        count(m.REQUEST_REVIEW).label("review_requests"), count(m.REVIEW).label("reviews"),
        count(m.REVIEW, overturned).label("overturns"), count(m.EVIDENCE_ADDED, frame).label("video_frames"),
    ]


_CASE_COLUMNS = ("state", "last_seat_user_id", "officer_user_id", "escalation_reason")


def raw_facts_select(start: datetime | None = None, end: datetime | None = None):
    """The raw read: one GROUP BY over the cases (reported in [start, end) if given) and their audit events
    of the metrics' actions (index ``ix_audit_case_action_at``)."""
    ev, c = AuditEvent.__table__, Case.__table__
    case_columns = [c.c[name] for name in _CASE_COLUMNS]
    joined = c.outerjoin(ev, and_(ev.c.case_id == c.c.id, ev.c.action.in_(_ACTIONS)))
    q = (select(c.c.id.label("case_id"), epoch(c.c.created_at).label("reported_at"), *case_columns, *_aggregates())
         .select_from(joined).group_by(c.c.id, c.c.created_at, *case_columns))
    if start is not None and end is not None:
        q = q.where(c.c.created_at >= start, c.c.created_at < end)
    return q


def rollup_select(start: datetime, end: datetime):
    """The same facts from the rollup: the cases reported in [start, end), one indexed range, no GROUP BY."""
    r, c = CaseMetrics.__table__, Case.__table__
    columns = [r.c.case_id, r.c.reported_at, *(c.c[n] for n in _CASE_COLUMNS),
               *(r.c[n] for n in (*m.ROLLUP_TIMES, *m.ROLLUP_COUNTS))]
    return (select(*columns).select_from(r.join(c, c.c.id == r.c.case_id))
            .where(r.c.reported_at >= start.timestamp(), r.c.reported_at < end.timestamp(),
                   c.c.created_at >= start, c.c.created_at < end))  # either side's index can lead the join


def case_facts(s: Session, start: datetime, end: datetime, raw: bool = False) -> list[m.CaseFacts]:
    """One CaseFacts per case reported in [start, end), from the rollup (or ``raw`` from the audit events)."""
    rows = s.execute(raw_facts_select(start, end) if raw else rollup_select(start, end)).all()
    return [m.CaseFacts(
        case_id=r.case_id, reported_at=r.reported_at, state=r.state, seat_user_id=r.last_seat_user_id,
        officer_user_id=r.officer_user_id, first_answer=r.first_answer, last_answer=r.last_answer,
        evacuated=r.evacuated, first_submit=r.first_submit, first_escalate=r.first_escalate,
        first_determine=r.first_determine, abandoned=r.abandoned, first_interrupt=r.first_interrupt,
        interrupts=r.interrupts, send_backs=r.send_backs, review_requests=r.review_requests, reviews=r.reviews,
        overturns=r.overturns, video_frames=r.video_frames, escalation_reason=r.escalation_reason or "",
    ) for r in rows]


class MetricsService:
    def __init__(self, factory: sessionmaker[Session], zone_name: str) -> None:
        self._factory, self._zone_name, self._zone = factory, zone_name, ZoneInfo(zone_name)

    def today(self) -> date:
        return utcnow().astimezone(self._zone).date()

    def range(self, first: date | str | None, last: date | str | None) -> m.Range:
        try:
            return m.parse_range(_iso(first), _iso(last), self._zone_name, self.today())
        except m.BadRange as e:
            raise BadRange(str(e)) from e

    def report(self, rng: m.Range, group: str) -> dict:
        try:
            group = m.check_group(group)
        except m.BadRange as e:
            raise BadRange(str(e)) from e
        with self._factory() as s:
            facts = case_facts(s, rng.start, rng.end)
            names = self._names(s, {f.seat_user_id for f in facts} | {f.officer_user_id for f in facts})
        body = m.report(facts, rng, group, lambda uid: names.get(uid, f"用户{uid}"))
        return {"from": rng.first_day.isoformat(), "to": rng.last_day.isoformat(), "group": group,
                "timezone": self._zone_name, "generated_at": utcnow().isoformat(),
                "targets": {"answer_s": m.ANSWER_TARGET_S, "scene_s": m.SCENE_TARGET_S, "done_s": m.DONE_TARGET_S},
                **body}

    def csv_rows(self, body: dict) -> list[list[str]]:
        rows = [m.csv_header(), m.csv_row("total", "合计", body["total"])]
        rows += [m.csv_row(g["key"], g["label"], g) for g in body["groups"]]
        return rows

    @staticmethod
    def _names(s: Session, ids: set[int | None]) -> dict[int, str]:
        wanted = {i for i in ids if i is not None}
        if not wanted:
            return {}
        rows = s.execute(select(User.id, User.display_name, User.username).where(User.id.in_(wanted)))
        return {r.id: r.display_name or r.username for r in rows}

    # --- now ------------------------------------------------------------------------------------
    def now(self, presence: Mapping[int, SeatPresence]) -> dict:
        """The "now" figures (docs/metrics.md); ``presence`` is the hub's signed-in operators."""
        now = utcnow()
        with self._factory() as s:
            waiting, oldest_queued = s.execute(select(func.count(Case.id), type_coerce(
                func.min(Case.queued_at), UTCDateTime())).where(Case.state == S.QUEUED.value)).one()
            officer, oldest_submitted = s.execute(select(func.count(Case.id), type_coerce(
                func.min(Case.submitted_at), UTCDateTime())).where(Case.state == S.AWAITING_LIABILITY.value)).one()
            calls = {r.seat_user_id: (r.id, r.answered_at) for r in s.execute(
                select(Case.id, Case.seat_user_id, Case.answered_at)
                .where(Case.state.in_(IN_CALL_STATES), Case.seat_user_id.is_not(None)).order_by(Case.id))}
            names = self._names(s, set(presence))
            midnight = datetime.combine(now.astimezone(self._zone).date(), datetime.min.time(), self._zone)
            today = s.scalar(select(func.count(Case.id)).where(Case.created_at >= midnight))
            yesterday = s.scalar(select(func.count(Case.id)).where(
                Case.created_at >= midnight - timedelta(days=1), Case.created_at < now - timedelta(days=1)))
        seat_list = [_seat(uid, names.get(uid, f"用户{uid}"), p, calls.get(uid)) for uid, p in sorted(presence.items())]
        in_call = sum(1 for e in seat_list if e["state"] == "in_call")
        return {
            "at": now.isoformat(), "calls_waiting": waiting, "oldest_wait_s": _age(now, oldest_queued),
            "seats": {"signed_in": len(seat_list), "in_call": in_call, "idle": len(seat_list) - in_call},
            "seat_list": seat_list,
            "officer_queue": {"length": officer, "oldest_s": _age(now, oldest_submitted)},
            "cases_today": today, "cases_yesterday_by_now": yesterday,
        }


def _seat(user_id: int, name: str, presence: SeatPresence, call: tuple[int, datetime | None] | None) -> dict:
    if call is not None:
        case_id, answered_at = call
        since = answered_at or presence.connected_at
        return {"user_id": user_id, "name": name, "state": "in_call", "since": since.isoformat(), "case_id": case_id}
    since = max(presence.connected_at, presence.call_ended_at or presence.connected_at)
    return {"user_id": user_id, "name": name, "state": "idle", "since": since.isoformat(), "case_id": None}


def _age(now: datetime, since: datetime | None) -> float | None:
    return None if since is None else round(max(0.0, (now - since).total_seconds()), 1)
