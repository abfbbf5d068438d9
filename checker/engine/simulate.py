"""Random behaviours, as TLC's ``-simulate``: for state spaces too big to explore exhaustively.

Owns the random walk, its statistics, the shrinking of a counterexample it finds
(``shrink``) and the swarm of independent walkers in separate processes
(``simulate_swarm``). The search itself never sees syntax; it uses the Model
protocol only (``init_states``, ``next_steps``, the properties, and where a model
defines them ``actions()`` and ``enabled_actions``).

The walk is TLC's (``tlc2.tool.SimulationWorker``, TLC 2.20):

- a behaviour starts in a random initial state (all of them are checked against
  the invariants once, before the first behaviour);
- at each step one *action* is chosen at random among the enabled ones, and
  *every* successor of that action is checked against the invariants and the
  action properties before one of them is chosen at random to go on with;
- a state with no successor at all is a deadlock (an error unless deadlock
  checking is off, else the behaviour ends); a state that fails the CONSTRAINT
  (or a step that fails the ACTION_CONSTRAINT) ends the behaviour after it;
- a behaviour holds at most ``depth`` states (TLC's ``-depth``, default 100);
  the successors of its last state are generated and checked all the same.
- *states generated* counts the initial states once plus every successor
  checked, as TLC's "The number of states generated" (TLC 2.20 gives 31 for
  three behaviours of a counter from 0 to 10, 16 with ``-depth 5``).

What an *action* is. TLC splits Next into its disjuncts and expands ``\\E x \\in
S`` over a constant ``S`` into one action per value (``Timeout(s1)``,
``Timeout(s2)``, ...), while ``\\E m \\in msgs : Handle(m)`` stays one action.
The Model protocol gives only labelled successors, so the action of a
successor is read from its label (``tlc_action_key``): the atoms among the
label's parameters (model values, numbers, strings) name the action, compound
ones (records, sets, sequences: usually messages drawn from the state) do not.
So ``Timeout(s1)`` is an action, and ``Handle([mtype |-> ...])`` for every
message is the one action ``Handle(_)``, as in TLC. Where the guess differs
from TLC's split (a constant set of records, a variable set of servers), the
probabilities differ, never the behaviours that can be walked. TLC also steps
from a random action through the others by a random prime to find an enabled
one, which weighs actions after runs of disabled ones more; here the choice
is uniform among the enabled actions. ``pick`` gives the benchmark other
choices: ``"label"`` (each label an action), ``"name"`` (``Timeout`` for
every ``Timeout(i)``) and ``"successor"`` (uniform among all successors).

A model that gives its actions (``actions()``: names and a function per action
giving its steps; see ``checker.model``) is walked as TLC's simulator walks: actions
are drawn without replacement until one has a successor, and only that one's
successors are computed (``action_group``); ``enabled_actions(s)`` narrows the draw to
the actions that may be enabled. Same probabilities as through ``next_steps``
(uniform among the enabled actions, then among the action's successors), other draws.

Temporal properties. A behaviour's states and steps form a small graph (a state the walk
comes back to closes a cycle), and every state may stutter forever, as in any TLA+
behaviour. At the end of each behaviour that graph is searched for a fair behaviour that
violates a temporal property, as TLC's simulation does (``LiveCheck1.checkTrace``), by the
engine's own liveness search (``checker.engine.liveness``): whether a fair action is enabled
is asked of the model itself, not of the walked steps, so a violation found is a behaviour
of the spec. A PROPERTY that is a state predicate (which BFS checks on the initial states)
is not checked, as TLC 2.20's simulation does not check it (the CLI says so).

Reproducibility. The only randomness is ``random.Random(seed)`` (the Mersenne
Twister, whose sequence for an integer seed Python specifies), drawn with
``randrange`` (with ``int(random() * n)`` through ``actions()``); successors are
ordered before every choice (by label, then by the state's TLA+ value order), so
neither the model's enumeration order nor ``PYTHONHASHSEED`` (which changes the
iteration order of sets of strings) changes a behaviour. The same seed gives the same behaviours on any machine.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import math
import multiprocessing
import queue
import random
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Any

from checker.engine.result import Step, Trace, Verdict, Violation
from checker.errors import ModelError
from checker.model import Fairness, Model, label_action
from checker.values import format_value, value_key

DEFAULT_DEPTH = 100
_KEY_MEMO_LIMIT = 100_000
# States known to satisfy every invariant, kept so that a state walked again (most of them
# are: behaviours share their first steps) is not checked again. Kept by hash (computed
# once per successor, for the distinct count too) but exact: the state itself is compared;
# emptied when it reaches this size, to bound the memory.
_PASSED_LIMIT = 300_000


# The cyclic garbage collector's first threshold during a walk (Python's default is 700).
# A walk allocates millions of short-lived tuples and keeps up to _PASSED_LIMIT states, and
# with the default the collector spends about 15% of the walk's time re-scanning them
# (bench/simulate.py, side by side). States are immutable values without reference
# cycles, so they are freed by reference counting all the same; collecting less often
# only keeps the rare cyclic garbage of a model's own code a little longer.
_WALK_GC_THRESHOLD = 100_000


@contextlib.contextmanager
def collecting_less() -> Iterator[None]:
    """Run the block with the collector's first threshold at least ``_WALK_GC_THRESHOLD``."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], _WALK_GC_THRESHOLD), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def tlc_action_key(label: str) -> str:
    """The action a label belongs to, as TLC would split Next: ``Timeout(s1)`` is its own
    action, ``Receive([mtype |-> ...])`` is ``Receive(_)``.

    TLC expands ``\\E x \\in S`` over a constant ``S`` into one action per value and keeps
    ``\\E m \\in msgs`` (a set that depends on the state) as one action. Labels do not say
    which set a parameter came from, so this guesses from the value: an atom (a model
    value, a number, a string, a Boolean) stays in the action's name, a compound value (a
    record, set, function or sequence: usually something drawn from the state, such as a
    message) does not. Wrong where a spec quantifies over a constant set of compound values
    (``\\E Q \\in Quorum``) or over a variable set of atoms; those shift probabilities, never
    which behaviours are possible.
    """
    i = label.find("(")
    if i < 0 or not label.endswith(")"):
        return label
    params: list[str] = []
    depth = 0
    start = i + 1
    j = start
    end = len(label) - 1
    while j < end:
        c = label[j]
        if c == '"':  # a string: skip to its closing quote
            j += 1
            while j < end and label[j] != '"':
                j += 2 if label[j] == "\\" else 1
        elif c in "[{(":
            depth += 1
        elif c in "]})":
            depth -= 1
        elif label.startswith("<<", j):
            depth += 1
            j += 1
        elif label.startswith(">>", j):
            depth -= 1
            j += 1
        elif c == "," and depth == 0:
            params.append(label[start:j].strip())
            start = j + 1
        j += 1
    params.append(label[start:end].strip())
    kept = [p if p and not (p[0] in "[{(" or p.startswith("<<")) else "_" for p in params]
    return f"{label[:i]}({', '.join(kept)})"


