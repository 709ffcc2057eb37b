"""The party's progress page (网办进度): what the page shows, the document's page images, and its download.

Everything is read for one party of one case (the party link's scope): the party's own details
in full, the others masked; the timeline from the audit events (``server.domain.progress``);
the documents (the current one shown as page images, a revoked one "已撤销" with its successor);
the review state (``ReviewService.state``) and the claim options (``ClaimService.options``).

Fetching a page image or downloading the PDF of the current document is the party opening it:
the first time is its delivery (送达, ``server.services.deliveries``).

Page images are rendered with pdfium at ``PAGE_WIDTH_PX`` (a phone's width at 2x), once per
document (sha256) and page, and kept under DATA_DIR/page-images: documents never change, so
the file name is the cache key and the cache survives restarts.
"""
from __future__ import annotations

import io
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from collections.abc import Callable
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.liability import RESPONSIBILITY_ZH, Responsibility
from kuaichu_protocol.messages import CaseState as S
from server.adapters.orm import AuditEvent, Case, Document, Invitation, Party, utcnow
from server.adapters.pdfium_lock import PDFIUM_LOCK
from server.adapters.storage import BlobStore
from server.domain.case_states import STATE_LABELS_ZH
from server.domain.masking import mask_id_number, mask_name, mask_phone
from server.domain.party_labels import party_label
from server.domain.progress import CaseTimes, Event, Step, local_text, remaining_text, timeline
from server.services.claims import ClaimOptions, ClaimService
from server.services.deliveries import Delivery, DeliveryService
from server.services.documents import mask_plate
from server.services.errors import NotFound
from server.services.invitations import token_hash

PAGE_WIDTH_PX = 828
MAX_PAGES = 20
#: The case states after the call: the link shows the progress page; before them (and while interrupted or
#: sent back) the call page.
PROGRESS_STATES = frozenset({S.AWAITING_LIABILITY, S.DETERMINED, S.REVIEW_REQUESTED, S.REVIEWED, S.CLOSED,
                             S.ESCALATED, S.CLAIM_REPORTED})
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ReviewStateLike(Protocol):
    deadline: Any  # server.domain.working_days.Deadline | None
    delivered_at: datetime | None
    can_request: bool
    why_not: str
    request: Any  # ReviewRequest row or None
    can_withdraw: bool


class Reviews(Protocol):
    def state(self, case_id: int, party_id: int, now: datetime) -> ReviewStateLike: ...


@dataclass(frozen=True)
class PartyView:
    label: str
    is_self: bool
    name: str
    phone: str
    id_number: str
    plate: str
    vehicle_type: str
    insurer: str
    policy_number: str
    responsibility: str


@dataclass(frozen=True)
class DocumentView:
    id: int
    number: str
    sha256: str
    issued_text: str
    revoked: bool
    revoked_text: str
    successor: str  # the number of the document that replaced it
    pages: int  # 0 for a revoked one (not shown)


@dataclass(frozen=True)
class ReviewView:
    deadline_text: str  # "2026年12月7日 00:00" (the end of the last day)
    last_day_text: str  # "2026年12月4日（星期五）24时"
    remaining: str  # "2天5小时" or "已过期"
    passed: bool
    approximate: bool
    delivered_text: str
    state: ReviewStateLike


@dataclass(frozen=True)
class ProgressView:
    case_number: str
    state: str
    state_zh: str
    steps: list[Step]
    parties: list[PartyView]
    documents: list[DocumentView]
    current: DocumentView | None
    review: ReviewView | None
    claim: ClaimOptions | None
    now_text: str


def shows_progress(state: str) -> bool:
    return state in {s.value for s in PROGRESS_STATES}


