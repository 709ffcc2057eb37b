"""The self-test from source: it fails clearly on a broken OCR model, an unreachable server and a
certificate the CA bundle does not vouch for, and passes against a server the bundle does vouch for."""
import json
import os
import shutil
import socket
import subprocess
import sys
from importlib import resources
from pathlib import Path

from seat_app.selftest import checks
from server.adapters.tls_cert import make_self_signed

REPO = Path(__file__).resolve().parents[2]


def server_check(url, verify):
    check = next(c for c in checks.CHECKS if c.name == "server")
    return checks.run_check(check, checks.SelfTestConfig(server_url=url, tls_verify=verify, timeout_s=3))


def test_a_certificate_the_ca_bundle_does_not_vouch_for_fails(tls_server, tmp_path):
    url, _ = tls_server
    other = make_self_signed(tmp_path / "other-ca", addresses=[])
    result = server_check(url, str(other.cert))
    assert result.status == checks.FAIL
    assert result.reason.startswith(f"TLS certificate of {url} not valid against the CA bundle {other.cert}")
    assert "certificate" in result.reason.split(": ", 1)[1]  # OpenSSL's own words: "self-signed certificate"


def test_the_right_ca_bundle_passes(tls_server):
    url, cert = tls_server
    result = server_check(url, str(cert))
    assert result.status == checks.PASS, result.reason
    assert f"TLS valid against the CA bundle {cert}" in result.reason


def test_an_unreachable_server_fails_with_the_address(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = server_check(f"https://127.0.0.1:{port}", True)
    assert result.status == checks.FAIL
    assert result.reason == f"cannot reach https://127.0.0.1:{port}: connection refused"


def test_the_command_exits_non_zero_and_says_why_when_the_server_is_down():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = subprocess.run([sys.executable, "-m", "seat_app", "--self-test", "--json", "--only", "server,ice",
                          "--server", f"http://127.0.0.1:{port}"], cwd=REPO, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "KUAICHU_SEAT_DEFAULTS": "/nonexistent/seat.json",
                                           "KUAICHU_SEAT_CONFIG": "/nonexistent/user.json"})
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    by_name = {c["name"]: c for c in report["checks"]}
    assert report["ok"] is False and by_name["server"]["status"] == "fail"
    assert "connection refused" in by_name["server"]["reason"]
    assert by_name["ice"]["status"] == "warn"  # none configured


def test_a_broken_ocr_model_file_fails_the_ocr_check(tmp_path):
    """A copy of rapidocr_onnxruntime whose detection model is cut short, first on the path."""
    package = Path(str(resources.files("rapidocr_onnxruntime")))
    copy = tmp_path / "site" / "rapidocr_onnxruntime"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    model = next((copy / "models").glob("*det*.onnx"))
    model.write_bytes(model.read_bytes()[:4096])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "site"), str(REPO)]),
           "KUAICHU_SEAT_DEFAULTS": "/nonexistent/seat.json", "KUAICHU_SEAT_CONFIG": "/nonexistent/user.json"}
    run = subprocess.run([sys.executable, "-m", "seat_app", "--self-test", "--only", "ocr"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=180, env=env)
    assert run.returncode == 1, run.stdout + run.stderr
    line = next(line for line in run.stdout.splitlines() if line.startswith("FAIL"))
    assert line.split()[1] == "ocr" and "OCR models do not load" in line
    assert run.stdout.rstrip().splitlines()[-1].startswith("FAILED: 0 passed, 0 warnings, 1 failed")


def test_the_report_is_one_line_per_check_with_status_and_duration():
    results = [checks.CheckResult("ocr", "t", checks.PASS, "read", 1.234),
               checks.CheckResult("server", "t", checks.FAIL, "cannot reach", 0.5)]
    text = checks.report_text(results, ["role: no credentials"], "0.1.0").splitlines()
    assert text[1:] == ["PASS  ocr       read  [1.23 s]", "FAIL  server    cannot reach  [0.50 s]",
                        "----  role: no credentials", "FAILED: 1 passed, 0 warnings, 1 failed, 1 not run"]
    assert checks.report_json(results, [], "0.1.0")["ok"] is False


def test_a_check_that_raises_is_a_fail_with_its_message():
    def boom(config):
        raise OSError("disk full")

    result = checks.run_check(checks.Check("x", "x", boom), checks.SelfTestConfig())
    assert (result.status, result.reason) == (checks.FAIL, "disk full")
