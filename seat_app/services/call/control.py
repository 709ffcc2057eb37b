"""The data channel "control": commands with awaitable replies, and events.

Both ends of a call speak it (the seat engine and the phone simulator), so it
lives in one place. Wire shapes (kuaichu_protocol.Command / PhoneEvent):

* command ``{"type": "cmd", "id", "name", "args"}``
* reply   ``{"type": "reply", "id", "ok": true, "result"}`` or ``{"ok": false, "error", "message"}``
* event   ``{"type": "event", "name", "data"}``

The peer is a phone on the open internet, so every inbound message is parsed
defensively: junk (not JSON, oversize, unknown command, wrong shape) gets an
error reply with ``id`` null or the offending id, and never raises into aiortc's
callbacks, which would tear down the data channel.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 16 * 1024

Handler = Callable[[dict], Awaitable[dict]]
EventCallback = Callable[[str, dict], None]
ErrorCallback = Callable[[str, str], None]


class CommandError(Exception):
    """The peer refused a command, or the call went away before it replied."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message


class CommandTimeout(CommandError):
    def __init__(self, name: str, timeout: float) -> None:
        super().__init__("timeout", f"{name} got no reply within {timeout:g} s")


class ProtocolError(Exception):
    def __init__(self, code: str, message: str = "", msg_id: Any = None) -> None:
        super().__init__(message or code)
        self.code = code
        self.msg_id = msg_id


def parse_message(raw: str | bytes, max_bytes: int = MAX_MESSAGE_BYTES) -> dict:
    """Decode one data-channel message or raise ProtocolError with a reply code."""
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > max_bytes:
        raise ProtocolError("too_large", f"{size} bytes > {max_bytes}")
    try:
        message = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError("bad_json", str(exc)[:120]) from None
    if not isinstance(message, dict):
        raise ProtocolError("bad_message", "not a JSON object")
    return message


def _valid_id(value: Any) -> bool:
    return isinstance(value, (int, str)) and not isinstance(value, bool)


