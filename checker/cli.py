"""The ``tlacheck`` command line (shared/DESIGN.md §5). The only module that prints and exits.

    tlacheck check SPEC.tla [--config SPEC.cfg] | module:attribute [-p name=value ...]
    tlacheck prove SPEC.tla --inv IndInv [--config SPEC.cfg]
    tlacheck render TRACE.itf.json --format svg|png|html|dot|txt [-o FILE]

Exit codes are TLC's: 0 no error, 10 assumption, 11 deadlock, 12 safety
violation, 13 liveness, 150 spec error, 151 config error, 153 internal fault,
75 any other failure (including Ctrl-C).
"""

from __future__ import annotations

import argparse
import atexit
import dataclasses
import difflib
import functools
import importlib
import inspect
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from checker import __version__
from checker.engine import CheckOptions, Progress, check
from checker.engine.result import CheckResult
from checker.errors import ConfigError, InternalError, ModelError, TlacheckError, UsageError
from checker.views.text import format_coverage, format_result, format_trace, format_violation

EXAMPLES = """\
examples:
  tlacheck check specs/diehard/DieHard.tla
  tlacheck check specs/paxos/MCPaxos.tla --config specs/paxos/MCPaxos.cfg
  tlacheck check raft_model:ghost_commit
  tlacheck check raft_model:correct -p servers=5 -p max_term=3
  tlacheck check paxos_model:any_value --trace-out trace.html
  tlacheck prove specs/paxos/PaxosInductive.tla --inv IndInv
  tlacheck infer specs/twophase/TwoPhase.tla --inv TCConsistent
  tlacheck render trace.itf.json --format svg -o trace.svg

exit codes (TLC's): 0 ok, 10 assumption, 11 deadlock, 12 safety violation,
13 liveness, 150 spec error, 151 config error, 153 internal fault, 75 other;
and 2: a usage error (the command line itself).

TLC's own spellings work too: -config F, -workers N|auto, -deadlock, -continue,
-coverage N, -difftrace, -metadir D, ... (see docs/guide/cli.md).
"""


