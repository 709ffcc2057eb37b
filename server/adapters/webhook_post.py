"""One JSON POST to an outside receiver's webhook, shared by the dispatch and insurer adapters.

The receiver acknowledges with any 2xx and may name its own reference in a JSON body
``{"reference": "..."}``. Anything else (a timeout, no connection, another status) raises
the caller's failure type, so its outbox retries the item.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests


def post_json(session: requests.Session, url: str, payload: Mapping[str, Any], headers: Mapping[str, str],
              timeout: float, receiver: str, failure: type[Exception]) -> str:
    """Posts ``payload``; returns the receiver's reference ("" if none). Raises ``failure`` naming ``receiver``."""
    try:
        response = session.post(url, json=dict(payload), headers=dict(headers), timeout=timeout)
    except requests.Timeout as exc:
        raise failure(f"{receiver} timed out after {timeout}s") from exc
    except requests.RequestException as exc:
        raise failure(f"{receiver} unreachable: {type(exc).__name__}") from exc
    if not 200 <= response.status_code < 300:
        raise failure(f"{receiver} answered HTTP {response.status_code}")
    return _reference(response)


def _reference(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    reference = body.get("reference") if isinstance(body, dict) else None
    return str(reference)[:64] if reference else ""
