"""A real HTTP server on 127.0.0.1 in a thread, playing the outside service an adapter talks to.

Each test sets ``server.reply`` to a function of the request returning (status, body);
a body that is bytes is sent as is, anything else as JSON. ``server.hold`` makes
the handler wait (on an event, released at teardown) so the client's timeout fires.
"""
from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

HOLD_LIMIT_SECONDS = 30  # a held handler gives up on its own if a test forgets to release it


@dataclass
class Request:
    method: str
    path: str  # percent-decoded
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class LocalHttpServer:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.reply: Callable[[Request], tuple[int, Any]] = lambda request: (200, {})
        self.hold = False
        self.released = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> LocalHttpServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.released.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        request = Request(handler.command, unquote(parts.path), parse_qs(parts.query),
                          dict(handler.headers.items()), handler.rfile.read(length))
        self.requests.append(request)
        if self.hold:
            self.released.wait(HOLD_LIMIT_SECONDS)
        status, body = self.reply(request)
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json; charset=utf-8")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server._handle(self)

            def do_POST(self) -> None:  # noqa: N802
                server._handle(self)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return Handler


def refused_url() -> str:
    """A loopback URL where nothing listens: a port the OS just handed out and took back."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def local_http() -> Iterator[LocalHttpServer]:
    with LocalHttpServer() as server:
        yield server
