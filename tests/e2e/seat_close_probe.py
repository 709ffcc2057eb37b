"""Run by test_seat_close_exit.py in its own process: the real seat app, closed by the window manager mid-call.

It builds the app as ``kuaichu-seat`` does (qasync.run, setQuitOnLastWindowClosed(False),
CallWiring with the real CallEngine and recorder), logs in, answers the waiting case,
and once video flows asks the window to close the way a window manager does, from
the Qt event loop. The process must then end by itself with exit code 0.

    python tests/e2e/seat_close_probe.py SERVER_URL USER PASSWORD CASE_ID RECORDINGS_DIR
"""
from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_API", "pyside6")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import qasync  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from seat_app.app import CallWiring, build_shell, prepare_app  # noqa: E402
from seat_app.core.seat_settings import SeatSettings  # noqa: E402
from seat_app.services.ocr_port import NullOcr  # noqa: E402
from tests.support.waiting import wait_for  # noqa: E402


async def main(server: str, user: str, password: str, case_id: int, recordings: Path) -> None:
    QApplication.instance().setQuitOnLastWindowClosed(False)
    settings = SeatSettings(server_url=server, username=user, audio_enabled=False)
    wiring = CallWiring(settings)
    shell = build_shell(settings, NullOcr(), wiring, save_settings=False, recordings_dir=recordings)
    done = asyncio.Event()
    shell.finished.connect(done.set)
    shell.start()
    await shell.login(server, user, password)
    operator = shell.workspace("operator")
    await wait_for(lambda: any(i.case_id == case_id for i in operator.page.queue.items), timeout=30)
    await operator.answer(case_id)
    # A few decoded frames are enough: the abort at exit followed any received media, and on a
    # loaded two-core CI machine thirty frames within 30 s was once not reached.
    await wait_for(lambda: operator.case is not None, timeout=30)
    try:
        await wait_for(lambda: operator.page.video.frames_shown >= 5, timeout=60)
    except AssertionError:
        print(f"probe: only {operator.page.video.frames_shown} frames shown", flush=True)
        raise
    QTimer.singleShot(0, shell.window.close)  # as the window manager does: from the event loop
    await done.wait()
    await wiring.close()
    print("probe: closed cleanly", flush=True)


if __name__ == "__main__":
    prepare_app("zh_CN")
    server, user, password, case_id, recordings = sys.argv[1:6]
    qasync.run(main(server, user, password, int(case_id), Path(recordings)))
