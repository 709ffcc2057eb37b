"""Party links: the unguessable token that lets one party of one case into the phone pages.

A token is ``secrets.token_urlsafe(24)`` (192 bits); only its sha256 is stored, so a
database leak yields no working link. A link is scoped to one case and one party,
expires after ``invitation_ttl_hours`` and can be revoked by a seat. Creating one
queues the SMS with the link in the same transaction, so there is never a link
without its message or a message without its link.

Opening a link is rate-limited per token, per minute, in the database
(server/services/rate_limits.py), so every server instance counts against the same
allowance. SlidingWindowLimiter stays here for what is per process by nature: the
message limit of one socket.
"""
from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.adapters.db import unit_of_work
from server.adapters.orm import Case, Invitation, Party, utcnow
from server.services import audit
from server.services.cases import Actor, ensure_holds
from server.services.errors import Conflict, NotFound, Unauthorized
from server.services.rate_limits import Limit, RateLimits
from server.services.sms import queue_sms

UNKNOWN_LINK = "链接无效。请核对短信中的链接是否完整，或重新拨打报警电话获取新链接。"
EXPIRED_LINK = "链接已过期。请重新拨打报警电话，工作人员会给您发送新的链接。"
REVOKED_LINK = "链接已失效（已被工作人员撤销）。如仍需处理，请重新拨打报警电话。"
TOO_MANY = "操作过于频繁，请稍等一分钟再试。"
PARTY_LINK_WINDOW_S = 60


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_for(public_base_url: str, token: str) -> str:
    return f"{public_base_url.rstrip('/')}/p/{token}"


@dataclass(frozen=True)
class PartyLink:
    """What a valid token grants: one party of one case."""

    invitation_id: int
    case_id: int
    party_id: int | None


@dataclass(frozen=True)
class NewInvitation:
    invitation_id: int
    token: str
    expires_at: object


class SlidingWindowLimiter:
    """At most ``limit`` hits per key in any ``window_s`` seconds (one process, thread-safe)."""

    def __init__(self, limit: int, window_s: float = 60.0, clock=time.monotonic) -> None:
        self.limit, self.window_s, self._clock = limit, window_s, clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> bool:
        """Records one hit; False when the key is over its allowance (the hit is not counted)."""
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            if len(self._hits) > 10_000:  # forget idle keys so memory stays bounded
                self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - self.window_s}
            return True


class InvitationService:
    def __init__(self, factory: sessionmaker[Session], public_base_url: str, ttl_hours: int,
                 rate_limit_per_minute: int, limits: RateLimits | None = None) -> None:
        self._factory = factory
        self._base_url = public_base_url
        self._ttl = timedelta(hours=ttl_hours)
        self._limit = Limit("party_link", rate_limit_per_minute, PARTY_LINK_WINDOW_S)
        self._limits = limits or RateLimits(factory)

    # --- creating -------------------------------------------------------------
    def create(self, case_id: int, phone: str, actor: str, party_id: int | None = None,
               send_sms: bool = True, holder: Actor | None = None) -> NewInvitation:
        with unit_of_work(self._factory) as s:
            return self.create_in(s, case_id, phone, actor, party_id, send_sms, holder)

    def create_in(self, s: Session, case_id: int, phone: str, actor: str, party_id: int | None = None,
                  send_sms: bool = True, holder: Actor | None = None, purpose: str = "call") -> NewInvitation:
        """The same inside the caller's transaction (the caller commits); ``holder``: a seat user who must
        hold the case (None when the server opens the case and its first link together). ``purpose``
        "progress" marks a link sent after the call (a document issued, a case sent back), whose SMS the
        caller writes itself (``send_sms=False``)."""
        case = s.get(Case, case_id)
        if case is None:
            raise NotFound(f"案件 {case_id} 不存在")
        if holder is not None:
            ensure_holds(case, holder)
        party = self._party(s, case, party_id)
        token = secrets.token_urlsafe(24)
        invitation = Invitation(case_id=case_id, party_id=party.id, token_hash=token_hash(token), phone=phone,
                                purpose=purpose, expires_at=utcnow() + self._ttl)
        s.add(invitation)
        s.flush()
        if send_sms:
            queue_sms(s, phone, self._sms_text(case.number, token), case_id=case_id)
        audit.append(s, actor=actor, action="invitation_created", case_id=case_id,
                     detail={"invitation_id": invitation.id, "party_id": party.id, "sms": send_sms})
        return NewInvitation(invitation.id, token, invitation.expires_at)

    def _party(self, s: Session, case: Case, party_id: int | None) -> Party:
        """The named party, or the first one (the reporter) when none is named."""
        if party_id is None:
            party = min(case.parties, key=lambda p: p.position, default=None)
        else:
            party = s.get(Party, party_id)
        if party is None or party.case_id != case.id:
            raise NotFound(f"当事方 {party_id} 不属于案件 {case.number}")
        return party

    def _sms_text(self, case_number: str, token: str) -> str:
        hours = int(self._ttl.total_seconds() // 3600)
        return (f"【视频快处】您的交通事故（案件号 {case_number}）可在线视频处理。请在安全地点点击链接："
                f"{link_for(self._base_url, token)} ，{hours}小时内有效。")

    # --- using ----------------------------------------------------------------
    def resolve(self, token: str) -> PartyLink:
        """The case and party a token grants, or Unauthorized/NotFound/RateLimited with a plain message."""
        if not isinstance(token, str) or not 16 <= len(token) <= 128:
            raise NotFound(UNKNOWN_LINK)
        digest = token_hash(token)
        self._limits.take_or_raise(self._limit, digest, TOO_MANY)
        with self._factory() as s:
            row = s.scalar(select(Invitation).where(Invitation.token_hash == digest))
            if row is None:
                raise NotFound(UNKNOWN_LINK)
            if row.revoked_at is not None:
                raise Unauthorized(REVOKED_LINK, reason="revoked")
            if row.expires_at <= utcnow():
                raise Unauthorized(EXPIRED_LINK, reason="expired")
            return PartyLink(row.id, row.case_id, row.party_id)

    def touch(self, invitation_id: int) -> None:
        """Notes when a link was last opened (for the seat: "the driver opened the SMS")."""
        with unit_of_work(self._factory) as s:
            row = s.get(Invitation, invitation_id)
            if row is not None:
                row.last_used_at = utcnow()

    # --- revoking -------------------------------------------------------------
    def revoke(self, invitation_id: int, actor: str, holder: Actor | None = None) -> PartyLink:
        with unit_of_work(self._factory) as s:
            row = s.get(Invitation, invitation_id)
            if row is None:
                raise NotFound(f"邀请 {invitation_id} 不存在")
            if holder is not None:
                ensure_holds(s.get(Case, row.case_id), holder)
            if row.revoked_at is not None:
                raise Conflict("该链接已经撤销过了")
            row.revoked_at = utcnow()
            audit.append(s, actor=actor, action="invitation_revoked", case_id=row.case_id,
                         detail={"invitation_id": row.id})
            return PartyLink(row.id, row.case_id, row.party_id)
