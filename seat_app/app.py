"""Builds the seat: QApplication + qasync loop, settings, OCR, the call wiring, then the controller.

qasync on Python 3.11 starts with ``qasync.run(main())`` (PITFALLS.md). The app
does not quit when the last window closes: the main window's ``@asyncClose``
handler ends the call first (recording flushed, peer closed, server told) and
the controller's ``finished`` signal then ends ``main``.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from typing import Any

os.environ.setdefault("QT_API", "pyside6")

import qasync  # noqa: E402 - QT_API must be set first
from PySide6.QtWidgets import QApplication  # noqa: E402

from seat_app import paths  # noqa: E402
from seat_app import settings as settings_store  # noqa: E402
from seat_app.core.seat_settings import LANGUAGES, SeatSettings  # noqa: E402
from seat_app.services.ocr_port import DeferredOcr, FunctionOcr, NullOcr, OcrPort  # noqa: E402
from seat_app.ui import audio_io, i18n, theme  # noqa: E402
from seat_app.ui.main_thread_gc import MainThreadGarbageCollector  # noqa: E402
from seat_app.ui.seat_controller import SeatController  # noqa: E402

log = logging.getLogger("kuaichu.seat")


def load_ocr() -> OcrPort:
    """The local OCR engine, models loaded and warm (slow: call it in an executor); none if it cannot load."""
    try:
        from seat_app.services.ocr.seat_port import make_ocr

        return FunctionOcr(make_ocr().read)
    except Exception:  # noqa: BLE001 - a seat without OCR still captures; the operator types
        log.exception("OCR engine not available; fields must be typed")
        return NullOcr()


class CallWiring:
    """Makes CallEngines with the seat's audio devices; one peer registry for the whole app."""

    def __init__(self, settings: SeatSettings) -> None:
        from seat_app.services.call.peers import PeerRegistry

        self.settings = settings
        self.peers = PeerRegistry()
        self._audio: dict[str, Any] = {}

    def make_engine(self, case_id: str, ice_servers: list[dict], recording_dir: Any, upload: Any) -> Any:
        from seat_app.services.call.engine import CallEngine
        from seat_app.services.call.recorder import SegmentRecorder

        audio = self._open_audio()
        self._audio[case_id] = audio
        recorder = SegmentRecorder(recording_dir, upload, prefix=f"case-{case_id}") if recording_dir else None
        return CallEngine(case_id, ice_servers=ice_servers, audio_source=audio.source, audio_sink=audio.sink,
                          recorder=recorder, peers=self.peers)

    def audio(self, case_id: str) -> Any:
        return self._audio.get(case_id)

    def release(self, case_id: str) -> None:
        audio = self._audio.pop(case_id, None)
        if audio is not None:
            audio.close()

    def _open_audio(self) -> Any:
        from PySide6.QtCore import QCoreApplication

        translate = QCoreApplication.translate
        s = self.settings
        return audio_io.open_call_audio(s.audio_enabled, s.audio_input, s.audio_output,
                                        translate("audio", "没有可用的麦克风"), translate("audio", "没有可用的扬声器"))

    async def close(self) -> None:
        await self.peers.close_all()


def build_controller(settings: SeatSettings, ocr: OcrPort | None = None, wiring: CallWiring | None = None,
                     save_settings: bool = True) -> SeatController:
    return SeatController(settings, ocr=ocr, call_wiring=wiring, save_settings=save_settings,
                          recordings_dir=paths.recordings_dir())


async def run_seat(settings: SeatSettings) -> None:
    app = QApplication.instance()
    app.setQuitOnLastWindowClosed(False)
    collector = MainThreadGarbageCollector(parent=app)  # QObjects must never die in a worker thread
    wiring = CallWiring(settings)
    ocr = DeferredOcr()  # the login window shows at once; the models load meanwhile
    loading = asyncio.get_running_loop().run_in_executor(None, lambda: ocr.set(load_ocr()))
    controller = build_controller(settings, ocr, wiring)
    done = asyncio.Event()
    controller.finished.connect(done.set)
    controller.start()
    await done.wait()
    await wiring.close()
    await loading
    collector.stop()


def prepare_app(language: str) -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("kuaichu-seat")
    app.setOrganizationName("Kuaichu")
    i18n.install_translators(app, language)
    style_app(app)
    return app


def style_app(app: QApplication) -> None:
    """The bundled CJK font and the seat's style sheet (also used by the screenshot test)."""
    i18n.install_font(app)
    app.setStyleSheet(theme.APP_STYLE)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kuaichu-seat", description="快处坐席 / Kuaichu operator seat")
    parser.add_argument("--server", help="server URL for this run (the saved one otherwise)")
    parser.add_argument("--user", help="user name pre-filled at login")
    parser.add_argument("--lang", choices=LANGUAGES, help="interface language")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("KUAICHU_SEAT_LOG", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    settings = settings_store.load()
    overrides = {"server_url": args.server, "username": args.user, "language": args.lang}
    settings = settings.evolve(**{k: v for k, v in overrides.items() if v})
    prepare_app(settings.language)
    qasync.run(run_seat(settings))
    return 0
