"""One-click claim (一键理赔): a party reports the claim to its compulsory insurer, once.

Once the liability document exists, a motor party whose insurer takes one-click
reports (``server/resources/insurers.toml``: PICC, CPIC, Ping An) reports the claim
with one tap. Where a non-motor party is involved, only while the motor vehicle
is at fault (LIABILITY-FACTS.md, practice). The report is one ``claim_reports`` row
per party (a unique key: a double tap, a reload or a retry finds the same row),
written with its audit event and the party's SMS in one transaction, and
delivered by the outbox engine to the insurer's webhook: retried, never lost,
and carrying ``Idempotency-Key: kuaichu-claim-{id}`` so a retry racing a slow
answer is dropped by the insurer. An insurer without a webhook gets no post: the
report is kept ("stored") for the claims desk, and the party sees the hotline.

Every other insurer: the party gets the hotline and a claim pack to download, one
ZIP with the document, the photos and a summary.

The report's JSON is documented in docs/protocol.md ("Claim report") and its JSON
Schema is ``server/resources/claim_report.schema.json``.
"""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.liability import RESPONSIBILITY_ZH, Responsibility
from server.adapters.db import unit_of_work
from server.adapters.insurers import ClaimFailed, InsurerWebhooks
from server.adapters.orm import Case, ClaimReport, Document, Evidence, Party, utcnow
from server.adapters.storage import BlobStore
from server.domain.insurers import Insurer, InsurerTable
from server.domain.party_labels import party_label
from server.domain.sms_templates import SmsTemplates
from server.services import audit
from server.services.errors import Conflict, NotFound
from server.services.outbox import STORED, Outbox, OutboxKind, RetryPolicy, SendFailed
from server.services.signed_urls import UrlSigner
from server.services.sms import queue_sms

SCHEMA_ID = "kuaichu.claim_report/1"
PHOTO_KINDS = ("photo", "frame")
MAX_PHOTOS = 20
#: Queued or in flight, delivered, accepted with a reference, or kept for the claims desk: the page's words.
STATUS_ZH = {"pending": "已提交，正在发送给保险公司", "sending": "已提交，正在发送给保险公司",
             "sent": "保险公司已收到", "stored": "已登记，保险公司理赔人员将与您联系",
             "failed": "发送遇到问题，工作人员正在处理"}


def _audit_outcome(session: Session, report: ClaimReport, status: str) -> None:
    audit.append(session, actor="system", action=f"claim_{status}", case_id=report.case_id,
                 detail={"claim_id": report.id, "insurer": report.insurer, "attempts": report.attempts,
                         "reference": report.reference})


CLAIM = OutboxKind("claim", ClaimReport, on_settled=_audit_outcome)
DEFAULT_POLICY = RetryPolicy(max_attempts=10, base_seconds=5.0, max_seconds=600.0, lease_seconds=60.0)


class ClaimSenderAdapter:
    """The claim outbox's sender: one report, one post to its insurer's webhook."""

    delivered_status = "sent"

    def __init__(self, webhooks: InsurerWebhooks) -> None:
        self._webhooks = webhooks

    def send(self, item: ClaimReport) -> str:
        try:
            reference = self._webhooks.send(item.id, item.insurer, item.payload)
        except ClaimFailed as e:
            raise SendFailed(str(e)) from e
        return reference


@dataclass(frozen=True)
class ClaimOptions:
    """What the party's page offers: one tap, or the hotline and the claim pack."""

    insurer: Insurer | None
    written_insurer: str  # as on the policy, when the table does not know it
    one_click: bool  # the button is offered
    refused: str  # why not, in plain words ("" when offered)
    status: str  # the existing report's status ("" when none)
    status_zh: str
    reference: str  # the insurer's claim number, once accepted

    @property
    def phone(self) -> str:
        return self.insurer.phone if self.insurer else ""