@dataclasses.dataclass(frozen=True, slots=True)
class SimulateOptions:
    seed: int
    depth: int = DEFAULT_DEPTH
    num: int | None = None  # behaviours; None: until ``duration`` runs out (or Ctrl-C)
    duration: float | None = None  # seconds
    check_deadlock: bool | None = None  # None: the model decides
    # "action": a random enabled action (``tlc_action_key``), then all its successors checked
    # (TLC's walk); "successor": a random successor; "label": a random label; "name": a random
    # action name (``Timeout`` for every ``Timeout(i)``). The last three are for bench/simulate.py.
    pick: str = "action"
    # With pick="action", use the model's ``actions()`` when it defines them (see
    # ``_Walker.action_group``); False walks through ``next_steps`` as for any other model
    # (the TLA+ twin cross-check, and bench/simulate.py's --next-steps).
    use_actions: bool = True
    # Called with every finished behaviour (the walker's seed, the behaviour's number from 1,
    # and the trace): --simulate-out.
    on_behaviour: Callable[[int, int, Trace], None] | None = None
    progress: Callable[[SimProgress], None] | None = None
    progress_interval: float = 3.0


@dataclasses.dataclass(frozen=True, slots=True)
class SimProgress:
    behaviours: int
    generated: int
    distinct: int
    elapsed: float


@dataclasses.dataclass(slots=True)
class ActionCount:
    taken: int = 0  # steps of behaviours that took this action
    generated: int = 0  # successors of this action generated and checked


@dataclasses.dataclass(slots=True)
class SimStats:
    behaviours: int = 0
    generated: int = 0  # TLC's "states generated": initial states + successors checked
    initial: int = 0  # initial states (counted once in ``generated``, even by a swarm)
    steps: int = 0  # steps taken by the behaviours
    distinct: int = 0  # distinct states among those generated
    elapsed: float = 0.0
    length_sum: int = 0  # sum and sum of squares of behaviour lengths (states)
    length_sq: int = 0
    actions: dict[str, ActionCount] = dataclasses.field(default_factory=dict)

    def length_mean(self) -> float:
        return self.length_sum / self.behaviours if self.behaviours else 0.0

    def length_variance(self) -> float:
        if not self.behaviours:
            return 0.0
        mean = self.length_mean()
        return max(0.0, self.length_sq / self.behaviours - mean * mean)


@dataclasses.dataclass(frozen=True, slots=True)
class Found:
    """Where a violation came from: the walker's seed and the behaviour's number (from 1)."""

    seed: int
    behaviour: int
    shrunk_from: int | None = None  # the length before --shrink


@dataclasses.dataclass(slots=True)
class SimulationResult(Verdict):
    model: str
    seed: int
    depth: int
    workers: int
    stats: SimStats
    violations: list[Violation]
    found: Found | None = None
    interrupted: bool = False


