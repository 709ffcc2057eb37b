"""The relational schema: one SQLAlchemy 2 model that serves SQLite and PostgreSQL.

Alembic owns the schema in the database (server/migrations); these classes are
its Python face. Timestamps are stored as UTC and always come back timezone-aware.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Index,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC; SQLite forgets the zone, so it is put back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


# --- people and sessions -----------------------------------------------------


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128), default="")
    role: Mapped[str] = mapped_column(String(16))  # operator | officer | supervisor | admin
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    badge_number: Mapped[str] = mapped_column(String(16), default="")  # 警号, printed on documents by officers
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SessionToken(Base):
    """A seat's login session. Only the sha256 of the token is stored."""

    __tablename__ = "session_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    user: Mapped[User] = relationship(lazy="joined")


class LoginThrottle(Base):
    """Failed-login counter per (user name, client address), shared by all server instances."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)


class RateCounter(Base):
    """One fixed-window hit counter (limit name, key, window start in epoch seconds),
    shared by all server instances; see server/services/rate_limits.py."""

    __tablename__ = "rate_counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)


# --- cases and parties ---------------------------------------------------------


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_created_at", "created_at"),)  # the dashboard's date ranges (0007)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. KC20261124-0001AB
    state: Mapped[str] = mapped_column(String(24), index=True)
    source: Mapped[str] = mapped_column(String(16))  # public | invitation
    reporter_phone: Mapped[str] = mapped_column(String(20), default="")
    priority: Mapped[int] = mapped_column(Integer, default=0)  # rejoining calls sort first
    queued_at: Mapped[datetime | None] = mapped_column(default=None)
    seat_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    last_seat_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    officer_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    latitude: Mapped[float | None] = mapped_column(Float, default=None)
    longitude: Mapped[float | None] = mapped_column(Float, default=None)
    location_accuracy_m: Mapped[float | None] = mapped_column(Float, default=None)
    location_updated_at: Mapped[datetime | None] = mapped_column(default=None)
    district: Mapped[str] = mapped_column(String(64), default="")
    safety: Mapped[dict[str, Any]] = mapped_column(default=dict)  # tick name -> bool, from the phone
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)  # operator's eligibility answers
    eligibility: Mapped[dict[str, Any]] = mapped_column(default=dict)  # last evaluation
    escalation_reason: Mapped[str] = mapped_column(Text, default="")
    accident_facts: Mapped[str] = mapped_column(Text, default="")
    weather: Mapped[str] = mapped_column(String(8), default="")  # 晴 阴 雨 雪 雾 其他, recorded by the operator
    operator_notes: Mapped[str] = mapped_column(Text, default="")  # the course of events, as the operator heard it
    sent_back_at: Mapped[datetime | None] = mapped_column(default=None)  # the officer's last send-back
    accident_at: Mapped[datetime | None] = mapped_column(default=None)
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    determined_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parties: Mapped[list[Party]] = relationship(
        back_populates="case", order_by="Party.position", cascade="all, delete-orphan"
    )
    # The officer who took the case, by name, read with the case (the case reply and the officers' queue show it).
    officer_name: Mapped[str | None] = column_property(
        select(User.display_name).where(User.id == officer_user_id).correlate_except(User).scalar_subquery())


class Party(Base):
    """One side of the accident: a motor vehicle with its driver, or a non-motor party."""

    __tablename__ = "parties"
    __table_args__ = (UniqueConstraint("case_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1.. ; 甲 乙 丙 丁
    kind: Mapped[str] = mapped_column(String(16), default="motor")  # motor | non_motor
    phone: Mapped[str] = mapped_column(String(20), default="")
    driver_name: Mapped[str] = mapped_column(String(64), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")
    licence_class: Mapped[str] = mapped_column(String(16), default="")
    licence_valid_from: Mapped[str] = mapped_column(String(10), default="")  # ISO dates as read from the card
    licence_valid_until: Mapped[str] = mapped_column(String(10), default="")
    plate: Mapped[str] = mapped_column(String(12), default="")
    plate_colour: Mapped[str] = mapped_column(String(12), default="")
    vehicle_type: Mapped[str] = mapped_column(String(32), default="")
    vin: Mapped[str] = mapped_column(String(17), default="")
    owner: Mapped[str] = mapped_column(String(128), default="")
    insurer: Mapped[str] = mapped_column(String(64), default="")
    policy_number: Mapped[str] = mapped_column(String(64), default="")
    insurance_valid_from: Mapped[str] = mapped_column(String(10), default="")
    insurance_valid_until: Mapped[str] = mapped_column(String(10), default="")
    verification: Mapped[dict[str, Any]] = mapped_column(default=dict)
    verified_at: Mapped[datetime | None] = mapped_column(default=None)
    verification_source: Mapped[str] = mapped_column(String(32), default="")
    responsibility: Mapped[str] = mapped_column(String(8), default="")  # 全部 主要 同等 次要 无责任
    violation: Mapped[str] = mapped_column(Text, default="")
    clause: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="parties")


class Evidence(Base):
    """A file kept for a case. The bytes live content-addressed under DATA_DIR/evidence."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("case_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), default=None)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # frame | photo | recording | document
    content_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer, default=None)
    height: Mapped[int | None] = mapped_column(Integer, default=None)
    captured_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by: Mapped[str] = mapped_column(String(64), default="")  # user:<id> | party:<id>
    latitude: Mapped[float | None] = mapped_column(Float, default=None)
    longitude: Mapped[float | None] = mapped_column(Float, default=None)
    ocr: Mapped[dict[str, Any]] = mapped_column(default=dict)
    label: Mapped[str] = mapped_column(String(64), default="")  # e.g. scene, impact, plate, licence
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChecklistItem(Base):
    __tablename__ = "checklist_items"
    __table_args__ = (UniqueConstraint("case_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(128), default="")
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_by: Mapped[str] = mapped_column(String(64), default="")
    done_at: Mapped[datetime | None] = mapped_column(default=None)
    detail: Mapped[str] = mapped_column(Text, default="")


class Invitation(Base):
    """A party link: an unguessable token scoped to one case and one party. Only its hash is kept."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), default=None)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    phone: Mapped[str] = mapped_column(String(20), default="")
    purpose: Mapped[str] = mapped_column(String(16), default="call")  # call | progress
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)


class PhoneCode(Base):
    """A one-time SMS code for the public "video report" entry."""

    __tablename__ = "phone_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)


# --- outgoing messages to the outside world -----------------------------------


class OutboxColumns:
    """The delivery state every outbox row carries; ``server.services.outbox`` claims and records through it.

    ``status``: pending (due at ``next_attempt_at``) -> sending (claimed until ``claimed_until``) ->
    sent | stored (delivered, or kept by a recording-only sender) | failed (gave up; a retry starts over).
    """

    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class SmsMessage(OutboxColumns, Base):
    """The SMS outbox. A row is claimed atomically before sending, so a racing retry never sends twice."""

    __tablename__ = "sms_outbox"
    __table_args__ = (Index("ix_sms_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), default=None)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), default=None)
    #: Which template it was written from (server/resources/sms_templates.toml), e.g. document_issued.
    purpose: Mapped[str] = mapped_column(String(24), default="")
    phone: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    #: When the gateway reported the handset received it (its delivery report), if it did.
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)


class Dispatch(OutboxColumns, Base):
    """A request for a field officer, kept until the dispatch service has acknowledged it."""

    __tablename__ = "dispatches"
    __table_args__ = (Index("ix_dispatches_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)


class OutboxAttempt(Base):
    """One try at delivering one outbox row: when, what came of it, and the error or the receiver's reference.

    ``kind`` names the outbox (sms, dispatch, ...) and ``item_id`` its row there. ``outcome`` is
    sending (in flight), sent, stored, error (to be retried or given up) or abandoned (the sender's
    lease ran out before it reported, e.g. the server died mid-send).
    """

    __tablename__ = "outbox_attempts"
    __table_args__ = (Index("ix_outbox_attempts_item", "kind", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int] = mapped_column(Integer)
    attempt: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    outcome: Mapped[str] = mapped_column(String(12), default="sending")
    error: Mapped[str] = mapped_column(Text, default="")
    reference: Mapped[str] = mapped_column(String(64), default="")


# --- after the call -----------------------------------------------------------


class Document(Base):
    """An issued document, e.g. the 道路交通事故认定书（简易程序） PDF.

    ``number`` is printed on it, e.g. 柳公交认字〔2026〕第000123号; ``year`` and ``seq`` are its place
    in the gapless per-year sequence kept in ``document_counters``. The PDF is stored like evidence
    (``evidence_id``, content-addressed by ``sha256``). ``decision`` is the officer's decision as
    issued: facts, weather and each party's responsibility and violations. A document replaced after a
    review is revoked (``revoked_at``) and names its successor.
    """

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("kind", "year", "seq", name="uq_documents_kind_year_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24), default="liability")
    number: Mapped[str] = mapped_column(String(48), unique=True)
    year: Mapped[int] = mapped_column(Integer, default=0)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"), default=None)
    decision: Mapped[dict[str, Any]] = mapped_column(default=dict)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), default=None)


class DocumentDelivery(Base):
    """When a document reached one party (送达): the first time the party opened or downloaded it, or the
    SMS gateway's delivery report for the document's SMS, whichever came first. The review deadline
    (146号 第七十一条) runs from it."""

    __tablename__ = "document_deliveries"
    __table_args__ = (UniqueConstraint("document_id", "party_id", name="uq_document_deliveries_party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    delivered_at: Mapped[datetime]
    via: Mapped[str] = mapped_column(String(16))  # opened | downloaded | sms_report


class DocumentCounter(Base):
    """The last number issued per kind and year. Incremented inside the issuing transaction (row-locked),
    so a rolled-back issue gives its number back and the sequence has no gaps."""

    __tablename__ = "document_counters"

    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class ReviewRequest(Base):
    """A party's request for review (复核, 146号 第七十一条): one per accident, whoever asks first.

    ``status``: pending -> withdrawn (by the applicant, 第七十五条) | upheld (维持) | sent_back
    (责令重新调查、认定, with a 第七十六条 reason in ``decision_reason``). ``evidence`` holds the ids of the
    evidence rows the party uploaded with it; ``document_id`` is the document under review.
    """

    __tablename__ = "review_requests"
    __table_args__ = (UniqueConstraint("case_id", name="uq_review_requests_case"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), default=None)
    request: Mapped[str] = mapped_column(Text, default="")  # 复核请求
    reason: Mapped[str] = mapped_column(Text)  # 理由
    evidence: Mapped[list[int]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    outcome: Mapped[str] = mapped_column(Text, default="")  # the reviewer's written conclusion
    decision_reason: Mapped[str] = mapped_column(String(32), default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClaimReport(OutboxColumns, Base):
    """One party's claim report to its insurer (一键理赔), an outbox row: at most one per party.

    ``payload`` is the JSON posted to the insurer (server/resources/claim_report.schema.json).
    ``status`` "stored" means no webhook was configured for the insurer: kept for the claims desk.
    """

    __tablename__ = "claim_reports"
    __table_args__ = (UniqueConstraint("case_id", "party_id"), Index("ix_claim_reports_due", "status", "next_attempt_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    insurer: Mapped[str] = mapped_column(String(16))  # PICC | CPIC | PINGAN | ... (server/resources/insurers.toml)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), default=None)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reference: Mapped[str] = mapped_column(String(64), default="")  # the insurer's claim number


# --- the audit log --------------------------------------------------------------


class AuditEvent(Base):
    """Append-only, hash-chained. Database triggers refuse UPDATE and DELETE on this table."""

    __tablename__ = "audit_events"
    #: The dashboard's per-case read of a few actions' first and last times (server/services/metrics.py, 0007).
    __table_args__ = (Index("ix_audit_case_action_at", "case_id", "action", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), default=None, index=True)
    actor: Mapped[str] = mapped_column(String(64))  # user:<id> | party:<id> | system
    action: Mapped[str] = mapped_column(String(64))
    from_state: Mapped[str] = mapped_column(String(24), default="")
    to_state: Mapped[str] = mapped_column(String(24), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class CaseMetrics(Base):
    """The dashboard's rollup: one row per case with the first/last times (epoch seconds) and counts of the
    audit actions the metrics read, updated by ``audit.append`` in the event's own transaction
    (server/services/metrics_rollup.py; migration 0009 fills it for older cases)."""

    __tablename__ = "case_metrics"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    reported_at: Mapped[float] = mapped_column(Float, index=True)
    first_answer: Mapped[float | None] = mapped_column(Float, default=None)
    last_answer: Mapped[float | None] = mapped_column(Float, default=None)
    evacuated: Mapped[float | None] = mapped_column(Float, default=None)
    first_submit: Mapped[float | None] = mapped_column(Float, default=None)
    first_escalate: Mapped[float | None] = mapped_column(Float, default=None)
    first_determine: Mapped[float | None] = mapped_column(Float, default=None)
    abandoned: Mapped[float | None] = mapped_column(Float, default=None)
    first_interrupt: Mapped[float | None] = mapped_column(Float, default=None)
    interrupts: Mapped[int] = mapped_column(Integer, default=0)
    send_backs: Mapped[int] = mapped_column(Integer, default=0)
    review_requests: Mapped[int] = mapped_column(Integer, default=0)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    overturns: Mapped[int] = mapped_column(Integer, default=0)
    video_frames: Mapped[int] = mapped_column(Integer, default=0)


class AuditHead(Base):
    """One row holding the newest audit hash; locked while appending so the chain never forks."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    last_event_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
