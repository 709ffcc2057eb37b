"""Which party a capture belongs to, and what its reading may fill: by a shared identifier only.

A newcomer pressed Space every few seconds while the phone's camera changed
pictures, and the seat gave 甲 李秀英's licence and VIN with 王建国's plate: the
documents had gone to whichever party the proposed shot named. So here:

* a document goes to the party it shares an identifier with: a 行驶证 or a policy
  by its plate, VIN or policy number, a 驾驶证 by its ID number; failing that, by
  the name that ties a driver to a car (the owner driving their own car): a 驾驶证
  to the party with that driver or that owner, a 行驶证 to the party with that owner
  or that driver;
* a picture of plates (the scene, a plate shot) matches parties by plate, and a
  plate nobody has starts a party (an empty one first);
* nothing else counts: not the order of capture, not the label of the shot. When
  no identifier matches, or identifiers name two parties, the reading waits for the
  operator's one click (甲 / 乙 / new party), and is tried again whenever the case
  learns a new identifier;
* a reading never overwrites a filled field: a different value becomes a conflict
  that keeps both values and where each came from, until the operator picks one;
* a capture the operator calls another kind (改为 on its thumbnail) is read again as
  that kind from the same OCR items (:func:`reading_as`): what only the old kind
  filled leaves, unless another document of that party reads the same value, and the
  new kind's fields are attributed by a shared identifier like any capture.

:class:`FieldLedger` is the seat's memory of where each value came from; the case
itself (the server's copy) holds only the values.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kuaichu_protocol.validators import normalise_plate
from seat_app.core.case import DRIVER_FIELDS, INSURANCE_FIELDS, MAX_VEHICLES, VEHICLE_FIELDS, Case, Party
from seat_app.core.evidence import (
    LABEL_INSURANCE, LABEL_LICENCE, LABEL_VEHICLE_LICENCE, OverlayItem,
)
from seat_app.core.relabel import document_shown

KIND_PLATES = "plates"  # a picture that shows plates only: the scene, an impact, a plate shot
NEW_PARTY = -1  # "start a party": the operator's answer, or a plate nobody has
OPERATOR = "operator"
REGISTRY = "registry"

#: The identifiers that tie a document to a party, per document kind.
KEYS: dict[str, tuple[str, ...]] = {
    LABEL_LICENCE: ("id_number",),
    LABEL_VEHICLE_LICENCE: ("vin", "plate"),
    LABEL_INSURANCE: ("policy_number", "vin", "plate"),
}
#: The party fields each kind of document prints: a 驾驶证 prints no plate; a 交强险 policy prints the car's plate
#: and VIN beside its own fields.
PRINTS: dict[str, tuple[str, ...]] = {
    LABEL_LICENCE: DRIVER_FIELDS,
    LABEL_VEHICLE_LICENCE: VEHICLE_FIELDS,
    LABEL_INSURANCE: INSURANCE_FIELDS + ("plate", "vin"),
}
#: One printed item under two kinds' names: the validity (有效期起/有效期至) of a 驾驶证 and of a policy.
SAME_PRINT: dict[str, str] = {
    "licence_valid_from": "insurance_valid_from", "licence_valid_until": "insurance_valid_until",
    "insurance_valid_from": "licence_valid_from", "insurance_valid_until": "licence_valid_until",
}


@dataclass(frozen=True)
class Reading:
    """What one capture shows: one document's fields, or plates left to right."""

    local_id: int
    kind: str  # licence | vehicle_licence | insurance | plates
    values: tuple[tuple[str, str], ...] = ()
    plates: tuple[str, ...] = ()
    # A plate read in full but not judged well-formed (an 8-character plate on a 行驶证, where no colour
    # says it is a new-energy one): never written anywhere, but it still names the party holding it exactly.
    hints: tuple[tuple[str, str], ...] = ()

    def value(self, name: str) -> str:
        return dict(self.values).get(name, "")

    def key(self, name: str) -> str:
        return self.value(name) or dict(self.hints).get(name, "")


def reading_of(local_id: int, items: Iterable[OverlayItem]) -> Reading | None:
    """The capture's valid readings as one document (the kind the OCR decided), or its plates; None: nothing."""
    items = list(items)
    unsure = [i for i in items if i.field and not i.valid and not i.flag and "?" not in i.text and i.text.strip()]
    items = [i for i in items if i.field and i.valid]
    document = document_shown([(i.field, _normal(i.field, i.text)) for i in items])
    if document is None:
        plates = _plates(items)
        return Reading(local_id, KIND_PLATES, plates=plates) if plates else None
    values: dict[str, str] = {}
    for item in items:
        values.setdefault(item.field, _normal(item.field, item.text))
    hints = tuple(("plate", normalise_plate(i.text)) for i in unsure if i.field == "plate" and "plate" not in values)
    return Reading(local_id, document.label, tuple(values.items()), hints=hints[:1])


