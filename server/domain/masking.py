"""Masking of personal data (names, phone and ID numbers) for lists and logs, and who sees it unmasked."""
from __future__ import annotations

import re

from server.domain import case_states


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "*" * len(phone)


def mask_id_number(value: str) -> str:
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)


def mask_name(name: str) -> str:
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def sees_personal_data(role: str, user_id: int | None, state: str, seat_user_id: int | None,
                       officer_user_id: int | None) -> bool:
    """Whether a seat user reads a case's parties in full: its holder, an officer once the case is up for
    (or past) the liability decision, and admins. Everyone else gets the masked form the lists show."""
    if role == case_states.ADMIN or case_states.holds(user_id, seat_user_id, officer_user_id):
        return True
    return role == case_states.OFFICER and state in case_states.DECIDING_STATES


# A party-link token is secrets.token_urlsafe(24): 32 URL-safe characters. Case numbers (KC20260501-ABC123)
# are shorter and stay readable. A verification code is 4 to 8 digits standing alone.
_LINK_TOKEN = re.compile(r"(/p/)[A-Za-z0-9_-]+|[A-Za-z0-9_-]{20,}")
_CODE = re.compile(r"(?<![\w-])\d{4,8}(?![\w-])")


def redact_sms(text: str) -> str:
    """An SMS text with its credentials (party-link tokens, verification codes) replaced by ****."""
    text = _LINK_TOKEN.sub(lambda m: (m.group(1) or "") + "****", text)
    return _CODE.sub("****", text)
