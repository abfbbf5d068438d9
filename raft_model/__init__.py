"""Raft's safety core as Python models, where BFS finds the ghost-entry commit of Figure 8.

Two granularities of one protocol (read ``raft_model.atomic``'s docstring first):

- ``raft_model.atomic``: one atomic step per protocol event (an election is one
  step); the twin of ``specs/raft/Raft.tla``.
- ``raft_model.messages``: RequestVote and AppendEntries as request and response
  messages in a bounded message set.

Each comes with the correct commit rule and the ``ghost_commit`` bug::

    tlacheck check raft_model:ghost_commit
    tlacheck check raft_model:correct -p servers=5 -p max_term=3
    tlacheck check raft_model.messages:ghost_commit

and a liveness property: ``leader_election`` (a leader is eventually elected, under weak
fairness of ``BecomeLeader``) and ``leader_election_unfair`` (without it: the cluster may
idle for ever, a lasso that stutters in the initial state)::

    tlacheck check raft_model:leader_election
"""

from __future__ import annotations

from checker.model import eventually, weak_fairness
from raft_model.atomic import RaftModel, RaftState


def correct(servers: int = 3, max_term: int = 4, max_log_len: int = 2) -> RaftModel:
    """Atomic Raft with the commit rule of §5.4.2: only entries of the leader's term."""
    return RaftModel(servers, max_term, max_log_len, ghost_commit=False)


def ghost_commit(servers: int = 3, max_term: int = 4, max_log_len: int = 2) -> RaftModel:
    """Atomic Raft whose leaders commit entries of any term by counting replicas (the bug)."""
    return RaftModel(servers, max_term, max_log_len, ghost_commit=True)


class _NoSymmetry(RaftModel):
    """Raft explored state by state (no symmetry reduction), for liveness."""

    has_symmetry = False  # type: ignore[assignment]


def has_leader(s: RaftState) -> bool:
    return any(srv.leader for srv in s.servers)


def leader_election(servers: int = 3, max_term: int = 2, max_log_len: int = 1, fair: bool = True) -> RaftModel:
    """Atomic Raft with the liveness property "a leader is eventually elected" (``<>``).

    Under weak fairness of ``BecomeLeader`` it holds in the bounded model: initially every
    server is a follower in term 0, so only an election is possible, and a weakly fair
    election that stays enabled happens. (With unbounded terms Raft needs more: randomised
    timeouts, so that split votes end; the bounded model has no split votes, an election
    being one atomic step.) Without fairness (``fair=False``) the cluster may idle for
    ever: the lasso is the initial state and stuttering. Checked without symmetry, since
    liveness under symmetry can miss violations (TLC warns the same).
    """
    model = _NoSymmetry(servers, max_term, max_log_len, ghost_commit=False)
    model.liveness = {"LeaderElected": eventually(has_leader)}
    model.fairness = [weak_fairness("BecomeLeader")] if fair else []
    model.name = f"raft_model:leader_election(servers={servers}, max_term={max_term}, fair={fair})"
    return model


def leader_election_unfair(servers: int = 3, max_term: int = 2, max_log_len: int = 1) -> RaftModel:
    """As ``leader_election`` without fairness: violated by stuttering in the initial state."""
    return leader_election(servers, max_term, max_log_len, fair=False)


__all__ = ["RaftModel", "correct", "ghost_commit", "leader_election", "leader_election_unfair"]