def new_seed() -> int:
    """A fresh seed when the user gives none (printed, so the run can be repeated)."""
    return random.SystemRandom().randrange(2**62)


def simulate(model: Any, options: SimulateOptions) -> SimulationResult:
    """Random behaviours of ``model`` from ``options.seed``, until a violation, ``num`` or ``duration``."""
    walker = _Walker(model, options)
    walker.run(stop=None)
    return walker.result()


# -- the walk ---------------------------------------------------------------------


def _overridden(model: Any, name: str) -> Any:
    member = getattr(model, name, None)
    if member is None:
        return None
    if getattr(member, "__func__", None) is getattr(Model, name, None):
        return None
    return member


class _Walker:
    def __init__(self, model: Any, options: SimulateOptions) -> None:
        if options.depth < 1:
            raise ModelError(f"--depth must be at least 1, got {options.depth}")
        self.model = model
        self.options = options
        self.variables = tuple(model.variables)
        deadlock = options.check_deadlock
        if deadlock is None:
            deadlock = getattr(model, "check_deadlock", True)
        self.check_deadlock = bool(deadlock)
        self.invariants = list(getattr(model, "invariants", {}).items())
        self.action_properties = list(getattr(model, "action_properties", {}).items())
        self.properties = dict(getattr(model, "liveness", {}) or {})
        self.fairness = [_asked_of(model, f) for f in getattr(model, "fairness", ()) or ()]
        self.constraint = _overridden(model, "constraint")
        self.action_constraint = _overridden(model, "action_constraint")
        self.rng = random.Random(options.seed)
        self.keys: dict[str, str] = {}  # label -> its action (tlc_action_key), memoised
        self.stats = SimStats()
        self.seen: set[int] = set()
        # hash -> a state with that hash that satisfies every invariant (see _PASSED_LIMIT)
        self.passed: dict[int, Hashable] = {}
        self.pure = bool(getattr(model, "invariants_pure", True))
        self.violations: list[Violation] = []
        self.found: Found | None = None
        self.interrupted = False
        # The behaviour that failed (its initial state's index among the initial states, and
        # its steps), from which ``choices`` tells the swarm's parent process how to replay it.
        self.first = 0
        self.walk: list[tuple[Any, Hashable]] = []
        self.acts: list[tuple[str, Callable[[Any], Any]]] | None = None
        if options.pick == "action" and options.use_actions:
            self.acts = _model_actions(model)
        self.act_names = [name for name, _ in self.acts or ()]
        self.act_steps = [steps for _, steps in self.acts or ()]
        self.act_order = list(range(len(self.act_steps)))
        self.act_enabled: Callable[[Any], Sequence[int]] | None = None
        if self.acts is not None and callable(getattr(model, "enabled_actions", None)):
            self.act_enabled = model.enabled_actions
        self.random = self.rng.random

    # -- ordering (what makes a seed reproducible) ------------------------------

    def state_key(self, state: Hashable) -> tuple[Any, ...]:
        return value_key(tuple(self.model.as_record(state).values()))

    def initial_states(self) -> list[Hashable]:
        try:
            states = list(self.model.init_states())
        except ModelError:
            raise
        except Exception as exc:
            raise _fault(self.model, exc, "init_states()") from exc
        if not states:
            raise ModelError(
                f"The model {_describe(self.model)} has no initial state: init_states() produced nothing."
            )
        return sorted(states, key=self.state_key) if len(states) > 1 else states

    def successors(self, state: Hashable) -> list[tuple[Any, Hashable]]:
        try:
            return list(self.model.next_steps(state))
        except ModelError:
            raise
        except Exception as exc:
            raise _fault(self.model, exc, "next_steps", state) from exc

    def next_group(self, state: Hashable) -> list[tuple[Any, Hashable]]:
        """The successors of one random enabled action (empty: none is enabled)."""
        if self.acts is not None:
            return self.action_group(state)
        succs = self.successors(state)
        if not succs:
            return succs
        group = self.choose_group(succs)
        if len(group) > 1:
            self.order(group)
        return group

    def action_group(self, state: Hashable) -> list[tuple[Any, Hashable]]:
        """TLC's choice through the model's ``actions()``: actions are drawn at random
        without replacement until one has a successor, and only that one's successors are
        computed. Each draw is ``int(random() * left)``: ``random()`` is the part of
        ``random.Random`` whose sequence for a seed Python promises to keep across
        versions."""
        steps_of = self.act_steps
        random_ = self.random
        i = -1
        try:
            if self.act_enabled is None:
                order = self.act_order.copy()
            else:
                order = list(self.act_enabled(state))
            left = len(order)
            while left:
                k = int(random_() * left)
                left -= 1
                i = order[k]
                order[k] = order[left]
                group = steps_of[i](state)
                if group:
                    group = list(group)
                    if len(group) > 1:
                        self.order(group)
                    return group
        except ModelError:
            raise
        except Exception as exc:
            where = f"the action {self.act_names[i]}" if 0 <= i < len(self.act_names) else "enabled_actions"
            raise _fault(self.model, exc, where, state) from exc
        return []

    def choose_group(self, succs: list[tuple[Any, Hashable]]) -> list[tuple[Any, Hashable]]:
        """The successors of one random action (or one random successor with pick="successor")."""
        rng = self.rng
        groups: dict[str, list[tuple[Any, Hashable]]] = {}
        pick = self.options.pick
        if pick == "action":
            keys_of = self.keys
            if len(keys_of) > _KEY_MEMO_LIMIT:
                keys_of.clear()
            for label, succ in succs:
                text = str(label)
                key = keys_of.get(text)
                if key is None:
                    key = keys_of[text] = tlc_action_key(text)
                groups.setdefault(key, []).append((label, succ))
        else:
            key_of = label_action if pick == "name" else str  # "label", "successor"
            for label, succ in succs:
                groups.setdefault(key_of(label), []).append((label, succ))
        keys = sorted(groups)
        if self.options.pick == "successor":
            ordered: list[tuple[Any, Hashable]] = []
            for key in keys:
                group = groups[key]
                if len(group) > 1:
                    group.sort(key=lambda ls: self.state_key(ls[1]))
                ordered += group
            return [ordered[rng.randrange(len(ordered))]]
        return groups[keys[rng.randrange(len(keys))]]

    def order(self, group: list[tuple[Any, Hashable]]) -> None:
        """Sort one action's successors by label, and by state where labels repeat."""
        group.sort(key=lambda ls: str(ls[0]))
        if any(str(a[0]) == str(b[0]) for a, b in zip(group, group[1:])):
            group.sort(key=lambda ls: (str(ls[0]), self.state_key(ls[1])))

    def choices(self) -> list[tuple[str, int]]:
        """How to replay the behaviour that failed: its initial state's index, then per step
        the label and the index of the successor among those with that label (in
        ``state_key`` order). Computed after the fact, so the walk itself records nothing."""
        path = [(str(self.first), 0)]
        for (_, state), (label, succ) in zip(self.walk, self.walk[1:]):
            want = str(label)
            same = [s for lab, s in self.successors(state) if str(lab) == want]
            if len(same) > 1:
                same.sort(key=self.state_key)
            path.append((want, same.index(succ)))
        return path

    # -- the loop -------------------------------------------------------------

    def run(self, stop: Any) -> None:
        """Behaviours until a violation, ``num``, ``duration`` or ``stop`` (an Event) is set."""
        opts = self.options
        start = time.monotonic()
        deadline = None if opts.duration is None else start + opts.duration
        next_report = start + opts.progress_interval
        try:
            with collecting_less():
                self.walk_behaviours(stop, start, deadline, next_report)
        except KeyboardInterrupt:
            self.interrupted = True
        finally:
            self.stats.elapsed = time.monotonic() - start
            self.stats.distinct = len(self.seen)

    def walk_behaviours(self, stop: Any, start: float, deadline: float | None, next_report: float) -> None:
        """``run``'s loop: the initial states checked, then behaviours."""
        opts = self.options
        initial = self.initial_states()
        self.stats.initial = len(initial)
        self.stats.generated += len(initial)
        for k, state in enumerate(initial):
            self.seen.add(hash(state))
            bad = self.check_state(state)
            if bad is not None:
                self.first = k
                self.report("invariant", bad, [(None, state)], 0)
                return
        while not self.violations:
            if opts.num is not None and self.stats.behaviours >= opts.num:
                break
            if deadline is not None and time.monotonic() >= deadline:
                break
            if stop is not None and stop.is_set():
                break
            self.behaviour(initial)
            if opts.progress is not None:
                now = time.monotonic()
                if now >= next_report:
                    next_report = now + opts.progress_interval
                    opts.progress(self.progress(now - start))

    def progress(self, elapsed: float) -> SimProgress:
        s = self.stats
        return SimProgress(s.behaviours, s.generated, len(self.seen), elapsed)

    def behaviour(self, initial: list[Hashable]) -> None:
        """One behaviour (TLC's ``simulateRandomTrace``); records a violation if it finds one."""
        rng = self.rng
        stats = self.stats
        actions = stats.actions
        seen_add = self.seen.add
        number = stats.behaviours + 1
        per_action = self.acts is not None
        random_ = self.random
        pure = self.pure
        passed = self.passed
        step_props = bool(self.action_properties)
        first = rng.randrange(len(initial))
        state = initial[first]
        label: Any = None
        trace: list[tuple[Any, Hashable]] = []
        walked = trace  # the behaviour as the temporal properties see it
        self.first = first
        in_model = self.constraint is None or self.constraint(state)
        for _ in range(self.options.depth):
            trace.append((label, state))  # TLC adds the state whether or not it is in the model
            if not in_model:
                break
            group = self.next_group(state)
            if not group:
                if self.check_deadlock:
                    self.report("deadlock", "deadlock", trace, number)
                    return
                break
            name = label_action(group[0][0])  # one action: every label in the group has its name
            count = actions.get(name)
            if count is None:
                count = actions[name] = ActionCount()
            for label, succ in group:
                stats.generated += 1
                count.generated += 1
                h = hash(succ)
                seen_add(h)
                # The invariants, unless this very state passed them before (an invariant
                # of a pure model is a function of the state alone).
                if not pure or passed.get(h) != succ:
                    bad = self.check_state(succ)
                    if bad is not None:
                        self.report("invariant", bad, trace + [(label, succ)], number)
                        return
                    if pure:
                        if len(passed) >= _PASSED_LIMIT:
                            passed.clear()
                        passed[h] = succ
                if step_props:
                    bad = self.check_step(state, succ)
                    if bad is not None:
                        self.report("action property", bad, trace + [(label, succ)], number)
                        return
            if per_action:
                index = int(random_() * len(group))
            else:
                index = rng.randrange(len(group))
            label, succ = group[index]
            in_model = (self.constraint is None or self.constraint(succ)) and (
                self.action_constraint is None or self.action_constraint(state, succ)
            )
            state = succ
        else:
            # The behaviour ran to its depth: the successor chosen last ends it, in the
            # behaviour TLC checks the temporal properties on (not in its length).
            walked = trace + [(label, state)]
        if self.properties:
            violation = self.check_liveness(walked)
            if violation is not None:
                self.walk = walked
                self.count_behaviour(number, trace)
                self.violations.append(violation)
                self.found = Found(self.options.seed, number)
                return
        self.count_behaviour(number, trace)
        if self.options.on_behaviour is not None:
            self.options.on_behaviour(self.options.seed, number, self.make_trace(trace))

    def count_behaviour(self, number: int, trace: list[tuple[Any, Hashable]]) -> None:
        """Length and steps of a finished behaviour (a step is a pair of its states)."""
        stats = self.stats
        stats.behaviours = number
        stats.length_sum += len(trace)
        stats.length_sq += len(trace) * len(trace)
        stats.steps += len(trace) - 1
        actions = stats.actions
        for label, _ in trace[1:]:
            actions[label_action(label)].taken += 1

    # -- properties -----------------------------------------------------------

    def check_state(self, state: Hashable) -> str | None:
        for name, inv in self.invariants:
            try:
                ok = inv(state)
            except ModelError:
                raise
            except Exception as exc:
                raise _fault(self.model, exc, f"invariant {name}", state) from exc
            if not ok:
                return str(name)
        return None

    def check_liveness(self, trace: list[tuple[Any, Hashable]]) -> Violation | None:
        """A fair behaviour made of this behaviour's states and steps that violates a
        temporal property (see the module's docstring), or None."""
        from checker.engine.liveness import LivenessChecker
        from checker.engine.result import CheckOptions

        walked = _Walked(self.model, trace)
        return LivenessChecker(walked, CheckOptions(exact=True), self.properties, self.fairness).run()

    def check_step(self, state: Hashable, succ: Hashable) -> str | None:
        for name, prop in self.action_properties:
            if not prop(state, succ):
                return str(name)
        return None

    def report(self, kind: str, name: str, trace: list[tuple[Any, Hashable]], number: int) -> None:
        self.walk = trace
        self.count_behaviour(number, trace)  # TLC counts the behaviour that failed
        self.violations.append(Violation(kind, name, self.make_trace(trace)))
        self.found = Found(self.options.seed, number)

    def make_trace(self, trace: list[tuple[Any, Hashable]]) -> Trace:
        return make_trace(self.model, self.variables, trace)

    def result(self) -> SimulationResult:
        return SimulationResult(
            model=_describe(self.model),
            seed=self.options.seed,
            depth=self.options.depth,
            workers=1,
            stats=self.stats,
            violations=self.violations,
            found=self.found,
            interrupted=self.interrupted,
        )


