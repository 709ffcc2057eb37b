"""The officer's decision as it is being typed: grades, violations, weather and the facts text.

Plain Python, no Qt. It checks itself with the rule the server applies again
(:func:`kuaichu_protocol.liability.check_decision`, 146号 第六十条), maps each
problem back to the parties it names, and builds the request body of the
preview and issue calls. :class:`FactsText` holds the one rule of the facts
editor: the draft follows the violations until the officer edits the text.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kuaichu_protocol.liability import MAX_VIOLATIONS, PartyDecision, Problem, check_decision

#: the grades in the order the officer is offered them
GRADES = ("full", "major", "equal", "minor", "none")


@dataclass(frozen=True)
class Violation:
    code: str
    behaviour: str
    article: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Violation:
        return cls(str(data["code"]), str(data.get("behaviour") or ""), str(data.get("article") or ""))

    @property
    def text(self) -> str:
        return f"{self.behaviour}（{self.article}）" if self.article else self.behaviour


@dataclass
class PartyChoice:
    party_id: int
    label: str  # 甲方, 乙方...: how the problems name the party
    responsibility: str = ""  # "" until chosen
    violations: list[Violation] = field(default_factory=list)


class Decision:
    def __init__(self, parties: list[tuple[int, str]]) -> None:
        self.parties = [PartyChoice(party_id, label) for party_id, label in parties]

    def party(self, party_id: int) -> PartyChoice:
        return next(p for p in self.parties if p.party_id == party_id)

    def set_responsibility(self, party_id: int, grade: str) -> None:
        self.party(party_id).responsibility = grade

    def add_violation(self, party_id: int, violation: Violation) -> bool:
        """False when the party has it already or has its three."""
        chosen = self.party(party_id).violations
        if len(chosen) >= MAX_VIOLATIONS or any(v.code == violation.code for v in chosen):
            return False
        chosen.append(violation)
        return True

    def remove_violation(self, party_id: int, code: str) -> None:
        party = self.party(party_id)
        party.violations = [v for v in party.violations if v.code != code]

    def problems(self) -> list[Problem]:
        return check_decision([PartyDecision(p.label, p.responsibility, tuple(v.code for v in p.violations))
                               for p in self.parties])

    def problems_by_party(self) -> tuple[dict[int, list[str]], list[str]]:
        """(party id -> the messages naming that party alone, the messages about several or none)."""
        ids = {p.label: p.party_id for p in self.parties}
        own: dict[int, list[str]] = {p.party_id: [] for p in self.parties}
        shared: list[str] = []
        for problem in self.problems():
            if len(problem.parties) == 1 and problem.parties[0] in ids:
                own[ids[problem.parties[0]]].append(problem.message)
            else:
                shared.append(problem.message)
        return own, shared

    def body(self, facts: str, weather: str) -> dict[str, Any]:
        """The preview/issue request: ``{facts, weather?, parties: [{party_id, responsibility, violations}]}``."""
        body: dict[str, Any] = {"facts": facts, "parties": [
            {"party_id": p.party_id, "responsibility": p.responsibility, "violations": [v.code for v in p.violations]}
            for p in self.parties]}
        if weather:
            body["weather"] = weather
        return body


class FactsText:
    """The facts editor's text: a draft rewritten from the decision until the officer types their own."""

    def __init__(self, draft: Callable[[], str]) -> None:
        self._draft = draft
        self.last_draft = ""
        self.text = ""

    @property
    def edited(self) -> bool:
        return self.text != self.last_draft

    def refresh(self) -> bool:
        """Rewrite from the current decision unless edited; True when the text changed."""
        if self.edited:
            return False
        new = self._draft()
        changed = new != self.text
        self.last_draft = self.text = new
        return changed

    def typed(self, text: str) -> None:
        self.text = text

    def redraft(self) -> None:
        """The officer asked for the draft again: their edits go."""
        self.last_draft = self.text = self._draft()