def reading_as(local_id: int, items: Iterable[OverlayItem], label: str) -> Reading | None:
    """What the capture shows once the operator says it is a ``label`` (改为 on its thumbnail), from the same OCR
    items: the kind OCR decided reads as before; another document kind keeps the values that kind prints too
    (a policy's plate and VIN as a 行驶证's, a 驾驶证's validity as a policy's) and nothing else, and a plate only
    if the picture shows one; a picture that is no document (a scene, a plate shot) shows its plates. None:
    nothing the capture could fill."""
    items = list(items)
    seen = reading_of(local_id, items)
    if label not in PRINTS:
        plates = _plates(items)
        return Reading(local_id, KIND_PLATES, plates=plates) if plates else None
    if seen is not None and seen.kind == label:
        return seen
    values: dict[str, str] = {}
    for item in items:
        name = _printed_as(item.field, label) if item.valid else ""
        if name:
            values.setdefault(name, _normal(name, item.text))
    if len(_plates(items)) > 1:  # a picture of two cars is no one document's plate
        values.pop("plate", None)
    hints = seen.hints if seen is not None and "plate" in PRINTS[label] and "plate" not in values else ()
    return Reading(local_id, label, tuple(values.items()), hints=hints) if values or hints else None


def _printed_as(name: str, label: str) -> str:
    """The field a value read as ``name`` fills on a ``label`` document; "" when that document does not print it."""
    if name in PRINTS[label]:
        return name
    return SAME_PRINT.get(name, "") if SAME_PRINT.get(name, "") in PRINTS[label] else ""


def _plates(items: Iterable[OverlayItem]) -> tuple[str, ...]:
    """The capture's well-formed plates, left to right."""
    ordered = sorted((i for i in items if i.field == "plate" and i.valid), key=lambda i: (i.box[0], i.box[1]))
    return tuple(dict.fromkeys(normalise_plate(i.text) for i in ordered if "?" not in i.text))


def _normal(name: str, text: str) -> str:
    if name == "plate":
        return normalise_plate(text)
    return text.strip().upper() if name in ("vin", "id_number", "policy_number") else text.strip()


def same(name: str, a: str, b: str) -> bool:
    return _normal(name, a) == _normal(name, b)


# --- attribution ------------------------------------------------------------------------
def owner_of(case: Case, reading: Reading) -> int | None:
    """The one party the document shares an identifier with; None when none does or two do."""
    eligible = case.parties if reading.kind == LABEL_LICENCE else case.motor_parties
    named = {p.id for key in KEYS.get(reading.kind, ()) if reading.key(key)
             for p in eligible if p.value(key) and same(key, p.value(key), reading.key(key))}
    if not named and reading.kind == LABEL_LICENCE:
        named = _tied_by_name(eligible, reading)
    if not named and reading.kind == LABEL_VEHICLE_LICENCE:
        named = _tied_by_owner(eligible, reading)
    return next(iter(named)) if len(named) == 1 else None


def _tied_by_name(parties: Iterable[Party], reading: Reading) -> set[int]:
    """A driver with no ID match: the party with that driver's name, else the party whose owner it is."""
    name, id_number = reading.value("driver_name"), reading.value("id_number")
    if not name:
        return set()
    free = [p for p in parties if not p.value("id_number") or same("id_number", p.value("id_number"), id_number)]
    drivers = {p.id for p in free if p.value("driver_name") == name}
    return drivers or {p.id for p in free if p.value("owner") == name and not p.value("driver_name")}


def _tied_by_owner(parties: Iterable[Party], reading: Reading) -> set[int]:
    """A 行驶证 whose plate went unread: the party with that owner, else the party that driver drives
    (the owner driving their own car), among parties whose plate and VIN do not contradict it."""
    owner = reading.value("owner")
    if not owner:
        return set()
    free = [p for p in parties if all(not p.value(k) or same(k, p.value(k), reading.value(k))
                                      for k in ("vin", "plate") if reading.value(k))]
    owners = {p.id for p in free if p.value("owner") == owner}
    return owners or {p.id for p in free if p.value("driver_name") == owner and not p.value("owner")}


def plate_parties(case: Case, plates: Iterable[str]) -> list[tuple[str, int]]:
    """Each plate with its party: the one holding it, else an empty vehicle party, else NEW_PARTY (room allowing)."""
    empty = [p for p in case.motor_parties if not _holds_anything(p)]
    room = MAX_VEHICLES - len(case.motor_parties)
    out: list[tuple[str, int]] = []
    for plate in plates:
        holder = next((p for p in case.motor_parties if same("plate", p.value("plate"), plate)), None)
        if holder is not None:
            out.append((plate, holder.id))
        elif empty:
            out.append((plate, empty.pop(0).id))
        elif room > 0:
            out.append((plate, NEW_PARTY))
            room -= 1
    return out


def _holds_anything(party: Party) -> bool:
    return any(v for k, v in party.values.items() if k != "phone")