class _Walked:
    """One behaviour as a model: its first state, and from each of its states the steps the
    walk took from there (more than one where it came back to a state)."""

    def __init__(self, model: Any, trace: list[tuple[Any, Hashable]]) -> None:
        self.model = model
        self.variables = tuple(model.variables)
        self.first = trace[0][1]
        self.steps: dict[Hashable, list[tuple[Any, Hashable]]] = {}
        for (_, s), (label, t) in zip(trace, trace[1:]):
            out = self.steps.setdefault(s, [])
            if (label, t) not in out:
                out.append((label, t))

    def init_states(self) -> list[Hashable]:
        return [self.first]

    def next_steps(self, state: Hashable) -> list[tuple[Any, Hashable]]:
        return self.steps.get(state, [])

    def as_record(self, state: Hashable) -> Any:
        return self.model.as_record(state)

    def describe(self) -> str:
        return _describe(self.model)


def _model_actions(model: Any) -> list[tuple[str, Callable[[Any], Any]]] | None:
    """The model's ``actions()`` (see ``checker.model``), checked; None if it has none."""
    actions = getattr(model, "actions", None)
    if not callable(actions):
        return None
    got = list(actions())
    names: set[str] = set()
    for item in got:
        if not (
            isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str) and callable(item[1])
        ):
            raise ModelError(
                f"The model {_describe(model)}: actions() must give pairs (name, successors), where "
                f"successors(state) gives the action's (label, next_state) steps; got {item!r}."
            )
        if item[0] in names:
            raise ModelError(f"The model {_describe(model)}: actions() names {item[0]!r} twice.")
        names.add(item[0])
    if not got:
        raise ModelError(f"The model {_describe(model)}: actions() gives no action.")
    return got


