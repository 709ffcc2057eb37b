import pytest

from kuaichu_protocol.messages import CaseState as S
from server.domain import case_states as cs

LEGAL = [
    (S.QUEUED, S.IN_CALL, "operator"),
    (S.QUEUED, S.ABANDONED, "party"),
    (S.QUEUED, S.ABANDONED, "system"),
    (S.IN_CALL, S.COLLECTING, "operator"),
    (S.IN_CALL, S.INTERRUPTED, "system"),
    (S.COLLECTING, S.INTERRUPTED, "party"),
    (S.INTERRUPTED, S.QUEUED, "party"),
    (S.COLLECTING, S.ESCALATED, "operator"),
    (S.COLLECTING, S.AWAITING_LIABILITY, "operator"),
    (S.AWAITING_LIABILITY, S.DETERMINED, "officer"),
    (S.DETERMINED, S.CLOSED, "officer"),
    (S.DETERMINED, S.REVIEW_REQUESTED, "party"),
    (S.REVIEW_REQUESTED, S.REVIEWED, "officer"),
    (S.DETERMINED, S.CLAIM_REPORTED, "party"),
]


@pytest.mark.parametrize("source,target,actor", LEGAL)
def test_legal_moves_are_allowed(source, target, actor):
    assert cs.check(source, target, actor).target == target


@pytest.mark.parametrize("source,target,actor", [
    (S.QUEUED, S.IN_CALL, "officer"),
    (S.QUEUED, S.IN_CALL, "party"),
    (S.AWAITING_LIABILITY, S.DETERMINED, "operator"),
    (S.COLLECTING, S.AWAITING_LIABILITY, "admin"),
    (S.DETERMINED, S.REVIEW_REQUESTED, "operator"),
])
def test_wrong_role_is_forbidden(source, target, actor):
    with pytest.raises(cs.ForbiddenTransition):
        cs.check(source, target, actor)


def test_every_edge_not_in_the_design_is_illegal():
    legal_edges = {(t.source, t.target) for t in cs.TRANSITIONS}
    for source in S:
        for target in S:
            if (source, target) in legal_edges:
                continue
            with pytest.raises(cs.IllegalTransition):
                cs.check(source, target, "operator")


def test_terminal_states_have_no_way_out():
    for terminal in (S.CLOSED, S.ABANDONED, S.ESCALATED, S.REVIEWED, S.CLAIM_REPORTED):
        assert cs.next_states(terminal) == set()


def test_every_state_has_a_chinese_label():
    assert set(cs.STATE_LABELS_ZH) == set(S)
