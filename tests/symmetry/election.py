"""A toy leader election as a Python model, the twin of tla/Election.tla.

Written for the symmetry tests: servers are model values, the state holds them
as function keys and values, inside records in a set of messages, and inside
tuples in a set of leaders, so the permutation acts at every level. A server
times out into a new term and asks for votes; a server grants at most one vote
per term (``one_vote=False`` drops that rule: two leaders in one term); a
server with votes from a majority becomes leader of its term.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from checker.model import Model, format_label
from checker.values import Fn, ModelValue, Value, model_values, record

NIL = ModelValue("Nil")


class State(NamedTuple):
    term: Fn  # server -> term
    votedFor: Fn  # server -> server or Nil  # noqa: N815 (TLA+ spelling)
    msgs: frozenset[Fn]  # records: [type, src, term] or [type, src, dst, term]
    leaders: frozenset[tuple[Value, int]]  # <<server, term>>


class Election(Model):
    variables = ("term", "votedFor", "msgs", "leaders")

    def __init__(self, n: int = 3, max_term: int = 2, one_vote: bool = True, symmetric: bool = True) -> None:
        self.servers = model_values(*(f"s{i}" for i in range(1, n + 1)))
        self.max_term = max_term
        self.one_vote = one_vote
        self.symmetric_sets = (frozenset(self.servers),) if symmetric else ()
        self.invariants = {"OneLeaderPerTerm": self.one_leader_per_term}
        self.check_deadlock = False
        self.name = f"Election(n={n}, max_term={max_term}, one_vote={one_vote})"

    @staticmethod
    def one_leader_per_term(s: State) -> bool:
        return all(a[1] != b[1] or a[0] == b[0] for a in s.leaders for b in s.leaders)

    def init_states(self) -> Iterator[State]:
        yield State(
            Fn({s: 0 for s in self.servers}), Fn({s: NIL for s in self.servers}), frozenset(), frozenset()
        )

    def next_steps(self, st: State) -> Iterator[tuple[str, State]]:
        for s in self.servers:  # Timeout(s)
            t = st.term[s]
            if t < self.max_term:
                req = record(type="req", src=s, term=t + 1)
                yield (
                    format_label("Timeout", s),
                    State(st.term.updated(s, t + 1), st.votedFor.updated(s, s), st.msgs | {req}, st.leaders),
                )
        for v in self.servers:  # Grant(v, m)
            for m in st.msgs:
                if m["type"] != "req" or m["term"] < st.term[v] or m["src"] == v:
                    continue
                # TLC explores each true disjunct of an action as its own branch, so a
                # step allowed by two disjuncts is generated twice; so is it here.
                branches = (m["term"] > st.term[v]) + (not self.one_vote) + (st.votedFor[v] == NIL)
                vote = record(type="vote", src=v, dst=m["src"], term=m["term"])
                succ = State(
                    st.term.updated(v, m["term"]),
                    st.votedFor.updated(v, m["src"]),
                    st.msgs | {vote},
                    st.leaders,
                )
                for _ in range(branches):
                    yield format_label("Grant", v, m), succ
        for s in self.servers:  # Win(s)
            t = st.term[s]
            if st.votedFor[s] != s or (s, t) in st.leaders:
                continue
            votes = sum(1 for m in st.msgs if m["type"] == "vote" and m["dst"] == s and m["term"] == t)
            if 2 * (1 + votes) > len(self.servers):
                yield format_label("Win", s), State(st.term, st.votedFor, st.msgs, st.leaders | {(s, t)})
