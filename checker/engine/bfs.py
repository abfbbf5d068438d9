"""Exhaustive breadth-first search with fingerprints, as TLC does it.

Owns the counting rules of shared/DESIGN.md §4 and the shortest counterexample.

Memory. Only three things grow with the state space:
- ``visited``: a :class:`~checker.engine.visited.FingerprintSet` of 64-bit fingerprints
  (checker/engine/fingerprint.py: a canonical encoding of the state, or of its symmetry
  representative or VIEW, hashed with BLAKE2b; the same in every process), 10.7 to 16
  bytes a state in RAM, spilled to disk past ``CheckOptions.memory``;
- the trace links: for each distinct state in the order found, its fingerprint and its
  parent's index, in an append-only file (TLC's trace file; no RAM per state);
- the frontier: the current and the next BFS level, moved to disk in chunks when large
  (checker/engine/frontier.py).
A trace is rebuilt by replaying the model from an initial state and, at each step,
picking the successor whose fingerprint matches the next link (as TLC does).

*Exact* mode (``--exact``, or a Python model's ``exact_states = True``) keeps the states
(or their representatives) themselves in a Python set, compared with ``==``: no collision
is possible, at the cost of the states' memory; no collision estimate is printed then.
With ``--checkpoint DIR`` the search writes checkpoints (checker/engine/checkpoint.py).

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

import signal
import sys
import tempfile
import time
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator
from pathlib import Path
from typing import Any

from checker.engine.checkpoint import (
    Snapshot,
    frontier_dir,
    has_checkpoint,
    links_path,
    load_checkpoint,
    runs_dir,
    save_checkpoint,
)
from checker.engine.classes import by_class
from checker.engine.fingerprint import Fingerprinter, UnencodableValue
from checker.engine.frontier import Frontier
from checker.engine.gctune import gc_tuned
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
from checker.engine.visited import FingerprintSet, TraceLinks
from checker.errors import ModelError
from checker.model import Model, label_action
from checker.values import format_value

Entry = tuple[Hashable, int]  # a state of the frontier and its index in the trace links


def check(model: Any, options: CheckOptions | None = None) -> CheckResult:
    """Explore ``model`` exhaustively (breadth first) and return what was found."""
    return Search(model, options or CheckOptions()).run()


def _overridden(model: Any, name: str) -> Any:
    """The model's member ``name`` unless it is the do-nothing default of ``Model``, or the
    model says it does nothing (``_idle_member(name)``: a TLA+ spec's CONSTRAINT where the cfg has
    none, which would be called for every successor)."""
    member = getattr(model, name, None)
    if member is None:
        return None
    idle = getattr(model, "_idle_member", None)
    if idle is not None and idle(name):
        return None
    default = getattr(Model, name, None)
    if getattr(member, "__func__", None) is default:
        return None
    return member


class Search:
    """One search: its options, its visited set and links, its counts and violations (the
    shards of checker/engine/parallel.py use its parts too)."""

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
        # A step is checked once per state when the properties are functions of the two states:
        # the same successor reached by another action (braf's WriteAtMost(data) for each data
        # with the same prefix) gives the same answer.
        self.steps_once = bool(getattr(model, "invariants_pure", True))
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
        invariant_classes = getattr(model, "invariant_classes", {})
        self.all_invariants: Callable[[], Callable[..., bool] | None] | None = None
        if invariant_classes and not exact and not (options.symmetry and has_symmetry):
            # Each invariant evaluated once per class of states it cannot tell apart.
            self.invariants = by_class(self.invariants, invariant_classes)
        else:  # every invariant at once where the model has a faster way (a TLA+ spec's, generated)
            self.all_invariants = getattr(model, "all_invariants", None)
        self.by_parent = bool(getattr(model, "all_invariants_by_parent", False))
        self.fingerprinter = Fingerprinter()
        self.coverage: dict[str, ActionCoverage] | None = {} if options.coverage else None
        self.directory = options.recover or options.checkpoint
        if self.directory is not None and exact:
            raise ModelError(
                "--checkpoint and --recover work with fingerprints, not with --exact: exact mode "
                "keeps whole states in RAM, which a checkpoint would have to write out."
            )
        self.scratch: tempfile.TemporaryDirectory[str] | None = None
        self.visited: FingerprintSet | _ExactSet
        self.links: TraceLinks | _ExactLinks
        if exact:
            self.visited = _ExactSet()
            self.links = _ExactLinks()
        elif self.directory is not None:
            self.visited = FingerprintSet(options.memory, runs_dir(self.directory))
            self.links = _NoLinks()  # opened by run(): fresh, or recovered
        else:
            # Everything the search writes goes into one temporary folder, removed at the end
            # (or by the folder object's finaliser when the search raises).
            self.scratch = tempfile.TemporaryDirectory(prefix="tlacheck-")
            self.visited = FingerprintSet(options.memory, Path(self.scratch.name) / "runs")
            self.links = TraceLinks(Path(self.scratch.name) / "links.bin")
        self.halt: str | None = None  # set by SIGINT/SIGTERM when checkpointing
        self.next_checkpoint = 0.0

    # -- fingerprints ---------------------------------------------------------

    def fingerprint(self, state: Hashable) -> Any:
        """What the visited set holds for ``state``: its 64-bit fingerprint, or in exact mode
        the state itself (both taken of the symmetry representative or the VIEW)."""
        if self.canon is not None:
            state = self.canon(state)
        if self.exact:
            return state
        try:
            return self.fingerprinter(state)
        except UnencodableValue as exc:
            raise ModelError(
                f"Cannot fingerprint a state of {_describe(self.model)}: {exc}. Make the state of "
                "such values, or run with --exact (states compared with ==, kept in RAM)."
            ) from exc

    def _frontier(self) -> Frontier:
        if self.exact:
            return Frontier(None)
        if self.directory is not None:
            return Frontier(frontier_dir(self.directory), self.options.frontier_chunk)
        assert self.scratch is not None
        return Frontier(Path(self.scratch.name) / "frontier", self.options.frontier_chunk)

    # -- the search -----------------------------------------------------------

    def run(self) -> CheckResult:
        start = time.monotonic()
        interrupted = False
        restore = self._catch_signals()
        try:
            with gc_tuned():  # as the workers of parallel.py collect
                level, following = self._start()
                if self.options.recover is None:
                    self.stats.initial = len(self.links)
                if self.options.progress is not None and self.options.recover is None:
                    elapsed = time.monotonic() - start
                    self.options.progress(
                        Progress(self.stats.generated, len(self.links), len(level), 0, elapsed, True)
                    )
                self.next_checkpoint = start + self.options.checkpoint_interval
                self._explore(level, following, start)
                if self.halt is not None:
                    interrupted = True
        except KeyboardInterrupt:
            interrupted = True
        finally:
            restore()
        self.stats.elapsed = time.monotonic() - start
        self.stats.distinct = len(self.links)
        self.stats.store_bytes = self._store_bytes()
        if not self.exact:
            self.stats.fingerprints = True
            self.stats.min_fp_distance = self._min_distance_if_needed()
        complete = not interrupted and not self.stop and self.stats.left_on_queue == 0
        self.links.close()
        if self.scratch is not None:
            self.scratch.cleanup()
        return CheckResult(
            model=_describe(self.model),
            stats=self.stats,
            violations=self.violations,
            complete=complete,
            interrupted=interrupted,
            coverage=self.coverage or {},
            checkpoint=str(self.directory) if interrupted and self.directory is not None else None,
        )

    def _start(self) -> tuple[Frontier, Frontier]:
        """The level to explore and the next level so far: fresh, or from a checkpoint."""
        directory = self.directory
        if self.options.recover is not None:
            assert directory is not None
            snap, visited, links = load_checkpoint(
                directory, _describe(self.model), self.variables, self.options.memory
            )
            self.visited, self.links = visited, links
            self.stats.generated = snap.generated
            self.stats.depth = snap.depth
            self.reported = snap.reported
            self.violations = snap.violations
            self.coverage = snap.coverage
            level, following = self._frontier(), self._frontier()
            level.items.extend(snap.current)
            following.items.extend(snap.following)
            return level, following
        if directory is not None:
            if has_checkpoint(directory):
                raise ModelError(
                    f"--checkpoint {directory}: this folder already holds a checkpoint. Resume it "
                    "with --recover, or give an empty folder."
                )
            directory.mkdir(parents=True, exist_ok=True)
            self.links = TraceLinks(links_path(directory), keep=0)
        level = self._frontier()
        level.items.extend(self._initial_level())
        return level, self._frontier()

    def _catch_signals(self) -> Callable[[], None]:
        """With a checkpoint folder, Ctrl-C and SIGTERM stop the search at the next parent
        boundary, where a checkpoint is written; without one, Ctrl-C interrupts at once."""
        if self.directory is None:
            return lambda: None

        def stop(signum: int, frame: Any) -> None:
            self.halt = signal.Signals(signum).name

        saved: list[tuple[int, Any]] = []
        try:
            for signum in (signal.SIGINT, signal.SIGTERM):
                saved.append((signum, signal.signal(signum, stop)))
        except ValueError:  # not the main thread: signals stay as they are
            pass

        def restore() -> None:
            for signum, handler in saved:
                signal.signal(signum, handler)

        return restore

    def _save(self, current: Iterable[Entry], following: Iterable[Entry], depth: int) -> None:
        assert self.directory is not None and isinstance(self.visited, FingerprintSet)
        assert isinstance(self.links, TraceLinks)
        snap = Snapshot(
            model=_describe(self.model),
            variables=self.variables,
            generated=self.stats.generated,
            distinct=len(self.links),
            depth=depth,
            current=list(current),
            following=list(following),
            reported=self.reported,
            violations=self.violations,
            coverage=self.coverage,
        )
        save_checkpoint(
            self.directory, snap, self.visited, self.links, self.options.checkpoint_hook
        )

    def _store_bytes(self) -> int:
        """Bytes of RAM held by the visited set and the trace links (the frontier excluded)."""
        if isinstance(self.visited, FingerprintSet):
            return self.visited.ram_bytes() + 8 * _BUFFERED_LINKS
        # Exact mode: states are shared with the model; count the set and the links only.
        assert isinstance(self.links, _ExactLinks)
        return sys.getsizeof(self.visited.states) + self.links.ram_bytes()

    def _min_distance_if_needed(self) -> int | None:
        """TLC's "based on the actual fingerprints" figure needs the smallest distance between
        two stored fingerprints; like TLC, only computed when the optimistic estimate is not
        negligible (at least 1e-10)."""
        if self.stats.collision_probability() < 1e-10 or not isinstance(self.visited, FingerprintSet):
            return None
        return min_distance(self.visited)

    def _initial_level(self) -> list[Entry]:
        level: list[Entry] = []
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
                if not self.visited.add(fp):
                    continue
                level.append((state, len(self.links)))
                self.links.append(fp, -1)
                if self.options.recorder is not None:
                    self.options.recorder.initial(fp)
                self._visit(state, 1)
            self._check_invariants(state, -1, None)
            if self.stop:
                break
        if not found_any and not getattr(self.model, "no_behaviour", False):
            raise ModelError(
                f"The model {_describe(self.model)} has no initial state: init_states() "
                "produced nothing. The usual cause is an Init that no state satisfies "
                "(contradictory conjuncts, or a set that is empty under the chosen "
                "parameters). Check the initial predicate and the model's parameters."
            )
        if level:
            self.stats.depth = 1
        return level

    def _explore(self, level: Frontier, next_level: Frontier, start: float) -> None:
        opts = self.options
        stats = self.stats
        visited = self.visited
        # The C probe itself where there is one (0 there, 1 added, 2 added and the table to grow).
        visited_add: Callable[[Any], int] = visited.adder() or visited.add
        links_append: Callable[[Any, int], None] = self.links.append
        canon = self.canon
        exact = self.exact
        fingerprint = self.fingerprinter.call  # (the C function itself where it is built)
        # Fingerprinted and added in one C call, where the state itself is what is fingerprinted
        # and a state seen before needs no fingerprint (the liveness recorder's edges do).
        c_fingerprint = canon is None and not exact and opts.recorder is None and self.fingerprinter.in_c
        add_state = visited.state_adder() if c_fingerprint else None  # type: ignore[union-attr]
        counts = visited.counts if add_state is not None else None  # type: ignore[union-attr]
        # Nothing but the fingerprint to do with a successor seen before (no coverage, state or
        # action constraint, step property, liveness recorder).
        plain = (
            add_state is not None
            and self.coverage is None
            and self.constraint is None
            and self.action_constraint is None
            and not self.action_properties
        )
        intern = None if exact else self.fingerprinter.interner()
        constraint = self.constraint
        action_constraint = self.action_constraint
        invariants = self.invariants
        action_properties = self.action_properties
        coverage = self.coverage
        next_steps = self.model.next_steps
        check_deadlock = self.check_deadlock
        hooked = opts.visit is not None or opts.max_states is not None
        recorder = opts.recorder
        progress = opts.progress
        next_report = start + opts.progress_interval
        checkpointing = self.directory is not None
        generated = stats.generated
        depth = stats.depth
        distinct = len(self.links)
        parents: Iterator[Entry] = iter(())
        try:
            while level and not self.stop:
                if opts.max_depth is not None and depth >= opts.max_depth:
                    stats.left_on_queue = len(level)
                    break
                level_size = len(level)
                next_append = next_level.items.append
                all_hold = self.all_invariants() if self.all_invariants is not None else None
                # The parent to it too where it takes one: every invariant held on the parent
                # unless the search goes on after a violation (--continue).
                by_parent = all_hold is not None and self.by_parent and not opts.keep_going
                settle = next_level.settle
                parents = iter(level)
                for position, (state, idx) in enumerate(parents):
                    successors = 0
                    label = None
                    checked: set[Any] | None = set() if action_properties and self.steps_once else None
                    try:
                        if recorder is not None:
                            recorder.begin(state)
                        for label, succ in next_steps(state):
                            successors += 1
                            if plain:
                                # The common case first, in as few steps as can be: a successor
                                # fingerprinted and added in one C call, nothing else to do
                                # for one seen before.
                                fp = add_state(succ)  # type: ignore[misc]
                                if not fp:
                                    continue
                                added = 2 if counts[0] > counts[1] else 1  # type: ignore[index]
                            else:
                                if coverage is not None:
                                    _count_coverage(coverage, label)
                                if (constraint is not None and not constraint(succ)) or (
                                    action_constraint is not None and not action_constraint(state, succ)
                                ):
                                    # Outside the model: checked, not stored nor explored.
                                    if recorder is not None:
                                        recorder.outside(label, succ)
                                    self._check_invariants(succ, idx, label)
                                    if action_properties:
                                        self._check_step(state, succ, idx, label, checked)
                                    if self.stop:
                                        break
                                    continue
                                if add_state is not None:
                                    fp = add_state(succ)
                                    added = fp and (2 if counts[0] > counts[1] else 1)  # type: ignore[index]
                                else:
                                    fp = canon(succ) if canon is not None else succ
                                    if not exact:
                                        fp = fingerprint(fp)
                                    added = visited_add(fp)
                                if not added:
                                    if recorder is not None:
                                        recorder.step(label, succ, fp, False)
                                    if action_properties:
                                        self._check_step(state, succ, idx, label, checked)
                                        if self.stop:
                                            break
                                    continue
                            if added == 2:
                                visited.grown()
                                visited_add = visited.adder() or visited.add
                                add_state = visited.state_adder() if c_fingerprint else None  # type: ignore[union-attr]
                                counts = visited.counts if add_state is not None else None  # type: ignore[union-attr]
                                plain = plain and add_state is not None  # (None once spilled to disk)
                            links_append(fp, idx)
                            distinct += 1
                            if intern is not None:
                                succ = intern(succ, state)
                            if recorder is not None:
                                recorder.step(label, succ, fp, True)
                            if coverage is not None:
                                coverage[label_action(label)].distinct += 1
                            held = all_hold is not None and (all_hold(succ, state) if by_parent else all_hold(succ))
                            for name, inv in () if held else invariants:
                                try:
                                    ok = inv(succ)
                                except ModelError as exc:
                                    raise self._with_trace(exc, idx, label, succ) from None
                                if not ok:
                                    self._violated("invariant", name, idx, label, succ)
                                    if self.stop:
                                        break  # TLC reports the first of the cfg's invariants that fails
                            if action_properties:
                                self._check_step(state, succ, idx, label, checked)
                            if hooked:
                                self._visit(succ, depth + 1)
                            if self.stop:
                                break
                            next_append((succ, distinct - 1))
                        if recorder is not None:
                            recorder.end()
                    except ModelError as exc:  # the behaviour up to ``state`` goes with it
                        raise self._with_trace(exc, idx, None, None) from None
                    except UnencodableValue:
                        self.fingerprint(succ)  # raises the ModelError that explains it
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
                        stats.left_on_queue = level_size - position - 1 + len(next_level)
                        break
                    settle()
                    if checkpointing and self.halt is not None:
                        self._save(parents, next_level.peek(), depth)
                        stats.depth = depth
                        stats.left_on_queue = level_size - position - 1 + len(next_level)
                        return
                    if progress is not None and generated >> 12 != generated_before >> 12:
                        now = time.monotonic()
                        if now >= next_report:
                            next_report = now + opts.progress_interval
                            progress(
                                Progress(
                                    generated,
                                    distinct,
                                    level_size - position - 1 + len(next_level),
                                    depth,
                                    now - start,
                                )
                            )
                if next_level and not self.stop:
                    depth += 1
                    stats.depth = depth
                level, next_level = next_level, self._frontier()
                if checkpointing and level and not self.stop and time.monotonic() >= self.next_checkpoint:
                    self._save(level.peek(), next_level.peek(), depth)
                    self.next_checkpoint = time.monotonic() + opts.checkpoint_interval
        except KeyboardInterrupt:
            stats.left_on_queue = len(level)
            stats.depth = depth
            raise
        finally:
            level.discard()
            next_level.discard()

    def _visit(self, state: Hashable, depth: int) -> None:
        """The client's hooks (``CheckOptions.visit``, ``max_states``) on a new distinct state."""
        opts = self.options
        if opts.visit is not None and opts.visit(state, depth):
            self.stop = True
        if opts.max_states is not None and len(self.links) >= opts.max_states:
            self.stop = True

    # -- properties -----------------------------------------------------------

    def _check_invariants(self, state: Hashable, parent: int, label: Any) -> None:
        for name, inv in self.invariants:
            try:
                ok = inv(state)
            except ModelError as exc:
                raise self._with_trace(exc, parent, label, state) from None
            except Exception as exc:
                raise self._model_fault(exc, state, label, f"invariant {name}") from exc
            if not ok:
                self._violated("invariant", name, parent, label, state)
                if self.stop:
                    return  # TLC reports the first of the cfg's invariants that fails

    def _check_step(
        self, state: Hashable, succ: Hashable, parent: int, label: Any, checked: set[Any] | None = None
    ) -> None:
        if checked is not None:
            if succ in checked:
                return
            checked.add(succ)
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

    def _with_trace(self, exc: ModelError, parent: int, label: Any, state: Hashable | None) -> ModelError:
        """``exc`` with the behaviour that led to the failure: the states up to ``parent``
        (its index), then ``state`` if the failure was in it (TLC prints that behaviour after
        every evaluation error). Left alone if a trace is already there or cannot be rebuilt."""
        if exc.trace is None:
            try:
                steps = self._rebuild(parent)
            except ModelError:
                return exc
            if state is not None:
                steps.append(Step(label, state, self._record(state)))
            exc.trace = Trace(self.variables, tuple(steps))
        return exc

    def _record(self, state: Hashable) -> dict[str, Any]:
        return dict(self.model.as_record(state))

    def _rebuild(self, idx: int) -> list[Step]:
        """Replay the model along the fingerprint chain ending at ``idx``."""
        if idx < 0:
            return []
        chain: list[Any] = []
        while idx >= 0:
            key, idx = self.links[idx]
            chain.append(key)
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

    def _replay_failure(self, step: int, state: Hashable | None, chain: list[Any]) -> ModelError:
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


