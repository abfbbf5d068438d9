"""The Model protocol: the only thing the engine sees (shared/DESIGN.md §2).

Shaped like Stateright's ``Model`` trait: three required members, everything
else optional with a sensible default.

Required
    ``variables``       ordered variable names.
    ``init_states()``   an iterable of initial states.
    ``next_steps(s)``   an iterable of ``(label, next_state)``; the label names the
                        action and its parameters (``"BecomeLeader(s1, {s1, s2})"``).

Optional
    ``invariants``          name -> predicate over a state.
    ``action_properties``   name -> predicate over a step ``(s, t)``.
    ``constraint(s)``       TLC's CONSTRAINT: a state failing it is not explored.
    ``action_constraint(s, t)``  TLC's ACTION_CONSTRAINT.
    ``symmetric_sets``      sets of interchangeable model values; the engine then
                            explores one state per symmetry class (see ``symmetry``).
    ``symmetry(s)``         a canonical representative of ``s`` (derived from
                            ``symmetric_sets`` and ``as_record`` by default).
    ``view(s)``, ``has_view`` TLC's VIEW: states with equal views count as one.
    ``as_record(s)``        variable name -> TLA+ value, for every view.
    ``render_dot(trace, i)`` an optional domain view: DOT source (a whole
                            ``digraph``) drawing step ``i`` of a trace in the
                            protocol's own terms (Raft's logs, Paxos's messages);
                            the views embed it in HTML and pictures.
    ``liveness``            name -> a temporal property (``eventually(p)``,
                            ``always_eventually(p)``, ``eventually_always(p)``,
                            ``leads_to(p, q)``, ...): checked after the search on
                            the recorded behaviour graph (checker/engine/liveness.py).
    ``fairness``            ``weak_fairness("Action")``/``strong_fairness(...)``: the
                            behaviours the liveness properties are checked over.
    ``check_deadlock``      whether a state with no successor is an error.
    ``exact_states``        store states, not 64-bit fingerprints (no collisions;
                            more memory); see checker/engine/bfs.py.
    ``no_behaviour``        the model has no behaviour to explore (a TLA+ spec of constants
                            only, checked for its ASSUMEs as TLC does): no initial state
                            is its answer, not an error.
    ``actions()``           for random simulation only: ``next_steps`` split into TLC's
                            actions, a list of ``(name, steps)`` where ``steps(s)`` gives
                            that action's ``(label, next_state)`` pairs. The union over the
                            actions must be exactly ``next_steps(s)``, and each name is the
                            action its labels belong to (``Timeout(s1)``, ``Receive(_)``;
                            see ``checker.engine.simulate.tlc_action_key``). The walk then
                            draws an action first and computes only its successors, as
                            TLC's simulator does; breadth-first search ignores it.
    ``enabled_actions(s)``  with ``actions()``, optional: the positions in that list of the
                            actions that may be enabled in ``s``; every enabled one must be
                            there (a disabled one there only costs a draw). The walk then
                            draws among these instead of trying every action.

States may be any hashable Python value made of bool, int, str, bytes, None, tuples
(``NamedTuple``), frozensets, TLA+ values and frozen dataclasses: the engine fingerprints
them through a canonical encoding (checker/engine/fingerprint.py); a state holding another
type is an error that says so (``--exact`` still takes any hashable state).

A complete example, the Die Hard jugs puzzle (also in ``docs/guide/model-api.md``)::

    from checker import Model, check

    class DieHard(Model):
        variables = ("small", "big")

        def init_states(self):
            yield (0, 0)

        def next_steps(self, s):
            small, big = s
            yield "FillSmall", (3, big)
            yield "FillBig", (small, 5)
            yield "EmptySmall", (0, big)
            yield "EmptyBig", (small, 0)
            pour = min(big + small, 5) - big
            yield "SmallToBig", (small - pour, big + pour)
            pour = min(big + small, 3) - small
            yield "BigToSmall", (small + pour, big - pour)

        invariants = {"NotSolved": lambda s: s[1] != 4}

    result = check(DieHard())
    assert result.violation.name == "NotSolved" and len(result.violation.trace) == 7
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any

from checker.values import Value

State = Any  # any hashable value; subclasses name their own state type
Label = Any
Predicate = Callable[[Any], bool]
StepPredicate = Callable[[Any, Any], bool]


StepLabelPredicate = Callable[[Any, Any, Any], bool]  # (state, label, next_state)


@dataclasses.dataclass(frozen=True, slots=True)
class Fairness:
    """``WF`` or ``SF`` of one action. ``taken(s, label, t)`` says whether a step is an
    ``<<A>>_v`` step; ``enabled(s)`` whether one is possible from ``s``. For Python models
    ``weak_fairness("Name")`` leaves ``enabled`` out: the engine derives it from the
    model's own steps (a step labelled ``Name(...)`` that changes the state)."""

    kind: str  # "WF" or "SF"
    name: str
    taken: StepLabelPredicate
    enabled: Predicate | None = None
    # Optional, for speed: the states t such that s -> t is an <<A>>_v step, all at once
    # (one enumeration of A per state instead of A evaluated on every edge); None when
    # they cannot be enumerated from this state (then taken and enabled are used).
    successors: Callable[[State], Collection[State] | None] | None = None
    # Optional, for speed, where A is the model's next-state relation itself (``WF_vars(Next)``):
    # whether one of the model's own steps is an <<A>>_v step (v changed: it is an A step).
    # A search of the whole model then derives ENABLED from a state's own steps instead of
    # enumerating A again; a search of one behaviour (simulation) cannot, and does not use it.
    own_taken: StepLabelPredicate | None = None


