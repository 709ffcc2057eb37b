"""Posts dispatch requests to the field-dispatch service's webhook.

``POST {url}`` with the JSON payload of :meth:`DispatchRequest.to_payload` and an
``Idempotency-Key: kuaichu-dispatch-{id}`` header: delivery is at least once (a
send that timed out may have arrived), so the receiver must ignore repeats of a
key. Any 2xx is an acknowledgement; a JSON body ``{"reference": "..."}`` is kept.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from server.adapters.dispatch.base import DispatchFailed
from server.adapters.webhook_post import post_json


class WebhookDispatchSender:
    delivered_status = "sent"

    def __init__(self, url: str, timeout_seconds: float = 10.0, session: requests.Session | None = None,
                 auth_header: str = "") -> None:
        if not url:
            raise ValueError("the dispatch webhook needs a URL (DISPATCH_WEBHOOK_URL)")
        self._url = url
        self._timeout = timeout_seconds
        self._session = session or requests.Session()
        if auth_header:
            self._session.headers["Authorization"] = auth_header

    def send(self, dispatch_id: int, payload: Mapping[str, Any]) -> str:
        headers = {"Idempotency-Key": f"kuaichu-dispatch-{dispatch_id}"}
        return post_json(self._session, self._url, payload, headers, self._timeout, "dispatch webhook",
                         DispatchFailed)
