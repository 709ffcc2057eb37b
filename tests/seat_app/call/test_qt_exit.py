"""Guard for the PySide6 6.12.0 exit crash after aiortc under qasync (PITFALLS.md)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("qasync_call_script.py")


def test_a_call_under_qasync_exits_cleanly():
    pytest.importorskip("PySide6")
    pytest.importorskip("qasync")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_API": "pyside6"}
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=120,
                            env=env, cwd=Path(__file__).resolve().parents[3])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "under qasync" in result.stdout
