"""What is still missing before a case may go to liability: safety, evidence, verification, eligibility.

The verification section also lists every plate, VIN or ID number two parties hold (one
item per field and parties, failed until one of them changes): the seat cannot tell
which party is wrong, so nothing may be submitted until the operator puts it right.

The server has the last word (it refuses ``submit`` while anything is missing), and
when it has evaluated the case (``GET /api/cases/{id}/checklist``) its rules are
shown as they are: per rule ``{key, status: met|failed|needs_answer, reason_zh|reason,
answer_key}``, per evidence ``{key, label_zh, met}``, per safety step ``{key, met}``.
Until it has, the seat fills in from what it knows.
Items carry keys, not sentences; the UI words them in the operator's language.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kuaichu_protocol.messages import SAFETY_TICKS
from seat_app.core.case import Case
from seat_app.core.evidence import REQUIRED_LABELS, EvidenceRecord, capture_plan, missing_evidence
from seat_app.core.field_checks import UNIQUE_FIELDS, shared_identifiers
from seat_app.core.verification import CheckStatus, parse_verification

SECTIONS = ("safety", "evidence", "verification", "eligibility")
SHARED_PREFIX = "verification.shared."  # + field + "." + the positions holding it, e.g. verification.shared.vin.1-2


class Status(StrEnum):
    MET = "met"
    FAILED = "failed"
    NEEDS_ANSWER = "needs_answer"  # the operator has to ask or act
    MISSING = "missing"  # something still has to be captured or checked


#: Operator questions and their answers, best (eligible) answer first.
QUESTIONS: dict[str, tuple[Any, ...]] = {
    "injuries": ("none", "minor", "serious"),
    "drink_drugs_flight": (False, True),
    "vehicles_movable": (True, False),
    "motor_at_fault": (True, False),
}
#: Rules settled by verification or evidence; shown there, not as eligibility questions.
_VERIFICATION_RULES = {"documents_valid", "insurance"}


@dataclass(frozen=True)
class Item:
    key: str
    section: str
    status: Status
    reason: str = ""  # server-provided text (Chinese), shown as is
    answer_key: str | None = None
    position: int | None = None  # the party a per-party item is about
    positions: tuple[int, ...] = ()  # the parties an item about several is about (a shared identifier)

    @property
    def met(self) -> bool:
        return self.status is Status.MET


@dataclass(frozen=True)
class Checklist:
    items: tuple[Item, ...]
    evaluated_by_server: bool = False

    @property
    def complete(self) -> bool:
        return bool(self.items) and all(i.met for i in self.items)

    @property
    def missing(self) -> list[Item]:
        return [i for i in self.items if not i.met]

    @property
    def failed(self) -> list[Item]:
        return [i for i in self.items if i.status is Status.FAILED]

    @property
    def shared_identifiers(self) -> list[Item]:
        """The plates, VINs and ID numbers two parties hold: errors the operator must put right."""
        return [i for i in self.items if i.key.startswith(SHARED_PREFIX)]

    def section(self, name: str) -> list[Item]:
        return [i for i in self.items if i.section == name]

    def item(self, key: str) -> Item | None:
        return next((i for i in self.items if i.key == key), None)


def build_checklist(
    case: Case,
    records: Sequence[EvidenceRecord] = (),
    evaluation: Any = None,
) -> Checklist:
    rules, evidence = split_evaluation(evaluation)
    server_safety = evaluation.get("safety") if isinstance(evaluation, Mapping) else None
    if isinstance(server_safety, list):
        items = [_safety_item(s) for s in server_safety if isinstance(s, Mapping) and "key" in s]
    else:
        items = safety_items(case)
    items += evidence if evidence is not None else local_evidence_items(case, records)
    items += verification_items(case)
    items += shared_identifier_items(case)
    items += eligibility_items(case, rules) if rules is not None else local_eligibility_items(case)
    return Checklist(tuple(items), evaluated_by_server=rules is not None)


def safety_items(case: Case) -> list[Item]:
    """Met when the phone ticked the step, or the operator confirmed all of them (``safety_confirmed``)."""
    return [
        Item(f"safety.{tick}", "safety",
             Status.MET if case.safety.get(tick) or case.answers.get("safety_confirmed")
             else Status.NEEDS_ANSWER, answer_key="safety_confirmed")
        for tick in SAFETY_TICKS
    ]


def _safety_item(data: Mapping[str, Any]) -> Item:
    return Item(str(data["key"]), "safety", Status.MET if data.get("met") else Status.NEEDS_ANSWER,
                answer_key="safety_confirmed")


def local_evidence_items(case: Case, records: Sequence[EvidenceRecord]) -> list[Item]:
    missing = {t.key for t in missing_evidence(case, records)}
    items = []
    for target in _required_targets(case):
        status = Status.MISSING if target[0] in missing else Status.MET
        items.append(Item(f"evidence.{target[0]}", "evidence", status, position=target[1]))
    return items


def _required_targets(case: Case) -> list[tuple[str, int | None]]:
    return [(t.key, t.party_position) for t in capture_plan(case) if t.label in REQUIRED_LABELS]


def verification_items(case: Case) -> list[Item]:
    items = []
    for party in case.motor_parties:
        view = parse_verification(party.verification)
        if view.passed:
            status, reason = Status.MET, ""
        elif view.failed:
            status = Status.FAILED
            reason = "；".join(c.reason for c in view.checks if c.status is CheckStatus.FAILED)
        else:
            status = Status.MISSING
            reason = "；".join(c.reason for c in view.checks if c.reason and not c.ok)
        items.append(Item(f"verification.{party.position}", "verification", status, reason, position=party.position))
    return items


def shared_identifier_items(case: Case) -> list[Item]:
    """``verification.shared.{field}.{positions}``: one failed item per identifier and the parties holding it."""
    groups: dict[tuple[str, tuple[int, ...]], None] = {}
    for (party_id, name), others in shared_identifiers(case).items():
        party = case.party(party_id)
        groups[(name, tuple(sorted({party.position, *others})))] = None
    ordered = sorted(groups, key=lambda g: (UNIQUE_FIELDS.index(g[0]), g[1]))
    return [Item(f"{SHARED_PREFIX}{name}.{'-'.join(map(str, positions))}", "verification", Status.FAILED,
                 positions=positions) for name, positions in ordered]


def eligibility_items(case: Case, rules: list[Mapping[str, Any]]) -> list[Item]:
    items = []
    for rule in rules:
        key = str(rule.get("key", ""))
        if not key or key in _VERIFICATION_RULES:
            continue
        status = _status(rule.get("status"))
        # A rule settled without asking (motor_at_fault with no non-motor party: ✓ 无需确认) has no question;
        # one the operator answered keeps its answers, so the choice can be changed.
        asked = status is Status.NEEDS_ANSWER or case.answers.get(key) is not None
        answer_key = rule.get("answer_key") or (key if key in QUESTIONS and asked else None)
        reason = str(rule.get("reason_zh") or rule.get("reason") or "")
        items.append(Item(f"eligibility.{key}", "eligibility", status, reason, answer_key))
    return items


def local_eligibility_items(case: Case) -> list[Item]:
    """The operator's questions, judged the obvious way, until the server evaluates the case."""
    keys = ["injuries", "drink_drugs_flight", "vehicles_movable"]
    if case.has_non_motor:
        keys.append("motor_at_fault")
    items = []
    for key in keys:
        answer = case.answers.get(key)
        if answer is None:
            items.append(Item(f"eligibility.{key}", "eligibility", Status.NEEDS_ANSWER, answer_key=key))
        else:
            good = answer == QUESTIONS[key][0]
            items.append(Item(f"eligibility.{key}", "eligibility", Status.MET if good else Status.FAILED, answer_key=key))
    return items


