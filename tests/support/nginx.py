"""A real nginx (Debian's /usr/sbin/nginx) in front of server instances, for the scale-out tests and benches.

It runs docs/nginx/kuaichu.conf, the production example of docs/deployment.md, with only what must differ
on loopback swapped: the upstream servers, the listen line (plain HTTP on a free port), the access log
path, and no TLS certificate. nginx is a non-daemon child process with its prefix, pid and temp files in
``workdir``, so it needs no root and no port 80.

    with start_nginx(["127.0.0.1:8001", "127.0.0.1:8002"], tmp_path / "nginx") as proxy:
        httpx.get(proxy.url + "/healthz", cookies={"kuaichu_route": proxy.route_to("127.0.0.1:8002")})
"""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from contextlib import AbstractContextManager
from pathlib import Path

import httpx

from tests.support.live_server import free_socket

CONFIG = Path(__file__).resolve().parents[2] / "docs" / "nginx" / "kuaichu.conf"
ROUTE_COOKIE = "kuaichu_route"
READY_TIMEOUT_S = 15.0
PROBE_KEYS = 200  # keys tried by route_to; with two upstreams the chance of missing one is about 2**-200


def nginx_binary() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _sub_once(pattern: str, replacement: str, text: str, flags: int = 0) -> str:
    """Substitutes exactly one match, so a reshaped production config breaks the tests loudly."""
    new, count = re.subn(pattern, lambda _m: replacement, text, count=0, flags=flags)
    if count != 1:
        raise RuntimeError(f"{CONFIG}: expected one match of {pattern!r}, found {count}")
    return new


def loopback_config(upstreams: list[str], port: int, workdir: Path) -> str:
    """The production site config with loopback upstreams, listen port and log path, and no TLS."""
    text = CONFIG.read_text(encoding="utf-8")
    match = re.search(r"^(\s*)server \S+:\d+( [^;\n]*)?;\n(?:\s*server \S+:\d+[^;\n]*;\n)*", text, re.M)
    if match is None:
        raise RuntimeError(f"{CONFIG}: no upstream server lines")
    indent, params = match.group(1), match.group(2) or ""
    servers = "".join(f"{indent}server {u}{params};\n" for u in upstreams)
    text = text[:match.start()] + servers + text[match.end():]
    text = _sub_once(r"^\s*listen 443 ssl[^;]*;", f"    listen 127.0.0.1:{port};", text, re.M)
    text = _sub_once(r"^\s*ssl_certificate [^;]*;\n", "", text, re.M)
    text = _sub_once(r"^\s*ssl_certificate_key [^;]*;\n", "", text, re.M)
    text = _sub_once(r"/var/log/nginx/kuaichu\.access\.log", str(workdir / "access.log"), text)
    return text


def main_config(workdir: Path) -> str:
    """nginx.conf around the site: in the foreground, everything it writes inside ``workdir``."""
    temp = "\n".join(f"    {kind}_temp_path {workdir / 'temp' / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""daemon off;
master_process on;
worker_processes 1;
pid {workdir / 'nginx.pid'};
error_log stderr warn;
events {{
    worker_connections 4096;
}}
http {{
{temp}
    include site.conf;
}}
"""


class Nginx(AbstractContextManager):
    def __init__(self, upstreams: list[str], workdir: Path) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (scripts/install.sh installs Debian's nginx)")
        self.upstreams = list(upstreams)
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (workdir / "temp" / kind).mkdir(parents=True, exist_ok=True)
        with free_socket() as sock:
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.access_log = workdir / "access.log"
        self.error_log = workdir / "error.log"
        (workdir / "site.conf").write_text(loopback_config(self.upstreams, self.port, workdir), encoding="utf-8")
        (workdir / "nginx.conf").write_text(main_config(workdir), encoding="utf-8")
        args = [binary, "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-e", "stderr"]
        check = subprocess.run([*args, "-t"], capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise RuntimeError(f"nginx refused the config: {check.stderr}")
        with self.error_log.open("ab") as err:
            self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err)
        self._wait_ready()

    def _wait_ready(self) -> None:
        end = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.proc.returncode}: {self.error_log.read_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1.0).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not listen on {self.port} within {READY_TIMEOUT_S} s")

    def access_lines(self) -> list[str]:
        return self.access_log.read_text(encoding="utf-8").splitlines() if self.access_log.exists() else []

    def route_to(self, upstream: str, path: str = "/healthz", timeout: float = 10.0) -> str:
        """A ``kuaichu_route`` cookie value that this nginx sends to ``upstream`` (read from its access log)."""
        with httpx.Client(base_url=self.url, timeout=timeout) as client:
            for i in range(PROBE_KEYS):
                key = f"probe-{upstream}-{i}"
                before = len(self.access_lines())
                client.get(path, headers={"Cookie": f"{ROUTE_COOKIE}={key}"})
                if self._last_upstream(before, timeout) == upstream:
                    return key
        raise RuntimeError(f"no route key of {PROBE_KEYS} reaches {upstream}")

    def _last_upstream(self, before: int, timeout: float) -> str:
        end = time.monotonic() + timeout  # nginx writes the line just after the reply
        while time.monotonic() < end:
            lines = self.access_lines()
            if len(lines) > before:
                found = re.search(r"upstream=(.*)$", lines[-1])  # "a, b" when nginx tried a first
                return found.group(1).split(",")[-1].strip() if found else ""
            time.sleep(0.02)
        raise RuntimeError("nginx wrote no access log line")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: fast shutdown of master and workers
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def __exit__(self, *exc) -> None:
        self.stop()


def start_nginx(upstreams: list[str], workdir: Path) -> Nginx:
    """nginx listening on ``http://127.0.0.1:<free port>`` and proxying to ``upstreams`` ("host:port")."""
    return Nginx(upstreams, workdir)
