"""Evidence use cases: keep a captured frame, photo, document image or call recording for a case.

The bytes are checked for what they really are, stored content-addressed, and
recorded with their sha256 in the same transaction as the audit event, so the
audit log vouches for every file. The same bytes for the same case are one
piece of evidence, however often they are uploaded. A seat's files are kept as
they came (OCR ran on those bytes); a party's photo comes from the public internet
and is re-encoded to its pixels alone, and the audit event names the original's
sha256 and size. Decoding runs in a bounded number of slots at a time. An upload may come
as a file (the spooled temporary file the request body streamed to): it is checked, hashed
and stored in chunks from that file, never read into memory whole.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
from datetime import datetime
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from server.adapters import image_sanitiser, media_probe
from server.adapters.db import unit_of_work
from server.adapters.orm import Case, Evidence, Party, utcnow
from server.adapters.storage import CHUNK_BYTES, BlobNotFound, BlobStore
from server.domain import case_states
from server.services import audit
from server.services.cases import Actor, answering_seats, case_for_write
from server.services.errors import Invalid, NotFound, ServiceError, TooLarge

IMAGE_KINDS = ("frame", "photo", "document")
RECORDING_KIND = "recording"
KINDS = (*IMAGE_KINDS, RECORDING_KIND)
MAX_OCR_BYTES = 256 * 1024
MAX_LABEL_CHARS = 64
#: How long an upload waits for a decoding slot before it is told to try again.
DECODE_WAIT_SECONDS = 60.0


class EvidenceCorrupted(ServiceError):
    """The stored file no longer matches the sha256 recorded when it was added."""

    status, code = 500, "evidence_corrupted"


class DecoderBusy(ServiceError):
    status, code = 503, "busy"


class EvidenceService:
    def __init__(self, factory: sessionmaker[Session], store: BlobStore, settings) -> None:
        self._factory, self._store, self._settings = factory, store, settings
        self.decode_gate = media_probe.DecodeGate(settings.image_decode_concurrency or os.cpu_count() or 1)

    def size_limit(self, kind: str) -> int:
        s = self._settings
        return s.max_recording_bytes if kind == RECORDING_KIND else s.max_upload_bytes

    def add(
        self,
        case_id: int,
        data: bytes | BinaryIO,
        kind: str,
        actor: Actor,
        *,
        party_id: int | None = None,
        label: str = "",
        latitude: float | None = None,
        longitude: float | None = None,
        captured_at: datetime | None = None,
    ) -> Evidence:
        """Stores ``data`` (bytes, or a seekable file read from its start) for the case, or returns the
        evidence already holding the same bytes.

        A party's photo is stored re-encoded (see ``image_sanitiser``), so its sha256 is that of the
        clean file; the original's is in the audit event."""
        data, probe, original = self._check(data, kind, actor)
        _check_place(latitude, longitude)
        label = (label or "").strip()
        if len(label) > MAX_LABEL_CHARS:
            raise Invalid(f"标签最长 {MAX_LABEL_CHARS} 个字符")
        if captured_at is not None and captured_at.tzinfo is None:
            raise Invalid("拍摄时间必须带时区")
        sha256, size = _digest(data)
        row = Evidence(
            case_id=case_id, party_id=party_id, sha256=sha256, kind=kind, content_type=probe.content_type,
            size_bytes=size, width=probe.width, height=probe.height, captured_at=captured_at or utcnow(),
            uploaded_by=actor.audit_name[:64], latitude=latitude, longitude=longitude, label=label,
        )
        try:
            return self._insert(row, data, actor, original)
        except IntegrityError:
            # A concurrent upload of the same bytes won the unique (case_id, sha256): return its row.
            existing = self._find(case_id, sha256)
            if existing is None:
                raise
            return existing

    def check(self, data: bytes, kind: str, actor: Actor) -> tuple[bytes, media_probe.Probe, dict[str, Any]]:
        """The same checks as ``add``, for a caller that stores the file in its own transaction (a review's)."""
        return self._check(data, kind, actor)

    def _check(self, data: bytes | BinaryIO, kind: str, actor: Actor) -> tuple[Any, media_probe.Probe, dict[str, Any]]:
        """The bytes (or file) to store, what they are, and (for a re-encoded party photo) what the original was."""
        if kind not in KINDS:
            raise Invalid(f"证据类型必须是 {'、'.join(KINDS)} 之一")
        limit = self.size_limit(kind)
        size = len(data) if isinstance(data, bytes) else data.seek(0, os.SEEK_END)
        if size > limit:
            raise TooLarge(f"文件过大：最大 {limit // (1024 * 1024)} MB", limit_bytes=limit)
        if not size:
            raise Invalid("文件为空")
        try:
            with self.decode_gate.slot(timeout=DECODE_WAIT_SECONDS):
                return self._decode(data, kind, actor)
        except media_probe.NotRecognised as e:
            raise Invalid(str(e)) from e
        except media_probe.TooManyPixels as e:
            raise TooLarge(str(e)) from e
        except TimeoutError as e:
            raise DecoderBusy("服务器繁忙，请稍后重新上传") from e

    def _decode(self, data: bytes | BinaryIO, kind: str, actor: Actor) -> tuple[Any, media_probe.Probe, dict[str, Any]]:
        if kind == RECORDING_KIND:
            return data, media_probe.probe_recording(data), {}
        if actor.kind != case_states.PARTY:
            return data, media_probe.probe_image(data, self._settings.max_image_pixels), {}
        if not isinstance(data, bytes):  # re-encoded from its pixels: the original is needed whole anyway
            data.seek(0)
            data = data.read()
        clean = image_sanitiser.sanitise(data, self._settings.max_party_image_pixels)
        return clean.data, clean.probe, {"original_sha256": clean.original_sha256,
                                         "original_size_bytes": clean.original_size_bytes,
                                         "original_content_type": clean.original_content_type}

    def _insert(self, row: Evidence, data: bytes | BinaryIO, actor: Actor, original: dict[str, Any]) -> Evidence:
        with unit_of_work(self._factory) as s:
            # A call's recording may arrive after the case changed hands (a seat uploads what an earlier
            # run left on disk), so every seat that answered the case may still send its recording.
            also = answering_seats(s, row.case_id) if row.kind == RECORDING_KIND else frozenset()
            case_for_write(s, row.case_id, actor, also)
            if row.party_id is not None:
                party = s.get(Party, row.party_id)
                if party is None or party.case_id != row.case_id:
                    raise NotFound(f"当事方 {row.party_id} 不属于案件 {row.case_id}")
            existing = s.scalar(select(Evidence).where(Evidence.case_id == row.case_id,
                                                        Evidence.sha256 == row.sha256))
            if existing is not None:
                return existing
            # The file is written before the row commits: a row never points at missing bytes,
            # and a rolled-back row leaves at most an orphan file that the next upload reuses.
            if isinstance(data, bytes):
                self._store.put(data)
            else:
                self._store.put_file(data, row.sha256, row.size_bytes)
            s.add(row)
            s.flush()
            audit.append(s, actor=actor.audit_name, action="evidence_added", case_id=row.case_id,
                         detail={"evidence_id": row.id, "sha256": row.sha256, "kind": row.kind,
                                 "size_bytes": row.size_bytes, "party_id": row.party_id, **original})
        return row

    def _find(self, case_id: int, sha256: str) -> Evidence | None:
        with self._factory() as s:
            return s.scalar(select(Evidence).where(Evidence.case_id == case_id, Evidence.sha256 == sha256))

    def set_ocr(self, evidence_id: int, ocr_json: dict[str, Any], actor: Actor) -> Evidence:
        """Keeps what the seat's OCR read from this evidence (the seat runs OCR, the server stores it)."""
        if not isinstance(ocr_json, dict):
            raise Invalid("OCR 结果必须是 JSON 对象")
        encoded = json.dumps(ocr_json, ensure_ascii=False, allow_nan=False)
        if len(encoded.encode("utf-8")) > MAX_OCR_BYTES:
            raise TooLarge(f"OCR 结果过大：最大 {MAX_OCR_BYTES // 1024} KB")
        with unit_of_work(self._factory) as s:
            row = self._get(s, evidence_id, actor)
            case_for_write(s, row.case_id, actor)
            row.ocr = json.loads(encoded)
            audit.append(s, actor=actor.audit_name, action="evidence_ocr_set", case_id=row.case_id,
                         detail={"evidence_id": row.id, "fields": sorted(ocr_json)[:50]})
        return row

    def relabel(self, evidence_id: int, label: str, party_id: int | None, actor: Actor) -> Evidence:
        """Says what a picture shows (e.g. a phone's photo turns out to be 乙方's licence); the bytes never change."""
        with unit_of_work(self._factory) as s:
            row = self._get(s, evidence_id, actor)
            case_for_write(s, row.case_id, actor)
            if party_id is not None:
                party = s.get(Party, party_id)
                if party is None or party.case_id != row.case_id:
                    raise NotFound(f"当事方 {party_id} 不属于案件 {row.case_id}")
            before = {"label": row.label, "party_id": row.party_id}
            row.label, row.party_id = label, party_id
            audit.append(s, actor=actor.audit_name, action="evidence_relabelled", case_id=row.case_id,
                         detail={"evidence_id": row.id, "before": before, "label": label, "party_id": party_id})
        return row

    def list(self, case_id: int) -> list[Evidence]:
        with self._factory() as s:
            _get_case(s, case_id, None)
            return list(s.scalars(select(Evidence).where(Evidence.case_id == case_id).order_by(Evidence.id)))

    def get(self, evidence_id: int, actor: Actor | None = None) -> Evidence:
        with self._factory() as s:
            return self._get(s, evidence_id, actor)

    def open_stream(self, evidence_id: int, actor: Actor | None = None) -> tuple[Evidence, BinaryIO]:
        """The row and an open file of its bytes (the caller closes it); for streaming large recordings."""
        row = self.get(evidence_id, actor)
        try:
            return row, self._store.open(row.sha256)
        except BlobNotFound as e:
            raise EvidenceCorrupted(f"证据 {evidence_id} 的文件丢失") from e

    def open_bytes(self, evidence_id: int, actor: Actor | None = None) -> bytes:
        """The evidence bytes, checked against the sha256 recorded when they were added."""
        row, f = self.open_stream(evidence_id, actor)
        with f:
            data = f.read()
        if hashlib.sha256(data).hexdigest() != row.sha256:
            raise EvidenceCorrupted(f"证据 {evidence_id} 的文件已被改动（哈希不符）")
        return data

    @staticmethod
    def _get(s: Session, evidence_id: int, actor: Actor | None) -> Evidence:
        row = s.get(Evidence, evidence_id)
        if row is None or (actor is not None and actor.case_id is not None and actor.case_id != row.case_id):
            raise NotFound(f"证据 {evidence_id} 不存在")
        return row


def _digest(data: bytes | BinaryIO) -> tuple[str, int]:
    """(sha256, size) of the bytes, or of the file read in chunks from its start."""
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest(), len(data)
    digest, size = hashlib.sha256(), 0
    data.seek(0)
    while chunk := data.read(CHUNK_BYTES):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _get_case(s: Session, case_id: int, actor: Actor | None) -> Case:
    case = s.get(Case, case_id)
    if case is None or (actor is not None and actor.case_id is not None and actor.case_id != case_id):
        raise NotFound(f"案件 {case_id} 不存在")
    return case


def _check_place(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        raise Invalid("经度和纬度必须同时提供")
    if latitude is None:
        return
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise Invalid("经纬度必须是有限数值")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise Invalid("经纬度超出范围")
