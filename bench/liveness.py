"""The cost of liveness: a run with the cfg's temporal properties against the same spec's
safety-only run, on mid-size tlaplus/Examples models, and the memory per recorded edge.

For each model: the safety-only time (the breadth-first search alone, as with
``--skip-liveness`` had the properties been unsupported), the whole run's time, their
ratio (issue [liveness]'s target: at most 3, TLC's own figure per tlaplus/tlaplus#869),
the edges the liveness search recorded and the bytes its arrays hold per edge.

    .venv/bin/python bench/liveness.py [--examples /work/ext/Examples] [--rounds 1]

Times are CPU seconds of this process (``time.process_time``): the machine is shared, and
wall-clock times there varied by 2x from run to run. Last measured (medians of 3 rounds,
one run each, one after the other, both with the C fingerprints of main d60c88e; before:
the second pass over the graph; after: the graph recorded during the search):

    model                         distinct  props  safety s  with liveness s  ratio   edges  B/edge
    before
    allocator/SimpleAllocator          400     12      0.04             0.16   3.89   1,632    10.2
    SingleLaneBridge/MC              3,605      8      0.48             4.15   8.73  20,180     9.9
    ReadersWriters/MC               21,527     12      1.42             7.51   5.27  59,673    12.6
    after
    allocator/SimpleAllocator          400     12      0.04             0.09   2.18   1,632    10.2
    SingleLaneBridge/MC              3,605      8      0.44             1.00   2.28  20,180     9.9
    ReadersWriters/MC               21,527     12      1.47             4.10   2.78  59,673    12.6

Most of what remains is the enumeration of each fairness action in each state.

With a property searched on the product with its tableau (ewd998/AsyncTerminationDetection's
Quiescence; main a0049ed, medians of 3 rounds, ``--only ewd998``):

    ewd998/AsyncTerminationDetection   4,097     2      0.44             0.62   1.41   45,062     6.6

Needs a tlaplus/Examples checkout and the CommunityModules and TLAPS library folders
(``--lib``, repeatable; defaults as on the project's machine). Not a test: figures depend
on the machine; record them in the report that changes the engine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from checker.engine.bfs import check as check_safety
from checker.engine.liveness import check
from checker.engine.result import CheckOptions
from checker.tla.loader import load_spec_model

# (folder under specifications/, module, cfg): each has temporal properties TLC checks.
MODELS = (
    ("allocator", "SimpleAllocator", "SimpleAllocator"),
    ("SingleLaneBridge", "MC", "MC"),
    ("ReadersWriters", "MC", "MC"),
    # Quiescence, [](terminated => []terminated), is searched on the product with its tableau.
    ("ewd998", "AsyncTerminationDetection", "AsyncTerminationDetection"),
)
LIBS = ("/work/ext/CommunityModules/modules", "/work/ext/tlapm/library")


def measure(folder: Path, module: str, cfg: str, libs: list[Path]) -> dict[str, float]:
    model = load_spec_model(folder / f"{module}.tla", folder / f"{cfg}.cfg", libs)
    options = CheckOptions()
    start = time.process_time()
    safety = check_safety(model, options)
    safety_time = time.process_time() - start
    model = load_spec_model(folder / f"{module}.tla", folder / f"{cfg}.cfg", libs)
    start = time.process_time()
    full = check(model, options)
    full_time = time.process_time() - start
    return {
        "distinct": safety.stats.distinct,
        "properties": len(model.liveness),
        "safety": safety_time,
        "full": full_time,
        "edges": full.liveness_edges,
        "bytes": full.liveness_bytes,
        "exit": full.exit_code,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", default="/work/ext/Examples", help="a tlaplus/Examples checkout")
    parser.add_argument("--lib", action="append", default=None, help="a module library folder (repeatable)")
    parser.add_argument("--rounds", type=int, default=1, help="runs per model; the median is printed")
    parser.add_argument("--only", default=None, help="only the models whose folder contains this")
    args = parser.parse_args()
    libs = [Path(x) for x in (args.lib or LIBS)]
    root = Path(args.examples) / "specifications"
    print(f"{'model':<34} {'distinct':>9} {'props':>5} {'safety s':>9} {'with liveness s':>16} {'ratio':>6} "
          f"{'edges':>9} {'B/edge':>7} {'exit':>4}")
    for folder, module, cfg in MODELS:
        if args.only is not None and args.only not in folder:
            continue
        runs = [measure(root / folder, module, cfg, libs) for _ in range(args.rounds)]
        safety = statistics.median(r["safety"] for r in runs)
        full = statistics.median(r["full"] for r in runs)
        r = runs[0]
        per_edge = r["bytes"] / r["edges"] if r["edges"] else 0.0
        print(
            f"{folder + '/' + cfg:<34} {r['distinct']:>9,.0f} {r['properties']:>5.0f} {safety:>9.2f} "
            f"{full:>16.2f} {full / safety:>6.2f} {r['edges']:>9,.0f} {per_edge:>7.1f} {r['exit']:>4.0f}"
        )


if __name__ == "__main__":
    main()
