"""Raft's safety core as a Python model, one atomic step per protocol event.

This module owns the atomic Raft model (``RaftModel``), its four safety
invariants and its two commit rules. ``specs/raft/Raft.tla`` is its TLA+ twin:
same variables, values, actions, parameters and bounds, so both give the same
state counts, depths and shortest traces (pinned against TLC in
``tests/raft_model``).

The protocol
------------
Raft keeps a replicated log consistent across a cluster of servers. Time is
divided into *terms*. In each term at most one server is elected *leader*, by a
majority of voters, and a voter only votes for a candidate whose log is at least
as up-to-date as its own (the term of the last entry first, then the length;
§5.4.1). The leader appends client requests to its log and replicates them with
AppendEntries; a follower only accepts an entry whose predecessor matches its
own log, so two logs that agree on an entry agree on everything before it (Log
Matching). Once a majority stores an entry the leader marks it *committed*, and
a committed entry must never be lost: every later leader has it (Leader
Completeness), so no two servers ever apply different entries at one index
(State Machine Safety). A server that sees a higher term adopts it and steps
down to follower.

The atomic actions
------------------
Each action is one step of the state machine and stands for a whole exchange of
messages (``raft_model.messages`` models the messages themselves):

``BecomeLeader(i, Q)``
    A complete election: i times out, asks for votes (RequestVote), and the
    majority ``Q`` (which contains i) grants them. Every voter is in a term
    lower than ``currentTerm[i] + 1`` and has a log no more up-to-date than
    i's. ``Q`` moves to the new term; i becomes leader, the other voters
    followers. (A stale leader may also time out and run: a safe
    over-approximation, since Raft's safety must not depend on timing.)
``ClientRequest(i)``
    Leader i appends an entry of its term (one client value suffices, so an
    entry is just its term).
``AppendEntries(i, j)``
    One request/response exchange of replication. j adopts leader i's term
    (it must not be higher) and either gets the next entry of i's log, when
    j's log is a prefix of i's, or drops its last entry, when it is not (a
    conflicting entry, or one beyond i's log). Repeating it converges j's log
    on i's one entry at a time, and it keeps Log Matching.
``CommitEntry(i, Q, k)``
    Leader i learns from the majority ``Q`` (which contains i), all in i's
    term, that they hold i's entry at index k, and commits it. **correct**:
    only if that entry is of i's current term (§5.4.2). **ghost_commit**: an
    entry of any term.
``UpdateTerm(i, j)``
    j learns i's higher term (from any message) and steps down.

Bounds: ``max_term`` (no election beyond it) and ``max_log_len`` (no log longer).
Deadlock is not an error: with the bounds every behaviour ends.

The bug: Figure 8
-----------------
Counting replicas is only sound for an entry of the leader's own term. An entry
of an older term can sit on a majority and still be overwritten: in the
shortest counterexample (3 servers), s1 writes entry 1 in term 1 while s2,
elected in term 2 without it, writes its own entry 1 of term 2. s1 is elected in
term 3, copies its term-1 entry to s3 and, under the ghost rule, commits it on
{s1, s3}. Then s2, whose last entry (term 2) is more up-to-date than s1's and
s3's (term 1), wins term 4 and overwrites the "committed" entry: a *ghost*
commit. Leader Completeness fails when s2 becomes leader (11 states), State
Machine Safety when s2 commits its own entry at index 1 (14 states).

    D. Ongaro and J. Ousterhout, "In Search of an Understandable Consensus
    Algorithm", USENIX ATC 2014, §5.4.2 and Figure 8.

Commitment: a history set, not ``commitIndex``
----------------------------------------------
The variable ``committed`` holds ``<<index, term, commit term>>`` for every
entry a leader ever committed (the commit term is the leader's term at that
moment), rather than a per-server ``commitIndex``. Commitment is a fact about
the past: with a ``commitIndex`` the committed entry is whatever the log holds
at that index *now*, so when the ghost entry is overwritten the evidence of the
commit is overwritten with it, and the invariants would need the history back.
The history set states the safety properties directly (State Machine Safety:
no two triples with one index and different terms) and lets Leader Completeness
speak of "an entry committed in term t" as the paper does: the leaders of every
term after t must hold it. (With only ``(index, term)`` pairs, a stale leader of
term 2 would "violate" it as soon as s1 commits the term-1 entry in term 3,
which is not the paper's property.) Under the correct rule the commit term
always equals the entry's term, so the set is as small as a set of pairs.

Representation
--------------
A state is a :class:`RaftState`: per server a ``(term, is_leader, log)``
tuple, and the committed set. Servers are model values ``s1, s2, ...`` at the
edge (``as_record`` gives TLA+ values identical to ``Raft.tla``'s variables)
and positions inside. ``committed`` never names a server, so the symmetry class
of a state is its committed set and the multiset of per-server tuples: sorting
them gives an exact canonical representative in O(n log n), instead of trying
all n! permutations.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from checker.errors import ModelError
from checker.model import Model, format_label
from checker.values import Fn, ModelValue, Value
from raft_model.view import render_raft_dot

FOLLOWER = "Follower"
LEADER = "Leader"


class Server(NamedTuple):
    """One server's variables: ``currentTerm``, ``state = "Leader"``, ``log``."""

    term: int
    leader: bool
    log: tuple[int, ...]  # entry terms


