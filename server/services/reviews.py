"""The review (复核, 公安部令第146号 第七十一条 to 第七十九条): a party asks, a reviewer decides.

A party may ask within ``KUAICHU_REVIEW_WINDOW_DAYS`` working days (第一百一十二条第（五）项) of the
document's delivery to that party (``document_deliveries``): the deadline is the work calendar's. Before
the document reached the party the form is open and the deadline not yet running. One review per
accident (第七十一条): any party's request closes the form for everyone, and a withdrawn request
(第七十五条) still counts. The request, its files (up to five photos or PDFs, checked like evidence and
stored as evidence of kind "review"), the move to ``review_requested``, the audit events and the
applicant's SMS are one transaction.

The reviewer is an officer who did not issue the document under review. 维持 (upheld) ends the review
(``reviewed``); 责令重新调查、认定 (sent back, with a 第七十六条 reason) returns the case to the officer
queue (``awaiting_liability``, nobody holding it), and the document issued next revokes the old one
(第七十九条, in ``DeterminationService.issue``). Every party gets the outcome by SMS with a fresh link
of its own (第七十八条).
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pypdfium2
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import CaseState as S
from server.adapters.db import unit_of_work
from server.adapters.orm import Case, Document, DocumentDelivery, Evidence, Party, ReviewRequest, User, utcnow
from server.adapters.pdfium_lock import PDFIUM_LOCK
from server.adapters.storage import BlobStore
from server.domain import case_states
from server.domain.party_labels import party_label
from server.domain.sms_templates import SmsTemplates
from server.domain.working_days import Deadline, WorkCalendar
from server.services import audit
from server.services.cases import Actor, CaseService
from server.services.errors import Conflict, Forbidden, Invalid, NotFound, TooLarge
from server.services.evidence import EvidenceService
from server.services.invitations import InvitationService, link_for
from server.services.sms import queue_sms

#: 第七十六条: why a reviewer sends a case back, as codes.
REASONS: dict[str, str] = {
    "facts_unclear": "事实不清",
    "evidence_insufficient": "证据不确实充分",
    "law_wrong": "适用法律错误",
    "responsibility_unfair": "责任划分不公正",
    "procedure_wrong": "调查及认定违反法定程序",
}
DECISIONS = ("upheld", "sent_back")
STATUSES = ("pending", "withdrawn", "upheld", "sent_back")
STATUS_ZH = {"pending": "待复核", "withdrawn": "已撤回", "upheld": "维持原认定", "sent_back": "责令重新调查、认定"}
EVIDENCE_KIND = "review"
MAX_FILES = 5
MAX_PDF_PAGES = 50
MAX_TEXT = 2000
PDF_TYPE = "application/pdf"
AFTER_DEADLINE = ("对损害赔偿有争议的，可以申请人民调解委员会调解，或者向人民法院提起民事诉讼。")


class ReviewerIsIssuer(Forbidden):
    code = "reviewer_is_issuer"


@dataclass(frozen=True)
class ReviewState:
    """What the party's page shows about the review."""

    deadline: Deadline | None  # None until the document reached this party (the period has not started)
    delivered_at: datetime | None
    can_request: bool
    why_not: str  # plain words when the form is closed ("" when open)
    request: ReviewRequest | None  # the accident's one request, whoever made it
    can_withdraw: bool  # this party made it and it is still pending


@dataclass(frozen=True)
class ReviewSummary:
    """A line of the reviewer queue."""

    id: int
    case_id: int
    case_number: str
    document_number: str
    issued_by: int | None
    issued_by_name: str
    party_id: int
    party_label: str
    status: str
    created_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True)
class ReviewDetail:
    summary: ReviewSummary
    review: ReviewRequest
    case: Case  # with its parties loaded


@dataclass(frozen=True)
class _File:
    data: bytes
    content_type: str
    width: int | None
    height: int | None
    original: dict


