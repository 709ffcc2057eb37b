"""Evidence the seat captured in this call, and what to capture next.

Every capture carries a label (scene, impact, plate, licence, ...) and, for
per-party shots, the party. The server's submission check counts pictures by
those labels (server/domain/evidence_requirements.py), so the seat proposes the
next missing shot and one key press captures it with the right label.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from seat_app.core.case import Case, Party

LABEL_SCENE = "scene"
LABEL_IMPACT = "impact"
LABEL_PLATE = "plate"
LABEL_LICENCE = "licence"  # driving licence 驾驶证: name, ID number, class, validity
LABEL_VEHICLE_LICENCE = "vehicle_licence"  # 行驶证: VIN, owner, vehicle type
LABEL_INSURANCE = "insurance"  # 交强险 policy or sticker: not required, but never a scene picture
LABEL_TOGETHER = "together"
LABEL_OTHER = "other"

PER_PARTY_LABELS = (LABEL_PLATE, LABEL_LICENCE, LABEL_VEHICLE_LICENCE)
#: Labels the server's evidence checklist requires (vehicle licences only feed OCR).
REQUIRED_LABELS = (LABEL_SCENE, LABEL_IMPACT, LABEL_PLATE, LABEL_LICENCE, LABEL_TOGETHER)
#: Pictures of one party's papers: whatever plate they print names that party, never a new vehicle.
DOCUMENT_LABELS = (LABEL_LICENCE, LABEL_VEHICLE_LICENCE, LABEL_INSURANCE)


class OcrStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class OverlayItem:
    """One thing OCR read: where (x, y, w, h in image pixels), what, for which field, and if it is well-formed."""

    box: tuple[int, int, int, int]
    text: str
    field: str = ""  # a party field name, or "" when the text is not one
    valid: bool = False
    confidence: float = 0.0
    caption: str = ""  # what OCR calls it on the document (号牌号码（蓝牌）, 证号...), shown beside the box
    # Why OCR will not let the reading fill its field alone ("partial": a character unread,
    # "confusable": another reading nearly as likely), and those other readings, for the operator.
    flag: str = ""
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaptureTarget:
    label: str
    party_id: int | None = None
    party_position: int | None = None

    @property
    def key(self) -> str:
        return self.label if self.party_position is None else f"{self.label}.{self.party_position}"


@dataclass(frozen=True)
class EvidenceRecord:
    local_id: int
    kind: str  # frame | photo
    label: str
    party_id: int | None
    width: int
    height: int
    evidence_id: int | None = None
    sha256: str = ""
    uploaded: bool = False
    upload_error: str = ""
    ocr_status: OcrStatus = OcrStatus.PENDING
    overlay: tuple[OverlayItem, ...] = ()
    chosen: bool = False  # the operator picked the label (下一张), so OCR never relabels it
    extra: dict[str, Any] = field(default_factory=dict)

    def evolve(self, **changes: Any) -> EvidenceRecord:
        return replace(self, **changes)


_local_ids = itertools.count(1)


def new_record(kind: str, target: CaptureTarget, width: int, height: int, **extra: Any) -> EvidenceRecord:
    return EvidenceRecord(next(_local_ids), kind, target.label, target.party_id, width, height, **extra)


def capture_plan(case: Case) -> list[CaptureTarget]:
    """Every shot a standard case needs, in the order an operator would guide the driver."""
    plan = [CaptureTarget(LABEL_SCENE), CaptureTarget(LABEL_IMPACT)]
    for party in case.motor_parties:
        plan += [CaptureTarget(label, party.id, party.position) for label in PER_PARTY_LABELS]
    if len(case.parties) >= 2:
        plan.append(CaptureTarget(LABEL_TOGETHER))
    return plan


def is_covered(target: CaptureTarget, records: Iterable[EvidenceRecord], case: Case | None = None) -> bool:
    """A shot is covered by a picture with its label (and party); a vehicle licence also counts once read."""
    for r in records:
        if r.label == target.label and (target.party_id is None or r.party_id == target.party_id):
            return True
    if target.label == LABEL_VEHICLE_LICENCE and case is not None and target.party_id is not None:
        party = case.party(target.party_id)
        return bool(party and party.value("vin"))
    return False


def next_target(case: Case, records: Sequence[EvidenceRecord], waiting: Iterable[str] = ()) -> CaptureTarget:
    """The first shot still missing; when all are there, another scene picture.

    ``waiting``: the labels of documents taken but still waiting for the operator to say whose they are;
    each stands in for one missing shot of its kind, so the seat asks for the next document, not that one again.
    """
    left = list(waiting)
    for target in capture_plan(case):
        if is_covered(target, records, case):
            continue
        if target.label in left:
            left.remove(target.label)
            continue
        return target
    return CaptureTarget(LABEL_OTHER)


def missing_evidence(case: Case, records: Sequence[EvidenceRecord]) -> list[CaptureTarget]:
    """Required shots not yet captured, for the checklist while the server has not said."""
    return [t for t in capture_plan(case) if t.label in REQUIRED_LABELS and not is_covered(t, records)]


def party_for(case: Case, target: CaptureTarget) -> Party | None:
    return case.party(target.party_id) if target.party_id is not None else None