Entry = tuple[int, int, int]  # <<index, term, commit term>>


class RaftState(NamedTuple):
    servers: tuple[Server, ...]
    committed: frozenset[Entry]


def last_term(log: tuple[int, ...]) -> int:
    return log[-1] if log else 0


def up_to_date(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Log ``a`` is at least as up-to-date as log ``b`` (§5.4.1)."""
    ta, tb = last_term(a), last_term(b)
    return ta > tb or (ta == tb and len(a) >= len(b))


def check_bounds(servers: int, max_term: int, max_log_len: int) -> None:
    """Reject parameters a user can get wrong, with a message instead of a traceback."""
    for name, value, low in (
        ("servers", servers, 1),
        ("max_term", max_term, 0),
        ("max_log_len", max_log_len, 0),
    ):
        if type(value) is not int or value < low:
            raise ModelError(f"raft_model: {name} must be an integer >= {low}, got {value!r}.")


def server_names(n: int) -> tuple[ModelValue, ...]:
    return tuple(ModelValue(f"s{k}") for k in range(1, n + 1))


def quorums(n: int) -> tuple[tuple[int, ...], ...]:
    """Every majority of ``range(n)`` (as sorted position tuples), smallest first."""
    return tuple(q for size in range(n // 2 + 1, n + 1) for q in itertools.combinations(range(n), size))


# -- invariants (over the internal state; Raft.tla states them over the record) --


def election_safety(s: RaftState) -> bool:
    """At most one leader per term."""
    terms = [srv.term for srv in s.servers if srv.leader]
    return len(terms) == len(set(terms))


def log_matching(s: RaftState) -> bool:
    """Two logs with the same entry (index and term) agree on all entries up to it."""
    logs = {srv.log for srv in s.servers}  # two equal logs agree everywhere
    for a, b in itertools.combinations(logs, 2):
        same_prefix = True  # a[:k] == b[:k]
        for x, y in zip(a, b):
            if x != y:
                same_prefix = False
            elif not same_prefix:
                return False
    return True


def leader_completeness(s: RaftState) -> bool:
    """An entry committed in term t is in the log of every leader of a term after t."""
    for k, term, commit_term in s.committed:
        for srv in s.servers:
            if srv.leader and srv.term > commit_term and (len(srv.log) < k or srv.log[k - 1] != term):
                return False
    return True


def state_machine_safety(s: RaftState) -> bool:
    """No two different entries are committed at one index."""
    seen: dict[int, int] = {}
    for k, term, _ in s.committed:
        if seen.setdefault(k, term) != term:
            return False
    return True


INVARIANTS: dict[str, Callable[[RaftState], bool]] = {
    "ElectionSafety": election_safety,
    "LogMatching": log_matching,
    "LeaderCompleteness": leader_completeness,
    "StateMachineSafety": state_machine_safety,
}


class RaftModel(Model):
    """Atomic Raft with ``servers`` servers; ``ghost_commit`` drops the rule of §5.4.2."""

    variables = ("currentTerm", "state", "log", "committed")
    check_deadlock = False

    def __init__(self, servers: int = 3, max_term: int = 4, max_log_len: int = 2, ghost_commit: bool = False):
        check_bounds(servers, max_term, max_log_len)
        self.n = servers
        self.max_term = max_term
        self.max_log_len = max_log_len
        self.ghost_commit = ghost_commit
        self.names = server_names(servers)
        self.symmetric_sets = (frozenset(self.names),)
        self.quorums = quorums(servers)
        # Per server, the quorums containing it, with their names for labels.
        self.quorums_of = tuple(
            tuple((q, frozenset(self.names[v] for v in q)) for q in self.quorums if i in q)
            for i in range(servers)
        )
        # Each quorum as a bit mask too, so "every member of Q satisfies P" is one AND.
        self.quorum_masks = tuple(
            tuple(sum(1 << v for v in q) for q, _ in self.quorums_of[i]) for i in range(servers)
        )
        # Labels are built once: formatting them per successor would dominate the search.
        names = self.names
        self.quorum_labels = tuple(
            tuple(format_label("BecomeLeader", names[i], q_names) for _, q_names in self.quorums_of[i])
            for i in range(servers)
        )
        self.commit_labels = tuple(
            tuple(
                tuple(format_label("CommitEntry", names[i], q_names, k) for k in range(1, max_log_len + 1))
                for _, q_names in self.quorums_of[i]
            )
            for i in range(servers)
        )
        self.request_labels = tuple(format_label("ClientRequest", names[i]) for i in range(servers))
        self.append_labels = tuple(
            tuple(format_label("AppendEntries", names[i], names[j]) for j in range(servers))
            for i in range(servers)
        )
        self.update_labels = tuple(
            tuple(format_label("UpdateTerm", names[i], names[j]) for j in range(servers))
            for i in range(servers)
        )
        self.invariants = dict(INVARIANTS)
        variant = "ghost_commit" if ghost_commit else "correct"
        self.name = f"raft_model:{variant}(servers={servers}, max_term={max_term}, max_log_len={max_log_len})"

    # -- the state machine ---------------------------------------------------

    def init_states(self) -> Iterator[RaftState]:
        yield RaftState(tuple(Server(0, False, ()) for _ in range(self.n)), frozenset())

    def next_steps(self, s: RaftState) -> Iterator[tuple[str, RaftState]]:
        # The order of Raft.tla's Next, one successor per enabled binding of its
        # existentials (TLC counts them so, duplicates included).
        servers, committed = s
        n = self.n
        for i in range(n):
            yield from self._become_leader(s, i)
        for i in range(n):
            srv = servers[i]
            if srv.leader and len(srv.log) < self.max_log_len:
                new = list(servers)
                new[i] = Server(srv.term, True, srv.log + (srv.term,))
                yield self.request_labels[i], RaftState(tuple(new), committed)
        for i in range(n):
            for j in range(n):
                step = self._append_entries(s, i, j)
                if step is not None:
                    yield step
        for i in range(n):
            yield from self._commit_entry(s, i)
        for i in range(n):
            ti = servers[i].term
            for j in range(n):
                if ti > servers[j].term:
                    new = list(servers)
                    new[j] = Server(ti, False, servers[j].log)
                    yield self.update_labels[i][j], RaftState(tuple(new), committed)

    def _become_leader(self, s: RaftState, i: int) -> Iterator[tuple[str, RaftState]]:
        servers = s.servers
        me = servers[i]
        if me.term >= self.max_term:
            return
        term = me.term + 1
        # The servers that would vote for i: a lower term and a log no more up-to-date.
        voters = 0
        for v, srv in enumerate(servers):
            if srv.term <= me.term and up_to_date(me.log, srv.log):
                voters |= 1 << v
        for (q, _), mask, label in zip(self.quorums_of[i], self.quorum_masks[i], self.quorum_labels[i]):
            if mask & voters == mask:
                new = list(servers)
                for v in q:
                    new[v] = Server(term, v == i, servers[v].log)
                yield label, RaftState(tuple(new), s.committed)

    def _append_entries(self, s: RaftState, i: int, j: int) -> tuple[str, RaftState] | None:
        servers = s.servers
        leader, follower = servers[i], servers[j]
        if i == j or not leader.leader or follower.term > leader.term:
            return None
        lj, li = follower.log, leader.log
        if lj == li[: len(lj)]:  # j's log is a prefix of i's
            if len(lj) == len(li):
                return None
            log = lj + (li[len(lj)],)
        else:
            log = lj[:-1]
        new = list(servers)
        new[j] = Server(leader.term, False, log)
        return self.append_labels[i][j], RaftState(tuple(new), s.committed)

    def _commit_entry(self, s: RaftState, i: int) -> Iterator[tuple[str, RaftState]]:
        servers, committed = s
        me = servers[i]
        if not me.leader:
            return
        # Per index k that may be committed, the servers in i's term holding i's entry at k.
        holders: list[int] = []
        for k in range(1, len(me.log) + 1):
            term = me.log[k - 1]
            mask = 0
            if (self.ghost_commit or term == me.term) and (k, term, me.term) not in committed:
                for v, srv in enumerate(servers):
                    if srv.term == me.term and len(srv.log) >= k and srv.log[k - 1] == term:
                        mask |= 1 << v
            holders.append(mask)
        for q_mask, labels in zip(self.quorum_masks[i], self.commit_labels[i]):
            for k in range(1, len(me.log) + 1):  # Raft.tla binds k \in 1..MaxLogLen, guards k <= Len
                if holders[k - 1] & q_mask == q_mask:
                    entry = (k, me.log[k - 1], me.term)
                    yield labels[k - 1], RaftState(servers, committed | {entry})

    # -- what the engine and the views see ------------------------------------

    def symmetry(self, s: RaftState) -> RaftState:
        """Exact canonical form: ``committed`` names no server, so sort the servers."""
        return RaftState(tuple(sorted(s.servers)), s.committed)

    def render_dot(self, trace: Any, index: int) -> str:
        """The domain view of step ``index``: log boxes per server (``raft_model.view``)."""
        return render_raft_dot(trace, index)

    def as_record(self, s: RaftState) -> dict[str, Value]:
        names = self.names
        return {
            "currentTerm": Fn({names[k]: srv.term for k, srv in enumerate(s.servers)}),
            "state": Fn({names[k]: LEADER if srv.leader else FOLLOWER for k, srv in enumerate(s.servers)}),
            "log": Fn({names[k]: srv.log for k, srv in enumerate(s.servers)}),
            "committed": frozenset(s.committed),
        }
