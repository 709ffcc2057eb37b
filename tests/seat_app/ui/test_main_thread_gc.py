"""Garbage cycles are freed on the Qt thread, never by whichever worker thread crosses a threshold."""
import gc
import weakref

from seat_app.ui.main_thread_gc import MainThreadGarbageCollector, collect_if_due


class Node:
    pass


def _cycle() -> weakref.ref:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_collector_turns_automatic_collection_off_and_collects_on_its_timer(qtbot, qapp):
    was_enabled = gc.isenabled()
    collector = MainThreadGarbageCollector(interval_ms=10)
    try:
        assert not gc.isenabled()
        ref = _cycle()
        keep = [Node() for _ in range(2000)]  # past the first threshold: a collection is due
        assert ref() is not None  # the interpreter no longer collects by itself...
        qtbot.waitUntil(lambda: ref() is None, timeout=5000)  # ...the Qt thread's timer does
        del keep
    finally:
        collector.stop()
        (gc.enable if was_enabled else gc.disable)()


def test_collect_if_due_waits_for_the_threshold():
    gc.collect()
    ref = _cycle()
    collect_if_due((10**9, 10, 10))
    assert ref() is not None
    collect_if_due((0, 10**9, 10**9))
    assert ref() is None