class _Parser(argparse.ArgumentParser):
    """argparse's parser whose usage errors are raised as ``UsageError`` (exit 2), in argparse's
    words, instead of being printed and exited from the middle of parsing; its subcommands'
    parsers are of this class too (argparse makes them of the parent's class)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.format_usage()}{self.prog}: error: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tlacheck",
        description="An explicit-state model checker for TLA+ specs and Python models.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tlacheck {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    c = sub.add_parser(
        "check",
        help="explore every reachable state (breadth first) and check the properties",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument("target", help="SPEC.tla, or a Python model as module:attribute")
    c.add_argument("--config", "-c", help="TLC .cfg file (default: SPEC.cfg beside the spec)")
    c.add_argument(
        "--lib", action="append", default=[], help="a folder of modules to EXTEND/INSTANCE (repeatable)"
    )
    c.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter of a Python model factory (repeatable)",
    )
    c.add_argument(
        "--workers",
        type=_workers,
        default=1,
        metavar="N|auto",
        help="search with N processes (auto: one per core), with the counts and the trace of one; "
        "with --simulate, N independent walkers (seeds S..S+N-1)",
    )
    c.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="search on a Ray cluster, one actor per shard: ray://HOST:PORT, HOST:PORT, auto (the one "
        "'ray start --head' started here) or local (a new one on this machine); needs tlacheck[ray]",
    )
    c.add_argument("--no-deadlock", action="store_true", help="do not report states without successors")
    c.add_argument("--max-depth", type=int, help="do not expand states at this BFS depth")
    c.add_argument(
        "--continue",
        dest="keep_going",
        action="store_true",
        help="go on after a violation and report every violated property",
    )
    c.add_argument("--no-symmetry", action="store_true", help="ignore the model's symmetry")
    c.add_argument(
        "--skip-liveness",
        action="store_true",
        help="skip the temporal properties tlacheck cannot check, with a warning (else an error)",
    )
    c.add_argument("--coverage", action="store_true", help="print per-action coverage")
    states = c.add_mutually_exclusive_group()
    states.add_argument(
        "--exact",
        dest="exact",
        action="store_const",
        const=True,
        help="store whole states in RAM, not 64-bit fingerprints (no collision at all)",
    )
    states.add_argument(
        "--fingerprints",
        dest="exact",
        action="store_const",
        const=False,
        help="store 64-bit fingerprints only (the default, unless a Python model sets exact_states)",
    )
    c.add_argument(
        "--checkpoint",
        metavar="DIR",
        help="write a checkpoint to DIR every --checkpoint-minutes and on Ctrl-C or SIGTERM",
    )
    c.add_argument(
        "--checkpoint-minutes",
        type=float,
        default=30.0,
        metavar="N",
        help="minutes between checkpoints, taken at BFS level boundaries (default 30)",
    )
    c.add_argument(
        "--recover",
        metavar="DIR",
        help="resume the search from the checkpoint in DIR (and keep checkpointing there)",
    )
    c.add_argument(
        "--trace-out",
        metavar="FILE",
        help="also write the counterexample; the suffix picks the form (.txt .itf.json .dot .svg .png .html)",
    )
    c.add_argument("--diff", action="store_true", help="in traces, show only what changed at each step")
    _view_option(c)
    c.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    c.add_argument("--debug", action="store_true", help="show Python tracebacks")
    _add_simulation_options(c)

    p = sub.add_parser("prove", help="use Z3 to check that an invariant is inductive")
    p.add_argument("spec", help="SPEC.tla")
    p.add_argument("--inv", required=True, help="the candidate inductive invariant")
    p.add_argument("--config", "-c", help="TLC .cfg file (default: SPEC.cfg beside the spec)")
    p.add_argument(
        "--lib", action="append", default=[], help="a folder of modules to EXTEND/INSTANCE (repeatable)"
    )
    p.add_argument("--reach-depth", type=int, help="search for the CTI's first state up to this depth")
    p.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help="give Z3 at most this long per query; a query it gives up on makes the result unknown (exit 75)",
    )
    p.add_argument(
        "--reach-seconds",
        type=_seconds,
        metavar="SECONDS",
        help="stop the cross-checking BFS after this long (default: as long as Z3 took, 0.25 to 2 s)",
    )
    p.add_argument("--trace-out", metavar="FILE", help="write the counterexample-to-induction")
    _view_option(p)
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr (a terminal)")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks")

    f = sub.add_parser("infer", help="search for an inductive invariant that implies a safety property")
    f.add_argument("spec", help="SPEC.tla")
    f.add_argument("--inv", required=True, help="the safety property to strengthen")
    f.add_argument("--config", "-c", help="TLC .cfg file (default: SPEC.cfg beside the spec)")
    f.add_argument(
        "--lib", action="append", default=[], help="a folder of modules to EXTEND/INSTANCE (repeatable)"
    )
    f.add_argument("--type", help="the type invariant (default: the name ending in TypeOK)")
    f.add_argument("--size", type=int, default=3, help="literals per candidate lemma, at most (default 3)")
    f.add_argument("--timeout", type=_seconds, metavar="SECONDS", help="give up after this long (exit 75)")
    f.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    f.add_argument("--debug", action="store_true", help="show Python tracebacks")

    r = sub.add_parser("render", help="draw a trace file (ITF JSON) as text or a picture")
    r.add_argument("trace", help="TRACE.itf.json")
    r.add_argument(
        "--format",
        "-f",
        default="txt",
        choices=["txt", "dot", "svg", "png", "html", "itf"],
        help="the form to write (default: txt, or what -o's suffix names)",
    )
    r.add_argument("-o", "--output", help="output file (default: beside the trace)")
    r.add_argument("--diff", action="store_true", help="in text, show only what changed at each step")
    _view_option(r)
    r.add_argument("--debug", action="store_true", help="show Python tracebacks")

    e = sub.add_parser("explore", help="walk the state space by hand in a browser (a page on 127.0.0.1)")
    e.add_argument("target", help="SPEC.tla, or a Python model as module:attribute")
    e.add_argument("--config", "-c", help="TLC .cfg file (default: SPEC.cfg beside the spec)")
    e.add_argument("--lib", action="append", default=[], help="a folder of modules to EXTEND/INSTANCE")
    e.add_argument(
        "-p", "--param", action="append", default=[], metavar="NAME=VALUE", help="a model parameter"
    )
    e.add_argument("--port", type=int, default=8470, help="the port on 127.0.0.1 (default 8470; 0: any free)")
    e.add_argument(
        "--no-check", action="store_true", help="do not run a check first to offer its counterexample"
    )
    e.add_argument("--trace", metavar="FILE", help="an ITF trace (a CTI) to start from; TLA+ specs only")
    _view_option(e)
    e.add_argument("--debug", action="store_true", help="show Python tracebacks")
    return parser


def _view_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--view",
        metavar="NAME",
        help="the domain picture of each step: raft, paxos, none, or MODULE:FUNCTION "
        "(default: the model's own, else chosen by the variables' names)",
    )


def _workers(text: str) -> int:
    if text == "auto":
        return 0
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of workers or 'auto', not {text!r}")
    return value


def _add_simulation_options(c: argparse.ArgumentParser) -> None:
    sim = c.add_argument_group("random simulation (TLC's -simulate; docs/guide/simulation.md)")
    sim.add_argument("--simulate", action="store_true", help="check random behaviours instead of every state")
    sim.add_argument(
        "--depth", type=_positive, metavar="D", help="states per behaviour at most (default 100)"
    )
    sim.add_argument("--seed", type=int, metavar="S", help="the random seed (default: a fresh one, printed)")
    sim.add_argument("--num", type=_positive, metavar="N", help="stop after N behaviours")
    sim.add_argument("--duration", type=_seconds, metavar="SECONDS", help="stop after this long")
    sim.add_argument(
        "--simulate-out", metavar="DIR", help="write every behaviour as ITF and a TLC trace module"
    )
    sim.add_argument(
        "--shrink", action="store_true", help="search for a shorter counterexample once one is found"
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, not {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, not {text!r}")
    return value


STACK_BYTES = 512 * 1024 * 1024
RECURSION_LIMIT = 20_000
"""The compiler inlines operators recursively (about ten Python frames per level: a chain of
100 definitions needs 1,000), and specs nest; so the command runs on a thread with a large
stack and a recursion limit far above Python's 1,000 (the stack is reserved, not used)."""


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit code (TLC's, see the module's docstring)."""
    outcome: list[int] = [InternalError.exit_code]
    exited: list[SystemExit] = []
    done = threading.Event()  # not Thread.join: in Python 3.11 a join cut by Ctrl-C breaks is_alive

    def run() -> None:
        try:
            outcome[0] = _main(argv)
        except SystemExit as exc:  # argparse: --help or --version (0)
            exited.append(exc)
        finally:
            done.set()

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, RECURSION_LIMIT))
    try:
        code = _wait_for(run, done, outcome)
    finally:
        sys.setrecursionlimit(limit)
    if exited:
        raise exited[0]  # as argparse does, on the caller's thread
    return code


def _wait_for(run: Callable[[], None], done: threading.Event, outcome: list[int]) -> int:
    previous = threading.stack_size(STACK_BYTES)
    try:
        worker = threading.Thread(target=run, name="tlacheck", daemon=True)
        worker.start()
    except RuntimeError:  # no thread (a process limit): run here, with Python's own stack
        sys.setrecursionlimit(1_000)
        run()
        return outcome[0]
    finally:
        threading.stack_size(previous)
    interrupted = False
    while not done.is_set():
        try:
            done.wait(0.25)
        except KeyboardInterrupt:
            # Ctrl-C reaches the main thread only: hand it to the worker, which reports the
            # states explored so far (exit 75); a second Ctrl-C ends at once.
            if interrupted:
                print("Interrupted.", file=sys.stderr)
                return 75
            interrupted = True
            _raise_in(worker, KeyboardInterrupt)
    return outcome[0]


def _raise_in(thread: threading.Thread, exc: type[BaseException]) -> None:
    import ctypes

    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(exc))


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    try:
        words, notes = translate_tlc_flags(sys.argv[1:] if argv is None else argv, parser)
        args = parser.parse_args(words)
    except UsageError as exc:
        _print_error(exc)
        return exc.exit_code
    for note in notes:
        print(f"Note: {note}", file=sys.stderr)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "prove":
            return _prove(args)
        if args.command == "infer":
            return _infer(args)
        if args.command == "explore":
            return _explore(args)
        return _render(args)
    except TlacheckError as exc:
        if getattr(args, "debug", False):
            traceback.print_exc()
        _print_error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 75
    except BrokenPipeError:
        # The reader (`| head`) went away: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 75
    except MemoryError:
        print("Error: out of memory.", file=sys.stderr)
        return 153
    except RecursionError:
        # Deeper than RECURSION_LIMIT even so: while loading, the spec nests too deeply (TLC's
        # parser has its limits too); while checking, the evaluation does.
        if getattr(args, "debug", False):
            traceback.print_exc()
        stage = getattr(args, "stage", "input")
        print(
            f"error[E190]: the {stage} nests too deeply for tlacheck "
            f"(more than {RECURSION_LIMIT:,} levels of Python calls).",
            file=sys.stderr,
        )
        return 150 if stage == "spec" else 75
    except Exception as exc:  # an internal fault: say so plainly
        if getattr(args, "debug", False):
            traceback.print_exc()
        print(
            f"Internal error: {type(exc).__name__}: {exc}\n"
            "This is a fault of tlacheck, not of your model. Run again with --debug for "
            "the traceback and report it.",
            file=sys.stderr,
        )
        return InternalError.exit_code


# -- TLC's spellings of the options -----------------------------------------------------------

# TLC spells its options with one dash (`-config X.cfg`, `-deadlock`); argparse would read
# `-continue` as `-c ontinue`. So, before argparse, each TLC flag is translated to our long
# form, or dropped with a note where it has no meaning here. Name -> (our option or None,
# how many values follow it, the note printed when it is dropped or partly honoured).
TLC_FLAGS: dict[str, tuple[str | None, int, str | None]] = {
    "-config": ("--config", 1, None),
    "-workers": ("--workers", 1, None),
    "-deadlock": ("--no-deadlock", 0, None),
    "-continue": ("--continue", 0, None),
    "-coverage": (
        "--coverage",
        1,
        "-coverage N: coverage is printed once, at the end (TLC: every N minutes)",
    ),
    "-difftrace": ("--diff", 0, None),
    "-depth": ("--depth", 1, None),
    "-seed": ("--seed", 1, None),
    "-simulate": ("--simulate", 0, None),
    # TLC's -checkpoint N is minutes (its folder is under -metadir); ours needs --checkpoint DIR.
    "-checkpoint": (
        "--checkpoint-minutes",
        1,
        "-checkpoint N: the interval; checkpoints are written only with --checkpoint DIR",
    ),
    "-recover": ("--recover", 1, None),
    "-dump": (None, 1, "-dump: ignored, tlacheck does not write the state graph"),
    "-debug": ("--debug", 0, None),
    "-h": ("--help", 0, None),
    "-help": ("--help", 0, None),
    "-nowarning": (None, 0, None),
    "-teSpecOutDir": (None, 1, "-teSpecOutDir: ignored, write the trace with --trace-out FILE"),
    "-invlevel": (None, 1, None),
    "-aril": (None, 1, None),
    "-metadir": (None, 1, "-metadir: ignored, tlacheck keeps no files on disk while it searches"),
    "-cleanup": (None, 0, None),
    "-gzip": (None, 0, None),
    "-terse": (None, 0, None),
    "-noTE": (None, 0, None),
    "-noGenerateSpecTE": (None, 0, None),
    "-generateSpecTE": (None, 0, "-generateSpecTE: ignored, write the trace with --trace-out FILE.itf.json"),
    "-fp": (None, 1, "-fp: ignored, tlacheck's fingerprints are not TLC's"),
    "-fpbits": (None, 1, None),
    "-fpmem": (None, 1, None),
    "-maxSetSize": (None, 1, None),
    "-lncheck": (None, 1, None),
    "-userFile": (None, 1, "-userFile: ignored, Print and PrintT write to stdout"),
}
_TLC_UNSUPPORTED = {
    "-tool": "TLC's -tool output (the @!@!@STARTMSG framing of the VS Code extension) is not supported",
    "-dumpTrace": "-dumpTrace is not supported; write the trace with --trace-out FILE.itf.json (ITF JSON)",
    "-dfid": "-dfid (depth-first search) is not supported; tlacheck searches breadth first",
    "-debugger": "-debugger is not supported",
    "-view": "-view is not supported; a VIEW in the cfg is",
    "-inv": "-inv is not supported; name the invariant in the cfg's INVARIANT",
    "-postCondition": "-postCondition is not supported",
}


def translate_tlc_flags(argv: list[str], parser: argparse.ArgumentParser) -> tuple[list[str], list[str]]:
    """``argv`` with TLC's single-dash options of ``check`` in our spelling, and notes to print."""
    command = next((i for i, w in enumerate(argv) if not w.startswith("-")), None)
    if command is None or argv[command] != "check":
        return argv, []
    start = command + 1
    parser = _check_parser(parser)
    offered = {o for a in parser._actions for o in a.option_strings}
    out = argv[:start]
    notes: list[str] = []
    i = start
    while i < len(argv):
        word = argv[i]
        i += 1
        if word == "--":
            out += argv[i - 1 :]
            break
        if word in _TLC_UNSUPPORTED:
            parser.error(_TLC_UNSUPPORTED[word])
        flag = TLC_FLAGS.get(word)
        if flag is None:
            out.append(word)
            continue
        ours, arity, note = flag
        if word == "-dump" and i + 1 < len(argv) and argv[i].startswith("dot"):
            arity = 2  # -dump dot,colorize FILE; a lone FILE dumps the states as text
        values = argv[i : i + arity]
        i += arity
        if len(values) < arity:
            parser.error(f"TLC's {word} needs a value")
        if word == "-simulate" and i < len(argv) and "=" in argv[i] and not argv[i].startswith("-"):
            values, i = _simulate_values(argv[i], notes), i + 1
            if ours in offered:
                out += [ours, *values]
                continue
        if ours is not None and ours not in offered:
            parser.error(f"TLC's {word} is not supported (tlacheck check has no {ours} yet)")
        if ours is None:
            notes.append(note or f"{word}: ignored (it has no meaning for tlacheck)")
            continue
        if note:
            notes.append(note)
        out += [ours] if word == "-coverage" else [ours, *values]
    return out, notes


