"""Raft with its messages: RequestVote and AppendEntries as requests and responses.

This module owns the message-level granularity of the Raft model. Read
``raft_model.atomic`` first: it teaches the protocol, the four invariants, the
ghost-commit bug (Ongaro & Ousterhout, "In Search of an Understandable Consensus
Algorithm", USENIX ATC 2014, §5.4.2 and Figure 8) and why commitment is kept as
a history set ``committed`` of ``<<index, term, commit term>>``. Here each atomic
step of that model is taken apart into the sends and receipts of §5 and
Figure 2, so the same bug needs a longer trace, and the interleavings of
messages are explored too.

Variables: ``currentTerm``, ``state`` (Follower, Candidate, Leader),
``votesGranted`` (per candidate, who voted for it), ``log``, ``matchIndex`` (per
leader, how much of each follower's log is known to match), ``committed`` and
``msgs``, the set of messages in flight. A message is a record with ``mtype``,
``mterm``, ``msource``, ``mdest`` and:

- ``RequestVoteRequest``: ``mlastLogTerm``, ``mlastLogIndex``;
- ``RequestVoteResponse``: nothing more (only granted votes are answered);
- ``AppendEntriesRequest``: ``mprevLogIndex``, ``mprevLogTerm``, ``mentries``
  (at most one entry);
- ``AppendEntriesResponse``: ``mmatchIndex`` (only successes are answered).

Actions (labels carry their parameters; ``m`` is printed as the message record):

``Timeout(i)``
    A follower or candidate starts an election: term + 1, Candidate, votes for
    itself, and sends a RequestVoteRequest to every other server.
``HandleRequestVoteRequest(m)``
    The receiver adopts a higher term (stepping down) and grants its vote if
    the candidate's log is at least as up-to-date as its own (§5.4.1).
``HandleRequestVoteResponse(m)``
    A candidate in the response's term counts the vote.
``BecomeLeader(i)``
    A candidate with a majority of votes becomes leader (matchIndex all 0).
``ClientRequest(i)``
    A leader appends an entry of its term.
``AppendEntries(i, j)``
    Leader i sends j the entry after ``matchIndex[i][j]`` with its predecessor.
``HandleAppendEntriesRequest(m)``
    The receiver rejects (drops) a request of a lower term; otherwise adopts the
    term, becomes follower and, if its log holds the predecessor, makes the
    entry its own (deleting a conflicting entry and everything after it) and
    answers with its match index.
``HandleAppendEntriesResponse(m)``
    A leader in the response's term raises ``matchIndex``.
``CommitEntry(i, k)``
    Leader i commits index k when a majority (i and the servers whose
    ``matchIndex`` is at least k) holds it. **correct**: only an entry of i's
    term (§5.4.2); **ghost_commit**: any term.

Receiving a message removes it from ``msgs``; a stale message is handled by
dropping it, which also stands for message loss.

Simplifications, each chosen to keep the state space small enough for BFS, and
each either a behaviour Raft allows or a restriction that does not hide the bug:

- a server votes only when the request carries a term above its own, so it
  votes at most once per term without a ``votedFor`` variable (a server that
  learnt a term from another message does not vote in it: fewer behaviours);
- no rejection responses: a rejected request is simply dropped, and the
  sender's term comes back to it through other messages;
- the leader probes from ``matchIndex`` instead of keeping ``nextIndex`` (a
  slower but valid Raft leader) and sends no empty heartbeats;
- ``votesGranted`` and ``matchIndex`` are cleared when a server stops being a
  candidate or leader (Raft reinitialises them before using them again);
- ``msgs`` is a set bounded by ``max_msgs``: a send that would exceed it is not
  enabled (a Timeout sends to every other server at once).

``specs/raft/RaftMessages.tla`` is this model's TLA+ twin (same variables,
values, actions and bounds); TLC 2.20 gives the same counts.

Bounds and figures: 3 servers, ``max_term=4``, ``max_log_len=1`` (the ghost
entry needs only index 1), ``max_msgs=2`` are the defaults. With them (TLC 2.20
agrees on every figure, see ``tests/raft_model/test_messages.py``):

- correct: 9,475 generated, 4,213 distinct, depth 35 with symmetry; 55,864
  generated, 24,796 distinct, depth 35 without;
- ghost_commit: LeaderCompleteness fails in 27 states, StateMachineSafety in
  31 (against 11 and 14 in the atomic model); exploring everything (keep going
  after violations) finds 8,179 distinct states, depth 43.

Each takes one to two seconds of CPU here (``bench/raft.py`` prints the rates).
Larger bounds grow fast: with ``max_msgs=3`` the correct rule has 477,893
generated, 149,683 distinct states, depth 40 (TLC 2.20 agrees; about 20 s of
CPU here, 77 s for TLC), and the
ghost commit is found in 25 states; ``max_log_len=2`` with ``max_msgs=2``
gives 85,006 distinct (depth 55) for the correct rule.

Symmetry: servers are interchangeable; the canonical representative is the
least image over the permutations that sort the servers by (term, role, log),
exact and usually one or two permutations per state (see ``symmetry``).
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

from checker.errors import ModelError
from checker.model import Model, format_label
from checker.values import Fn, Value, record
from raft_model.atomic import (
    INVARIANTS,
    check_bounds,
    server_names,
    up_to_date,
)
from raft_model.view import render_raft_dot

FOLLOWER, CANDIDATE, LEADER = 0, 1, 2
ROLE_NAMES = ("Follower", "Candidate", "Leader")

RV_REQ, RV_RESP, AE_REQ, AE_RESP = 0, 1, 2, 3
MTYPE_NAMES = ("RequestVoteRequest", "RequestVoteResponse", "AppendEntriesRequest", "AppendEntriesResponse")

# A message: (mtype, mterm, source, dest, a, b, entries) where a, b are
# lastLogTerm, lastLogIndex (RV request), prevLogIndex, prevLogTerm (AE
# request) or matchIndex, 0 (AE response). Plain tuples keep states orderable,
# which the symmetry reduction relies on.
Message = tuple[int, int, int, int, int, int, tuple[int, ...]]
HANDLERS = (
    "HandleRequestVoteRequest",
    "HandleRequestVoteResponse",
    "HandleAppendEntriesRequest",
    "HandleAppendEntriesResponse",
)


class Server(NamedTuple):
    term: int
    role: int
    votes: tuple[int, ...]  # sorted positions that voted for this candidate
    log: tuple[int, ...]
    match: tuple[int, ...]  # matchIndex per position; all 0 unless leader

    @property
    def leader(self) -> bool:
        return self.role == LEADER


class MsgState(NamedTuple):
    servers: tuple[Server, ...]
    committed: frozenset[tuple[int, int, int]]
    msgs: tuple[Message, ...]  # sorted, no duplicates


Steps = Sequence[tuple[str, "MsgState"]]


# -- invariants: raft_model.atomic's, on this model's servers -------------------------
# The same predicates as ``raft_model.atomic.INVARIANTS`` (a test compares them on many
# states), reading ``role`` instead of the ``leader`` property and returning early where
# they cannot fail: a random walk checks them on every new state it generates.


def election_safety(s: MsgState) -> bool:
    """At most one leader per term."""
    terms = [srv.term for srv in s.servers if srv.role == LEADER]
    return len(terms) < 2 or len(terms) == len(set(terms))


def leader_completeness(s: MsgState) -> bool:
    """An entry committed in term t is in the log of every leader of a term after t."""
    if not s.committed:
        return True
    leaders = [srv for srv in s.servers if srv.role == LEADER]
    for k, term, commit_term in s.committed:
        for srv in leaders:
            if srv.term > commit_term and (len(srv.log) < k or srv.log[k - 1] != term):
                return False
    return True


def state_machine_safety(s: MsgState) -> bool:
    """No two different entries are committed at one index."""
    return len(s.committed) < 2 or len({k for k, _, _ in s.committed}) == len(
        {(k, t) for k, t, _ in s.committed}
    )


FAST_INVARIANTS: dict[str, Callable[[MsgState], bool]] = {
    "ElectionSafety": election_safety,
    "LeaderCompleteness": leader_completeness,
    "StateMachineSafety": state_machine_safety,
}


class RaftMessagesModel(Model):
    """Message-level Raft; ``ghost_commit`` drops the commit rule of §5.4.2."""

    variables = ("currentTerm", "state", "votesGranted", "log", "matchIndex", "committed", "msgs")
    check_deadlock = False

    def __init__(
        self,
        servers: int = 3,
        max_term: int = 4,
        max_log_len: int = 1,
        max_msgs: int = 2,
        ghost_commit: bool = False,
    ) -> None:
        check_bounds(servers, max_term, max_log_len)
        if type(max_msgs) is not int or max_msgs < servers - 1:
            raise ModelError(
                f"raft_model.messages: max_msgs must be an integer >= servers - 1 = {servers - 1} "
                f"(a Timeout sends that many requests at once), got {max_msgs!r}."
            )
        self.n = servers
        self.max_term = max_term
        self.max_log_len = max_log_len
        self.max_msgs = max_msgs
        self.ghost_commit = ghost_commit
        self.names = server_names(servers)
        self.zeros = (0,) * servers
        self.symmetric_sets = (frozenset(self.names),)
        self.label_cache: dict[tuple[str, Message], str] = {}
        self.act_cache: dict[tuple[str, tuple[int, ...]], str] = {}
        self.commit_labels = tuple(
            tuple(format_label("CommitEntry", self.names[i], k) for k in range(max_log_len + 1))
            for i in range(servers)
        )
        self.invariants: dict[str, Callable[[MsgState], bool]] = {
            name: FAST_INVARIANTS.get(name, inv)  # type: ignore[misc]
            for name, inv in INVARIANTS.items()
        }
        self._actions = self._build_actions()
        variant = "ghost_commit" if ghost_commit else "correct"
        self.name = (
            f"raft_model.messages:{variant}(servers={servers}, max_term={max_term}, "
            f"max_log_len={max_log_len}, max_msgs={max_msgs})"
        )

    def init_states(self) -> Iterator[MsgState]:
        zeros = (0,) * self.n
        yield MsgState(tuple(Server(0, FOLLOWER, (), (), zeros) for _ in range(self.n)), frozenset(), ())

    # -- helpers ---------------------------------------------------------------

    def _follower(self, srv: Server, term: int, log: tuple[int, ...] | None = None) -> Server:
        """``srv`` at ``term`` as a follower (its candidate and leader state cleared)."""
        return Server(term, FOLLOWER, (), srv.log if log is None else log, self.zeros)

    @staticmethod
    def _with(
        s: MsgState, servers: list[Server] | tuple[Server, ...], msgs: list[Message] | tuple[Message, ...]
    ) -> MsgState:
        return MsgState(tuple(servers), s.committed, tuple(sorted(set(msgs))))

    @staticmethod
    def _state(
        s: MsgState, servers: list[Server] | tuple[Server, ...], msgs: tuple[Message, ...]
    ) -> MsgState:
        """``_with`` for ``msgs`` already sorted and free of duplicates."""
        return MsgState(tuple(servers), s.committed, msgs)

    @staticmethod
    def _plus(msgs: tuple[Message, ...], m: Message) -> tuple[Message, ...]:
        """The sorted ``msgs`` with ``m`` added (a set: nothing changes if it is there)."""
        k = bisect.bisect_left(msgs, m)
        if k < len(msgs) and msgs[k] == m:
            return msgs
        return msgs[:k] + (m,) + msgs[k:]

    def _act(self, name: str, *servers: int) -> str:
        """The label of an action over server positions, built once."""
        key = (name, servers)
        label = self.act_cache.get(key)
        if label is None:
            label = self.act_cache[key] = format_label(name, *(self.names[v] for v in servers))
        return label

    def _label(self, name: str, m: Message) -> str:
        # Cached per model: formatting the message record for every successor would dominate.
        key = (name, m)
        label = self.label_cache.get(key)
        if label is None:
            label = self.label_cache[key] = format_label(name, self.message_record(m))
        return label

    # -- the state machine -----------------------------------------------------

    def next_steps(self, s: MsgState) -> Iterator[tuple[str, MsgState]]:
        servers, committed, msgs = s
        n = self.n
        room = self.max_msgs - len(msgs)
        # Timeout(i)
        if room >= n - 1:
            for i in range(n):
                me = servers[i]
                if me.role != LEADER and me.term < self.max_term:
                    term = me.term + 1
                    lt, li = (me.log[-1] if me.log else 0), len(me.log)
                    new = list(servers)
                    new[i] = Server(term, CANDIDATE, (i,), me.log, (0,) * n)
                    sent: list[Message] = [(RV_REQ, term, i, j, lt, li, ()) for j in range(n) if j != i]
                    yield self._act("Timeout", i), self._with(s, new, list(msgs) + sent)
        # Receipts, one per message in flight.
        for idx, m in enumerate(msgs):
            rest = msgs[:idx] + msgs[idx + 1 :]
            yield self._receive(s, m, rest)
        for i in range(n):
            me = servers[i]
            if me.role == CANDIDATE and 2 * len(me.votes) > n:
                new = list(servers)
                new[i] = Server(me.term, LEADER, (), me.log, self.zeros)
                yield self._act("BecomeLeader", i), self._state(s, new, msgs)
        for i in range(n):
            me = servers[i]
            if me.role == LEADER and len(me.log) < self.max_log_len:
                new = list(servers)
                new[i] = me._replace(log=me.log + (me.term,))
                yield self._act("ClientRequest", i), self._state(s, new, msgs)
        if room >= 1:
            for i in range(n):
                me = servers[i]
                if me.role != LEADER:
                    continue
                for j in range(n):
                    prev = me.match[j]
                    if j == i or prev >= len(me.log):
                        continue
                    prev_term = me.log[prev - 1] if prev > 0 else 0
                    m = (AE_REQ, me.term, i, j, prev, prev_term, (me.log[prev],))
                    if m not in msgs:
                        yield (
                            self._act("AppendEntries", i, j),
                            self._state(s, servers, self._plus(msgs, m)),
                        )
        for i in range(n):
            me = servers[i]
            if me.role != LEADER:
                continue
            for k in range(1, len(me.log) + 1):
                term = me.log[k - 1]
                if not self.ghost_commit and term != me.term:
                    continue
                entry = (k, term, me.term)
                if entry in committed:
                    continue
                holders = 1 + sum(1 for j in range(n) if j != i and me.match[j] >= k)
                if 2 * holders > n:
                    yield (
                        self.commit_labels[i][k],
                        MsgState(servers, committed | {entry}, msgs),
                    )

    def actions(self) -> list[tuple[str, Callable[[MsgState], Steps]]]:
        """``next_steps`` split into TLC's actions (``checker.model``, optional ``actions``):
        ``Timeout(i)``, one receipt action per message type (``HandleRequestVoteRequest(_)``:
        TLC's ``\\E m \\in msgs`` is one action), ``BecomeLeader(i)``, ``ClientRequest(i)``,
        ``AppendEntries(i, j)`` and ``CommitEntry(i, k)``. A random walk computes only the
        chosen action's successors. ``next_steps`` keeps its own loop, the same steps in the
        same order (breadth-first search is about 30% slower through ``actions``);
        ``tests/raft_model/test_messages.py`` checks that they agree on every state."""
        return list(self._actions)

    def _build_actions(self) -> list[tuple[str, Callable[[MsgState], Steps]]]:
        """The actions, and where each is in the list (for ``enabled_actions``)."""
        n = self.n
        part = functools.partial
        acts: list[tuple[str, Callable[[MsgState], Steps]]] = []

        def add(name: str, steps: Callable[[MsgState], Steps]) -> int:
            acts.append((name, steps))
            return len(acts) - 1

        self._at_timeout = [add(self._act("Timeout", i), part(self._timeout, i)) for i in range(n)]
        self._at_receipt = [add(f"{h}(_)", part(self._receipts, t)) for t, h in enumerate(HANDLERS)]
        self._at_become = [add(self._act("BecomeLeader", i), part(self._become_leader, i)) for i in range(n)]
        self._at_request = [
            add(self._act("ClientRequest", i), part(self._client_request, i)) for i in range(n)
        ]
        self._at_append = [
            [
                (j, add(self._act("AppendEntries", i, j), part(self._append_entries, i, j)))
                for j in range(n)
                if j != i
            ]
            for i in range(n)
        ]
        self._at_commit = [
            [
                add(self.commit_labels[i][k], part(self._commit_entry, i, k))
                for k in range(1, self.max_log_len + 1)
            ]
            for i in range(n)
        ]
        return acts

    def enabled_actions(self, s: MsgState) -> list[int]:
        """The positions in ``actions()`` of the actions that may be enabled in ``s`` (checker.model:
        every enabled one is among them): their guards on the servers' roles, terms and logs
        and the room in ``msgs``, checked in one pass instead of one call per action. Left
        out, so a few of these may have no successor: an AppendEntries whose message is
        already in flight, a CommitEntry without a majority or already committed."""
        servers, _, msgs = s
        n = self.n
        room = self.max_msgs - len(msgs)
        can_time_out = room >= n - 1
        max_term = self.max_term
        out: list[int] = []
        for i, me in enumerate(servers):
            role = me.role
            if role == LEADER:
                log_len = len(me.log)
                if log_len < self.max_log_len:
                    out.append(self._at_request[i])
                if log_len:
                    if room >= 1:
                        match = me.match
                        out += [at for j, at in self._at_append[i] if match[j] < log_len]
                    out += self._at_commit[i][:log_len]
            else:
                if can_time_out and me.term < max_term:
                    out.append(self._at_timeout[i])
                if role == CANDIDATE and 2 * len(me.votes) > n:
                    out.append(self._at_become[i])
        last = -1  # msgs is sorted: its types come in order
        at_receipt = self._at_receipt
        for m in msgs:
            if m[0] != last:
                last = m[0]
                out.append(at_receipt[last])
        return out

    def _timeout(self, i: int, s: MsgState) -> Steps:
        servers, _, msgs = s
        n = self.n
        me = servers[i]
        if self.max_msgs - len(msgs) < n - 1 or me.role == LEADER or me.term >= self.max_term:
            return ()
        term = me.term + 1
        lt, li = (me.log[-1] if me.log else 0), len(me.log)
        new = list(servers)
        new[i] = Server(term, CANDIDATE, (i,), me.log, self.zeros)
        sent: list[Message] = [(RV_REQ, term, i, j, lt, li, ()) for j in range(n) if j != i]
        return ((self._act("Timeout", i), self._with(s, new, list(msgs) + sent)),)

    def _receipts(self, mtype: int, s: MsgState) -> Steps:
        """The receipt of every message of type ``mtype`` in flight (one step each)."""
        msgs = s.msgs
        return [
            self._receive(s, m, msgs[:idx] + msgs[idx + 1 :]) for idx, m in enumerate(msgs) if m[0] == mtype
        ]

    def _become_leader(self, i: int, s: MsgState) -> Steps:
        me = s.servers[i]
        if me.role != CANDIDATE or 2 * len(me.votes) <= self.n:
            return ()
        new = list(s.servers)
        new[i] = Server(me.term, LEADER, (), me.log, self.zeros)
        return ((self._act("BecomeLeader", i), self._state(s, new, s.msgs)),)

    def _client_request(self, i: int, s: MsgState) -> Steps:
        me = s.servers[i]
        if me.role != LEADER or len(me.log) >= self.max_log_len:
            return ()
        new = list(s.servers)
        new[i] = me._replace(log=me.log + (me.term,))
        return ((self._act("ClientRequest", i), self._state(s, new, s.msgs)),)

    def _append_entries(self, i: int, j: int, s: MsgState) -> Steps:
        """Leader i sends j the entry after ``matchIndex[i][j]``, if there is room for it."""
        servers, _, msgs = s
        me = servers[i]
        if me.role != LEADER or len(msgs) >= self.max_msgs:
            return ()
        prev = me.match[j]
        if prev >= len(me.log):
            return ()
        prev_term = me.log[prev - 1] if prev > 0 else 0
        m = (AE_REQ, me.term, i, j, prev, prev_term, (me.log[prev],))
        if m in msgs:
            return ()
        return ((self._act("AppendEntries", i, j), self._state(s, servers, self._plus(msgs, m))),)

    def _commit_entry(self, i: int, k: int, s: MsgState) -> Steps:
        """Leader i commits index k once a majority holds it (of its term only, unless ghost_commit)."""
        servers, committed, msgs = s
        me = servers[i]
        if me.role != LEADER or k > len(me.log):
            return ()
        term = me.log[k - 1]
        if not self.ghost_commit and term != me.term:
            return ()
        entry = (k, term, me.term)
        if entry in committed:
            return ()
        holders = 1 + sum(1 for j in range(self.n) if j != i and me.match[j] >= k)
        if 2 * holders <= self.n:
            return ()
        return ((self.commit_labels[i][k], MsgState(servers, committed | {entry}, msgs)),)

    def _receive(self, s: MsgState, m: Message, rest: tuple[Message, ...]) -> tuple[str, MsgState]:
        servers = s.servers
        mtype, mterm, src, dst, a, b, entries = m
        me = servers[dst]
        new = list(servers)
        out = rest
        if mtype == RV_REQ:
            if mterm > me.term:
                new[dst] = self._follower(me, mterm)
                candidate_log_term, candidate_len = a, b
                mine = me.log[-1] if me.log else 0
                if candidate_log_term > mine or (candidate_log_term == mine and candidate_len >= len(me.log)):
                    out = self._plus(rest, (RV_RESP, mterm, dst, src, 0, 0, ()))
            return self._label("HandleRequestVoteRequest", m), self._state(s, new, out)
        if mtype == RV_RESP:
            if me.role == CANDIDATE and mterm == me.term and src not in me.votes:
                new[dst] = me._replace(votes=tuple(sorted(me.votes + (src,))))
            return self._label("HandleRequestVoteResponse", m), self._state(s, new, out)
        if mtype == AE_REQ:
            if mterm >= me.term:
                prev, prev_term = a, b
                log = me.log
                if prev == 0 or (prev <= len(log) and log[prev - 1] == prev_term):
                    k = prev + 1  # the index of the one entry
                    if len(log) >= k and log[k - 1] != entries[0]:
                        log = log[:prev]  # a conflict: delete it and all that follow
                    if len(log) < k:
                        log = log + entries
                    out = self._plus(rest, (AE_RESP, mterm, dst, src, k, 0, ()))
                new[dst] = self._follower(me, mterm, log)
            return self._label("HandleAppendEntriesRequest", m), self._state(s, new, out)
        # AE_RESP
        if me.role == LEADER and mterm == me.term and me.match[src] < a:
            match = list(me.match)
            match[src] = a
            new[dst] = me._replace(match=tuple(match))
        return self._label("HandleAppendEntriesResponse", m), self._state(s, new, out)

    # -- symmetry and records ---------------------------------------------------

    def symmetry(self, s: MsgState) -> MsgState:
        """A canonical representative: the least image over the permutations that sort the servers.

        A server's signature (term, role, log) names no server, so renaming
        servers permutes the signatures. Taking the least image only over the
        permutations that list the servers in signature order (trying every
        order within a tie) therefore gives the same result for every state
        of a symmetry class, and one class never shares it with another: an
        exact representative that usually tries one or two permutations
        instead of n!.
        """
        sigs = [(srv.term, srv.role, srv.log) for srv in s.servers]
        order = sorted(range(self.n), key=sigs.__getitem__)
        groups: list[list[int]] = []
        for v in order:
            if groups and sigs[groups[-1][0]] == sigs[v]:
                groups[-1].append(v)
            else:
                groups.append([v])
        best: MsgState | None = None
        for choice in itertools.product(*(itertools.permutations(g) for g in groups)):
            perm = [0] * self.n
            for position, v in enumerate(itertools.chain.from_iterable(choice)):
                perm[v] = position
            image = self._permute(s, tuple(perm))
            if best is None or image < best:
                best = image
        assert best is not None
        return best

    def _permute(self, s: MsgState, perm: tuple[int, ...]) -> MsgState:
        """The state with server ``v`` renamed ``perm[v]``."""
        n = self.n
        servers: list[Server] = [s.servers[0]] * n
        for v, srv in enumerate(s.servers):
            match = [0] * n
            for w, x in enumerate(srv.match):
                match[perm[w]] = x
            servers[perm[v]] = Server(
                srv.term, srv.role, tuple(sorted(perm[w] for w in srv.votes)), srv.log, tuple(match)
            )
        msgs = tuple(sorted((t, tm, perm[a], perm[b], x, y, e) for t, tm, a, b, x, y, e in s.msgs))
        # ``committed`` names no server; comparing it as a sorted tuple keeps ``<`` a total order.
        return MsgState(tuple(servers), tuple(sorted(s.committed)), msgs)  # type: ignore[arg-type]

    def render_dot(self, trace: Any, index: int) -> str:
        """The domain view of step ``index``: log boxes per server (``raft_model.view``)."""
        return render_raft_dot(trace, index)

    def message_record(self, m: Message) -> Fn:
        mtype, mterm, src, dst, a, b, entries = m
        names = self.names
        common = {"mtype": MTYPE_NAMES[mtype], "mterm": mterm, "msource": names[src], "mdest": names[dst]}
        if mtype == RV_REQ:
            return record(**common, mlastLogTerm=a, mlastLogIndex=b)
        if mtype == AE_REQ:
            return record(**common, mprevLogIndex=a, mprevLogTerm=b, mentries=entries)
        if mtype == AE_RESP:
            return record(**common, mmatchIndex=a)
        return record(**common)

    def as_record(self, s: MsgState) -> dict[str, Value]:
        names = self.names
        srvs = list(enumerate(s.servers))
        return {
            "currentTerm": Fn({names[k]: srv.term for k, srv in srvs}),
            "state": Fn({names[k]: ROLE_NAMES[srv.role] for k, srv in srvs}),
            "votesGranted": Fn({names[k]: frozenset(names[v] for v in srv.votes) for k, srv in srvs}),
            "log": Fn({names[k]: srv.log for k, srv in srvs}),
            "matchIndex": Fn(
                {names[k]: Fn({names[j]: x for j, x in enumerate(srv.match)}) for k, srv in srvs}
            ),
            "committed": frozenset(s.committed),
            "msgs": frozenset(self.message_record(m) for m in s.msgs),
        }


def correct(
    servers: int = 3, max_term: int = 4, max_log_len: int = 1, max_msgs: int = 2
) -> RaftMessagesModel:
    """Message-level Raft with the commit rule of §5.4.2."""
    return RaftMessagesModel(servers, max_term, max_log_len, max_msgs, ghost_commit=False)


def ghost_commit(
    servers: int = 3, max_term: int = 4, max_log_len: int = 1, max_msgs: int = 2
) -> RaftMessagesModel:
    """Message-level Raft whose leaders commit entries of any term by counting replicas (the bug)."""
    return RaftMessagesModel(servers, max_term, max_log_len, max_msgs, ghost_commit=True)


__all__ = ["RaftMessagesModel", "correct", "ghost_commit", "up_to_date"]
