"""What the officer's screen shows of a case, fetched off the Qt thread: pictures, recordings, audit, rules.

Plain asyncio over the AsyncApi (each REST call in an executor, each picture
decoded in a worker thread); the controller puts the results on screen.
"""
from __future__ import annotations

import asyncio
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from seat_app.core.evidence import EvidenceRecord, OcrStatus, OverlayItem
from seat_app.services.api_client import ApiError, AsyncApi
from seat_app.services.imaging import decode_image

log = logging.getLogger(__name__)

RECORDING_KIND = "recording"
VIDEO_SUFFIXES = {"video/webm": ".webm", "video/mp4": ".mp4", "video/x-matroska": ".mkv"}


@dataclass(frozen=True)
class Picture:
    record: EvidenceRecord
    rgb: np.ndarray


def overlay_items(ocr: dict[str, Any] | None) -> tuple[OverlayItem, ...]:
    """The boxes the operator's OCR stored with the picture (``PUT /api/evidence/{id}/ocr``)."""
    items = []
    for item in (ocr or {}).get("items") or []:
        try:
            x, y, w, h = (int(v) for v in item["box"])
        except (KeyError, TypeError, ValueError):
            continue
        items.append(OverlayItem((x, y, w, h), str(item.get("text") or ""), str(item.get("field") or ""),
                                 bool(item.get("valid")), float(item.get("confidence") or 0.0)))
    return tuple(items)


def is_picture(row: dict[str, Any]) -> bool:
    return row.get("kind") != RECORDING_KIND and str(row.get("content_type") or "image/").startswith("image/")


class CaseLoader:
    def __init__(self, api: AsyncApi) -> None:
        self.api = api
        self._dir: tempfile.TemporaryDirectory[str] | None = None

    async def pictures(self, rows: list[dict[str, Any]], positions: dict[int, int]) -> list[Picture]:
        """Every picture of the case with its OCR boxes; one that cannot be fetched or decoded is left out."""
        found = await asyncio.gather(*(self._picture(row, positions) for row in rows if is_picture(row)))
        return [p for p in found if p is not None]

    async def _picture(self, row: dict[str, Any], positions: dict[int, int]) -> Picture | None:
        try:
            data = await self.api.evidence_content(int(row["id"]))
            rgb = await asyncio.to_thread(decode_image, data)
        except (ApiError, ValueError) as exc:
            log.warning("evidence %s not shown: %s", row.get("id"), exc)
            return None
        party_id = row.get("party_id")
        record = EvidenceRecord(
            local_id=int(row["id"]), kind=str(row.get("kind") or "photo"), label=str(row.get("label") or "other"),
            party_id=party_id, width=int(rgb.shape[1]), height=int(rgb.shape[0]), evidence_id=int(row["id"]),
            sha256=str(row.get("sha256") or ""), uploaded=True, ocr_status=OcrStatus.DONE,
            overlay=overlay_items(row.get("ocr")), chosen=True,
            extra={"position": positions.get(party_id)} if party_id is not None else {})
        return Picture(record, rgb)

    async def eligibility_rules(self, case: dict[str, Any]) -> list[dict[str, Any]]:
        """The rules as evaluated at submission; the case's checklist when the case carries none."""
        stored = case.get("eligibility") or {}
        rules = stored.get("rules") if isinstance(stored, dict) else stored
        if rules:
            return list(rules)
        try:
            return list((await self.api.checklist(int(case["id"]))).get("rules") or [])
        except ApiError:
            return []

    async def recording_file(self, row: dict[str, Any]) -> Path:
        """The segment's bytes in a temporary file QtMultimedia can open (kept until ``close``)."""
        data = await self.api.evidence_content(int(row["id"]))
        if self._dir is None:
            self._dir = tempfile.TemporaryDirectory(prefix="kuaichu-recordings-")
        suffix = VIDEO_SUFFIXES.get(str(row.get("content_type") or ""), ".mp4")
        path = Path(self._dir.name) / f"recording-{row['id']}{suffix}"
        await asyncio.to_thread(path.write_bytes, data)
        return path

    def close(self) -> None:
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None
