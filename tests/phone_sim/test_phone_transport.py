"""The phone simulator's HTTP side against a small local server: public report and photo upload."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from phone_sim.cli import build_parser, resolve_party
from phone_sim.transport import HttpPhotoUploader, parse_invite, phone_socket_url


class FakeServer(BaseHTTPRequestHandler):
    requests: list[tuple[str, bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        FakeServer.requests.append((self.path, body))
        replies = {"/api/phone/codes": {}, "/api/phone/report": {"party_token": "tok-42"},
                   "/api/phone/tok-42/photos": {"evidence_id": 7}}
        data = json.dumps(replies.get(self.path, {"error": "not found"})).encode()
        self.send_response(200 if self.path in replies else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    FakeServer.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_public_report_gets_a_party_token(server):
    args = build_parser().parse_args(["--report", "--server", server, "--phone", "13800000000", "--code", "123456"])
    assert resolve_party(args) == (server, "tok-42")
    path, body = FakeServer.requests[-1]
    assert path == "/api/phone/report"
    assert json.loads(body) == {"phone": "13800000000", "code": "123456", "consent": True}


async def test_photo_goes_up_as_multipart_file(server):
    result = await HttpPhotoUploader(server, "tok-42")(b"\xff\xd8jpeg-bytes", "photo-1.jpg")
    assert result == {"evidence_id": 7}
    path, body = FakeServer.requests[-1]
    assert path == "/api/phone/tok-42/photos"
    assert b'name="file"; filename="photo-1.jpg"' in body and b"jpeg-bytes" in body


def test_invitation_links_map_to_the_phone_socket():
    assert parse_invite("https://kc.example.cn/p/AbC123") == ("https://kc.example.cn", "AbC123")
    assert phone_socket_url("https://kc.example.cn", "AbC123") == "wss://kc.example.cn/ws/phone/AbC123"
    assert phone_socket_url("http://127.0.0.1:8000", "t") == "ws://127.0.0.1:8000/ws/phone/t"
    with pytest.raises(ValueError):
        parse_invite("https://kc.example.cn/cases/1")
