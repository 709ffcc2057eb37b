"""Holes 3, 4 and 15 of issue 10 over HTTP: huge ids, deep or oversized JSON, unexpected errors, headers."""
from __future__ import annotations

import io
import logging
import re
import socket
import time

import httpx

import pytest
from fastapi.testclient import TestClient

from server.api.http_hardening import MAX_JSON_BYTES, json_depth_exceeds

HUGE = 2**63
DEEP = "[" * 50_000


def _id_routes(app) -> list[tuple[str, str, list[str]]]:
    """Every API operation with an id in its path, from the OpenAPI description (which lists them all)."""
    out = []
    for path, operations in app.openapi()["paths"].items():
        ids = [name for name in re.findall(r"{(\w+)}", path) if name.endswith("_id")]
        if path.startswith("/api/") and ids:
            out.extend((method.upper(), path, ids) for method in operations)
    return out


@pytest.mark.postgres
@pytest.mark.parametrize("identity", ["operator", "admin"])
def test_ids_past_the_key_range_are_refused_as_json_on_every_id_route(client, app, auth_headers,
                                                                              identity):
    headers = auth_headers(identity)
    routes = _id_routes(app)
    assert len(routes) > 15
    for method, path, ids in routes:
        for value in (2**31, HUGE, 2**64 + 1, 0, -1):  # 2**31: past an int4 key, a 500 on PostgreSQL once
            url = path
            for name in ids:
                url = url.replace("{" + name + "}", str(value))
            r = client.request(method, url, headers=headers, json={})
            assert r.status_code in (403, 404, 422), (method, url, r.status_code, r.text)
            assert r.json()["error"] and r.json()["message"], (method, url)


@pytest.mark.postgres
def test_ids_in_a_query_a_form_field_and_a_json_body_are_bounded(client, auth_headers, queued_case):
    admin, operator = auth_headers("admin"), auth_headers("operator")
    r = client.get(f"/api/admin/sms?case_id={HUGE}", headers=admin)
    assert r.status_code == 422 and r.json()["error"] == "invalid"
    client.post(f"/api/cases/{queued_case}/answer", headers=operator)
    r = client.post(f"/api/cases/{queued_case}/evidence", headers=operator,
                    files={"file": ("a.jpg", b"not read", "image/jpeg")}, data={"party_id": str(HUGE)})
    assert r.status_code == 422 and "party_id" in r.json()["message"]
    r = client.patch("/api/evidence/1", headers=operator, json={"label": "scene", "party_id": HUGE})
    assert r.status_code == 422 and r.json()["error"] == "invalid"


@pytest.mark.parametrize("path, method", [("/api/evidence/1/ocr", "PUT"), ("/api/auth/login", "POST"),
                                          ("/api/cases/1/parties/1", "PATCH"), ("/api/phone/codes", "POST")])
def test_deeply_nested_json_is_refused_before_parsing(client, auth_headers, path, method, caplog):
    with caplog.at_level(logging.ERROR):
        for content_type in ("application/json", None):
            headers = {**auth_headers("operator"), **({"Content-Type": content_type} if content_type else {})}
            r = client.request(method, path, content=DEEP, headers=headers)
            assert r.status_code == 422, r.text
            assert r.json() == {"error": "invalid", "message": "JSON 嵌套过深：最多 32 层"}
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]


def test_deep_json_under_another_content_type_is_refused_by_the_handler_that_parses_it(client, auth_headers):
    headers = {**auth_headers("operator"), "Content-Type": "multipart/form-data; boundary=x"}
    r = client.put("/api/evidence/1/ocr", content=DEEP, headers=headers)
    assert r.status_code == 422 and r.json()["message"] == "JSON 嵌套过深：最多 32 层"


