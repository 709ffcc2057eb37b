"""Readiness: the database answers. The /healthz handler asks this and shapes the reply."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker


class Health:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def check_database(self) -> None:
        """Raises the driver's error when the database does not answer a trivial query."""
        with self._factory() as s:
            s.execute(text("SELECT 1"))
