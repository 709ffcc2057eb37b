"""The seat bundle IT installs: built once per session with build_installer.spec, copied away from the
checkout, and started with a clean environment (no virtual environment on PATH, no PYTHONPATH), as on
a desk without Python. Its self-test must pass there; what must stay out of it, stays out."""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from server.adapters.tls_cert import make_self_signed
from tests.support.live_server import LiveServer, sqlite_settings

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT_S = 1800
GUI_LOGIN_TIMEOUT_S = 120  # about 5 s here; a loaded CI machine is 2-3x slower
GUI_RUNS_ON_S = 3  # after the login, the seat keeps running with every workspace mounted


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


def clean_env(home: Path, extra_env: dict | None = None) -> list[str]:
    home.mkdir(parents=True, exist_ok=True)
    return ["env", "-i", "PATH=/usr/bin:/bin", "QT_QPA_PLATFORM=offscreen", f"HOME={home}",
            f"KUAICHU_SEAT_DEFAULTS={home / 'site' / 'seat.json'}",  # not /etc/kuaichu of the machine
            *(f"{k}={v}" for k, v in (extra_env or {}).items())]


def run_bundled(bundle: Path, home: Path, *args: str, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*clean_env(home, extra_env), str(bundle / "kuaichu-seat"), "--self-test", "--json", *args],
                          cwd=home, capture_output=True, text=True, timeout=300)


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


def test_the_bundle_is_under_450_mb_with_one_ffmpeg_and_no_dangling_link(bundle):
    """Issue 17's target, measured as `du` does without following links. OpenCV's FFmpeg and OpenBLAS names are
    links (to PyAV's FFmpeg, to the reference LAPACK): when a dependency update breaks the match, the spec keeps
    OpenCV's own copies and says so in a NOTE, and this is where it shows."""
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    size_mb = sum(p.stat().st_blocks * 512 for p in files) / 2**20  # as `du -sm` counts, the figure the build prints
    largest = sorted(files, key=lambda p: p.stat().st_size, reverse=True)[:8]
    assert size_mb < 450, f"{size_mb:.0f} MB; largest: " + ", ".join(
        f"{p.relative_to(bundle)} {p.stat().st_size / 2**20:.0f} MB" for p in largest)
    dangling = [str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_symlink() and not p.exists()]
    assert dangling == []
    opencv_libs = bundle / "_internal" / "opencv_python_headless.libs"
    for library in opencv_libs.glob("lib*"):
        if re.match(r"lib(avcodec|avformat|avutil|swscale|swresample|openblas)", library.name):
            assert library.is_symlink(), library.name
            assert library.resolve().parent.name in ("av.libs", "_internal"), library.resolve()


def test_the_bundled_seat_shows_its_login_and_mounts_every_workspace(bundle, tmp_path, sqlite_template):
    """The GUI itself, not only the self-test: the bundled binary opens its login window offscreen, logs in
    (the demo's --user with $KUAICHU_SEAT_PASSWORD) to a real server as an admin, mounts the operator,
    liability and dashboard workspaces (multimedia, charts, PDF), and keeps running without an import error."""
    from seat_app.ui.workspaces import workspaces_for

    home = tmp_path / "home"
    log = tmp_path / "seat.log"
    with LiveServer.start(sqlite_settings(tmp_path, sqlite_template)) as server:
        server.create_user("admin1", "bundle-pass-1", "admin")
        with log.open("w") as out:
            seat = subprocess.Popen(
                [*clean_env(home, {"KUAICHU_SEAT_PASSWORD": "bundle-pass-1"}), str(bundle / "kuaichu-seat"),
                 "--server", server.url, "--user", "admin1"], cwd=home, stdout=out, stderr=subprocess.STDOUT)
            try:
                end = time.monotonic() + GUI_LOGIN_TIMEOUT_S
                while "logged in as admin1" not in log.read_text() and seat.poll() is None and time.monotonic() < end:
                    time.sleep(0.2)
                logged_in = re.search(r"logged in as admin1 \(admin\): (.*)", log.read_text())
                assert logged_in, f"exit {seat.poll()}: " + log.read_text()[-3000:]
                time.sleep(GUI_RUNS_ON_S)
                assert seat.poll() is None, log.read_text()[-3000:]  # still running
            finally:
                seat.terminate()
                try:
                    seat.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    seat.kill()
                    seat.wait(timeout=30)
    output = log.read_text()
    assert logged_in.group(1).split(", ") == list(workspaces_for("admin"))
    for problem in ("Traceback", "Error:", "OCR engine not available", "translation file not loaded",
                    "No QtMultimedia backends found", "Could not load the Qt platform plugin"):
        assert problem not in output, output[-3000:]