def split_evaluation(evaluation: Any) -> tuple[list[Mapping[str, Any]] | None, list[Item] | None]:
    """Server JSON -> (eligibility rules, evidence items); None for a part the server did not send.

    Accepts a bare list of rules, or an object with ``rules`` (or ``items``) and optionally
    ``evidence`` (``[{key, label_zh, met}]``); rules whose key starts with ``evidence.`` count as evidence.
    """
    if evaluation is None:
        return None, None
    if isinstance(evaluation, Mapping):
        raw_rules = evaluation.get("rules", evaluation.get("items"))
        raw_evidence = evaluation.get("evidence")
    else:
        raw_rules, raw_evidence = evaluation, None
    rules = [r for r in raw_rules or [] if isinstance(r, Mapping)] if raw_rules is not None else None
    evidence = None
    if raw_evidence is not None:
        evidence = [_evidence_item(e) for e in raw_evidence if isinstance(e, Mapping)]
    if rules is not None:
        from_rules = [_evidence_item(r) for r in rules if str(r.get("key", "")).startswith("evidence.")]
        rules = [r for r in rules if not str(r.get("key", "")).startswith("evidence.")]
        if from_rules:
            evidence = (evidence or []) + from_rules
    return rules, evidence


def _evidence_item(data: Mapping[str, Any]) -> Item:
    key = str(data["key"])
    key = key if key.startswith("evidence.") else f"evidence.{key}"
    if "met" in data:
        status = Status.MET if data["met"] else Status.MISSING
    else:
        status = _status(data.get("status"))
    tail = key.rsplit(".", 1)[-1]
    return Item(key, "evidence", status, str(data.get("label_zh") or data.get("reason_zh") or data.get("reason") or ""),
                position=int(tail) if tail.isdigit() else None)


def _status(value: Any) -> Status:
    try:
        return Status(value)
    except ValueError:
        return Status.MISSING
