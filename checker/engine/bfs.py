"""Exhaustive breadth-first search with fingerprints, as TLC does it.

Owns the counting rules of shared/DESIGN.md §4 and the shortest counterexample.

Memory. Only three things grow with the state space:
- ``visited``: a set of 64-bit fingerprints (``hash`` of the state, or of its
  symmetry representative);
- ``fps`` and ``parents``: two ``array('q')`` indexed by the order in which
  distinct states were found: the state's fingerprint and its parent's index
  (-1 for an initial state). That is TLC's trace file, in memory.
A trace is rebuilt by replaying the model from an initial state and, at each
step, picking the successor whose fingerprint matches the next link (as TLC
does). So states are never stored, only the current and next BFS level.

Fingerprints are Python's own ``hash`` of the state, which is 64 bits wide,
computed in C and cached by immutable values (``Fn``). Its weakness: CPython
hashes an integer modulo 2^61 - 1 and maps ``hash(-1)`` to -2, so two states
that differ only by -1 against -2 (or by integers congruent modulo 2^61 - 1)
always share a fingerprint, whatever the 2^-64 estimate says. No combination
of built-in hashes can tell them apart, so there is an *exact* mode: the
visited set holds the states (or their representatives) themselves, compared
with ``==``, and ``fps`` becomes a list of them. It costs the states' memory
and nothing else. TLA+ specs run in exact mode (their integers are the user's:
a counter may well pass -1 and -2, and TLC's fingerprints of its own
serialisation have no such blind spot); a Python model opts in with
``exact_states = True`` and anyone with ``--exact`` (``--fingerprints`` for
the reverse). Python models that pack bit sets into ints should use ``bytes``.

Counting (TLC with one worker):
- generated: initial states plus every successor, duplicates and states that
  the CONSTRAINT drops included;
- distinct: states that satisfy the CONSTRAINT, one per symmetry class;
- a state failing the CONSTRAINT is still checked against the invariants,
  but neither stored nor explored; action properties are checked on every step;
- depth: the number of BFS levels that hold a new distinct state;
- deadlock: a stored state with no successor at all (before the CONSTRAINT).
"""

from __future__ import annotations

import itertools
import sys
import time
from array import array
from collections.abc import Callable, Hashable
from typing import Any

from checker.engine.result import (
    ActionCoverage,
    CheckOptions,
    CheckResult,
    Progress,
    Stats,
    Step,
    Trace,
    Violation,
)
from checker.errors import ModelError
from checker.model import Model, label_action
from checker.values import format_value


def check(model: Any, options: CheckOptions | None = None) -> CheckResult:
    """Explore ``model`` exhaustively (breadth first) and return what was found."""
    return _Search(model, options or CheckOptions()).run()


def _overridden(model: Any, name: str) -> Any:
    """The model's member ``name`` unless it is the do-nothing default of ``Model``."""
    member = getattr(model, name, None)
    if member is None:
        return None
    default = getattr(Model, name, None)
    if getattr(member, "__func__", None) is default:
        return None
    return member


