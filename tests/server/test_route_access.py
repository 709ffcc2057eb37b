"""Every route in the app, checked against one table of who may call it.

The table below is the access policy of the server. A new route fails
``test_every_route_is_in_the_access_table`` until its line is added here, so no
endpoint ships without someone deciding, and a test checking, who may use it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIWebSocketRoute
from starlette.routing import Mount, WebSocketRoute
from starlette.websockets import WebSocketDisconnect

OPERATOR, OFFICER, SUPERVISOR, ADMIN = "operator", "officer", "supervisor", "admin"
ROLES = (OPERATOR, OFFICER, SUPERVISOR, ADMIN)
SEAT = frozenset({OPERATOR, OFFICER, SUPERVISOR})
ANY_USER = frozenset(ROLES)
PUBLIC = "public"  # no login at all; an empty call must still get an answer below 500
PARTY = "party"  # a party-link token in the path; a bogus token must be refused with 401 or 404

ACCESS: dict[tuple[str, str], frozenset[str] | str] = {
    # health; the API docs (/openapi.json, /docs) exist only with KUAICHU_API_DOCS, see DOCS_ACCESS
    ("GET", "/healthz"): PUBLIC,
    # seat login
    ("POST", "/api/auth/login"): PUBLIC,
    ("POST", "/api/auth/logout"): ANY_USER,
    ("GET", "/api/auth/me"): ANY_USER,
    # cases
    # admins read what the seat's workspaces show them (all three tabs), and change none of it
    ("GET", "/api/cases"): SEAT | {ADMIN},
    ("POST", "/api/cases"): frozenset({OPERATOR}),
    ("GET", "/api/cases/{case_id}"): SEAT | {ADMIN},  # in full only to its holder, deciding officers, admins
    ("GET", "/api/cases/{case_id}/audit"): frozenset({OFFICER, SUPERVISOR, ADMIN}),
    ("PATCH", "/api/cases/{case_id}"): frozenset({OPERATOR}),  # the weather and notes, by the holder
    ("POST", "/api/cases/{case_id}/answer"): frozenset({OPERATOR}),
    ("POST", "/api/cases/{case_id}/start-collection"): frozenset({OPERATOR}),
    ("POST", "/api/cases/{case_id}/interrupt"): frozenset({OPERATOR}),
    ("POST", "/api/cases/{case_id}/escalate"): SEAT,
    ("POST", "/api/cases/{case_id}/submit"): frozenset({OPERATOR}),
    ("POST", "/api/cases/{case_id}/takeover"): frozenset({SUPERVISOR, ADMIN}),
    ("POST", "/api/cases/{case_id}/parties"): frozenset({OPERATOR}),
    ("PATCH", "/api/cases/{case_id}/parties/{party_id}"): frozenset({OPERATOR}),
    ("POST", "/api/cases/{case_id}/invitations"): frozenset({OPERATOR}),
    ("POST", "/api/cases/{case_id}/instructions"): frozenset({OPERATOR}),
    ("POST", "/api/invitations/{invitation_id}/revoke"): frozenset({OPERATOR, SUPERVISOR}),
    # registry checks, eligibility answers, checklist
    ("POST", "/api/cases/{case_id}/parties/{party_id}/verify"): frozenset({OPERATOR}),
    ("PUT", "/api/cases/{case_id}/answers"): frozenset({OPERATOR}),
    ("GET", "/api/cases/{case_id}/checklist"): SEAT | {ADMIN},
    ("GET", "/api/service-area"): SEAT | {ADMIN},  # the officer's map
    # field dispatch
    ("GET", "/api/dispatches"): frozenset({SUPERVISOR, ADMIN}),
    ("POST", "/api/dispatches/{dispatch_id}/retry"): frozenset({SUPERVISOR, ADMIN}),
    # the supervisor dashboard (docs/metrics.md)
    ("GET", "/api/metrics"): frozenset({SUPERVISOR, ADMIN}),
    ("GET", "/api/metrics.csv"): frozenset({SUPERVISOR, ADMIN}),
    ("GET", "/api/metrics/now"): frozenset({SUPERVISOR, ADMIN}),
    # evidence
    ("POST", "/api/cases/{case_id}/evidence"): frozenset({OPERATOR}),
    ("POST", "/api/cases/{case_id}/recordings"): frozenset({OPERATOR}),
    ("GET", "/api/cases/{case_id}/evidence"): SEAT | {ADMIN},
    ("GET", "/api/evidence/{evidence_id}/content"): SEAT | {ADMIN},
    ("PUT", "/api/evidence/{evidence_id}/ocr"): frozenset({OPERATOR}),
    ("PATCH", "/api/evidence/{evidence_id}"): frozenset({OPERATOR}),
    # administration
    ("GET", "/api/admin/sms"): frozenset({ADMIN, SUPERVISOR}),
    ("POST", "/api/admin/users"): frozenset({ADMIN}),
    ("GET", "/api/admin/users"): frozenset({ADMIN}),
    ("POST", "/api/admin/users/{user_id}/deactivate"): frozenset({ADMIN}),
    ("GET", "/api/admin/audit/verify"): frozenset({ADMIN}),
    # the phone: public entry, pages, and party-token endpoints
    ("GET", "/"): PUBLIC,
    ("GET", "/p/{token}"): PUBLIC,  # the page shell; its first API call checks the token
    ("GET", "/static/{name}"): PUBLIC,
    ("POST", "/api/phone/codes"): PUBLIC,
    ("POST", "/api/phone/report"): PUBLIC,
    ("GET", "/api/phone/{token}"): PARTY,
    ("POST", "/api/phone/{token}/photos"): PARTY,
    # the progress page after the call (issue 13): server-rendered forms and files behind the party link
    ("POST", "/p/{token}/review"): PARTY,
    ("POST", "/p/{token}/review/withdraw"): PARTY,
    ("POST", "/p/{token}/claim"): PARTY,
    ("GET", "/p/{token}/documents/{number}/{page}.png"): PARTY,
    ("GET", "/p/{token}/documents/{number}.pdf"): PARTY,
    ("GET", "/p/{token}/claim-pack.zip"): PARTY,
    ("POST", "/api/sms/delivery-reports"): PUBLIC,  # the SMS gateway, by its shared token (404 while unset)
    # the officer's decision and the issued documents (issue 12)
    ("GET", "/api/violations"): SEAT | {ADMIN},
    ("POST", "/api/cases/{case_id}/take"): frozenset({OFFICER}),
    ("POST", "/api/cases/{case_id}/send-back"): frozenset({OFFICER}),
    ("POST", "/api/cases/{case_id}/determination/preview"): frozenset({OFFICER}),
    ("POST", "/api/cases/{case_id}/determination"): frozenset({OFFICER}),
    ("GET", "/api/documents/{number}.pdf"): SEAT | {ADMIN},
    ("GET", "/v/{number}"): PUBLIC,  # the verification page behind the document's QR code
    ("POST", "/v/{number}"): PUBLIC,  # checks an uploaded PDF against the sha256 issued
    # the reviewer's queue and decision (复核, issue 13): officers read and decide, admins read
    ("GET", "/api/reviews"): frozenset({OFFICER, ADMIN}),
    ("GET", "/api/reviews/{review_id}"): frozenset({OFFICER, ADMIN}),
    ("POST", "/api/reviews/{review_id}/decision"): frozenset({OFFICER}),
    ("GET", "/f/{kind}/{ident}"): PUBLIC,  # a signed, expiring link for insurers (the signature is the credential)
    # WebSockets
    ("WS", "/ws/phone/{token}"): PARTY,
    ("WS", "/ws/seat"): SEAT,
}

_PARAM = re.compile(r"\{[^}]+\}")
BOGUS_TOKEN = "Not-A-Real-Token-000000000000000000000"


def _flatten(routes) -> Iterator[object]:
    for route in routes:
        if hasattr(route, "effective_route_contexts"):  # FastAPI keeps included routers nested
            yield from route.effective_route_contexts()
        else:
            yield route


def app_routes(app) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for route in _flatten(app.routes):
        original = getattr(route, "original_route", route)
        path = getattr(route, "path", "") or original.path
        if isinstance(original, (APIWebSocketRoute, WebSocketRoute)):
            found.add(("WS", path))
        elif isinstance(original, Mount):
            found.add(("MOUNT", path))
        else:
            found.update((method, path) for method in original.methods - {"HEAD"})
    return found


def concrete(path: str) -> str:
    return _PARAM.sub(lambda m: BOGUS_TOKEN if m.group() == "{token}" else "999999", path)


def test_every_route_is_in_the_access_table(app):
    routes = app_routes(app)
    documented = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    assert documented <= routes, f"route enumeration missed {sorted(documented - routes)}"
    missing = sorted(routes - ACCESS.keys())
    assert not missing, (
        "these routes have no line in ACCESS in tests/server/test_route_access.py; add one per route saying "
        f"who may call it (a set of roles, PUBLIC or PARTY): {missing}")
    stale = sorted(ACCESS.keys() - routes)
    assert not stale, f"ACCESS lists routes the app no longer has; remove them: {stale}"


#: Routes that exist only with KUAICHU_API_DOCS; public then (the description, the page, its local assets).
DOCS_ACCESS = {("GET", "/openapi.json"): PUBLIC, ("GET", "/docs"): PUBLIC, ("GET", "/docs/assets/{name}"): PUBLIC}


def test_the_api_docs_add_only_their_own_public_routes(app, settings):
    from server.app import create_app

    with_docs = create_app(settings.model_copy(update={"api_docs": True}))
    try:
        assert app_routes(with_docs) - app_routes(app) == DOCS_ACCESS.keys()
    finally:
        with_docs.state.ctx.engine.dispose()


def test_every_route_enforces_its_access(app, client, auth_headers):
    headers = {role: auth_headers(role) for role in ROLES}
    problems: list[str] = []
    # Logging out revokes the caller's token, so it goes last.
    for (method, path), access in sorted(ACCESS.items(), key=lambda kv: kv[0] == ("POST", "/api/auth/logout")):
        if (method, path) not in app_routes(app):
            continue  # reported by the test above
        check = _check_socket if method == "WS" else _check_http
        problems += check(client, method, path, access, headers)
    assert not problems, "access checks failed:\n" + "\n".join(problems)


def _call(client, method: str, path: str, headers: dict[str, str]):
    body = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
    return client.request(method, concrete(path), headers=headers, **body)


def _check_http(client, method, path, access, headers) -> list[str]:
    where, problems = f"{method} {path}", []
    anonymous = _call(client, method, path, {})
    if access == PUBLIC:
        if anonymous.status_code >= 500:
            problems.append(f"{where}: public route failed with {anonymous.status_code}")
        return problems
    if access == PARTY:
        if anonymous.status_code not in (401, 404):
            problems.append(f"{where}: a bogus party token got {anonymous.status_code}, expected 401 or 404")
        return problems
    if anonymous.status_code != 401:
        problems.append(f"{where}: no token got {anonymous.status_code}, expected 401")
    for role in ROLES:
        status = _call(client, method, path, headers[role]).status_code
        if role in access and (status in (401, 403) or status >= 500):
            problems.append(f"{where}: allowed role {role} got {status}")
        if role not in access and status != 403:
            problems.append(f"{where}: role {role} should be refused with 403, got {status}")
    return problems


def _socket_outcome(client, path: str, token: str | None) -> tuple[str, int | None]:
    """(first frame's error code or "accepted", close code if the server closed the socket)."""
    seat = path == "/ws/seat"  # the seat's session token is its first frame, never in the URL
    url = concrete(path) + (f"?token={token}" if token and not seat else "")
    with client.websocket_connect(url) as ws:
        if seat and token:
            ws.send_json({"type": "auth", "token": token})
        ws.send_text("not json")  # guarantees a reply: an error frame if refused or if the frame is bad
        first = ws.receive_json()
        refused = first.get("type") == "error" and first.get("code") in ("unauthorized", "forbidden", "not_found")
        if not refused:
            return "accepted", None
        try:
            ws.receive_json()
        except WebSocketDisconnect as closed:
            return first["code"], closed.code
        return first["code"], None


def _check_socket(client, method, path, access, headers) -> list[str]:
    where, problems = f"WS {path}", []
    code, closed = _socket_outcome(client, path, None)
    expected_closes = {PARTY: (4401, 4404)}.get(access, (4401,))
    if closed not in expected_closes:
        problems.append(f"{where}: without a token got {code}/{closed}, expected a close with {expected_closes}")
    if access in (PUBLIC, PARTY):
        return problems
    for role in ROLES:
        token = headers[role]["Authorization"].removeprefix("Bearer ")
        code, closed = _socket_outcome(client, path, token)
        if role in access and code != "accepted":
            problems.append(f"{where}: allowed role {role} was refused ({code}/{closed})")
        if role not in access and closed != 4403:
            problems.append(f"{where}: role {role} should be closed with 4403, got {code}/{closed}")
    return problems


@pytest.mark.parametrize("path", ["/api/cases", "/api/admin/users"])
def test_a_garbage_or_expired_token_is_401_not_403(client, path):
    r = client.get(path, headers={"Authorization": "Bearer " + BOGUS_TOKEN})
    assert r.status_code == 401 and r.json()["message"]
