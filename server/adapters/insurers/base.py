"""Reporting a claim to a party's compulsory insurer (一键理赔).

The report is written to the ``claim_reports`` outbox in the party's transaction
(``server.services.claims``) and delivered afterwards by the outbox engine. A
sender posts one report to one insurer and returns the insurer's reference, or
raises :class:`ClaimFailed`, and the row is retried.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class ClaimFailed(Exception):
    """The insurer did not take the report; it will be retried."""


class ClaimSender(Protocol):
    #: "sent" when the insurer acknowledged the report; "stored" when the report is only kept here.
    delivered_status: str

    def send(self, report_id: int, insurer: str, payload: Mapping[str, Any]) -> str:
        """Delivers one report; returns the insurer's reference ("" if none). Raises ClaimFailed."""