def _simulate_values(spec: str, notes: list[str]) -> list[str]:
    """TLC's ``-simulate num=N,file=F``: ``num`` becomes ``--num N``; the rest is dropped."""
    values: list[str] = []
    for part in spec.split(","):
        key, _, value = part.partition("=")
        if key == "num":
            values += ["--num", value]
        else:
            notes.append(f"-simulate {key}=...: ignored")
    return values


def _check_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    # argparse has no public way to reach a subcommand's parser or list its options; its
    # actions are plain data (``option_strings``), read here and in translate_tlc_flags.
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found: argparse.ArgumentParser = action.choices["check"]
            return found
    return parser


def _aliased(result: CheckResult, model: Any) -> CheckResult:
    """The result with every trace shown through the cfg's ALIAS, if it has one: each state
    becomes the ALIAS's record, evaluated on the state and the next one of the trace (the
    last one with the state it loops back to, else with itself), as TLC prints it. Where the
    ALIAS fails to evaluate, TLC 2.20 prints the state itself; so do we, with a warning."""
    alias = getattr(model, "alias", None)
    if alias is None or not result.violations:
        return result
    violations = []
    failed: Exception | None = None
    for violation in result.violations:
        trace = violation.trace
        states = trace.states
        steps = []
        for i, step in enumerate(trace.steps):
            if i + 1 < len(states):
                after = states[i + 1]
            else:
                after = states[trace.loop] if trace.loop is not None else step.state
            record = alias(step.state, after)
            if isinstance(record, Exception):
                failed = failed or record
                record = dict(sorted(step.record.items()))
            steps.append(dataclasses.replace(step, record=record))
        aliased = dataclasses.replace(trace, steps=tuple(steps), aliased=True)
        violations.append(dataclasses.replace(violation, trace=aliased))
    if failed is not None:
        first = str(failed).splitlines()[0] if str(failed) else type(failed).__name__
        print(
            f"warning: the ALIAS could not be evaluated ({first}); the trace shows the variables, as TLC 2.20's does",
            file=sys.stderr,
        )
    return dataclasses.replace(result, violations=violations)


