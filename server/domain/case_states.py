"""The case lifecycle of DESIGN.md §4 as data: which transitions exist and who may make them.

Pure: no I/O. ``server/services/cases.py`` is the only caller that applies a
transition, and it writes the audit event in the same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass

from kuaichu_protocol.messages import CaseState as S

#: Actor kinds that are not seat roles.
PARTY = "party"  # a driver through a party link
SYSTEM = "system"  # the server itself (socket closed, timers)

OPERATOR, OFFICER, SUPERVISOR, ADMIN = "operator", "officer", "supervisor", "admin"


@dataclass(frozen=True)
class Transition:
    source: S
    target: S
    action: str
    allowed: frozenset[str]


def _t(source: S, target: S, action: str, *allowed: str) -> Transition:
    return Transition(source, target, action, frozenset(allowed))


TRANSITIONS: tuple[Transition, ...] = (
    _t(S.QUEUED, S.IN_CALL, "answer", OPERATOR),
    _t(S.QUEUED, S.ABANDONED, "abandon", PARTY, SYSTEM),
    _t(S.IN_CALL, S.COLLECTING, "start_collection", OPERATOR),
    _t(S.IN_CALL, S.INTERRUPTED, "interrupt", OPERATOR, PARTY, SYSTEM),
    _t(S.COLLECTING, S.INTERRUPTED, "interrupt", OPERATOR, PARTY, SYSTEM),
    _t(S.INTERRUPTED, S.QUEUED, "rejoin", PARTY, OPERATOR),
    # An interrupted case whose party never comes back (a dropped call, or a case sent back) is abandoned by
    # the server after KUAICHU_INTERRUPTED_TIMEOUT_MINUTES / KUAICHU_SENT_BACK_TIMEOUT_HOURS (issue 15).
    _t(S.INTERRUPTED, S.ABANDONED, "abandon", SYSTEM),
    _t(S.COLLECTING, S.ESCALATED, "escalate", OPERATOR, OFFICER, SUPERVISOR),
    _t(S.COLLECTING, S.AWAITING_LIABILITY, "submit", OPERATOR),
    _t(S.AWAITING_LIABILITY, S.DETERMINED, "determine", OFFICER),
    # The officer sends a case back for more evidence: it waits for its parties like a dropped call, and
    # rejoins the operator queue first when a party opens the new link (issue 12).
    _t(S.AWAITING_LIABILITY, S.INTERRUPTED, "send_back", OFFICER),
    _t(S.DETERMINED, S.CLOSED, "close", OFFICER, SUPERVISOR, SYSTEM),
    _t(S.DETERMINED, S.REVIEW_REQUESTED, "request_review", PARTY),
    # The review (复核, issue 13): a reviewer (an officer who did not issue the document) upholds it, or sends
    # the case back to the officer queue to be decided again (第七十六条, 第七十九条); both are the action
    # "review", told apart by the event's detail. The applicant may withdraw a pending request (第七十五条).
    _t(S.REVIEW_REQUESTED, S.REVIEWED, "review", OFFICER),
    _t(S.REVIEW_REQUESTED, S.AWAITING_LIABILITY, "review", OFFICER),
    _t(S.REVIEW_REQUESTED, S.DETERMINED, "withdraw_review", PARTY),
    _t(S.DETERMINED, S.CLAIM_REPORTED, "report_claim", PARTY),
)

_BY_EDGE = {(t.source, t.target): t for t in TRANSITIONS}

#: Moving a case into one of these states is the claim itself (answering): the caller need not hold it yet.
CLAIM_TARGETS = frozenset({S.IN_CALL})
#: The states an officer decides a case in, or has decided it: officers see its parties in full.
DECIDING_STATES = frozenset({S.AWAITING_LIABILITY, S.DETERMINED, S.CLOSED, S.REVIEW_REQUESTED, S.REVIEWED,
                             S.CLAIM_REPORTED})
#: The operator's phase of a case, in which a supervisor may hand it to someone else.
TAKEOVER_STATES = frozenset({S.QUEUED, S.IN_CALL, S.COLLECTING, S.INTERRUPTED})

#: Chinese names for messages shown to users.
STATE_LABELS_ZH: dict[S, str] = {
    S.QUEUED: "排队中",
    S.IN_CALL: "视频通话中",
    S.COLLECTING: "信息采集中",
    S.ESCALATED: "已转现场处理",
    S.AWAITING_LIABILITY: "待责任认定",
    S.DETERMINED: "已认定",
    S.CLOSED: "已结案",
    S.REVIEW_REQUESTED: "复核申请中",
    S.REVIEWED: "已复核",
    S.CLAIM_REPORTED: "已报案理赔",
    S.ABANDONED: "已放弃",
    S.INTERRUPTED: "通话中断",
}


class IllegalTransition(Exception):
    """The case is not in a state from which the requested move exists."""

    def __init__(self, current: S, target: S) -> None:
        self.current, self.target = current, target
        super().__init__(
            f"cannot move a case from '{current}' to '{target}'"
            f" (allowed from '{current}': {', '.join(sorted(next_states(current))) or 'none'})"
        )


class ForbiddenTransition(Exception):
    """The move exists but this actor kind may not make it."""

    def __init__(self, transition: Transition, actor_kind: str) -> None:
        self.transition, self.actor_kind = transition, actor_kind
        super().__init__(
            f"'{actor_kind}' may not {transition.action} a case"
            f" (allowed: {', '.join(sorted(transition.allowed))})"
        )


def next_states(current: S) -> set[str]:
    return {t.target.value for t in TRANSITIONS if t.source == current}


def check(current: S | str, target: S | str, actor_kind: str) -> Transition:
    """Returns the transition or raises IllegalTransition / ForbiddenTransition."""
    current, target = S(current), S(target)
    transition = _BY_EDGE.get((current, target))
    if transition is None:
        raise IllegalTransition(current, target)
    if actor_kind not in transition.allowed:
        raise ForbiddenTransition(transition, actor_kind)
    return transition


def holds(user_id: int | None, seat_user_id: int | None, officer_user_id: int | None) -> bool:
    """Whether a seat user holds a case: the operator who answered it (or was given it by a takeover),
    or the officer who took it. Only the holder writes to a case; the seat socket follows the same rule."""
    return user_id is not None and user_id in (seat_user_id, officer_user_id)
