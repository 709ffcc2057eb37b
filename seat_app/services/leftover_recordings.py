"""Recording segments an earlier run left on disk, sent to their cases when the seat starts.

The recorder deletes a segment once the server holds it, so a segment still on disk never
arrived: the app crashed or was killed mid-call, or the server stayed out of reach through
every retry. Each is sent again to its case (its folder, ``case-<id>``, says which). The
server keeps evidence by content, so a segment that did arrive after all is not stored twice.

A segment the server refuses as no recording (the one being written when the app died has
no index yet) is moved to ``rejected/`` for IT, never deleted. While the server cannot be
reached, or the user may not upload, everything stays where it is for the next start.
"""
from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seat_app.services.api_client import ApiError, Invalid, NotFound

log = logging.getLogger(__name__)

CASE_DIR = re.compile(r"^case-(\d+)$")
SEGMENT_INDEX = re.compile(r"-(\d{4})-")  # the recorder's "<prefix>-0003-<time>.mp4"
REJECTED_DIR = "rejected"


@dataclass
class Leftovers:
    uploaded: list[Path] = field(default_factory=list)
    rejected: list[Path] = field(default_factory=list)  # where they were moved to
    kept: list[Path] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.uploaded or self.rejected or self.kept)


def pending(directory: Path, busy: frozenset[int] = frozenset()) -> list[tuple[int, Path]]:
    """(case id, segment) still on disk, oldest case first; cases in ``busy`` are being recorded now."""
    if not directory.is_dir():
        return []
    found = []
    for case_dir in sorted(directory.iterdir(), key=lambda p: p.name):
        match = CASE_DIR.match(case_dir.name)
        if match and case_dir.is_dir() and int(match.group(1)) not in busy:
            found += [(int(match.group(1)), path) for path in sorted(case_dir.glob("*.mp4"))]
    return found


async def upload_leftovers(api: Any, directory: Path, busy: frozenset[int] = frozenset()) -> Leftovers:
    """Send every leftover segment under ``directory``; ``api`` is the seat's AsyncApi."""
    result = Leftovers()
    segments = pending(directory, busy)
    for n, (case_id, path) in enumerate(segments):
        try:
            data = await asyncio.get_running_loop().run_in_executor(None, path.read_bytes)
            await api.upload_recording(case_id, data, filename=path.name, label=_label(path))
        except OSError as exc:
            log.warning("leftover segment %s unreadable: %r", path, exc)
            result.kept.append(path)
        except (Invalid, NotFound) as exc:
            moved = _reject(directory, case_id, path)
            log.warning("leftover segment %s refused (%s); moved to %s", path, exc.message, moved)
            result.rejected.append(moved)
        except ApiError as exc:  # unreachable, session expired, forbidden, server error: try at the next start
            log.warning("leftover segment %s not sent (%s); kept for the next start", path, exc.message)
            result.kept += [p for _, p in segments[n:]]
            break
        else:
            path.unlink(missing_ok=True)
            result.uploaded.append(path)
            log.info("leftover segment %s sent to case %d", path.name, case_id)
        _remove_if_empty(path.parent)
    return result


def _label(path: Path) -> str:
    match = SEGMENT_INDEX.search(path.name)
    return f"segment-{int(match.group(1))}" if match else "segment"


def _reject(directory: Path, case_id: int, path: Path) -> Path:
    target = directory / REJECTED_DIR / f"case-{case_id}-{path.name}"
    target.parent.mkdir(parents=True, exist_ok=True)
    return path.replace(target)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:  # not empty, or already gone
        pass
