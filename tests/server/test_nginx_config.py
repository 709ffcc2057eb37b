"""The nginx config that docs/deployment.md shows is the file the proxy tests run, and nginx accepts the
loopback form that tests/support/nginx.py makes of it."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.support.nginx import CONFIG, loopback_config, main_config, nginx_binary

DOC = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"


def test_the_deployment_doc_shows_the_config_file_as_it_is():
    blocks = re.findall(r"```nginx\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert blocks == [CONFIG.read_text(encoding="utf-8")]


def test_the_loopback_config_changes_only_upstreams_listen_tls_and_log(tmp_path):
    production = CONFIG.read_text(encoding="utf-8").splitlines()
    loopback = loopback_config(["127.0.0.1:9001", "127.0.0.1:9002"], 8443, tmp_path).splitlines()
    removed = [line.strip() for line in production if line not in loopback]
    added = [line.strip() for line in loopback if line not in production]
    assert [r.split()[0] for r in removed] == ["server", "server", "listen", "ssl_certificate",
                                               "ssl_certificate_key", "access_log"]
    assert added == ["server 127.0.0.1:9001 max_fails=1 fail_timeout=10s;",
                     "server 127.0.0.1:9002 max_fails=1 fail_timeout=10s;", "listen 127.0.0.1:8443;",
                     f"access_log {tmp_path / 'access.log'} kuaichu;"]


@pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (scripts/install.sh installs it)")
def test_nginx_accepts_the_loopback_config(tmp_path):
    (tmp_path / "site.conf").write_text(loopback_config(["127.0.0.1:9001"], 8443, tmp_path), encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(main_config(tmp_path), encoding="utf-8")
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "temp" / kind).mkdir(parents=True)
    check = subprocess.run([nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                            "-e", "stderr"], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
