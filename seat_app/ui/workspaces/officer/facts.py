"""The accident facts' draft for the officer's editor, written by the shared rule (kuaichu_protocol.accident_facts).

The server writes the same draft when a preview comes without facts, so the seat
keeps no wording of its own: it only hands over the case and the behaviours chosen.
"""
from __future__ import annotations

from typing import Any

from kuaichu_protocol.accident_facts import draft_facts
from seat_app.ui.workspaces.officer.decision import Decision


def draft_for(case: dict[str, Any] | None, decision: Decision | None) -> str:
    if case is None or decision is None:
        return ""
    return draft_facts(case, {p.party_id: [v.behaviour for v in p.violations] for p in decision.parties})
