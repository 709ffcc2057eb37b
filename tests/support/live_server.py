"""A real uvicorn server in a background thread, for tests that need a browser or a real network client.

``http://127.0.0.1`` is a secure context, so Chromium grants camera access without
TLS. The listening socket is bound before the app is built, so the app's
``public_base_url`` (used in SMS links) already carries the right port.

    with LiveServer.start(settings_for(tmp_path, db_url)) as server:
        server.url, server.ws_url, server.app
"""
from __future__ import annotations

import logging
import socket
import threading
import time
from contextlib import AbstractContextManager
from pathlib import Path

import uvicorn

from server.adapters import log_redaction
from server.adapters.db import unit_of_work
from server.api.ws import transport_max_size
from server.app import create_app
from server.services.auth import create_user
from server.settings import Settings

STARTUP_TIMEOUT_S = 15.0


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class LiveServer(AbstractContextManager):
    def __init__(self, settings: Settings, sock: socket.socket) -> None:
        self.settings = settings
        self.port = sock.getsockname()[1]
        tls = {}
        if settings.tls_cert_file and settings.tls_key_file:  # as `kuaichu-server serve` does
            tls = {"ssl_certfile": str(settings.tls_cert_file), "ssl_keyfile": str(settings.tls_key_file)}
        secure = "s" if tls else ""
        self.url = f"http{secure}://127.0.0.1:{self.port}"
        self.ws_url = f"ws{secure}://127.0.0.1:{self.port}"
        self.app = create_app(settings)
        self._record_factory = logging.getLogRecordFactory()  # put back on stop: other tests see plain records
        log_redaction.install()  # as `kuaichu-server serve` does: no token in any log line
        config = uvicorn.Config(self.app, log_level="warning", lifespan="on",
                                ws_max_size=transport_max_size(settings.ws_max_message_bytes), **tls)
        self._server = uvicorn.Server(config)
        self._sock = sock
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="live-server", daemon=True)

    @classmethod
    def start(cls, settings_kwargs: dict) -> LiveServer:
        """Binds a free port, builds the app with ``public_base_url`` on that port, and serves it."""
        sock = free_socket()
        port = sock.getsockname()[1]
        scheme = "https" if settings_kwargs.get("tls_cert_file") else "http"
        settings = Settings(public_base_url=f"{scheme}://127.0.0.1:{port}", **settings_kwargs)
        server = cls(settings, sock)
        server._thread.start()
        end = time.monotonic() + STARTUP_TIMEOUT_S
        while not server._server.started:
            if not server._thread.is_alive() or time.monotonic() > end:
                server.stop()
                raise RuntimeError("the live server did not start")
            time.sleep(0.02)
        return server

    @property
    def ctx(self):
        return self.app.state.ctx

    def create_user(self, username: str, password: str, role: str) -> None:
        with unit_of_work(self.ctx.session_factory) as s:
            create_user(s, username, password, role)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._sock.close()
        self.ctx.engine.dispose()
        logging.setLogRecordFactory(self._record_factory)

    def __exit__(self, *exc) -> None:
        self.stop()


def sqlite_settings(tmp_path: Path, template: Path) -> dict:
    """Settings kwargs for a fresh copy of the migrated SQLite template (the ``sqlite_template`` fixture)."""
    import shutil

    db = tmp_path / "live.db"
    shutil.copy(template, db)
    return {"data_dir": tmp_path / "data", "database_url": f"sqlite:///{db}"}