class PageImages:
    """PNG images of a PDF's pages at a phone's width, rendered once per document and kept on disk."""

    def __init__(self, cache_dir: Path, width_px: int = PAGE_WIDTH_PX) -> None:
        self._dir, self._width = cache_dir, width_px
        self._lock = PDFIUM_LOCK  # pdfium is not thread-safe, not even across documents: one lock per process

    def page_count(self, sha256: str, pdf: Callable[[], bytes]) -> int:
        """The number of pages shown (the PDF is read only the first time)."""
        marker = self._path(sha256, "pages")
        if marker.is_file():
            return int(marker.read_text())
        import pypdfium2 as pdfium

        with self._lock:
            doc = pdfium.PdfDocument(pdf())
            try:
                count = min(len(doc), MAX_PAGES)
            finally:
                doc.close()
        self._write(marker, str(count).encode())
        return count

    def png(self, sha256: str, pdf: bytes, page: int) -> bytes:
        path = self._path(sha256, f"{page}-{self._width}.png")
        if path.is_file():
            return path.read_bytes()
        import pypdfium2 as pdfium

        with self._lock:
            doc = pdfium.PdfDocument(pdf)
            try:
                if not 0 <= page < min(len(doc), MAX_PAGES):
                    raise NotFound("没有这一页")
                pdf_page = doc[page]
                scale = self._width / pdf_page.get_width()
                image = pdf_page.render(scale=scale).to_pil().convert("RGB")
            finally:
                doc.close()
        buffer = io.BytesIO()
        image.quantize(colors=64).save(buffer, "PNG", optimize=True)  # text, lines and the red seal: 64 colours
        data = buffer.getvalue()
        self._write(path, data)
        return data

    def _path(self, sha256: str, suffix: str) -> Path:
        if not _SHA256.match(sha256):
            raise NotFound("没有这份认定书")
        return self._dir / f"{sha256}-{suffix}"

    def _write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)  # whole files only: a reader never sees half an image


