"""Symmetry never changes a verdict nor the shortest trace length, on many small bounds."""

from __future__ import annotations

import itertools

import pytest

import paxos_model
from checker import CheckOptions, check

GRID = [
    (variant, acceptors, values, max_ballot)
    for variant, (acceptors, values, max_ballot) in itertools.product(
        ["correct", "any_value", "two_proposals", "accept_lower", "minority_quorums"],
        [(2, 2, 1), (3, 1, 1), (3, 2, 0), (4, 2, 0)],
    )
]


@pytest.mark.parametrize(("variant", "acceptors", "values", "max_ballot"), GRID)
def test_symmetry_keeps_verdict_depth_and_trace_length(
    variant: str, acceptors: int, values: int, max_ballot: int
) -> None:
    model = getattr(paxos_model, variant)(acceptors, values, max_ballot, invariants="Agreement,Inv")
    full = check(model, CheckOptions(symmetry=False))
    reduced = check(model)
    assert full.ok == reduced.ok
    if full.ok:
        assert full.stats.depth == reduced.stats.depth
        assert reduced.stats.distinct <= full.stats.distinct
    else:
        assert full.violation is not None and reduced.violation is not None
        assert full.violation.name == reduced.violation.name
        assert len(full.violation.trace) == len(reduced.violation.trace)
