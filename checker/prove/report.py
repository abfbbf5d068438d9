"""``tlacheck prove``: run the induction checks and the cross-checks, and say what they found.

This module owns the whole command short of printing: :func:`prove_spec` loads the spec,
asks Z3 (``induction``), replays every counterexample with the explicit evaluator and
searches for its first state by BFS (``crosscheck``), and returns a :class:`ProofReport`;
:func:`format_report` renders it as text (the CLI prints it). Exit codes: 0 proved, 12 not
inductive or not implying an invariant, 75 unknown (Z3 gave up), 153 when a cross-check
contradicts Z3 (a fault of tlacheck); spec and cfg errors raise ``SpecError`` (150/151).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checker.engine.result import Violation
from checker.prove.crosscheck import Reach, Replay, explicit_model, reach, replay
from checker.prove.induction import Check, Cti, InductionResult, ProveOptions, check_induction
from checker.prove.problem import load_problem
from checker.views.text import format_trace

DEFAULT_BFS_BUDGET = 10_000


@dataclasses.dataclass(frozen=True, slots=True)
class ProofReport:
    spec: str
    inv: str
    cfg: str | None
    result: InductionResult
    replays: tuple[Replay, ...]  # one per CTI, in the order of result.ctis
    reach: Reach | None
    ignored: tuple[str, ...]
    load_seconds: float
    crosscheck_seconds: float

    @property
    def verdict(self) -> str:
        """ "proved", "not inductive", "unknown", or "unsound" (a cross-check contradicts Z3)."""
        if self.unsound:
            return "unsound"
        v = self.result.verdict
        return {"proved": "proved", "fails": "not inductive"}.get(v, "unknown")

    @property
    def unsound(self) -> bool:
        proved = self.result.verdict == "proved"
        if proved and self.reach is not None and self.reach.inv_violation is not None:
            return True
        return any(not r.confirmed and "could not evaluate" not in r.note for r in self.replays)

    @property
    def exit_code(self) -> int:
        return {"proved": 0, "not inductive": 12, "unknown": 75, "unsound": 153}[self.verdict]


def prove_spec(
    spec: Path,
    inv: str,
    config: Path | None = None,
    libs: Sequence[Path] = (),
    reach_depth: int | None = None,
    options: ProveOptions | None = None,
    crosscheck: bool = True,
    bfs_budget: int = DEFAULT_BFS_BUDGET,
    check_inv: bool | None = None,
    max_ctis: int = 3,
    reach_seconds: float | None = None,
    reach_follows_z3: bool = False,
) -> ProofReport:
    """Prove ``inv`` inductive for ``spec`` and cross-check the answer. ``options.progress``
    is also told each phase of the cross-checks; ``reach_seconds`` bounds the BFS's time
    (None: only ``bfs_budget`` states and ``reach_depth`` levels bound it); with
    ``reach_follows_z3`` the BFS takes as long as Z3 took, within ``REACH_SECONDS``' lower
    bound and ``reach_seconds``."""
    tell = (options.progress if options is not None else None) or (lambda message: None)
    start = time.monotonic()
    loaded = load_problem(spec, inv, config, libs)
    load_seconds = time.monotonic() - start
    result = check_induction(loaded.problem, options)
    start = time.monotonic()
    replays: list[Replay] = []
    found: Reach | None = None
    if crosscheck:
        tell("cross-check: compiling the spec for the explicit evaluator")
        model = explicit_model(loaded.spec, inv)
        shown = result.ctis[:max_ctis]
        if result.ctis:
            tell(f"cross-check: replaying {len(result.ctis)} counterexample(s)")
        replays = [replay(model, cti, inv) for cti in result.ctis]
        # IndInv on every reachable state matters when Z3 says "proved" (or when asked).
        tell("cross-check: BFS of the instance")
        found = reach(
            model,
            shown,
            inv,
            reach_depth,
            bfs_budget,
            check_inv=check_inv if check_inv is not None else result.verdict == "proved",
            seconds=_reach_seconds(result.seconds, reach_seconds) if reach_follows_z3 else reach_seconds,
        )
    return ProofReport(
        str(spec),
        inv,
        str(loaded.cfg_path) if loaded.cfg_path else None,
        result,
        tuple(replays),
        found,
        loaded.ignored,
        load_seconds,
        time.monotonic() - start,
    )


REACH_SECONDS = (0.25, 2.0)
"""The cross-checking BFS's time by default: as long as Z3 took, within these bounds. It guards
the encoding (a reachable state that breaks a proved invariant is a fault of prove's) and tells
whether a CTI's state is reachable; it should not cost more than the proof itself."""


def _reach_seconds(z3_seconds: float, most: float | None) -> float:
    return round(min(max(z3_seconds, REACH_SECONDS[0]), most if most is not None else REACH_SECONDS[1]), 2)


def cti_violation(cti: Cti, inv: str = "") -> Violation:
    """A CTI as a ``Violation`` for the views: its first state is labelled as what it is (a state
    of ``inv``, not an initial one), and the headline names the broken conjuncts as conjuncts."""
    broken = ", ".join(cti.broken)
    what = f"{broken} ({'conjuncts' if len(cti.broken) > 1 else 'a conjunct'} of {inv})" if inv else broken
    first = cti.trace.steps[0]
    start = f"a state where {inv or 'the candidate'} holds (not necessarily reachable)"
    if len(cti.trace.steps) == 1:
        start = f"a state where {inv or 'the candidate'} holds"
        headline = f"{what} fails in this state: a counterexample to induction"
    else:
        headline = f"{what} fails after this step: a counterexample to induction"
    steps = (dataclasses.replace(first, label=start), *cti.trace.steps[1:])
    return Violation("counterexample to induction", headline, dataclasses.replace(cti.trace, steps=steps))


# ---------------------------------------------------------------------------------------------
# Text


def format_report(report: ProofReport, max_ctis: int = 3, diff: bool = False) -> str:
    r = report.result
    p = r.problem
    lines = [
        f"Proving that {p.inv} is inductive for {Path(report.spec).name}"
        + (f" with {Path(report.cfg).name}" if report.cfg else "")
        + " (Z3)."
    ]
    lines.append(f"{p.inv} has {len(r.conjuncts)} conjuncts: {', '.join(r.conjuncts)}.")
    lines.append("State variables as Z3 terms (types from the TypeOK conjuncts):")
    for var, typ, n in r.types:
        lines.append(f"  {var}: {typ} ({n} term{'s' if n != 1 else ''})")
    if report.ignored:
        lines.append(
            f"Ignored cfg keywords (they do not change what is proved): {', '.join(report.ignored)}."
        )
    lines.append("")
    lines += _section(r, "IndInit", f"Init => {p.inv}")
    lines += _section(r, "IndNext", f"{p.inv} /\\ Next => {p.inv}'  ({r.actions} actions)")
    lines += _section(r, "IndProp", f"{p.inv} => each INVARIANT of the cfg")
    lines.append("")
    ctis = r.ctis
    for i, cti in enumerate(ctis[:max_ctis]):
        lines += _format_cti(report, i, cti, diff)
    if len(ctis) > max_ctis:
        lines.append(f"({len(ctis) - max_ctis} more counterexamples not shown.)")
        lines.append("")
    lines += _format_reach(report)
    lines.append(_conclusion(report))
    lines.append(
        f"Z3 took {r.seconds:.2f}s (IndInit {r.seconds_of('IndInit'):.2f}s, IndNext {r.seconds_of('IndNext'):.2f}s, "
        f"IndProp {r.seconds_of('IndProp'):.2f}s); parsing {report.load_seconds:.2f}s; cross-checks "
        f"{report.crosscheck_seconds:.2f}s."
    )
    return "\n".join(lines)


def _section(r: InductionResult, kind: str, title: str) -> list[str]:
    checks = [c for c in r.checks if c.kind == kind]
    if not checks:
        return []
    failed = [c for c in checks if c.verdict != "holds"]
    total = sum(c.seconds for c in checks)
    verdict = "holds" if not failed else ("FAILS" if any(c.verdict == "fails" for c in failed) else "UNKNOWN")
    out = [f"{kind}: {title}: {verdict} ({total:.2f}s)"]
    for c in checks if kind != "IndNext" or failed else []:
        if kind == "IndNext" and c.verdict == "holds":
            continue
        out.append("  " + _check_line(c))
    if kind == "IndNext" and failed:
        out.append(f"  ({len(checks) - len(failed)} of {len(checks)} actions keep {r.problem.inv})")
    return out


def _check_line(c: Check) -> str:
    if c.verdict == "holds":
        return f"{c.target}: holds ({c.seconds:.2f}s)"
    if c.verdict == "unknown":
        return f"{c.target}: unknown, Z3 gave up ({c.reason or 'no reason given'}) ({c.seconds:.2f}s)"
    return f"{c.target}: breaks {', '.join(c.broken)} ({c.seconds:.2f}s)"


def _format_cti(report: ProofReport, i: int, cti: Cti, diff: bool) -> list[str]:
    inv = report.inv
    if cti.kind == "IndInit":
        head = f"Counterexample {i + 1} (IndInit): an initial state where {', '.join(cti.broken)} fails:"
    elif cti.kind == "IndProp":
        head = f"Counterexample {i + 1} (IndProp): a state of {inv} where {cti.broken[0]} fails:"
    else:
        head = (
            f"Counterexample {i + 1} to induction (IndNext): {inv} holds in state 1, the step "
            f"{cti.action} leads to state 2, where {', '.join(cti.broken)} fails:"
        )
    out = [head, format_trace(cti.trace, diff).rstrip()]
    if cti.left_type:
        out.append(
            f"  (state 2's {', '.join(cti.left_type)} lies outside the type that {inv}'s TypeOK gives it)"
        )
    if i < len(report.replays):
        out.append(f"Explicit evaluator: {report.replays[i].note}.")
    if report.reach is not None:
        out.append("Reachable: " + _reach_line(report.reach, i, cti) + ".")
    out.append("")
    return out


def _reach_line(reach: Reach, i: int, cti: Cti) -> str:
    if i >= len(reach.found):
        return "not searched"
    depth = reach.found[i]
    what = "the state" if cti.kind != "IndNext" else "state 1"
    if depth is not None:
        extra = " (so the candidate is not even an invariant)" if cti.kind == "IndNext" else ""
        return f"yes: BFS reaches {what} in {_steps(depth - 1)}{extra}"
    if reach.complete:
        return (
            f"no: BFS explored all {reach.distinct:,} reachable states (depth {reach.depth}); "
            f"{what} is not among them, so strengthen the invariant to exclude it"
        )
    if reach.note:
        return f"unknown: {reach.note}"
    return f"not within depth {reach.depth} ({reach.distinct:,} states explored)"


def _format_reach(report: ProofReport) -> list[str]:
    reach = report.reach
    if reach is None:
        return []
    if reach.inv_violation is None:
        if not reach.inv_checked:
            return []
        if reach.note:
            return [f"Cross-check by BFS: {reach.note}.", ""]
        scope = "all" if reach.complete else "the first"
        return [
            f"Cross-check by BFS: {report.inv} holds in {scope} {reach.distinct:,} reachable states "
            f"(depth {reach.depth}).",
            "",
        ]
    return [
        f"BFS finds a reachable state violating {report.inv} after {_steps(reach.inv_violation - 1)}: "
        f"{report.inv} is not an invariant of the spec.",
        "",
    ]


def _conclusion(report: ProofReport) -> str:
    inv = report.inv
    v = report.verdict
    if v == "proved":
        n = len(report.result.problem.invariants)
        implied = f" and implies the cfg's {n} invariant{'s' if n != 1 else ''}" if n else ""
        return f"Result: {inv} is inductive{implied} (for this instance)."
    if v == "unknown":
        return f"Result: unknown: Z3 could not decide every query; {inv} is not proved."
    if v == "unsound":
        return (
            "Result: internal fault: a cross-check contradicts Z3's answer (see above). This is a fault of "
            "tlacheck prove, not of your spec; please report it."
        )
    r = report.result
    parts = []
    if r.failed("IndInit"):
        parts.append("Init does not imply it")
    if r.failed("IndNext"):
        n = len(r.failed("IndNext"))
        parts.append(f"{n} action{'s do' if n != 1 else ' does'} not keep it")
    implied = ", ".join(c.target for c in r.failed("IndProp"))
    if not parts:
        unknown = any(c.verdict == "unknown" for c in r.checks if c.kind != "IndProp")
        return f"Result: {inv} is {'possibly ' if unknown else ''}inductive but does not imply {implied}."
    if implied:
        parts.append(f"it does not imply {implied}")
    return f"Result: {inv} is not inductive: {'; '.join(parts)}."


def _steps(n: int) -> str:
    return f"{n} step{'s' if n != 1 else ''}"


def summary(report: ProofReport) -> dict[str, Any]:
    """The figures a script wants (bench/prove.py)."""
    r = report.result
    return {
        "verdict": report.verdict,
        "seconds": r.seconds,
        "IndInit": r.seconds_of("IndInit"),
        "IndNext": r.seconds_of("IndNext"),
        "IndProp": r.seconds_of("IndProp"),
        "actions": r.actions,
    }
