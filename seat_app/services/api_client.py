"""The seat's REST client for the Kuaichu server.

Plain blocking ``requests`` calls: the UI runs every one of them through
``loop.run_in_executor`` (see :class:`AsyncApi`), never on the Qt thread.
Failures become typed errors carrying the server's Chinese message, so the UI
can say "the case was taken by another seat" rather than "HTTP 409".
"""
from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:  # ports imports this module's Login
    from seat_app.services.ports import ApiPort

log = logging.getLogger(__name__)

#: Sent when fetching evidence bytes: the seat shows them itself, so the server may serve them inline
#: (to anything else, such as a browser, evidence is a download in a sandbox).
SEAT_CLIENT_HEADERS = {"X-Kuaichu-Client": "seat"}


class ApiError(Exception):
    """Base of every client error; ``message`` is fit to show the operator."""

    status: int | None = None

    def __init__(self, message: str, status: int | None = None, body: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status if status is not None else self.status
        self.body = body or {}


class Unreachable(ApiError):
    """No answer from the server (refused, DNS, timeout, TLS)."""


class SessionExpired(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    """409: the case moved on (e.g. another seat answered first); ``message`` says how."""

    status = 409


class Invalid(ApiError):
    status = 422


class RateLimited(ApiError):
    status = 429


class ServerError(ApiError):
    status = 500


_BY_STATUS: dict[int, type[ApiError]] = {
    401: SessionExpired, 403: Forbidden, 404: NotFound, 409: Conflict, 400: Invalid, 413: Invalid, 422: Invalid,
    429: RateLimited,
}


def unreachable_reason(exc: requests.RequestException) -> str:
    """Why the server did not answer, in the operator's words (never an exception's class name)."""
    if isinstance(exc, requests.exceptions.SSLError):
        return "服务器证书无法验证"
    if isinstance(exc, requests.exceptions.Timeout):
        return "服务器响应超时"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "网络不通或服务器未运行"
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidSchema)):
        return "服务器地址有误"
    return "网络错误"


@dataclass(frozen=True)
class Login:
    token: str
    expires_at: str
    user: dict[str, Any]

    @property
    def display_name(self) -> str:
        return self.user.get("display_name") or self.user.get("username") or ""