class ProgressService:
    def __init__(self, factory: sessionmaker[Session], store: BlobStore, deliveries: DeliveryService,
                 claims: ClaimService, reviews: Reviews, images: PageImages, timezone: str,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._factory, self._store, self._deliveries = factory, store, deliveries
        self._claims, self._reviews, self._images = claims, reviews, images
        self._tz = ZoneInfo(timezone)
        #: "now" for the page and for what its forms ask of the review and claim services (tests freeze it).
        self.clock = clock

    def link_case_state(self, token: str) -> str:
        """Which page a link opens, even when it is dead: "progress" after the call, "call" before
        (and while interrupted or sent back), "" for a token no link has."""
        with self._factory() as s:
            row = s.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
            case = s.get(Case, row.case_id) if row is not None else None
            if case is None:
                return ""
            return "progress" if shows_progress(case.state) else "call"

    def state(self, case_id: int) -> str:
        with self._factory() as s:
            case = s.get(Case, case_id)
            if case is None:
                raise NotFound("找不到该案件")
            return case.state

    # --- the page ---------------------------------------------------------------------
    def page(self, case_id: int, party_id: int, now: datetime | None = None) -> ProgressView:
        now = now or utcnow()
        with self._factory() as s:
            case, viewer = _case_and_party(s, case_id, party_id)
            parties = list(s.scalars(select(Party).where(Party.case_id == case_id).order_by(Party.position)))
            labels = {p.id: party_label(p.position) for p in parties}
            events = [Event(e.action, e.created_at, e.actor, e.detail or {}) for e in
                      s.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id))]
            times = CaseTimes(case.created_at, case.answered_at, case.submitted_at, case.determined_at)
            steps = timeline(events, times, viewer=viewer.id, labels=labels, tz=self._tz)
            documents = self._documents(s, case_id)
            state, number = case.state, case.number
            views = [_party_view(case, p, p.id == viewer.id) for p in parties]
        current = next((d for d in documents if not d.revoked), None)
        review = claim = None
        if current is not None:
            review = self._review(case_id, party_id, now)
            claim = self._claims.options(case_id, party_id)
        try:
            state_zh = STATE_LABELS_ZH[S(state)]
        except ValueError:
            state_zh = state
        return ProgressView(number, state, state_zh, steps, views, documents, current, review, claim,
                            local_text(now.astimezone(self._tz)))

    def _documents(self, s: Session, case_id: int) -> list[DocumentView]:
        rows = list(s.scalars(select(Document).where(Document.case_id == case_id, Document.kind == "liability")
                              .order_by(Document.id.desc())))
        numbers = {d.id: d.number for d in rows}
        views = []
        for d in rows:
            revoked = d.revoked_at is not None
            views.append(DocumentView(
                d.id, d.number, d.sha256, local_text(d.created_at.astimezone(self._tz)), revoked,
                local_text(d.revoked_at.astimezone(self._tz)) if d.revoked_at else "",
                numbers.get(d.superseded_by_id, "") if d.superseded_by_id else "",
                0 if revoked else self._images.page_count(d.sha256, lambda sha256=d.sha256: self._pdf(sha256))))
        return views

    def _review(self, case_id: int, party_id: int, now: datetime) -> ReviewView:
        state = self._reviews.state(case_id, party_id, now)
        deadline = state.deadline
        delivered = local_text(state.delivered_at.astimezone(self._tz)) if state.delivered_at else ""
        if deadline is None:
            return ReviewView("", "", "", False, False, delivered, state)
        at = deadline.at.astimezone(self._tz)
        last = deadline.last_day
        weekday = "一二三四五六日"[last.weekday()]
        left = (at - now).total_seconds()
        return ReviewView(local_text(at), f"{last.year}年{last.month}月{last.day}日（星期{weekday}）24时",
                          remaining_text(left), left <= 0, bool(deadline.approximate), delivered, state)

    # --- the document -----------------------------------------------------------------
    def page_image(self, case_id: int, party_id: int, number: str, page: int,
                   now: datetime | None = None) -> tuple[bytes, Delivery | None]:
        """One page as PNG; the current document's first fetch by this party is its delivery."""
        document = self._document(case_id, party_id, number)
        data = self._images.png(document.sha256, self._pdf(document.sha256), page)
        return data, self._deliver(document, party_id, "opened", now)

    def pdf(self, case_id: int, party_id: int, number: str,
            now: datetime | None = None) -> tuple[bytes, Delivery | None]:
        document = self._document(case_id, party_id, number)
        return self._pdf(document.sha256), self._deliver(document, party_id, "downloaded", now)

    def _document(self, case_id: int, party_id: int, number: str) -> Document:
        with self._factory() as s:
            _case_and_party(s, case_id, party_id)
            document = s.scalars(select(Document).where(Document.number == number,
                                                        Document.case_id == case_id)).first()
            if document is None:
                raise NotFound("没有这份认定书")
            s.expunge(document)
            return document

    def _deliver(self, document: Document, party_id: int, via: str, now: datetime | None) -> Delivery | None:
        if document.revoked_at is not None:
            return None
        return self._deliveries.record(document.id, party_id, via, now)

    def _pdf(self, sha256: str) -> bytes:
        with self._store.open(sha256) as f:
            return f.read()


def _case_and_party(s: Session, case_id: int, party_id: int) -> tuple[Case, Party]:
    case, party = s.get(Case, case_id), s.get(Party, party_id)
    if case is None or party is None or party.case_id != case_id:
        raise NotFound("找不到该当事方")
    return case, party


def _grade(code: str) -> str:
    try:
        return RESPONSIBILITY_ZH[Responsibility(code)]
    except ValueError:
        return code or ""


def _party_view(case: Case, p: Party, own: bool) -> PartyView:
    phone = p.phone or (case.reporter_phone if p.position == 1 else "")
    if own:
        return PartyView(party_label(p.position), True, p.driver_name, phone, p.id_number, p.plate,
                         p.vehicle_type, p.insurer, p.policy_number, _grade(p.responsibility))
    return PartyView(party_label(p.position), False, mask_name(p.driver_name), mask_phone(phone) if phone else "",
                     mask_id_number(p.id_number), mask_plate(p.plate) if p.plate else "", p.vehicle_type, p.insurer,
                     mask_id_number(p.policy_number), _grade(p.responsibility))
