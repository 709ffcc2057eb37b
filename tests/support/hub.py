"""Helpers for tests that drive the signalling hub over real WebSockets of the in-process app."""
from __future__ import annotations

from contextlib import contextmanager

from server.container import AppContext
from tests.support.ws_session import of_type, recv_until


def services(app) -> AppContext:
    """The in-process app's services: its hub, invitations, scene and the rest."""
    return app.state.ctx


def party_token(app, case_id: int, party_id: int | None = None) -> str:
    """A fresh party link for the case (no SMS)."""
    return services(app).invitations.create(case_id, "13800138000", actor="system", party_id=party_id,
                                            send_sms=False).token


SEAT_PATH = "/ws/seat"


def session_token(headers: dict[str, str]) -> str:
    return headers["Authorization"].split(" ", 1)[1]


def auth_frame(headers: dict[str, str]) -> dict:
    """The seat socket's first frame: the session token goes here, never in the URL."""
    return {"type": "auth", "token": session_token(headers)}


@contextmanager
def seat_connect(client, session: dict[str, str], **kwargs):
    """A TestClient seat socket that has sent its ``auth`` frame (the server may still refuse it).

    ``session`` is the logged-in user's REST headers; ``kwargs`` go to ``websocket_connect``."""
    with client.websocket_connect(SEAT_PATH, **kwargs) as ws:
        ws.send_json(auth_frame(session))
        yield ws


def queue_ids(frame: dict) -> list[int]:
    return [item["case_id"] for item in frame["items"]]


@contextmanager
def seat_socket(client, headers: dict[str, str]):
    """A seat socket that is registered with the hub (its first queue push has arrived)."""
    with seat_connect(client, headers) as ws:
        recv_until(ws, of_type("queue"))
        yield ws
