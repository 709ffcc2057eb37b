"""The log-secret grep (issue 10, hole 1): a whole flow against `kuaichu-server serve` at DEBUG, and not
one session token, party token, SMS code or password anywhere in what the process printed."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from websockets.sync.client import connect

from server.adapters.log_redaction import redact

PASSWORD = "correct horse battery"
WRONG_PASSWORD = "Tr0ub4dor&3-not-it"
REPORTER, CALLER = "13912345678", "13800138000"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path, sqlite_template):
    """`kuaichu-server serve` in a subprocess at log level debug; yields (base URL, db URL, output path)."""
    db = tmp_path / "kuaichu.db"
    shutil.copy(sqlite_template, db)
    port = _free_port()
    env = {**os.environ, "KUAICHU_DATABASE_URL": f"sqlite:///{db}", "KUAICHU_DATA_DIR": str(tmp_path / "data"),
           "KUAICHU_PORT": str(port), "KUAICHU_LOG_LEVEL": "debug", "KUAICHU_NEW_PASSWORD": PASSWORD,
           "KUAICHU_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "PYTHONUNBUFFERED": "1"}
    env.pop("KUAICHU_CONFIG_FILE", None)
    out = tmp_path / "server-output.txt"
    cli = [sys.executable, "-m", "server.cli"]
    with out.open("wb") as sink:
        subprocess.run([*cli, "create-user", "--username", "op1", "--role", "operator"], env=env,
                       stdout=sink, stderr=subprocess.STDOUT, check=True, timeout=60)
        server = subprocess.Popen([*cli, "serve"], env=env, stdout=sink, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            end = time.monotonic() + 60
            while not _up(base) and server.poll() is None and time.monotonic() < end:
                time.sleep(0.1)
            assert server.poll() is None and _up(base), out.read_text()
            yield base, f"sqlite:///{db}", out, server
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGINT)
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


def _up(base: str) -> bool:
    try:
        return httpx.get(base + "/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _last_sms(db_url: str, phone: str) -> str:
    engine = create_engine(db_url)
    try:
        with engine.connect() as c:
            return c.execute(text("SELECT text FROM sms_outbox WHERE phone = :p ORDER BY id DESC"),
                             {"p": phone}).scalar_one()
    finally:
        engine.dispose()


def _online_ids(m: dict) -> list[int]:
    """Queued cases whose phone is there, from a seat's ``queue`` or ``queue_changes`` frame."""
    if m["type"] not in ("queue", "queue_changes"):
        return []
    return [i["case_id"] for i in [*m.get("items", []), *m.get("added", []), *m.get("updated", [])]
            if i["phone_online"]]


def _recv(ws, kind: str | None, timeout: float = 10.0, where=lambda m: True) -> dict:
    end = time.monotonic() + timeout
    while True:
        message = json.loads(ws.recv(timeout=max(0.01, end - time.monotonic())))
        if kind in (None, message["type"]) and where(message):
            return message


def _flow(base: str, db_url: str) -> list[str]:
    """Login, a public report with its SMS code, a party link, both sockets, an answer; returns the secrets."""
    http = httpx.Client(base_url=base, timeout=10)
    assert http.post("/api/auth/login", json={"username": "op1", "password": WRONG_PASSWORD}).status_code == 401
    login = http.post("/api/auth/login", json={"username": "op1", "password": PASSWORD})
    session = login.json()["token"]
    op = {"Authorization": f"Bearer {session}"}
    assert http.get("/api/auth/me", headers=op).status_code == 200

    assert http.post("/api/phone/codes", json={"phone": REPORTER}).status_code == 202
    code = re.search(r"\d{6}", _last_sms(db_url, REPORTER)).group(0)
    report = http.post("/api/phone/report", json={"phone": REPORTER, "code": code, "consent": True})
    assert report.status_code == 201, report.text
    party = report.json()["party_token"]
    assert http.get(f"/p/{party}").status_code == 200
    assert http.get(f"/api/phone/{party}").status_code == 200

    assert http.post("/api/cases", headers=op, json={"phone": CALLER}).status_code in (200, 201)
    link = re.search(r"/p/([A-Za-z0-9_-]+)", _last_sms(db_url, CALLER)).group(1)
    assert http.get(f"/p/{link}?from=sms").status_code == 200

    ws_base = base.replace("http", "ws", 1)
    with connect(f"{ws_base}/ws/phone/{party}") as phone, connect(f"{ws_base}/ws/seat") as seat:
        seat.send(json.dumps({"type": "auth", "token": session}))
        phone.send(json.dumps({"type": "join", "consent": True}))
        _recv(phone, "queue")
        queue = _recv(seat, None, where=_online_ids)  # the whole queue first, then its changes
        case_id = _online_ids(queue)[0]
        assert http.post(f"/api/cases/{case_id}/answer", headers=op).status_code == 200
        _recv(phone, "answered")
        seat.send(json.dumps({"type": "signal", "case_id": case_id, "candidate": {"candidate": "", "sdpMid": "0"}}))
        assert "candidate" in _recv(phone, "signal")
        phone.send(json.dumps({"type": "signal", "candidate": {"candidate": "", "sdpMid": "0"}}))
        _recv(seat, "signal")
        assert http.get(f"/api/cases/{case_id}", headers=op).status_code == 200
        seat.send(json.dumps({"type": "hangup", "case_id": case_id, "reason": "completed"}))
        _recv(phone, "ended")
    assert http.get("/api/cases", headers=op).status_code == 200
    assert http.post("/api/auth/logout", headers=op).status_code in (200, 204)
    http.close()
    return [PASSWORD, WRONG_PASSWORD, session, party, link, code]


