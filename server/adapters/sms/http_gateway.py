"""An SMS gateway reached by one JSON POST per message, shaped by a template from settings.

Most Chinese SMS platforms (and in-house relays) take a JSON body with a phone
number and a text; the template lets IT match theirs without code. Values are
JSON-escaped before they are substituted, so a text with quotes or line breaks
cannot break, or inject into, the body.
"""
from __future__ import annotations

import json
from string import Template

import requests

from server.adapters.sms.base import SmsGateway, SmsSendError


class HttpSmsGateway(SmsGateway):
    def __init__(self, url: str, body_template: str, *, auth_header: str = "", timeout_s: float = 10.0,
                 session: requests.Session | None = None) -> None:
        if not url:
            raise ValueError("SMS_HTTP_URL must be set when SMS_BACKEND is http")
        self.url, self.auth_header, self.timeout_s = url, auth_header, timeout_s
        self.template = Template(body_template)
        self._session = session or requests.Session()
        try:  # a broken template must stop start-up, not fail every message later
            json.loads(self.render_body("13800138000", 'sample "text"\n示例', 1))
        except (KeyError, ValueError) as e:
            raise ValueError(f"SMS_HTTP_BODY_TEMPLATE does not render to JSON: {e}") from e

    def render_body(self, phone: str, text: str, message_id: int) -> str:
        values = {"phone": phone, "text": text, "id": str(message_id)}
        escaped = {k: json.dumps(v, ensure_ascii=False)[1:-1] for k, v in values.items()}
        return self.template.substitute(escaped)

    def send(self, phone: str, text: str, message_id: int) -> None:
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "Idempotency-Key": f"kuaichu-sms-{message_id}"}
        if self.auth_header:
            headers["Authorization"] = self.auth_header
        body = self.render_body(phone, text, message_id).encode("utf-8")
        try:
            response = self._session.post(self.url, data=body, headers=headers, timeout=self.timeout_s)
        except requests.RequestException as e:
            raise SmsSendError(f"{type(e).__name__}: {e}"[:500]) from e
        if not 200 <= response.status_code < 300:
            raise SmsSendError(f"HTTP {response.status_code}: {response.text[:200]}")
