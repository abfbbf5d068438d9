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
"""

from __future__ import annotations

from raft_model.atomic import RaftModel


def correct(servers: int = 3, max_term: int = 4, max_log_len: int = 2) -> RaftModel:
    """Atomic Raft with the commit rule of §5.4.2: only entries of the leader's term."""
    return RaftModel(servers, max_term, max_log_len, ghost_commit=False)


def ghost_commit(servers: int = 3, max_term: int = 4, max_log_len: int = 2) -> RaftModel:
    """Atomic Raft whose leaders commit entries of any term by counting replicas (the bug)."""
    return RaftModel(servers, max_term, max_log_len, ghost_commit=True)


__all__ = ["RaftModel", "correct", "ghost_commit"]
