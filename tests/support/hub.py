"""Helpers for tests that drive the signalling hub over real WebSockets of the in-process app."""
from __future__ import annotations

from contextlib import contextmanager

from seat_app.core.queue import Applied, QueueModel
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


class SeatQueue:
    """A test seat socket's queue, kept by the seat app's own model from ``queue`` and ``queue_changes``.

    Create it before the socket's first queue frame is read. A gap sends ``queue_resync``, as the seat does."""

    def __init__(self, ws) -> None:
        self.ws, self.model = ws, QueueModel()
        self.frames: list[dict] = []  # every queue frame seen, in order
        self.resyncs = 0

    def feed(self, message: dict) -> bool:
        """True when the message changed the queue."""
        if message.get("type") not in ("queue", "queue_changes"):
            return False
        self.frames.append(message)
        applied = self.model.apply(message["type"], message)
        if applied == Applied.RESYNC:
            self.resyncs += 1
            self.ws.send_json({"type": "queue_resync"})
        return applied == Applied.CHANGED

    def view(self) -> dict:
        """The queue as a whole ``queue`` frame would have it, in the seat's order."""
        return {"type": "queue", "version": self.model.version,
                "items": [self.model.raw[i.case_id] for i in self.model.items]}

    def until(self, predicate=lambda view: True, timeout: float = 5.0) -> dict:
        """Reads frames until the seat's queue satisfies ``predicate`` (at once if it does); returns it whole."""
        if self.model.version is not None and predicate(self.view()):
            return self.view()
        recv_until(self.ws, lambda m: self.feed(m) and predicate(self.view()), timeout)
        return self.view()

    def with_case(self, case_id: int, present: bool = True, timeout: float = 5.0) -> dict:
        return self.until(lambda view: (case_id in queue_ids(view)) == present, timeout)


@contextmanager
def seat_queue(client, headers: dict[str, str]):
    """A registered seat socket and its SeatQueue, which has read the first (whole) queue."""
    with seat_connect(client, headers) as ws:
        queue = SeatQueue(ws)
        queue.until()
        yield ws, queue
