"""Two (or more) real `kuaichu-server serve` processes on one database, behind a real nginx.

The instances trust X-Forwarded-For from 127.0.0.1 (nginx) only, their public base URL is the proxy's, and
they share one DATA_DIR, as instances on one shared filesystem would: evidence written through one instance
must be readable through the other (with separate local directories it is not; S3 storage is the other way).

    with Cluster(db_url, broker_env, tmp_path, size=2) as cluster:
        cluster.proxy.url, cluster.instances[0].upstream, cluster.cookie_for(1)
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from contextlib import AbstractContextManager
from pathlib import Path

import httpx

from tests.support.live_server import free_socket
from tests.support.nginx import ROUTE_COOKIE, start_nginx
from tests.support.waiting import wait_for_blocking

START_TIMEOUT_S = 45.0  # a cold start on a loaded CI machine


def broker_env(kind: str) -> dict[str, str]:
    """Settings for the signalling broker; Redis gets a channel of its own (pub/sub is shared on one Redis)."""
    if kind == "redis":
        return {"KUAICHU_SIGNALLING_BROKER": "redis", "KUAICHU_REDIS_URL": "redis://127.0.0.1:6379/0",
                "KUAICHU_REDIS_CHANNEL": f"kuaichu_test_{uuid.uuid4().hex}"}
    return {"KUAICHU_SIGNALLING_BROKER": kind}


def _free_port() -> int:
    with free_socket() as sock:
        return sock.getsockname()[1]


class Instance:
    """One `kuaichu-server serve` child process."""

    def __init__(self, name: str, env: dict[str, str], port: int, log: Path) -> None:
        self.name, self.env, self.port, self.log = name, env, port, log
        self.upstream = f"127.0.0.1:{port}"
        self.url = f"http://{self.upstream}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        exe = Path(sys.executable).with_name("kuaichu-server")
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([str(exe), "serve"], env=self.env, stdout=out, stderr=subprocess.STDOUT)

    def wait_up(self) -> None:
        def up() -> bool:
            assert self.proc.poll() is None, f"{self.name} exited: {self.log.read_text()[-2000:]}"
            try:
                return httpx.get(self.url + "/healthz", timeout=2.0).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for_blocking(up, timeout=START_TIMEOUT_S)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


class Cluster(AbstractContextManager):
    def __init__(self, db_url: str, settings_env: dict[str, str], workdir: Path, size: int = 2) -> None:
        ports = [_free_port() for _ in range(size)]
        self.proxy = start_nginx([f"127.0.0.1:{p}" for p in ports], workdir / "nginx")
        base = {k: v for k, v in os.environ.items() if not k.startswith("KUAICHU_")}
        self.instances: list[Instance] = []
        try:
            for i, port in enumerate(ports):
                env = base | {"KUAICHU_DATABASE_URL": db_url, "KUAICHU_DATA_DIR": str(workdir / "data"),
                              "KUAICHU_HOST": "127.0.0.1", "KUAICHU_PORT": str(port),
                              "KUAICHU_PUBLIC_BASE_URL": self.proxy.url, "KUAICHU_LOG_LEVEL": "info",
                              "KUAICHU_TRUSTED_PROXIES": json.dumps(["127.0.0.1"])} | settings_env
                self.instances.append(Instance("AB"[i] if i < 2 else str(i), env, port, workdir / f"server{i}.log"))
            for instance in self.instances:
                instance.start()
            for instance in self.instances:
                instance.wait_up()
        except BaseException:
            self.stop()
            raise
        self._cookies: dict[int, str] = {}

    def cookie_for(self, index: int) -> dict[str, str]:
        """The sticky cookie that nginx routes to instance ``index``."""
        if index not in self._cookies:
            self._cookies[index] = self.proxy.route_to(self.instances[index].upstream)
        return {ROUTE_COOKIE: self._cookies[index]}

    def cookie_header(self, index: int) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookie_for(index).items())}

    def logs(self) -> dict[str, str]:
        """Every log this cluster wrote: each instance's output and nginx's access and error logs."""
        files = [i.log for i in self.instances] + [self.proxy.access_log, self.proxy.error_log]
        return {str(f): f.read_text(encoding="utf-8", errors="replace") for f in files if f.exists()}

    def stop(self) -> None:
        for instance in self.instances:
            instance.stop()
        self.proxy.stop()

    def __exit__(self, *exc) -> None:
        self.stop()
