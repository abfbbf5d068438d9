"""Conformance sweep: tlacheck against TLC 2.20 on every .cfg of tlaplus/Examples.

For each ``.cfg`` under ``specifications/`` the spec is the one the folder's
``manifest.json`` names for it, else the ``.tla`` of the same name. Both tools
run from the spec's folder with one worker, the same library path and a time
cap (60 s by default). TLC's results are slow to produce, so they are cached in
a JSON file kept outside the repository (``--tlc-cache``); a cfg missing from
the cache is run with TLC if ``--tlc-jar`` names a jar, else reported as "no TLC
result".

The comparison rule (issue 14): every model that TLC finishes within the cap
must give TLC's distinct / generated / depth, or TLC's verdict and trace length.
The only allowed difference is a coded error (``error[E...]``) that names what
is not supported; a different count or verdict, or exit 0 where TLC found
something, is a failure. One line per cfg, then a summary::

    python bench/examples_sweep.py --examples /work/ext/Examples \\
        --lib /work/ext/CommunityModules/modules --lib /work/ext/tlapm/library \\
        --tlc-cache /work/ext/sweep/tlc.json [--tlc-jar /opt/tlc/tla2tools.jar] \\
        [--only SUBSTRING] [--markdown docs/compat.md]

``--tlc-only`` fills the cache and stops (run it once, in the background). A cfg that
TLC did not finish under a smaller cap than ``--cap`` is run again with TLC (unless
``--tlc-missing-only``, which first fills the gaps only).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import fcntl
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

WALL_FACTOR = 8  # wall-clock limit, as a multiple of the CPU cap
TLC_LOCK = "/tmp/tlc-sweep.lock"
# Cfgs whose state graph is drawn at random (RandomElement in a constant), so that TLC's own
# counts change with its seed: there is no TLC answer to compare with. Measured with TLC 2.20,
# one worker, each with its seed -> distinct states.
TLC_RANDOM = {
    "specifications/SpanningTree/SpanTreeRandom.cfg": "TLC 2.20: -seed 1 -> 18,951; -seed 2 -> 240,806; "
    "the sweep's run -> 32,110 distinct states",
}
TLACHECK = [sys.executable, "-m", "checker.cli"]

GENERATED = re.compile(r"([\d,]+) states generated, ([\d,]+) distinct states found")
DEPTH = re.compile(r"The depth of the complete state graph search is ([\d,]+)")
STATE = re.compile(r"^State (\d+):", re.MULTILINE)
BACK_TO = re.compile(r"^Back to state (\d+)", re.MULTILINE)
CODED = re.compile(r"^.*error\[(E\d+)\]: .*$", re.MULTILINE)
TLC_VERSION = re.compile(r"TLC2 Version (\S+)")
# TLC rejects some cfgs by throwing this (exit 255, not its 151); tlacheck's cfg errors exit 151.
CONFIG_REJECTED = "tlc2.tool.ConfigFileException"
# Not one of TLC's exit codes: the JVM stopped (its metadir removed under it: "Error: when
# writing the disk"), no answer about the model.
TLC_CRASHED = 1
# Exit codes of a run killed by a signal, through the shell or the JVM: not an answer.
KILLED = frozenset(128 + sig for sig in (signal.SIGXCPU, signal.SIGTERM, signal.SIGKILL))


@dataclasses.dataclass
class Run:
    """What one tool said about one cfg."""

    exit: int | None  # None: timed out
    seconds: float
    generated: int | None = None
    distinct: int | None = None
    depth: int | None = None
    verdict: str = ""  # "ok", "invariant X", "deadlock", "assumption", "error ..."
    trace: int | None = None  # number of states in the counterexample
    message: str = ""  # first error line, for the report

    def figures(self) -> str:
        if self.exit is None:
            return f"timeout ({self.seconds:.0f}s)"
        if self.verdict == "ok":
            return f"ok {self.distinct}/{self.generated}/{self.depth}"
        if self.trace is not None:
            return f"{self.verdict} trace {self.trace}"
        return f"{self.verdict} exit {self.exit}"


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def _verdict(exit_code: int, out: str) -> str:
    """A tool-independent name for the outcome (TLC's and tlacheck's sentences are the same)."""
    if exit_code == 0:
        return "ok"
    match = re.search(r"Error: Invariant (\S+) is violated", out)
    if match:
        return f"invariant {match.group(1)}"
    match = re.search(r"Error: Action property (\S+) is violated", out)
    if match:
        return f"action property {match.group(1)}"
    if "Error: Deadlock reached" in out:
        return "deadlock"
    if "Temporal properties were violated" in out:
        return "liveness"
    if exit_code == 10 or re.search(r"Assumption .* is false", out):
        return "assumption"
    if exit_code == 14:
        return "assert"
    if exit_code == 151 or CONFIG_REJECTED in out:
        return "config error"
    return "error"


def _cut_short(run: Run, cap: float) -> bool:
    """Stopped by the wall-clock limit (a busy machine) well before its CPU cap: no answer yet."""
    return run.exit is None and run.seconds < cap * 0.9


def _cached_run(entry: dict[str, object], tlc: bool = False) -> Run:
    """A cached result; caches written before "config error" existed say "error" there."""
    run = Run(**entry["run"])  # type: ignore[arg-type]
    output = str(entry.get("output", ""))
    if run.exit in KILLED or (tlc and run.exit == TLC_CRASHED):
        run.exit = None
    if run.verdict == "error" and (run.exit == 151 or CONFIG_REJECTED in output):
        run.verdict = "config error"
    return run


def parse_output(exit_code: int | None, seconds: float, out: str) -> Run:
    """Read the counts, the verdict and the trace length from either tool's output."""
    run = Run(exit=exit_code, seconds=seconds)
    if exit_code is None:
        return run
    totals = GENERATED.findall(out)  # the last one: TLC's progress lines have the same words
    if totals:
        run.generated, run.distinct = _int(totals[-1][0]), _int(totals[-1][1])
    depth = DEPTH.search(out)
    if depth:
        run.depth = _int(depth.group(1))
    run.verdict = _verdict(exit_code, out)
    states = [int(n) for n in STATE.findall(out)]
    if states and run.verdict not in ("ok", "error", "config error"):
        run.trace = max(states) + (1 if BACK_TO.search(out) or "Stuttering" in out else 0)
    if run.verdict != "ok":
        coded = CODED.search(out)
        lines = [line for line in out.splitlines() if line.strip()]
        error_lines = [line for line in lines if "rror" in line]
        run.message = (coded.group(0) if coded else (error_lines or lines or [""])[0])[:200]
    return run


