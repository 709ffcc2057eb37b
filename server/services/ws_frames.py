"""Parsing inbound WebSocket frames from phones and seats, which are never trusted.

Each frame must be a JSON object no larger than ``ws_max_message_bytes`` with a
known ``type`` and fields of the right types (pydantic, strict: ``"39.9"`` is not
a latitude). Anything else raises FrameError, which the socket turns into an
``{type: "error", code, message}`` frame; the socket stays open.

Nesting is counted before ``json.loads`` sees the frame: ``[`` x 50000 would otherwise
raise RecursionError inside the parser, which is a bug report, not an answer.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kuaichu_protocol.messages import SAFETY_TICKS, PhoneEvent, PhoneMsg, SeatMsg
from server.domain.ids import MAX_ID

MAX_SDP_CHARS = 32_000
#: No frame of the protocol nests deeper than 3; event ``data`` gets some room.
MAX_JSON_DEPTH = 32


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class FrameError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message

    def frame(self) -> dict:
        return {"type": "error", "code": self.code, "message": self.message}


class _Frame(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class SessionDescription(_Frame):
    type: Literal["offer", "answer"]
    sdp: str = Field(max_length=MAX_SDP_CHARS)


class _Signal(_Frame):
    sdp: SessionDescription | None = None
    candidate: dict[str, Any] | None = None

    def payload(self) -> dict:
        if self.sdp is not None:
            return {"sdp": self.sdp.model_dump()}
        return {"candidate": self.candidate}


def _one_of_sdp_or_candidate(model: _Signal) -> _Signal:
    if (model.sdp is None) == (model.candidate is None):
        raise FrameError("invalid", "signal 需要 sdp 或 candidate 其中之一")
    return model


class Join(_Frame):
    consent: bool


class Location(_Frame):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    accuracy: float | None = Field(default=None, ge=0, le=1_000_000)


class Safety(_Frame):
    ticks: dict[str, bool]

    @field_validator("ticks")
    @classmethod
    def _known(cls, ticks: dict[str, bool]) -> dict[str, bool]:
        unknown = set(ticks) - set(SAFETY_TICKS)
        if unknown:
            raise ValueError(f"unknown ticks {sorted(unknown)}; known: {list(SAFETY_TICKS)}")
        return ticks


class PhoneSignal(_Signal):
    pass


class Event(_Frame):
    name: str
    data: dict[str, Any] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _known(cls, name: str) -> str:
        if name not in {e.value for e in PhoneEvent}:
            raise ValueError(f"unknown event {name[:40]!r}")
        return name


class Leave(_Frame):
    reason: str = Field(default="", max_length=200)


class SeatSignal(_Signal):
    case_id: int | str

    @field_validator("case_id")
    @classmethod
    def _int(cls, value: int | str) -> int:
        return _case_id(value)


class Hangup(_Frame):
    case_id: int | str
    reason: str = Field(default="", max_length=200)

    @field_validator("case_id")
    @classmethod
    def _int(cls, value: int | str) -> int:
        return _case_id(value)


def _case_id(value: int | str) -> int:
    if isinstance(value, str):
        if not value.isascii() or not value.isdigit() or len(value) > 19:
            raise ValueError("case_id 必须是整数")
        value = int(value)
    if not 1 <= value <= MAX_ID:
        raise ValueError(f"case_id 必须在 1 到 {MAX_ID} 之间")
    return value


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when brackets outside strings nest deeper than ``limit``; linear, no recursion."""
    if text.count("[") + text.count("{") <= limit:  # the common case: too few brackets to matter
        return False
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


class Auth(_Frame):
    token: str = Field(min_length=1, max_length=200)


class QueueResync(_Frame):
    """``{type: "queue_resync"}``: the seat lost track of its queue; any seat role may ask."""


PHONE_FRAMES: dict[str, type[_Frame]] = {
    PhoneMsg.JOIN: Join, PhoneMsg.LOCATION: Location, PhoneMsg.SAFETY: Safety,
    PhoneMsg.SIGNAL: PhoneSignal, PhoneMsg.EVENT: Event, PhoneMsg.LEAVE: Leave,
}
SEAT_FRAMES: dict[str, type[_Frame]] = {SeatMsg.SIGNAL: SeatSignal, SeatMsg.HANGUP: Hangup,
                                         SeatMsg.QUEUE_RESYNC: QueueResync}
SEAT_AUTH_FRAMES: dict[str, type[_Frame]] = {SeatMsg.AUTH: Auth}


class _NotFinite(Exception):
    pass


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400: no database column stores it
        raise _NotFinite(text)
    return value


def _no_constant(name: str) -> float:
    raise _NotFinite(name)  # NaN, Infinity: Python's json accepts them, JSON and PostgreSQL do not


def _loads(text: str) -> Any:
    try:
        message = json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except _NotFinite:
        raise FrameError("bad_json", "消息中的数字须是有限的数（不能是 NaN、Infinity 或超出范围）") from None
    except ValueError:
        raise FrameError("bad_json", "消息不是有效的 JSON") from None
    if _SURROGATE_ESCAPE.search(text):  # a lone \ud800 decodes to a str that cannot be stored or sent on
        try:
            json.dumps(message, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise FrameError("bad_json", "消息含有无效的字符（不成对的 UTF-16 代理项）") from None
    return message


def parse(raw: str | bytes | None, max_bytes: int, frames: dict[str, type[_Frame]]) -> tuple[str, _Frame]:
    """(type, validated model) or FrameError."""
    if raw is None:
        raise FrameError("bad_message", "只接受 JSON 文本消息")
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > max_bytes:
        raise FrameError("too_large", f"消息过大（{size} 字节，上限 {max_bytes}）")
    try:
        text = raw if isinstance(raw, str) else raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FrameError("bad_json", "消息不是有效的 JSON（不是 UTF-8 文本）") from None
    if json_depth_exceeds(text):
        raise FrameError("too_deep", f"消息嵌套过深（上限 {MAX_JSON_DEPTH} 层）")
    message = _loads(text)
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise FrameError("bad_message", "消息必须是带 type 字段的 JSON 对象")
    kind = message["type"]
    model = frames.get(kind)
    if model is None:
        raise FrameError("unknown_type", f"未知的消息类型 {kind[:40]!r}")
    try:
        parsed = model.model_validate(message)
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()[:3])
        raise FrameError("invalid", f"{kind} 消息字段不正确: {problems}") from None
    if isinstance(parsed, _Signal):
        _one_of_sdp_or_candidate(parsed)
    return kind, parsed
