"""The ``qloop`` fixture: a qasync loop that Qt's event processing drives, on pytest-qt's one QApplication.

The loop is created "already running" on the shared QApplication, so
``qtbot.waitUntil`` (which processes Qt events) also runs asyncio callbacks,
timers and socket notifiers: async slots, executors and websockets all make
progress while a test waits on a condition. Import it into a conftest:
``from tests.support.qasync_loop import qloop  # noqa: F401``.
"""
from __future__ import annotations

import asyncio
import gc

import pytest
import qasync
from PySide6.QtWidgets import QApplication


@pytest.fixture
def qloop(qapp):
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    deadline = loop.time() + 5
    while any(not t.done() for t in pending) and loop.time() < deadline:
        QApplication.processEvents()
    loop._QEventLoop__is_running = False  # never started by run_forever, so stop() would quit Qt itself
    asyncio.events._set_running_loop(None)
    loop.close()
    asyncio.set_event_loop(None)
    _kill_loop_timers(loop)
    gc.collect()  # on this (the Qt) thread: see seat_app/ui/main_thread_gc.py


def _kill_loop_timers(loop: qasync.QEventLoop) -> None:
    """qasync's close() leaves its call_later timers registered with Qt; a closed loop must not keep any.

    Otherwise they fire into a loop that is gone, and if the loop's timer object is freed away from
    the Qt thread, Qt activates a timer of a deleted object (a segfault seen in CI).
    """
    timer = loop._timer
    callbacks = timer._SimpleTimer__callbacks
    for timer_id in list(callbacks):
        timer.killTimer(timer_id)
    callbacks.clear()
