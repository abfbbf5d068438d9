"""Fingerprints against exact mode, and the visited set's bytes per state.

    .venv/bin/python bench/fingerprints.py share      # Paxos and Raft specs: fingerprint cost, both modes
    .venv/bin/python bench/fingerprints.py synthetic --states 10_000_000
    .venv/bin/python bench/fingerprints.py spec specs/raft/MCRaft_correct_nosym.cfg   # peak RSS of one run

``share`` checks each spec twice in one process, in exact mode (states in a Python set) and
in fingerprint mode (the default), and times every call of the fingerprinter in the second
run. All times are this process's CPU time (``process_time``), so other jobs on a shared
machine count less; the timer's own cost (about 0.3 us a call) is counted as
fingerprinting, so the share is an upper bound.

``synthetic`` runs a model whose states are the integers 0 .. N-1 (each with two
successors, i+1 and 2i+1 below N) and prints the RAM held by the visited set and the trace
links per distinct state, and the process's peak RSS.

``spec`` checks one TLA+ spec and prints the counts and the process's peak RSS (compare with
TLC's: ``/usr/bin/time -v java ... tlc2.TLC ...``, "Maximum resident set size").

Figures (2026-12-06): docs/ARCHITECTURE.md, Known gaps.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.engine import (  # noqa: E402
    CheckOptions,
    bfs,  # noqa: E402
    check,
)
from checker.engine.fingerprint import Fingerprinter  # noqa: E402
from checker.tla.loader import load_spec_model  # noqa: E402

SPECS = [
    ("Paxos (symmetry)", "specs/paxos/MCPaxos.tla", "specs/paxos/MCPaxos_ballots2_symmetry.cfg"),
    ("Paxos", "specs/paxos/MCPaxos.tla", "specs/paxos/MCPaxos.cfg"),
    ("Raft (symmetry)", "specs/raft/MCRaft.tla", "specs/raft/MCRaft_correct.cfg"),
    ("Raft messages (symmetry)", "specs/raft/MCRaftMessages.tla", "specs/raft/MCRaftMessages_correct.cfg"),
]


class TimedFingerprinter(Fingerprinter):
    spent = 0.0
    calls = 0

    def __call__(self, state: Any) -> int:
        t = time.process_time()
        fp = super().__call__(state)
        TimedFingerprinter.spent += time.process_time() - t
        TimedFingerprinter.calls += 1
        return fp


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def share(names: list[str]) -> None:
    for title, spec, cfg in SPECS:
        if names and not any(n.lower() in title.lower() for n in names):
            continue
        model = load_spec_model(ROOT / spec, ROOT / cfg, [])
        t = time.process_time()
        exact = check(model, CheckOptions(exact=True))
        t_exact = time.process_time() - t
        bfs.Fingerprinter = TimedFingerprinter  # type: ignore[misc]
        TimedFingerprinter.spent, TimedFingerprinter.calls = 0.0, 0
        model = load_spec_model(ROOT / spec, ROOT / cfg, [])
        t = time.process_time()
        fp = check(model, CheckOptions())
        t_fp = time.process_time() - t
        bfs.Fingerprinter = Fingerprinter  # type: ignore[misc]
        s = fp.stats
        assert (s.generated, s.distinct, s.depth) == (
            exact.stats.generated,
            exact.stats.distinct,
            exact.stats.depth,
        ), (s, exact.stats)
        print(
            f"{title:18} {s.generated:>9,} generated {s.distinct:>8,} distinct  exact {t_exact:6.1f} s  "
            f"fingerprints {t_fp:6.1f} s ({t_fp / t_exact:.2f}x)  fingerprinting "
            f"{TimedFingerprinter.spent:5.1f} s = {TimedFingerprinter.spent / t_fp:.1%} of the check, "
            f"{TimedFingerprinter.spent / max(1, TimedFingerprinter.calls) * 1e6:.1f} us a state",
            flush=True,
        )


class Synthetic:
    """States 0 .. n-1; from i, i+1 and 2i+1 (when below n). Every state is reachable."""

    variables = ("x",)

    def __init__(self, n: int) -> None:
        self.n = n

    def init_states(self) -> list[int]:
        return [0]

    def next_steps(self, i: int) -> list[tuple[str, int]]:
        n = self.n
        out = []
        if i + 1 < n:
            out.append(("Inc", i + 1))
        if 2 * i + 1 < n:
            out.append(("Double", 2 * i + 1))
        return out

    def as_record(self, i: int) -> dict[str, int]:
        return {"x": i}


def synthetic(n: int, memory: int) -> None:
    t = time.process_time()
    result = check(Synthetic(n), CheckOptions(check_deadlock=False, memory=memory))
    elapsed = time.process_time() - t
    s = result.stats
    assert s.distinct == n, s
    print(
        f"synthetic: {s.distinct:,} distinct, {s.generated:,} generated in {elapsed:.0f} s cpu; "
        f"visited set + trace links in RAM: {s.store_bytes:,} bytes = "
        f"{s.store_bytes / s.distinct:.2f} bytes a state; peak RSS {peak_rss_mb():,.0f} MB",
        flush=True,
    )


def spec(cfg: str, exact: bool) -> None:
    cfg_path = ROOT / cfg
    tla = cfg_path.with_name(cfg_path.stem.split("_")[0] + ".tla")
    model = load_spec_model(tla, cfg_path, [])
    t = time.process_time()
    result = check(model, CheckOptions(exact=exact))
    s = result.stats
    print(
        f"{cfg}: {s.generated:,} generated, {s.distinct:,} distinct, depth {s.depth}, "
        f"{time.process_time() - t:.0f} s cpu, {'exact' if exact else 'fingerprints'}, "
        f"visited + links {s.store_bytes / max(1, s.distinct):.1f} bytes a state, peak RSS {peak_rss_mb():,.0f} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("share")
    p.add_argument("names", nargs="*")
    p = sub.add_parser("synthetic")
    p.add_argument("--states", type=lambda s: int(s.replace("_", "")), default=10_000_000)
    p.add_argument("--memory", type=lambda s: int(s.replace("_", "")), default=1 << 30)
    p = sub.add_parser("spec")
    p.add_argument("cfg")
    p.add_argument("--exact", action="store_true")
    args = parser.parse_args()
    if args.what == "share":
        share(args.names)
    elif args.what == "synthetic":
        synthetic(args.states, args.memory)
    else:
        spec(args.cfg, args.exact)


if __name__ == "__main__":
    main()
