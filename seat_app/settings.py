"""Reads and writes the seat's settings: built-in defaults, then the IT-wide file, then the user's file.

Both files are JSON objects with any subset of :class:`SeatSettings`' fields, e.g.
``{"server_url": "https://kuaichu.example", "shortcuts": {"capture": "F8"}}``.
Saving writes only what the user changed against the IT-wide defaults, so a
later IT change still reaches every seat. A bad file or key is reported (file, key,
problem) and skipped, never fatal: a seat must start even when someone mistyped a
bracket. Which keys mean what, and IT's server lock: seat_app/core/it_config.py.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

from seat_app import paths
from seat_app.core import it_config
from seat_app.core.seat_settings import SeatSettings, diff, merge

log = logging.getLogger(__name__)


def _site(it_file: Path | None) -> it_config.FileReading:
    return it_config.read_file(it_file or paths.it_defaults_file(), site=True)


def defaults(it_file: Path | None = None) -> SeatSettings:
    return merge(SeatSettings(), _site(it_file).values)


def load_checked(it_file: Path | None = None,
                 user_file: Path | None = None) -> tuple[SeatSettings, tuple[it_config.Problem, ...]]:
    """The settings and every problem found in the two files (each names its file and key)."""
    user_path = user_file or paths.user_settings_file()
    reading = it_config.combine(_site(it_file), it_config.read_file(user_path, site=False), str(user_path))
    return merge(SeatSettings(), reading.values), reading.problems


def load(it_file: Path | None = None, user_file: Path | None = None) -> SeatSettings:
    settings, problems = load_checked(it_file, user_file)
    for problem in problems:
        log.warning("settings: %s", problem)
    return settings


def save(settings: SeatSettings, it_file: Path | None = None, user_file: Path | None = None) -> Path:
    path = user_file or paths.user_settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    site = defaults(it_file)
    changes = diff(settings, site)
    changes.pop("allow_server_change", None)
    if not site.allow_server_change:
        changes.pop("server_url", None)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(changes, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return path
