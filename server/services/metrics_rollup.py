"""Keeps ``case_metrics`` (the dashboard's rollup, one row per case) up to date, and rebuilds it.

``audit.append`` calls ``record`` for every event it writes, in the same transaction, so the rollup
commits or rolls back with the event itself. What each event changes is decided by
``server.domain.metrics.rollup_change``; ``rebuild`` fills the table from the raw read of the audit log
(server/services/metrics.py), which is how tests/server/test_metrics_rollup.py proves both agree.
"""
from __future__ import annotations

from sqlalchemy import Connection, delete, insert, or_, select, update
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from server.adapters.orm import AuditEvent, Case, CaseMetrics
from server.domain import metrics as m

OPEN = "open"
_T = CaseMetrics.__table__


def record(session: Session, event: AuditEvent) -> None:
    """Applies one just-appended audit event to its case's rollup row."""
    if event.case_id is None:
        return
    if event.action == OPEN:
        case = session.get(Case, event.case_id)
        session.execute(insert(_T).values(case_id=event.case_id, reported_at=case.created_at.timestamp()))
        return
    change = m.rollup_change(event.action, event.detail or {})
    if not change:
        return
    at = event.created_at.timestamp()
    values = {}
    for name in change.earliest:
        column = _T.c[name]
        values[name] = when((or_(column.is_(None), column > at), at), else_=column)
    for name in change.latest:
        column = _T.c[name]
        values[name] = when((or_(column.is_(None), column < at), at), else_=column)
    for name in change.counts:
        values[name] = _T.c[name] + 1
    session.execute(update(_T).where(_T.c.case_id == event.case_id).values(**values))


def rebuild(bind: Connection | Session) -> None:
    """Replaces every rollup row with the raw read of the audit log (migration 0009, the bench, tests)."""
    from server.services.metrics import raw_facts_select  # the raw read lives with the other reads

    raw = raw_facts_select().subquery()
    columns = ("case_id", "reported_at", *m.ROLLUP_TIMES, *m.ROLLUP_COUNTS)
    bind.execute(delete(_T))
    bind.execute(insert(_T).from_select(columns, select(*(raw.c[name] for name in columns))))