class ClaimService:
    def __init__(self, factory: sessionmaker[Session], insurers: InsurerTable, webhooks: InsurerWebhooks,
                 signer: UrlSigner, store: BlobStore, templates: SmsTemplates, timezone: str,
                 link_ttl: timedelta = timedelta(days=7), policy: RetryPolicy = DEFAULT_POLICY) -> None:
        self._factory, self._insurers, self._webhooks = factory, insurers, webhooks
        self._signer, self._store, self._templates = signer, store, templates
        self._tz, self._link_ttl = ZoneInfo(timezone), link_ttl
        self.outbox = Outbox(factory, CLAIM, ClaimSenderAdapter(webhooks), policy, batch=20)

    # --- what the page shows ----------------------------------------------------
    def options(self, case_id: int, party_id: int) -> ClaimOptions:
        with self._factory() as s:
            case, party, document = _case_party_document(s, case_id, party_id)
            insurer = self._insurer(party)
            existing = s.scalars(select(ClaimReport).where(ClaimReport.case_id == case_id,
                                                           ClaimReport.party_id == party_id)).first()
            refused = _refusal(s, case, party, document, insurer)
            status = existing.status if existing else ""
            return ClaimOptions(insurer, party.insurer, refused == "" and existing is None, refused, status,
                                STATUS_ZH.get(status, ""), existing.reference if existing else "")

    # --- the tap ------------------------------------------------------------------
    def report(self, case_id: int, party_id: int, link: str, now: datetime | None = None) -> ClaimReport:
        """Reports the party's claim, or returns the report already made (a double tap, a reload)."""
        now = now or utcnow()
        try:
            with unit_of_work(self._factory) as s:
                existing = _existing(s, case_id, party_id)
                if existing is not None:
                    return existing
                case, party, document = _case_party_document(s, case_id, party_id)
                insurer = self._insurer(party)
                refused = _refusal(s, case, party, document, insurer)
                if refused:
                    raise Conflict(refused)
                assert insurer is not None and document is not None
                webhook = self._webhooks.handles(insurer.code)
                report = ClaimReport(case_id=case_id, party_id=party_id, insurer=insurer.code,
                                     document_id=document.id, payload={}, status="pending" if webhook else STORED,
                                     attempts=0, next_attempt_at=now, sent_at=None if webhook else now)
                s.add(report)
                s.flush()
                report.payload = self._payload(s, report, case, party, document, now)
                audit.append(s, actor=f"party:{party_id}", action="claim_reported", case_id=case_id,
                             detail={"claim_id": report.id, "insurer": insurer.code, "webhook": webhook,
                                     "document_number": document.number})
                queue_sms(s, party.phone, self._templates.render(
                    "claim_reported", case=case.number, insurer=insurer.aliases[0] if insurer.aliases else insurer.name,
                    link=link), case_id=case_id, party_id=party_id, purpose="claim_reported")
                s.flush()
                s.expunge(report)
                return report
        except IntegrityError:  # the same party's other tap won the race: that report is the one
            with self._factory() as s:
                existing = _existing(s, case_id, party_id)
                if existing is None:
                    raise
                return existing

    def deliver_due(self, now: datetime | None = None) -> int:
        return len(self.outbox.deliver_due(now or utcnow()))

    def interrupt(self) -> None:
        self.outbox.interrupt()

    # --- for insurers without one-click -----------------------------------------
    def claim_pack(self, case_id: int, party_id: int, now: datetime | None = None) -> bytes:
        """One ZIP: the liability document, the photos, and a summary (summary.txt and report.json)."""
        now = now or utcnow()
        with unit_of_work(self._factory) as s:
            case, party, document = _case_party_document(s, case_id, party_id)
            if document is None:
                raise Conflict("责任认定书尚未出具，暂不能下载理赔材料")
            payload = self._payload(s, None, case, party, document, now)
            photos = _photos(s, case_id)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
                pack.writestr(f"责任认定书-{document.number}.pdf", self._read(document.sha256))
                for n, photo in enumerate(photos, start=1):
                    extension = "png" if photo.content_type == "image/png" else "jpg"
                    pack.writestr(f"照片/{n:02d}-{photo.label or photo.kind}.{extension}", self._read(photo.sha256))
                pack.writestr("summary.txt", _summary(payload))
                pack.writestr("report.json", json.dumps(payload, ensure_ascii=False, indent=2))
            audit.append(s, actor=f"party:{party_id}", action="claim_pack_downloaded", case_id=case_id,
                         detail={"document_number": document.number, "photos": len(photos)})
            return buffer.getvalue()

    # --- helpers ----------------------------------------------------------------------
    def _insurer(self, party: Party) -> Insurer | None:
        """By the registry's insurer code (the verification's insurance details), else by what the policy says."""
        insurance = (party.verification or {}).get("insurance") or {}
        code = (insurance.get("details") or {}).get("insurer", "") if isinstance(insurance, dict) else ""
        return self._insurers.match(code if isinstance(code, str) else "", party.insurer)

    def _read(self, sha256: str) -> bytes:
        with self._store.open(sha256) as f:
            return f.read()

    def _payload(self, s: Session, report: ClaimReport | None, case: Case, claimant: Party, document: Document,
                 now: datetime) -> dict[str, Any]:
        parties = list(s.scalars(select(Party).where(Party.case_id == case.id).order_by(Party.position)))
        decision = {p.get("party_id"): p for p in (document.decision or {}).get("parties", [])}
        doc_url = self._signer.sign("document", document.number, self._link_ttl, now)
        photos = []
        for photo in _photos(s, case.id):
            signed = self._signer.sign("evidence", photo.id, self._link_ttl, now)
            photos.append({"url": signed.url, "sha256": photo.sha256, "label": photo.label or photo.kind,
                           "content_type": photo.content_type, "expires_at": signed.expires_at.isoformat()})
        accident_at = case.accident_at or case.answered_at or case.created_at
        return {
            "schema": SCHEMA_ID,
            "report_id": f"kuaichu-claim-{report.id}" if report is not None else "",
            "insurer": report.insurer if report is not None else (self._insurer(claimant) or _NO_INSURER).code,
            "case_number": case.number,
            "document_number": document.number,
            "reported_at": now.astimezone(self._tz).isoformat(),
            "accident": {
                "time": accident_at.astimezone(self._tz).isoformat() if accident_at else None,
                "place": case.district or "",
                "latitude": case.latitude, "longitude": case.longitude,
                "weather": case.weather or "",
            },
            "claimant": party_label(claimant.position),
            "parties": [_party_json(p, decision.get(p.id, {}), self._insurer(p)) for p in parties],
            "document": {"url": doc_url.url, "sha256": document.sha256, "expires_at": doc_url.expires_at.isoformat()},
            "photos": photos,
        }


