"""The SMS gateway interface: the service layer hands a message over and learns whether it left."""
from __future__ import annotations

from abc import ABC, abstractmethod


class SmsSendError(Exception):
    """The gateway did not accept the message; the outbox retries it later."""


class SmsGateway(ABC):
    #: False for a gateway that only records messages (RecordingSmsGateway): they end as "stored", not "sent".
    delivers: bool = True

    @abstractmethod
    def send(self, phone: str, text: str, message_id: int) -> None:
        """Sends one message or raises SmsSendError. ``message_id`` is stable across retries."""
