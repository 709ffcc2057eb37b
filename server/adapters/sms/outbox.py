"""No SMS gateway: messages are only stored in the outbox and shown on the admin page.

This is the zero-set-up default and what a demo or a test uses; an operator can
read a party link off the admin page and open it by hand.
"""
from __future__ import annotations

from server.adapters.sms.base import SmsGateway


class OutboxOnlyGateway(SmsGateway):
    delivers = False

    def send(self, phone: str, text: str, message_id: int) -> None:
        return None
