"""A TLS server for the self-test's server check, from source and from the bundle."""
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from server.adapters.tls_cert import make_self_signed
from tests.support.qasync_loop import qloop  # noqa: F401 - the self-test window runs on it


class Healthz(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = json.dumps({"ok": True, "version": "0.1.0"}).encode()
        self.send_response(200 if self.path == "/healthz" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def tls_server(tmp_path):
    """A server on 127.0.0.1 with a certificate from tls_cert.make_self_signed (what `make-cert` makes)."""
    files = make_self_signed(tmp_path / "server", addresses=[])
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(files.cert, files.key)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Healthz)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}", files.cert
    httpd.shutdown()
    httpd.server_close()
