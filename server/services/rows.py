"""The database rows services hand to handlers, named where handlers can see them.

Handlers only read these rows' attributes to shape a reply; they never query, change or
commit them, and they never import ``server.adapters.orm`` (an import-linter contract in
pyproject.toml). They name these types for their annotations, under TYPE_CHECKING.
"""
from __future__ import annotations

from server.adapters.orm import AuditEvent, Case, Evidence, Party, SmsMessage, User

__all__ = ["AuditEvent", "Case", "Evidence", "Party", "SmsMessage", "User"]
