"""The load bench itself works, at a tiny size, so that docs/reliability.md can always be regenerated.

bench/load/run.py starts a real `kuaichu-server serve` on SQLite and runs the Locust driver with
5 phones and 2 seats. No figure of time is asserted: only that calls were answered, the seats saw
the queue change, and nothing was lost or duplicated.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 240  # the driver is bounded by --max-run-s; start-up and a loaded CI machine get the rest

pytestmark = pytest.mark.slow


def test_five_phones_and_two_seats_lose_nothing(tmp_path):
    """5 phones and 2 seats through Locust on one SQLite server: calls answered, nothing lost or duplicated."""
    out = tmp_path / "load.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load" / "run.py"), "--config", "sqlite", "--phones", "5",
         "--seats", "2", "--join-rate", "5", "--max-run-s", "60", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text())["sqlite"]
    assert result["claims"] >= 1, result
    assert result["fan_out"]["samples"] > 0, result
    assert result["delivery"]["signals_sent"] >= 3 * result["claims"] - 3, result  # offer, answer, candidates
    assert result["delivery"]["seats_checked_at_end"] == 2, result
    assert result["lost"] == 0, result
    assert result["duplicated"] == 0, result