def _print_error(exc: TlacheckError) -> None:
    """The error; after an evaluation error in a search, the behaviour that led to the
    state where it happened, in TLC's layout (the trace replaces the lone state)."""
    trace = getattr(exc, "trace", None)
    if trace is not None and getattr(exc, "state", None) is not None:
        exc.state = None  # type: ignore[attr-defined]
    print(str(exc), file=sys.stderr)
    if trace is not None:
        print("Error: The behavior up to this point is:", file=sys.stderr)
        print(format_trace(trace), file=sys.stderr)


# -- check -------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    if args.trace_out:
        _check_trace_out(Path(args.trace_out))  # fails now, not after the search
    _check_simulation_usage(args)
    workers = args.workers or os.cpu_count() or 1
    if args.cluster and args.simulate:
        raise UsageError("--cluster is not supported with --simulate: use --workers N (walkers on this machine)")
    if (workers > 1 or args.cluster) and not args.simulate:
        for name, flag in (("coverage", "--coverage"), ("checkpoint", "--checkpoint"), ("recover", "--recover")):
            if getattr(args, name):
                raise UsageError(f"{flag} is not supported with several workers: add --workers 1")
    args.stage = "spec"
    model = load_target(args.target, args.config, args.lib, args.param, args.skip_liveness)
    args.stage = "evaluation"
    if args.simulate:
        return _simulate(args, model)
    options = CheckOptions(
        check_deadlock=False if args.no_deadlock else None,
        max_depth=args.max_depth,
        keep_going=args.keep_going,
        symmetry=not args.no_symmetry,
        coverage=args.coverage,
        exact=args.exact,
        progress=None if args.quiet else ProgressPrinter(),
        checkpoint=Path(args.checkpoint) if args.checkpoint else None,
        recover=Path(args.recover) if args.recover else None,
        checkpoint_interval=args.checkpoint_minutes * 60,
    )
    alone = None
    if workers > 1 or args.cluster:  # (one worker does without the module's imports: 20 ms)
        from checker.engine.parallel import check_parallel, one_process_reason

        alone = one_process_reason(model)
    connect = None
    if args.cluster and alone is None:
        from checker.engine.cluster import ray_connect, ray_workers

        if args.workers == 1:  # not given: one shard per CPU of the cluster
            workers = ray_workers(args.cluster)
        loader = functools.partial(load_target, args.target, args.config, args.lib, args.param, args.skip_liveness)
        connect = ray_connect(loader, args.cluster)
    parallel = (workers > 1 or connect is not None) and alone is None
    on = f" on {workers} workers" if parallel else ""
    if connect is not None:
        on = f" on {workers} Ray actors"
    print(
        f"Checking {getattr(model, 'describe', lambda: args.target)()} "
        f"with breadth-first search{_reduction(model, options)}{on}."
    )
    if (workers > 1 or args.cluster) and not parallel:
        print(f"Note: --workers and --cluster are ignored: {alone}.", file=sys.stderr)
    for warning in getattr(model, "warnings", ()):
        print(warning if "warning:" in warning else f"Warning: {warning}")
    if getattr(model, "liveness", None) and _reduction(model, options) == " and a VIEW":
        print(
            "Warning: liveness is checked on the graph the VIEW reduces, as TLC does: a state stands "
            "for every state with its view, so a reported cycle may not be a behaviour of the spec "
            "and a violation may be missed. Check liveness without the VIEW to be sure."
        )
    if getattr(model, "liveness", None) and _reduction(model, options) == " and symmetry":
        # TLC's warning, and TLC's behaviour: liveness is checked on the reduced graph.
        print(
            "Warning: Declaring symmetry during liveness checking is dangerous. It might cause "
            "tlacheck (as TLC) to miss violations of the stated liveness properties. Please check "
            "liveness without symmetry defined (--no-symmetry)."
        )
    if not args.quiet:
        print("Computing initial states...", file=sys.stderr, flush=True)
    if parallel:
        result = check_parallel(model, options, workers, connect=connect)
    else:
        result = check(model, options)
    print(format_result(_aliased(result, model), diff=args.diff))
    if args.coverage:
        print(format_coverage(result))
    print(finished_line(result.stats.elapsed))
    if args.trace_out and result.violations:
        _write_trace(result, model, args.trace_out, args.diff, args.view)
    return result.exit_code


