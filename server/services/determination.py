"""The officer's part of a case: take it, send it back for more evidence, preview and issue the liability document.

Issuing is one transaction, so a failure anywhere leaves nothing behind: the 第六十条
consistency check again (with the catalogue's codes), the next number from
``document_counters`` under a row lock (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` write lock) so numbers are unique and gapless per year, the PDF stored
as evidence with its sha256, the document row, each party's responsibility, the move to
``determined`` with its audit event, and one SMS per party carrying that party's own new
link. The case row is locked first, so of two requests for the same case the second finds
it determined and gets a 409. A case a review sent back (issue 13) is issued again the same way, and the
new document revokes the one in force (``revoked_at``, ``superseded_by_id``) in that same transaction.

A preview renders the same document from the same data, numbered 预览, and writes nothing.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.accident_facts import draft_facts, mode_of_travel, place_text, plate_with_dot
from kuaichu_protocol.liability import PartyDecision, Problem, Responsibility, check_decision
from kuaichu_protocol.messages import CaseState as S
from server.adapters.db import unit_of_work
from server.adapters.orm import Case, Document, DocumentCounter, Evidence, Party, User, utcnow
from server.adapters.storage import BlobStore
from server.domain import case_states
from server.domain.liability_document import LiabilityDocument, PartyBlock, ViolationLine
from server.domain.party_labels import PARTY_LABELS, party_label
from server.domain.sms_templates import SmsTemplates
from server.domain.violations import ViolationCatalogue
from server.domain.working_days import WorkCalendar
from server.services import audit
from server.services.cases import Actor, CaseService, NotHolder, TransitionResult
from server.services.errors import Conflict, Invalid, NotFound
from server.services.invitations import InvitationService, link_for
from server.services.sms import queue_sms

WEATHERS = ("晴", "阴", "雨", "雪", "雾", "其他")
DOCUMENT_KIND = "liability"
PDF_TYPE = "application/pdf"
EVIDENCE_LABEL = "liability_document"
MAX_FACTS_CHARS = 4000
REVIEW_WORKING_DAYS = 3  # 146号 第七十一条, 第一百一十二条第（五）项

Renderer = Callable[[LiabilityDocument], bytes]


@dataclass(frozen=True)
class PartyChoice:
    party_id: int
    responsibility: str
    violations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    facts: str
    parties: tuple[PartyChoice, ...]
    weather: str | None = None


@dataclass(frozen=True)
class Issued:
    case_id: int
    document_number: str
    sha256: str
    size_bytes: int
    sms_sent: int


class IncoherentDecision(Invalid):
    """422 naming the first rule broken, and every problem with the parties it concerns."""

    code = "incoherent_decision"

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__("；".join(p.message for p in problems), rule=first.rule, parties=list(first.parties),
                         problems=[{"rule": p.rule, "message": p.message, "parties": list(p.parties)}
                                   for p in problems])


class DeterminationService:
    def __init__(self, factory: sessionmaker[Session], cases: CaseService, invitations: InvitationService,
                 store: BlobStore, catalogue: ViolationCatalogue, templates: SmsTemplates, calendar: WorkCalendar,
                 render: Renderer, settings) -> None:  # settings: server.settings.Settings
        self._factory, self._cases, self._invitations, self._store = factory, cases, invitations, store
        self.catalogue, self._templates, self._calendar, self._render = catalogue, templates, calendar, render
        self._tz = ZoneInfo(settings.timezone)
        self._base_url = settings.public_base_url.rstrip("/")
        self._unit, self._code = settings.issuing_unit, settings.document_code
        self._listeners: list[Callable[[int], None]] = []

    def on_taken(self, listener: Callable[[int], None]) -> None:
        """Called after a take commits (the hub refreshes the officers' queue)."""
        self._listeners.append(listener)

    # --- taking ----------------------------------------------------------------------
    def take(self, case_id: int, actor: Actor) -> None:
        """The officer holds the case from now on; a case another officer holds is a 409 naming them."""
        with unit_of_work(self._factory) as s:
            case = _locked_case(s, case_id)
            _ensure_awaiting(case, "接手")
            if case.officer_user_id == actor.user_id:
                return
            if case.officer_user_id is not None:
                raise _held_by_other(s, case)
            won = s.execute(update(Case).where(Case.id == case_id, Case.state == S.AWAITING_LIABILITY.value,
                                               Case.officer_user_id.is_(None))
                            .values(officer_user_id=actor.user_id, updated_at=utcnow())).rowcount
            if won != 1:
                raise Conflict(f"案件 {case.number} 刚刚被其他民警接手，请刷新")
            audit.append(s, actor=actor.audit_name, action="officer_took", case_id=case_id,
                         from_state=case.state, to_state=case.state, detail={"officer_user_id": actor.user_id})
        for listener in self._listeners:
            listener(case_id)

    # --- sending back ------------------------------------------------------------------
    def send_back(self, case_id: int, reason: str, actor: Actor) -> TransitionResult:
        """Back to the parties for more evidence: each gets an SMS with a fresh link; the case rejoins the
        operator queue first when one of them opens it. The officer lets go of the case."""
        reason = (reason or "").strip()
        if not reason:
            raise Invalid("退回补充证据必须填写原因")
        with unit_of_work(self._factory) as s:
            case = self._deciding_case(s, case_id, actor)
            number, parties = case.number, list(case.parties)
            result = self._cases.transition_in(
                s, case_id, S.INTERRUPTED, actor, detail={"reason": reason[:500]},
                changes={"sent_back_at": utcnow(), "priority": 1, "officer_user_id": None})
            for party in parties:
                self._notify_party(s, case_id, number, party, actor, "call", "sent_back")
        self._cases.notify(result)
        return result

    # --- previewing and issuing ----------------------------------------------------------
    def preview(self, case_id: int, decision: Decision, actor: Actor) -> bytes:
        """The document as it would be issued, numbered 预览; nothing is written."""
        with self._factory() as s:
            case = self._deciding_case(s, case_id, actor, lock=False)
            parties = self._checked(case, decision)
            officer = s.get(User, actor.user_id)
            doc = self._document(case, parties, decision, "预览", officer, utcnow(), preview=True)
        return self._render(doc)

    def issue(self, case_id: int, decision: Decision, actor: Actor) -> Issued:
        if not decision.facts.strip():
            raise Invalid("请填写交通事故事实")
        with unit_of_work(self._factory) as s:
            case = self._deciding_case(s, case_id, actor)
            parties = self._checked(case, decision)
            now = utcnow()
            year = now.astimezone(self._tz).year
            seq = _next_seq(s, DOCUMENT_KIND, year)
            number = f"{self._code}{year}-{seq:06d}"
            doc = self._document(case, parties, decision, number, s.get(User, actor.user_id), now)
            pdf = self._render(doc)
            sha256 = hashlib.sha256(pdf).hexdigest()
            document = self._store_document(s, case, decision, parties, number, year, seq, pdf, sha256, actor, now)
            _revoke_previous(s, case_id, document, actor, now)  # a case sent back by a review (第七十九条)
            case_number, party_rows = case.number, [p for p, _ in parties]
            result = self._cases.transition_in(s, case_id, S.DETERMINED, actor,
                                               detail={"document_number": number, "sha256": sha256})
            audit.append(s, actor=actor.audit_name, action="document_issued", case_id=case_id,
                         detail={"document_id": document.id, "number": number, "sha256": sha256,
                                 "size_bytes": len(pdf), "evidence_id": document.evidence_id,
                                 "decision": document.decision})
            sent = sum(self._notify_party(s, case_id, case_number, party, actor, "progress", "document_issued",
                                          document=number, deadline=self._deadline_text(now))
                       for party in party_rows)
        self._cases.notify(result)
        return Issued(case_id, number, sha256, len(pdf), sent)

    def _store_document(self, s: Session, case: Case, decision: Decision, parties: list[tuple[Party, PartyChoice]],
                        number: str, year: int, seq: int, pdf: bytes, sha256: str, actor: Actor,
                        now: datetime) -> Document:
        # The file is written before its row commits: a row never points at missing bytes, and a rolled-back
        # issue leaves at most an unreferenced file under its own hash.
        self._store.put(pdf)
        evidence = Evidence(case_id=case.id, sha256=sha256, kind="document", content_type=PDF_TYPE,
                            size_bytes=len(pdf), captured_at=now, uploaded_by=actor.audit_name[:64],
                            label=EVIDENCE_LABEL)
        s.add(evidence)
        s.flush()
        record = {"facts": decision.facts, "weather": decision.weather or case.weather or "",
                  "issuing_unit": self._unit, "parties": [
            {"party_id": p.id, "label": party_label(p.position), "responsibility": c.responsibility,
             "violations": list(c.violations)} for p, c in parties]}
        document = Document(case_id=case.id, kind=DOCUMENT_KIND, number=number, year=year, seq=seq, sha256=sha256,
                            size_bytes=len(pdf), evidence_id=evidence.id, decision=record,
                            issued_by=actor.user_id, created_at=now)
        s.add(document)
        for party, choice in parties:
            lines = [self.catalogue.get(code) for code in choice.violations]
            party.responsibility = choice.responsibility
            party.violation = "；".join(v.behaviour for v in lines)
            party.clause = "；".join(v.article for v in lines)
        case.accident_facts = decision.facts
        if decision.weather:
            case.weather = decision.weather
        s.flush()
        return document

    # --- the pieces ----------------------------------------------------------------------
    def _deciding_case(self, s: Session, case_id: int, actor: Actor, lock: bool = True) -> Case:
        """The case, locked for the write, awaiting liability (409) and held by this officer (403)."""
        case = _locked_case(s, case_id) if lock else s.get(Case, case_id)
        if case is None:
            raise NotFound(f"案件 {case_id} 不存在")
        _ensure_awaiting(case, "认定")
        if case.officer_user_id is None:
            raise NotHolder(f"案件 {case.number} 尚未有民警接手，请先接手再认定", case_id=case.id)
        if case.officer_user_id != actor.user_id:
            raise NotHolder(f"案件 {case.number} 由其他坐席处理中（{_name(s, case.officer_user_id)}），"
                            "如需接手请联系值班长", case_id=case.id)
        return case

    def _checked(self, case: Case, decision: Decision) -> list[tuple[Party, PartyChoice]]:
        """Each party with its choice, in position order, or 422: every party once, a coherent decision."""
        if decision.weather is not None and decision.weather not in WEATHERS:
            raise Invalid(f"天气必须是 {'、'.join(WEATHERS)} 之一")
        if len(decision.facts) > MAX_FACTS_CHARS:
            raise Invalid(f"交通事故事实最长 {MAX_FACTS_CHARS} 个字")
        by_id = {p.id: p for p in case.parties}
        chosen: dict[int, PartyChoice] = {}
        for choice in decision.parties:
            if choice.party_id not in by_id:
                raise Invalid(f"当事方 {choice.party_id} 不属于案件 {case.number}", rule="unknown_party")
            if choice.party_id in chosen:
                label = party_label(by_id[choice.party_id].position)
                raise Invalid(f"{label}出现了两次", rule="party_twice", parties=[label])
            chosen[choice.party_id] = choice
        missing = [party_label(p.position) for p in case.parties if p.id not in chosen]
        if missing:
            raise Invalid(f"{'、'.join(missing)}尚未认定责任：每个当事方都须认定", rule="party_missing",
                          parties=missing)
        ordered = sorted(case.parties, key=lambda p: p.position)
        problems = check_decision([PartyDecision(party_label(p.position), chosen[p.id].responsibility,
                                                 chosen[p.id].violations) for p in ordered], self.catalogue.codes)
        if problems:
            raise IncoherentDecision(problems)
        return [(p, chosen[p.id]) for p in ordered]

    def _document(self, case: Case, parties: list[tuple[Party, PartyChoice]], decision: Decision, number: str,
                  officer: User | None, now: datetime, preview: bool = False) -> LiabilityDocument:
        blocks = tuple(self._party_block(case, party, choice) for party, choice in parties)
        accident_at = case.accident_at or case.created_at
        return LiabilityDocument(
            number=number, issuing_unit=self._unit,
            accident_at=accident_at.astimezone(self._tz) if accident_at else None,
            weather=decision.weather or case.weather or "", place=place_text(_view(case)),
            parties=blocks, facts=decision.facts.strip() or self._draft(case, blocks),
            officer_name=officer.display_name if officer else "", officer_badge=officer.badge_number if officer else "",
            issued_at=now.astimezone(self._tz), verify_url=f"{self._base_url}/v/{number}", preview=preview,
            case_number=case.number)

    def _party_block(self, case: Case, p: Party, choice: PartyChoice) -> PartyBlock:
        lines = (self.catalogue.get(code) for code in choice.violations)
        return PartyBlock(
            label=PARTY_LABELS[p.position - 1] if 1 <= p.position <= len(PARTY_LABELS) else str(p.position),
            name=p.driver_name, id_number=p.id_number, phone=_phone(case, p),
            mode_of_travel=mode_of_travel({"kind": p.kind, "vehicle_type": p.vehicle_type}),
            vehicle_type=p.vehicle_type, plate=plate_with_dot(p.plate), insurer=p.insurer,
            policy_number=p.policy_number, responsibility=Responsibility(choice.responsibility).value,
            violations=tuple(ViolationLine(v.code, v.behaviour, v.article) for v in lines))

    def _draft(self, case: Case, blocks: tuple[PartyBlock, ...]) -> str:
        """The facts of a preview asked for before the officer wrote any: the shared draft."""
        ordered = sorted(case.parties, key=lambda p: p.position)
        return draft_facts(_view(case), {p.id: [v.behaviour for v in b.violations] for p, b in zip(ordered, blocks)},
                           self._tz)

    def _notify_party(self, s: Session, case_id: int, case_number: str, party: Party, actor: Actor, purpose: str,
                      template: str, **values: str) -> int:
        """A fresh link for the party and its SMS; 0 when the party has no phone to send it to."""
        phone = _phone(s.get(Case, case_id), party)
        if not phone:
            return 0
        link = self._invitations.create_in(s, case_id, phone, actor.audit_name, party_id=party.id, send_sms=False,
                                           purpose=purpose)
        queue_sms(s, phone, self._templates.render(template, case=case_number,
                                                   link=link_for(self._base_url, link.token), **values),
                  case_id=case_id, party_id=party.id, purpose=template)  # its delivery report can be 送达
        return 1

    def _deadline_text(self, delivered_at: datetime) -> str:
        last = self._calendar.deadline(delivered_at, REVIEW_WORKING_DAYS, self._tz).last_day
        return f"{last.month}月{last.day}日24时"


def _revoke_previous(s: Session, case_id: int, document: Document, actor: Actor, now: datetime) -> None:
    """The document a review sent back is revoked by the one issued after it, in the issuing transaction."""
    for old in s.scalars(select(Document).where(Document.case_id == case_id, Document.kind == DOCUMENT_KIND,
                                                Document.revoked_at.is_(None), Document.id != document.id)):
        old.revoked_at, old.superseded_by_id = now, document.id
        audit.append(s, actor=actor.audit_name, action="document_revoked", case_id=case_id,
                     detail={"document_id": old.id, "number": old.number, "superseded_by": document.number})
    s.flush()


def _phone(case: Case, party: Party) -> str:
    """The party's phone; the reporter's number stands in for 甲方 when the operator left it empty."""
    return party.phone or (case.reporter_phone if party.position == 1 else "")


def _view(case: Case) -> dict:
    """The case in the shape of its API reply, as kuaichu_protocol.accident_facts reads it."""
    location = None if case.latitude is None else {"lat": case.latitude, "lon": case.longitude}
    return {"accident_at": case.accident_at or case.created_at, "district": case.district, "location": location,
            "operator_notes": case.operator_notes, "answers": case.answers,
            "parties": [{"id": p.id, "position": p.position, "kind": p.kind, "driver_name": p.driver_name,
                         "vehicle_type": p.vehicle_type, "plate": p.plate} for p in case.parties]}


def _locked_case(s: Session, case_id: int) -> Case:
    case = s.get(Case, case_id, with_for_update=True)
    if case is None:
        raise NotFound(f"案件 {case_id} 不存在")
    return case


def _ensure_awaiting(case: Case, what: str) -> None:
    if case.state != S.AWAITING_LIABILITY.value:
        label = case_states.STATE_LABELS_ZH[S(case.state)]
        extra = "，认定书已出具" if case.state == S.DETERMINED.value else ""
        raise Conflict(f"案件 {case.number} 当前为“{label}”{extra}，不能{what}", state=case.state)


def _name(s: Session, user_id: int | None) -> str:
    return (s.scalar(select(User.display_name).where(User.id == user_id)) if user_id is not None else None) or "其他民警"


def _held_by_other(s: Session, case: Case) -> Conflict:
    name = _name(s, case.officer_user_id)
    return Conflict(f"案件已由 {name} 处理", officer_user_id=case.officer_user_id, officer_name=name)


def _next_seq(s: Session, kind: str, year: int) -> int:
    """The next number of the year, under a lock held until the issuing transaction ends: a rolled-back issue
    gives its number back, and two issues never share one."""
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    s.execute(insert(DocumentCounter).values(kind=kind, year=year, last_seq=0).on_conflict_do_nothing())
    counter = s.execute(select(DocumentCounter).where(DocumentCounter.kind == kind, DocumentCounter.year == year)
                        .with_for_update()).scalar_one()
    counter.last_seq += 1
    s.flush()
    return counter.last_seq
