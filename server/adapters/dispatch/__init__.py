"""Field-dispatch adapters: an outbox for supervisors (default) or a webhook, chosen by settings."""
from __future__ import annotations

from typing import TYPE_CHECKING

from server.adapters.dispatch.base import DispatchFailed, DispatchRequest, DispatchSender, OutboxOnlySender

if TYPE_CHECKING:
    from server.settings import Settings

__all__ = ["DispatchFailed", "DispatchRequest", "DispatchSender", "OutboxOnlySender", "make_dispatch_sender"]


def make_dispatch_sender(settings: Settings) -> DispatchSender:
    if settings.dispatch_backend == "webhook":
        from server.adapters.dispatch.webhook import WebhookDispatchSender

        return WebhookDispatchSender(settings.dispatch_webhook_url, auth_header=settings.dispatch_webhook_auth_header)
    return OutboxOnlySender()