def _check_trace_out(path: Path) -> None:
    from checker.views import format_of

    format_of(path)  # a suffix that names no form
    folder = path.parent
    if path.is_dir():
        raise UsageError(
            f"--trace-out {path}: that is a folder; give a file name such as {path / 'trace.html'}"
        )
    if not folder.is_dir():
        raise UsageError(f"--trace-out {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"--trace-out {path}: the folder {folder} is not writable")


_SIMULATION_ONLY = ("depth", "seed", "num", "duration", "simulate_out", "shrink")


def _check_simulation_usage(args: argparse.Namespace) -> None:
    if not args.simulate:
        given = [n for n in _SIMULATION_ONLY if getattr(args, n) not in (None, False)]
        if given:
            flag = "--" + given[0].replace("_", "-")
            raise UsageError(f"{flag} applies to random simulation: add --simulate")
        return
    for name, flag in (
        ("keep_going", "--continue"),
        ("max_depth", "--max-depth"),
        ("coverage", "--coverage"),
        ("checkpoint", "--checkpoint"),
        ("recover", "--recover"),
    ):
        if getattr(args, name):
            raise UsageError(f"{flag} is not supported with --simulate (use --depth for the length)")


def _simulate(args: argparse.Namespace, model: Any) -> int:
    """``check --simulate``: random behaviours (checker/engine/simulate.py)."""
    from checker.engine.simulate import (
        DEFAULT_DEPTH,
        SimProgress,
        SimulateOptions,
        format_summary,
        new_seed,
        shrink,
        simulate_swarm,
    )

    if getattr(model, "postcondition", None) is not None:
        # TLC evaluates it after the simulation; tlacheck does not yet: an error, never a skip.
        raise ConfigError(
            "E748",
            "POSTCONDITION with --simulate is not supported",
            hint="check the model without --simulate, or drop the POSTCONDITION from the cfg",
        )
    seed = new_seed() if args.seed is None else args.seed
    depth = args.depth or DEFAULT_DEPTH
    name = getattr(model, "describe", lambda: args.target)()
    on_behaviour = None
    if args.simulate_out:
        from checker.views.behaviours import write_behaviour

        folder = Path(args.simulate_out)
        folder.mkdir(parents=True, exist_ok=True)

        def on_behaviour(walker_seed: int, number: int, trace: Any) -> None:
            write_behaviour(folder, walker_seed, number, trace, name)

    def show(p: SimProgress) -> None:
        print(
            f"Progress: {p.generated:,} states checked, {p.behaviours:,} traces generated, "
            f"{p.distinct:,} distinct states seen, {p.elapsed:.0f}s",
            file=sys.stderr,
            flush=True,
        )

    options = SimulateOptions(
        seed=seed,
        depth=depth,
        num=args.num,
        duration=args.duration,
        check_deadlock=False if args.no_deadlock else None,
        on_behaviour=on_behaviour,
        progress=None if args.quiet else show,
    )
    workers = args.workers or os.cpu_count() or 1
    plural = "s" if workers > 1 else ""
    seeds = f"seed {seed}" if workers == 1 else f"seeds {seed}..{seed + workers - 1}"
    print(f"Running random simulation of {name} with {seeds}, depth {depth}, {workers} worker{plural}.")
    for warning in getattr(model, "warnings", ()):
        print(warning if "warning:" in warning else f"Warning: {warning}")
    for prop in getattr(model, "initial_properties", None) or {}:
        # TLC 2.20 checks a state-predicate PROPERTY on the initial states in BFS only.
        print(f"Warning: the PROPERTY {prop} is a state predicate: --simulate does not check it, as TLC.")
    result = simulate_swarm(model, options, workers)
    before = 0
    if result.violations and args.shrink:
        before = len(result.violations[0].trace)
        result.violations[0] = shrink(model, result.violations[0])
    for violation in result.violations:
        print(format_violation(violation, args.diff))
    if result.found is not None:
        print(
            f"The behaviour is number {result.found.behaviour} of seed {result.found.seed}: "
            f"--seed {result.found.seed} --depth {depth} with one worker reproduces it."
        )
    if before:
        print(f"--shrink shortened it from {before} to {len(result.violations[0].trace)} states.")
    if result.interrupted:
        print("Interrupted: the simulation was stopped.")
    print(format_summary(result))
    print(f"Finished in {result.stats.elapsed:.2f}s.")
    if args.trace_out and result.violations:
        _write_simulated_trace(result.violations[0], model, args.trace_out, args.diff, result.found)
    return result.exit_code


def _write_simulated_trace(violation: Any, model: Any, path: str, diff: bool, found: Any) -> None:
    from checker.views import format_of, write_trace
    from checker.views.behaviours import format_itf_with

    name = getattr(model, "describe", lambda: "model")()
    target = Path(path)
    if format_of(target) == "itf":
        meta = {"seed": found.seed, "behaviour": found.behaviour}
        target.write_text(format_itf_with(violation.trace, violation, name, meta), encoding="utf-8")
        print(f"Trace written to {path}")
        return
    title = f"{name} (simulation, seed {found.seed})"
    note = write_trace(violation.trace, target, model=model, violation=violation, diff=diff, title=title)
    print(note or f"Trace written to {path}")


def _reduction(model: Any, options: CheckOptions) -> str:
    if options.symmetry and getattr(model, "has_symmetry", False):
        return " and symmetry"
    if getattr(model, "has_view", False):
        return " and a VIEW"
    return ""


def _write_trace(result: CheckResult, model: Any, path: str, diff: bool, view_name: str | None) -> None:
    from checker.views import write_trace

    view = domain_view(view_name, tuple(model.variables), model)
    # With --continue there is one trace per violated property: the first goes to FILE, each
    # other to FILE with the property's name before the suffix (trace.StateMachineSafety.html).
    target = Path(path)
    for n, violation in enumerate(result.violations):
        if n > 0:
            suffix = ".itf.json" if target.name.endswith(".itf.json") else target.suffix
            stem = target.name.removesuffix(suffix)
            name = "".join(ch for ch in (violation.name or violation.kind) if ch.isalnum() or ch in "_-")
            target = Path(path).with_name(f"{stem}.{name}{suffix}")
        note = write_trace(
            violation.trace, target, model=model, violation=violation, diff=diff, domain_view=view
        )
        print(note or f"Trace written to {target}")


def finished_line(seconds: float, now: float | None = None) -> str:
    """TLC's last line: ``Finished in 07s at (2026-12-06 04:08:01)``; longer runs read
    ``01min 07s``, ``02h 01min``, ``1d 02h``, as TLC writes them."""
    total = int(seconds)
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        took = f"{days}d {hours:02d}h"
    elif hours:
        took = f"{hours:02d}h {minutes:02d}min"
    elif minutes:
        took = f"{minutes:02d}min {secs:02d}s"
    else:
        took = f"{secs:02d}s"
    at = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))
    return f"Finished in {took} at ({at})"


