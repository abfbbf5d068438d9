"""How long ``tlacheck prove`` takes on the inductive invariants of specs/, and how it grows.

    .venv/bin/python bench/prove.py            # the three targets, then 5 acceptors / servers
    .venv/bin/python bench/prove.py --quick    # the three targets only

Each row is one run of the three checks (IndInit, IndNext per action, IndProp) on one
instance: Z3's part (encoding and solving, the figure the targets are about), then parsing
(the TLA+ front end, shared by every command) separately. Targets (issue [prove]): Voting
3 acceptors, 3 ballots, 2 values < 1 s; Paxos, same instance < 10 s; atomic Raft, 3 servers,
MaxTerm 3, MaxLogLen 2 < 60 s. For comparison, Apalache needs 8-14 s per inductive query on
two-phase commit with 7 resource managers (the TwoPhase rows).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.prove.induction import Problem, check_induction  # noqa: E402
from checker.prove.problem import load_problem, with_constants  # noqa: E402
from checker.values import ModelValue  # noqa: E402

SPECS = ROOT / "specs"


def acceptors(n: int) -> dict[str, object]:
    accs = [ModelValue(f"a{i}") for i in range(1, n + 1)]
    majority = n // 2 + 1
    quorums = frozenset(frozenset(q) for q in itertools.combinations(accs, majority))
    return {"Acceptor": frozenset(accs), "Quorum": quorums}


def servers(n: int) -> dict[str, object]:
    return {"Server": frozenset(ModelValue(f"s{i}") for i in range(1, n + 1))}


def rms(n: int) -> dict[str, object]:
    return {"RM": frozenset(ModelValue(f"r{i}") for i in range(1, n + 1))}


def row(name: str, spec: str, size: str, changes: dict[str, object], target: float | None) -> None:
    start = time.monotonic()
    loaded = load_problem(SPECS / spec, "IndInv")
    parse = time.monotonic() - start
    problem: Problem = with_constants(loaded.problem, **changes)  # type: ignore[arg-type]
    start = time.monotonic()
    r = check_induction(problem)
    total = time.monotonic() - start
    goal = f"< {target:g} s {'ok' if total < target else 'MISSED'}" if target else ""
    print(
        f"{name:<9} {size:<34} {r.verdict:<7} {r.actions:>4} actions  Z3 {total:7.2f} s "
        f"(IndInit {r.seconds_of('IndInit'):5.2f}, IndNext {r.seconds_of('IndNext'):6.2f}, "
        f"IndProp {r.seconds_of('IndProp'):5.2f})  parse {parse:4.2f} s  {goal}",
        flush=True,
    )


def hand_written_voting(n_acc: int = 3, max_ballot: int = 2, n_val: int = 2) -> float:
    """Voting's IndNext and IndInit written directly against Z3 (the issue's 0.6 s reference):
    one Bool per (acceptor, ballot, value) vote, one Int per maxBal, one query per action."""
    import z3

    accs, ballots, values = range(n_acc), range(max_ballot + 1), range(n_val)
    quorums = [set(q) for q in itertools.combinations(accs, n_acc // 2 + 1)]

    def state(tag: str) -> tuple[dict[tuple[int, int, int], z3.BoolRef], dict[int, z3.ArithRef]]:
        votes = {(a, b, v): z3.Bool(f"{tag}v{a}{b}{v}") for a in accs for b in ballots for v in values}
        return votes, {a: z3.Int(f"{tag}m{a}") for a in accs}

    def inv(votes: dict[tuple[int, int, int], z3.BoolRef], mb: dict[int, z3.ArithRef]) -> z3.BoolRef:
        def did_not_vote(a: int, b: int) -> z3.BoolRef:
            return z3.And([z3.Not(votes[a, b, v]) for v in values])

        def safe_at(b: int, v: int) -> z3.BoolRef:
            return z3.And(
                [
                    z3.Or(
                        [
                            z3.And([z3.Or(votes[a, c, v], z3.And(mb[a] > c, did_not_vote(a, c))) for a in q])
                            for q in quorums
                        ]
                    )
                    for c in range(b)
                ]
                or [z3.BoolVal(True)]
            )

        typeok = z3.And([z3.And(mb[a] >= -1, mb[a] <= max_ballot) for a in accs])
        votes_safe = z3.And(
            [z3.Implies(votes[a, b, v], safe_at(b, v)) for a in accs for b in ballots for v in values]
        )
        one_value = z3.And(
            [
                z3.Implies(z3.And(votes[a1, b, v1], votes[a2, b, v2]), v1 == v2)
                for a1 in accs
                for a2 in accs
                for b in ballots
                for v1 in values
                for v2 in values
            ]
        )
        return z3.And(typeok, votes_safe, one_value)

    start = time.monotonic()
    (votes, mb), (votes2, mb2) = state(""), state("'")
    solver = z3.Solver()
    solver.add(inv(votes, mb))
    for a in accs:
        for b in ballots:
            same_votes = z3.And([votes2[k] == votes[k] for k in votes])
            others = z3.And([mb2[x] == mb[x] for x in accs if x != a])
            actions = [z3.And(b > mb[a], mb2[a] == b, others, same_votes)]
            for v in values:

                def shows_safe(q: set[int], b: int = b, v: int = v) -> z3.BoolRef:
                    return z3.And(
                        z3.And([mb[x] >= b for x in q]),
                        z3.Or(
                            [
                                z3.And(
                                    z3.Or([votes[x, c, v] for x in q]) if c != -1 else z3.BoolVal(True),
                                    z3.And(
                                        [
                                            z3.Not(votes[x, d, w])
                                            for d in range(c + 1, b)
                                            for x in q
                                            for w in values
                                        ]
                                    ),
                                )
                                for c in range(-1, b)
                            ]
                        ),
                    )

                actions.append(
                    z3.And(
                        mb[a] <= b,
                        z3.And([z3.Not(votes[a, b, w]) for w in values]),
                        z3.And([z3.Implies(votes[c, b, w], w == v) for c in accs if c != a for w in values]),
                        z3.Or([shows_safe(q) for q in quorums]),
                        z3.And(
                            [votes2[k] == (z3.BoolVal(True) if k == (a, b, v) else votes[k]) for k in votes]
                        ),
                        mb2[a] == b,
                        others,
                    )
                )
            for act in actions:
                solver.push()
                solver.add(act, z3.Not(inv(votes2, mb2)))
                assert solver.check() == z3.unsat
                solver.pop()
    return time.monotonic() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="only the three targets")
    args = ap.parse_args()
    print("The targets (3 acceptors / servers):")
    row(
        "Voting",
        "voting/Voting.tla",
        "3 acceptors, 3 ballots, 2 values",
        acceptors(3) | {"MaxBallot": 2},
        1.0,
    )
    row(
        "Paxos",
        "paxos/PaxosInductive.tla",
        "3 acceptors, 3 ballots, 2 values",
        acceptors(3) | {"MaxBallot": 2},
        10.0,
    )
    row("Raft", "raft/RaftInductive.tla", "3 servers, MaxTerm 3, MaxLogLen 2", servers(3), 60.0)
    print(f"Voting by a plain hand-written Z3 encoding (IndNext only): {hand_written_voting():.2f} s")
    if args.quick:
        return
    print("Two-phase commit (Apalache: 8-14 s per inductive query with 7 RMs):")
    row("TwoPhase", "twophase/TwoPhaseInductive.tla", "3 resource managers", rms(3), None)
    row("TwoPhase", "twophase/TwoPhaseInductive.tla", "7 resource managers", rms(7), None)
    print("Growth with 5 acceptors / servers:")
    row(
        "Voting",
        "voting/Voting.tla",
        "5 acceptors, 3 ballots, 2 values",
        acceptors(5) | {"MaxBallot": 2},
        None,
    )
    row(
        "Paxos",
        "paxos/PaxosInductive.tla",
        "5 acceptors, 3 ballots, 2 values",
        acceptors(5) | {"MaxBallot": 2},
        None,
    )
    row("Raft", "raft/RaftInductive.tla", "5 servers, MaxTerm 3, MaxLogLen 2", servers(5), None)


if __name__ == "__main__":
    main()
