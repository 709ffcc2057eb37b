"""The system under load: `kuaichu-server serve` processes (one, or two behind nginx) and their users.

Each instance is the real command an operator runs, configured only through KUAICHU_* variables:
the database, the broker, the file SMS backend (the phones read their links from its handset files).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
SERVER = Path(sys.executable).with_name("kuaichu-server")
NGINX = "/usr/sbin/nginx"
PASSWORD = "load-bench-password"
READY_TIMEOUT_S = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen | None = None, timeout: float = READY_TIMEOUT_S) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {proc.returncode}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def server_env(workdir: Path, database_url: str, port: int, public_url: str, extra: dict[str, str]) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUAICHU_")}
    env.update({
        "KUAICHU_DATA_DIR": str(workdir / f"data{port}"), "KUAICHU_DATABASE_URL": database_url,
        "KUAICHU_HOST": "127.0.0.1", "KUAICHU_PORT": str(port), "KUAICHU_PUBLIC_BASE_URL": public_url,
        "KUAICHU_SMS_BACKEND": "file", "KUAICHU_SMS_FILE_DIR": str(workdir / "sms-handsets"),
        "KUAICHU_LOG_LEVEL": "warning",
        # all 550 clients come from 127.0.0.1: the per-address login lock-out is not what is measured
        "KUAICHU_LOGIN_ADDRESS_MAX_FAILURES": "1000",
        **extra,
    })
    return env


@contextmanager
def server_process(workdir: Path, database_url: str, public_url: str | None = None,
                   extra: dict[str, str] | None = None):
    """One `kuaichu-server serve`; yields (url, Popen). Stopped with SIGTERM, then SIGKILL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = server_env(workdir, database_url, port, public_url or url, extra or {})
    log = open(workdir / f"server{port}.log", "wb")
    proc = subprocess.Popen([str(SERVER), "serve"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_http(url + "/healthz", proc)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()


def migrate(database_url: str, workdir: Path) -> None:
    env = server_env(workdir, database_url, 0, "http://127.0.0.1", {})
    subprocess.run([str(SERVER), "migrate"], env=env, cwd=ROOT, check=True, capture_output=True, timeout=120)


def create_users(database_url: str, workdir: Path, base: str, seats: int) -> tuple[str, list[str]]:
    """An admin through the CLI, then the call-taker and the seat operators through the admin API.

    Returns the call-taker's session token and the seat user names (password PASSWORD)."""
    env = server_env(workdir, database_url, 0, base, {"KUAICHU_NEW_PASSWORD": PASSWORD})
    subprocess.run([str(SERVER), "create-user", "--username", "bench-admin", "--role", "admin"], env=env, cwd=ROOT, check=True,
                   capture_output=True, timeout=60)
    admin = _login(base, "bench-admin")
    names = [f"seat{n:03d}" for n in range(seats)]
    for name in ["call-taker", *names]:
        r = requests.post(f"{base}/api/admin/users", headers=admin, timeout=30, json={
            "username": name, "password": PASSWORD, "role": "operator", "display_name": f"坐席 {name}"})
        r.raise_for_status()
    return _login(base, "call-taker")["Authorization"].split(" ", 1)[1], names


def _login(base: str, username: str) -> dict[str, str]:
    r = requests.post(f"{base}/api/auth/login", json={"username": username, "password": PASSWORD}, timeout=30)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['token']}"}


NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream kuaichu {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 64m;
        location / {{
            proxy_pass http://kuaichu;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_read_timeout 3600s;
        }}
    }}
}}
"""


@contextmanager
def nginx_proxy(upstreams: list[str], workdir: Path):
    """nginx in front of the instances, round robin: every connection, REST or WebSocket, may land on either.

    No stickiness on purpose: case state is in PostgreSQL and the broker carries every socket message,
    so a phone and the seat that answers it are on different instances about half the time."""
    d = workdir / "nginx"
    d.mkdir(parents=True, exist_ok=True)
    port = free_port()
    servers = "\n".join(f"        server {u.removeprefix('http://')};" for u in upstreams)
    (d / "nginx.conf").write_text(NGINX_CONF.format(dir=d, servers=servers, port=port))
    log = open(d / "nginx.log", "wb")
    proc = subprocess.Popen([NGINX, "-p", str(d), "-c", str(d / "nginx.conf"), "-e", "stderr"],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", proc)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextmanager
def deployment(kind: str, workdir: Path, database_url: str):
    """Yields (base URL for clients, [server pids]) for "one" instance or "two" behind nginx."""
    migrate(database_url, workdir)
    with ExitStack() as stack:
        if kind == "one":
            url, proc = stack.enter_context(server_process(workdir, database_url))
            yield url, [proc.pid]
            return
        channel = f"kuaichu_bench_{os.getpid()}_{int(time.time())}"
        broker = {"KUAICHU_SIGNALLING_BROKER": "redis", "KUAICHU_REDIS_URL": "redis://127.0.0.1:6379/0",
                  "KUAICHU_REDIS_CHANNEL": channel,
                  "KUAICHU_URL_SIGNING_KEY": "load-bench-shared-signing-key-0123456789"}
        a = stack.enter_context(server_process(workdir, database_url, extra=broker))
        b = stack.enter_context(server_process(workdir, database_url, extra=broker))
        proxy, _ = stack.enter_context(nginx_proxy([a[0], b[0]], workdir))
        yield proxy, [a[1].pid, b[1].pid]
