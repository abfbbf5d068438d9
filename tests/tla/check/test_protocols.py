"""The TLA+ path and the Python models agree on Paxos and Raft, and both equal TLC.

specs/paxos and specs/raft are the TLA+ twins of paxos_model and raft_model; their
cfg files pin what TLC 2.20 reported. Here each variant is checked through
``load_spec_model`` (our TLA+ compiler) and through the Python model, and the
distinct and generated counts, depth, verdict and shortest-trace length (and its
labels) must match between the two and equal TLC's figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import paxos_model
import raft_model
from checker.engine import CheckOptions, CheckResult, check
from checker.tla.loader import load_spec_model

SPECS = Path(__file__).resolve().parents[3] / "specs"


def run_tla(folder: str, module: str, cfg: str, **options: Any) -> CheckResult:
    model = load_spec_model(SPECS / folder / f"{module}.tla", SPECS / folder / f"{cfg}.cfg", [])
    return check(model, CheckOptions(**options))


def summary(result: CheckResult) -> tuple[Any, ...]:
    if result.violations:
        v = result.violations[0]
        return (v.kind, v.name, len(v.trace), [str(x) for x in v.trace.labels[1:]])
    return ("ok", result.stats.generated, result.stats.distinct, result.stats.depth)


# -- Paxos ------------------------------------------------------------------------

# TLC 2.20 on specs/paxos/MCPaxos.tla (figures also in each cfg's first line).
PAXOS_OK = {
    # cfg: (python factory kwargs, symmetry, (generated, distinct, depth))
    "MCPaxos": ({}, False, (23_563, 3_921, 17)),  # TLC 2.20: 23,563 generated, 3,921 distinct, depth 17
    "MCPaxos_symmetry": ({}, True, (2_697, 443, 17)),  # TLC 2.20: 2,697 generated, 443 distinct, depth 17
}

PAXOS_BUGS = {
    # cfg: (factory, invariants of the Python model, violated invariant, TLC 2.20's trace length)
    "MCPaxos_any_value": ("any_value", "Agreement", "Agreement", 13),
    "MCPaxos_any_value_inv": ("any_value", "Inv", "Inv", 10),
    "MCPaxos_two_proposals": ("two_proposals", "Agreement", "Agreement", 10),
    "MCPaxos_two_proposals_inv": ("two_proposals", "Inv", "Inv", 6),
    "MCPaxos_accept_lower": ("accept_lower", "Agreement", "Agreement", 13),
    "MCPaxos_accept_lower_inv": ("accept_lower", "Inv", "Inv", 8),
    "MCPaxos_minority_quorums": ("minority_quorums", "Agreement", "Agreement", 9),
}


@pytest.mark.slow
@pytest.mark.parametrize("cfg", sorted(PAXOS_OK))
def test_paxos_correct_counts_equal_the_python_model_and_tlc(cfg: str) -> None:
    kwargs, symmetry, tlc = PAXOS_OK[cfg]
    tla = run_tla("paxos", "MCPaxos", cfg)
    python = check(
        paxos_model.correct(invariants="TypeOK,Agreement,Inv", **kwargs), CheckOptions(symmetry=symmetry)
    )
    assert summary(tla) == ("ok", *tlc)
    assert summary(python) == summary(tla)


@pytest.mark.slow
@pytest.mark.parametrize("cfg", sorted(PAXOS_BUGS))
def test_paxos_bug_is_found_with_tlcs_trace_length_by_both_encodings(cfg: str) -> None:
    factory, invariants, violated, length = PAXOS_BUGS[cfg]
    tla = run_tla("paxos", "MCPaxos", cfg)
    python = check(getattr(paxos_model, factory)(invariants=invariants), CheckOptions(symmetry=False))
    assert tla.violation is not None and python.violation is not None
    assert (tla.violation.name, len(tla.violation.trace)) == (violated, length)
    assert (python.violation.name, len(python.violation.trace)) == (violated, length)


# -- Raft -------------------------------------------------------------------------

# TLC 2.20, MCRaft_ghost_commit.cfg: LeaderCompleteness violated, 11 states, these labels
# (the same list tests/raft_model/test_atomic.py pins for the Python model).
LEADER_COMPLETENESS_TRACE = [
    "BecomeLeader(s1, {s1, s2})",
    "BecomeLeader(s2, {s2, s3})",
    "ClientRequest(s1)",
    "ClientRequest(s2)",
    "UpdateTerm(s2, s1)",
    "BecomeLeader(s1, {s1, s3})",
    "AppendEntries(s1, s3)",
    "CommitEntry(s1, {s1, s3}, 1)",
    "UpdateTerm(s1, s2)",
    "BecomeLeader(s2, {s1, s2})",
]


@pytest.mark.slow
def test_raft_correct_with_symmetry_equals_the_python_model_and_tlc() -> None:
    tla = run_tla("raft", "MCRaft", "MCRaft_correct")
    python = check(raft_model.correct(), CheckOptions())
    # TLC 2.20, MCRaft_correct.cfg (SYMMETRY Permutations(Server)): 21,737 generated, 4,504 distinct, depth 15
    assert summary(tla) == ("ok", 21_737, 4_504, 15)
    assert summary(python) == summary(tla)


@pytest.mark.slow
def test_raft_ghost_commit_trace_equals_the_python_model_and_tlc() -> None:
    tla = run_tla("raft", "MCRaft", "MCRaft_ghost_commit")
    python = check(raft_model.ghost_commit(), CheckOptions())
    assert tla.violation is not None and python.violation is not None
    assert tla.violation.name == python.violation.name == "LeaderCompleteness"
    assert [str(x) for x in tla.violation.trace.labels[1:]] == LEADER_COMPLETENESS_TRACE
    assert [str(x) for x in python.violation.trace.labels[1:]] == LEADER_COMPLETENESS_TRACE
    # The two encodings hold the same values: every state of the trace reads the same.
    assert [dict(s.record) for s in tla.violation.trace.steps] == [
        dict(s.record) for s in python.violation.trace.steps
    ]


# -- Raft with request and response messages ----------------------------------------


@pytest.mark.slow
def test_raft_messages_correct_equals_the_python_model_and_tlc() -> None:
    import raft_model.messages

    tla = run_tla("raft", "MCRaftMessages", "MCRaftMessages_correct")
    python = check(raft_model.messages.correct(), CheckOptions())
    # TLC 2.20, MCRaftMessages_correct.cfg: 9,475 generated, 4,213 distinct, depth 35
    assert summary(tla) == ("ok", 9_475, 4_213, 35)
    assert summary(python) == summary(tla)


@pytest.mark.slow
def test_raft_messages_ghost_commit_trace_length_equals_the_python_model_and_tlc() -> None:
    import raft_model.messages

    tla = run_tla("raft", "MCRaftMessages", "MCRaftMessages_ghost_commit")
    python = check(raft_model.messages.ghost_commit(), CheckOptions())
    assert tla.violation is not None and python.violation is not None
    # TLC 2.20, MCRaftMessages_ghost_commit.cfg: LeaderCompleteness violated in 27 states.
    assert (tla.violation.name, len(tla.violation.trace)) == ("LeaderCompleteness", 27)
    assert (python.violation.name, len(python.violation.trace)) == ("LeaderCompleteness", 27)