# --- where each value came from ------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """A capture (its local id and kind), the operator, or the registry."""

    kind: str  # a document kind, KIND_PLATES, OPERATOR or REGISTRY
    local_id: int | None = None


@dataclass(frozen=True)
class Candidate:
    value: str
    source: Source


class FieldLedger:
    """Per party field: where its value came from, and the other values offered for it (a conflict)."""

    def __init__(self) -> None:
        self.sources: dict[tuple[int, str], Source] = {}
        self.values: dict[tuple[int, str], str] = {}  # the value each source wrote
        self.conflicts: dict[tuple[int, str], tuple[Candidate, ...]] = {}
        self.readings: dict[int, Reading] = {}  # local_id -> what the capture showed
        self.owners: dict[int, int] = {}  # local_id -> the party a document capture was given to
        self.pending: dict[int, Reading] = {}  # documents waiting for the operator's answer
        self.chosen: set[int] = set()  # captures the operator gave to a party (not by a shared identifier)
        self.kinds: dict[int, str] = {}  # captures the operator called another kind (改为): read as that kind

    def plan(self, party: Party, reading: Reading, source: Source) -> dict[str, str]:
        """The values this reading may write (empty fields only); a different value is kept as a conflict."""
        out: dict[str, str] = {}
        for name, value in reading.values:
            current = party.value(name)
            if not current:
                out[name] = value
            elif not same(name, current, value):
                self.offer(party.id, name, Candidate(current, self.source_of(party.id, name)),
                           Candidate(value, source))
        return out

    def offer(self, party_id: int, name: str, current: Candidate, offered: Candidate) -> None:
        known = self.conflicts.get((party_id, name), (current,))
        if not any(same(name, c.value, offered.value) for c in known):
            known = (*known, offered)
        self.conflicts[(party_id, name)] = known

    def took(self, party_id: int, values: dict[str, str], source: Source) -> None:
        """Values written to the party: their source, and any conflict on them settled."""
        for name, value in values.items():
            self.sources[(party_id, name)] = source
            self.values[(party_id, name)] = value
            self.conflicts.pop((party_id, name), None)

    def source_of(self, party_id: int, name: str) -> Source:
        return self.sources.get((party_id, name), Source(OPERATOR))

    def release(self, local_id: int, stays: Reading | None = None, party_id: int | None = None
                ) -> dict[int, list[str]]:
        """A capture moves away, or becomes another kind: the fields it filled (per party) to clear, and its
        offers withdrawn. ``stays``: the capture read as its new kind, still ``party_id``'s (None for a picture
        of plates, which gives each plate to its holder); a field it still reads stays, now under that kind.

        Another document of the party reading the same value is no reason to keep a field here: that
        document may have followed this very value (a repeat given where the first went), so the caller
        refills the party from the documents that still belong to it."""
        cleared: dict[int, list[str]] = {}
        kept: set[tuple[int, str]] = set()
        for key, source in list(self.sources.items()):
            if source.local_id != local_id:
                continue
            if self._still_supplied(key, stays, party_id):
                self.sources[key] = Source(stays.kind, local_id)
                kept.add(key)
                continue
            del self.sources[key]
            self.values.pop(key, None)
            cleared.setdefault(key[0], []).append(key[1])
        for key, candidates in list(self.conflicts.items()):
            left = tuple(c if c.source.local_id != local_id else Candidate(c.value, Source(stays.kind, local_id))
                         for c in candidates if c.source.local_id != local_id
                         or (key in kept and same(key[1], c.value, self.values.get(key, ""))))
            if len(left) >= 2 and key[1] not in cleared.get(key[0], ()):
                self.conflicts[key] = left
            else:
                del self.conflicts[key]
        self.owners.pop(local_id, None)
        return cleared

    def _still_supplied(self, key: tuple[int, str], stays: Reading | None, party_id: int | None) -> bool:
        value = self.values.get(key, "")
        if stays is None or not value or not supplies(stays, key[1], value):
            return False
        return stays.kind == KIND_PLATES or key[0] == party_id

    def without(self, case: Case, local_id: int) -> Case:
        """The case as if this capture had filled nothing: whether it still belongs where it is must not
        rest on the very values it brought."""
        for (party_id, name), source in self.sources.items():
            party = case.party(party_id)
            if source.local_id == local_id and party is not None:
                case = case.with_party(party.with_values({name: ""}))
        return case

    def conflicts_of(self, party_id: int) -> dict[str, tuple[Candidate, ...]]:
        return {name: c for (pid, name), c in self.conflicts.items() if pid == party_id}


def supplies(reading: Reading, name: str, value: str) -> bool:
    """Whether the reading has this value for that field (a picture of plates: among its plates)."""
    if reading.kind == KIND_PLATES:
        return name == "plate" and any(same("plate", plate, value) for plate in reading.plates)
    return bool(reading.value(name)) and same(name, reading.value(name), value)