class ApiClient:
    """One server, one logged-in user. Safe to call from several executor threads."""

    def __init__(self, base_url: str, timeout: float = 10.0, verify: bool | str = True) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.verify = verify
        self.token = ""
        self._local = threading.local()

    # --- plumbing ----------------------------------------------------------
    @property
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def _request(self, method: str, path: str, *, timeout: float | None = None, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = self._session.request(method, self.base_url + path, headers=headers,
                                             timeout=timeout or self.timeout, verify=self.verify, **kwargs)
        except requests.RequestException as exc:
            log.info("%s %s: %s", method, path, type(exc).__name__)
            raise Unreachable(f"无法连接服务器 {self.base_url}（{unreachable_reason(exc)}）") from exc
        return _decode(response)

    @property
    def ws_url(self) -> str:
        """The seat socket address, ``ws(s)://host/ws/seat?token=...``."""
        scheme, rest = self.base_url.split("://", 1)
        return f"{'wss' if scheme == 'https' else 'ws'}://{rest}/ws/seat?token={self.token}"

    # --- session -----------------------------------------------------------
    def login(self, username: str, password: str) -> Login:
        data = self._request("POST", "/api/auth/login", json={"username": username, "password": password})
        self.token = data["token"]
        return Login(data["token"], data.get("expires_at", ""), data.get("user") or {})

    def logout(self) -> None:
        if self.token:
            try:
                self._request("POST", "/api/auth/logout", timeout=3)
            finally:
                self.token = ""

    def me(self) -> dict[str, Any]:
        return self._request("GET", "/api/auth/me")

    def health(self) -> dict[str, Any]:
        return self._request("GET", "/healthz", timeout=3)

    # --- cases -------------------------------------------------------------
    def list_cases(self, states: list[str] | None = None) -> list[dict[str, Any]]:
        return self._request("GET", "/api/cases", params={"state": states or []})["items"]

    def get_case(self, case_id: int) -> dict[str, Any]:
        return self._request("GET", f"/api/cases/{case_id}")

    def answer(self, case_id: int) -> dict[str, Any]:
        """-> ``{case, ice_servers}``; Conflict when another seat was faster."""
        return self._request("POST", f"/api/cases/{case_id}/answer")

    def start_collection(self, case_id: int) -> dict[str, Any]:
        return self._request("POST", f"/api/cases/{case_id}/start-collection")

    def interrupt(self, case_id: int) -> dict[str, Any]:
        return self._request("POST", f"/api/cases/{case_id}/interrupt")

    def escalate(self, case_id: int, reason: str) -> dict[str, Any]:
        return self._request("POST", f"/api/cases/{case_id}/escalate", json={"reason": reason})

    def submit(self, case_id: int) -> dict[str, Any]:
        return self._request("POST", f"/api/cases/{case_id}/submit")

    # --- parties -----------------------------------------------------------
    def add_party(self, case_id: int, kind: str = "motor") -> dict[str, Any]:
        return self._request("POST", f"/api/cases/{case_id}/parties", json={"kind": kind})

    def update_party(self, case_id: int, party_id: int, fields: dict[str, str]) -> dict[str, Any]:
        return self._request("PATCH", f"/api/cases/{case_id}/parties/{party_id}", json=fields)

    def verify_party(self, case_id: int, party_id: int) -> dict[str, Any]:
        """Registry checks -> ``{party_id, verification}``; a registry that is down is a ServerError (503)
        whose ``body`` still carries the (unavailable) verification."""
        return self._request("POST", f"/api/cases/{case_id}/parties/{party_id}/verify", timeout=self.timeout * 2)

    # --- the checklist and the operator's answers --------------------------------
    def checklist(self, case_id: int) -> dict[str, Any]:
        """``{rules, evidence, safety, parties, missing, complete}``: what still stops submission."""
        return self._request("GET", f"/api/cases/{case_id}/checklist")

    def set_answers(self, case_id: int, answers: dict[str, Any]) -> dict[str, Any]:
        """Answers to the eligibility questions (and ``safety_confirmed``); replies with the new checklist."""
        return self._request("PUT", f"/api/cases/{case_id}/answers", json=answers)

    def push_instruction(self, case_id: int, text: str, *, via: str = "server") -> dict[str, Any]:
        """``via="server"``: the server pushes it over the phone's socket (the data channel is down);
        ``via="data_channel"``: it was shown over the data channel, and the server only records it."""
        return self._request("POST", f"/api/cases/{case_id}/instructions", json={"text": text, "via": via})

    # --- evidence ----------------------------------------------------------
    def upload_evidence(self, case_id: int, data: bytes, *, kind: str, label: str, party_id: int | None,
                        filename: str = "frame.jpg", content_type: str = "image/jpeg") -> dict[str, Any]:
        form = {"kind": kind, "label": label}
        if party_id is not None:
            form["party_id"] = str(party_id)
        return self._request("POST", f"/api/cases/{case_id}/evidence", data=form,
                             files={"file": (filename, data, content_type)}, timeout=self.timeout * 3)

    def put_ocr(self, evidence_id: int, result: dict[str, Any]) -> dict[str, Any]:
        return self._request("PUT", f"/api/evidence/{evidence_id}/ocr", json=result)

    def list_evidence(self, case_id: int) -> list[dict[str, Any]]:
        return self._request("GET", f"/api/cases/{case_id}/evidence")["items"]

    def evidence_content(self, evidence_id: int) -> bytes:
        return self._request("GET", f"/api/evidence/{evidence_id}/content", headers=dict(SEAT_CLIENT_HEADERS),
                             timeout=self.timeout * 3)

    def label_evidence(self, evidence_id: int, label: str, party_id: int | None) -> dict[str, Any]:
        """Labels a photo the phone uploaded (the phone cannot know what it shows)."""
        return self._request("PATCH", f"/api/evidence/{evidence_id}", json={"label": label, "party_id": party_id})

    def upload_recording(self, case_id: int, data: bytes, *, filename: str, label: str = "",
                         content_type: str = "video/mp4") -> dict[str, Any]:
        return self._request("POST", f"/api/cases/{case_id}/recordings", data={"label": label},
                             files={"file": (filename, data, content_type)}, timeout=self.timeout * 6)

    # --- supervisor (issue 14)
    def metrics(self, first: str, last: str, group: str = "day") -> dict[str, Any]:
        """The dashboard's figures for local dates ``first``..``last`` (inclusive), grouped by ``hour``, ``day``,
        ``seat`` or ``officer`` (docs/metrics.md)."""
        return self._request("GET", "/api/metrics", params={"from": first, "to": last, "group": group})

    def metrics_now(self) -> dict[str, Any]:
        """The "now" figures, as the seat socket's ``now`` frame carries them (for when the socket is down)."""
        return self._request("GET", "/api/metrics/now")


    # --- officer (issue 12) --------------------------------------------------
    def take_case(self, case_id: int) -> dict[str, Any]:
        """The officer takes an awaiting case -> the full case; Conflict naming who has it otherwise."""
        return self._request("POST", f"/api/cases/{case_id}/take")

    def case_audit(self, case_id: int) -> list[dict[str, Any]]:
        return self._request("GET", f"/api/cases/{case_id}/audit")["items"]

    def search_violations(self, query: str) -> list[dict[str, Any]]:
        """Catalogue entries ``{code, behaviour, article}`` whose behaviour or article holds ``query``."""
        return self._request("GET", "/api/violations", params={"q": query})

    def preview_determination(self, case_id: int, decision: dict[str, Any]) -> bytes:
        """The document's PDF for ``{facts, weather, parties}``, issuing nothing."""
        return self._request("POST", f"/api/cases/{case_id}/determination/preview", json=decision,
                             timeout=self.timeout * 3)

    def issue_determination(self, case_id: int, decision: dict[str, Any]) -> dict[str, Any]:
        """-> ``{document_number, sha256}``; Invalid naming the rule broken, Conflict when already issued."""
        return self._request("POST", f"/api/cases/{case_id}/determination", json=decision, timeout=self.timeout * 3)

    def send_back(self, case_id: int, reason: str) -> dict[str, Any]:
        return self._request("POST", f"/api/cases/{case_id}/send-back", json={"reason": reason})

    def document_pdf(self, document_number: str) -> bytes:
        return self._request("GET", f"/api/documents/{document_number}.pdf", timeout=self.timeout * 3)

    def service_area(self) -> dict[str, Any]:
        """The service area as GeoJSON."""
        return self._request("GET", "/api/service-area")

    # --- operator case notes (issue 12) ----------------------------------------
    def update_case(self, case_id: int, *, weather: str | None = None, notes: str | None = None) -> dict[str, Any]:
        """The weather (晴 阴 雨 雪 雾 其他) and the notes (经过, ≤ 2000 characters) the operator records during
        the call; what is left None stays as it is. -> the case."""
        body = {k: v for k, v in (("weather", weather), ("notes", notes)) if v is not None}
        return self._request("PATCH", f"/api/cases/{case_id}", json=body)

    # --- reviews (issue 13) -----------------------------------------------------
    def list_reviews(self, status: str | None = "pending") -> dict[str, Any]:
        """-> ``{items: [review...], reasons: [{code, label}]}`` (第七十六条's reasons); every status when None."""
        return self._request("GET", "/api/reviews", params={"status": status} if status else None)

    def get_review(self, review_id: int) -> dict[str, Any]:
        """-> ``{review, case, request, reason, evidence: [ids], decision_reason, outcome, ...}``."""
        return self._request("GET", f"/api/reviews/{review_id}")

    def decide_review(self, review_id: int, decision: str, reason: str, outcome: str) -> dict[str, Any]:
        """``decision`` upheld | sent_back (with a reason code); Forbidden for the officer who issued the document."""
        return self._request("POST", f"/api/reviews/{review_id}/decision",
                             json={"decision": decision, "reason": reason, "outcome": outcome})


def _decode(response: requests.Response) -> Any:
    if response.status_code < 400:
        if "json" in response.headers.get("content-type", ""):
            return response.json()
        return response.content
    try:
        body = response.json()
    except ValueError:
        body = {}
    message = body.get("message") if isinstance(body, dict) else None
    error = _error_class(response.status_code)
    raise error(message or f"服务器返回 {response.status_code}", response.status_code, body if isinstance(body, dict) else {})


def _error_class(status: int) -> type[ApiError]:
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return ServerError if status >= 500 else Invalid


class AsyncApi:
    """The same calls, awaitable: each runs in the loop's executor so the Qt thread never waits on the network."""

    def __init__(self, client: ApiPort) -> None:
        self.client = client

    def __getattr__(self, name: str) -> Callable[..., Any]:
        target = getattr(self.client, name)
        if not callable(target):
            return target

        async def call(*args: Any, **kwargs: Any) -> Any:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, functools.partial(target, *args, **kwargs))

        return call
