"""Which party's fields an OCR reading fills.

A frame may show one document, or the whole scene with two plates. The rules:

* plates already known for some party are skipped, so re-reading a plate never moves it;
* a shot aimed at one party (its plate, its papers) fills that party only: a
  misread plate there must never invent another vehicle;
* a scene shot's new plates go to parties that have no plate yet (in 甲 乙 丙
  order), then to new vehicle parties; they are taken left to right, as the
  operator reads the scene;
* every other field goes to the party the shot was aimed at, or, for a scene shot,
  to the first party where that field is empty.

``auto`` plans fill only empty fields (run as soon as OCR finishes, no click);
``apply all`` plans may overwrite the target party's values. A picture of a
document (``add_parties=False``) adds no vehicle even when it is nobody's yet:
the plate printed on a vehicle licence is not a car at the scene.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kuaichu_protocol.validators import normalise_plate
from seat_app.core.case import Case, Party
from seat_app.core.evidence import OverlayItem

NEW_PARTY = -1  # FillStep.party_id for a vehicle party that has to be added first


@dataclass
class FillStep:
    party_id: int  # NEW_PARTY: add a motor party, then fill it
    values: dict[str, str] = field(default_factory=dict)


def plan_fill(case: Case, items: Iterable[OverlayItem], target_party_id: int | None, overwrite: bool = False,
              add_parties: bool = True) -> list[FillStep]:
    items = [i for i in items if i.field and i.valid]
    steps: dict[int, FillStep] = {}
    new_parties: list[FillStep] = []
    plates = sorted((i for i in items if i.field == "plate"), key=lambda i: (i.box[0], i.box[1]))
    _plan_plates(case, plates, target_party_id, overwrite, steps, new_parties, add_parties)
    _plan_fields(case, [i for i in items if i.field != "plate"], target_party_id, overwrite, steps)
    return [s for s in steps.values() if s.values] + new_parties


def plan_single(case: Case, item: OverlayItem, target_party_id: int | None) -> list[FillStep]:
    """A click on one box: that value goes to the target party (or the first party), overwriting.
    A plate with a character OCR could not read ('?') fills nothing: the operator types it."""
    if not item.field or (item.field == "plate" and "?" in item.text):
        return []
    party_id = target_party_id if target_party_id is not None else (case.parties[0].id if case.parties else None)
    if party_id is None:
        return []
    value = normalise_plate(item.text) if item.field == "plate" else item.text.strip()
    return [FillStep(party_id, {item.field: value})]


def _plan_plates(case: Case, plates: list[OverlayItem], target: int | None, overwrite: bool,
                 steps: dict[int, FillStep], new_parties: list[FillStep], add_parties: bool) -> None:
    known = {normalise_plate(p.value("plate")) for p in case.parties if p.value("plate")}
    fresh = []
    for item in plates:
        plate = normalise_plate(item.text)
        if plate not in known and plate not in fresh:
            fresh.append(plate)
    if target is not None:
        _plate_for_target(case.party(target), fresh, overwrite, steps)
        return
    free = [p for p in case.motor_parties if not p.value("plate")]
    room = 3 - len(case.motor_parties) if add_parties else 0
    for plate in fresh:
        if free:
            _step(steps, free.pop(0).id)["plate"] = plate
        elif room > 0:
            new_parties.append(FillStep(NEW_PARTY, {"plate": plate}))
            room -= 1


def _plate_for_target(party: Party | None, fresh: list[str], overwrite: bool, steps: dict[int, FillStep]) -> None:
    """A shot aimed at one party (its plate, its papers) fills that party only: a misread plate on a
    document must never invent another vehicle."""
    if party is None or not party.is_motor or not fresh:
        return
    if overwrite or not party.value("plate"):
        _step(steps, party.id)["plate"] = fresh[0]


def _plan_fields(case: Case, items: list[OverlayItem], target: int | None, overwrite: bool,
                 steps: dict[int, FillStep]) -> None:
    for item in items:
        value = item.text.strip()
        party = _party_for_field(case, item.field, target, overwrite, steps)
        if party is None or party.value(item.field) == value:
            continue
        _step(steps, party.id).setdefault(item.field, value)


def _party_for_field(case: Case, name: str, target: int | None, overwrite: bool,
                     steps: dict[int, FillStep]) -> Party | None:
    if target is not None:
        party = case.party(target)
        if party is None:
            return None
        return party if overwrite or not party.value(name) else None
    for party in case.parties:
        if not party.value(name) and name not in steps.get(party.id, FillStep(party.id)).values:
            return party
    return None


def _step(steps: dict[int, FillStep], party_id: int) -> dict[str, str]:
    return steps.setdefault(party_id, FillStep(party_id)).values