# The form of ``IF C THEN <>P ELSE <>Q`` (C read in the initial state): searched from the
# initial states' successors first, as TLC's tableau does.
IF_EVENTUALLY = "IF C THEN <>P ELSE <>Q"


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Ltl:
    """A temporal formula over state predicates (no actions), in negation normal form:
    ``op`` is ``"state"`` (``pred``, or its negation when not ``positive``), ``"and"``,
    ``"or"`` (of ``args``), ``"always"`` or ``"eventually"`` (of ``args[0]``). The engine
    checks it with a tableau (``checker.engine.tableau``)."""

    op: str
    args: tuple[Ltl, ...] = ()
    pred: Predicate | None = None
    positive: bool = True


@dataclasses.dataclass(frozen=True, slots=True)
class Temporal:
    """A liveness property, kept as the shape of a behaviour that violates it: a fair
    behaviour whose tail starts in a state satisfying ``trigger`` (any state when None;
    an initial state when ``from_init``), then stays forever in ``region`` through steps
    satisfying ``step_ok``, and visits ``recur_states`` and takes ``recur_steps``
    infinitely often. ``form`` is the formula's shape, for messages. ``tableau``, when
    given, is a formula the behaviour must also satisfy from its first state (the part of
    the negation that none of the other fields describes)."""

    form: str
    trigger: Predicate | None = None
    from_init: bool = False
    region: Predicate | None = None
    step_ok: StepLabelPredicate | None = None
    recur_states: tuple[Predicate, ...] = ()
    recur_steps: tuple[StepLabelPredicate, ...] = ()
    tableau: Ltl | None = None


def _not(p: Predicate) -> Predicate:
    return lambda s: not p(s)


def eventually(p: Predicate) -> Temporal:
    """``<>P``: violated by a fair behaviour in which P never holds."""
    return Temporal("<>P", trigger=_not(p), from_init=True, region=_not(p))


def always_eventually(p: Predicate) -> Temporal:
    """``[]<>P``: violated by a fair behaviour in which P eventually stops holding."""
    return Temporal("[]<>P", trigger=_not(p), region=_not(p))


def eventually_always(p: Predicate) -> Temporal:
    """``<>[]P``: violated by a fair behaviour in which P fails infinitely often."""
    return Temporal("<>[]P", recur_states=(_not(p),))


def leads_to(p: Predicate, q: Predicate) -> Temporal:
    """``P ~> Q``: violated by a fair behaviour that reaches P and then never Q."""
    return Temporal("P ~> Q", trigger=lambda s: p(s) and not q(s), region=_not(q))


def always_eventually_step(a: StepLabelPredicate) -> Temporal:
    """``[]<><<A>>_v``: ``a(s, label, t)`` must hold on infinitely many steps."""
    return Temporal("[]<><<A>>_v", step_ok=lambda s, label, t: not a(s, label, t))


def eventually_always_step(a: StepLabelPredicate) -> Temporal:
    """``<>[][A]_v``: from some point on every step satisfies ``a`` (stuttering does)."""
    return Temporal("<>[][A]_v", recur_steps=(lambda s, label, t: not a(s, label, t),))


def _action_is(action: str | Callable[[Label], bool]) -> Callable[[Label], bool]:
    if callable(action):
        return action
    return lambda label: label_action(label) == action


def weak_fairness(action: str | Callable[[Label], bool]) -> Fairness:
    """``WF``: an action (by name, or a test of labels) that stays enabled is eventually taken."""
    matches = _action_is(action)
    return Fairness("WF", str(action), lambda s, label, t: t != s and matches(label))


