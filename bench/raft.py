"""Speed and memory of the Raft models: distinct states per second and bytes per state.

    .venv/bin/python bench/raft.py            # every row (a minute or two)
    .venv/bin/python bench/raft.py --quick    # the 3-server rows only

Each row checks one model to the end (or to the first violation, where it says
so) twice: once for time, once under ``tracemalloc`` for memory, which slows
Python down and so is kept out of the timed run.

- ``distinct/s`` is distinct states over CPU seconds (``time.process_time``),
  so that other processes on a shared machine do not skew it; wall-clock
  seconds are printed beside it.
- ``B/state`` is the peak of traced memory during the check over the distinct
  states: the engine's fingerprint set and trace arrays, plus the two BFS
  levels of live states, divided among the states found.
- ``state B`` is the deep size of one state as the model holds it (every
  container and int counted once per state), averaged over the states of the
  counterexample or, with no violation, of a short behaviour from Init.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import raft_model  # noqa: E402
import raft_model.messages as messages  # noqa: E402
from checker import CheckOptions, check  # noqa: E402


def deep_size(obj: Any, seen: set[int] | None = None) -> int:
    """Bytes of ``obj`` and everything it holds, each object counted once."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj)
    if isinstance(obj, (tuple, list, frozenset, set)):
        size += sum(deep_size(x, seen) for x in obj)
    elif isinstance(obj, dict):
        size += sum(deep_size(k, seen) + deep_size(v, seen) for k, v in obj.items())
    return size


def run(name: str, make: Callable[[], Any], options: CheckOptions) -> None:
    model = make()
    wall, cpu = time.perf_counter(), time.process_time()
    result = check(model, options)
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    stats = result.stats

    tracemalloc.start()
    check(make(), options)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    trace = result.violation.trace if result.violation else None
    if trace is None:
        # A short behaviour to size states on: follow the first successor a few times.
        states = list(model.init_states())[:1]
        for _ in range(8):
            nxt = next(iter(model.next_steps(states[-1])), None)
            if nxt is None:
                break
            states.append(nxt[1])
    else:
        states = trace.states
    state_bytes = sum(deep_size(s) for s in states) / len(states)
    verdict = (
        "ok"
        if result.violation is None
        else f"{result.violation.name} ({len(result.violation.trace)} states)"
    )
    print(
        f"{name:<44} {stats.generated:>10,} {stats.distinct:>9,} {stats.depth:>5} "
        f"{stats.distinct / cpu:>11,.0f} {stats.generated / cpu:>11,.0f} {cpu:>7.2f} {wall:>7.2f} "
        f"{peak / stats.distinct:>8,.0f} {state_bytes:>8,.0f}  {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="only the 3-server rows")
    args = parser.parse_args()
    sym, nosym = CheckOptions(), CheckOptions(symmetry=False)
    rows: list[tuple[str, Callable[[], Any], CheckOptions]] = [
        ("atomic correct, 3 servers, symmetry", raft_model.correct, sym),
        ("atomic correct, 3 servers, no symmetry", raft_model.correct, nosym),
        ("atomic ghost_commit, 3 servers (to LC)", raft_model.ghost_commit, sym),
        ("messages correct, 3 servers, symmetry", messages.correct, sym),
        ("messages correct, 3 servers, no symmetry", messages.correct, nosym),
        ("messages ghost_commit, 3 servers (to LC)", messages.ghost_commit, sym),
    ]
    if not args.quick:
        rows += [
            (
                "atomic correct, 5 servers, max_term 3, sym",
                lambda: raft_model.correct(servers=5, max_term=3),
                sym,
            ),
            ("atomic ghost_commit, 5 servers (to LC)", lambda: raft_model.ghost_commit(servers=5), sym),
        ]
    print(
        f"{'model':<44} {'generated':>10} {'distinct':>9} {'depth':>5} "
        f"{'distinct/s':>11} {'generated/s':>11} {'cpu s':>7} {'wall s':>7} {'B/state':>8} {'state B':>8}  verdict"
    )
    for name, make, options in rows:
        run(name, make, options)


if __name__ == "__main__":
    main()
