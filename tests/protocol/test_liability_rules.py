"""第六十条 as a table: every grade combination for two and three parties, and the violation rules."""
from __future__ import annotations

import itertools

import pytest

from kuaichu_protocol.liability import (
    MAX_VIOLATIONS,
    RULE_COMBINATION,
    RULE_FAULT_NEEDS_VIOLATION,
    RULE_NO_FAULT_NO_VIOLATION,
    RULE_NO_PARTIES,
    RULE_REPEATED_VIOLATION,
    RULE_TOO_MANY_VIOLATIONS,
    RULE_UNKNOWN_GRADE,
    RULE_UNKNOWN_VIOLATION,
    PartyDecision,
    check_decision,
)

GRADES = ("full", "major", "equal", "minor", "none")
LABELS = ("甲方", "乙方", "丙方")

# The allowed combinations written out by hand, as sorted multisets, independent of the code under test.
ALLOWED = {
    2: {("full", "none"), ("major", "minor"), ("equal", "equal"), ("none", "none")},
    3: {("full", "none", "none"), ("major", "minor", "minor"), ("equal", "equal", "equal"),
        ("none", "none", "none")},
}


def _decision(grades):
    return [PartyDecision(LABELS[i], g, ("V01",) if g != "none" else ()) for i, g in enumerate(grades)]


@pytest.mark.parametrize("grades", [*itertools.product(GRADES, repeat=2), *itertools.product(GRADES, repeat=3)],
                         ids=lambda g: "-".join(g))
def test_every_combination_of_grades_is_allowed_exactly_when_the_table_says(grades):
    problems = check_decision(_decision(grades))
    allowed = tuple(sorted(grades)) in ALLOWED[len(grades)]
    assert (problems == []) == allowed
    if not allowed:
        (problem,) = problems
        assert problem.rule == RULE_COMBINATION
        assert problem.parties == LABELS[:len(grades)]
        for label in LABELS[:len(grades)]:
            assert label in problem.message
        assert "第六十条" in problem.message


def test_the_allowed_table_has_the_four_combinations_per_party_count():
    for n in (2, 3):
        allowed = [g for g in itertools.product(GRADES, repeat=n) if not check_decision(_decision(g))]
        assert {tuple(sorted(g)) for g in allowed} == ALLOWED[n]


@pytest.mark.parametrize("grade", ["full", "none"])
def test_a_single_party_may_be_wholly_or_not_at_all_responsible(grade):
    assert check_decision(_decision([grade])) == []


@pytest.mark.parametrize("grade", ["major", "equal", "minor"])
def test_a_single_party_cannot_share_responsibility_with_nobody(grade):
    assert [p.rule for p in check_decision(_decision([grade]))] == [RULE_COMBINATION]


@pytest.mark.parametrize("grade", ["full", "major", "minor", "equal"])
def test_a_party_at_fault_without_a_violation_is_named(grade):
    partner = {"full": "none", "major": "minor", "minor": "major", "equal": "equal"}[grade]
    decision = [PartyDecision("甲方", grade, ()), PartyDecision("乙方", partner, () if partner == "none" else ("V02",))]
    (problem,) = check_decision(decision)
    assert problem.rule == RULE_FAULT_NEEDS_VIOLATION
    assert problem.parties == ("甲方",) and "甲方" in problem.message and "乙方" not in problem.message


def test_a_party_without_fault_may_not_carry_a_violation():
    decision = [PartyDecision("甲方", "full", ("V01",)), PartyDecision("乙方", "none", ("V02",))]
    (problem,) = check_decision(decision)
    assert problem.rule == RULE_NO_FAULT_NO_VIOLATION and problem.parties == ("乙方",)


def test_at_most_three_distinct_violations_per_party():
    four = tuple(f"V0{i}" for i in range(1, MAX_VIOLATIONS + 2))
    rules = [p.rule for p in check_decision([PartyDecision("甲方", "full", four), PartyDecision("乙方", "none")])]
    assert rules == [RULE_TOO_MANY_VIOLATIONS]
    rules = [p.rule for p in check_decision([PartyDecision("甲方", "full", ("V01", "V01")),
                                             PartyDecision("乙方", "none")])]
    assert rules == [RULE_REPEATED_VIOLATION]


def test_codes_outside_the_catalogue_are_refused_when_the_catalogue_is_given():
    decision = [PartyDecision("甲方", "full", ("V01", "X99")), PartyDecision("乙方", "none")]
    assert check_decision(decision) == []
    (problem,) = check_decision(decision, known_violations=frozenset({"V01"}))
    assert problem.rule == RULE_UNKNOWN_VIOLATION and "X99" in problem.message


@pytest.mark.parametrize("grade", ["", "全部", "FULL", "unknown"])
def test_an_unknown_grade_is_named_and_no_combination_is_judged(grade):
    problems = check_decision([PartyDecision("甲方", grade, ("V01",)), PartyDecision("乙方", "none")])
    assert [p.rule for p in problems] == [RULE_UNKNOWN_GRADE]
    assert problems[0].parties == ("甲方",)


def test_no_parties_is_refused():
    assert [p.rule for p in check_decision([])] == [RULE_NO_PARTIES]
