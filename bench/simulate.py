"""Random simulation on a configuration too big to exhaust: message-level Raft, 5 servers, ghost commit.

    .venv/bin/python bench/simulate.py [--seeds 10] [--first 1] [--budget 60]
                                       [--pick action|label|successor|name] [--depth 100] [--next-steps]

For each seed FIRST..FIRST+N-1 (1..10 by default): the time to the first
counterexample (CPU seconds of this process, and wall seconds; the machine is
shared, so CPU time is the fairer figure), the behaviours it took, the counterexample's length, and its length
after ``--shrink`` (``checker.engine.simulate.shrink``, 60 s budget). Then the
distribution: how many seeds found the bug within the budget, and min / median /
max of each figure. The model is ``raft_model.messages:ghost_commit`` with
``servers=5, max_msgs=4`` and the module's other defaults (``max_term=4,
max_log_len=1``): ``max_msgs`` must be at least ``servers - 1``.

With ``--pick action`` (the default) the walk uses the model's ``actions()`` and
``enabled_actions`` (only the chosen action's successors are computed);
``--next-steps`` walks through ``next_steps`` instead, grouping its successors by
action as for a model without ``actions()``: the same probabilities, other draws.
The loop runs as ``simulate`` runs it (``collecting_less``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checker.engine.simulate import SimulateOptions, _Walker, collecting_less, shrink  # noqa: E402
from raft_model.messages import ghost_commit  # noqa: E402


def run_seed(
    seed: int, budget: float, pick: str, depth: int, use_actions: bool
) -> dict[str, float | int | None]:
    model = ghost_commit(servers=5, max_msgs=4)
    walker = _Walker(model, SimulateOptions(seed=seed, depth=depth, pick=pick, use_actions=use_actions))
    cpu0, wall0 = time.process_time(), time.monotonic()
    initial = walker.initial_states()
    with collecting_less():
        while not walker.violations and time.process_time() - cpu0 < budget:
            walker.behaviour(initial)
    cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    row: dict[str, float | int | None] = {
        "seed": seed,
        "cpu": cpu,
        "wall": wall,
        "behaviours": walker.stats.behaviours,
        "length": None,
        "shrunk": None,
        "shrink_cpu": None,
    }
    if walker.violations:
        violation = walker.violations[0]
        row["length"] = len(violation.trace)
        t0 = time.process_time()
        row["shrunk"] = len(shrink(model, violation).trace)
        row["shrink_cpu"] = time.process_time() - t0
    return row


def spread(values: list[float]) -> str:
    if not values:
        return "-"
    return f"min {min(values):.1f}, median {statistics.median(values):.1f}, max {max(values):.1f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--first", type=int, default=1, help="the first seed")
    ap.add_argument("--budget", type=float, default=60.0, help="CPU seconds per seed")
    ap.add_argument("--pick", default="action", choices=["action", "label", "successor", "name"])
    ap.add_argument("--depth", type=int, default=100)
    ap.add_argument("--next-steps", action="store_true", help="walk through next_steps, not actions()")
    args = ap.parse_args()
    print(
        f"raft_model.messages:ghost_commit(servers=5, max_msgs=4), pick={args.pick}, depth={args.depth}, "
        f"{'next_steps' if args.next_steps else 'actions()'}, "
        f"budget {args.budget:.0f} CPU s per seed"
    )
    print(
        f"{'seed':>4} {'cpu s':>7} {'wall s':>7} {'behaviours':>10} {'length':>6} {'shrunk':>6} {'shrink s':>8}"
    )
    rows = []
    for seed in range(args.first, args.first + args.seeds):
        row = run_seed(seed, args.budget, args.pick, args.depth, not args.next_steps)
        rows.append(row)
        length = "-" if row["length"] is None else str(row["length"])
        shrunk = "-" if row["shrunk"] is None else str(row["shrunk"])
        shrink_cpu = "-" if row["shrink_cpu"] is None else f"{row['shrink_cpu']:.1f}"
        print(
            f"{seed:>4} {row['cpu']:>7.1f} {row['wall']:>7.1f} {row['behaviours']:>10} {length:>6} "
            f"{shrunk:>6} {shrink_cpu:>8}",
            flush=True,
        )
    found = [r for r in rows if r["length"] is not None]
    print(f"found within {args.budget:.0f} CPU s: {len(found)} of {len(rows)} seeds")
    print(f"time to bug (CPU s):  {spread([float(r['cpu'] or 0) for r in found])}")
    print(f"time to bug (wall s): {spread([float(r['wall'] or 0) for r in found])}")
    print(f"trace length:         {spread([float(r['length'] or 0) for r in found])}")
    print(f"after --shrink:       {spread([float(r['shrunk'] or 0) for r in found])}")


if __name__ == "__main__":
    main()