def find_models(examples: Path) -> list[tuple[Path, Path]]:
    """Every (spec, cfg) pair: as the manifests say, else the spec of the cfg's name."""
    spec_of: dict[Path, Path] = {}
    for manifest in sorted(examples.glob("specifications/*/manifest.json")):
        data = json.loads(manifest.read_text(encoding="utf-8"))
        for module in data.get("modules", []):
            for model in module.get("models", []):
                spec_of[(examples / model["path"]).resolve()] = (examples / module["path"]).resolve()
    pairs = []
    for cfg in sorted(examples.glob("specifications/**/*.cfg")):
        cfg = cfg.resolve()
        pairs.append((spec_of.get(cfg, cfg.with_suffix(".tla")), cfg))
    return pairs


def run_tool(
    command: list[str], cwd: Path, cap: float, env: dict[str, str] | None = None
) -> tuple[int | None, float, str]:
    """Run one tool; the cap is on CPU seconds (the machine is shared, wall time is noise).

    Returns the exit code (None when the cap was reached), the CPU seconds used and the output.
    """

    def limit_cpu() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (int(cap), int(cap) + 5))

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=cap * WALL_FACTOR,
            text=True,
            errors="replace",
            preexec_fn=limit_cpu,
        )
        exit_code: int | None = done.returncode
        out = done.stdout
    except subprocess.TimeoutExpired as timeout:
        partial = timeout.stdout or ""
        exit_code, out = None, partial.decode(errors="replace") if isinstance(partial, bytes) else partial
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if exit_code is not None and (exit_code < 0 or exit_code in KILLED or seconds >= cap):
        exit_code = None  # killed by the CPU limit (or by someone)
    return exit_code, seconds, out


