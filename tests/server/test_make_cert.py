"""`kuaichu-server make-cert`: a self-signed certificate that names this machine, and that the server can serve."""
from __future__ import annotations

import ipaddress
import ssl
import stat

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from server.cli import main
from tests.support.live_server import LiveServer, sqlite_settings


def test_make_cert_writes_a_certificate_for_localhost_and_the_lan(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KUAICHU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KUAICHU_CONFIG_FILE", raising=False)
    assert main(["make-cert", "--name", "kuaichu.demo"]) == 0
    out = capsys.readouterr().out
    tls = (tmp_path / "data" / "tls").resolve()
    assert f"KUAICHU_TLS_CERT_FILE={tls / 'kuaichu-cert.pem'}" in out
    assert f"KUAICHU_TLS_KEY_FILE={tls / 'kuaichu-key.pem'}" in out
    cert = x509.load_pem_x509_certificate((tls / "kuaichu-cert.pem").read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {"localhost", "kuaichu.demo"} <= set(san.get_values_for_type(x509.DNSName))
    assert ipaddress.ip_address("127.0.0.1") in san.get_values_for_type(x509.IPAddress)
    key = serialization.load_pem_private_key((tls / "kuaichu-key.pem").read_bytes(), password=None)
    assert key.public_key().public_numbers() == cert.public_key().public_numbers()
    assert stat.S_IMODE((tls / "kuaichu-key.pem").stat().st_mode) == 0o600
    assert main(["make-cert"]) == 1  # an existing certificate is kept unless --force
    assert "--force" in capsys.readouterr().err
    assert main(["make-cert", "--force"]) == 0


def test_the_server_serves_https_with_it(tmp_path, sqlite_template, monkeypatch):
    monkeypatch.setenv("KUAICHU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KUAICHU_CONFIG_FILE", raising=False)
    assert main(["make-cert"]) == 0
    tls = tmp_path / "data" / "tls"
    kwargs = sqlite_settings(tmp_path, sqlite_template) | {
        "tls_cert_file": tls / "kuaichu-cert.pem", "tls_key_file": tls / "kuaichu-key.pem"}
    with LiveServer.start(kwargs) as server:
        trust = ssl.create_default_context(cafile=str(tls / "kuaichu-cert.pem"))
        r = httpx.get(server.url + "/p/any-token", verify=trust, timeout=10)
        assert server.url.startswith("https://") and r.status_code == 200 and "继续处理" in r.text
