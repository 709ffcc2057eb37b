"""`kuaichu-server serve` as a real child process, for the tests that kill, restart or proxy it."""
from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.support.live_server import free_socket
from tests.support.waiting import wait_for_blocking


def free_port() -> int:
    with free_socket() as sock:
        return sock.getsockname()[1]


class ServeProcess:
    """One `kuaichu-server serve` on 127.0.0.1:``port`` with ``env`` (its KUAICHU_* settings), logging to ``log``."""

    def __init__(self, env: dict[str, str], port: int, log: Path, name: str = "the server") -> None:
        self.env, self.port, self.log, self.name = env, port, log, name
        self.upstream = f"127.0.0.1:{port}"
        self.url = f"http://{self.upstream}"
        self.proc: subprocess.Popen | None = None

    def spawn(self) -> None:
        exe = Path(sys.executable).with_name("kuaichu-server")
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([str(exe), "serve"], env=self.env, stdout=out, stderr=subprocess.STDOUT)

    def wait_up(self, timeout: float, ready=lambda status: status == 200, probe_timeout: float = 2.0) -> None:
        """Until /healthz answers with a status ``ready`` accepts; fails at once if the process exited."""
        def up() -> bool:
            assert self.proc.poll() is None, f"{self.name} exited: {self.log.read_text()[-2000:]}"
            try:
                return ready(httpx.get(self.url + "/healthz", timeout=probe_timeout).status_code)
            except httpx.HTTPError:
                return False

        wait_for_blocking(up, timeout=timeout)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self, timeout: float = 15.0) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