def strong_fairness(action: str | Callable[[Label], bool]) -> Fairness:
    """``SF``: an action enabled infinitely often is eventually taken."""
    matches = _action_is(action)
    return Fairness("SF", str(action), lambda s, label, t: t != s and matches(label))


class Model:
    """Base class for models; subclasses set ``variables`` and the two methods."""

    variables: Sequence[str] = ()
    invariants: Mapping[str, Predicate] = {}
    action_properties: Mapping[str, StepPredicate] = {}
    liveness: Mapping[str, Temporal] = {}
    fairness: Sequence[Fairness] = ()
    symmetric_sets: Sequence[frozenset[Value]] = ()
    check_deadlock: bool = True
    exact_states: bool = False
    no_behaviour: bool = False
    name: str = ""
    # Whether every invariant is a function of the state alone (and every action property of
    # its two states), so that a state (a step) that passed them once need not be checked
    # again: simulation skips those, the search checks a step once per state. A TLA+ spec
    # that uses Print, TLCGet, TLCSet or RandomElement sets it False.
    invariants_pure: bool = True
    # Per invariant, sets of model values it cannot tell apart: its value on a state is its value
    # on every state obtained by permuting each set. The search then evaluates it once per class
    # of such states (checker/engine/classes.py). Python models leave it empty.
    invariant_classes: Mapping[str, Sequence[frozenset[Value]]] = {}

    def init_states(self) -> Iterable[State]:
        raise NotImplementedError(f"{type(self).__name__} must define init_states()")

    def next_steps(self, state: State) -> Iterable[tuple[Label, State]]:
        raise NotImplementedError(f"{type(self).__name__} must define next_steps(state)")

    def all_invariants(self) -> Predicate | None:
        """Optional: a predicate TRUE where every invariant holds, faster than asking each (a TLA+
        spec's invariants at once); where it gives False the search asks them one by one, in
        order, for the report. It may change as the search goes on: asked again at each level.
        Where ``all_invariants_by_parent`` is True the predicate also takes, as a second
        argument, the state's parent where every invariant held on it (else None), so as to
        skip what the step left as it was."""
        return None

    all_invariants_by_parent: bool = False

    def constraint(self, state: State) -> bool:
        return True

    def action_constraint(self, state: State, next_state: State) -> bool:
        return True

    def as_record(self, state: State) -> dict[str, Value]:
        """Variable name -> value. Handles tuples, NamedTuples and dataclasses."""
        if dataclasses.is_dataclass(state) and not isinstance(state, type):
            return {f.name: getattr(state, f.name) for f in dataclasses.fields(state)}
        if hasattr(state, "_asdict"):
            return dict(state._asdict())
        if isinstance(state, tuple) and len(state) == len(self.variables):
            return dict(zip(self.variables, state))
        if len(self.variables) == 1:
            return {self.variables[0]: state}
        raise TypeError(
            f"{type(self).__name__}.as_record cannot read a state of type "
            f"{type(state).__name__}; define as_record(state) on the model"
        )

    def symmetry(self, state: State) -> Hashable:
        """A canonical representative of the state's symmetry class.

        The default derives it from ``symmetric_sets``: the least permuted
        record (a tuple in variable order) under a fixed order (see
        ``checker.symmetry``). The canonicaliser holds what is constant for the
        model and its memos, so it is built once per model instance (again if
        ``symmetric_sets`` is replaced).
        """
        sets = self.symmetric_sets
        built = self.__dict__.get("_canonicalizer")
        if built is None or built[0] is not sets:
            from checker.symmetry import Canonicalizer

            built = self.__dict__["_canonicalizer"] = (sets, Canonicalizer(sets))
        return built[1].of_state(state, self.as_record, self.variables)

    @property
    def has_symmetry(self) -> bool:
        return bool(self.symmetric_sets) or type(self).symmetry is not Model.symmetry

    def describe(self) -> str:
        return self.name or type(self).__name__


def label_action(label: Label) -> str:
    """The action name of a label: ``"Send(1, 2)"`` -> ``"Send"``."""
    text = str(label)
    i = text.find("(")
    return text if i < 0 else text[:i]


def format_label(name: str, *params: Any) -> str:
    """``format_label("BecomeLeader", s1, {s1, s2})`` -> ``"BecomeLeader(s1, {s1, s2})"``."""
    from checker.values import format_value, to_value

    if not params:
        return name
    return f"{name}({', '.join(format_value(to_value(p)) for p in params)})"
