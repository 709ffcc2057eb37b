"""The seat's settings as one typed object: server, devices, shortcuts, language.

Pure data. ``seat_app.settings`` reads and writes it (IT-wide defaults first, then
the user's own file); everything else receives a ``SeatSettings``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

#: Action name -> default key sequence (Qt's portable text form). Space captures, as the issue asks.
DEFAULT_SHORTCUTS: dict[str, str] = {
    "answer": "Return",
    "capture": "Space",
    "photo": "P",
    "switch_camera": "C",
    "torch": "T",
    "mute": "M",
    "end_call": "Ctrl+E",
    "apply_all": "A",
    "verify_all": "V",
    "submit": "Ctrl+Return",
    "escalate": "Ctrl+Shift+E",
}

LANGUAGES = ("zh_CN", "en")


@dataclass(frozen=True)
class SeatSettings:
    server_url: str = "http://127.0.0.1:8000"
    username: str = ""
    audio_input: str = ""  # device description; "" = the system default
    audio_output: str = ""
    audio_enabled: bool = True
    shortcuts: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SHORTCUTS))
    language: str = "zh_CN"
    verify_tls: bool = True  # False only for a seat that trusts a self-signed demo certificate
    ca_bundle: str = ""  # PEM file of a private CA (IT configuration, seat_app/core/it_config.py)
    allow_server_change: bool = True  # IT's lock on server_url (site-wide file only)
    ice_servers: list[dict[str, Any]] = field(default_factory=list)  # what the self-test checks
    display_fps: int = 30
    request_timeout_s: float = 10.0

    def shortcut(self, action: str) -> str:
        return self.shortcuts.get(action) or DEFAULT_SHORTCUTS.get(action, "")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def evolve(self, **changes: Any) -> SeatSettings:
        return replace(self, **changes)

    @property
    def base_url(self) -> str:
        return self.server_url.rstrip("/")

    @property
    def tls_verify(self) -> bool | str:
        """``requests``' ``verify``: the private CA bundle when IT set one, else on or off."""
        return self.ca_bundle if self.ca_bundle and self.verify_tls else self.verify_tls


def merge(base: SeatSettings, overrides: Mapping[str, Any]) -> SeatSettings:
    """``base`` with the known keys of ``overrides``; shortcuts merge key by key, unknown keys are ignored."""
    known = {f.name: f for f in fields(SeatSettings)}
    changes: dict[str, Any] = {}
    for key, value in overrides.items():
        if key not in known or value is None:
            continue
        if key == "shortcuts" and isinstance(value, Mapping):
            changes[key] = {**base.shortcuts, **{str(k): str(v) for k, v in value.items()}}
        elif key == "language" and value not in LANGUAGES:
            continue
        else:
            changes[key] = _coerce(value, getattr(base, key))
    return replace(base, **changes)


def diff(settings: SeatSettings, defaults: SeatSettings) -> dict[str, Any]:
    """Only what the user changed, so later IT-wide defaults still reach them."""
    out: dict[str, Any] = {}
    for f in fields(SeatSettings):
        mine, theirs = getattr(settings, f.name), getattr(defaults, f.name)
        if f.name == "shortcuts":
            changed = {k: v for k, v in mine.items() if theirs.get(k) != v}
            if changed:
                out[f.name] = changed
        elif mine != theirs:
            out[f.name] = mine
    return out


def _coerce(value: Any, like: Any) -> Any:
    if isinstance(like, bool):
        return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")
    if isinstance(like, int):
        return int(value)
    if isinstance(like, float):
        return float(value)
    if isinstance(like, str):
        return str(value)
    return value