def _asked_of(model: Any, f: Fairness) -> Fairness:
    """``f`` with ``enabled`` asked of ``model``: a Python model's fairness is otherwise
    derived from the steps in the graph, which for a walked behaviour are only the steps
    it took."""
    if f.enabled is not None or f.successors is not None:
        return f

    def enabled(s: Any) -> bool:
        return any(f.taken(s, label, t) for label, t in model.next_steps(s))

    return dataclasses.replace(f, enabled=enabled)


def make_trace(model: Any, variables: tuple[str, ...], steps: Sequence[tuple[Any, Hashable]]) -> Trace:
    return Trace(variables, tuple(Step(label, s, dict(model.as_record(s))) for label, s in steps))


# -- shrinking ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class ShrinkOptions:
    max_states: int = 20_000  # states a bounded BFS may visit, per start state
    radius: int = 5  # how far each bounded BFS looks from a state of the trace
    # The whole shrink's budget, in states whose successors are computed: a count, not a
    # time, so that the result does not depend on the machine (the seed reproduces it).
    expansions: int = 100_000


def shrink(model: Any, violation: Violation, options: ShrinkOptions | None = None) -> Violation:
    """A shorter counterexample for the same property, found from ``violation``'s trace.

    Two searches, each keeping the property (kind and name) the same, until
    neither shortens the trace or the budget of expansions runs out:

    - *deleting steps*: drop a run of steps and replay the rest by their labels,
      leaving out those no longer enabled, up to the first violation; runs of
      half the trace first, then smaller, as in delta debugging;
    - *bounded BFS from the states it passed through*: from each state of the
      trace, breadth first up to ``radius`` steps, looking for a violating
      state or a later state of the trace that is nearer than the trace has it.
    The result is a real behaviour of the model, no longer than the original.
    """
    opts = options or ShrinkOptions()
    shrinker = _Shrinker(model, violation, opts)
    return shrinker.run()


