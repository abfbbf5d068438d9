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
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from checker.engine import CheckOptions, check
from checker.errors import TlacheckError
from checker.model import Model
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
                return Replay(False, "the explicit evaluator does not find this state among the initial states")
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
            return Replay(False, "the explicit evaluator does not find the second state among the successors "
                          "of the first")
        if holds(second):
            return Replay(False, f"the explicit evaluator finds {inv} true in the second state")
        via = "" if cti.action in labels else f" (the evaluator reaches it by {labels[0]})"
        return Replay(True, f"confirmed: {inv} holds, {cti.action} steps to a state where it fails{via}")
    except TlacheckError as exc:
        return Replay(False, f"the explicit evaluator could not evaluate it: {str(exc).splitlines()[0]}")


class _Budget(Exception):
    pass


class _Search(Model):
    """The spec's model seen by BFS: no symmetry (a CTI is one concrete state), a state budget,
    and invariants "this is not the CTI's state" plus IndInv."""

    def __init__(self, model: Any, invariants: Mapping[str, Callable[[Any], bool]], budget: int) -> None:
        self.inner = model
        self.variables = tuple(model.variables)
        self.invariants = dict(invariants)
        self.check_deadlock = False
        self.budget = budget
        self.expanded = 0
        self.exhausted = False

    def init_states(self) -> Iterable[Hashable]:
        return self.inner.init_states()  # type: ignore[no-any-return]

    def next_steps(self, state: Hashable) -> Iterable[tuple[Any, Hashable]]:
        self.expanded += 1
        if self.expanded > self.budget:
            self.exhausted = True
            raise _Budget()
        return self.inner.next_steps(state)  # type: ignore[no-any-return]

    def constraint(self, state: Hashable) -> bool:
        return bool(self.inner.constraint(state))

    def action_constraint(self, state: Hashable, next_state: Hashable) -> bool:
        return bool(self.inner.action_constraint(state, next_state))

    def as_record(self, state: Hashable) -> dict[str, Value]:
        return dict(self.inner.as_record(state))


def reach(model: Any, ctis: Sequence[Cti], inv: str, max_depth: int | None, budget: int = 50_000) -> Reach:
    """BFS for the first state of each CTI and for a reachable state breaking ``inv``."""
    targets = [_state(model, c.trace.steps[0].record) for c in ctis]
    invariants: dict[str, Callable[[Any], bool]] = {}
    for i, target in enumerate(targets):
        invariants[f"cti{i}"] = lambda s, target=target: s != target
    holds = model.invariants[inv]
    invariants["inv"] = holds
    search = _Search(model, invariants, budget)
    options = CheckOptions(check_deadlock=False, max_depth=max_depth, keep_going=True, symmetry=False)
    try:
        result = check(search, options)
    except TlacheckError as exc:
        note = (f"BFS stopped after expanding {budget:,} states without finishing" if search.exhausted
                else f"BFS failed: {str(exc).splitlines()[0]}")
        return Reach(False, 0, 0, tuple(None for _ in ctis), None, note)
    found: dict[str, int] = {v.name: len(v.trace) for v in result.violations}
    return Reach(
        result.complete,
        result.stats.depth,
        result.stats.distinct,
        tuple(found.get(f"cti{i}") for i in range(len(ctis))),
        found.get("inv"),
    )