# Entries of the trace links' write buffer (TraceLinks._BUFFER counts 8-byte words).
_BUFFERED_LINKS = TraceLinks._BUFFER


class _ExactSet:
    """Exact mode's visited set: the states (or representatives) themselves."""

    def __init__(self) -> None:
        self.states: set[Hashable] = set()

    def add(self, state: Hashable) -> bool:
        states = self.states
        if state in states:
            return False
        states.add(state)
        return True

    def adder(self) -> None:
        return None  # (the search's fast add is the fingerprint table's)

    def grown(self) -> None:
        pass

    def __contains__(self, state: Hashable) -> bool:
        return state in self.states

    def __len__(self) -> int:
        return len(self.states)


class _ExactLinks:
    """Exact mode's trace links: each distinct state (its key) and its parent's index."""

    def __init__(self) -> None:
        self.keys: list[Hashable] = []
        self.parents = array("q")

    def append(self, key: Hashable, parent: int) -> None:
        self.keys.append(key)
        self.parents.append(parent)

    def __getitem__(self, idx: int) -> tuple[Hashable, int]:
        return self.keys[idx], self.parents[idx]

    def __len__(self) -> int:
        return len(self.keys)

    def ram_bytes(self) -> int:
        return sys.getsizeof(self.keys) + len(self.parents) * 8

    def close(self) -> None:
        pass


