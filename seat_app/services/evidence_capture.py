"""The pictures of one case: shown the moment they are taken, then uploaded and read by OCR in the background.

Upload and OCR run side by side (JPEG encoding and OCR in executors), so the
gallery never waits for the network and the overlay appears when OCR is done.
What OCR read goes to the case session (which fills the parties and may relabel
the capture, see ``seat_app.core.relabel``) and, once the upload has an id, to the
server with the evidence, together with the label if the server's is not the final one.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np

from seat_app.core.events import Emitter
from seat_app.core.evidence import CaptureTarget, EvidenceRecord, OcrStatus, OverlayItem, new_record
from seat_app.services.api_client import ApiError, AsyncApi
from seat_app.services.imaging import decode_image, encode_jpeg
from seat_app.services.ocr_port import OcrPort, overlay_json

log = logging.getLogger(__name__)

OnRead = Callable[[EvidenceRecord, list[OverlayItem]], Awaitable[None]]


class EvidenceCapture:
    def __init__(self, api: AsyncApi, case_id: int, ocr: OcrPort, events: Emitter,
                 spawn: Callable[[Any], asyncio.Task], on_read: OnRead, on_done: Callable[[], Awaitable[None]]) -> None:
        self.api, self.case_id, self.ocr, self.events = api, case_id, ocr, events
        self._spawn, self._on_read, self._on_done = spawn, on_read, on_done
        self.records: list[EvidenceRecord] = []
        self.images: dict[int, np.ndarray] = {}  # local_id -> full-resolution RGB

    def add_picture(self, kind: str, target: CaptureTarget, rgb: np.ndarray,
                    evidence_id: int | None = None, chosen: bool = False) -> EvidenceRecord:
        record = new_record(kind, target, rgb.shape[1], rgb.shape[0], evidence_id=evidence_id,
                            uploaded=evidence_id is not None, chosen=chosen,
                            extra={"position": target.party_position})
        self.records.append(record)
        self.images[record.local_id] = rgb
        self.events.emit("evidence_added", record=record, image=rgb)
        self._spawn(self._process(record, rgb))
        return record

    def record(self, local_id: int) -> EvidenceRecord | None:
        return next((r for r in self.records if r.local_id == local_id), None)

    def knows(self, evidence_id: int) -> bool:
        return any(r.evidence_id == evidence_id for r in self.records)

    def relabel(self, local_id: int, target: CaptureTarget) -> EvidenceRecord | None:
        """What the picture really shows; the server hears of it once the upload has an id."""
        record = self.record(local_id)
        if record is not None:
            self._update(local_id, label=target.label, party_id=target.party_id,
                         extra={**record.extra, "position": target.party_position})
        return self.record(local_id)

    def mark_chosen(self, local_id: int) -> None:
        """The operator set the label: OCR never changes it again."""
        self._update(local_id, chosen=True)

    async def store_label(self, local_id: int) -> None:
        """Tell the server the capture's label and party now (once it has an id; before, the upload will)."""
        record = self.record(local_id)
        if record is None or record.evidence_id is None:
            return
        with contextlib.suppress(ApiError):  # PATCH /api/evidence/{id} may not exist on this server
            await self.api.label_evidence(record.evidence_id, record.label, record.party_id)

    async def _process(self, record: EvidenceRecord, rgb: np.ndarray) -> None:
        told = (record.label, record.party_id)  # what the upload (or, for a phone's photo, the PATCH) said
        upload = None if record.uploaded else self._spawn(self._upload(record, rgb))
        await self._read(record, rgb)
        if upload is not None:
            await upload
        await self._store_label(record.local_id, told)
        await self._store_ocr(record.local_id)
        await self._on_done()

    async def _upload(self, record: EvidenceRecord, rgb: np.ndarray) -> None:
        data = await asyncio.get_running_loop().run_in_executor(None, encode_jpeg, rgb)
        try:
            reply = await self.api.upload_evidence(self.case_id, data, kind=record.kind, label=record.label,
                                                   party_id=record.party_id)
        except ApiError as exc:
            self._update(record.local_id, upload_error=exc.message)
            self.events.emit("error", action="upload", message=exc.message)
            return
        self._update(record.local_id, evidence_id=reply.get("id"), sha256=reply.get("sha256", ""), uploaded=True)

    async def _read(self, record: EvidenceRecord, rgb: np.ndarray) -> None:
        self._update(record.local_id, ocr_status=OcrStatus.RUNNING)
        try:
            items = await asyncio.get_running_loop().run_in_executor(None, self.ocr.read, rgb, record.label)
        except Exception:  # noqa: BLE001 - OCR failing must not lose the evidence
            log.exception("OCR failed on evidence %s", record.local_id)
            self._update(record.local_id, ocr_status=OcrStatus.FAILED)
            return
        self._update(record.local_id, ocr_status=OcrStatus.DONE, overlay=tuple(items))
        await self._on_read(self.record(record.local_id), list(items))

    async def _store_label(self, local_id: int, told: tuple[str, int | None]) -> None:
        record = self.record(local_id)
        if record is None or record.evidence_id is None or (record.label, record.party_id) == told:
            return
        with contextlib.suppress(ApiError):  # PATCH /api/evidence/{id} may not exist on this server
            await self.api.label_evidence(record.evidence_id, record.label, record.party_id)

    async def _store_ocr(self, local_id: int) -> None:
        record = self.record(local_id)
        if record is None or record.evidence_id is None or record.ocr_status is not OcrStatus.DONE:
            return
        with contextlib.suppress(ApiError):
            await self.api.put_ocr(record.evidence_id, overlay_json(record.overlay))

    def _update(self, local_id: int, **changes: Any) -> None:
        for i, r in enumerate(self.records):
            if r.local_id == local_id:
                self.records[i] = r.evolve(**changes)
                self.events.emit("evidence_updated", record=self.records[i])
                return

    async def add_phone_photo(self, evidence_id: int, target: CaptureTarget,
                              chosen: bool = False) -> EvidenceRecord | None:
        """A full-resolution photo the phone uploaded itself: fetch it, label it, then the same path as a frame."""
        placeholder = new_record("photo", target, 0, 0, evidence_id=evidence_id, uploaded=True)
        self.records.append(placeholder)  # so a second announcement of the same photo is ignored
        try:
            data = await self.api.evidence_content(evidence_id)
            rgb = await asyncio.get_running_loop().run_in_executor(None, decode_image, data)
            # Before OCR starts, so that a relabel after it is the last word on the server.
            with contextlib.suppress(ApiError):  # PATCH /api/evidence/{id} may not exist on this server
                await self.api.label_evidence(evidence_id, target.label, target.party_id)
        except ApiError as exc:
            self.events.emit("error", action="photo", message=exc.message)
            return None
        finally:
            self.records.remove(placeholder)
        return self.add_picture("photo", target, rgb, evidence_id=evidence_id, chosen=chosen)
