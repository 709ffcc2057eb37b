"""An SMS gateway for tests: remembers what it sent and fails when told to."""
from __future__ import annotations

import threading

from server.adapters.sms.base import SmsGateway, SmsSendError


class FakeSmsGateway(SmsGateway):
    def __init__(self) -> None:
        self.sent: list[tuple[int, str, str]] = []  # (message_id, phone, text)
        self.failures_left = 0  # the next N sends raise SmsSendError
        self._lock = threading.Lock()

    def send(self, phone: str, text: str, message_id: int) -> None:
        with self._lock:
            if self.failures_left > 0:
                self.failures_left -= 1
                raise SmsSendError("fake SMS gateway is down")
            self.sent.append((message_id, phone, text))
