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
import uuid
from contextlib import AbstractContextManager
from pathlib import Path

from tests.support.nginx import ROUTE_COOKIE, start_nginx
from tests.support.serve_process import ServeProcess, free_port

START_TIMEOUT_S = 45.0  # a cold start on a loaded CI machine


def broker_env(kind: str) -> dict[str, str]:
    """Settings for the signalling broker; Redis gets a channel of its own (pub/sub is shared on one Redis)."""
    if kind == "redis":
        return {"KUAICHU_SIGNALLING_BROKER": "redis", "KUAICHU_REDIS_URL": "redis://127.0.0.1:6379/0",
                "KUAICHU_REDIS_CHANNEL": f"kuaichu_test_{uuid.uuid4().hex}"}
    return {"KUAICHU_SIGNALLING_BROKER": kind}


class Cluster(AbstractContextManager):
    def __init__(self, db_url: str, settings_env: dict[str, str], workdir: Path, size: int = 2) -> None:
        ports = [free_port() for _ in range(size)]
        self.proxy = start_nginx([f"127.0.0.1:{p}" for p in ports], workdir / "nginx")
        base = {k: v for k, v in os.environ.items() if not k.startswith("KUAICHU_")}
        self.instances: list[ServeProcess] = []
        try:
            for i, port in enumerate(ports):
                env = base | {"KUAICHU_DATABASE_URL": db_url, "KUAICHU_DATA_DIR": str(workdir / "data"),
                              "KUAICHU_HOST": "127.0.0.1", "KUAICHU_PORT": str(port),
                              "KUAICHU_PUBLIC_BASE_URL": self.proxy.url, "KUAICHU_LOG_LEVEL": "info",
                              "KUAICHU_TRUSTED_PROXIES": json.dumps(["127.0.0.1"])} | settings_env
                self.instances.append(ServeProcess(env, port, workdir / f"server{i}.log", name="AB"[i] if i < 2 else str(i)))
            for instance in self.instances:  # all started before any is waited for
                instance.spawn()
            for instance in self.instances:
                instance.wait_up(START_TIMEOUT_S)
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