def run_tlc(jar: Path, libs: list[Path], spec: Path, cfg: Path, cap: float) -> tuple[Run, str, str]:
    metadir = tempfile.mkdtemp(prefix="tlc-meta-sweep-")
    try:
        command = [
            "java",
            "-XX:+UseParallelGC",
            f"-DTLA-Library={':'.join(str(lib) for lib in libs)}",
            "-cp",
            str(jar),
            "tlc2.TLC",
            "-workers",
            "1",
            "-metadir",
            metadir,
            "-config",
            os.path.relpath(cfg, spec.parent),
            spec.name,
        ]
        with open(TLC_LOCK, "w") as lock:  # one TLC at a time on this machine
            fcntl.flock(lock, fcntl.LOCK_EX)
            exit_code, seconds, out = run_tool(command, spec.parent, cap)
    finally:
        shutil.rmtree(metadir, ignore_errors=True)
    version = TLC_VERSION.search(out)
    if exit_code == TLC_CRASHED:
        exit_code = None
    return parse_output(exit_code, seconds, out), version.group(1) if version else "", out


def run_tlacheck(libs: list[Path], spec: Path, cfg: Path, cap: float) -> tuple[Run, str]:
    repo = Path(__file__).resolve().parent.parent
    command = [*TLACHECK, "check", spec.name, "--config", os.path.relpath(cfg, spec.parent), "--quiet"]
    for lib in libs:
        command += ["--lib", str(lib)]
    env = dict(os.environ, PYTHONPATH=str(repo))
    exit_code, seconds, out = run_tool(command, spec.parent, cap, env)
    return parse_output(exit_code, seconds, out), out


# Cfgs whose liveness counterexample TLC prints with a length that changes with its random
# fingerprint polynomial ("-fp N"): the trace lengths (states and "Back to state k") TLC 2.20
# printed over -fp 0, 1, 2, 3, 5, 8, 13, 21, 36, 50, 77 and 100. Any of them is TLC's answer.
TLC_LASSOS = {
    # 4, 5 or 6 states, then "Back to state 2".
    "specifications/FiniteMonotonic/MCDistributedReplicatedLog.cfg": frozenset({5, 6, 7}),
}


def compare(tlc: Run | None, ours: Run, key: str = "") -> str:
    """The outcome of one cfg:

    - ``equal``: TLC's counts and depth, or its verdict and trace length;
    - ``equal error``: TLC rejected the model (parse, config, evaluation error) and so do we,
      with the same exit code, or both reject the cfg (TLC says so with exit 151 or by throwing
      a ConfigFileException, exit 255; tlacheck with its exit 151);
    - ``unsupported``: a coded error saying what is not supported (the allowed difference);
    - ``differs``: another count, verdict or trace length (a failure);
    - ``wrong error``: an error where TLC had none, or another exit code (a failure);
    - ``timeout``: tlacheck reached the cap; ``tlc timeout``: TLC did (not compared);
    - ``tlc random`` (set by ``main``): TLC's counts change with its random seed
      (``TLC_RANDOM``): not compared;
    - ``cut short``, ``tlc cut short`` (set by ``main``): stopped by the wall-clock limit
      (``WALL_FACTOR`` times the cap) well before the CPU cap, on a busy machine: no answer yet;
    - ``no tlc``: no TLC result in the cache.
    """
    if tlc is None:
        return "no tlc"
    if tlc.exit is None:
        return "tlc timeout"
    if ours.exit is None:
        return "timeout"
    failed = ("error", "config error")
    if ours.verdict in failed and ours.exit != tlc.exit and "is not supported" in ours.message:
        return "unsupported"
    if tlc.verdict == ours.verdict == "config error":
        return "equal error"  # both reject the cfg (TLC may say so with exit 255)
    if tlc.verdict in failed or ours.verdict in failed:
        return "equal error" if ours.exit == tlc.exit else "wrong error"
    if tlc.verdict != ours.verdict:
        return "differs"
    if tlc.verdict == "ok":
        same = (tlc.distinct, tlc.generated, tlc.depth) == (ours.distinct, ours.generated, ours.depth)
        return "equal" if same else "differs"
    return "equal" if tlc.trace == ours.trace or ours.trace in TLC_LASSOS.get(key, ()) else "differs"


