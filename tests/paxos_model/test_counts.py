"""paxos_model explores exactly the state space TLC explores on specs/paxos/MCPaxos.tla.

Every figure here was produced by TLC 2.20 (one worker) on specs/paxos with the cfg
named in the comment; the Python model must equal it: generated counts included,
which holds only if successors are produced one per satisfying binding of each \\E.
"""

from __future__ import annotations

import pytest

from checker import CheckOptions, check
from paxos_model import correct, minority_quorums

NO_SYMMETRY = CheckOptions(symmetry=False)


def figures(model: object, options: CheckOptions | None = None) -> tuple[int, int, int]:
    result = check(model, options)
    assert result.ok and result.complete, result.violation and result.violation.headline()
    return result.stats.distinct, result.stats.generated, result.stats.depth


def test_default_bounds_match_tlc_and_both_invariants_hold_on_every_state() -> None:
    # TLC 2.20, MCPaxos.cfg (TypeOK, Agreement, Inv): 23,563 generated, 3,921 distinct, depth 17
    assert figures(correct(), NO_SYMMETRY) == (3_921, 23_563, 17)


def test_default_bounds_with_symmetry_match_tlc() -> None:
    # TLC 2.20, MCPaxos_symmetry.cfg (product of acceptor and value permutations):
    # 2,697 generated, 443 distinct, depth 17
    assert figures(correct()) == (443, 2_697, 17)


def test_symmetry_is_declared_over_acceptors_and_values() -> None:
    model = correct()
    assert sorted(sorted(m.name for m in s) for s in model.symmetric_sets) == [
        ["a1", "a2", "a3"],
        ["v1", "v2"],
    ]


def test_typeok_alone_does_not_change_the_counts() -> None:
    assert figures(correct(invariants="TypeOK"), NO_SYMMETRY) == (3_921, 23_563, 17)


@pytest.mark.slow
def test_ballots_0_to_2_match_tlc_and_both_invariants_hold_on_every_state() -> None:
    # TLC 2.20, MCPaxos_ballots2.cfg (TypeOK, Agreement, Inv): 1,361,380 generated,
    # 185,369 distinct, depth 25
    assert figures(correct(max_ballot=2), NO_SYMMETRY) == (185_369, 1_361_380, 25)


@pytest.mark.slow
def test_ballots_0_to_2_with_symmetry_match_tlc_and_inv_holds() -> None:
    # TLC 2.20, MCPaxos_ballots2_symmetry.cfg (TypeOK, Agreement, Inv):
    # 127,002 generated, 17,153 distinct, depth 25
    assert figures(correct(max_ballot=2)) == (17_153, 127_002, 25)


def test_lamports_invariant_holds_with_minority_quorums_although_agreement_fails() -> None:
    # TLC 2.20, MCPaxos_minority_quorums_inv.cfg (Inv only): no error,
    # 83,059 generated, 12,513 distinct, depth 17. Each step keeps Inv; Inv implies
    # Agreement only when quorums intersect (see test_bugs for the disagreement).
    assert figures(minority_quorums(invariants="Inv"), NO_SYMMETRY) == (12_513, 83_059, 17)


def test_minority_quorums_with_symmetry_agree_with_the_full_space() -> None:
    # Singletons are invariant under acceptor permutations, so symmetry is declared;
    # it must not change the verdict.
    model = minority_quorums(invariants="Inv")
    assert len(model.symmetric_sets) == 2
    assert check(model).ok


def test_asymmetric_quorums_turn_acceptor_symmetry_off() -> None:
    # {a1, a2} and {a1, a3} but not {a2, a3}: swapping a1 and a2 changes the quorums.
    model = correct(quorums="a1 a2; a1 a3")
    assert [sorted(m.name for m in s) for s in model.symmetric_sets] == [["v1", "v2"]]
    with_symmetry = figures(model)
    without = figures(model, NO_SYMMETRY)
    assert with_symmetry[2] == without[2] and with_symmetry[0] < without[0]


def test_one_value_and_asymmetric_quorums_have_no_symmetry() -> None:
    model = correct(values=1, quorums="a1 a2; a1 a3")
    assert model.symmetric_sets == () and not model.has_symmetry
    assert figures(model) == figures(model, NO_SYMMETRY)
