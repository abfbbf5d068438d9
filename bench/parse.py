"""Parse speed: lines per second on a generated spec, parse alone and parse + resolve.

Run: ``.venv/bin/python bench/parse.py [LINES]`` (default 2,000). The spec is made of
definitions of the shapes real specs use (bulleted actions, quantifiers, EXCEPT,
records, set constructors), each a few lines. The one-time cost of building the LALR
tables is printed apart, since a run of the checker pays it once.

The parser drives lark through its public ``InteractiveParser``. On the 1,006-line spec
(one run each, alternating, shared machine) it parses in 0.15-0.16 s CPU, against
0.13 s for the loop over lark's private parse table that it replaced: lark's loop looks
terminals up in a table keyed by ``lark.Token`` objects (a ``str`` subclass whose
``__eq__`` is Python code), compares every reduced ``Rule`` with the end state (a Python
``__eq__`` again), and reads each rule's attributes at every reduction, where the old loop
had plain-string keys and precomputed tuples.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from checker.tla.parser import _lark, parse_module
from checker.tla.resolve import SearchPath, resolve_module

BLOCK = """\
Act{i}(p) ==
    /\\ pc[p] = "s{i}"
    /\\ \\E q \\in Procs \\ {{p}} :
          /\\ msgs' = msgs \\cup {{[type |-> "m{i}", from |-> p, to |-> q, n |-> count + {i}]}}
          /\\ pc' = [pc EXCEPT ![p] = "s{j}", ![q] = @]
    /\\ count' = IF count < {i} THEN count + 1 ELSE 0
    /\\ UNCHANGED <<log>>
Inv{i} == \\A p \\in Procs : pc[p] \\in {{"s{i}", "s{j}"}} => Len(log) >= 0 \\/ count = {i}
"""


def generate(lines: int) -> str:
    head = [
        "---- MODULE Gen ----",
        "EXTENDS Naturals, Sequences, FiniteSets",
        "CONSTANT Procs",
        "VARIABLES pc, msgs, count, log",
    ]
    body: list[str] = []
    i = 0
    while len(head) + len(body) < lines - 2:
        body += BLOCK.format(i=i, j=i + 1).splitlines()
        i += 1
    names = " \\/ ".join(f"(\\E p \\in Procs : Act{k}(p))" for k in range(min(i, 3)))
    return "\n".join(head + body + [f"Next == {names}", "===="]) + "\n"


def best_of(runs: int, f: Callable[[], object]) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds of ``runs`` calls (CPU time is steadier on a shared machine)."""
    wall = cpu = float("inf")
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        f()
        wall = min(wall, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    return wall, cpu


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
    t = time.process_time()
    _lark()
    print(f"LALR tables built once in {time.process_time() - t:.2f} s CPU")
    for n in sorted({1_000, lines}):
        text = generate(n)
        real = text.count("\n")
        pw, pc = best_of(3, lambda text=text: parse_module(text, "Gen.tla"))
        bw, bc = best_of(3, lambda text=text: resolve_module(parse_module(text, "Gen.tla"), SearchPath(())))
        print(
            f"{real:>6,} lines: parse {pc:.3f} s CPU ({real / pc:,.0f} lines/s; wall {pw:.3f} s), "
            f"parse + resolve {bc:.3f} s CPU ({real / bc:,.0f} lines/s; wall {bw:.3f} s)"
        )


if __name__ == "__main__":
    main()
