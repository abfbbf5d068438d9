"""Traces and results as text, in TLC's layout (shared/DESIGN.md §5, §6).

TLC prints the variables of a state in alphabetical order, one ``/\\ x = v``
line each, and a blank line between states; we do the same so that tools
that read TLC's output read ours.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checker.engine.result import CheckResult, Stats, Trace, Violation
from checker.values import Fn, Value, fn_apply, fn_domain, fn_items, format_value, value_key


def format_state(record: Mapping[str, Value], changed: set[str] | None = None, ordered: bool = False) -> str:
    """One ``/\\ name = value`` line per name, alphabetically (or as given, for an ALIAS)."""
    lines = []
    for name in record if ordered else sorted(record):
        mark = "" if changed is None else ("* " if name in changed else "  ")
        lines.append(f"{mark}/\\ {name} = {format_value(record[name])}")
    return "\n".join(lines)


def format_label(label: Any, index: int) -> str:
    if index == 0:
        # A counterexample to induction starts from a state that is not initial; it says so.
        return "<Initial predicate>" if label is None else f"<{label}>"
    if label is None:
        # A trace read from a tool that names no actions (Apalache): TLC's word for
        # an action without a name.
        return "<Action>"
    return f"<{label}>"


def changed_variables(before: Mapping[str, Value] | None, after: Mapping[str, Value]) -> set[str]:
    if before is None:
        return set(after)
    return {k for k, v in after.items() if k not in before or before[k] != v}


def format_trace(trace: Trace, diff: bool = False) -> str:
    r"""``State 1: <Initial predicate>`` then one block per state.

    With ``diff``, the first state is shown whole (as TLC shows it) and every later state shows
    only what changed, each line marked with ``*``. A function, record or
    sequence that kept its domain shows only the changed places, written as
    TLA+ would select them (``/\ log[s1][3] = 2``, ``/\ msg.bal = 1``), so a
    one-entry change to a big map is one line, not the whole map again.
    """
    blocks = []
    previous: Mapping[str, Value] | None = None
    for i, step in enumerate(trace.steps):
        head = f"State {i + 1}: {format_label(step.label, i)}"
        if diff and previous is not None:
            lines = []
            for name in sorted(changed_variables(previous, step.record)):
                before = previous.get(name)
                for path, value in _changed_places(name, before, step.record[name]):
                    lines.append(f"* /\\ {path} = {format_value(value)}")
            body = "\n".join(lines) if lines else "  (no variable changed)"
        else:
            body = format_state(step.record, ordered=trace.aliased)
        blocks.append(f"{head}\n{body}\n")
        previous = step.record
    if trace.loop is not None:
        blocks.append(_loop_line(trace))
    return "\n".join(blocks)


def _loop_line(trace: Trace) -> str:
    """How a lasso closes, in TLC's words."""
    assert trace.loop is not None
    if trace.loop_label is None:
        return f"State {len(trace.steps) + 1}: Stuttering"
    return f"Back to state {trace.loop + 1}: {format_label(trace.loop_label, 1)}\n"


def _changed_places(path: str, before: Value, after: Value) -> list[tuple[str, Value]]:
    """The places where ``after`` differs from ``before``, as TLA+ selectors."""
    if type(before) is type(after) and type(after) in (tuple, Fn) and fn_domain(before) == fn_domain(after):
        places = []
        is_record = type(after) is Fn and after.is_record()
        for key, value in sorted(fn_items(after), key=lambda kv: value_key(kv[0])):
            old = fn_apply(before, key)
            if old != value:
                sub = f"{path}.{key}" if is_record else f"{path}[{format_value(key)}]"
                places += _changed_places(sub, old, value)
        return places
    return [(path, after)]


def format_violation(violation: Violation, diff: bool = False) -> str:
    if violation.kind == "initial property":
        return f"{violation.headline()}\n{format_state(violation.trace.steps[0].record)}\n"
    if violation.trace.loop is not None:
        return (
            f"{violation.headline()}\n\nError: The following behavior constitutes a counter-example:\n\n"
            f"{format_trace(violation.trace, diff)}"
        )
    return (
        f"{violation.headline()}\nError: The behavior up to this point is:\n"
        f"{format_trace(violation.trace, diff)}"
    )


def format_counts(stats: Stats, complete: bool = True) -> str:
    """TLC's two count lines; a search cut short (--max-depth, Ctrl-C) is not called complete."""
    depth = (
        f"The depth of the complete state graph search is {stats.depth}."
        if complete
        else f"The depth of the state graph search so far is {stats.depth} (the search was cut short)."
    )
    return (
        f"{stats.generated} states generated, {stats.distinct} distinct states found, "
        f"{stats.left_on_queue} states left on queue.\n{depth}"
    )


def format_result(result: CheckResult, diff: bool = False) -> str:
    """Everything TLC prints after the search: verdict, traces, counts."""
    parts = []
    for violation in result.violations:
        parts.append(format_violation(violation, diff))
    if result.interrupted:
        parts.append("Interrupted: the search was stopped before it finished.")
        if result.checkpoint is not None:
            parts.append(
                f"Checkpoint written to {result.checkpoint}; resume with --recover {result.checkpoint}"
            )
    elif not result.violations:
        if result.postcondition is not None:
            parts.append(result.postcondition)  # TLC: the error, then the counts
        elif result.complete:
            parts.append("Model checking completed. No error has been found." + _collisions(result.stats))
        else:
            parts.append(
                f"Model checking stopped at the depth bound: no error found up to depth {result.stats.depth}."
            )
    cut = result.interrupted or (not result.complete and not result.violations)
    if not (result.violations and result.violations[0].kind == "initial property"):
        parts.append(format_counts(result.stats, complete=not cut))  # TLC stops before counting
    return "\n".join(parts)


def format_coverage(result: CheckResult) -> str:
    lines = ["Coverage (action: enabled in states, successors generated, new distinct states):"]
    for name in sorted(result.coverage):
        c = result.coverage[name]
        lines.append(f"  {name}: {c.enabled}, {c.generated}, {c.distinct}")
    return "\n".join(lines)


def _collisions(stats: Stats) -> str:
    """TLC's estimates of a fingerprint collision; none in exact mode, where there is none.
    TLC prints the second one only when the first is at least 1e-10 (AbstractChecker)."""
    if not stats.fingerprints:
        return ""
    lines = (
        "\n  Estimates of the probability that TLC did not check all reachable states\n"
        "  because two distinct states had the same fingerprint:\n"
        f"  calculated (optimistic):  val = {_probability(stats.collision_probability())}"
    )
    actual = stats.actual_collision_probability()
    if actual is not None:
        lines += f"\n  based on the actual fingerprints:  val = {_probability(actual)}"
    return lines


def _probability(p: float) -> str:
    """TLC writes the estimate as ``7.0E-17``: two significant digits."""
    if p == 0:
        return "0.0"
    mantissa, exponent = f"{p:.1E}".split("E")
    return f"{mantissa}E{int(exponent)}"
