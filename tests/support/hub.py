"""Helpers for tests that drive the signalling hub over real WebSockets of the in-process app."""
from __future__ import annotations

from server.api.phone_services import PhoneServices, phone_services


def services(app) -> PhoneServices:
    return phone_services(app.state.ctx)


def party_token(app, case_id: int, party_id: int | None = None) -> str:
    """A fresh party link for the case (no SMS)."""
    return services(app).invitations.create(case_id, "13800138000", actor="system", party_id=party_id,
                                            send_sms=False).token


def seat_path(headers: dict[str, str]) -> str:
    return "/ws/seat?token=" + headers["Authorization"].split(" ", 1)[1]


def queue_ids(frame: dict) -> list[int]:
    return [item["case_id"] for item in frame["items"]]