class ProgressPrinter:
    """TLC's progress lines, on stderr (``--quiet`` silences them), so that what reads TLC's
    output reads ours:

        Finished computing initial states: 1 distinct state generated at 2026-12-06 04:07:55.
        Progress(12) at 2026-12-06 04:07:58: 8,543 states generated (8,543 s/min), 1,971 distinct
        states found (1,971 ds/min), 653 states left on queue.

    (one line; the rates are per minute since the previous line, as TLC computes them.)
    """

    def __init__(self) -> None:
        self.last = Progress(0, 0, 0, 0, 0.0)

    def __call__(self, p: Progress) -> None:
        print(self.format(p), file=sys.stderr, flush=True)

    def format(self, p: Progress) -> str:
        now = time.strftime("%Y-%m-%d %H:%M:%S")
        if p.initial:
            states = "state" if p.distinct == 1 else "states"
            line = f"Finished computing initial states: {p.distinct:,} distinct {states} generated at {now}."
        else:
            minutes = max(p.elapsed - self.last.elapsed, 1e-9) / 60
            rate = round((p.generated - self.last.generated) / minutes)
            distinct_rate = round((p.distinct - self.last.distinct) / minutes)
            line = (
                f"Progress({p.depth}) at {now}: {p.generated:,} states generated ({rate:,} s/min), "
                f"{p.distinct:,} distinct states found ({distinct_rate:,} ds/min), "
                f"{p.queue:,} states left on queue."
            )
            if p.workers:
                before = self.last.workers or (0,) * len(p.workers)
                rates = ", ".join(
                    f"{i}: {round((now_ - was) / minutes):,} s/min"
                    for i, (now_, was) in enumerate(zip(p.workers, before), 1)
                )
                line += f"\nWorkers: {rates}."
        self.last = p
        return line


