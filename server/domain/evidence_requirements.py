"""The photos a case must hold before liability can be decided remotely.

The officer who decides liability never sees the scene, so the seat must capture
an overall view and the point of impact, every plate and every driving licence,
and, when there are several parties, all of them in one frame (so nobody can
later claim the other car was never there). The seat's checklist is driven by
:func:`evidence_checklist`; the same list gates submission.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from server.domain.party_labels import party_label

LABEL_SCENE = "scene"
LABEL_IMPACT = "impact"
LABEL_PLATE = "plate"
LABEL_LICENCE = "licence"  # driving licence (驾驶证)
LABEL_TOGETHER = "together"

#: Evidence kinds that are pictures; recordings and issued documents do not count.
PICTURE_KINDS = frozenset({"frame", "photo"})


@dataclass(frozen=True)
class EvidenceItem:
    label: str
    kind: str  # frame | photo | recording | document
    party_id: int | None = None


@dataclass(frozen=True)
class PartyRef:
    id: int
    position: int
    kind: str = "motor"  # motor | non_motor


@dataclass(frozen=True)
class EvidenceRequirement:
    key: str  # stable checklist key, e.g. "evidence.plate.1"
    label_zh: str
    met: bool
    count: int  # matching pictures held

    @property
    def missing_zh(self) -> str:
        return f"缺少{self.label_zh}"


def evidence_checklist(evidence: Iterable[EvidenceItem], parties: Sequence[PartyRef]) -> list[EvidenceRequirement]:
    pictures = [e for e in evidence if e.kind in PICTURE_KINDS]
    wanted: list[tuple[str, str, str, int | None]] = [
        ("evidence.scene", "事故现场全景照片", LABEL_SCENE, None),
        ("evidence.impact", "碰撞部位照片", LABEL_IMPACT, None),
    ]
    for party in sorted(parties, key=lambda p: p.position):
        if party.kind != "motor":
            continue
        who = party_label(party.position)
        wanted.append((f"evidence.plate.{party.position}", f"{who}号牌照片", LABEL_PLATE, party.id))
        wanted.append((f"evidence.licence.{party.position}", f"{who}驾驶证照片", LABEL_LICENCE, party.id))
    if len(parties) >= 2:
        together = "双方同框照片" if len(parties) == 2 else "各方同框照片"
        wanted.append(("evidence.together", together, LABEL_TOGETHER, None))
    return [_requirement(pictures, *w) for w in wanted]


def _requirement(
    pictures: list[EvidenceItem], key: str, label_zh: str, label: str, party_id: int | None
) -> EvidenceRequirement:
    count = sum(1 for e in pictures if e.label == label and (party_id is None or e.party_id == party_id))
    return EvidenceRequirement(key, label_zh, count > 0, count)