def test_no_secret_reaches_the_output_of_a_server_at_debug(served):
    base, db_url, out, server = served
    secrets = _flow(base, db_url)
    server.send_signal(signal.SIGINT)
    server.wait(timeout=20)
    output = out.read_text(errors="replace")
    leaks = [(name, line) for name, secret in zip(
        ["password", "wrong password", "session token", "party token", "party link", "SMS code"], secrets)
        for line in output.splitlines() if secret in line]
    assert not leaks, f"secrets in the server's output: {leaks[:5]}"
    assert "DEBUG" in output and '"GET /p/*** HTTP/1.1" 200' in output  # the log was on and heard the flow
    assert "WebSocket /ws/phone/***" in output and "WebSocket /ws/seat" in output


SECRET_NAMES = ["password", "wrong password", "session token", "party token", "party link", "SMS code"]


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)  # the instances share PostgreSQL
def test_no_secret_reaches_the_logs_of_two_instances_at_debug_or_of_nginx_in_front(tmp_path, db_url):
    """The same flow through nginx (docs/nginx/kuaichu.conf) to two `kuaichu-server serve` processes: the
    instances' output and nginx's access and error logs hold none of the flow's secrets."""
    from tests.support.cluster import Cluster, broker_env
    from tests.support.cluster_calls import Db
    from tests.support.nginx import nginx_binary

    if nginx_binary() is None:
        pytest.skip("nginx is not installed (scripts/install.sh installs it)")
    db = Db(db_url, tmp_path)
    db.create_user("op1", "operator")
    db.close()
    debug = broker_env("postgres") | {"KUAICHU_LOG_LEVEL": "debug", "PYTHONUNBUFFERED": "1"}
    with Cluster(db_url, debug, tmp_path) as cluster:
        secrets = _flow(cluster.proxy.url, db_url)
        cluster.stop()  # every process has written all it will
        logs = cluster.logs()
    leaks = [(path, name, line) for path, text in logs.items() for line in text.splitlines()
             for name, secret in zip(SECRET_NAMES, secrets) if secret in line]
    assert not leaks, f"secrets in the logs: {leaks[:5]}"
    access = logs[str(cluster.proxy.access_log)]
    assert '"GET /p/-" 200' in access and '"GET /ws/phone/-" 101' in access and '"GET /ws/seat" 101' in access
    assert any("DEBUG" in logs[str(i.log)] for i in cluster.instances)  # the log was on and heard the flow


@pytest.mark.parametrize(("line", "secret"), [
    ('127.0.0.1:5000 - "GET /api/phone/{t}/photos HTTP/1.1" 201', "{t}"),
    ('"WebSocket /ws/seat?token={t}" [accepted]', "{t}"),
    ("> TEXT '{{\"type\": \"auth\", \"token\": \"{t}\"}}' [60 bytes]", "{t}"),
    ("form {{'password': 'hunter2-long', 'username': 'op1'}}", "hunter2-long"),
    ('body {{"phone": "13912345678", "code": "482913"}}', "482913"),
    ("sms: 【视频快处】验证码 482913，5 分钟内有效", "482913"),
    ("Authorization: Bearer {t}", "{t}"),
    ("connecting to postgresql+psycopg://kuaichu:s3cret-pw@db/kuaichu", "s3cret-pw"),
    ("a token nobody expected: {t}.", "{t}"),
])
def test_redact_hides_each_kind_of_secret(line, secret):
    token = "Zk3_xQ9v-Lr2mWp8Tn5bYc7Hd1Fg4Js6Au0Ke"
    line, secret = line.format(t=token), secret.format(t=token)
    assert secret not in redact(line)
    assert "***" in redact(line)


@pytest.mark.parametrize("line", [
    'GET /api/phone/codes HTTP/1.1" 202', '{"type": "error", "code": "invalid"}',
    "case 42 -> in_call lost a race", "tests/server/test_socket_hardening_a_rather_long_module_name.py",
])
def test_redact_leaves_ordinary_lines_alone(line):
    assert redact(line) == line


def test_a_logged_exception_is_redacted_too(caplog):
    import logging

    from server.adapters import log_redaction

    before = logging.getLogRecordFactory()
    log_redaction.install()
    token = "Zk3_xQ9v-Lr2mWp8Tn5bYc7Hd1Fg4Js6Au0Ke"
    try:
        raise ValueError(f"could not open /p/{token}")
    except ValueError:
        logging.getLogger("kuaichu.test").exception("while serving %s", f"/ws/phone/{token}")
    finally:
        logging.setLogRecordFactory(before)  # this process's other tests keep their plain records
    record = caplog.records[-1]
    shown = logging.Formatter().format(record)
    assert token not in shown and "could not open /p/***" in shown and "while serving /ws/phone/***" in shown
