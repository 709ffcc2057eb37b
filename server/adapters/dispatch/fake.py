"""A dispatch sender for tests: remembers what it sent and fails when told to."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from server.adapters.dispatch.base import DispatchFailed


class FakeDispatchSender:
    delivered_status = "sent"

    def __init__(self) -> None:
        self.sent: list[tuple[int, dict[str, Any]]] = []
        self.failures_left = 0  # the next N sends raise DispatchFailed

    def send(self, dispatch_id: int, payload: Mapping[str, Any]) -> str:
        if self.failures_left > 0:
            self.failures_left -= 1
            raise DispatchFailed("fake dispatch service is down")
        self.sent.append((dispatch_id, dict(payload)))
        return f"FAKE-{dispatch_id}"