class ReviewService:
    def __init__(self, factory: sessionmaker[Session], cases: CaseService, evidence: EvidenceService,
                 invitations: InvitationService, store: BlobStore, templates: SmsTemplates, calendar: WorkCalendar,
                 settings) -> None:  # settings: server.settings.Settings
        self._factory, self._cases, self._evidence, self._invitations = factory, cases, evidence, invitations
        self._store, self._templates, self._calendar = store, templates, calendar
        self._tz = ZoneInfo(settings.timezone)
        self._base_url = settings.public_base_url.rstrip("/")
        self._window = settings.review_window_days
        self._max_bytes = settings.max_upload_bytes

    # --- the party's side ------------------------------------------------------------
    def state(self, case_id: int, party_id: int, now: datetime) -> ReviewState:
        with self._factory() as s:
            case, _ = _case_and_party(s, case_id, party_id)
            return self._state_in(s, case, party_id, now)

    def request(self, case_id: int, party_id: int, *, request: str, reasons: str, files: list[tuple[str, bytes]],
                link: str, now: datetime) -> ReviewRequest:
        """The party's written request (第七十一条) with up to five files; ``link`` is the party's own link
        (its token or its full URL), which the confirmation SMS carries."""
        request, reasons = _text(request, "复核请求"), _text(reasons, "复核理由")
        if len(files) > MAX_FILES:
            raise Invalid(f"最多上传 {MAX_FILES} 个照片或 PDF 文件")
        actor = Actor.party(case_id, party_id)
        checked = [self._checked(name, data, actor) for name, data in files]  # decoding outside the transaction
        try:
            with unit_of_work(self._factory) as s:
                case = _locked_case(s, case_id)
                party = _party(s, case, party_id)
                state = self._state_in(s, case, party_id, now)
                if not state.can_request:
                    raise Conflict(state.why_not, state=case.state)
                document = _current_document(s, case_id)
                evidence = [self._store_file(s, case_id, party_id, f, actor, now) for f in checked]
                row = ReviewRequest(case_id=case_id, party_id=party_id, document_id=document.id, request=request,
                                    reason=reasons, evidence=evidence, status="pending", created_at=now)
                s.add(row)
                s.flush()
                result = self._cases.transition_in(s, case_id, S.REVIEW_REQUESTED, actor, detail={
                    "review_id": row.id, "party_id": party_id, "document_number": document.number,
                    "evidence": evidence})
                phone = _phone(case, party)
                if phone:
                    queue_sms(s, phone, self._templates.render("review_received", case=case.number,
                                                               link=self._link(s, case_id, party, link)),
                              case_id=case_id)
        except IntegrityError as e:  # another party's request won the one-per-accident key meanwhile
            raise Conflict("本事故已有当事人申请复核，同一事故的复核以一次为限") from e
        self._cases.notify(result)
        return row

    def withdraw(self, case_id: int, party_id: int, *, link: str, now: datetime) -> None:
        """The applicant withdraws a pending request (第七十五条): the review ends and the document stands.

        ``link`` is the party's own link; withdrawing sends no SMS (the page says it at once)."""
        del link
        with unit_of_work(self._factory) as s:
            case = _locked_case(s, case_id)
            _party(s, case, party_id)
            row = s.scalar(select(ReviewRequest).where(ReviewRequest.case_id == case_id).with_for_update())
            if row is None or row.status != "pending":
                raise Conflict("没有待处理的复核申请可以撤回")
            if row.party_id != party_id:
                raise Forbidden("只有提出复核申请的当事人可以撤回")
            determined_at = case.determined_at
            row.status, row.withdrawn_at = "withdrawn", now
            result = self._cases.transition_in(s, case_id, S.DETERMINED, Actor.party(case_id, party_id),
                                               detail={"review_id": row.id})
            # Back to 已认定, but the document was determined when it was issued, not now.
            s.execute(update(Case).where(Case.id == case_id).values(determined_at=determined_at))
        self._cases.notify(result)

    # --- the reviewer's side -----------------------------------------------------------
    def list(self, status: str | None = None) -> list[ReviewSummary]:
        if status is not None and status not in STATUSES:
            raise Invalid(f"状态必须是 {'、'.join(STATUSES)} 之一")
        with self._factory() as s:
            q = select(ReviewRequest).order_by(ReviewRequest.created_at, ReviewRequest.id)
            if status:
                q = q.where(ReviewRequest.status == status)
            return [_summary(s, row) for row in s.scalars(q)]

    def get(self, review_id: int) -> ReviewDetail:
        with self._factory() as s:
            row = s.get(ReviewRequest, review_id)
            if row is None:
                raise NotFound(f"复核申请 {review_id} 不存在")
            case = s.get(Case, row.case_id)
            _ = case.parties, case.officer_name
            return ReviewDetail(_summary(s, row), row, case)

    def decide(self, review_id: int, actor: Actor, decision: str, reason: str, outcome: str,
               now: datetime | None = None) -> ReviewRequest:
        """维持 or 责令重新调查、认定, by an officer who did not issue the document (403 otherwise)."""
        now = now or utcnow()
        reason, outcome = (reason or "").strip(), _text(outcome, "复核结论")
        if decision not in DECISIONS:
            raise Invalid("复核结论必须是 维持（upheld）或 重新调查、认定（sent_back）")
        if decision == "sent_back" and reason not in REASONS:
            raise Invalid(f"重新调查、认定须选择第七十六条的理由：{'、'.join(REASONS.values())}")
        if decision == "upheld" and reason:
            raise Invalid("维持原认定不需要选择第七十六条的理由")
        if actor.kind != case_states.OFFICER or actor.user_id is None:
            raise Forbidden("只有民警可以复核")
        with unit_of_work(self._factory) as s:
            row = s.get(ReviewRequest, review_id, with_for_update=True)
            if row is None:
                raise NotFound(f"复核申请 {review_id} 不存在")
            case = _locked_case(s, row.case_id)
            if row.status != "pending":
                raise Conflict(f"复核申请 {review_id} 已{STATUS_ZH[row.status]}，不能再作结论", status=row.status)
            document = s.get(Document, row.document_id) if row.document_id else None
            if document is not None and document.issued_by == actor.user_id:
                raise ReviewerIsIssuer(f"认定书 {document.number} 是您出具的，不能由您复核；请由其他民警复核")
            row.status, row.decision_reason, row.outcome = decision, reason, outcome
            row.decided_by, row.decided_at = actor.user_id, now
            sent_back = decision == "sent_back"
            result = self._cases.transition_in(
                s, case.id, S.AWAITING_LIABILITY if sent_back else S.REVIEWED, actor, holder_checked=True,
                changes={"officer_user_id": None, "priority": 1} if sent_back else None,
                detail={"review_id": row.id, "decision": decision, "reason": reason,
                        # the dashboard counts a review whose outcome is "revised" as an overturn (docs/metrics.md)
                        "outcome": "revised" if sent_back else "upheld", "document_number": document.number
                        if document else ""})
            words = STATUS_ZH[decision] + (f"（{REASONS[reason]}）" if sent_back else "")
            for party in sorted(case.parties, key=lambda p: p.position):
                phone = _phone(case, party)
                if not phone:
                    continue
                link = self._invitations.create_in(s, case.id, phone, actor.audit_name, party_id=party.id,
                                                   send_sms=False, purpose="progress")
                queue_sms(s, phone, self._templates.render("review_outcome", case=case.number, outcome=words,
                                                           link=link_for(self._base_url, link.token)),
                          case_id=case.id)
        self._cases.notify(result)
        return row

    # --- the pieces ------------------------------------------------------------------
    def _state_in(self, s: Session, case: Case, party_id: int, now: datetime) -> ReviewState:
        existing = s.scalar(select(ReviewRequest).where(ReviewRequest.case_id == case.id))
        document = _current_document(s, case.id)
        delivery = s.scalar(select(DocumentDelivery).where(DocumentDelivery.document_id == document.id,
                                                           DocumentDelivery.party_id == party_id)) if document else None
        delivered_at = _aware(delivery.delivered_at) if delivery else None
        deadline = self._calendar.deadline(delivered_at, self._window, self._tz) if delivered_at else None
        mine = existing is not None and existing.party_id == party_id
        can_withdraw = mine and existing.status == "pending"
        why = self._why_not(case, existing, mine, document, deadline, now)
        return ReviewState(deadline, delivered_at, why == "", why, existing, can_withdraw)

    def _why_not(self, case: Case, existing: ReviewRequest | None, mine: bool, document: Document | None,
                 deadline: Deadline | None, now: datetime) -> str:
        if existing is not None:
            who = "您" if mine else "本事故的其他当事人"
            return (f"{who}已于 {_when(existing.created_at, self._tz)} 申请复核（{STATUS_ZH[existing.status]}）。"
                    "同一事故的复核以一次为限。")
        if document is None or case.state != S.DETERMINED.value:
            return f"案件当前为“{case_states.STATE_LABELS_ZH[S(case.state)]}”，认定书出具后才能申请复核。"
        if deadline is not None and _aware(now) >= deadline.at:
            last = deadline.last_day
            return (f"申请复核的期限（认定书送达之日起 {self._window} 个工作日）已于 {last.year}年{last.month}月"
                    f"{last.day}日24时届满，不能再申请复核。{AFTER_DEADLINE}")
        return ""

    def _checked(self, name: str, data: bytes, actor: Actor) -> _File:
        """A photo re-encoded as party photos are, or a real PDF of at most 50 pages; 422 naming the file."""
        label = (name or "文件")[:64]
        if data[:5] != b"%PDF-":
            try:
                clean, probe, original = self._evidence.check(data, "photo", actor)
            except Invalid as e:
                raise Invalid(f"{label}：{e.message}（只能上传照片或 PDF）") from e
            return _File(clean, probe.content_type, probe.width, probe.height, original)
        if len(data) > self._max_bytes:
            raise TooLarge(f"{label}：文件过大，最大 {self._max_bytes // (1024 * 1024)} MB", limit_bytes=self._max_bytes)
        try:
            with self._evidence.decode_gate.slot(timeout=60.0), PDFIUM_LOCK:
                pdf = pypdfium2.PdfDocument(io.BytesIO(data))
                try:
                    pages = len(pdf)
                finally:
                    pdf.close()
        except pypdfium2.PdfiumError as e:
            raise Invalid(f"{label}：不是完整的 PDF 文件") from e
        if pages < 1 or pages > MAX_PDF_PAGES:
            raise Invalid(f"{label}：PDF 最多 {MAX_PDF_PAGES} 页（此文件 {pages} 页）")
        return _File(data, PDF_TYPE, None, None, {})

    def _store_file(self, s: Session, case_id: int, party_id: int, f: _File, actor: Actor, now: datetime) -> int:
        sha256 = hashlib.sha256(f.data).hexdigest()
        existing = s.scalar(select(Evidence).where(Evidence.case_id == case_id, Evidence.sha256 == sha256))
        if existing is not None:  # the same bytes are already this case's evidence
            return existing.id
        self._store.put(f.data)  # before the row commits: a row never points at missing bytes
        row = Evidence(case_id=case_id, party_id=party_id, sha256=sha256, kind=EVIDENCE_KIND,
                       content_type=f.content_type, size_bytes=len(f.data), width=f.width, height=f.height,
                       captured_at=now, uploaded_by=actor.audit_name[:64], label="review")
        s.add(row)
        s.flush()
        audit.append(s, actor=actor.audit_name, action="evidence_added", case_id=case_id,
                     detail={"evidence_id": row.id, "sha256": sha256, "kind": EVIDENCE_KIND,
                             "size_bytes": row.size_bytes, "party_id": party_id, **f.original})
        return row.id

    def _link(self, s: Session, case_id: int, party: Party, link: str) -> str:
        link = (link or "").strip()
        if link.startswith(("http://", "https://")):
            return link
        if link:
            return link_for(self._base_url, link)
        fresh = self._invitations.create_in(s, case_id, _phone(s.get(Case, case_id), party), f"party:{party.id}",
                                            party_id=party.id, send_sms=False, purpose="progress")
        return link_for(self._base_url, fresh.token)


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(f"请填写{what}")
    if len(value) > MAX_TEXT:
        raise Invalid(f"{what}最多 {MAX_TEXT} 字")
    if any(ord(c) < 32 and c not in "\n\r\t" or c == "\x7f" for c in value):
        raise Invalid(f"{what}只能是普通文字，不能含控制字符")
    return value


