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

The explicit model is the very ``Spec`` that Z3 encoded (``checker.tla.spec``), compiled with
``IndInv`` among its invariants, so the evaluator judges the very operator Z3 encoded. The
reachability search is the engine's (``checker.engine.check``) with a visitor that stops it
once everything sought is found.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from checker.engine import CheckOptions, check
from checker.errors import TlacheckError
from checker.prove.induction import Cti
from checker.tla.spec import Spec
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


def explicit_model(spec: Spec, inv: str, invariants: bool = True) -> Any:
    """The spec compiled by the explicit evaluator, with ``inv`` among its invariants (and,
    unless ``invariants`` is false, the cfg's); without SYMMETRY, VIEW and PROPERTY: a
    counterexample is one concrete state, and properties are not what is proved."""
    from checker.tla.model import build_model

    cfg = spec.cfg
    names = (*cfg.invariants, inv) if invariants else (inv,)
    return build_model(
        spec.with_cfg(dataclasses.replace(cfg, invariants=names, properties=(), symmetry=None, view=None))
    )


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
    seconds: float | None = None,
) -> Reach:
    """BFS for the first state of each CTI and (with ``check_inv``) for a reachable state
    breaking ``inv``; stops when everything sought is found, at ``max_depth`` levels, after
    ``budget`` distinct states, or after ``seconds``. No symmetry reduction: a CTI is one
    concrete state."""
    targets: dict[tuple[Value, ...], list[int]] = {}
    for i, c in enumerate(ctis):
        targets.setdefault(_state(model, c.trace.steps[0].record), []).append(i)
    found: list[int | None] = [None] * len(ctis)
    holds = model.invariants[inv]
    violation: int | None = None
    deepest = 0

    seen_states: list[None] = []  # a counter the time limit can read
    limit = _Limit()

    def visit(state: Any, at: int) -> bool:
        """Note what ``state`` is; True (stop) when everything sought is found."""
        nonlocal violation, deepest
        if limit.expired:
            raise _OutOfTime
        seen_states.append(None)
        deepest = max(deepest, at)
        for i in targets.get(state, ()):
            found[i] = at
        if check_inv and violation is None and not holds(state):
            violation = at
        return all(f is not None for f in found) and (not check_inv or violation is not None)

    # The engine checks no invariant here (the visitor judges IndInv) and reports no deadlock.
    quiet = _WithoutInvariants(model)
    options = CheckOptions(
        check_deadlock=False, max_depth=max_depth, symmetry=False, visit=visit, max_states=budget
    )
    try:
        with _time_limit(seconds, limit):
            result = check(quiet, options)
    except _OutOfTime:
        return Reach(
            False,
            deepest,
            len(seen_states),
            tuple(found),
            violation,
            f"BFS stopped after {seconds:g}s ({len(seen_states):,} states, depth {deepest}) without finishing"
            if seen_states
            else f"BFS stopped after {seconds:g}s while computing the initial states",
            check_inv,
        )
    except TlacheckError as exc:
        return Reach(
            False,
            deepest,
            0,
            tuple(found),
            violation,
            f"BFS failed: {str(exc).splitlines()[0].rstrip('.')}",
            check_inv,
        )
    distinct = result.stats.distinct
    note = ""
    if not result.complete and distinct >= budget:
        note = f"BFS stopped after {distinct:,} states (depth {deepest}) without finishing"
    return Reach(result.complete, deepest, distinct, tuple(found), violation, note, check_inv)


class _OutOfTime(BaseException):
    """Raised by the timer inside the search (a BaseException: no model code may catch it)."""


class _Limit:
    """Set when the time is up: the search's visitor stops at the next state."""

    expired = False


GRACE = 1.0  # seconds the visitor has to notice the limit before the search is interrupted


@contextlib.contextmanager
def _time_limit(seconds: float | None, limit: _Limit) -> Iterator[None]:
    """Stop the block after ``seconds``: ``limit.expired`` is set, which the visitor reads at
    each state; if it has not stopped ``GRACE`` seconds later (computing the initial states
    of a spec like ``IndInit == TypeOK /\\ IndInv`` is one call that no check between states
    could cut short), a timer thread raises ``_OutOfTime`` in this thread (CPython's
    ``PyThreadState_SetAsyncExc``, as the CLI does for Ctrl-C in its worker thread). The
    flag comes first because an exception raised that way can land in a garbage collector's
    callback, where Python ignores it."""
    if seconds is None:
        yield
        return
    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    active = True
    fired = False

    def interrupt() -> None:
        nonlocal fired
        with lock:
            if active:
                fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(_OutOfTime))

    def expire() -> None:
        limit.expired = True
        later.start()

    later = threading.Timer(GRACE, interrupt)
    later.daemon = True
    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        later.cancel()
        with lock:
            active = False
            if fired:  # the block may have ended as the timer fired: drop what was not raised
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)


class _WithoutInvariants:
    """``model`` as the engine sees it, minus its invariants and action properties."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self.variables = model.variables
        self.invariants: dict[str, Any] = {}
        self.action_properties: dict[str, Any] = {}
        self.exact_states = True
        self.has_symmetry = False
        self.has_view = False
        self.init_states = model.init_states
        self.next_steps = model.next_steps
        self.constraint = model.constraint
        self.action_constraint = model.action_constraint
        self.as_record = model.as_record
