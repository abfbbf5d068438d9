"""Speed-up of the partitioned search (checker/engine/parallel.py): 2 workers against 1, in one run.

    .venv/bin/python bench/parallel.py [--target tla|raft|all] [--rounds 1] [--ray] [--modes 1,2,ray] [--quick] [--nice -15]

Targets:
- ``tla``: bench/specs/Counters.tla with Counters.cfg, 1,048,576 distinct states (32^4) and
  4,194,305 generated: little work per state, the case least favourable to workers;
- ``raft``: the Python Raft model ``raft_model:correct`` with ``max_term=9`` (246,856 distinct)
  (symmetry on).

Each round runs one worker (``checker.engine.check``), then two forked workers, then (with
``--ray``) two Ray actors on a Ray started for the run on 127.0.0.1, sharing the visited
table (``ray``) and each owning a part of the states as on several machines
(``ray-owned``), alternating, so that the load of the machine weighs on every mode alike. For each run: wall seconds, CPU seconds of
this process and of its children (the workers; Ray's actors are not our children: their
CPU is what each reports of its own process), the counts (which must be equal), the bytes
and batches sent between shards (Ray), the states moved between workers to even out their
slices and the levels searched again in a larger table (shared table), and the load
average before the run. The speed-up is one worker's wall time over the mode's, within the
round. "idle speed-up" is what two idle cores would give by the CPU figures: one worker's
CPU over the sum, over the levels, of the busiest worker's CPU in the level (each level
waits for its busiest worker), plus the coordinator's.

The machine this project runs on is shared: with a load average above the number of
cores, wall times say little unless the run has the cores nearly whole. ``--nice -15`` (as
root) gives it them: the run becomes a session of its own (``setsid``), whose *autogroup*
gets nice -15 as well as its processes (with the kernel's autogroups on, as here, a
process's nice weighs only against the processes of its own session: ``nice -n -15``
alone leaves every other session's jobs an equal share). Ray's servers and actors, started
by the run, inherit both. Only for a measurement of minutes. Without it, the CPU figures say what the workers cost in total, and the
idle speed-up what an idle machine would give (less the latency of the messages at each
level's barrier, which is not CPU).
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.cli import load_target  # noqa: E402
from checker.engine import CheckOptions, check  # noqa: E402
from checker.engine.parallel import ParallelStats, check_parallel  # noqa: E402


def _targets(quick: bool) -> dict[str, tuple[str, str | None, list[str]]]:
    spec = str(ROOT / "bench" / "specs" / "Counters.tla")
    cfg = str(ROOT / "bench" / "specs" / ("CountersSmall.cfg" if quick else "Counters.cfg"))
    raft = ["max_term=5"] if quick else ["max_term=9"]
    return {"tla": (spec, cfg, []), "raft": ("raft_model:correct", None, raft)}


def _take_the_cores(nice: int) -> None:
    """Give this process (and what it starts) priority ``nice`` against every other session's
    jobs: a session of its own, whose autogroup gets ``nice`` too (see the module's doc)."""
    if os.getsid(0) != os.getpid():
        try:
            os.setsid()
        except PermissionError:  # a process group leader: fork a child that is none
            pid = os.fork()
            if pid:
                _, status = os.waitpid(pid, 0)
                os._exit(os.waitstatus_to_exitcode(status))
            os.setsid()
    autogroup = Path("/proc/self/autogroup")
    if autogroup.exists():
        autogroup.write_text(f"{nice}\n")
    os.nice(nice - os.nice(0))


def _cpu() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def run(mode: str, model: Any, loader: Any) -> dict[str, Any]:
    info = ParallelStats()
    load = os.getloadavg()[0]
    cpu0, kids0 = _cpu()
    wall0 = time.monotonic()
    if mode == "1":
        result = check(model, CheckOptions())
    elif mode == "2":
        result = check_parallel(model, CheckOptions(), 2, stats_out=info)
    else:
        from checker.engine.cluster import ray_connect

        connect = ray_connect(loader, share=mode == "ray")
        result = check_parallel(model, CheckOptions(), 2, connect=connect, stats_out=info)
    wall = time.monotonic() - wall0
    cpu1, kids1 = _cpu()
    s = result.stats
    if mode.startswith("ray"):  # actors are not our children: their CPU as they report it
        cpu = (cpu1 - cpu0) + info.worker_cpu
    else:
        cpu = (cpu1 - cpu0) + (kids1 - kids0)
    return {
        "mode": mode,
        "wall": wall,
        "cpu": cpu,
        "coordinator": cpu1 - cpu0,
        "counts": (s.generated, s.distinct, s.depth, result.exit_code),
        "load": load,
        "info": info,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", choices=("tla", "raft", "all"), default="all")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--ray", action="store_true", help="also two Ray actors (pip install 'tlacheck[ray]')")
    parser.add_argument("--quick", action="store_true", help="small instances (a smoke test of this script)")
    parser.add_argument("--modes", help="the modes of a round, in order (default: 1,2 and with --ray ray,ray-owned)")
    parser.add_argument("--nice", type=int, help="run at this priority against the other sessions (root: -15)")
    args = parser.parse_args()
    if args.nice is not None:
        _take_the_cores(args.nice)
    targets = _targets(args.quick)
    names = list(targets) if args.target == "all" else [args.target]
    modes = args.modes.split(",") if args.modes else ["1", "2"] + (["ray", "ray-owned"] if args.ray else [])
    if modes[0] != "1" or not set(modes) <= {"1", "2", "ray", "ray-owned"}:
        raise SystemExit("--modes: 1 first (the base of the speed-ups), then some of 2, ray, ray-owned")
    args.ray = any(m.startswith("ray") for m in modes)
    if args.ray:
        os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # servers on 127.0.0.1 only
        import ray

        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{when}; cores: {os.cpu_count()}; rounds: {args.rounds}; nice: {os.nice(0)}; load: {os.getloadavg()}")
    print(
        "| target | distinct | mode | wall s | speed-up | CPU s | CPU / one's | idle speed-up | sent/state "
        "| bytes/state sent "
        "| batches/level | moved/state | restarts | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    try:
        for name in names:
            target, cfg, params = targets[name]
            loader = functools.partial(load_target, target, cfg, [], params)
            model = loader()
            for _ in range(args.rounds):
                rows = [run(mode, model, loader) for mode in modes]
                base = rows[0]
                for row in rows:
                    if row["counts"] != base["counts"]:
                        raise SystemExit(f"{name}: {row['mode']} gave {row['counts']}, one worker {base['counts']}")
                    info: ParallelStats = row["info"]
                    generated, distinct = base["counts"][:2]
                    sent = f"{info.sent / generated:.2f}" if info.levels else "-"
                    per = f"{info.sent_bytes / max(1, info.sent):.0f}" if info.levels else "-"
                    batches = f"{info.batches / info.levels:.1f}" if info.levels else "-"
                    cpu = f"{row['cpu']:.1f}"
                    ratio = f"{row['cpu'] / base['cpu']:.2f}"
                    # On idle cores: one worker's CPU over the busiest worker's CPU summed over
                    # the levels, plus the coordinator's (each level waits for its busiest).
                    path = info.critical_cpu + row["coordinator"] if info.levels else row["cpu"]
                    idle = f"{base['cpu'] / path:.2f}"
                    moved = f"{info.moved / distinct:.3f}" if info.levels else "-"
                    restarts = str(info.restarts) if info.levels else "-"
                    print(
                        f"| {name} | {distinct:,} | {row['mode']} | {row['wall']:.1f} | "
                        f"{base['wall'] / row['wall']:.2f} | {cpu} | {ratio} | {idle} | {sent} | {per} | {batches} | "
                        f"{moved} | {restarts} | {row['load']:.1f} |",
                        flush=True,
                    )
    finally:
        if args.ray:
            import ray

            ray.shutdown()


if __name__ == "__main__":
    main()