@pytest.mark.parametrize("body", [b'{"a": 1e999}', b'{"a": NaN}', b'{"a": -Infinity}', b'{"a": "\\ud800"}'])
def test_json_the_server_could_not_store_is_refused_not_a_500(client, auth_headers, body):
    headers = {**auth_headers("operator"), "Content-Type": "application/json"}
    r = client.put("/api/evidence/1/ocr", content=body, headers=headers)
    assert r.status_code == 422 and r.json()["error"] == "invalid", r.text


def test_an_oversized_json_body_is_413_declared_or_chunked(client, auth_headers):
    body = b'{"a": "' + b"x" * MAX_JSON_BYTES + b'"}'
    r = client.put("/api/evidence/1/ocr", content=body, headers={**auth_headers("operator"),
                                                                  "Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "too_large"
    chunked = client.put("/api/evidence/1/ocr", content=iter([body[:1000], body[1000:]]),
                         headers={**auth_headers("operator"), "Content-Type": "application/json"})
    assert chunked.status_code == 413


def test_nesting_that_is_normal_or_inside_strings_passes_the_scanner():
    assert not json_depth_exceeds(b'{"boxes": [[[1, 2], [3, 4]]], "text": "' + b"[" * 100 + b'"}', 32)
    assert not json_depth_exceeds(b'{"q": "\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', 32)
    assert json_depth_exceeds(b"[" * 33, 32)
    assert not json_depth_exceeds(b"[" * 32 + b"]" * 32, 32)


def test_an_unexpected_error_is_a_json_500_logged_once_without_a_traceback(app, caplog):
    def broken() -> dict:
        raise RuntimeError("secret internals")

    app.add_api_route("/api/test-broken", broken)
    with TestClient(app) as c, caplog.at_level(logging.INFO):
        r = c.get("/api/test-broken")
    assert r.status_code == 500
    assert r.json() == {"error": "internal_error", "message": "服务器内部错误，请稍后重试"}
    assert "secret" not in r.text and "Traceback" not in r.text
    errors = [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info[0] is RuntimeError


def test_api_replies_are_not_stored_and_hsts_is_sent_only_under_tls(app, auth_headers, client):
    r = client.get("/api/auth/me", headers=auth_headers("operator"))
    assert r.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in r.headers
    assert client.get("/api/cases/999999", headers=auth_headers("operator")).headers["cache-control"] == "no-store"
    r = client.get("https://testserver/healthz")
    assert r.headers["strict-transport-security"].startswith("max-age=")
    assert client.get("https://testserver/api/auth/me").headers["cache-control"] == "no-store"


def _wait_until(condition, timeout_s: float = 10.0) -> None:
    end = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < end, "condition not met in time"
        time.sleep(0.02)


class _Records(logging.Handler):
    """Every record from the app's and uvicorn's loggers (uvicorn's do not reach the root logger)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _half_request(port: int, path: str, token: str, content_type: str, body: bytes) -> None:
    """Sends the headers and half the body a Content-Length promises, then closes the socket."""
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head + body[: len(body) // 2])


@pytest.mark.fault
@pytest.mark.parametrize("kind", ["multipart upload", "json body"])
def test_a_client_dropping_mid_request_is_logged_quietly_and_keeps_nothing(tmp_path, sqlite_template, kind):
    from PIL import Image

    from server.adapters.orm import Evidence
    from tests.support.live_server import LiveServer, sqlite_settings

    handler = _Records()
    loggers = [logging.getLogger(name) for name in ("uvicorn", "uvicorn.error", "kuaichu")]
    levels = [lg.level for lg in loggers]
    try:
        with LiveServer.start(sqlite_settings(tmp_path, sqlite_template)) as server:
            for lg in loggers:  # after start: uvicorn's logging set-up replaces the handlers of its loggers
                lg.addHandler(handler)
                lg.setLevel(logging.INFO)
            server.create_user("operator1", "correct horse battery", "operator")
            token = httpx.post(f"{server.url}/api/auth/login",
                               json={"username": "operator1", "password": "correct horse battery"}).json()["token"]
            case = server.ctx.cases.open_case("public", reporter_phone="13800138000")
            httpx.post(f"{server.url}/api/cases/{case.id}/answer", headers={"Authorization": f"Bearer {token}"})
            if kind == "multipart upload":
                picture = io.BytesIO()
                Image.effect_noise((640, 480), 64).convert("RGB").save(picture, "JPEG")
                boundary = "kuaichu-test-boundary"
                body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n"
                        f"Content-Type: image/jpeg\r\n\r\n").encode() + picture.getvalue() + \
                    f"\r\n--{boundary}--\r\n".encode()
                _half_request(server.port, f"/api/cases/{case.id}/evidence", token,
                              f"multipart/form-data; boundary={boundary}", body)
            else:
                _half_request(server.port, "/api/evidence/1/ocr", token, "application/json",
                              b'{"plate": "' + b"x" * 200_000 + b'"}')
            _wait_until(lambda: any("went away" in r.getMessage() for r in handler.records)
                        or any(r.levelno >= logging.ERROR for r in handler.records))
            with server.ctx.session_factory() as s:
                assert s.query(Evidence).count() == 0
            assert not [p for p in server.settings.evidence_dir.rglob("*") if p.is_file()]
    finally:
        for lg, level in zip(loggers, levels):
            lg.removeHandler(handler)
            lg.setLevel(level)
    loud = [r.getMessage() for r in handler.records if r.levelno >= logging.WARNING]
    assert not loud
    went_away = [r for r in handler.records if "went away" in r.getMessage()]
    assert len(went_away) == 1 and went_away[0].levelno == logging.INFO


def _app_with(settings, **changes):
    from server.app import create_app

    return create_app(settings.model_copy(update=changes))


def test_the_api_docs_are_off_by_default_and_local_when_on(app, client, settings):
    for path in ("/docs", "/openapi.json", "/redoc", "/docs/assets/swagger-ui-bundle.js"):
        r = client.get(path)
        assert r.status_code == 404 and r.json()["error"] == "http_error", path
    docs_app = _app_with(settings, api_docs=True)
    try:
        with TestClient(docs_app) as c:
            page = c.get("/docs")
            assert page.status_code == 200
            assert not re.findall(r"https?://", page.text), "the docs page must not load anything from elsewhere"
            assert "validatorUrl\": null" in page.text
            for url in re.findall(r'(?:src|href)="([^"]+)"', page.text):
                asset = c.get(url)
                assert asset.status_code == 200 and len(asset.content) > 1000, url
            assert "SwaggerUIBundle" in c.get("/docs/assets/swagger-ui-bundle.js").text
            assert c.get("/docs/assets/..%2Fcore.py").status_code == 404
            assert c.get("/openapi.json").json()["paths"]["/api/cases/{case_id}"]
    finally:
        docs_app.state.ctx.engine.dispose()


def test_the_phone_pages_may_open_sockets_to_this_server_only(client, settings):
    host = settings.public_base_url.split("://", 1)[1]
    for path in ("/", "/p/some-token"):
        csp = client.get(path).headers["content-security-policy"]
        connect = re.search(r"connect-src ([^;]+);", csp).group(1).split()
        assert connect == ["'self'", f"ws://{host}", f"wss://{host}"], csp
    tls_app = _app_with(settings, public_base_url="https://kuaichu.example.cn:8443")
    try:
        with TestClient(tls_app) as c:
            csp = c.get("/p/some-token").headers["content-security-policy"]
        assert re.search(r"connect-src ([^;]+);", csp).group(1).split() == ["'self'", "wss://kuaichu.example.cn:8443"]
    finally:
        tls_app.state.ctx.engine.dispose()


def test_a_wrong_method_is_405_with_an_allow_header(client, auth_headers):
    r = client.delete("/api/cases/1", headers=auth_headers("operator"))
    assert r.status_code == 405 and r.headers["allow"] == "GET"
    assert r.json() == {"error": "http_error", "message": "不支持该请求方法"}
