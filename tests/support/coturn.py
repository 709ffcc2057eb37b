"""A real coturn (Debian's ``turnserver``) on loopback, for tests and benches that relay media through TURN.

The server hands out static ICE servers (the ``ice_servers`` setting), so the test server uses
static long-term credentials (``lt-cred-mech`` with one user), as docs/deployment.md's production
config does. Its own ports, user database and pid file live in a temporary directory, so a system
coturn started by the Debian package (port 3478) is neither used nor disturbed.

    with Coturn.start(tmp_path) as turn:
        turn.ice_servers   # [{"urls": "turn:127.0.0.1:PORT?transport=udp", "username": ..., "credential": ...}]
        turn.allocations() # successful TURN allocations so far, read from coturn's own log
"""
from __future__ import annotations

import os
import random
import shutil
import socket
import struct
import subprocess
import threading
import time
from contextlib import AbstractContextManager
from pathlib import Path

TURNSERVER = "turnserver"
USERNAME, PASSWORD, REALM = "kuaichu", "turn test secret", "kuaichu.test"
STARTUP_TIMEOUT_S = 15.0
RELAY_PORTS = 200  # each allocation takes one relay port (RTP and RTCP share it: the call is bundled)
ALLOCATED = "ALLOCATE processed, success"


def free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (coturn listens on both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise RuntimeError("no free UDP+TCP port on 127.0.0.1")


def free_relay_range(count: int = RELAY_PORTS) -> tuple[int, int]:
    """A run of ``count`` UDP ports nobody holds now, above the kernel's ephemeral range's usual start."""
    for _ in range(50):
        low = random.randrange(20000, 32000 - count)
        try:
            held = []
            for port in (low, low + count // 2, low + count - 1):  # a sample: coturn skips any it cannot bind
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                held.append(s)
                s.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for s in held:
                s.close()
        return low, low + count - 1
    raise RuntimeError("no free relay port range on 127.0.0.1")


def stun_binding_answered(port: int, timeout: float = 0.5) -> bool:
    """Send one STUN Binding request over UDP; True when a Binding success response comes back."""
    transaction = os.urandom(12)
    request = struct.pack("!HHI", 0x0001, 0, 0x2112A442) + transaction
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(request, ("127.0.0.1", port))
            data, _ = s.recvfrom(2048)
        except OSError:  # timeout, or ICMP port unreachable before the listener is up
            return False
    return len(data) >= 20 and struct.unpack("!H", data[:2])[0] == 0x0101 and data[8:20] == transaction


class Coturn(AbstractContextManager):
    def __init__(self, directory: Path, port: int, relay: tuple[int, int]) -> None:
        self.directory, self.port, self.relay_ports = directory, port, relay
        self.lines: list[str] = []
        self._lock = threading.Lock()
        self.args = [
            TURNSERVER, "-n",  # no turnserver.conf: every option is here
            "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", f"--listening-port={port}",
            f"--min-port={relay[0]}", f"--max-port={relay[1]}",
            "--lt-cred-mech", f"--user={USERNAME}:{PASSWORD}", f"--realm={REALM}", "--fingerprint",
            f"--userdb={directory / 'turndb'}", f"--pidfile={directory / 'turnserver.pid'}",
            "--no-tls", "--no-dtls", "--no-cli", "--no-multicast-peers",
            "--allow-loopback-peers",  # both peers are on 127.0.0.1 here; never in production
            "--log-file=stdout", "--simple-log", "--verbose",
        ]
        self.process: subprocess.Popen | None = None
        self._reader: threading.Thread | None = None

    @classmethod
    def start(cls, directory: Path) -> Coturn:
        if shutil.which(TURNSERVER) is None:
            raise RuntimeError("turnserver is missing: apt-get install coturn (scripts/install.sh does)")
        directory.mkdir(parents=True, exist_ok=True)
        last: Exception | None = None
        for _ in range(3):  # a port taken between choosing it and coturn binding it: choose again
            turn = cls(directory, free_port(), free_relay_range())
            try:
                turn._run()
                return turn
            except RuntimeError as exc:
                last = exc
                turn.stop()
        raise RuntimeError(f"coturn did not start: {last}")

    def _run(self) -> None:
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, text=True, errors="replace")
        self._reader = threading.Thread(target=self._read, name="coturn-log", daemon=True)
        self._reader.start()
        end = time.monotonic() + STARTUP_TIMEOUT_S
        while not stun_binding_answered(self.port):
            if self.process.poll() is not None:
                raise RuntimeError(f"turnserver exited with {self.process.returncode}: {self.log_tail()}")
            if time.monotonic() > end:
                raise RuntimeError(f"no STUN answer on 127.0.0.1:{self.port} within {STARTUP_TIMEOUT_S} s")
            time.sleep(0.05)

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    @property
    def url(self) -> str:
        return f"turn:127.0.0.1:{self.port}?transport=udp"

    @property
    def ice_servers(self) -> list[dict]:
        """As the server's ``ice_servers`` setting hands them out (and seat.json's self-test reads them)."""
        return [{"urls": self.url, "username": USERNAME, "credential": PASSWORD}]

    def log(self) -> list[str]:
        with self._lock:
            return list(self.lines)

    def log_tail(self, n: int = 30) -> str:
        return "\n".join(self.log()[-n:])

    def allocations(self) -> int:
        """Successful TURN allocations so far (coturn logs one line per ALLOCATE it grants)."""
        return sum(ALLOCATED in line for line in self.log())

    def wait_for_allocations(self, count: int, timeout: float = 10.0) -> int:
        """The allocation count once it reaches ``count`` (coturn's log arrives a moment after its answer),
        or what it is after ``timeout`` seconds."""
        end = time.monotonic() + timeout
        while (seen := self.allocations()) < count and time.monotonic() < end:
            time.sleep(0.02)
        return seen

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self._reader is not None:
            self._reader.join(timeout=5)

    def __exit__(self, *exc) -> None:
        self.stop()
