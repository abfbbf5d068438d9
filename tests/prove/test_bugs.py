"""On every bug variant of Paxos and Raft, wherever BFS reaches a state that violates the
invariant, ``prove`` does not answer "inductive"; and every CTI it shows is confirmed by the
explicit evaluator.

The variants are those of specs/paxos/Paxos.tla (Variant) and specs/raft/Raft.tla
(GhostCommit); TLC 2.20 finds each of them violating Lamport's Inv or Agreement
(MCPaxos_*_inv.cfg) and LeaderCompleteness (MCRaft_ghost_commit.cfg).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.prove.report import prove_spec

SPECS = Path(__file__).resolve().parents[2] / "specs"

PAXOS_CFG = """\
CONSTANTS
    None = None
    Value = {{v1, v2}}
    Acceptor = {{a1, a2, a3}}
    Quorum = {quorum}
    MaxBallot = 1
    Variant = "{variant}"
INIT Init
NEXT Next
INVARIANTS Agreement
"""

MAJORITIES = "{{a1, a2}, {a1, a3}, {a2, a3}}"
MINORITIES = "{{a1}, {a2}, {a3}}"


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["any_value", "two_proposals", "accept_lower", "minority_quorums"])
def test_paxos_bug_variants_are_never_proved(tmp_path: Path, variant: str) -> None:
    quorum = MINORITIES if variant == "minority_quorums" else MAJORITIES
    cfg = tmp_path / f"PaxosInductive_{variant}.cfg"
    cfg.write_text(PAXOS_CFG.format(quorum=quorum, variant=variant))
    minority = variant == "minority_quorums"
    report = prove_spec(
        SPECS / "paxos/PaxosInductive.tla", "IndInv", cfg, check_inv=not minority, bfs_budget=3_000
    )
    assert report.verdict == "not inductive" and report.exit_code == 12
    assert report.replays and all(r.confirmed for r in report.replays)
    if minority:
        # IndInv stays inductive when quorums need not intersect (every conjunct is about one
        # quorum at a time), but no longer implies Agreement: IndProp is what fails.
        assert [(c.kind, c.target) for c in report.result.checks if c.verdict == "fails"] == [
            ("IndProp", "Agreement")
        ]
    else:
        assert report.reach is not None
        assert report.reach.inv_violation is not None  # BFS reaches a state breaking IndInv


RAFT_CFG = """\
CONSTANTS
    Server = {s1, s2, s3}
    MaxTerm = 2
    MaxLogLen = 1
    GhostCommit = TRUE
INIT Init
NEXT Next
INVARIANTS LeaderCompleteness StateMachineSafety
"""


@pytest.mark.slow
def test_raft_ghost_commit_is_never_proved(tmp_path: Path) -> None:
    cfg = tmp_path / "RaftInductive_ghost.cfg"
    cfg.write_text(RAFT_CFG)
    report = prove_spec(SPECS / "raft/RaftInductive.tla", "IndInv", cfg, check_inv=True, bfs_budget=3_000)
    assert report.reach is not None and report.reach.inv_violation is not None
    assert report.verdict == "not inductive"
    assert report.replays and all(r.confirmed for r in report.replays[:3])