def load_target(
    target: str, config: str | None, libs: list[str], params: list[str], skip_liveness: bool = False
) -> Any:
    """A TLA+ spec (by path) or a Python model (``module:attribute``)."""
    if ":" not in target and not target.endswith(".tla") and Path(f"{target}.tla").is_file():
        target = f"{target}.tla"  # TLC takes the spec's name without .tla
    if target.endswith(".tla") or Path(target).is_file():
        from checker.tla.loader import load_spec_model

        if params:
            raise ModelError(
                "-p/--param applies to Python models; a TLA+ spec takes its constants from the cfg"
            )
        return load_spec_model(
            Path(target), Path(config) if config else None, [Path(d) for d in libs], skip_liveness
        )
    return load_python_model(target, params)


def load_python_model(target: str, params: list[str]) -> Any:
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        raise ModelError(
            f"'{target}' is neither a .tla file nor a Python model given as module:attribute "
            "(for example raft_model:ghost_commit)."
        )
    if str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise ModelError(f"Cannot load the model {target}: no module named '{exc.name}'.") from exc
    obj = getattr(module, attr, None)
    if obj is None:
        raise ModelError(f"Cannot load the model {target}: module '{module_name}' has no attribute '{attr}'.")
    kwargs = dict(_parse_param(p) for p in params)
    if _is_model(obj):
        if kwargs:
            raise ModelError(f"{target} is a model, not a factory: it takes no -p parameters.")
        return obj
    if callable(obj):
        _check_params(target, obj, kwargs)
        try:
            model = obj(**kwargs)
        except TypeError as exc:
            raise ModelError(f"Cannot build the model {target}({_show_kwargs(kwargs)}): {exc}") from exc
        if _is_model(model):
            return model
        raise ModelError(f"{target}(...) returned a {type(model).__name__}, which is not a model.")
    raise ModelError(
        f"{target} is a {type(obj).__name__}, not a model: a model has variables, "
        "init_states() and next_steps(state) (see checker.model.Model)."
    )


