"""Reading the audit log for people: one case's events, and the whole chain's check.

Writing stays in server/services/audit.py, inside each use case's transaction; this is
the read side the officer, supervisor and admin endpoints call.
"""
from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from server.adapters.orm import AuditEvent
from server.services import audit
from server.services.audit import ChainReport
from server.services.cases import CaseService


class AuditLog:
    def __init__(self, factory: sessionmaker[Session], cases: CaseService) -> None:
        self._factory, self._cases = factory, cases

    def for_case(self, case_id: int) -> list[AuditEvent]:
        """The case's events, oldest first; an unknown case is NotFound, not an empty list."""
        self._cases.get(case_id)
        with self._factory() as s:
            return audit.events_for_case(s, case_id)

    def verify(self) -> ChainReport:
        with self._factory() as s:
            return audit.verify_chain(s)
