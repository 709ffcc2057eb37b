"""Closing the seat window mid-call, in a real process: the call ends cleanly and the process exits 0.

PySide6 6.12.0 aborted at exit after aiortc had received media under qasync
(PITFALLS.md); and a window that simply went away would leave the case stuck in
a call. Here the real app runs in a subprocess against a live server and a
simulated phone: after the close the process must exit 0, the case must be handed
back (interrupted), and the recording must have been flushed and uploaded.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_seat_full_flow import PASSWORD, PhoneThread, live  # noqa: F401 - the fixture
from tests.support.hub import party_token

pytestmark = [pytest.mark.slow]

PROBE = Path(__file__).with_name("seat_close_probe.py")


def test_closing_mid_call_exits_cleanly_and_hands_the_case_back(live, tmp_path):  # noqa: F811
    case = live.ctx.cases.open_case("public", reporter_phone="13800138000")
    phone = PhoneThread(live.url, party_token(live.app, case.id)).start()
    try:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_API": "pyside6"}
        done = subprocess.run([sys.executable, str(PROBE), live.url, "operator1", PASSWORD, str(case.id),
                               str(tmp_path / "recordings")], env=env, capture_output=True, text=True, timeout=120)
    finally:
        phone.stop()
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert "probe: closed cleanly" in done.stdout
    assert live.ctx.cases.get(case.id).state == "interrupted"
    kinds = [e.kind for e in live.ctx.evidence.list(case.id)]
    assert "recording" in kinds
