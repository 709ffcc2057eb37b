"""A non-editable install runs: the wheel carries the rules, the registry, the pages and the font.

The wheel is built once from a copy of the source (so the working tree gets no build/ or
egg-info), installed with ``--no-deps`` into a fresh virtual environment in a temporary
directory, and only the dependencies come from the test's own environment, through a .pth
line, so the test needs no network. Every command runs from the temporary directory without
PYTHONPATH, and the first test checks that kuaichu itself is imported from the new
environment, not from the checkout.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import urllib.request
from pathlib import Path

import pytest

from tests.support.waiting import wait_for_blocking

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("server", "seat_app", "kuaichu_protocol", "phone_sim", "kuaichu_artwork", "pyproject.toml", "README.md")
SERVE_TIMEOUT_S = 30.0


def copy_source(target: Path) -> Path:
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name, ignore=skip)
        else:
            shutil.copy(ROOT / name, target / name)
    return target


def run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = copy_source(tmp_path_factory.mktemp("source"))
    out = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", out, source)
    return next(out.glob("kuaichu-*.whl"))


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    """A fresh environment with the wheel installed; the dependencies are this environment's."""
    home = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", "--without-pip", home)
    python = home / "bin" / "python"
    purelib = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (purelib / "kuaichu-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel)
    return home


def env_for(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUAICHU_") and k != "PYTHONPATH"}
    return {**env, "KUAICHU_DATA_DIR": str(data_dir), **extra}


def test_kuaichu_is_imported_from_the_new_environment(venv, tmp_path):
    code = "import server, seat_app, kuaichu_protocol; print(server.__file__, seat_app.__file__, kuaichu_protocol.__file__)"
    files = run(venv / "bin" / "python", "-c", code, cwd=tmp_path, env=env_for(tmp_path)).stdout.split()
    assert len(files) == 3
    assert all(Path(f).is_relative_to(venv) for f in files), files


def test_the_server_seeds_the_demo_and_serves(venv, tmp_path):
    env = env_for(tmp_path / "data")
    seeded = run(venv / "bin" / "kuaichu-server", "seed-demo", cwd=tmp_path, env=env)
    assert "operator1" in seeded.stdout
    port = free_port()
    server = subprocess.Popen([str(venv / "bin" / "kuaichu-server"), "serve"], cwd=tmp_path,
                              env={**env, "KUAICHU_PORT": str(port)}, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        health = wait_for_answer(f"http://127.0.0.1:{port}/healthz", server)
        assert json.loads(health) == {"ok": True, "version": "0.1.0"}
        page = fetch(f"http://127.0.0.1:{port}/")  # a template of server/web, found as package data
        assert "<html" in page.lower()
    finally:
        server.terminate()
        server.wait(timeout=15)


def test_the_ocr_reads_the_bundled_sample_plate(venv, tmp_path):
    env = env_for(tmp_path)
    sample = run(venv / "bin" / "python", "-c", "from seat_app import paths; print(paths.sample_plate())",
                 cwd=tmp_path, env=env).stdout.strip()
    assert Path(sample).is_relative_to(venv)
    result = run(venv / "bin" / "kuaichu-ocr", "--json", sample, cwd=tmp_path, env=env)
    plates = json.loads(result.stdout)["plates"]
    assert [(p["text"], p["colour"], p["valid"]) for p in plates] == [("川A5F7K2", "blue", True)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for_answer(url: str, server: subprocess.Popen) -> str:
    answers: list[str] = []

    def answered() -> bool:
        assert server.poll() is None, f"kuaichu-server serve exited: {server.stdout.read()}"
        try:
            answers.append(fetch(url))
        except OSError:
            return False
        return True

    wait_for_blocking(answered, timeout=SERVE_TIMEOUT_S)
    return answers[-1]
