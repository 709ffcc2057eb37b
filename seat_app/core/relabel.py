"""What a capture really shows, when OCR contradicts the label it was taken under.

The operator presses Space for the proposed shot, but the driver's camera may be
showing something else: 甲方's driving licence while the seat proposed 现场全景.
Counted as the scene, that picture would tick a shot never taken and leave the
licence missing, so a confident reading of a document relabels the capture.

The OCR engine tells the documents apart by their printed wording and names a party
field only for the kind it decided (``seat_app.services.ocr.overlay.PARTY_FIELDS``
is keyed by kind), so the overlay's field names carry the engine's verdict; nothing
here reads the text again. The rules:

* only a confident reading counts: a valid self-checking number (ID number, VIN),
  or two valid fields of one document;
* plates alone never relabel: scene, impact and together shots show plates by
  design, and a plate shot's own plate may simply have gone unread;
* a label the operator chose in 下一张 stands;
* the party is the one whose ID number, VIN, plate or policy number the document
  carries, and no other: never the party the shot was aimed at, nor the first one
  still empty (``seat_app.core.attribution`` asks the operator instead).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kuaichu_protocol.validators import normalise_plate
from seat_app.core.case import DRIVER_FIELDS, INSURANCE_FIELDS, Case, Party
from seat_app.core.evidence import (
    LABEL_INSURANCE, LABEL_LICENCE, LABEL_VEHICLE_LICENCE, CaptureTarget, EvidenceRecord, OverlayItem,
)

MIN_FIELDS = 2  # valid fields of one document that make a reading confident without a self-checking number


@dataclass(frozen=True)
class Document:
    label: str
    fields: tuple[str, ...]  # party fields that only a reading of this document fills
    proof: tuple[str, ...]  # self-checking numbers: one valid value is enough
    keys: tuple[str, ...]  # values that name their party, strongest first
    motor_only: bool = True


DOCUMENTS = (
    Document(LABEL_LICENCE, DRIVER_FIELDS, proof=("id_number",), keys=("id_number",), motor_only=False),
    # "plate" is not among the fields: plates are read in any picture, so they prove no document.
    Document(LABEL_VEHICLE_LICENCE, ("vehicle_type", "owner", "vin"), proof=("vin",), keys=("vin", "plate")),
    Document(LABEL_INSURANCE, INSURANCE_FIELDS, proof=(), keys=("policy_number",)),
)


def corrected_target(case: Case, record: EvidenceRecord, items: Iterable[OverlayItem]) -> CaptureTarget | None:
    """The label and party the picture really has, or None when the capture's own stand."""
    if record.chosen:
        return None
    readings = _valid_readings(items)
    document = document_shown(readings)
    if document is None:
        return None
    party = _party_named(case, document, readings)
    party_id = party.id if party is not None else None
    if (document.label, party_id) == (record.label, record.party_id):
        return None
    return CaptureTarget(document.label, party_id, party.position if party is not None else None)


def document_shown(readings: list[tuple[str, str]]) -> Document | None:
    """The one document the valid readings confidently show; None for plates only, weak or mixed readings."""
    shown = [d for d in DOCUMENTS if _confident(d, {name for name, _ in readings})]
    return shown[0] if len(shown) == 1 else None


def _confident(document: Document, names: set[str]) -> bool:
    return bool(names & set(document.proof)) or len(names & set(document.fields)) >= MIN_FIELDS


def _valid_readings(items: Iterable[OverlayItem]) -> list[tuple[str, str]]:
    return [(i.field, _value(i.field, i.text)) for i in items if i.field and i.valid]


def _value(name: str, text: str) -> str:
    return normalise_plate(text) if name == "plate" else text.strip().upper()




def _party_named(case: Case, document: Document, readings: list[tuple[str, str]]) -> Party | None:
    """The party whose number the document carries; a key naming two parties (two plates) names none."""
    for key in document.keys:
        read = {value for name, value in readings if name == key}
        owners = {p.id: p for p in _eligible(case, document) if p.value(key) and _value(key, p.value(key)) in read}
        if len(owners) == 1:
            return next(iter(owners.values()))
    return None


def _eligible(case: Case, document: Document) -> tuple[Party, ...]:
    return case.motor_parties if document.motor_only else case.parties
