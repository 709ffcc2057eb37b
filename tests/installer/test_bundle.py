"""The seat bundle IT installs: built once per session with build_installer.spec, copied away from the
checkout, and started with a clean environment (no virtual environment on PATH, no PYTHONPATH), as on
a desk without Python. Its self-test must pass there; what must stay out of it, stays out."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from server.adapters.tls_cert import make_self_signed

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT_S = 1800


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, pytestconfig):
    """dist/kuaichu-seat/ built by scripts/build_seat_bundle.sh, then moved to another directory."""
    work = tmp_path_factory.mktemp("seat-build")
    started = time.monotonic()
    build = subprocess.run(["bash", str(REPO / "scripts" / "build_seat_bundle.sh"), str(work / "dist"), str(work / "build")],
                           cwd=REPO, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S,
                           env={**os.environ, "PYTHON": sys.executable})
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():  # the size and build time belong in the test run's log
        print(f"\n{build.stdout}(built in {time.monotonic() - started:.0f} s)", flush=True)
    moved = tmp_path_factory.mktemp("installed") / "Kuaichu"
    shutil.copytree(work / "dist" / "kuaichu-seat", moved, symlinks=True)
    shutil.rmtree(work)  # nothing of the build is left to lean on
    return moved


def run_bundled(bundle: Path, home: Path, *args: str, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    home.mkdir(parents=True, exist_ok=True)
    env = ["env", "-i", "PATH=/usr/bin:/bin", "QT_QPA_PLATFORM=offscreen", f"HOME={home}",
           f"KUAICHU_SEAT_DEFAULTS={home / 'site' / 'seat.json'}",  # not /etc/kuaichu of the machine
           *(f"{k}={v}" for k, v in (extra_env or {}).items())]
    return subprocess.run([*env, str(bundle / "kuaichu-seat"), "--self-test", "--json", *args], cwd=home,
                          capture_output=True, text=True, timeout=300)


def test_the_bundled_self_test_passes_in_a_clean_environment(bundle, tmp_path):
    run = run_bundled(bundle, tmp_path / "home")
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    report = json.loads(run.stdout)
    status = {c["name"]: c["status"] for c in report["checks"]}
    assert report["ok"] is True and report["version"] != "unknown"
    assert {name: status[name] for name in ("settings", "ocr", "loopback", "recording")} == dict.fromkeys(
        ("settings", "ocr", "loopback", "recording"), "pass"), report
    assert status["devices"] in ("pass", "warn")  # this machine has no sound card: a warning, never a fail
    assert "No QtMultimedia backends found" not in run.stderr  # the FFmpeg plugin loads
    ocr = next(c for c in report["checks"] if c["name"] == "ocr")
    assert "川A5F7K2" in ocr["reason"] and "王建国" in ocr["reason"]


def test_the_bundle_checks_a_server_against_the_it_ca_bundle(bundle, tmp_path, tls_server):
    url, cert = tls_server
    home = tmp_path / "home"
    (home / "site").mkdir(parents=True)
    shutil.copy(cert, home / "site" / "city-ca.pem")
    (home / "site" / "seat.json").write_text(json.dumps({"server_url": url, "ca_bundle": "city-ca.pem"}))
    run = run_bundled(bundle, home, "--only", "settings,server")
    report = json.loads(run.stdout)
    assert run.returncode == 0 and report["ok"], report
    server = next(c for c in report["checks"] if c["name"] == "server")
    assert server["reason"].endswith(f"TLS valid against the CA bundle {home / 'site' / 'city-ca.pem'}")

    other = make_self_signed(tmp_path / "other", addresses=[])
    shutil.copy(other.cert, home / "site" / "city-ca.pem")
    run = run_bundled(bundle, home, "--only", "server")
    assert run.returncode == 1 and "not valid against the CA bundle" in json.loads(run.stdout)["checks"][0]["reason"]


def test_a_bad_site_file_is_a_warning_naming_it_and_an_unreachable_server_a_fail(bundle, tmp_path):
    home = tmp_path / "home"
    (home / "site").mkdir(parents=True)
    (home / "site" / "seat.json").write_text('{"language": "fr"}')
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = run_bundled(bundle, home, "--only", "settings,server", "--server", f"https://127.0.0.1:{port}")
    report = json.loads(run.stdout)
    by_name = {c["name"]: c for c in report["checks"]}
    assert run.returncode == 1
    assert by_name["settings"]["status"] == "warn"
    assert by_name["settings"]["reason"].startswith(f"{home / 'site' / 'seat.json'}: language: 'fr' is not one of")
    assert by_name["server"]["reason"] == f"cannot reach https://127.0.0.1:{port}: connection refused"


def test_the_server_tests_simulator_and_artwork_stay_out(bundle):
    internal = bundle / "_internal"
    for name in ("server", "tests", "phone_sim", "kuaichu_artwork", "fastapi", "sqlalchemy", "reportlab"):
        assert not (internal / name).exists(), name
    assert list((internal / "rapidocr_onnxruntime" / "models").glob("*.onnx"))
    assert (internal / "seat_app" / "resources" / "samples" / "licence.png").is_file()
    assert (internal / "seat_app" / "resources" / "seat.example.json").is_file()
    translations = {p.name for p in (internal / "PySide6" / "Qt" / "translations").glob("*.qm")}
    assert translations == {"qtbase_zh_CN.qm"}
