"""Each bug variant breaks Agreement, with TLC's shortest trace length, and the trace replays.

Trace lengths are TLC 2.20's on specs/paxos/MCPaxos_<bug>.cfg (Agreement only) and
MCPaxos_<bug>_inv.cfg (Inv only), counted in states (TLC's "State 1" .. "State n").
A trace is replayed through tests/paxos_model/reference.py, an independent encoding
of the spec over TLA+ values.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from checker import CheckOptions, Trace, check
from paxos_model import Paxos, accept_lower, any_value, minority_quorums, two_proposals

from .reference import ReferencePaxos

NO_SYMMETRY = CheckOptions(symmetry=False)

AGREEMENT_TRACES = [
    # TLC 2.20: any_value 13 states, two_proposals 10, accept_lower 13, minority_quorums 9
    (any_value, "any_value", 13),
    (two_proposals, "two_proposals", 10),
    (accept_lower, "accept_lower", 13),
    (minority_quorums, "minority_quorums", 9),
]

INV_TRACES = [
    # TLC 2.20: any_value 10 states, two_proposals 6, accept_lower 8
    (any_value, 10),
    (two_proposals, 6),
    (accept_lower, 8),
]


def reference_for(variant: str) -> ReferencePaxos:
    return ReferencePaxos(variant=variant, quorum_size=1 if variant == "minority_quorums" else 2)


def assert_replays(model: Paxos, trace: Trace, reference: ReferencePaxos) -> None:
    """The trace starts in Init and each step is a step of the reference's Next, action by action."""
    records = [model.as_record(step.state) for step in trace.steps]
    assert records[0] == reference.as_dict(reference.init())
    for before, after, step in zip(records, records[1:], trace.steps[1:]):
        state = (before["maxBal"], before["maxVBal"], before["maxVal"], before["msgs"])
        successors = [(name, reference.as_dict(t)) for name, t in reference.next(state)]
        assert (str(step.label).split("(")[0], after) in successors, step.label


@pytest.mark.parametrize(("factory", "variant", "length"), AGREEMENT_TRACES)
def test_bug_breaks_agreement_in_tlc_shortest_trace(
    factory: Callable[..., Paxos], variant: str, length: int
) -> None:
    model = factory(invariants="Agreement")
    result = check(model, NO_SYMMETRY)
    assert result.violation is not None and result.violation.name == "Agreement"
    assert result.exit_code == 12
    trace = result.violation.trace
    assert len(trace) == length
    reference = reference_for(variant)
    assert_replays(model, trace, reference)
    # Only the last state disagrees: two different values chosen.
    assert not reference.agreement(_as_tuple(trace.steps[-1].record))
    assert all(reference.agreement(_as_tuple(step.record)) for step in trace.steps[:-1])
    assert len(model.chosen(trace.steps[-1].state)) == 2


@pytest.mark.parametrize(("factory", "variant", "length"), AGREEMENT_TRACES)
def test_symmetry_keeps_the_shortest_trace_length(
    factory: Callable[..., Paxos], variant: str, length: int
) -> None:
    model = factory(invariants="Agreement")
    result = check(model)
    assert result.violation is not None and len(result.violation.trace) == length
    assert_replays(model, result.violation.trace, reference_for(variant))


@pytest.mark.parametrize(("factory", "length"), INV_TRACES)
def test_bug_breaks_lamports_invariant_first(factory: Callable[..., Paxos], length: int) -> None:
    result = check(factory(invariants="Inv"), NO_SYMMETRY)
    assert result.violation is not None and result.violation.name == "Inv"
    assert len(result.violation.trace) == length


def test_with_both_invariants_inv_is_reported_before_agreement() -> None:
    # Inv fails at 10 states in any_value, Agreement only at 13: BFS reports the shorter.
    result = check(any_value(), NO_SYMMETRY)
    assert result.violation is not None and result.violation.name == "Inv"
    assert len(result.violation.trace) == 10


def test_minority_quorums_choose_two_values_with_single_acceptors() -> None:
    model = minority_quorums(invariants="Agreement")
    result = check(model, NO_SYMMETRY)
    assert result.violation is not None
    last = result.violation.trace.steps[-1]
    votes = [m for m in model.messages(last.state) if m.kind == "2b"]
    # One vote for each value, by two different acceptors, in two ballots.
    assert len(votes) == 2
    assert {m.val for m in votes} == {0, 1}
    assert len({m.acc for m in votes}) == 2 and len({m.bal for m in votes}) == 2


def _as_tuple(record: object) -> tuple:  # type: ignore[type-arg]
    r = dict(record)  # type: ignore[call-overload]
    return (r["maxBal"], r["maxVBal"], r["maxVal"], r["msgs"])
