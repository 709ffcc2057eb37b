"""Reads and writes the seat's settings: built-in defaults, then the IT-wide file, then the user's file.

Both files are JSON objects with any subset of :class:`SeatSettings`' fields, e.g.
``{"server_url": "https://kuaichu.example", "shortcuts": {"capture": "F8"}}``.
Saving writes only what the user changed against the IT-wide defaults, so a
later IT change still reaches every seat. A broken file is reported and skipped,
never fatal: a seat must start even when someone mistyped a bracket.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from seat_app import paths
from seat_app.core.seat_settings import SeatSettings, diff, merge

log = logging.getLogger(__name__)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable settings file %s: %s", path, exc)
        return {}
    if not isinstance(data, dict):
        log.warning("ignoring settings file %s: not a JSON object", path)
        return {}
    return data


def defaults(it_file: Path | None = None) -> SeatSettings:
    return merge(SeatSettings(), _read(it_file or paths.it_defaults_file()))


def load(it_file: Path | None = None, user_file: Path | None = None) -> SeatSettings:
    return merge(defaults(it_file), _read(user_file or paths.user_settings_file()))


def save(settings: SeatSettings, it_file: Path | None = None, user_file: Path | None = None) -> Path:
    path = user_file or paths.user_settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    changes = diff(settings, defaults(it_file))
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(changes, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return path
