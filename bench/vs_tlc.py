"""tlacheck against TLC 2.20 with one worker, side by side, on real specs (issue 23).

    .venv/bin/python bench/vs_tlc.py                      # every spec, 1 round
    .venv/bin/python bench/vs_tlc.py --rounds 3 --only paxos
    .venv/bin/python bench/vs_tlc.py --small             # smaller constants where a spec takes minutes
                                                         # (not the issue's figures: TLC's JVM start dominates)
    .venv/bin/python bench/vs_tlc.py --only paxos --nice -15   # (as root) the cores, against other sessions

For each spec both tools run as a user runs them (a fresh process, from the spec's
folder, the same cfg and library path; TLC as shared/docs/tlc.md says: one worker,
``-XX:+UseParallelGC``), one after the other, for ``--rounds`` rounds. The counts
(generated, distinct, depth) must be equal: the script stops if they are not. The
figure is the ratio of wall times, tlacheck over TLC, for each round and the
median of the rounds: below 1.0 tlacheck is the faster. Wall time includes each
tool's start (Python's imports and the spec's compilation; the JVM's start and
SANY), since a user waits for both. The machine is shared, so absolute seconds
mean little; the ratio of two runs made a moment apart means more, and rounds
alternate which tool goes first. ``--nice -15`` (as root) runs the whole round in a session
of its own whose autogroup has that priority, as ``bench/parallel.py --nice`` does (see its
doc: with the kernel's autogroups, ``nice -n -15`` alone does not weigh against the other
sessions' jobs); both tools then run at that priority. Only for a measurement of minutes.

Python's bytecode of tlacheck is compiled once first (``compileall``), as TLC's classes are
in its jar: a user's first run of an installed tool writes it, but an environment with
``PYTHONDONTWRITEBYTECODE=1`` (these machines set it) would otherwise compile every changed
module of tlacheck again at each run, about 0.3 s of each start.

Without ``java`` or the jar (``--tlc-jar``, default ``$TLC_JAR`` or
/opt/tlc/tla2tools.jar) the script says so and exits 0; without the
tlaplus/Examples checkout (``--examples``, default ``$TLA_EXAMPLES`` or
/work/ext/Examples) it runs this repository's specs only. Every TLC run holds the
lock file the Examples sweep uses, so only one TLC runs at a time on this machine.

The specs (issue 23's list): six models of tlaplus/Examples with their own cfg,
and this repository's Raft (5 servers, MaxTerm 3, symmetry) and Paxos (ballots
0..2, with and without symmetry); then four cfgs of tlaplus/Examples that timed out in
the conformance sweep (MCBinarySearch, MCQuicksort, MCBakery, GameOfLife). Figures are
in docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import fcntl
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from parallel import _take_the_cores  # noqa: E402

TLC_LOCK = "/tmp/tlc-sweep.lock"  # shared with bench/examples_sweep.py
GENERATED = re.compile(r"([\d,]+) states generated, ([\d,]+) distinct states found")
DEPTH = re.compile(r"The depth of the complete state graph search is ([\d,]+)")


@dataclasses.dataclass(frozen=True)
class Case:
    """One spec and cfg; ``folder`` is relative to the Examples checkout, or to this repository."""

    name: str
    folder: str
    spec: str
    cfg: str
    examples: bool = True
    # With --small: (old, new) replacements in the cfg's text, for a spec too big for a quick run.
    small: tuple[tuple[str, str], ...] = ()


SLUSH_TWO_NODES = (
    ("Node = {n1, n2, n3}", "Node = {n1, n2}"),
    ("SlushLoopProcess = {l1, l2, l3}", "SlushLoopProcess = {l1, l2}"),
    ("SlushQueryProcess = {q1, q2, q3}", "SlushQueryProcess = {q1, q2}"),
    (
        "HostMapping = {{n1, l1, q1}, {n2, l2, q2}, {n3, l3, q3}}",
        "HostMapping = {{n1, l1, q1}, {n2, l2, q2}}",
    ),
    ("SampleSetSize = 2", "SampleSetSize = 1"),
    ("PickFlipThreshold = 2", "PickFlipThreshold = 1"),
)

CASES = [
    Case("ACP_SB_TLC", "specifications/acp", "ACP_SB_TLC.tla", "ACP_SB_TLC.cfg"),
    Case("btree", "specifications/btree", "btree.tla", "btree.cfg", small=(("Vals = {x,y,z}", "Vals = {x,y}"),)),
    Case("SimpleRegular", "specifications/TeachingConcurrency", "SimpleRegular.tla", "SimpleRegular.cfg",
         small=(("N = 8", "N = 7"),)),
    Case("SlushSmall", "specifications/SlushProtocol", "Slush.tla", "SlushSmall.cfg", small=SLUSH_TWO_NODES),
    Case("MultiPaxos_MC_small", "specifications/MultiPaxos-SMR", "MultiPaxos_MC.tla", "MultiPaxos_MC_small.cfg",
         small=(("Reads = {r1}", "Reads = {}"),)),
    Case("TokenRing", "specifications/ewd426", "TokenRing.tla", "TokenRing.cfg"),
    Case("raft5", "specs/raft", "MCRaft.tla", "MCRaft_correct5.cfg", examples=False),
    Case("paxos_ballots2_symmetry", "specs/paxos", "MCPaxos.tla", "MCPaxos_ballots2_symmetry.cfg", examples=False),
    Case("paxos_ballots2", "specs/paxos", "MCPaxos.tla", "MCPaxos_ballots2.cfg", examples=False),
    # Cfgs of the conformance sweep that TLC finishes within 60 s of CPU and tlacheck did not.
    Case("MCBinarySearch", "specifications/LoopInvariance", "MCBinarySearch.tla", "MCBinarySearch.cfg"),
    Case("MCQuicksort", "specifications/LoopInvariance", "MCQuicksort.tla", "MCQuicksort.cfg"),
    Case("MCBakery", "specifications/Bakery-Boulangerie", "MCBakery.tla", "MCBakery.cfg"),
    Case("GameOfLife", "specifications/GameOfLife", "GameOfLife.tla", "GameOfLife.cfg"),
]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Run:
    wall: float
    counts: tuple[int, int, int]  # generated, distinct, depth


class Failed(Exception):
    """A tool did not finish normally; the message holds the end of its output."""


def run(command: list[str], cwd: Path, timeout: float) -> Run:
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            errors="replace", timeout=timeout,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise Failed(f"{command[0]} took more than {timeout:.0f} s") from exc
    wall = time.perf_counter() - start
    totals, depth = GENERATED.findall(done.stdout), DEPTH.search(done.stdout)
    if done.returncode != 0 or not totals or depth is None:
        raise Failed(f"exit {done.returncode}:\n{done.stdout[-1500:]}")
    generated, distinct = (int(n.replace(",", "")) for n in totals[-1])
    return Run(wall, (generated, distinct, int(depth.group(1).replace(",", ""))))


def run_tlacheck(folder: Path, case: Case, cfg: str, libs: list[Path], timeout: float) -> Run:
    command = [sys.executable, "-m", "checker.cli", "check", case.spec, "--config", cfg, "--quiet"]
    for lib in libs:
        command += ["--lib", str(lib)]
    return run(command, folder, timeout)


def run_tlc(jar: Path, folder: Path, case: Case, cfg: str, libs: list[Path], timeout: float) -> Run:
    metadir = tempfile.mkdtemp(prefix="tlc-meta-vs-")
    command = [
        "java", "-XX:+UseParallelGC", f"-DTLA-Library={':'.join(map(str, libs))}", "-cp", str(jar),
        "tlc2.TLC", "-workers", "1", "-metadir", metadir, "-config", cfg, case.spec,
    ]  # fmt: skip
    try:
        with open(TLC_LOCK, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return run(command, folder, timeout)
    finally:
        shutil.rmtree(metadir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds per spec (default 1)")
    parser.add_argument("--only", action="append", default=[], help="run the specs whose name contains this")
    parser.add_argument(
        "--tlc-jar", type=Path, default=Path(os.environ.get("TLC_JAR", "/opt/tlc/tla2tools.jar"))
    )
    parser.add_argument(
        "--examples", type=Path, default=Path(os.environ.get("TLA_EXAMPLES", "/work/ext/Examples"))
    )
    parser.add_argument(
        "--lib", type=Path, action="append",
        help="library folder for both tools (default: /work/ext/CommunityModules/modules and /work/ext/tlapm/library)",
    )  # fmt: skip
    parser.add_argument(
        "--small", action="store_true",
        help="smaller constants for the four specs that take minutes (see CASES); the others as they are",
    )  # fmt: skip
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per run (default 1200)")
    parser.add_argument("--nice", type=int, help="run at this priority against the other sessions (root: -15)")
    args = parser.parse_args()
    if args.nice is not None:
        _take_the_cores(args.nice)
        print(f"nice {os.nice(0)}, load {os.getloadavg()}", flush=True)
    if shutil.which("java") is None or not args.tlc_jar.is_file():
        print(f"skipped: needs `java` on PATH and TLC's jar at {args.tlc_jar} (--tlc-jar or TLC_JAR)")
        return 0
    libs = args.lib or [Path("/work/ext/CommunityModules/modules"), Path("/work/ext/tlapm/library")]
    libs = [lib for lib in libs if lib.is_dir()]
    cases = [c for c in CASES if not args.only or any(o in c.name for o in args.only)]
    if not args.examples.is_dir():
        print(
            f"no tlaplus/Examples checkout at {args.examples} (--examples or TLA_EXAMPLES): its specs are skipped"
        )
        cases = [c for c in cases if not c.examples]

    # tlacheck's bytecode, as a run that may write it leaves it (see the module's doc).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "checker")], check=True)
    rows: list[tuple[str, tuple[int, int, int], list[Run], list[Run], list[float]]] = []
    scratch = tempfile.TemporaryDirectory(prefix="vs-tlc-")
    for case in cases:
        folder = (args.examples if case.examples else ROOT) / case.folder
        cfg = case.cfg
        if args.small and case.small:
            text = (folder / case.cfg).read_text(encoding="utf-8")
            for old, new in case.small:
                assert old in text, (case.name, old)
                text = text.replace(old, new)
            cfg = str(Path(scratch.name) / f"{case.name}_small.cfg")
            Path(cfg).write_text(text, encoding="utf-8")
        ours: list[Run] = []
        theirs: list[Run] = []
        ratios: list[float] = []
        try:
            for round_ in range(max(1, args.rounds)):
                # Alternate who goes first, so a slow spell of the machine falls on both.
                if round_ % 2 == 0:
                    a = run_tlacheck(folder, case, cfg, libs, args.timeout)
                    b = run_tlc(args.tlc_jar, folder, case, cfg, libs, args.timeout)
                else:
                    b = run_tlc(args.tlc_jar, folder, case, cfg, libs, args.timeout)
                    a = run_tlacheck(folder, case, cfg, libs, args.timeout)
                if a.counts != b.counts:
                    raise Failed(
                        f"counts differ: tlacheck {a.counts}, TLC {b.counts} (generated, distinct, depth)"
                    )
                ours.append(a)
                theirs.append(b)
                ratios.append(a.wall / b.wall)
                print(
                    f"{case.name:<24} round {round_ + 1}: tlacheck {a.wall:7.1f} s  TLC {b.wall:7.1f} s"
                    f"  ratio {ratios[-1]:5.2f}   {a.counts[0]:,} generated {a.counts[1]:,} distinct depth {a.counts[2]}",
                    flush=True,
                )  # fmt: skip
        except Failed as failure:
            print(f"{case.name}: FAILED: {failure}", flush=True)
            return 1
        rows.append(
            (case.name + (" (small)" if cfg != case.cfg else ""), ours[0].counts, ours, theirs, ratios)
        )

    print()
    print("| spec | generated | distinct | depth | tlacheck s | TLC s | ratio (median) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (gen, dist, depth), ours, theirs, ratios in rows:
        print(
            f"| {name} | {gen:,} | {dist:,} | {depth} | {statistics.median(r.wall for r in ours):.1f}"
            f" | {statistics.median(r.wall for r in theirs):.1f} | {statistics.median(ratios):.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
