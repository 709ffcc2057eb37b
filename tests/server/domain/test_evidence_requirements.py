import pytest

from server.domain.evidence_requirements import EvidenceItem, PartyRef, evidence_checklist

A, B, C = PartyRef(11, 1), PartyRef(12, 2), PartyRef(13, 3)
E_BIKE = PartyRef(14, 2, kind="non_motor")


def keys_missing(evidence, parties):
    return [r.key for r in evidence_checklist(evidence, parties) if not r.met]


def full_set(*parties):
    items = [EvidenceItem("scene", "frame"), EvidenceItem("impact", "photo"), EvidenceItem("together", "frame")]
    for p in parties:
        if p.kind == "motor":
            items += [EvidenceItem("plate", "frame", p.id), EvidenceItem("licence", "photo", p.id)]
    return items


@pytest.mark.parametrize("parties", [(A,), (A, B), (A, B, C), (A, E_BIKE)])
def test_a_complete_set_meets_every_requirement(parties):
    assert keys_missing(full_set(*parties), parties) == []


def test_nothing_captured_lists_everything_for_two_cars():
    assert keys_missing([], (A, B)) == [
        "evidence.scene", "evidence.impact", "evidence.plate.1", "evidence.licence.1",
        "evidence.plate.2", "evidence.licence.2", "evidence.together",
    ]


def test_one_car_needs_no_together_shot():
    assert "evidence.together" not in keys_missing([], (A,))


def test_a_non_motor_party_has_no_plate_or_licence_to_show():
    assert keys_missing([], (A, E_BIKE)) == [
        "evidence.scene", "evidence.impact", "evidence.plate.1", "evidence.licence.1", "evidence.together",
    ]


def test_a_plate_counts_only_for_its_own_party():
    evidence = [e for e in full_set(A, B) if not (e.label == "plate" and e.party_id == B.id)]
    evidence.append(EvidenceItem("plate", "frame", A.id))  # a second shot of 甲's plate
    assert keys_missing(evidence, (A, B)) == ["evidence.plate.2"]


@pytest.mark.parametrize("kind", ["recording", "document"])
def test_only_pictures_count(kind):
    evidence = [EvidenceItem("scene", kind)]
    assert "evidence.scene" in keys_missing(evidence, (A,))


def test_labels_are_plain_chinese():
    labels = {r.key: r.label_zh for r in evidence_checklist([], (A, B, C))}
    assert labels["evidence.plate.2"] == "乙方号牌照片"
    assert labels["evidence.together"] == "各方同框照片"
    assert evidence_checklist([], (A, B))[-1].missing_zh == "缺少双方同框照片"
