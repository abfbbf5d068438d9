"""Symmetry on a whole model: counts pinned to TLC, verdicts and shortest traces unchanged.

The model is ``election.py``, the twin of ``tla/Election.tla``; the TLC figures
below come from running TLC 2.20 on that spec and its cfgs (one worker).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from checker.engine.bfs import check
from checker.engine.result import CheckOptions
from checker.symmetry import permutations_of, permute

_spec = importlib.util.spec_from_file_location("symmetry_election", Path(__file__).with_name("election.py"))
assert _spec is not None and _spec.loader is not None
election = importlib.util.module_from_spec(_spec)
sys.modules["symmetry_election"] = election
_spec.loader.exec_module(election)
Election = election.Election


def test_election_with_symmetry_matches_tlc() -> None:
    # TLC 2.20, Election.cfg (SYMMETRY Perms): 438 generated, 188 distinct, depth 9
    r = check(Election(), CheckOptions(symmetry=True))
    assert (r.stats.generated, r.stats.distinct, r.stats.depth) == (438, 188, 9)
    assert not r.violations


def test_election_without_symmetry_matches_tlc() -> None:
    # TLC 2.20, Election_nosym.cfg: 2,395 generated, 1,047 distinct, depth 9
    r = check(Election(), CheckOptions(symmetry=False))
    assert (r.stats.generated, r.stats.distinct, r.stats.depth) == (2_395, 1_047, 9)


def test_distinct_with_symmetry_is_the_number_of_orbits() -> None:
    # Independent of TLC: the orbits of the 1,047 reachable states under the 6
    # permutations, computed by brute force from the states themselves.
    model = Election(symmetric=False)
    seen = set()
    frontier = list(model.init_states())
    seen.update(frontier)
    while frontier:
        nxt = []
        for s in frontier:
            for _, t in model.next_steps(s):
                if t not in seen:
                    seen.add(t)
                    nxt.append(t)
        frontier = nxt
    assert len(seen) == 1_047
    perms = list(permutations_of([frozenset(model.servers)]))
    orbits = {frozenset(permute(tuple(s), p) for p in perms) for s in seen}
    assert len(orbits) == 188


def test_bug_found_with_and_without_symmetry_at_the_same_length() -> None:
    # TLC 2.20, Election_bug.cfg and Election_bug_nosym.cfg: OneLeaderPerTerm
    # violated, a 7-state trace either way (TLC with SYMMETRY: 916 generated and
    # 283 distinct when it stopped; partial counts are not compared otherwise).
    on = check(Election(one_vote=False), CheckOptions(symmetry=True))
    off = check(Election(one_vote=False), CheckOptions(symmetry=False))
    assert [(v.name, len(v.trace)) for v in on.violations] == [("OneLeaderPerTerm", 7)]
    assert [(v.name, len(v.trace)) for v in off.violations] == [("OneLeaderPerTerm", 7)]
    assert (on.stats.generated, on.stats.distinct) == (916, 283)


def test_trace_under_symmetry_is_a_real_execution() -> None:
    model = Election(one_vote=False)
    trace = check(model, CheckOptions(symmetry=True)).violations[0].trace
    states = trace.states
    assert states[0] in set(model.init_states())
    for (label, prev), nxt in zip(zip(trace.labels[1:], states), states[1:]):
        assert (label, nxt) in set(model.next_steps(prev))
    assert not model.one_leader_per_term(states[-1])


@pytest.mark.parametrize("n, max_term", [(2, 2), (3, 1), pytest.param(4, 1, marks=pytest.mark.slow)])
@pytest.mark.parametrize("one_vote", [True, False])
def test_verdict_and_shortest_trace_do_not_change_with_symmetry(
    n: int, max_term: int, one_vote: bool
) -> None:
    on = check(Election(n, max_term, one_vote), CheckOptions(symmetry=True))
    off = check(Election(n, max_term, one_vote), CheckOptions(symmetry=False))
    assert [(v.name, len(v.trace)) for v in on.violations] == [(v.name, len(v.trace)) for v in off.violations]
    if not off.violations:
        assert on.stats.depth == off.stats.depth
        assert on.stats.distinct < off.stats.distinct
