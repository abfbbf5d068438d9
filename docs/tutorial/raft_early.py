"""Exercise 2 of docs/tutorial/current-term-commit.md: an invariant that catches the ghost entry earlier.

LeaderCompleteness fails only when the overwriting leader is elected (state 11 of the
shortest trace). The damage is done two steps before, by the commit itself: the entry
committed in term 3 is of term 1. In correct Raft every committed entry is of the term
in which it was committed (that is the rule of section 5.4.2), so we can check it as an
invariant, ``CommittedInOwnTerm``. It is the ``CommitRule`` lemma of
``specs/raft/RaftInductive.tla``, written over the Python model's state.

    PYTHONPATH=docs/tutorial tlacheck check raft_early:ghost_commit    # fails at the commit
    PYTHONPATH=docs/tutorial tlacheck check raft_early:correct         # holds
"""

from __future__ import annotations

import raft_model
from raft_model.atomic import RaftModel, RaftState


def committed_in_own_term(s: RaftState) -> bool:
    """Every committed ``<<index, term, commit term>>`` has term = commit term."""
    return all(term == commit_term for _, term, commit_term in s.committed)


def with_early_invariant(model: RaftModel) -> RaftModel:
    # Checked first, so that it is the one reported when both fail in one state.
    model.invariants = {"CommittedInOwnTerm": committed_in_own_term, **model.invariants}
    return model


def ghost_commit(servers: int = 3, max_term: int = 4, max_log_len: int = 1) -> RaftModel:
    return with_early_invariant(raft_model.ghost_commit(servers, max_term, max_log_len))


def correct(servers: int = 3, max_term: int = 4, max_log_len: int = 1) -> RaftModel:
    return with_early_invariant(raft_model.correct(servers, max_term, max_log_len))
