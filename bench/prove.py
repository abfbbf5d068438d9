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
from checker.prove.load import load_problem, with_constants  # noqa: E402
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