_NO_INSURER = Insurer("", "", (), "", False)


def _party_json(p: Party, decided: dict[str, Any], insurer: Insurer | None) -> dict[str, Any]:
    responsibility = decided.get("responsibility") or ""
    zh = RESPONSIBILITY_ZH.get(Responsibility(responsibility), "") if responsibility in Responsibility.__members__.values() else ""
    return {
        "label": party_label(p.position), "kind": p.kind, "name": p.driver_name, "phone": p.phone,
        "plate": p.plate, "vehicle_type": p.vehicle_type,
        "insurer": insurer.code if insurer else "", "insurer_name": insurer.name if insurer else p.insurer,
        "policy_number": p.policy_number, "responsibility": responsibility, "responsibility_zh": zh,
    }


def _summary(payload: dict[str, Any]) -> str:
    lines = [f"案件号：{payload['case_number']}", f"责任认定书：{payload['document_number']}",
             f"事故时间：{payload['accident']['time'] or '不详'}", f"事故地点：{payload['accident']['place'] or '不详'}", ""]
    for p in payload["parties"]:
        lines.append(f"{p['label']}：{p['name']}  {p['plate']}  {p['insurer_name']}  保单号 {p['policy_number']}  "
                     f"{p['responsibility_zh']}")
    lines += ["", f"照片 {len(payload['photos'])} 张，见“照片”文件夹。", f"认定书 sha256：{payload['document']['sha256']}"]
    return "\n".join(lines) + "\n"


def _existing(s: Session, case_id: int, party_id: int) -> ClaimReport | None:
    report = s.scalars(select(ClaimReport).where(ClaimReport.case_id == case_id,
                                                 ClaimReport.party_id == party_id)).first()
    if report is not None:
        s.expunge(report)
    return report


def _photos(s: Session, case_id: int) -> list[Evidence]:
    return list(s.scalars(select(Evidence).where(Evidence.case_id == case_id, Evidence.kind.in_(PHOTO_KINDS))
                          .order_by(Evidence.id).limit(MAX_PHOTOS)))


def _case_party_document(s: Session, case_id: int, party_id: int) -> tuple[Case, Party, Document | None]:
    case, party = s.get(Case, case_id), s.get(Party, party_id)
    if case is None or party is None or party.case_id != case_id:
        raise NotFound("找不到该当事方")
    document = s.scalars(select(Document).where(Document.case_id == case_id, Document.kind == "liability",
                                                Document.revoked_at.is_(None))
                         .order_by(Document.id.desc())).first()
    return case, party, document


def _refusal(s: Session, case: Case, party: Party, document: Document | None, insurer: Insurer | None) -> str:
    """Why the one tap is not offered to this party, in plain words; "" when it is."""
    if document is None:
        return "责任认定书出具后才能报案理赔"
    if party.kind != "motor":
        return "非机动车一方没有交强险，请联系机动车一方的保险公司"
    if insurer is None:
        return "未能识别您的保险公司，请拨打保险公司电话报案"
    if not insurer.one_click:
        return f"{insurer.name}暂不支持一键报案，请拨打 {insurer.phone} 报案，并下载理赔材料"
    decided = {p.get("party_id"): p for p in (document.decision or {}).get("parties", [])}
    others = list(s.scalars(select(Party).where(Party.case_id == case.id, Party.id != party.id)))
    if any(o.kind != "motor" for o in others) and decided.get(party.id, {}).get("responsibility") == "none":
        return "机动车与非机动车事故中，机动车一方有责任时才能一键报案；请拨打保险公司电话"
    return ""
