"""Soundness cross-checks of a Z3 answer with the explicit evaluator and BFS.

This module owns what ``prove`` does not take on Z3's word:

- every counterexample is evaluated again by the explicit evaluator (``checker.tla``):
  IndInv holds in its first state, the second state is a successor of the first under
  Next, and IndInv fails in it (for IndInit: the state is initial and breaks IndInv; for
  IndProp: IndInv holds and the invariant fails);
- reachability: a BFS of the instance (``checker.engine``) looks for the first state of each
  counterexample, and for any reachable state that violates IndInv. "Inductive" is never
  reported when BFS finds such a state; that would be a fault of ``prove`` and is reported
  as one.

The explicit model is the spec compiled with the cfg plus ``INVARIANT IndInv`` (a copy of
the cfg in a temporary folder), so the evaluator judges the very operator Z3 encoded.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

from checker.errors import TlacheckError
from checker.prove.induction import Cti
from checker.values import Value


@dataclasses.dataclass(frozen=True, slots=True)
class Replay:
    """The explicit evaluator's verdict on one counterexample."""

    confirmed: bool
    note: str


@dataclasses.dataclass(frozen=True, slots=True)
class Reach:
    """What BFS found: whether it covered the state space, and per counterexample a verdict."""

    complete: bool  # the whole reachable state space was explored
    depth: int  # BFS levels explored
    distinct: int
    found: tuple[int | None, ...]  # per CTI: the depth at which its first state is reachable
    inv_violation: int | None  # the depth of a reachable state breaking IndInv, if any
    note: str = ""
    inv_checked: bool = False  # whether IndInv was evaluated on the states explored


def explicit_model(spec: Path, config: Path | None, libs: Sequence[Path], inv: str) -> Any:
    """The spec compiled by the explicit evaluator, with ``inv`` among its invariants."""
    from checker.tla.loader import load_spec_model

    cfg = config if config is not None else spec.with_suffix(".cfg")
    text = cfg.read_text(encoding="utf-8") if cfg.is_file() else ""
    with tempfile.TemporaryDirectory(prefix="tlacheck-prove-") as tmp:
        copy = Path(tmp) / cfg.name
        copy.write_text(text + f"\nINVARIANT {inv}\n", encoding="utf-8")
        return load_spec_model(spec, copy, [*libs, cfg.parent])


def _state(model: Any, record: Mapping[str, Value]) -> tuple[Value, ...]:
    return tuple(record[v] for v in model.variables)


def replay(model: Any, cti: Cti, inv: str) -> Replay:
    """Re-evaluate ``cti`` with the explicit evaluator."""
    holds = model.invariants[inv]
    try:
        first = _state(model, cti.trace.steps[0].record)
        if cti.kind == "IndInit":
            if first not in set(model.init_states()):
                return Replay(
                    False, "the explicit evaluator does not find this state among the initial states"
                )
            if holds(first):
                return Replay(False, f"the explicit evaluator finds {inv} true in this initial state")
            return Replay(True, f"confirmed: an initial state, and {inv} is false in it")
        if not holds(first):
            return Replay(False, f"the explicit evaluator finds {inv} false in the first state")
        if cti.kind == "IndProp":
            prop = model.invariants.get(cti.broken[0])
            if prop is not None and prop(first):
                return Replay(False, f"the explicit evaluator finds {cti.broken[0]} true in this state")
            return Replay(True, f"confirmed: {inv} holds and {cti.broken[0]} fails")
        second = _state(model, cti.trace.steps[1].record)
        labels = [str(label) for label, succ in model.next_steps(first) if succ == second]
        if not labels:
            return Replay(
                False,
                "the explicit evaluator does not find the second state among the successors of the first",
            )
        if holds(second):
            return Replay(False, f"the explicit evaluator finds {inv} true in the second state")
        via = "" if cti.action in labels else f" (the evaluator reaches it by {labels[0]})"
        return Replay(True, f"confirmed: {inv} holds, {cti.action} steps to a state where it fails{via}")
    except TlacheckError as exc:
        return Replay(
            False, f"the explicit evaluator could not evaluate it: {str(exc).splitlines()[0].rstrip('.')}"
        )


def reach(
    model: Any,
    ctis: Sequence[Cti],
    inv: str,
    max_depth: int | None,
    budget: int = 10_000,
    check_inv: bool = True,
) -> Reach:
    """BFS for the first state of each CTI and (with ``check_inv``) for a reachable state
    breaking ``inv``; stops when everything sought is found, at ``max_depth`` levels, or after
    ``budget`` distinct states. No symmetry reduction: a CTI is one concrete state."""
    targets: dict[tuple[Value, ...], list[int]] = {}
    for i, c in enumerate(ctis):
        targets.setdefault(_state(model, c.trace.steps[0].record), []).append(i)
    found: list[int | None] = [None] * len(ctis)
    holds = model.invariants[inv]
    violation: int | None = None
    seen: set[Hashable] = set()
    level: list[Hashable] = []
    depth = 0

    def visit(state: Hashable, at: int) -> None:
        nonlocal violation
        for i in targets.get(state, ()):  # type: ignore[call-overload]
            found[i] = at
        if check_inv and violation is None and not holds(state):
            violation = at

    def done() -> bool:
        return all(f is not None for f in found) and (not check_inv or violation is not None)

    try:
        for state in model.init_states():
            if state not in seen and model.constraint(state):
                seen.add(state)
                level.append(state)
                visit(state, 1)
        depth = 1 if level else 0
        while level and not done():
            if max_depth is not None and depth >= max_depth:
                return Reach(False, depth, len(seen), tuple(found), violation, inv_checked=check_inv)
            if len(seen) >= budget:
                return Reach(
                    False,
                    depth,
                    len(seen),
                    tuple(found),
                    violation,
                    f"BFS stopped after {len(seen):,} states (depth {depth}) without finishing",
                    check_inv,
                )
            nxt: list[Hashable] = []
            for state in level:
                for _, succ in model.next_steps(state):
                    if succ in seen or not model.constraint(succ) or not model.action_constraint(state, succ):
                        continue
                    seen.add(succ)
                    nxt.append(succ)
                    visit(succ, depth + 1)
            if nxt:
                depth += 1
            level = nxt
    except TlacheckError as exc:
        return Reach(
            False,
            depth,
            len(seen),
            tuple(found),
            violation,
            f"BFS failed: {str(exc).splitlines()[0].rstrip('.')}",
            check_inv,
        )
    return Reach(not level, depth, len(seen), tuple(found), violation, inv_checked=check_inv)