def load_cache(path: Path) -> dict[str, dict[str, object]]:
    if path.exists():
        data: dict[str, dict[str, object]] = json.loads(path.read_text(encoding="utf-8"))
        return data
    return {}


def save_cache(path: Path, cache: dict[str, dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(cache, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--examples", type=Path, default=Path(os.environ.get("TLA_EXAMPLES", "/work/ext/Examples"))
    )
    parser.add_argument("--lib", type=Path, action="append", default=[])
    parser.add_argument(
        "--tlc-cache", type=Path, required=True, help="JSON file of TLC's results (kept outside the repo)"
    )
    parser.add_argument("--tlc-jar", type=Path, help="run TLC for cfgs missing from the cache")
    parser.add_argument("--tlc-only", action="store_true", help="only fill the TLC cache")
    parser.add_argument(
        "--tlc-missing-only",
        action="store_true",
        help="run TLC only for cfgs missing from the cache, not again for those that timed out under a smaller cap",
    )
    parser.add_argument("--cap", type=float, default=60.0, help="CPU seconds per run (default 60)")
    parser.add_argument(
        "--only", action="append", default=[], help="cfgs whose path contains this (repeatable)"
    )
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown")
    parser.add_argument(
        "--ours-cache", type=Path, help="JSON file of tlacheck's results: reused, so a sweep can be resumed"
    )
    parser.add_argument("--rerun", action="store_true", help="run tlacheck again even if --ours-cache has it")
    parser.add_argument("--skip-missing", action="store_true", help="skip cfgs that have no TLC result yet")
    parser.add_argument(
        "--keep-cut-short",
        action="store_true",
        help="do not run tlacheck again where its cached run was cut short by the wall-clock limit",
    )
    parser.add_argument(
        "--cached-only", action="store_true", help="report only cfgs that both caches hold (run nothing)"
    )
    args = parser.parse_args(argv)

    examples = args.examples.resolve()
    cache = load_cache(args.tlc_cache)
    ours_cache = load_cache(args.ours_cache) if args.ours_cache else {}
    pairs = [
        (spec, cfg)
        for spec, cfg in find_models(examples)
        if not args.only or any(part in str(cfg) for part in args.only)
    ]
    rows: list[tuple[str, str, Run | None, Run | None]] = []
    counts: dict[str, int] = {}
    for spec, cfg in pairs:
        key = str(cfg.relative_to(examples))
        name = f"{key} ({spec.name})" if spec.stem != cfg.stem else key
        tlc: Run | None = None
        if key in cache:
            tlc = _cached_run(cache[key], tlc=True)
        if (
            args.tlc_jar
            and spec.exists()
            and (tlc is None or (not args.tlc_missing_only and _cut_short(tlc, args.cap)))
        ):
            # Not run yet, or timed out under a smaller cap than this one.
            tlc, version, out = run_tlc(args.tlc_jar, args.lib, spec, cfg, args.cap)
            cache[key] = {
                "run": dataclasses.asdict(tlc),
                "version": version,
                "spec": str(spec.relative_to(examples)),
                "output": out[-6000:],
            }
            save_cache(args.tlc_cache, cache)
        if args.tlc_only:
            print(f"{name}: TLC {tlc.figures() if tlc else 'no spec'}", flush=True)
            continue
        if not spec.exists():
            rows.append((name, "no spec", tlc, None))
            counts["no spec"] = counts.get("no spec", 0) + 1
            print(f"{name}: no spec {spec.name}", flush=True)
            continue
        if tlc is None and (args.skip_missing or args.cached_only):
            continue
        if args.cached_only and key not in ours_cache and tlc is not None and tlc.exit is not None:
            continue
        if key in TLC_RANDOM:
            outcome, ours = "tlc random", None
        elif tlc is not None and tlc.exit is None:
            outcome, ours = "tlc cut short" if _cut_short(tlc, args.cap) else "tlc timeout", None
        elif (
            key in ours_cache
            and not args.rerun
            and (args.keep_cut_short or not _cut_short(_cached_run(ours_cache[key]), args.cap))
        ):
            ours = _cached_run(ours_cache[key])
            outcome = compare(tlc, ours, key)
        elif args.cached_only:
            ours = _cached_run(ours_cache[key])
            outcome = "cut short"  # stopped by the wall-clock limit before its CPU cap: run it again
        else:
            ours, out = run_tlacheck(args.lib, spec, cfg, args.cap)
            outcome = compare(tlc, ours, key)
            if args.ours_cache:
                ours_cache[key] = {"run": dataclasses.asdict(ours), "output": out[-6000:]}
                save_cache(args.ours_cache, ours_cache)
        counts[outcome] = counts.get(outcome, 0) + 1
        rows.append((name, outcome, tlc, ours))
        tlc_text = tlc.figures() if tlc else "-"
        ours_text = ours.figures() if ours else "-"
        detail = f"  [{ours.message}]" if ours and ours.message and outcome != "equal" else ""
        print(f"{name}: {outcome}: TLC {tlc_text} | tlacheck {ours_text}{detail}", flush=True)
    if args.tlc_only:
        return 0
    finished = sum(
        n
        for outcome, n in counts.items()
        if outcome not in ("tlc timeout", "tlc cut short", "tlc random", "no tlc", "no spec", "cut short")
    )
    equal = counts.get("equal", 0) + counts.get("equal error", 0)
    print()
    print(f"{len(rows)} cfgs; TLC finished {finished} within {args.cap:.0f}s; equal to TLC: {equal}")
    for outcome in sorted(counts):
        print(f"  {outcome}: {counts[outcome]}")
    if args.markdown:
        versions = sorted({str(entry.get("version", "")) for entry in cache.values()} - {""})
        write_markdown(args.markdown, rows, counts, finished, equal, versions, args.cap)
    return 0


def write_markdown(
    path: Path,
    rows: list[tuple[str, str, Run | None, Run | None]],
    counts: dict[str, int],
    finished: int,
    equal: int,
    versions: list[str],
    cap: float,
) -> None:
    today = datetime.date.today().isoformat()
    lines = [
        "# Compatibility with TLC on tlaplus/Examples",
        "",
        f"Generated by `bench/examples_sweep.py` on {today}, against TLC {', '.join(versions) or '?'} "
        f"(one worker, {cap:.0f} s cap per model, CommunityModules and tlapm's `library/` on the path).",
        "Figures are distinct/generated/depth, or the verdict and the length of the counterexample.",
        "",
        f"{len(rows)} cfgs; TLC finished {finished} within {cap:.0f} s; {equal} of them equal to TLC.",
        "",
        "| outcome | cfgs |",
        "|---|---|",
        *(f"| {outcome} | {n} |" for outcome, n in sorted(counts.items())),
        "",
        "| cfg | outcome | TLC | tlacheck |",
        "|---|---|---|---|",
    ]
    for name, outcome, tlc, ours in rows:
        ours_text = ours.figures() if ours else TLC_RANDOM.get(name.split(" ")[0], "-")
        if ours and ours.message and outcome not in ("equal", "equal error"):
            ours_text += f" `{ours.message.replace('|', '/').replace('`', '')[:120]}`"
        lines.append(f"| {name} | {outcome} | {tlc.figures() if tlc else '-'} | {ours_text} |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
