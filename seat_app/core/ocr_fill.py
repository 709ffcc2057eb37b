"""A click on one OCR box: the operator's own choice of a value for the capture's party.

What OCR fills on its own, and for which party, is ``seat_app.core.attribution``'s
job (by a shared identifier, never overwriting). A click is the operator saying
"this value, for this party": it overwrites, and settles any conflict on the field.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kuaichu_protocol.validators import normalise_plate
from seat_app.core.case import Case
from seat_app.core.evidence import OverlayItem


@dataclass
class FillStep:
    party_id: int
    values: dict[str, str] = field(default_factory=dict)


def plan_single(case: Case, item: OverlayItem, target_party_id: int | None) -> list[FillStep]:
    """That value goes to the target party, overwriting. A plate with a character OCR could not read ('?')
    fills nothing: the operator types it."""
    if not item.field or (item.field == "plate" and "?" in item.text):
        return []
    if target_party_id is None or case.party(target_party_id) is None:
        return []
    value = normalise_plate(item.text) if item.field == "plate" else item.text.strip()
    return [FillStep(target_party_id, {item.field: value})]