class ControlChannel:
    """One end of the control protocol, re-attachable to a new RTCDataChannel after a reconnect."""

    def __init__(
        self,
        handlers: dict[str, Handler] | None = None,
        on_event: EventCallback | None = None,
        on_error: ErrorCallback | None = None,
        max_bytes: int = MAX_MESSAGE_BYTES,
    ) -> None:
        """``on_event(name, data)`` gets the peer's events; ``on_error(code, message)`` each rejected message."""
        self.handlers: dict[str, Handler] = dict(handlers or {})
        self.on_event = on_event
        self.on_error = on_error
        self.max_bytes = max_bytes
        self.errors_sent = 0
        self._channel = None
        self._opened = asyncio.Event()
        self._pending: dict[int, asyncio.Future] = {}
        self._ids = itertools.count(1)
        self._tasks: set[asyncio.Task] = set()

    # --- wiring -------------------------------------------------------------
    def attach(self, channel) -> None:
        """Use ``channel`` (an aiortc RTCDataChannel) from now on."""
        self.detach("interrupted")
        self._channel = channel
        channel.on("message", lambda raw: self._on_message(channel, raw))
        channel.on("close", lambda: self._on_channel_close(channel))
        if channel.readyState == "open":
            self._opened.set()
        else:
            channel.on("open", lambda: self._on_open(channel))

    def detach(self, reason: str = "interrupted") -> None:
        """Forget the current channel; commands still waiting fail with ``reason``."""
        self._channel = None
        self._opened.clear()
        for future in self._pending.values():
            if not future.done():
                future.set_exception(CommandError(reason, "the data channel went away"))
        self._pending.clear()

    async def close(self) -> None:
        self.detach("closed")
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    @property
    def is_open(self) -> bool:
        return self._opened.is_set()

    @property
    def channel(self):
        """The RTCDataChannel in use, or None."""
        return self._channel

    def _on_open(self, channel) -> None:
        if channel is self._channel:
            self._opened.set()

    def _on_channel_close(self, channel) -> None:
        if channel is self._channel:
            self.detach("interrupted")

    # --- outbound -----------------------------------------------------------
    async def command(self, name: str, args: dict | None = None, timeout: float = 5.0) -> dict:
        """Send a command and wait for its reply; raises CommandError / CommandTimeout."""
        try:
            async with asyncio.timeout(timeout):
                await self._opened.wait()
                return await self._send_command(name, args or {})
        except TimeoutError:
            raise CommandTimeout(name, timeout) from None

    async def _send_command(self, name: str, args: dict) -> dict:
        msg_id = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = future
        try:
            if not self.send({"type": "cmd", "id": msg_id, "name": name, "args": args}):
                raise CommandError("not_connected", "the data channel is not open")
            return await future
        finally:
            self._pending.pop(msg_id, None)

    def send_event(self, name: str, data: dict | None = None) -> bool:
        return self.send({"type": "event", "name": name, "data": data or {}})

    def send(self, message: dict) -> bool:
        return self.send_raw(json.dumps(message, ensure_ascii=False))

    def send_raw(self, raw: str | bytes) -> bool:
        """Send as-is (tests use this to play a misbehaving peer). False if there is no open channel."""
        channel = self._channel
        if channel is None or channel.readyState != "open":
            return False
        channel.send(raw)
        return True

    def _reply_error(self, msg_id: Any, code: str, message: str = "") -> None:
        self.errors_sent += 1
        log.warning("control: rejecting message id=%r: %s %s", msg_id, code, message)
        self.send({"type": "reply", "id": msg_id, "ok": False, "error": code, "message": message})
        if self.on_error is not None:
            self.on_error(code, message)

    # --- inbound ------------------------------------------------------------
    def _on_message(self, channel, raw: str | bytes) -> None:
        if channel is not self._channel:
            return
        try:
            self._dispatch(parse_message(raw, self.max_bytes))
        except ProtocolError as exc:
            self._reply_error(exc.msg_id, exc.code, str(exc))

    def _dispatch(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "cmd":
            self._start_handler(message)
        elif kind == "reply":
            self._resolve(message)
        elif kind == "event":
            self._deliver_event(message)
        else:
            raise ProtocolError("unknown_type", f"type {kind!r}", message.get("id"))

    def _start_handler(self, message: dict) -> None:
        msg_id, name, args = message.get("id"), message.get("name"), message.get("args", {})
        if not _valid_id(msg_id) or not isinstance(name, str) or not isinstance(args, dict):
            raise ProtocolError("bad_message", "cmd needs id, name and object args", msg_id)
        handler = self.handlers.get(name)
        if handler is None:
            raise ProtocolError("unknown_command", name, msg_id)
        task = asyncio.ensure_future(self._run_handler(msg_id, name, handler, args))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run_handler(self, msg_id: Any, name: str, handler: Handler, args: dict) -> None:
        try:
            result = await handler(args)
        except CommandError as exc:
            self._reply_error(msg_id, exc.code, exc.message)
        except Exception:
            log.exception("control: handler %s failed", name)
            self._reply_error(msg_id, "internal_error", name)
        else:
            self.send({"type": "reply", "id": msg_id, "ok": True, "result": result or {}})

    def _resolve(self, message: dict) -> None:
        future = self._pending.get(message.get("id")) if _valid_id(message.get("id")) else None
        if future is None or future.done():
            log.debug("control: reply for nothing pending: %r", message.get("id"))
            return
        if message.get("ok") is True:
            result = message.get("result")
            future.set_result(result if isinstance(result, dict) else {})
        else:
            future.set_exception(CommandError(str(message.get("error", "error")), str(message.get("message", ""))))

    def _deliver_event(self, message: dict) -> None:
        name, data = message.get("name"), message.get("data", {})
        if not isinstance(name, str) or not isinstance(data, dict):
            raise ProtocolError("bad_message", "event needs name and object data")
        if self.on_event is None:
            return
        try:
            self.on_event(name, data)
        except Exception:
            log.exception("control: event callback for %s failed", name)