class _Search:
    def __init__(self, model: Any, options: CheckOptions) -> None:
        self.model = model
        self.options = options
        self.variables = tuple(model.variables)
        deadlock = options.check_deadlock
        if deadlock is None:
            deadlock = getattr(model, "check_deadlock", True)
        self.check_deadlock = bool(deadlock)
        has_symmetry = getattr(model, "has_symmetry", None)
        if has_symmetry is None:
            has_symmetry = _overridden(model, "symmetry") is not None
        # The key a state is stored under: its symmetry representative (which includes the
        # VIEW when a model has both), else its VIEW (TLC's cfg keyword), else the state.
        self.canon: Callable[[Any], Hashable] | None = None
        if options.symmetry and has_symmetry:
            self.canon = model.symmetry
        elif getattr(model, "has_view", False):
            self.canon = model.view
        self.invariants = list(getattr(model, "invariants", {}).items())
        self.action_properties = list(getattr(model, "action_properties", {}).items())
        self.constraint = _overridden(model, "constraint")
        self.action_constraint = _overridden(model, "action_constraint")
        self.stats = Stats()
        self.violations: list[Violation] = []
        self.reported: set[tuple[str, str]] = set()
        self.stop = False
        # Exact mode keeps the states (or representatives) themselves: no collisions at all.
        exact = options.exact
        if exact is None:
            exact = bool(getattr(model, "exact_states", False))
        self.exact = exact
        self.visited: set[Any] = set()
        self.fps: Any = [] if exact else array("q")
        self.parents = array("q")
        self.coverage: dict[str, ActionCoverage] | None = {} if options.coverage else None

    # -- fingerprints ---------------------------------------------------------

    def fingerprint(self, state: Hashable) -> Any:
        """What the visited set holds for ``state``: its 64-bit hash, or in exact mode the
        state itself (both taken of the symmetry representative when symmetry is on)."""
        if self.canon is not None:
            state = self.canon(state)
        return state if self.exact else hash(state)

    # -- the search -----------------------------------------------------------

    def run(self) -> CheckResult:
        start = time.monotonic()
        interrupted = False
        level: list[tuple[Hashable, int]] = []
        try:
            level = self._initial_level()
            if self.options.progress is not None:
                stats = self.stats
                elapsed = time.monotonic() - start
                self.options.progress(Progress(stats.generated, len(self.fps), len(level), 0, elapsed, True))
            self._explore(level, start)
        except KeyboardInterrupt:
            interrupted = True
        self.stats.elapsed = time.monotonic() - start
        self.stats.distinct = len(self.fps)
        self.stats.store_bytes = self._store_bytes()
        complete = not interrupted and not self.stop and self.stats.left_on_queue == 0
        return CheckResult(
            model=_describe(self.model),
            stats=self.stats,
            violations=self.violations,
            complete=complete,
            interrupted=interrupted,
            coverage=self.coverage or {},
        )

    def _store_bytes(self) -> int:
        """Bytes held by the visited set and the parent links (sampled int sizes)."""
        if self.exact:  # states are shared with the model; count the set and the links only
            return sys.getsizeof(self.visited) + sys.getsizeof(self.fps) + len(self.parents) * 8
        sample = list(itertools.islice(self.visited, 1000))
        per_int = sum(map(sys.getsizeof, sample)) / len(sample) if sample else 0
        arrays = (len(self.fps) + len(self.parents)) * self.fps.itemsize
        return int(sys.getsizeof(self.visited) + per_int * len(self.visited) + arrays)

    def _initial_level(self) -> list[tuple[Hashable, int]]:
        level: list[tuple[Hashable, int]] = []
        found_any = False
        try:
            initial = list(self.model.init_states())
        except ModelError:
            raise
        except Exception as exc:
            raise ModelError(
                f"The model {_describe(self.model)} raised {type(exc).__name__}: {exc} in "
                "init_states(). Run again with --debug to see the Python traceback."
            ) from exc
        for state in initial:
            found_any = True
            self.stats.generated += 1
            in_model = self.constraint is None or self.constraint(state)
            if in_model:
                fp = self.fingerprint(state)
                if fp in self.visited:
                    continue
                self.visited.add(fp)
                self.fps.append(fp)
                self.parents.append(-1)
                level.append((state, len(self.fps) - 1))
                self._visit(state, 1)
            self._check_invariants(state, -1, None)
            if self.stop:
                break
        if not found_any:
            raise ModelError(
                f"The model {_describe(self.model)} has no initial state: init_states() "
                "produced nothing. The usual cause is an Init that no state satisfies "
                "(contradictory conjuncts, or a set that is empty under the chosen "
                "parameters). Check the initial predicate and the model's parameters."
            )
        if level:
            self.stats.depth = 1
        return level

    def _explore(self, level: list[tuple[Hashable, int]], start: float) -> None:
        opts = self.options
        stats = self.stats
        visited = self.visited
        visited_add = visited.add
        fps_append = self.fps.append
        parents_append = self.parents.append
        canon = self.canon
        exact = self.exact
        constraint = self.constraint
        action_constraint = self.action_constraint
        invariants = self.invariants
        action_properties = self.action_properties
        coverage = self.coverage
        next_steps = self.model.next_steps
        check_deadlock = self.check_deadlock
        hooked = opts.visit is not None or opts.max_states is not None
        progress = opts.progress
        next_report = start + opts.progress_interval
        generated = stats.generated
        depth = stats.depth
        try:
            while level and not self.stop:
                if opts.max_depth is not None and depth >= opts.max_depth:
                    stats.left_on_queue = len(level)
                    break
                next_level: list[tuple[Hashable, int]] = []
                next_append = next_level.append
                for position, (state, idx) in enumerate(level):
                    successors = 0
                    label = None
                    try:
                        for label, succ in next_steps(state):
                            successors += 1
                            if coverage is not None:
                                _count_coverage(coverage, label)
                            if (constraint is not None and not constraint(succ)) or (
                                action_constraint is not None and not action_constraint(state, succ)
                            ):
                                # Outside the model: checked, not stored nor explored.
                                self._check_invariants(succ, idx, label)
                                if action_properties:
                                    self._check_step(state, succ, idx, label)
                                if self.stop:
                                    break
                                continue
                            fp = canon(succ) if canon is not None else succ
                            if not exact:
                                fp = hash(fp)
                            if fp in visited:
                                if action_properties:
                                    self._check_step(state, succ, idx, label)
                                    if self.stop:
                                        break
                                continue
                            visited_add(fp)
                            fps_append(fp)
                            parents_append(idx)
                            if coverage is not None:
                                coverage[label_action(label)].distinct += 1
                            for name, inv in invariants:
                                if not inv(succ):
                                    self._violated("invariant", name, idx, label, succ)
                            if action_properties:
                                self._check_step(state, succ, idx, label)
                            if hooked:
                                self._visit(succ, depth + 1)
                            if self.stop:
                                break
                            next_append((succ, len(self.fps) - 1))
                    except ModelError:
                        raise
                    except Exception as exc:  # a fault in the model's own code
                        raise self._model_fault(exc, state, label) from exc
                    generated_before = generated
                    generated = stats.generated = generated + successors
                    if coverage is not None:
                        _count_enabled(coverage, self.model, state, successors)
                    if successors == 0 and check_deadlock:
                        self._violated("deadlock", "deadlock", idx, None, None)
                    if self.stop:
                        stats.left_on_queue = len(level) - position - 1 + len(next_level)
                        break
                    if progress is not None and generated >> 12 != generated_before >> 12:
                        now = time.monotonic()
                        if now >= next_report:
                            next_report = now + opts.progress_interval
                            progress(
                                Progress(
                                    generated,
                                    len(self.fps),
                                    len(level) - position - 1 + len(next_level),
                                    depth,
                                    now - start,
                                )
                            )
                if next_level and not self.stop:
                    depth += 1
                    stats.depth = depth
                level = next_level
        except KeyboardInterrupt:
            stats.left_on_queue = len(level)
            stats.depth = depth
            raise

    def _visit(self, state: Hashable, depth: int) -> None:
        """The client's hooks (``CheckOptions.visit``, ``max_states``) on a new distinct state."""
        opts = self.options
        if opts.visit is not None and opts.visit(state, depth):
            self.stop = True
        if opts.max_states is not None and len(self.fps) >= opts.max_states:
            self.stop = True

    # -- properties -----------------------------------------------------------

    def _check_invariants(self, state: Hashable, parent: int, label: Any) -> None:
        for name, inv in self.invariants:
            try:
                ok = inv(state)
            except ModelError:
                raise
            except Exception as exc:
                raise self._model_fault(exc, state, label, f"invariant {name}") from exc
            if not ok:
                self._violated("invariant", name, parent, label, state)

    def _check_step(self, state: Hashable, succ: Hashable, parent: int, label: Any) -> None:
        for name, prop in self.action_properties:
            if not prop(state, succ):
                self._violated("action property", name, parent, label, succ)

    def _violated(self, kind: str, name: str, parent: int, label: Any, state: Hashable) -> None:
        key = (kind, name)
        if key in self.reported:
            return
        self.reported.add(key)
        steps = self._rebuild(parent)
        if state is not None:
            steps.append(Step(label, state, self._record(state)))
        self.violations.append(Violation(kind, name, Trace(self.variables, tuple(steps))))
        # TLC reports the depth reached when it stopped: the violating state's level.
        self.stats.depth = max(self.stats.depth, len(steps))
        if not self.options.keep_going:
            self.stop = True

    # -- traces ---------------------------------------------------------------

    def _record(self, state: Hashable) -> dict[str, Any]:
        return dict(self.model.as_record(state))

    def _rebuild(self, idx: int) -> list[Step]:
        """Replay the model along the fingerprint chain ending at ``idx``."""
        if idx < 0:
            return []
        chain: list[int] = []
        while idx >= 0:
            chain.append(self.fps[idx])
            idx = self.parents[idx]
        chain.reverse()
        current = None
        for state in self.model.init_states():
            if self._in_model(state) and self.fingerprint(state) == chain[0]:
                current = state
                break
        if current is None:
            raise self._replay_failure(0, None, chain)
        steps = [Step(None, current, self._record(current))]
        for i, want in enumerate(chain[1:], 1):
            for label, succ in self.model.next_steps(current):
                if self.fingerprint(succ) == want and self._in_model(succ, current):
                    steps.append(Step(label, succ, self._record(succ)))
                    current = succ
                    break
            else:
                raise self._replay_failure(i, current, chain)
        return steps

    def _in_model(self, state: Hashable, previous: Hashable | None = None) -> bool:
        if self.constraint is not None and not self.constraint(state):
            return False
        if previous is not None and self.action_constraint is not None:
            return bool(self.action_constraint(previous, state))
        return True

    # -- explaining failures -------------------------------------------------

    def _replay_failure(self, step: int, state: Hashable | None, chain: list[int]) -> ModelError:
        where = (
            "none of the initial states has the fingerprint recorded for the first state"
            if state is None
            else f"from state {step} ({self._show(state)}), no successor has the "
            f"fingerprint recorded for state {step + 1}"
        )
        return ModelError(
            f"Cannot rebuild the counterexample of {_describe(self.model)}: replaying the "
            f"model along the {len(chain)} recorded fingerprints failed, because {where}. "
            "The engine stores fingerprints, not states, and rebuilds a trace by running "
            "init_states() and next_steps() again, so they must return the same states "
            "every time they are called with the same state. The usual cause is a model "
            "that is not deterministic: it reads a clock, a random number generator or "
            "mutable state outside the state (a global, an attribute changed by "
            "next_steps), or it mutates a state in place. Make next_steps a pure function "
            "of its argument and states immutable (tuples, frozensets, frozen dataclasses)."
        )

    def _model_fault(
        self, exc: Exception, state: Hashable, label: Any, where: str = "next_steps"
    ) -> ModelError:
        after = f" after it produced the step {label}" if label is not None and where == "next_steps" else ""
        return ModelError(
            f"The model {_describe(self.model)} raised {type(exc).__name__}: {exc} in "
            f"{where}{after}, in the state\n{self._show(state)}\n"
            "Run again with --debug to see the Python traceback."
        )

    def _show(self, state: Hashable) -> str:
        try:
            record = self.model.as_record(state)
            return "\n".join(f"/\\ {k} = {format_value(v)}" for k, v in record.items())
        except Exception:
            return repr(state)


def _count_coverage(coverage: dict[str, ActionCoverage], label: Any) -> None:
    name = label_action(label)
    entry = coverage.get(name)
    if entry is None:
        entry = coverage[name] = ActionCoverage()
    entry.generated += 1


def _count_enabled(coverage: dict[str, ActionCoverage], model: Any, state: Hashable, n: int) -> None:
    # Enabled counts need the set of actions that fired in this state; recount
    # cheaply from the labels (coverage is an opt-in diagnostic).
    if n == 0:
        return
    names = {label_action(label) for label, _ in model.next_steps(state)}
    for name in names:
        coverage[name].enabled += 1


def _describe(model: Any) -> str:
    describe = getattr(model, "describe", None)
    return describe() if callable(describe) else type(model).__name__

