"""IT configuration: what a seat's settings files may say, checked key by key.

Two files are read, the site-wide one first (``paths.it_defaults_file()``: ``%PROGRAMDATA%\\Kuaichu\\seat.json``
on Windows, ``/etc/kuaichu/seat.json`` elsewhere), then the user's own. Both are JSON objects. The site file
may hold:

=====================  ==============================================================================
``server_url``         the server, ``https://...`` (``http://`` only for a test bench)
``ca_bundle``          a PEM file of the private CA that signed the server's certificate
``verify_tls``         false only for a demo with a self-signed certificate
``audio_input``        default microphone (its description as the system names it; "" = system default)
``audio_output``       default speaker
``language``           ``zh_CN`` or ``en``
``allow_server_change``  false: users cannot change the server (their file's ``server_url`` is ignored)
``ice_servers``        the STUN/TURN servers the self-test checks, as the server hands them out:
                       ``[{"urls": "stun:host:3478"}, {"urls": "turn:host:3478", "username": ..., "credential": ...}]``
=====================  ==============================================================================

plus any other seat setting (``shortcuts``, ``display_fps``...). A bad file is never fatal: each problem is
one :class:`Problem` naming the file, the key and what is wrong, that key keeps its default, and the rest of
the file still counts. Pure Python (no Qt): ``seat_app.settings`` does the reading.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from seat_app.core.seat_settings import LANGUAGES, SeatSettings

#: Keys only the site-wide file may set.
SITE_ONLY_KEYS = frozenset({"allow_server_change"})
#: Keys a locked site takes away from the user's file.
LOCKABLE_KEYS = frozenset({"server_url"})


@dataclass(frozen=True)
class Problem:
    file: str
    key: str  # "" when the whole file is unusable
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class FileReading:
    """The usable keys of one file and what was wrong with the rest."""

    values: dict[str, Any]
    problems: tuple[Problem, ...] = ()


def read_file(path: Path, *, site: bool) -> FileReading:
    """A settings file, checked. A missing file is no problem; a file that is not a JSON object is one."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return FileReading({})
    except (OSError, UnicodeDecodeError) as exc:
        return FileReading({}, (Problem(name, "", f"cannot be read ({exc}); defaults used"),))
    try:
        data = json.loads(text)
    except ValueError as exc:
        return FileReading({}, (Problem(name, "", f"not valid JSON ({exc}); defaults used"),))
    if not isinstance(data, dict):
        return FileReading({}, (Problem(name, "", "must be a JSON object {...}; defaults used"),))
    return check(data, name, site=site, base_dir=path.parent)


def check(data: Mapping[str, Any], name: str, *, site: bool, base_dir: Path | None = None) -> FileReading:
    """The keys of ``data`` that are right; a Problem for each that is not. ``base_dir``: relative
    ``ca_bundle`` paths are taken from the file's own directory."""
    known = {f.name: f for f in fields(SeatSettings)}
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        if key not in known:
            problems.append(Problem(name, key, "unknown key, ignored"))
            continue
        if key in SITE_ONLY_KEYS and not site:
            problems.append(Problem(name, key, "only the site-wide file may set this; ignored"))
            continue
        try:
            values[key] = _checked(key, value, getattr(SeatSettings(), key), base_dir)
        except ValueError as exc:
            problems.append(Problem(name, key, f"{exc}; the default is used"))
    return FileReading(values, tuple(problems))


def combine(site: FileReading, user: FileReading, user_name: str) -> FileReading:
    """The user's file over the site's, except what a locked site keeps for itself."""
    values = dict(site.values)
    problems = list(site.problems) + list(user.problems)
    locked = site.values.get("allow_server_change") is False
    for key, value in user.values.items():
        if locked and key in LOCKABLE_KEYS:
            if value != site.values.get(key, getattr(SeatSettings(), key)):
                problems.append(Problem(user_name, key, "locked by IT (allow_server_change is false); ignored"))
            continue
        if key == "shortcuts" and isinstance(values.get(key), dict):
            values[key] = {**values[key], **value}
        else:
            values[key] = value
    return FileReading(values, tuple(problems))


def _checked(key: str, value: Any, default: Any, base_dir: Path | None) -> Any:
    if key == "server_url":
        return _url(value)
    if key == "ca_bundle":
        return _ca_bundle(value, base_dir)
    if key == "language":
        if value not in LANGUAGES:
            raise ValueError(f"{value!r} is not one of {', '.join(LANGUAGES)}")
        return value
    if key == "ice_servers":
        return _ice_servers(value)
    if key == "shortcuts":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ValueError('must be an object of action -> key, e.g. {"capture": "F8"}')
        return {str(k): v for k, v in value.items()}
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {json.dumps(value, ensure_ascii=False)}")
        return value
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ValueError(f"must be a positive number, not {json.dumps(value, ensure_ascii=False)}")
        return type(default)(value)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ValueError(f"must be a string, not {json.dumps(value, ensure_ascii=False)}")
        return value
    return value


def _url(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a URL string such as \"https://kuaichu.example\"")
    parsed = urlparse(value.strip())
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"{value!r} is not an http(s) URL such as \"https://kuaichu.example\"")
    return value.strip().rstrip("/")


def _ca_bundle(value: Any, base_dir: Path | None) -> str:
    if not isinstance(value, str):
        raise ValueError("must be the path of a PEM file")
    if not value:
        return ""
    path = Path(value).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    if not path.is_file():
        raise ValueError(f"{path} does not exist or is not a file")
    try:
        head = path.read_text(encoding="ascii", errors="replace")
    except OSError as exc:
        raise ValueError(f"{path} cannot be read ({exc})") from None
    if "-----BEGIN CERTIFICATE-----" not in head:
        raise ValueError(f"{path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
    return str(path)


def _ice_servers(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ValueError('must be a list such as [{"urls": "stun:stun.example:3478"}]')
    out = []
    for entry in value:
        urls = entry.get("urls") if isinstance(entry, dict) else None
        urls = [urls] if isinstance(urls, str) else urls
        if not urls or not all(isinstance(u, str) and u.split(":", 1)[0] in ("stun", "stuns", "turn", "turns")
                               for u in urls):
            raise ValueError(f"{json.dumps(entry, ensure_ascii=False)} needs \"urls\": \"stun:...\" or \"turn:...\"")
        out.append(dict(entry))
    return out
