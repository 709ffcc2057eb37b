"""No SMS gateway: messages are only recorded in the database and shown on the admin page.

This is the zero-set-up default (``KUAICHU_SMS_BACKEND=record``) and what a demo
or a test uses; an operator can read a party link off the admin page and open
it by hand. Nothing leaves the server, so the messages end as "stored", not "sent".
"""
from __future__ import annotations

from server.adapters.sms.base import SmsGateway


class RecordingSmsGateway(SmsGateway):
    delivers = False

    def send(self, phone: str, text: str, message_id: int) -> None:
        return None
