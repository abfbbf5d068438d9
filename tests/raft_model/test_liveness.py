"""A Raft leader is eventually elected, under weak fairness of BecomeLeader."""

from __future__ import annotations

from checker.engine import check
from raft_model import leader_election, leader_election_unfair


def test_a_leader_is_eventually_elected_under_weak_fairness() -> None:
    result = check(leader_election())
    assert result.ok


def test_without_fairness_the_cluster_may_idle_for_ever() -> None:
    result = check(leader_election_unfair())
    assert result.exit_code == 13
    trace = result.violation.trace  # type: ignore[union-attr]
    assert len(trace) == 1 and trace.loop == 0 and trace.loop_label is None  # the initial state, stuttering