class _NoLinks(_ExactLinks):
    """A placeholder until ``run`` opens the checkpoint folder's links file."""


_SORT_IN_PYTHON = 100_000


def min_distance(visited: FingerprintSet) -> int:
    """The smallest difference between two stored fingerprints (TLC's ``checkFPs``), sorted
    with numpy: 8 bytes a fingerprint, where Python's ``sorted`` takes some 40 (the way when
    numpy is missing, and for a small set: importing numpy takes longer than sorting 100,000
    integers, a tenth of a small spec's run); in C where nothing was spilled to disk."""
    if not visited.runs:
        try:
            from checker.engine._fp import min_distance as c_min_distance
        except ImportError:  # pragma: no cover - built without a C compiler (or before it had one)
            pass
        else:
            return c_min_distance(visited.table)
    try:
        if len(visited) <= _SORT_IN_PYTHON:
            raise ImportError
        import numpy as np
    except ImportError:
        values = sorted(visited)
        if len(values) < 2:
            return (1 << 63) - 1
        return min(b - a for a, b in zip(values, values[1:]))
    parts = [np.frombuffer(visited.table, dtype=np.uint64)]
    parts += [np.fromfile(run.path, dtype=np.uint64) for run in visited.runs]
    array_ = np.concatenate(parts)
    array_ = array_[array_ != 0]
    if len(array_) < 2:
        return (1 << 63) - 1  # TLC's Long.MAX_VALUE
    array_.sort()
    return int(np.diff(array_).min())


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
