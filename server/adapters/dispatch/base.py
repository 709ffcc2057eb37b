"""Asking for a field officer to go to the scene (转现场处理).

When a case cannot be handled by video, the escalation is written to the
``dispatches`` outbox in the same transaction as the state change, and a sender
delivers it afterwards (``server.services.dispatch_outbox``). A sender either
succeeds or raises :class:`DispatchFailed`, and then the row is retried.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


class DispatchFailed(Exception):
    """The dispatch service did not take the request; it will be retried."""


@dataclass(frozen=True)
class DispatchParty:
    label: str  # 甲方, 乙方 ...
    plate: str = ""
    phone: str = ""  # shown in full: the officer has to call the driver


@dataclass(frozen=True)
class DispatchRequest:
    case_id: int
    case_number: str
    reason: str  # the operator's escalation reason
    latitude: float | None
    longitude: float | None
    district: str = ""
    parties: Sequence[DispatchParty] = ()
    unmet_zh: Sequence[str] = field(default_factory=tuple)  # eligibility reasons not met, if any

    @property
    def summary_zh(self) -> str:
        parts = [f"视频快处转现场处理（案件{self.case_number}）：{self.reason}"]
        if self.parties:
            parts.append("当事方：" + "，".join(f"{p.label} {p.plate}".strip() for p in self.parties))
        if self.unmet_zh:
            parts.append("未满足条件：" + "；".join(self.unmet_zh))
        return "。".join(parts) + "。"

    def to_payload(self, requested_at: datetime) -> dict[str, Any]:
        """The JSON stored in the outbox and posted to the dispatch service."""
        return {
            "case_id": self.case_id,
            "case_number": self.case_number,
            "reason": self.reason,
            "summary": self.summary_zh,
            "location": {"lat": self.latitude, "lon": self.longitude, "district": self.district},
            "parties": [{"label": p.label, "plate": p.plate, "phone": p.phone} for p in self.parties],
            "requested_at": requested_at.isoformat(),
        }


class DispatchSender(Protocol):
    #: Outbox status once send() returns: "sent" (acknowledged) or "stored" (kept for supervisors).
    delivered_status: str

    def send(self, dispatch_id: int, payload: Mapping[str, Any]) -> str:
        """Delivers one request; returns the service's reference ("" if none). Raises DispatchFailed."""


class OutboxOnlySender:
    """The default: nothing leaves the building; supervisors see the row and phone the desk."""

    delivered_status = "stored"

    def send(self, dispatch_id: int, payload: Mapping[str, Any]) -> str:
        return ""
