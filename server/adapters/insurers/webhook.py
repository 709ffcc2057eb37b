"""Posts claim reports to each insurer's webhook (``KUAICHU_INSURER_WEBHOOKS``).

``POST {url}`` with the report's JSON (docs/protocol.md, "Claim report"; its JSON Schema is
server/resources/claim_report.schema.json) and ``Idempotency-Key: kuaichu-claim-{id}``:
delivery is at least once (a send that timed out may have arrived), so the insurer must
ignore a repeated key. Any 2xx is an acknowledgement; a JSON body ``{"reference": "..."}``
is the insurer's claim number, shown to the party.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from server.adapters.insurers.base import ClaimFailed
from server.adapters.webhook_post import post_json


class InsurerWebhooks:
    """One sender for every insurer: the URL (and Authorization header) by insurer code.

    A report for an insurer without a webhook is never queued (``handles``): it is stored at once
    for the claims desk, and the party is given the insurer's hotline.
    """

    delivered_status = "sent"

    def __init__(self, urls: Mapping[str, str], auth_headers: Mapping[str, str] | None = None,
                 timeout_seconds: float = 10.0, session: requests.Session | None = None) -> None:
        self._urls = {code.upper(): url for code, url in urls.items() if url}
        self._auth = {code.upper(): value for code, value in (auth_headers or {}).items() if value}
        self._timeout = timeout_seconds
        self._session = session or requests.Session()

    def handles(self, insurer: str) -> bool:
        return insurer.upper() in self._urls

    def send(self, report_id: int, insurer: str, payload: Mapping[str, Any]) -> str:
        url = self._urls.get(insurer.upper())
        if url is None:
            raise ClaimFailed(f"no webhook configured for insurer {insurer}")
        headers = {"Idempotency-Key": f"kuaichu-claim-{report_id}"}
        if insurer.upper() in self._auth:
            headers["Authorization"] = self._auth[insurer.upper()]
        return post_json(self._session, url, payload, headers, self._timeout, f"insurer {insurer} webhook",
                         ClaimFailed)
