"""Whether an officer's liability decision is coherent (《道路交通事故处理程序规定》 公安部令第146号 第六十条).

Pure and shared: the officer's workspace checks the decision as the officer
types, and the server checks it again before issuing. The rules, as
``../shared/LIABILITY-FACTS.md`` states them:

- the grades together are one of: one party 全部 and every other 无责任;
  one 主要 and the rest 次要; everyone 同等 (two or more parties); everyone 无责任;
- a party at fault has at least one violation, at most ``MAX_VIOLATIONS``, none twice;
- a party with 无责任 has no violation.

A decision breaking any rule gets one :class:`Problem` per broken rule, each
naming the parties concerned, in plain Chinese for the officer.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Responsibility(StrEnum):
    """The grades of 第六十条, as the API spells them."""

    FULL = "full"
    MAJOR = "major"
    EQUAL = "equal"
    MINOR = "minor"
    NONE = "none"


#: As printed on the document and shown to officers.
RESPONSIBILITY_ZH: dict[Responsibility, str] = {
    Responsibility.FULL: "全部责任",
    Responsibility.MAJOR: "主要责任",
    Responsibility.EQUAL: "同等责任",
    Responsibility.MINOR: "次要责任",
    Responsibility.NONE: "无责任",
}

#: Real police systems record up to three violations per party (LIABILITY-FACTS.md, practice).
MAX_VIOLATIONS = 3

#: Rule codes, stable for clients and tests.
RULE_NO_PARTIES = "no_parties"
RULE_UNKNOWN_GRADE = "unknown_responsibility"
RULE_COMBINATION = "combination"
RULE_FAULT_NEEDS_VIOLATION = "fault_needs_violation"
RULE_NO_FAULT_NO_VIOLATION = "no_fault_no_violation"
RULE_TOO_MANY_VIOLATIONS = "too_many_violations"
RULE_REPEATED_VIOLATION = "repeated_violation"
RULE_UNKNOWN_VIOLATION = "unknown_violation"

_COMBINATIONS_ZH = "只能是：一方全部责任、其余各方无责任；一方主要责任、其余各方次要责任；各方同等责任；或各方均无责任"


@dataclass(frozen=True)
class PartyDecision:
    """One party's part of the decision. ``label`` names the party in messages, e.g. 甲方."""

    label: str
    responsibility: str
    violations: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str
    parties: tuple[str, ...] = ()


def _names(labels: Sequence[str]) -> str:
    return "、".join(labels)


def combination_allowed(grades: Sequence[Responsibility]) -> bool:
    """Whether the grades together are one of the four combinations of 第六十条."""
    n = len(grades)
    count = {g: sum(1 for x in grades if x == g) for g in Responsibility}
    if n == 0:
        return False
    if count[Responsibility.NONE] == n:
        return True
    if count[Responsibility.FULL] == 1 and count[Responsibility.NONE] == n - 1:
        return True
    if count[Responsibility.MAJOR] == 1 and count[Responsibility.MINOR] == n - 1 and n >= 2:
        return True
    return count[Responsibility.EQUAL] == n and n >= 2


def check_decision(parties: Sequence[PartyDecision], known_violations: frozenset[str] | None = None) -> list[Problem]:
    """Every rule the decision breaks; an empty list means it may be issued.

    ``known_violations``, when given, is the catalogue's codes: a code outside it is a problem too.
    """
    if not parties:
        return [Problem(RULE_NO_PARTIES, "案件没有当事人，无法认定责任")]
    problems: list[Problem] = []
    unknown = [p.label for p in parties if p.responsibility not in Responsibility.__members__.values()]
    if unknown:
        problems.append(Problem(RULE_UNKNOWN_GRADE, f"{_names(unknown)}尚未选择责任，或责任不在全部、主要、同等、次要、无责任之中",
                                tuple(unknown)))
    else:
        grades = [Responsibility(p.responsibility) for p in parties]
        if not combination_allowed(grades):
            summary = "，".join(f"{p.label}{RESPONSIBILITY_ZH[g]}" for p, g in zip(parties, grades))
            problems.append(Problem(RULE_COMBINATION, f"责任组合不成立（{summary}）：{_COMBINATIONS_ZH}（第六十条）",
                                    tuple(p.label for p in parties)))
    for p in parties:
        if p.responsibility in (Responsibility.FULL, Responsibility.MAJOR, Responsibility.EQUAL, Responsibility.MINOR):
            if not p.violations:
                problems.append(Problem(RULE_FAULT_NEEDS_VIOLATION,
                                        f"{p.label}负{RESPONSIBILITY_ZH[Responsibility(p.responsibility)]}，"
                                        "须至少选择一项违法行为及其依据条款", (p.label,)))
        elif p.responsibility == Responsibility.NONE and p.violations:
            problems.append(Problem(RULE_NO_FAULT_NO_VIOLATION, f"{p.label}无责任，不应选择违法行为", (p.label,)))
        if len(p.violations) > MAX_VIOLATIONS:
            problems.append(Problem(RULE_TOO_MANY_VIOLATIONS,
                                    f"{p.label}最多选择 {MAX_VIOLATIONS} 项违法行为（已选 {len(p.violations)} 项）", (p.label,)))
        if len(set(p.violations)) != len(p.violations):
            problems.append(Problem(RULE_REPEATED_VIOLATION, f"{p.label}的违法行为有重复", (p.label,)))
        if known_violations is not None:
            strangers = [code for code in p.violations if code not in known_violations]
            if strangers:
                problems.append(Problem(RULE_UNKNOWN_VIOLATION,
                                        f"{p.label}的违法行为代码不在目录中：{'、'.join(strangers)}", (p.label,)))
    return problems
