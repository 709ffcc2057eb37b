"""Case use cases: open a case, move it through its lifecycle, edit its parties.

Every state change goes through ``transition``: it checks the actor's role and
the legality of the move, changes the state with a conditional UPDATE (so two
racing requests yield exactly one winner), and appends the audit event in the
same transaction. Nothing else in the server writes ``cases.state``.

Every write to a case by a seat user goes through ``case_for_write``, inside the
writing transaction: only the case's holder (``case_states.holds``) may write.
Answering is the claim itself, and a supervisor moves a case to another holder
with ``take_over``, which is audited.
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import CaseState as S
from server.adapters.db import unit_of_work
from server.adapters.orm import AuditEvent, Case, Party, User, utcnow
from server.domain import case_states
from server.services import audit
from server.services.errors import Conflict, Forbidden, Invalid, NotFound

log = logging.getLogger("kuaichu.cases")

MAX_VEHICLES = 3
PARTY_EDITABLE = (
    "kind", "phone", "driver_name", "id_number", "licence_class", "licence_valid_from", "licence_valid_until",
    "plate", "plate_colour", "vehicle_type", "vin", "owner", "insurer", "policy_number",
    "insurance_valid_from", "insurance_valid_until",
)

#: The weather the operator picks in one click (146号 第二十四条 puts it on the document).
WEATHER = ("晴", "阴", "雨", "雪", "雾", "其他")
MAX_NOTES = 2000

#: Fields whose change makes a stored registry verification stale.
IDENTITY_FIELDS = frozenset({"driver_name", "id_number", "plate", "plate_colour", "vehicle_type", "vin", "kind"})

#: Per-target timestamp columns set when a case arrives in that state.
_STAMPS = {
    S.QUEUED: "queued_at",
    S.IN_CALL: "answered_at",
    S.AWAITING_LIABILITY: "submitted_at",
    S.DETERMINED: "determined_at",
    S.CLOSED: "closed_at",
}


@dataclass(frozen=True)
class Actor:
    """Who acts: a seat user (kind = role), a party through its link, or the system."""

    kind: str
    audit_name: str
    user_id: int | None = None
    party_id: int | None = None
    case_id: int | None = None  # a party may only touch its own case

    @classmethod
    def system(cls) -> Actor:
        return cls(case_states.SYSTEM, "system")

    @classmethod
    def party(cls, case_id: int, party_id: int | None) -> Actor:
        return cls(case_states.PARTY, f"party:{party_id or 0}@case:{case_id}", party_id=party_id, case_id=case_id)


class NotHolder(Forbidden):
    """A seat user writes to a case someone else holds, or nobody does yet (same code as the seat socket)."""

    code = "not_your_case"


def ensure_holds(case: Case, actor: Actor, also: frozenset[int] = frozenset()) -> None:
    """Refuses a seat user who does not hold the case; parties (scoped by their link) and the system pass.

    ``also`` names further users allowed for this one write (the seats that recorded a call, for its recording).
    """
    if actor.kind in (case_states.PARTY, case_states.SYSTEM):
        return
    if actor.user_id is not None and (
            case_states.holds(actor.user_id, case.seat_user_id, case.officer_user_id) or actor.user_id in also):
        return  # a seat actor without a user id never passes: the rule fails closed
    if case.seat_user_id is None and case.officer_user_id is None:
        raise NotHolder(f"案件 {case.number} 尚未接听，请先接听再操作", case_id=case.id)
    raise NotHolder(f"案件 {case.number} 由其他坐席处理中，如需接手请联系值班长", case_id=case.id)


def case_for_write(s: Session, case_id: int, actor: Actor, also: frozenset[int] = frozenset()) -> Case:
    """The case, read inside the writing transaction, if ``actor`` may write to it (404 / 403 otherwise).

    The row stays locked (PostgreSQL) until the write commits, so a takeover lands before or after it, never
    between the check and the write."""
    case = s.get(Case, case_id, with_for_update=True)
    if case is None or (actor.case_id is not None and actor.case_id != case_id):
        raise NotFound(f"案件 {case_id} 不存在")
    ensure_holds(case, actor, also)
    return case


def answering_seats(s: Session, case_id: int) -> frozenset[int]:
    """Every seat user who ever answered the case: each recorded a call of it, and may upload that recording."""
    actors = s.scalars(select(AuditEvent.actor).where(AuditEvent.case_id == case_id, AuditEvent.action == "answer"))
    return frozenset(int(a.removeprefix("user:")) for a in actors if a.startswith("user:") and a[5:].isdigit())


@dataclass(frozen=True)
class Takeover:
    case_id: int
    number: str
    state: str
    previous_user_id: int | None
    holder_user_id: int


#: A hook run inside the transition's transaction before the state changes (e.g. eligibility).
Guard = Callable[[Session, Case], None]


@dataclass
class TransitionResult:
    case_id: int
    source: str
    target: str
    changes: dict[str, Any] = field(default_factory=dict)


def new_case_number(now: datetime) -> str:
    return f"KC{now:%Y%m%d}-{secrets.token_hex(3).upper()}"


class CaseService:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self._listeners: list[Callable[[TransitionResult], None]] = []

    def on_transition(self, listener: Callable[[TransitionResult], None]) -> None:
        """Called after commit; the WebSocket hub uses it to push queue and state updates."""
        self._listeners.append(listener)

    # --- opening -------------------------------------------------------------
    def open_case(self, source: str, reporter_phone: str = "", actor: Actor | None = None) -> Case:
        """A new case with one motor party (the reporter), waiting in the queue."""
        actor = actor or Actor.system()
        with unit_of_work(self._factory) as s:
            now = utcnow()
            case = Case(number=new_case_number(now), state=S.QUEUED.value, source=source,
                        reporter_phone=reporter_phone, queued_at=now, accident_at=now)
            case.parties.append(Party(position=1, kind="motor", phone=reporter_phone))
            s.add(case)
            s.flush()
            audit.append(s, actor=actor.audit_name, action="open", case_id=case.id, to_state=S.QUEUED.value,
                         detail={"source": source})
        return case

    # --- the one way to change state --------------------------------------------
    def transition(
        self,
        case_id: int,
        target: S,
        actor: Actor,
        detail: dict[str, Any] | None = None,
        changes: dict[str, Any] | None = None,
        guard: Guard | None = None,
    ) -> TransitionResult:
        with self._factory() as s:  # already illegal (another seat won the claim): refused without the write lock
            case = self._get(s, case_id, actor)
            if S(target).value not in case_states.next_states(S(case.state)):
                raise Conflict(_conflict_message(case, target), state=case.state, target=str(target))
        with unit_of_work(self._factory) as s:
            result = self.transition_in(s, case_id, target, actor, detail, changes, guard)
        self.notify(result)
        return result

    def notify(self, result: TransitionResult) -> None:
        """Tells the listeners about a committed transition; callers of transition_in call it after commit."""
        for listener in self._listeners:
            try:
                listener(result)
            except Exception:  # noqa: BLE001 - a listener must never undo or hide a committed change
                log.exception("transition listener failed for case %s", result.case_id)

    def transition_in(
        self,
        s: Session,
        case_id: int,
        target: S,
        actor: Actor,
        detail: dict[str, Any] | None = None,
        changes: dict[str, Any] | None = None,
        guard: Guard | None = None,
        holder_checked: bool = False,
    ) -> TransitionResult:
        """The same inside a caller's transaction; the caller commits and notifies.

        ``holder_checked``: the caller has authorised this actor by another rule (a reviewer is, by rule,
        not the case's holder)."""
        case = self._get(s, case_id, actor)
        if target not in case_states.CLAIM_TARGETS and not holder_checked:
            ensure_holds(case, actor)
        try:
            rule = case_states.check(case.state, target, actor.kind)
        except case_states.IllegalTransition as e:
            raise Conflict(_conflict_message(case, target), state=case.state, target=str(target)) from e
        except case_states.ForbiddenTransition as e:
            raise Forbidden(str(e)) from e
        if guard:
            guard(s, case)
        values = {"state": target.value, "updated_at": utcnow(), **(changes or {})}
        if target in _STAMPS:
            values[_STAMPS[target]] = utcnow()
        won = s.execute(  # the holder too: a takeover between our read and our write makes us lose
            update(Case).where(Case.id == case_id, Case.state == case.state, Case.seat_user_id == case.seat_user_id,
                               Case.officer_user_id == case.officer_user_id).values(**values)
        ).rowcount
        if won != 1:  # someone else moved it between our read and our write
            raise Conflict(f"案件 {case.number} 已被他人处理", state=case.state, target=str(target))
        audit.append(s, actor=actor.audit_name, action=rule.action, case_id=case_id,
                     from_state=rule.source.value, to_state=target.value, detail=detail or {})
        s.expire(case)
        return TransitionResult(case_id, rule.source.value, target.value, changes or {})

    def _get(self, s: Session, case_id: int, actor: Actor) -> Case:
        case = s.get(Case, case_id)
        if case is None or (actor.case_id is not None and actor.case_id != case_id):
            raise NotFound(f"案件 {case_id} 不存在")
        return case

    # --- reads ---------------------------------------------------------------
    def get(self, case_id: int) -> Case:
        with self._factory() as s:
            case = s.get(Case, case_id)
            if case is None:
                raise NotFound(f"案件 {case_id} 不存在")
            _ = case.parties
            return case

    def holder(self, case_id: int) -> tuple[str, int | None, int | None]:
        """(state, seat_user_id, last_seat_user_id): what the hub asks on every phone and seat frame, in one
        narrow read (a whole case with its parties was a tenth of the server's CPU under load)."""
        with self._factory() as s:
            row = s.execute(select(Case.state, Case.seat_user_id, Case.last_seat_user_id)
                            .where(Case.id == case_id)).first()
        if row is None:
            raise NotFound(f"案件 {case_id} 不存在")
        return row.state, row.seat_user_id, row.last_seat_user_id

    def list(self, states: list[str] | None = None, limit: int = 200) -> list[Case]:
        with self._factory() as s:
            q = select(Case).order_by(Case.id.desc()).limit(limit)
            if states:
                q = q.where(Case.state.in_(states))
            cases = list(s.scalars(q))
            for c in cases:
                _ = c.parties
            return cases

    def queue(self) -> list[Case]:
        """Waiting cases, rejoining ones first, then the longest waiting."""
        with self._factory() as s:
            q = select(Case).where(Case.state == S.QUEUED.value).order_by(Case.priority.desc(), Case.queued_at)
            return list(s.scalars(q))

    # --- parties -------------------------------------------------------------
    def add_party(self, case_id: int, actor: Actor, kind: str = "motor") -> Party:
        if kind not in ("motor", "non_motor"):
            raise Invalid("kind 必须是 motor 或 non_motor")
        with unit_of_work(self._factory) as s:
            case = case_for_write(s, case_id, actor)
            _ensure_open_for_edit(case)
            motors = sum(1 for p in case.parties if p.kind == "motor")
            if kind == "motor" and motors >= MAX_VEHICLES:
                raise Conflict(f"机动车当事方最多 {MAX_VEHICLES} 个")
            if kind == "non_motor" and any(p.kind == "non_motor" for p in case.parties):
                raise Conflict("已有非机动车当事方")
            position = (s.scalar(select(func.max(Party.position)).where(Party.case_id == case_id)) or 0) + 1
            party = Party(case_id=case_id, position=position, kind=kind)
            s.add(party)
            s.flush()
            audit.append(s, actor=actor.audit_name, action="party_added", case_id=case_id,
                         detail={"party_id": party.id, "kind": kind})
        return party

    def update_party(self, case_id: int, party_id: int, fields: dict[str, Any], actor: Actor) -> Party:
        unknown = set(fields) - set(PARTY_EDITABLE)
        if unknown:
            raise Invalid(f"不能修改的字段: {', '.join(sorted(unknown))}")
        with unit_of_work(self._factory) as s:
            case = case_for_write(s, case_id, actor)
            _ensure_open_for_edit(case)
            party = s.get(Party, party_id)
            if party is None or party.case_id != case_id:
                raise NotFound(f"当事方 {party_id} 不存在")
            changed = {k: v for k, v in fields.items() if getattr(party, k) != v}
            for k, v in changed.items():
                setattr(party, k, v)
            if set(changed) & IDENTITY_FIELDS and party.verification:
                party.verification, party.verified_at, party.verification_source = {}, None, ""
            if changed:
                audit.append(s, actor=actor.audit_name, action="party_updated", case_id=case_id,
                             detail={"party_id": party_id, "fields": sorted(changed)})
        return party


    # --- the operator's weather and notes (issue 12) ------------------------------
    def update_notes(self, case_id: int, actor: Actor, *, weather: str | None = None,
                     notes: str | None = None) -> None:
        """The weather and the course of events as the operator records them during the call; audited.

        Only while the call is on (in_call, collecting), by the case's holder; the officer reads both."""
        if weather is not None and weather not in WEATHER:
            raise Invalid(f"天气只能是 {'、'.join(WEATHER)} 之一")
        if notes is not None and len(notes) > MAX_NOTES:
            raise Invalid(f"经过最多 {MAX_NOTES} 字")
        if notes is not None and any(ord(c) < 32 and c not in "\n\r\t" or c == "\x7f" for c in notes):
            raise Invalid("经过只能是普通文字，不能含控制字符")  # PostgreSQL refuses NUL in text
        with unit_of_work(self._factory) as s:
            case = case_for_write(s, case_id, actor)
            if case.state not in _NOTE_STATES:
                label = case_states.STATE_LABELS_ZH[S(case.state)]
                raise Conflict(f"案件处于“{label}”状态，天气和经过只能在通话中记录", state=case.state)
            changed = {k: v for k, v in (("weather", weather), ("operator_notes", notes))
                       if v is not None and getattr(case, k) != v}
            for k, v in changed.items():
                setattr(case, k, v)
            if changed:
                audit.append(s, actor=actor.audit_name, action="case_noted", case_id=case_id,
                             detail={"fields": sorted(changed), **({"weather": weather} if "weather" in changed
                                                                   else {})})

    # --- holders ---------------------------------------------------------------
    def take_over(self, case_id: int, actor: Actor, holder_user_id: int | None, reason: str) -> Takeover:
        """A supervisor (or admin) makes themself, or the named operator, the case's holder; audited.

        The case keeps its state. The previous holder's writes are refused from now on, and a rejoining
        party is offered to the new holder first (``last_seat_user_id``).
        """
        reason = (reason or "").strip()
        if not reason:
            raise Invalid("接管案件必须填写原因")
        new_holder = actor.user_id if holder_user_id is None else holder_user_id
        with unit_of_work(self._factory) as s:
            case = self._get(s, case_id, actor)
            if S(case.state) not in case_states.TAKEOVER_STATES:
                label = case_states.STATE_LABELS_ZH[S(case.state)]
                raise Conflict(f"案件 {case.number} 处于“{label}”状态，不能接管", state=case.state)
            if holder_user_id is not None:
                _ensure_operator(s, holder_user_id)
            if case.seat_user_id == new_holder:
                raise Conflict(f"案件 {case.number} 已由该用户处理")
            previous = case.seat_user_id
            won = s.execute(update(Case).where(
                Case.id == case_id, Case.state == case.state,
                Case.seat_user_id.is_(None) if previous is None else Case.seat_user_id == previous,
            ).values(seat_user_id=new_holder, last_seat_user_id=new_holder, updated_at=utcnow())).rowcount
            if won != 1:
                raise Conflict(f"案件 {case.number} 刚刚有变化，请刷新后重试")
            audit.append(s, actor=actor.audit_name, action="takeover", case_id=case_id, from_state=case.state,
                         to_state=case.state,
                         detail={"from_user_id": previous, "to_user_id": new_holder, "reason": reason[:500]})
            return Takeover(case_id, case.number, case.state, previous, new_holder)


def _ensure_operator(s: Session, user_id: int) -> None:
    user = s.get(User, user_id)
    if user is None or not user.active or user.role != case_states.OPERATOR:
        # 404, not 422: the body is well-formed; no active operator has that id (a schema cannot say so).
        raise NotFound(f"用户 {user_id} 不是在岗的坐席操作员，不能接手案件")


_NOTE_STATES = {S.IN_CALL.value, S.COLLECTING.value}
_EDITABLE_STATES = {S.QUEUED.value, S.IN_CALL.value, S.COLLECTING.value, S.INTERRUPTED.value}


def _ensure_open_for_edit(case: Case) -> None:
    if case.state not in _EDITABLE_STATES:
        label = case_states.STATE_LABELS_ZH[S(case.state)]
        raise Conflict(f"案件处于“{label}”状态，当事方信息不能再修改", state=case.state)


def _conflict_message(case: Case, target: S) -> str:
    current = case_states.STATE_LABELS_ZH[S(case.state)]
    wanted = case_states.STATE_LABELS_ZH[target]
    return f"案件 {case.number} 当前为“{current}”，不能转为“{wanted}”"
