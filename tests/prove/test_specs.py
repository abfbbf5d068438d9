"""The inductive invariants of specs/: each is proved, and each of its conjuncts is needed or
shown redundant (pinned below, with the reference that agrees).

A conjunct is *needed* when the invariant without it is not inductive (a CTI, confirmed by
the round trip through Z3) and *redundant* when the rest is still inductive. References:
TLC 2.20, started from every state of the invariant (the *InductiveTLC.cfg files), for
two-phase commit and Voting; for Paxos and Raft, where TLC cannot enumerate the states of
the invariant, every CTI is replayed by the explicit evaluator (test_bugs.py,
test_cli.py) and the full invariant holds on every reachable state (TLC 2.20, figures below).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.prove.induction import (
    InductionResult,
    Problem,
    ProveOptions,
    check_induction,
    confirm_with_z3,
    without_conjunct,
)
from checker.prove.problem import load_problem, with_constants

SPECS = Path(__file__).resolve().parents[2] / "specs"

DROP = ProveOptions(per_conjunct=False, only_kinds=("IndInit", "IndNext"), first_failure=True)


def problem(path: str, inv: str = "IndInv", cfg: str | None = None) -> Problem:
    return load_problem(SPECS / path, inv, SPECS / cfg if cfg else None).problem


def first_failure(r: InductionResult) -> tuple[str, str, tuple[str, ...]] | None:
    for c in r.checks:
        if c.verdict == "fails":
            return c.kind, c.target, c.broken
    return None


def drop(p: Problem, conjunct: str) -> tuple[str, str, tuple[str, ...]] | None:
    q = without_conjunct(p, conjunct)
    r = check_induction(q, DROP)
    for cti in r.ctis:
        assert confirm_with_z3(q, cti) == "sat"
    return first_failure(r)


# -- two-phase commit ------------------------------------------------------------------------


def test_twophase_invariant_is_inductive_and_implies_tcconsistent() -> None:
    r = check_induction(problem("twophase/TwoPhaseInductive.tla"))
    assert r.verdict == "proved"
    assert r.actions == 2 + 3 * 5  # TMCommit, TMAbort, five actions per RM
    assert [c.target for c in r.checks if c.kind == "IndProp"] == ["TPTypeOK", "TCConsistent", "IndInv"]


# TLC 2.20 agrees on every line: started from the states of IndInv without the conjunct
# (TwoPhaseInductiveTLC.cfg with that conjunct removed), it finds IndInv violated after one
# step for each needed conjunct, and none for TCConsistent (602 states, depth 1, as with it).
TWOPHASE_DROPS = {
    "CommitMsgMeaning": ("IndNext", "RMChooseToAbort(r1)", ("TCConsistent",)),
    "AbortMsgMeaning": ("IndNext", "RMRcvCommitMsg(r1)", ("TCConsistent",)),
    "TMCommitMeaning": ("IndNext", "RMChooseToAbort(r1)", ("TCConsistent",)),
    "TMPreparedMeaning": ("IndNext", "RMChooseToAbort(r1)", ("TCConsistent",)),
    "PreparedMsgMeaning": ("IndNext", "RMChooseToAbort(r1)", ("RMAbortMeaning",)),
    "RMCommitMeaning": ("IndNext", "RMChooseToAbort(r1)", ("TCConsistent",)),
    "RMAbortMeaning": ("IndNext", "RMRcvCommitMsg(r1)", ("TCConsistent",)),
    "TCConsistent": None,  # redundant: the rest is inductive and implies it
}


@pytest.mark.parametrize("conjunct", sorted(TWOPHASE_DROPS))
def test_twophase_each_conjunct_is_needed_or_redundant(conjunct: str) -> None:
    got = drop(problem("twophase/TwoPhaseInductive.tla"), conjunct)
    want = TWOPHASE_DROPS[conjunct]
    if want is None:
        assert got is None
    else:
        # The broken conjuncts are those false in Z3's model: the pinned one among them.
        assert got is not None and got[0] == want[0] and set(want[2]) <= set(got[2])
        assert got[1].split("(")[0] == want[1].split("(")[0]


# -- Voting ----------------------------------------------------------------------------------


def test_voting_invariant_is_inductive_and_implies_consistency() -> None:
    # TLC 2.20 with Voting.cfg: IndInv holds on the 6,752 reachable states (depth 16).
    r = check_induction(problem("voting/Voting.tla"))
    assert r.verdict == "proved"
    assert r.actions == 3 * 3 * (1 + 2)  # per acceptor and ballot: IncreaseMaxBal, VoteFor per value
    assert {c.target for c in r.checks if c.kind == "IndProp"} == {"TypeOK", "Consistency", "IndInv"}


def test_voting_without_votes_safe_is_still_inductive_but_not_enough_for_consistency() -> None:
    # OneValuePerBallot alone is inductive (VoteFor checks the other acceptors' votes);
    # TLC 2.20 agrees at MaxBallot = 1: 6,075 states of TypeOK /\ OneValuePerBallot, closed.
    p = without_conjunct(problem("voting/Voting.tla"), "VotesSafe")
    r = check_induction(p)
    assert r.verdict == "fails"
    # (IndInv itself is the reduced invariant here, so only Consistency fails.)
    assert [(c.kind, c.target) for c in r.checks if c.verdict == "fails"] == [("IndProp", "Consistency")]


def test_voting_without_one_value_per_ballot_is_not_inductive() -> None:
    # TLC 2.20 at MaxBallot = 1 finds the same kind of step (a VoteFor breaking VotesSafe).
    got = drop(problem("voting/Voting.tla"), "OneValuePerBallot")
    assert got is not None and got[0] == "IndNext" and got[1].startswith("VoteFor(") and "VotesSafe" in got[2]


# -- Paxos -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_paxos_invariant_is_inductive_and_implies_agreement_and_lamports_inv() -> None:
    # TLC 2.20 (PaxosInductive.cfg): IndInv, Inv and Agreement hold on all 185,369 reachable
    # states (1,361,380 generated, depth 25).
    r = check_induction(problem("paxos/PaxosInductive.tla"))
    assert r.verdict == "proved"
    assert r.actions == 3 + 3 * 2 + 3 + 3  # Phase1a(b), Phase2a(b, v), Phase1b(a), Phase2b(a)
    assert [c.target for c in r.checks if c.kind == "IndProp"] == ["Agreement", "Inv", "IndInv"]


PAXOS_DROPS = {
    "MaxBalBound": ("Phase1b", "Msg1bMeaning"),
    "MaxVoteMeaning": ("Phase1b", "Msg1bMeaning"),
    "Msg1bMeaning": ("Phase2a", "Msg2aSafe"),
    "Msg2aSafe": ("Phase2b", "VotesSafe"),
    "Msg2aUnique": ("Phase2b", "OneValuePerBallot"),
    "Msg2bMeaning": ("Phase2b", "OneValuePerBallot"),
    "VotesSafe": None,  # redundant: follows, step by step, from the 2a and 2b meanings
    "OneValuePerBallot": None,  # redundant: Msg2bMeaning and Msg2aUnique give it
}


@pytest.mark.slow
@pytest.mark.parametrize("conjunct", sorted(PAXOS_DROPS))
def test_paxos_each_conjunct_is_needed_or_redundant(conjunct: str) -> None:
    p = with_constants(problem("paxos/PaxosInductive.tla"), MaxBallot=1)
    got = drop(p, conjunct)
    want = PAXOS_DROPS[conjunct]
    if want is None:
        assert got is None
    else:
        assert got is not None and got[1].split("(")[0] == want[0] and want[1] in got[2]


# -- Raft ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_raft_invariant_is_inductive_and_implies_the_four_properties() -> None:
    # TLC 2.20 (RaftInductive.cfg): IndInv holds on the 7,678 reachable states (depth 13), and
    # from every one of the 744 states of IndInv at MaxTerm 2, MaxLogLen 1 no step leaves it.
    r = check_induction(problem("raft/RaftInductive.tla"))
    assert r.verdict == "proved"
    # BecomeLeader(i, Q): 3 x 4 quorums; ClientRequest 3; AppendEntries 3 x 3;
    # CommitEntry(i, Q, k): 3 x 4 x 2; UpdateTerm 3 x 3.
    assert r.actions == 12 + 3 + 9 + 24 + 9
    assert [c.target for c in r.checks if c.kind == "IndProp"] == [
        "LeaderCompleteness",
        "StateMachineSafety",
        "ElectionSafety",
        "LogMatching",
    ]


@pytest.mark.slow
def test_raft_ghost_commit_breaks_exactly_the_current_term_rule() -> None:
    # GhostCommit = TRUE: a leader commits an entry of an older term; the current-term rule
    # (CommitRule) is what IndNext finds broken, by CommitEntry steps only.
    # (MaxTerm 2, MaxLogLen 1 is enough for the bug: an entry of term 1 committed in term 2.)
    p = problem("raft/RaftInductive.tla", cfg="raft/RaftInductive_ghost_commit.cfg")
    r = check_induction(with_constants(p, MaxTerm=2, MaxLogLen=1))
    assert r.verdict == "fails"
    failed = r.failed("IndNext")
    assert failed and {c.target.split("(")[0] for c in failed} == {"CommitEntry"}
    assert {c.broken for c in failed} == {("CommitRule",)}
    assert all(confirm_with_z3(r.problem, c.cti) == "sat" for c in failed[:3] if c.cti is not None)
    cti = failed[0].cti
    assert cti is not None
    (entry,) = cti.trace.steps[1].record["committed"] - cti.trace.steps[0].record["committed"]
    assert entry[1] < entry[2]  # the committed entry's term is below the committing leader's


# Each conjunct of Raft's IndInv dropped in turn, at MaxTerm 2, MaxLogLen 2 (3 servers): the first
# action that breaks the rest, and what it breaks; None where the rest stays inductive. Every CTI
# is confirmed by the round trip through Z3 (drop() asserts it). The last five are redundant at
# this size (and StateMachineSafety, LeaderCompleteness follow from the lemmas above them);
# three of the five are left out of the run below to keep CI short: 10 s each.
RAFT_DROPS = {
    "LeaderTerm": ("ClientRequest", ("TypeOK",)),  # a leader of term 0 would append an entry of term 0
    "EntryTermBound": ("ClientRequest", ("SortedLogs",)),
    "SortedLogs": ("AppendEntries", ("CommittedBelowLaterEntries",)),
    "QuorumForEntry": ("BecomeLeader", ("LeaderHasTermEntries",)),
    "QuorumForLeader": ("BecomeLeader", ("ElectionSafety",)),
    "ElectionSafety": ("ClientRequest", ("LeaderHasTermEntries",)),
    "LeaderHasTermEntries": ("ClientRequest", ("LogMatching",)),
    "CommitRule": ("AppendEntries", ("CommittedBelowLaterEntries",)),
    "CommittedQuorum": ("BecomeLeader", ("LeaderHasCommitted", "LeaderCompleteness")),
    "LogMatching": None,
    "CommittedBelowLaterEntries": None,
    "LeaderHasCommitted": None,
    "LeaderCompleteness": None,
    "StateMachineSafety": None,
}
RAFT_DROPS_RUN = [c for c, want in RAFT_DROPS.items() if want is not None] + [
    "LogMatching",
    "StateMachineSafety",
]


@pytest.mark.slow
@pytest.mark.parametrize("conjunct", RAFT_DROPS_RUN)
def test_raft_each_conjunct_is_needed_or_redundant(conjunct: str) -> None:
    p = with_constants(problem("raft/RaftInductive.tla"), MaxTerm=2, MaxLogLen=2)
    got = drop(p, conjunct)
    want = RAFT_DROPS[conjunct]
    if want is None:
        assert got is None
    else:
        # The broken conjuncts are those false in Z3's model: at least one of the pinned ones.
        assert got is not None and got[1].split("(")[0] == want[0] and set(got[2]) & set(want[1])


@pytest.mark.slow
def test_lamports_inv_in_paxos_tla_is_inductive() -> None:
    # Paxos.tla's Inv holds on every reachable state (TLC 2.20, MCPaxos.cfg: 3,921 distinct,
    # depth 17). Before commit 9ab8264 it was not inductive: prove showed Phase2a(1, v1) and
    # Phase2a(1, v2) breaking MsgInv from unreachable states where a 1b message claimed "no
    # vote" for an acceptor that had voted below its ballot; the 1b conjunct added there (as
    # Msg1bMeaning in PaxosInductive.tla) closes it, and Z3 now proves Inv.
    from checker.prove.report import prove_spec

    report = prove_spec(SPECS / "paxos/MCPaxos.tla", "Inv", SPECS / "paxos/MCPaxos.cfg")
    assert report.verdict == "proved" and report.exit_code == 0
    assert [c.target for c in report.result.checks if c.kind == "IndProp"] == ["TypeOK", "Agreement", "Inv"]
    # The BFS cross-check visits the whole instance and finds Inv true everywhere.
    assert report.reach is not None and report.reach.complete and report.reach.inv_checked
    assert (report.reach.distinct, report.reach.depth, report.reach.inv_violation) == (3_921, 17, None)