def _aware(t: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were stored in UTC."""
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _when(t: datetime, tz: ZoneInfo) -> str:
    local = _aware(t).astimezone(tz)
    return f"{local.year}年{local.month}月{local.day}日 {local.hour:02d}:{local.minute:02d}"


def _phone(case: Case, party: Party) -> str:
    """The party's phone; the reporter's number stands in for 甲方 when the operator left it empty."""
    return party.phone or (case.reporter_phone if party.position == 1 else "")


def _locked_case(s: Session, case_id: int) -> Case:
    case = s.get(Case, case_id, with_for_update=True)
    if case is None:
        raise NotFound(f"案件 {case_id} 不存在")
    return case


def _party(s: Session, case: Case, party_id: int) -> Party:
    party = s.get(Party, party_id)
    if party is None or party.case_id != case.id:
        raise NotFound(f"当事方 {party_id} 不属于案件 {case.number}")
    return party


def _case_and_party(s: Session, case_id: int, party_id: int) -> tuple[Case, Party]:
    case = s.get(Case, case_id)
    if case is None:
        raise NotFound(f"案件 {case_id} 不存在")
    return case, _party(s, case, party_id)


def _current_document(s: Session, case_id: int) -> Document | None:
    """The case's liability document in force: the latest not revoked."""
    return s.scalar(select(Document).where(Document.case_id == case_id, Document.kind == "liability",
                                           Document.revoked_at.is_(None)).order_by(Document.id.desc()).limit(1))


def _summary(s: Session, row: ReviewRequest) -> ReviewSummary:
    case = s.get(Case, row.case_id)
    party = s.get(Party, row.party_id)
    document = s.get(Document, row.document_id) if row.document_id else None
    issuer = s.get(User, document.issued_by) if document and document.issued_by else None
    return ReviewSummary(row.id, row.case_id, case.number, document.number if document else "",
                         document.issued_by if document else None, issuer.display_name if issuer else "",
                         row.party_id, party_label(party.position) if party else "", row.status,
                         _aware(row.created_at), _aware(row.decided_at) if row.decided_at else None)
