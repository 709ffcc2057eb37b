"""Python's cyclic garbage collection, run on the Qt thread only.

The interpreter collects cycles in whichever thread crosses an allocation
threshold: an aiortc decoder thread, an OCR or upload executor. When that
garbage holds a QObject living in the Qt thread, its C++ destructor runs in the
wrong thread; Qt cannot stop the object's timers from there, and the next timer
activation touches freed memory (a segfault in ``QTimerInfoList::activateTimers``,
seen in CI). So automatic collection is switched off and a QTimer collects on
the Qt thread instead, with the interpreter's own thresholds.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


def collect_if_due(threshold: tuple[int, int, int]) -> None:
    """Collects the generations whose counts passed their thresholds, as the interpreter would."""
    count0, count1, count2 = gc.get_count()
    if count0 > threshold[0]:
        generation = 2 if count2 > threshold[2] else 1 if count1 > threshold[1] else 0
        gc.collect(generation)


class MainThreadGarbageCollector(QObject):
    def __init__(self, interval_ms: int = 500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(lambda: collect_if_due(self._threshold))
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Back to the interpreter's own collection (e.g. after the Qt loop has ended)."""
        self._timer.stop()
        gc.enable()
        gc.collect()
