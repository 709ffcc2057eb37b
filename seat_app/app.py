"""Builds the seat: QApplication + qasync loop, settings, OCR, the call wiring, the workspaces, the shell.

qasync on Python 3.11 starts with ``qasync.run(main())`` (PITFALLS.md). The app
does not quit when the last window closes: the main window's ``@asyncClose``
handler has every workspace stop first (a call: recording flushed, peer closed,
server told) and the shell's ``finished`` signal then ends ``main``.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_API", "pyside6")

import qasync  # noqa: E402 - QT_API must be set first
from PySide6.QtWidgets import QApplication  # noqa: E402

from seat_app import paths  # noqa: E402
from seat_app import settings as settings_store  # noqa: E402
from seat_app.core.seat_settings import LANGUAGES, SeatSettings  # noqa: E402
from seat_app.services.ocr_port import DeferredOcr, FunctionOcr, NullOcr, OcrPort  # noqa: E402
from seat_app.services.ports import CallEnginePort, SegmentUpload  # noqa: E402
from seat_app.ui import audio_io, i18n, theme  # noqa: E402
from seat_app.ui.main_thread_gc import MainThreadGarbageCollector  # noqa: E402
from seat_app.ui.shell_controller import ShellController  # noqa: E402
from seat_app.ui.workspaces.catalogue import Workspaces  # noqa: E402

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
    """Makes CallEngines with the seat's audio devices; one peer registry for the whole app.

    It is the operator workspace's ``CallWiring`` (seat_app/ui/workspaces/operator/wiring.py).
    """

    def __init__(self, settings: SeatSettings) -> None:
        from seat_app.services.call.peers import PeerRegistry

        self.settings = settings
        self.peers = PeerRegistry()
        self._audio: dict[str, audio_io.CallAudio] = {}

    def make_engine(self, case_id: str, ice_servers: list[dict[str, Any]], recording_dir: Path | None,
                    upload: SegmentUpload) -> CallEnginePort:
        from seat_app.services.call.engine import CallEngine
        from seat_app.services.call.recorder import SegmentRecorder

        audio = self._open_audio()
        self._audio[case_id] = audio
        recorder = SegmentRecorder(recording_dir, upload, prefix=f"case-{case_id}") if recording_dir else None
        return CallEngine(case_id, ice_servers=ice_servers, audio_source=audio.source, audio_sink=audio.sink,
                          recorder=recorder, peers=self.peers)

    def audio(self, case_id: str) -> audio_io.CallAudio | None:
        return self._audio.get(case_id)

    def release(self, case_id: str) -> None:
        audio = self._audio.pop(case_id, None)
        if audio is not None:
            audio.close()

    def _open_audio(self) -> audio_io.CallAudio:
        from PySide6.QtCore import QCoreApplication

        translate = QCoreApplication.translate
        s = self.settings
        return audio_io.open_call_audio(s.audio_enabled, s.audio_input, s.audio_output,
                                        translate("audio", "没有可用的麦克风"), translate("audio", "没有可用的扬声器"))

    async def close(self) -> None:
        await self.peers.close_all()


def build_shell(settings: SeatSettings, ocr: OcrPort | None = None, wiring: CallWiring | None = None,
                save_settings: bool = True, recordings_dir: Path | None = None) -> ShellController:
    """The shell with the real workspaces: what ``kuaichu-seat`` runs, and what the end-to-end tests drive."""
    workspaces = Workspaces(ocr=ocr, call_wiring=wiring,
                            recordings_dir=recordings_dir if recordings_dir is not None else paths.recordings_dir())
    return ShellController(settings, workspaces=workspaces, save_settings=save_settings)


async def run_seat(settings: SeatSettings, password: str = "") -> None:
    app = QApplication.instance()
    app.setQuitOnLastWindowClosed(False)
    collector = MainThreadGarbageCollector(parent=app)  # QObjects must never die in a worker thread
    wiring = CallWiring(settings)
    ocr = DeferredOcr()  # the login window shows at once; the models load meanwhile
    loading = asyncio.get_running_loop().run_in_executor(None, lambda: ocr.set(load_ocr()))
    shell = build_shell(settings, ocr, wiring)
    done = asyncio.Event()
    shell.finished.connect(done.set)
    shell.start(password)
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
    parser.add_argument("--user", help="user name pre-filled at login; with $KUAICHU_SEAT_PASSWORD it logs in at once")
    parser.add_argument("--lang", choices=LANGUAGES, help="interface language")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("KUAICHU_SEAT_LOG", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    settings = settings_store.load()
    if args.server and not settings.allow_server_change:
        log.warning("--server %s ignored: IT set allow_server_change to false (%s)", args.server, paths.it_defaults_file())
        args.server = None
    overrides = {"server_url": args.server, "username": args.user, "language": args.lang}
    settings = settings.evolve(**{k: v for k, v in overrides.items() if v})
    prepare_app(settings.language)
    # The password never goes on the command line (ps shows it); the demo and IT scripts pass it in the environment.
    password = os.environ.pop("KUAICHU_SEAT_PASSWORD", "") if args.user else ""
    qasync.run(run_seat(settings, password))
    return 0