class _Shrinker:
    def __init__(self, model: Any, violation: Violation, opts: ShrinkOptions) -> None:
        self.model = model
        self.kind = violation.kind
        self.name = violation.name
        self.left = opts.expansions
        self.opts = opts
        self.variables = violation.trace.variables
        self.walker = _Walker(model, SimulateOptions(seed=0))
        self.steps: list[tuple[Any, Hashable]] = [(s.label, s.state) for s in violation.trace.steps]

    def successors(self, state: Hashable) -> list[tuple[Any, Hashable]]:
        self.left -= 1
        return self.walker.successors(state)

    def run(self) -> Violation:
        improved = True
        while improved and self.left > 0:
            improved = self.delete_steps() or self.bounded_bfs()
        return Violation(self.kind, self.name, make_trace(self.model, self.variables, self.steps))

    # -- what counts as a violation of the same property ------------------------

    def violates(self, before: Hashable | None, state: Hashable, succs: list[Any] | None = None) -> bool:
        w = self.walker
        if self.kind == "invariant":
            inv = dict(w.invariants)[self.name]
            return not inv(state)
        if self.kind == "action property":
            return before is not None and not dict(w.action_properties)[self.name](before, state)
        if succs is None:
            succs = w.successors(state)
        return not succs  # deadlock

    def in_model(self, before: Hashable | None, state: Hashable) -> bool:
        w = self.walker
        if w.constraint is not None and not w.constraint(state):
            return False
        return before is None or w.action_constraint is None or bool(w.action_constraint(before, state))

    # -- deleting steps -----------------------------------------------------------

    def replay(self, labels: list[str], start: Hashable) -> list[tuple[Any, Hashable]] | None:
        """Follow ``labels`` from ``start``, skipping those not enabled; the steps up to the first
        violation of the property, or None if none is reached."""
        out: list[tuple[Any, Hashable]] = [(None, start)]
        if self.kind == "invariant" and self.violates(None, start):
            return out
        state = start
        for want in labels:
            if not self.in_model(None, state):
                return None
            succs = self.successors(state)
            if self.kind == "deadlock" and not succs:
                return out
            nxt = [(lab, s) for lab, s in succs if str(lab) == want]
            if not nxt:
                continue  # no longer enabled: leave the step out
            if len(nxt) > 1:
                nxt.sort(key=lambda ls: self.walker.state_key(ls[1]))
            if self.kind != "deadlock":
                for lab, s in nxt:  # any successor with that label that violates ends it here
                    if self.violates(state, s):
                        return out + [(lab, s)]
            lab, s = nxt[0]
            if not self.in_model(state, s):
                return None
            out.append((lab, s))
            state = s
        if self.kind == "deadlock" and self.in_model(None, state) and not self.successors(state):
            return out
        return None

    def delete_steps(self) -> bool:
        improved = False
        chunk = max(1, (len(self.steps) - 1) // 2)
        while chunk >= 1 and self.left > 0:
            i = 1
            while i < len(self.steps) and self.left > 0:
                labels = [str(lab) for lab, _ in self.steps[1:i] + self.steps[i + chunk :]]
                got = self.replay(labels, self.steps[0][1])
                if got is not None and len(got) < len(self.steps):
                    self.steps = got
                    improved = True
                else:
                    i += chunk
            chunk //= 2
        return improved

    # -- bounded BFS from the trace's states ---------------------------------------

    def bounded_bfs(self) -> bool:
        n = len(self.steps)
        for i in range(n - 1):
            if self.left <= 0:
                return False
            later = {self.steps[j][1]: j for j in range(i + 2, n)}
            found = self.search_from(i, later)
            if found is not None:
                path, j = found
                tail = self.steps[j + 1 :] if j >= 0 else []
                candidate = self.steps[: i + 1] + path + tail
                if len(candidate) < n:
                    self.steps = candidate
                    return True
        return False

    def search_from(
        self, i: int, later: dict[Hashable, int]
    ) -> tuple[list[tuple[Any, Hashable]], int] | None:
        """From trace state ``i``: (path, j) to a violation (j = -1) or to trace state j, if shorter."""
        start = self.steps[i][1]
        n = len(self.steps)
        parents: dict[Hashable, tuple[Any, Hashable] | None] = {start: None}
        level = [start]
        for depth in range(1, self.opts.radius + 1):
            if i + depth >= n - 1:
                return None  # no shorter than what the trace already has
            nxt: list[Hashable] = []
            for state in level:
                if not self.in_model(None, state):
                    continue
                succs = self.successors(state)
                succs.sort(key=lambda ls: (str(ls[0]), self.walker.state_key(ls[1])))
                for label, succ in succs:
                    if succ in parents:
                        continue
                    parents[succ] = (label, state)
                    if self.kind != "deadlock" and self.violates(state, succ):
                        return self.path_to(succ, parents), -1
                    if not self.in_model(state, succ):
                        continue
                    if self.kind == "deadlock" and self.violates(None, succ):
                        return self.path_to(succ, parents), -1
                    j = later.get(succ)
                    if j is not None and i + depth < j:
                        return self.path_to(succ, parents), j
                    nxt.append(succ)
                    if len(parents) >= self.opts.max_states or self.left <= 0:
                        return None
            level = nxt
        return None

    @staticmethod
    def path_to(
        state: Hashable, parents: dict[Hashable, tuple[Any, Hashable] | None]
    ) -> list[tuple[Any, Hashable]]:
        path: list[tuple[Any, Hashable]] = []
        link = parents[state]
        while link is not None:
            path.append((link[0], state))
            state = link[1]
            link = parents[state]
        path.reverse()
        return path


# -- the swarm --------------------------------------------------------------------------


def simulate_swarm(model: Any, options: SimulateOptions, workers: int) -> SimulationResult:
    """``workers`` independent walkers, walker ``i`` with seed ``seed + i``, each in its own process.

    Processes are forked (the model is inherited, not pickled). ``num`` is shared
    out among the walkers (TLC's ``num`` counts behaviours of all workers); each
    runs for the whole ``duration``. The first walker to find a violation stops
    the others after their current behaviour. A walker sends back its statistics
    and, for a violation, only the indices of its choices: the parent replays
    them on its own copy of the model, so no state crosses a process boundary.
    Each walker is deterministic for its seed, so ``--seed SEED+i`` with one
    worker reproduces walker i's counterexample exactly; which walker is first
    depends on timing.
    """
    if workers <= 1:
        return simulate(model, options)
    ctx = multiprocessing.get_context("fork")
    results: Any = ctx.Queue()
    stop = ctx.Event()
    procs = []
    for i in range(workers):
        num = None
        if options.num is not None:
            num = options.num // workers + (1 if i < options.num % workers else 0)
        sub = dataclasses.replace(options, seed=options.seed + i, num=num, progress=None)
        proc = ctx.Process(target=_swarm_worker, args=(model, sub, stop, results), daemon=True)
        proc.start()
        procs.append(proc)
    stats = SimStats()
    seen: set[int] = set()
    violations: list[Violation] = []
    found: Found | None = None
    interrupted = False
    start = time.monotonic()
    pending = workers
    try:
        while pending:
            try:
                message = results.get(timeout=options.progress_interval)
            except queue.Empty:
                if not any(p.is_alive() for p in procs) and results.empty():
                    raise ModelError("a simulation worker process ended without a result") from None
                continue
            pending -= 1
            if message["error"] is not None:
                stop.set()
                raise ModelError(message["error"])
            _merge(stats, message["stats"])
            seen |= message["seen"]
            if message["violation"] is not None and not violations:
                stop.set()
                kind, name, seed, number, path = message["violation"]
                violations.append(_replay_path(model, options, seed, kind, name, path))
                found = Found(seed, number)
    except KeyboardInterrupt:
        interrupted = True
        stop.set()
    finally:
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join()
    stats.elapsed = time.monotonic() - start
    stats.distinct = len(seen)
    return SimulationResult(
        model=_describe(model),
        seed=options.seed,
        depth=options.depth,
        workers=workers,
        stats=stats,
        violations=violations,
        found=found,
        interrupted=interrupted,
    )


def _swarm_worker(model: Any, options: SimulateOptions, stop: Any, results: Any) -> None:
    walker = _Walker(model, options)
    error = None
    try:
        walker.run(stop)
    except KeyboardInterrupt:
        pass
    except Exception as exc:  # sent to the parent, which raises it
        error = str(exc) if isinstance(exc, ModelError) else f"{type(exc).__name__}: {exc}"
    violation = None
    if walker.violations:
        v = walker.violations[0]
        assert walker.found is not None
        violation = (v.kind, v.name, options.seed, walker.found.behaviour, walker.choices())
    results.put({"stats": walker.stats, "seen": walker.seen, "violation": violation, "error": error})


def _replay_path(
    model: Any, options: SimulateOptions, seed: int, kind: str, name: str, path: list[tuple[str, int]]
) -> Violation:
    """Rebuild a walker's behaviour from its choices (see ``_Walker.choices``)."""
    walker = _Walker(model, dataclasses.replace(options, seed=seed))
    state = walker.initial_states()[int(path[0][0])]
    steps: list[tuple[Any, Hashable]] = [(None, state)]
    for want, index in path[1:]:
        same = [(lab, s) for lab, s in walker.successors(state) if str(lab) == want]
        same.sort(key=lambda ls: walker.state_key(ls[1]))
        if index >= len(same):
            raise ModelError(
                f"Cannot rebuild the counterexample of worker seed {seed}: the step {want} is not "
                "enabled when replayed. The model is not deterministic: next_steps must be a pure "
                "function of the state."
            )
        label, state = same[index]
        steps.append((label, state))
    if kind == "temporal":  # the lasso, found again in the replayed behaviour
        found = walker.check_liveness(steps)
        assert found is not None and found.name == name
        return found
    return Violation(kind, name, make_trace(model, walker.variables, steps))


def _merge(total: SimStats, part: SimStats) -> None:
    total.behaviours += part.behaviours
    total.generated += part.generated - (part.initial if total.initial else 0)
    total.initial = part.initial
    total.steps += part.steps
    total.length_sum += part.length_sum
    total.length_sq += part.length_sq
    for name, count in part.actions.items():
        mine = total.actions.setdefault(name, ActionCount())
        mine.taken += count.taken
        mine.generated += count.generated


# -- explaining -----------------------------------------------------------------------


def _describe(model: Any) -> str:
    describe = getattr(model, "describe", None)
    return describe() if callable(describe) else type(model).__name__


def _fault(model: Any, exc: Exception, where: str, state: Hashable | None = None) -> ModelError:
    shown = ""
    if state is not None:
        try:
            shown = "\n" + "\n".join(
                f"/\\ {k} = {format_value(v)}" for k, v in sorted(model.as_record(state).items())
            )
        except Exception:
            shown = "\n" + repr(state)
    return ModelError(
        f"The model {_describe(model)} raised {type(exc).__name__}: {exc} in {where}"
        + (f", in the state{shown}" if shown else "")
        + "\nRun again with --debug to see the Python traceback."
    )


def format_summary(result: SimulationResult) -> str:
    """TLC's closing lines of a simulation, then ours: distinct states and the actions taken."""
    s = result.stats
    mean = s.length_mean()
    var = s.length_variance()
    lines = [
        f"Progress: {s.generated} states checked, {s.behaviours} traces generated "
        f"(trace length: mean={mean:.0f}, var(x)={var:.0f}, sd={math.sqrt(var):.0f})",
        f"The number of states generated: {s.generated}",
        f"Simulation using seed {result.seed} and aril 0",
        f"{s.behaviours} behaviours, {s.steps} steps, {s.distinct} distinct states seen.",
    ]
    if s.actions:
        lines.append("Actions (name: steps taken, successors generated):")
        for name in sorted(s.actions):
            c = s.actions[name]
            lines.append(f"  {name}: {c.taken}, {c.generated}")
    return "\n".join(lines)