def _check_params(target: str, factory: Any, kwargs: dict[str, Any]) -> None:
    """A -p name the factory does not take: say which names it takes (and the closest)."""
    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):
        return
    params = signature.parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return
    names = [n for n, p in params.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    for name in kwargs:
        if name not in names:
            taken = ", ".join(
                n if params[n].default is inspect.Parameter.empty else f"{n}={params[n].default!r}"
                for n in names
            )
            close = difflib.get_close_matches(name, names, n=1)
            hint = f" Did you mean -p {close[0]}=...?" if close else ""
            raise ModelError(
                f"{target} has no parameter '{name}'; its parameters are: {taken or '(none)'}.{hint}"
            )


def _is_model(obj: Any) -> bool:
    return (
        not isinstance(obj, type)
        and hasattr(obj, "variables")
        and callable(getattr(obj, "init_states", None))
        and callable(getattr(obj, "next_steps", None))
    )


def _parse_param(text: str) -> tuple[str, Any]:
    name, sep, raw = text.partition("=")
    if not sep or not name.isidentifier():
        raise ModelError(f"-p expects NAME=VALUE, got '{text}'")
    value: Any = raw
    if raw.lower() in ("true", "false"):
        value = raw.lower() == "true"
    else:
        try:
            value = int(raw)
        except ValueError:
            pass
    return name, value


def _show_kwargs(kwargs: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in kwargs.items())


# -- prove and render ----------------------------------------------------------


def _prove(args: argparse.Namespace) -> int:
    from checker.prove.induction import ProveOptions
    from checker.prove.report import REACH_SECONDS, cti_violation, format_report, prove_spec
    from checker.views import write_trace

    # Progress goes to a terminal only: a log or a pipe gets the report alone.
    ticker = None if args.quiet or not sys.stderr.isatty() else _Ticker()
    options = ProveOptions(
        timeout_ms=max(1, round(args.timeout * 1000)) if args.timeout else 0,
        progress=ticker.tell if ticker is not None else None,
    )
    try:
        report = prove_spec(
            Path(args.spec),
            args.inv,
            Path(args.config) if args.config else None,
            [Path(d) for d in args.lib],
            reach_depth=args.reach_depth,
            options=options,
            reach_seconds=args.reach_seconds or REACH_SECONDS[1],
            reach_follows_z3=args.reach_seconds is None,
        )
    finally:
        if ticker is not None:
            ticker.stop()
    print(format_report(report))
    ctis = report.result.ctis
    if args.trace_out and ctis:
        violation = cti_violation(ctis[0], args.inv)
        note = write_trace(
            violation.trace,
            Path(args.trace_out),
            violation=violation,
            title=f"{Path(args.spec).name}: a counterexample to induction of {args.inv}",
            domain_view=domain_view(args.view, violation.trace.variables),
        )
        print(note or f"Counterexample written to {args.trace_out}")
    return report.exit_code


def _infer(args: argparse.Namespace) -> int:
    """``tlacheck infer``: the invariant on stdout, progress on stderr, exit 0 / 12 / 75."""
    from checker.prove.infer import infer

    a = vars(args)
    quiet = bool(a["quiet"])

    def tell(message: str) -> None:
        if not quiet:
            print(f"infer: {message}", file=sys.stderr)

    result = infer(
        Path(a["spec"]),
        a["inv"],
        Path(a["config"]) if a["config"] else None,
        [Path(d) for d in a["lib"]],
        type_inv=a["type"],
        size=a["size"],
        timeout=a["timeout"],
        tell=tell,
    )
    figures = (
        f"{result.candidates} candidates true in {result.states} reachable states, "
        f"{result.rounds} rounds, in {result.seconds:.1f} s"
    )
    if result.verdict == "found":
        print(result.text, end="")
        print(f"\\* Inductive: checked by tlacheck prove's induction code ({figures}).")
    elif result.verdict == "none":
        print(f"No inductive invariant found that implies {a['inv']}: {result.reason} ({figures}).")
        if a["size"] < 4 and result.candidates:
            print(f"hint: a larger grammar may have one: --size {a['size'] + 1} (slower)")
    else:
        print(f"Gave up before finding an inductive invariant: {result.reason} ({figures}).")
    return result.exit_code


# Domain views by name (--view), and chosen by the variables' names when the model has none:
# the records of specs/raft and specs/paxos are those of raft_model and paxos_model.
VIEWS = {"raft": "raft_model.view:render_raft_dot", "paxos": "paxos_model.dot:render_spec_dot"}
VIEW_VARIABLES = {
    "raft": {"currentTerm", "state", "log", "committed"},
    "paxos": {"maxBal", "maxVBal", "maxVal", "msgs"},
}


def domain_view(name: str | None, variables: tuple[str, ...] | list[str], model: Any = None) -> Any:
    """The ``render_dot(trace, i)`` function that ``--view`` names, or the model's own, or the one
    whose variables the trace has (a ``GuessedView``, left out where it fails); None for
    ``--view none`` or when nothing fits."""
    if name == "none":
        return None
    if name is None:
        own = getattr(model, "render_dot", None)
        if callable(own):
            return own
        fits = [v for v, needed in VIEW_VARIABLES.items() if needed <= set(variables)]
        if len(fits) != 1:
            return None
        from checker.views import GuessedView

        # Not asked for: a spec that only looks like Raft or Paxos is drawn without it.
        return GuessedView(fits[0], domain_view(fits[0], variables))
    target = VIEWS.get(name, name)
    module_name, sep, attr = target.partition(":")
    if not sep:
        raise ModelError(f"--view {name}: use raft, paxos, none, or MODULE:FUNCTION")
    if str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    try:
        function = getattr(importlib.import_module(module_name), attr, None)
    except ModuleNotFoundError as exc:
        raise ModelError(f"--view {name}: no module named '{exc.name}'") from exc
    if not callable(function):
        raise ModelError(f"--view {name}: module '{module_name}' has no function '{attr}'")
    return function


def _explore(args: argparse.Namespace) -> int:
    from checker.views import read_trace
    from checker.views.explore import HOST, Explorer, make_server

    model = load_target(args.target, args.config, args.lib, args.param)
    title = getattr(model, "describe", lambda: args.target)()
    loaded = None
    if args.trace:
        if not args.target.endswith(".tla"):
            raise ModelError(
                "--trace starts from a trace's states, which only a TLA+ spec can take as they are"
            )
        loaded = read_trace(Path(args.trace)).trace
        if tuple(loaded.variables) != tuple(model.variables):
            raise ModelError(f"{args.trace} has the variables {', '.join(loaded.variables)}, not the spec's")
    explorer = Explorer(model, title, domain_view(args.view, tuple(model.variables), model), loaded)
    if not args.no_check:
        result = check(model, CheckOptions())
        for violation in result.violations:
            headline = violation.headline().removeprefix("Error: ")
            explorer.add_found(f"{headline} ({len(violation.trace)} states)", violation.trace)
    try:
        server = make_server(explorer, args.port)
    except OSError as exc:
        raise ModelError(
            f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc} (try --port 0)"
        ) from None
    print(f"Exploring {title} at http://{HOST}:{server.server_port}/ (Ctrl-C stops).", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        server.server_close()
    return 0


class _Ticker:
    """Progress of a proof on stderr: what is being checked, every 2 seconds while it runs
    (a query that takes long is named while Z3 works on it)."""

    def __init__(self, interval: float = 2.0) -> None:
        import threading

        self.interval = interval
        self.start = time.monotonic()
        self.current = "loading the spec"
        self.since = self.start
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def tell(self, message: str) -> None:
        self.current = message
        self.since = time.monotonic()

    def _run(self) -> None:
        while not self._done.wait(self.interval):
            now = time.monotonic()
            print(
                f"Progress: {self.current} ({now - self.since:.0f}s so far), {now - self.start:.0f}s in all",
                file=sys.stderr,
                flush=True,
            )

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def _render(args: argparse.Namespace) -> int:
    # Read an ITF trace (ours, Apalache's, Quint's) and write it in another form.
    # Without -o, txt and itf go to stdout and pictures beside the trace; with -o
    # and the default --format, the output's suffix picks the form.
    from checker.views import format_of, read_trace, write_trace
    from checker.views.itf import format_itf
    from checker.views.text import format_trace, format_violation

    source = Path(args.trace)
    loaded = read_trace(source)
    form = args.format
    if args.output and form == "txt" and not args.output.lower().endswith(".txt"):
        form = format_of(Path(args.output))
    if args.output is None and form in ("txt", "itf"):
        if form == "itf":
            source_name = str(loaded.meta.get("source") or "")
            print(format_itf(loaded.trace, loaded.violation, source=source_name), end="")
        elif loaded.violation is not None:
            print(format_violation(loaded.violation, args.diff))
        else:
            print(format_trace(loaded.trace, args.diff))
        return 0
    if args.output:
        output = Path(args.output)
    else:
        stem = source.name.removesuffix(".json").removesuffix(".itf")
        output = source.with_name(f"{stem}.{form}")
    title = str(loaded.meta.get("source") or source.name)
    note = write_trace(
        loaded.trace,
        output,
        violation=loaded.violation,
        diff=args.diff,
        form=form,
        title=title,
        domain_view=domain_view(args.view, loaded.trace.variables),
    )
    print(note or f"Trace written to {output}")
    return 0


def entry_point() -> None:
    code = main()
    # Leave without the interpreter's teardown, which frees every state and value one by one
    # (0.2 s after Paxos' 5.7 s check with symmetry): the exit handlers run, the output is
    # flushed, nothing else is left to do.
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: as Python's own exit would, say nothing more
        code = code or 120
    os._exit(code)


if __name__ == "__main__":
    entry_point()
