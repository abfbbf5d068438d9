"""Paxos, ballots 0..2: distinct states/s of paxos_model on our engine beside a plain Python BFS.

Both explore the whole state space of Lamport's single-decree Paxos (3 acceptors,
2 values, ballots 0..2, majority quorums) without invariants, one after the other in
one run, and the script prints each rate and their ratio. The plain loop is written
here, the obvious way: states are tuples, messages tuples in a frozenset, visited
states a Python set, successors produced as TLC enumerates them. The target (issue
10) is that the model on the engine is no slower than that loop.

    .venv/bin/python bench/paxos.py [--max-ballot 2] [--invariants Agreement] [--symmetry]

TLC 2.20 on the same bounds (specs/paxos/MCPaxos_ballots2.cfg): 1,361,380 generated,
185,369 distinct, depth 25; about 35 s with one worker (issue 10), 121 s when it also
checks TypeOK, Agreement and Inv.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checker import CheckOptions, check  # noqa: E402
from paxos_model import correct  # noqa: E402

Msg = tuple[object, ...]
PlainState = tuple[tuple[int, ...], tuple[int, ...], tuple[object, ...], frozenset[Msg]]


def plain_successors(
    s: PlainState, n_acc: int, values: tuple[str, ...], ballots: range, quorums: list[tuple[int, ...]]
) -> Iterator[PlainState]:
    """Lamport's Next, written as directly as possible (one successor per binding)."""
    max_bal, max_vbal, max_val, msgs = s
    for b in ballots:
        yield (max_bal, max_vbal, max_val, msgs | {("1a", b)})
        if any(m[0] == "2a" and m[1] == b for m in msgs):
            continue
        for v in values:
            for q in quorums:
                q1b = [m for m in msgs if m[0] == "1b" and m[1] in q and m[2] == b]
                if not all(any(m[1] == a for m in q1b) for a in q):
                    continue
                q1bv = [m for m in q1b if m[3] >= 0]
                witnesses = 1 if not q1bv else 0
                if q1bv:
                    top = max(m[3] for m in q1bv)
                    witnesses = sum(1 for m in q1bv if m[4] == v and m[3] == top)
                for _ in range(witnesses):
                    yield (max_bal, max_vbal, max_val, msgs | {("2a", b, v)})
    for a in range(n_acc):
        for m in msgs:
            if m[0] == "1a" and m[1] > max_bal[a]:
                b = m[1]
                bal = max_bal[:a] + (b,) + max_bal[a + 1 :]
                yield (bal, max_vbal, max_val, msgs | {("1b", a, b, max_vbal[a], max_val[a])})
        for m in msgs:
            if m[0] == "2a" and m[1] >= max_bal[a]:
                b, v = m[1], m[2]
                yield (
                    max_bal[:a] + (b,) + max_bal[a + 1 :],
                    max_vbal[:a] + (b,) + max_vbal[a + 1 :],
                    max_val[:a] + (v,) + max_val[a + 1 :],
                    msgs | {("2b", a, b, v)},
                )


def plain_bfs(max_ballot: int) -> tuple[int, int, int]:
    """(generated, distinct, depth) of a plain BFS over a set of tuple states."""
    n_acc = 3
    values = ("v1", "v2")
    quorums = list(itertools.combinations(range(n_acc), n_acc // 2 + 1))
    ballots = range(max_ballot + 1)
    init: PlainState = ((-1,) * n_acc, (-1,) * n_acc, ("None",) * n_acc, frozenset())
    seen = {init}
    level = [init]
    generated = 1
    depth = 1
    while level:
        nxt = []
        for s in level:
            for t in plain_successors(s, n_acc, values, ballots, quorums):
                generated += 1
                if t not in seen:
                    seen.add(t)
                    nxt.append(t)
        if nxt:
            depth += 1
        level = nxt
    return generated, len(seen), depth


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--max-ballot", type=int, default=2)
    parser.add_argument(
        "--invariants", default="", help="invariants the model checks (the plain loop checks none)"
    )
    parser.add_argument("--symmetry", action="store_true", help="let the engine use the model's symmetry")
    args = parser.parse_args()

    start = time.perf_counter()
    generated, distinct, depth = plain_bfs(args.max_ballot)
    plain_s = time.perf_counter() - start
    print(
        f"plain BFS:      {generated:>10,} generated {distinct:>9,} distinct  depth {depth}  {plain_s:6.2f} s  "
        f"{distinct / plain_s:>9,.0f} distinct/s"
    )

    model = correct(max_ballot=args.max_ballot, invariants=args.invariants)
    result = check(model, CheckOptions(symmetry=args.symmetry))
    stats = result.stats
    engine_s = stats.elapsed
    print(
        f"model + engine: {stats.generated:>10,} generated {stats.distinct:>9,} distinct  depth {stats.depth}  "
        f"{engine_s:6.2f} s  {stats.distinct / engine_s:>9,.0f} distinct/s"
    )
    ratio = (stats.distinct / engine_s) / (distinct / plain_s)
    print(f"ratio (model + engine) / plain: {ratio:.2f}  (target >= 1.00)")


if __name__ == "__main__":
    main()
