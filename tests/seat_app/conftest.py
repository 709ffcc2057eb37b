"""Seat tests share pytest-qt's QApplication and run their coroutines on a qasync loop (``qloop``)."""
from tests.support.qasync_loop import qloop  # noqa: F401
