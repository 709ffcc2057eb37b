"""README command 1, run for real: scripts/demo.sh (without its install step) brings up the server on
SQLite, a simulated phone in the queue and the seat app (offscreen) logged in by itself as operator1,
whose queue shows the call; scripts/demo_call.sh then puts a second caller in that queue. Everything
the demo started is stopped through its process group."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
from pathlib import Path

import pytest
import requests

from tests.support.waiting import wait_for_blocking

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(90)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_demo_reaches_a_logged_in_seat_whose_queue_shows_the_call(tmp_path: Path) -> None:
    data, port, https_port = tmp_path / "demo", _free_port(), _free_port()
    env = {**os.environ, "KUAICHU_DEMO_SKIP_INSTALL": "1", "KUAICHU_DEMO_SEAT": "1", "QT_QPA_PLATFORM": "offscreen",
           "KUAICHU_DATA_DIR": str(data), "KUAICHU_PORT": str(port), "KUAICHU_DEMO_HTTPS_PORT": str(https_port),
           "HOME": str(tmp_path)}
    env.pop("KUAICHU_SEAT_PASSWORD", None)
    out = tmp_path / "demo.out"
    with out.open("wb") as sink:
        demo = subprocess.Popen(["scripts/demo.sh"], cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        wait_for_blocking(lambda: "Press Ctrl-C" in _text(out) or demo.poll() is not None, timeout=60)
        printed = _text(out)
        assert demo.poll() is None, printed
        assert "simulated phone in queue" in printed
        for login in ("operator1", "officer1", "supervisor1", "admin", "kuaichu-demo"):
            assert login in printed
        assert f"port {port}" in printed and "sms-handsets" in printed and "three_vehicles" in printed
        assert re.search(r"the waiting caller's link \(the simulated phone holds it\): https?://\S+/p/[\w-]{16,}",
                         printed), printed  # the driver's link, no longer only in phone-sim.log
        if "A real phone on the same network: open https://" in printed:  # a machine with a LAN address
            assert "iOS" in printed and "Android" in printed and "█" in printed  # the QR code
            # the HTTPS front answers with make-cert's certificate, which names 127.0.0.1 as well as the LAN address
            health = requests.get(f"https://127.0.0.1:{https_port}/healthz", timeout=10,
                                  verify=str(data / "tls" / "kuaichu-cert.pem"))
            assert health.json()["ok"] is True
        seat_log = data / "seat.log"
        wait_for_blocking(lambda: "queue shows 1 call(s)" in _text(seat_log), timeout=30)
        assert "logged in as operator1 (operator)" in _text(seat_log)

        second = subprocess.Popen(["scripts/demo_call.sh", "uninsured"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_for_blocking(lambda: "queue shows 2 call(s)" in _text(seat_log), timeout=30)
        finally:
            _stop(second)
    finally:
        _stop(demo)
    wait_for_blocking(lambda: not _group_alive(demo.pid), timeout=10)
