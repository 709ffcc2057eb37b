"""Helpers for tests that drive the signalling hub over real WebSockets of the in-process app."""
from __future__ import annotations

from contextlib import contextmanager

from server.api.phone_services import PhoneServices, phone_services
from tests.support.ws_session import of_type, recv_until


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


@contextmanager
def seat_socket(client, headers: dict[str, str]):
    """A seat socket that is registered with the hub (its first queue push has arrived)."""
    with client.websocket_connect(seat_path(headers)) as ws:
        recv_until(ws, of_type("queue"))
        yield ws
