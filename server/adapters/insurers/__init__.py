"""Insurer adapters: each insurer's claim webhook (``KUAICHU_INSURER_WEBHOOKS``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from server.adapters.insurers.base import ClaimFailed, ClaimSender
from server.adapters.insurers.webhook import InsurerWebhooks

if TYPE_CHECKING:
    from server.settings import Settings

__all__ = ["ClaimFailed", "ClaimSender", "InsurerWebhooks", "make_insurer_webhooks"]


def make_insurer_webhooks(settings: Settings) -> InsurerWebhooks:
    return InsurerWebhooks(settings.insurer_webhooks, settings.insurer_auth_headers, settings.insurer_timeout_seconds)
