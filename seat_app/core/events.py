"""A minimal publish/subscribe hub so services can announce things without knowing about Qt.

Services own an :class:`Emitter`; the UI's Qt adapters subscribe and re-emit each
event as a Qt signal on the GUI thread. Listeners are called synchronously on
the thread that emits (the asyncio loop thread in the app), and one failing
listener never stops the others.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Listener = Callable[..., None]


class Emitter:
    def __init__(self) -> None:
        self._listeners: dict[str, list[Listener]] = defaultdict(list)

    def on(self, name: str, listener: Listener) -> Callable[[], None]:
        """Subscribe; returns a function that unsubscribes."""
        self._listeners[name].append(listener)
        return lambda: self._listeners[name].remove(listener) if listener in self._listeners[name] else None

    def on_any(self, listener: Callable[[str, dict[str, Any]], None]) -> Callable[[], None]:
        """``listener(name, payload)`` for every event."""
        return self.on("*", listener)

    def emit(self, name: str, **payload: Any) -> None:
        for listener in list(self._listeners.get(name, ())):
            self._safe(listener, name, **payload)
        for listener in list(self._listeners.get("*", ())):
            self._safe(listener, name, name, payload)

    @staticmethod
    def _safe(listener: Listener, name: str, *args: Any, **kwargs: Any) -> None:
        try:
            listener(*args, **kwargs)
        except Exception:  # noqa: BLE001 - a broken listener must not break the emitter
            log.exception("listener for %r failed", name)
