"""Issued documents: the PDF by its number for seats, and the public verification of a document.

The public page ``/v/{number}`` (the QR code's target) shows what anyone holding the paper
may check: the number, when it was issued, its sha256, the issuing unit, the parties masked,
and whether it was revoked; and it says whether an uploaded file is byte for byte the
document issued. It never shows a party in full.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.accident_facts import plate_with_dot
from kuaichu_protocol.liability import RESPONSIBILITY_ZH, Responsibility
from server.adapters.orm import Case, Document, Party
from server.adapters.storage import BlobNotFound, BlobStore
from server.domain.masking import mask_name
from server.domain.party_labels import party_label
from server.services.errors import NotFound, ServiceError

#: Document numbers are ASCII, e.g. KC2026-000001; anything else is not looked up at all.
NUMBER = re.compile(r"[A-Z]{1,8}\d{4}-\d{6}")
NOT_FOUND = "没有这份认定书。请核对认定书上的编号，或扫描认定书上的二维码。"


class DocumentCorrupted(ServiceError):
    status, code = 500, "document_corrupted"


@dataclass(frozen=True)
class PartyLine:
    label: str  # 甲方
    name: str  # masked
    plate: str
    responsibility: str  # 全部责任 ...


@dataclass(frozen=True)
class PublicDocument:
    number: str
    issued_at: datetime  # local
    sha256: str
    size_bytes: int
    issuing_unit: str
    parties: tuple[PartyLine, ...]
    revoked_at: datetime | None  # local
    superseded_by: str = ""  # the number of the document that replaced a revoked one (after a review)

    def matches(self, data: bytes) -> bool:
        return hashlib.sha256(data).hexdigest() == self.sha256


class DocumentService:
    def __init__(self, factory: sessionmaker[Session], store: BlobStore, issuing_unit: str, timezone: str) -> None:
        self._factory, self._store, self._unit, self._tz = factory, store, issuing_unit, ZoneInfo(timezone)

    def pdf(self, number: str, case_id: int | None = None) -> bytes:
        """The PDF as issued, checked against its sha256; ``case_id`` scopes a party link to its own case."""
        with self._factory() as s:
            row = self._row(s, number)
            if case_id is not None and row.case_id != case_id:
                raise NotFound(NOT_FOUND)
            sha256 = row.sha256
        try:
            with self._store.open(sha256) as f:
                data = f.read()
        except BlobNotFound as e:
            raise DocumentCorrupted(f"认定书 {number} 的文件丢失") from e
        if hashlib.sha256(data).hexdigest() != sha256:
            raise DocumentCorrupted(f"认定书 {number} 的文件已被改动（哈希不符）")
        return data

    def public(self, number: str) -> PublicDocument:
        with self._factory() as s:
            row = self._row(s, number)
            case = s.get(Case, row.case_id)
            grades = {p.get("party_id"): p.get("responsibility") for p in (row.decision or {}).get("parties", [])}
            parties = tuple(PartyLine(party_label(p.position), mask_name(p.driver_name), mask_plate(p.plate),
                                      _grade(grades.get(p.id)))
                            for p in s.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.position)))
            return PublicDocument(row.number, row.created_at.astimezone(self._tz), row.sha256, row.size_bytes,
                                  (row.decision or {}).get("issuing_unit") or self._unit, parties,
                                  row.revoked_at.astimezone(self._tz) if row.revoked_at else None,
                                  _number(s, row.superseded_by_id))

    @staticmethod
    def _row(s: Session, number: str) -> Document:
        row = s.scalar(select(Document).where(Document.number == number)) if NUMBER.fullmatch(number or "") else None
        if row is None:
            raise NotFound(NOT_FOUND)
        return row


def _number(s: Session, document_id: int | None) -> str:
    return (s.scalar(select(Document.number).where(Document.id == document_id)) or "") if document_id else ""


def mask_plate(plate: str) -> str:
    """``川A5F7K2 -> 川A·***K2``: enough to recognise one's own car, not to read someone else's."""
    dotted = plate_with_dot(plate)
    if len(dotted) <= 5:
        return dotted
    return dotted[:3] + "*" * (len(dotted) - 5) + dotted[-2:]


def _grade(code: str | None) -> str:
    try:
        return RESPONSIBILITY_ZH[Responsibility(code)]
    except ValueError:
        return ""
