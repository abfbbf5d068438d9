"""A second encoding of specs/paxos/Paxos.tla, for tests: TLA+ values, no cleverness.

The state is the record TLC holds (``maxBal``, ``maxVBal``, ``maxVal`` as ``Fn`` over
acceptors, ``msgs`` a frozenset of records) and each action is a line-by-line
transcription of the spec, one successor per satisfying binding of each ``\\E``. It
shares nothing with paxos_model's bit layout, so when the two agree on every
reachable state and on the generated count, as_record and the enumeration are right.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from checker.values import Fn, ModelValue, record

Record = tuple[Fn, Fn, Fn, frozenset[Fn]]


class ReferencePaxos:
    def __init__(
        self,
        acceptors: int = 3,
        values: int = 2,
        max_ballot: int = 1,
        variant: str = "correct",
        quorum_size: int = 2,
    ) -> None:
        self.acceptors = [ModelValue(f"a{i + 1}") for i in range(acceptors)]
        self.values = [ModelValue(f"v{i + 1}") for i in range(values)]
        self.none = ModelValue("None")
        self.ballots = range(max_ballot + 1)
        self.variant = variant
        self.quorums = [frozenset(q) for q in itertools.combinations(self.acceptors, quorum_size)]

    def init(self) -> Record:
        return (
            Fn({a: -1 for a in self.acceptors}),
            Fn({a: -1 for a in self.acceptors}),
            Fn({a: self.none for a in self.acceptors}),
            frozenset(),
        )

    def as_dict(self, s: Record) -> dict[str, Any]:
        return dict(zip(("maxBal", "maxVBal", "maxVal", "msgs"), s))

    def next(self, s: Record) -> Iterator[tuple[str, Record]]:
        max_bal, max_vbal, max_val, msgs = s
        for b in self.ballots:
            yield "Phase1a", (max_bal, max_vbal, max_val, msgs | {record(type="1a", bal=b)})
            for v in self.values:
                if self.variant != "two_proposals" and any(m["type"] == "2a" and m["bal"] == b for m in msgs):
                    continue
                for q in self.quorums:
                    q1b = [m for m in msgs if m["type"] == "1b" and m["acc"] in q and m["bal"] == b]
                    q1bv = [m for m in q1b if m["mbal"] >= 0]
                    if not all(any(m["acc"] == a for m in q1b) for a in q):
                        continue
                    if self.variant == "any_value" or not q1bv:
                        witnesses = 1
                    else:
                        witnesses = sum(
                            1 for m in q1bv if m["mval"] == v and all(m["mbal"] >= mm["mbal"] for mm in q1bv)
                        )
                    for _ in range(witnesses):
                        yield (
                            "Phase2a",
                            (max_bal, max_vbal, max_val, msgs | {record(type="2a", bal=b, val=v)}),
                        )
        for a in self.acceptors:
            for m in msgs:
                if m["type"] == "1a" and m["bal"] > max_bal[a]:
                    reply = record(type="1b", acc=a, bal=m["bal"], mbal=max_vbal[a], mval=max_val[a])
                    yield "Phase1b", (max_bal.updated(a, m["bal"]), max_vbal, max_val, msgs | {reply})
            for m in msgs:
                if m["type"] == "2a" and (self.variant == "accept_lower" or m["bal"] >= max_bal[a]):
                    vote = record(type="2b", acc=a, bal=m["bal"], val=m["val"])
                    yield (
                        "Phase2b",
                        (
                            max_bal.updated(a, m["bal"]),
                            max_vbal.updated(a, m["bal"]),
                            max_val.updated(a, m["val"]),
                            msgs | {vote},
                        ),
                    )

    def agreement(self, s: Record) -> bool:
        msgs = s[3]

        def voted(a: ModelValue, v: ModelValue, b: int) -> bool:
            return record(type="2b", acc=a, bal=b, val=v) in msgs

        chosen = {
            v
            for v in self.values
            for b in self.ballots
            for q in self.quorums
            if all(voted(a, v, b) for a in q)
        }
        return len(chosen) <= 1

    def explore(self, max_depth: int | None = None) -> tuple[set[Record], int, int]:
        """(reachable states, generated, depth) by a plain BFS, up to ``max_depth`` levels."""
        init = self.init()
        seen = {init}
        level = [init]
        generated, depth = 1, 1
        while level and depth != max_depth:
            nxt = []
            for s in level:
                for _, t in self.next(s):
                    generated += 1
                    if t not in seen:
                        seen.add(t)
                        nxt.append(t)
            depth += bool(nxt)
            level = nxt
        return seen, generated, depth
