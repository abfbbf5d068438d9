"""Indirect commits: why ``committed`` records only the entries a CommitEntry step names.

In Raft, committing entry k commits every entry before it in the leader's log too (§5.4.2:
"all prior entries are committed indirectly because of the Log Matching Property"). The
model's ``committed`` records only entry k, and the Raft view derives the others from the
trace (``raft_model.view.indirect_commits``). These tests are the argument for that choice:
a variant that records the indirect commits too finds exactly what the model finds (the
correct rule passes, the ghost rule fails with the same shortest traces, pinned to TLC
2.20), so recording them would only add states; and the view marks them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import raft_model
from checker.engine import CheckOptions, check
from checker.engine.result import Step, Trace
from raft_model.atomic import RaftModel, RaftState
from raft_model.view import indirect_commits, render_raft_dot
from tests.raft_model.test_atomic import LEADER_COMPLETENESS_TRACE, STATE_MACHINE_SAFETY_TRACE


class RecordsIndirectCommits(RaftModel):
    """The atomic model, but a commit of entry k also records the entries before k in the
    leader's log, with the same commit term: LeaderCompleteness and StateMachineSafety then
    speak of the indirect commits too."""

    def _commit_entry(self, s: RaftState, i: int) -> Iterator[tuple[str, RaftState]]:
        leader = s.servers[i]
        for label, t in super()._commit_entry(s, i):
            ((k, _, term),) = t.committed - s.committed
            prefix = {(j, leader.log[j - 1], term) for j in range(1, k)}
            yield label, RaftState(t.servers, t.committed | prefix)


@pytest.mark.slow
def test_recording_indirect_commits_changes_no_verdict_and_no_shortest_trace() -> None:
    # The model itself (TLC 2.20, MCRaft_correct.cfg): no violation. Recording more finds none.
    correct = check(RecordsIndirectCommits(ghost_commit=False))
    assert correct.ok and correct.complete
    # TLC 2.20, MCRaft_ghost_commit.cfg: LeaderCompleteness in 11 states; _sms.cfg:
    # StateMachineSafety in 14 states. The variant gives the same traces, label for label.
    ghost = check(RecordsIndirectCommits(ghost_commit=True), CheckOptions(keep_going=True))
    traces = {v.name: v.trace.labels for v in ghost.violations}
    assert traces == {
        "LeaderCompleteness": LEADER_COMPLETENESS_TRACE,
        "StateMachineSafety": STATE_MACHINE_SAFETY_TRACE,
    }


def _walk(model: RaftModel, labels: list[str]) -> Trace:
    state = next(iter(model.init_states()))
    steps = [Step(None, state, model.as_record(state))]
    for label in labels:
        state = next(t for lab, t in model.next_steps(state) if str(lab) == label)
        steps.append(Step(label, state, model.as_record(state)))
    return Trace(tuple(model.variables), tuple(steps))


# Figure 8 with the rule: s1 (term 3) holds the term-1 entry on a majority, may not commit it,
# appends an entry of term 3, replicates it and commits it; entry 1 is committed with it.
WALK = [
    "BecomeLeader(s1, {s1, s2})",
    "BecomeLeader(s2, {s2, s3})",
    "ClientRequest(s1)",
    "ClientRequest(s2)",
    "UpdateTerm(s2, s1)",
    "BecomeLeader(s1, {s1, s3})",
    "AppendEntries(s1, s3)",
    "ClientRequest(s1)",
    "AppendEntries(s1, s3)",
    "CommitEntry(s1, {s1, s3}, 2)",
]


def test_the_view_marks_the_entries_committed_with_a_current_term_one() -> None:
    trace = _walk(raft_model.correct(), WALK)
    last = trace.steps[-1].record
    assert last["committed"] == frozenset({(2, 3, 3)})  # only the entry CommitEntry names
    assert indirect_commits(trace, len(WALK) - 1) == {}
    assert indirect_commits(trace, len(WALK)) == {(1, 1): (3, 2)}  # entry 1, term 1: in term 3, with 2
    dot = render_raft_dot(trace, len(WALK))
    assert "&#10003; with entry 2" in dot
    assert "Entry 1 (term 1) is committed with it, indirectly" in dot
    assert "committed indirectly" in render_raft_dot(trace, len(WALK))
