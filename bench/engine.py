"""Engine overhead: a synthetic model of 1,000,000 states with cheap successors.

Prints generated states/s for the whole check, the model's own cost measured
by a plain loop over the same successors, the engine's overhead rate
(generated / (check time - model time)), and bytes per distinct state held by
the visited set and parent links. Targets (issue [engine]): >= 250,000
generated states/s of engine overhead, <= 150 bytes per distinct state.

    .venv/bin/python bench/engine.py [--side 1000]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator

from checker import CheckOptions, Model, check


class Grid(Model):
    """A side x side torus: from (a, b) step to (a+1, b) or (a, b+1), modulo side."""

    variables = ("a", "b")

    def __init__(self, side: int) -> None:
        self.side = side

    def init_states(self) -> Iterator[tuple[int, int]]:
        yield (0, 0)

    def next_steps(self, s: tuple[int, int]) -> Iterator[tuple[str, tuple[int, int]]]:
        a, b = s
        n = self.side
        yield "A", ((a + 1) % n, b)
        yield "B", (a, (b + 1) % n)


def model_only_seconds(model: Grid) -> float:
    """The cost of producing every successor once per state, without any checking."""
    n = model.side
    start = time.perf_counter()
    count = 0
    for a in range(n):
        for b in range(n):
            for _label, _succ in model.next_steps((a, b)):
                count += 1
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--side", type=int, default=1000)
    args = parser.parse_args()
    model = Grid(args.side)
    result = check(model, CheckOptions(check_deadlock=False))
    stats = result.stats
    model_seconds = model_only_seconds(model)
    overhead = max(stats.elapsed - model_seconds, 1e-9)
    print(f"states: {stats.distinct:,} distinct, {stats.generated:,} generated, depth {stats.depth}")
    print(f"check: {stats.elapsed:.2f} s, {stats.generated / stats.elapsed:,.0f} generated states/s")
    print(f"model alone (plain loop over the same successors): {model_seconds:.2f} s")
    print(f"engine overhead: {stats.generated / overhead:,.0f} generated states/s (target >= 250,000)")
    print(f"memory: {stats.store_bytes / stats.distinct:.1f} bytes per distinct state (target <= 150)")


if __name__ == "__main__":
    main()
