"""A TLA+ spec with its cfg, compiled into a :class:`checker.model.Model` the engine explores.

Owns the module-level meaning of a spec: which modules are in scope (EXTENDS,
INSTANCE with substitutions), what each constant is (cfg values, model values,
``<-`` substitutions), the variables and their order, and what the cfg asks to
check (Init/Next or SPECIFICATION, INVARIANT, PROPERTY, CONSTRAINT,
ACTION_CONSTRAINT, VIEW, SYMMETRY, CHECK_DEADLOCK, ASSUME). Expressions and
actions are compiled by ``checker.tla.compile``.

States are tuples of values in the order the variables are declared;
``as_record`` names them. Labels are :class:`checker.tla.compile.code.ActionLabel`
(``Phase2a(1, v1)``).
"""

from __future__ import annotations

import dataclasses
import difflib
import operator
import time
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from checker.errors import ConfigError, ModelError, Span, SpecError, exit_code_of
from checker.model import Fairness, Model, Temporal
from checker.tla import classes, syntax
from checker.tla.builtins import STANDARD_MODULES
from checker.tla.cfg import Cfg, CfgConstant
from checker.tla.compile import actions, fuse
from checker.tla.compile.code import (
    FIRST_SLOT,
    LABEL,
    NEXT,
    NO_SLOT,
    OUT,
    STATE,
    UNSET,
    Binding,
    BuiltinB,
    Code,
    CodeB,
    Ctx,
    EmitSuccessor,
    FnDefB,
    InstanceB,
    OpB,
    Projection,
    Scope,
    VarB,
    const_code,
    projected_reads,
)
from checker.tla.compile.compiler import Compiler
from checker.tla.compile.pointwise import Pointwise, pointwise
from checker.tla.parser import parse_theorem_statement
from checker.tla.spec import Spec
from checker.tla.stdlib import AssumptionError, EvalError, TlcRuntime, fingerprint_function, show
from checker.tla.temporal import Assumptions, level, place, read_fairness, read_property
from checker.values import Fn, Value, changed_function, fn_of, format_value

# The memo of symmetry representatives by state (see ``SpecModel.symmetry``).
_REP_MEMO_LIMIT = 100_000

ModuleLoader = Callable[[str, Span | None], syntax.Module]


def _no_function(name: str) -> Callable[[Any], Value]:
    raise ModelError(f"the model is not built: {name} cannot be evaluated")


class SpecModel(Model):
    """The Model of a compiled spec; built by :func:`build_model`."""

    all_invariants_by_parent = True  # (_AllHold's check)

    def __init__(self, name: str, variables: tuple[str, ...]) -> None:
        self.name = name
        self.variables = variables
        self.invariants: dict[str, Callable[[Any], bool]] = {}
        self.invariant_classes: dict[str, tuple[frozenset[Value], ...]] = {}
        self.action_properties: dict[str, Callable[[Any, Any], bool]] = {}
        self.liveness: dict[str, Temporal] = {}
        self.initial_properties: dict[str, Callable[[Any], bool]] = {}
        # ALIAS: the record shown instead of the variables, of a state and its successor in a trace.
        # The cfg's ALIAS: its record on a state and the next, or the error evaluating it raised.
        self.alias: Callable[[Any, Any], dict[str, Value] | EvalError] | None = None
        # The cfg's POSTCONDITION: TLC's error once the search is over, or None (engine/liveness.py).
        self.postcondition: Callable[[Any], str | None] | None = None
        self.fairness: list[Fairness] = []
        self.symmetric_sets: tuple[frozenset[Value], ...] = ()
        self.check_deadlock = True
        # Deterministic 64-bit fingerprints (checker/engine/fingerprint.py); --exact for states.
        self.exact_states = False
        self.no_behaviour = False  # constants only, no INIT/NEXT/SPECIFICATION: TLC checks the ASSUMEs
        self.warnings: list[str] = []
        self._init: Callable[[Any], None] = lambda e: None
        self._next: Callable[[Any], None] = lambda e: None
        self._size = FIRST_SLOT + 1
        self._frame: list[Any] | None = None  # next_steps' frame, reused
        self._constraints: list[Callable[[Any], bool]] = []
        self._action_constraints: list[Callable[[Any, Any], bool]] = []
        self._view: Callable[[Any], Value] | None = None
        self._canon: Any = None
        self._reps: dict[Any, Hashable] = {}
        # TLCGet("level"): each state's BFS level, kept only when the spec asks for it.
        self._levels: dict[Any, int] | None = None
        self._runtime: TlcRuntime | None = None
        self._clock = TlcRuntime()  # the compiler's runtime: its count of states explored
        # TLCSet, RandomElement or TLCGet("level"): state shared by every evaluation, so the
        # search runs in one process (--workers is ignored, with a note).
        self.one_process = False
        self._parents: dict[Any, Any] | None = None  # TLCExt's Trace (track_levels)
        self._all_hold: _AllHold | None = None  # every invariant at once (all_invariants)
        self._current: Any = None  # the state being examined, for Trace
        # A definition without arguments, by name, as a function of the state (infer's atoms).
        self.state_function: Callable[[str], Callable[[Any], Value]] = _no_function

    # -- the Model protocol ----------------------------------------------------

    def init_states(self) -> list[tuple[Value, ...]]:
        out: list[tuple[Value, ...]] = []
        e = [None, [UNSET] * len(self.variables), None, out] + [None] * (self._size - FIRST_SLOT)
        if self._runtime is not None:
            self._runtime.level = 0
        self._current = None
        try:
            self._init(e)
        except EvalError as exc:
            exc.context = exc.context or "while computing the initial states"
            raise
        states = [s for _, s in out]
        if self._levels is not None:
            for s in states:
                self._levels.setdefault(s, 1)
        return states

    def all_invariants(self) -> Callable[..., bool] | None:
        check = self._all_hold
        if check is None:
            return None
        now = list(self.invariants.values())  # not where they were replaced (wrapped) since
        made = [pred for _, pred in check.pieces]
        if len(now) != len(made) or not all(map(operator.is_, now, made)):
            return None
        return check.latest()

    def next_steps(self, state: Any) -> list[tuple[Any, tuple[Value, ...]]]:
        out: list[tuple[Any, tuple[Value, ...]]] = []
        # One frame reused from state to state (a frame as large as the spec's deepest binding
        # cost more to allocate than many a state's actions): every slot is written by its
        # binder before it is read, lazy ones reset on entry (as _TemporalCompiler._reusing's).
        # Taken while in use, so a call inside this one (none is known) would get its own.
        e = self._frame
        self._frame = None
        if e is None or len(e) != self._size:
            e = [None] * self._size
        e[STATE], e[NEXT], e[LABEL], e[OUT] = state, [UNSET] * len(self.variables), None, out
        self._clock.explored += 1
        levels = self._levels
        if levels is not None:
            self._at_level(state)
        try:
            self._next(e)
        except EvalError as exc:
            if exc.state is None:
                exc.state = self.show_state(state)
                exc.context = exc.context or "while computing the successors of a state"
            raise
        finally:
            e[OUT] = None
            self._frame = e
        if levels is not None:
            below = levels[state] + 1
            parents = self._parents
            for _, s in out:
                if s not in levels:
                    levels[s] = below
                    if parents is not None:
                        parents[s] = state
        return out

    def track_levels(self, runtime: TlcRuntime) -> None:
        """Keep each state's level for TLCGet("level"): the level of its first (shortest)
        discovery, as BFS finds it; set before Next, the invariants and the constraints."""
        self._levels = {}
        self._runtime = runtime
        if runtime.track_trace:
            # TLCExt's Trace: each state's parent where BFS first found it (as its level).
            parents: dict[Any, Any] = {}
            self._parents = parents
            names = self.variables

            def behaviour() -> Value:
                if self._current is None:
                    return ()  # Init: no state yet
                path = [self._current]
                while path[-1] in parents:
                    path.append(parents[path[-1]])
                return tuple(fn_of(list(zip(names, s))) for s in reversed(path))

            runtime.behaviour = behaviour

        def at_level(check: Callable[..., bool]) -> Callable[..., bool]:
            def checked(*states: Any) -> bool:
                self._at_level(states[-1])
                return check(*states)

            return checked

        self.invariants = {k: at_level(f) for k, f in self.invariants.items()}
        self._all_hold = None
        self.action_properties = {k: at_level(f) for k, f in self.action_properties.items()}
        self._constraints = [at_level(f) for f in self._constraints]
        self._action_constraints = [at_level(f) for f in self._action_constraints]

    def _at_level(self, state: Any) -> None:
        assert self._levels is not None and self._runtime is not None
        level = self._levels.get(state)
        self._current = state
        if level is None:
            raise EvalError(
                'TLCGet("level"): the level of this state is not known (a state not found by the search).'
            )
        self._runtime.level = level

    def _idle_member(self, name: str) -> bool:
        """Whether the member ``name`` does nothing: ``constraint`` or ``action_constraint``
        where the cfg gives none (the search then does not call it for each successor)."""
        if name == "constraint":
            return not self._constraints
        if name == "action_constraint":
            return not self._action_constraints
        return False

    def constraint(self, state: Any) -> bool:
        for c in self._constraints:  # a plain loop: called for every successor, mostly with none
            if not c(state):
                return False
        return True

    def action_constraint(self, state: Any, next_state: Any) -> bool:
        for c in self._action_constraints:
            if not c(state, next_state):
                return False
        return True

    def as_record(self, state: Any) -> dict[str, Value]:
        return dict(zip(self.variables, state))

    def symmetry(self, state: Any) -> Hashable:
        """The state's representative: its symmetry class (states are already tuples in variable
        order, so no record is built), then the VIEW of it when the cfg has one."""
        canon = self._canon
        if canon is None and self.symmetric_sets:
            from checker.symmetry import SMALL_GROUP, PerAtom, SmallGroup, group_order

            small = group_order(self.symmetric_sets) <= SMALL_GROUP
            canon = self._canon = (SmallGroup if small else PerAtom)(self.symmetric_sets)
        if canon is not None:
            # Most successors are generated several times (127,002 generated for 17,153
            # distinct on Paxos): keep each state's representative, in a bounded memo.
            memo = self._reps
            rep: Hashable = memo.get(state)
            if rep is None:
                rep = canon.canonical(state)
                if len(memo) >= _REP_MEMO_LIMIT:
                    memo.clear()
                memo[state] = rep
        else:
            rep = state
        if self._view is not None:
            view: Hashable = self._view(rep)
            return view
        return rep

    @property
    def has_symmetry(self) -> bool:
        return bool(self.symmetric_sets)

    def view(self, state: Any) -> Hashable:
        """TLC's VIEW alone (the engine uses it when symmetry is off or absent)."""
        assert self._view is not None
        view: Hashable = self._view(state)
        return view

    @property
    def has_view(self) -> bool:
        return self._view is not None

    def show_state(self, state: Any) -> str:
        try:
            return "\n".join(f"/\\ {k} = {format_value(v)}" for k, v in sorted(self.as_record(state).items()))
        except Exception:
            return repr(state)


# ---------------------------------------------------------------------------
# Building


class _Builder:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.root = spec.root
        self.cfg = spec.cfg
        self.load = spec.module
        self.runtime = TlcRuntime()
        self.variables: list[str] = list(spec.variables)
        self.assumes: list[tuple[syntax.Assume, Scope]] = []
        # Named theorems parsed so far (keyed by id, the theorem kept alive beside its statement).
        self.statements: dict[int, tuple[syntax.Theorem, syntax.Expr | None]] = {}
        self.overrides = spec.overrides
        self.root_scope: Scope | None = None
        self.compiler = Compiler(tuple(self.variables), self.runtime)
        self.compiler.module_def = self._module_def

    # -- scopes ---------------------------------------------------------------

    def module_scope(self, m: syntax.Module, subs: Mapping[str, Binding] | None, outer: Scope | None) -> Scope:
        """The names a module defines (EXTENDS flattened in), with its parameters bound.

        ``subs is None`` for the root module: constants come from the cfg and
        variables are the state's. For an instance, ``subs`` maps each parameter
        to the instancing module's binding; a parameter not in the WITH list is
        the name of the same spelling in ``outer`` (TLA+'s implicit substitution).
        """
        names: dict[str, Binding] = {}
        scope = Scope(names)
        if subs is None and self.root_scope is None:
            self.root_scope = scope
        # `Nat <- NatOverride` in the cfg replaces a standard module's operator in every module.
        for name, c in self.overrides.standard.items():
            names[name] = self._in_root(name, c, scope)
        self._add_units(m, scope, names, subs, outer, set())
        return scope

    def _in_root(self, name: str, c: CfgConstant, scope: Scope) -> Binding:
        """``name <- Def`` (or ``name = value``) where Def is read in the root module's scope."""
        if c.target is None:
            return CodeB(const_code(c.value))
        root = self.root_scope or scope
        arity = self._arity(c.target)
        params = tuple(syntax.Decl(f"_{i}") for i in range(arity))
        body: syntax.Expr = (
            syntax.OpApp(c.target, tuple(syntax.Name(p.name) for p in params)) if arity else syntax.Name(c.target)
        )
        return OpB(name, params, body, root, _span(c.span) or _NO)

    def _arity(self, name: str) -> int:
        d = self.spec.definitions.get(name)
        if d is not None and isinstance(d.unit, syntax.OpDef):
            return len(d.unit.params)
        return 0

    def _add_units(
        self,
        m: syntax.Module,
        scope: Scope,
        names: dict[str, Binding],
        subs: Mapping[str, Binding] | None,
        outer: Scope | None,
        seen: set[str],
    ) -> None:
        if m.name in seen:
            return
        seen.add(m.name)
        for ext, sp in zip(m.extends, tuple(m.extends_spans) + (None,) * len(m.extends)):
            if ext in STANDARD_MODULES:
                continue
            self._add_units(self.load(ext, sp), scope, names, subs, outer, seen)
        recursive: set[str] = set()
        for u in m.units:
            if isinstance(u, syntax.Recursive):
                recursive |= {d.name for d in u.decls}
        for u in m.units:
            if isinstance(u, syntax.Constants):
                for d in u.decls:
                    scoped = self.overrides.in_module(m.name, d.name)
                    if scoped is not None:
                        names[d.name] = self._in_root(d.name, scoped, scope)
                        continue
                    names[d.name] = self._constant(d, subs, outer, scope)
            elif isinstance(u, syntax.Variables):
                for d in u.decls:
                    if subs is None:
                        names[d.name] = VarB(self.variables.index(d.name), d.name)
                    else:
                        b = self._parameter(d, subs, outer)
                        # A variable substituted by an expression: ENABLED takes it as its own.
                        names[d.name] = b if isinstance(b, VarB) else self.compiler.map_variable(d.name, b)
            elif isinstance(u, syntax.OpDef):
                names[u.name] = self._overridden(m.name, u.name, len(u.params), scope, subs) or OpB(
                    u.name, u.params, u.body, scope, _span(u.span) or _NO, u.name in recursive, module_level=True
                )
            elif isinstance(u, syntax.FnDef):
                names[u.name] = self._overridden(m.name, u.name, 0, scope, subs) or FnDefB(u, scope)
            elif isinstance(u, syntax.Instance):
                inner = self._instance_scope(u, scope, ())
                for k, b in inner.names.items():
                    if not (isinstance(b, OpB | FnDefB | InstanceB)):
                        continue  # the instance's parameters are not exported
                    names.setdefault(k, b)
            elif isinstance(u, syntax.ModuleDef):
                names[u.name] = self._module_def(u, scope)
            elif isinstance(u, syntax.Assume):
                if subs is None:
                    self.assumes.append((u, scope))
                if u.name:  # ASSUME PaxosAssume == ...: the name stands for the assumption
                    names[u.name] = OpB(u.name, (), u.expr, scope, _span(u.span) or _NO)
            elif isinstance(u, syntax.Theorem) and u.name:
                # LEMMA Reachable0 == e: the name stands for the statement (P(Succ)!Reachable0).
                statement = self._statement(u)
                if statement is not None:
                    names[u.name] = OpB(u.name, (), statement, scope, _span(u.span) or _NO)
            elif isinstance(u, syntax.Module):
                continue  # nested modules are only reachable through INSTANCE (not yet)

    def _statement(self, theorem: syntax.Theorem) -> syntax.Expr | None:
        """A named theorem's statement, parsed once (a module is added once per instance)."""
        key = id(theorem)
        if key not in self.statements:
            self.statements[key] = (theorem, parse_theorem_statement(theorem))
        return self.statements[key][1]

    def _constant(
        self, d: syntax.Decl, subs: Mapping[str, Binding] | None, outer: Scope | None, scope: Scope
    ) -> Binding:
        if subs is not None:
            return self._parameter(d, subs, outer)
        c = self.overrides.root.get(d.name)
        if c is None:
            raise ConfigError(
                "E740",
                f"the constant {d.name} has no value in the cfg",
                _span(d.span),
                hint=f"add `CONSTANT {d.name} = ...` (or `{d.name} <- SomeDefinition`) to the cfg"
            )
        if c.target is None:
            if d.arity:
                raise ConfigError(
                    "E741",
                    f"the operator constant {d.name} needs `{d.name} <- Op` in the cfg",
                    c.span
                )
            return CodeB(const_code(c.value))
        return _Deferred(c.target, d.arity, scope, c.span)

    def _overridden(
        self, module: str, name: str, arity: int, scope: Scope, subs: Mapping[str, Binding] | None
    ) -> Binding | None:
        """``Def = value`` or ``Def <- Other`` in the cfg's CONSTANTS replaces a definition of
        the spec (or of a module it EXTENDS), as in TLC: ``NoVal = NoVal`` makes an
        unevaluable ``CHOOSE v : v \\notin Val`` a model value, ``Limit <- MCLimit`` a bound.
        ``Def <- [M] Other`` and ``Def = [M] value`` replace the definition in module M,
        wherever M is used (MCPaxos replaces Voting's ``Ballot`` in ``V == INSTANCE Voting``)."""
        scoped = self.overrides.in_module(module, name)
        if scoped is not None:
            if scoped.target is None and arity:
                raise ConfigError(
                    "E741",
                    f"the operator {name} takes arguments: the cfg can only replace it with "
                    f"`{name} <- [{module}] Op`",
                    scoped.span
                )
            return self._in_root(name, scoped, scope)
        if subs is not None:
            return None
        c = self.overrides.root.get(name)
        if c is None:
            return None
        if c.target is not None:
            return _Deferred(c.target, arity, scope, c.span)
        if arity:
            raise ConfigError(
                "E741",
                f"the operator {name} takes arguments: the cfg can only replace it with `{name} <- Op`",
                c.span
            )
        return CodeB(const_code(c.value))

    def _parameter(self, d: syntax.Decl, subs: Mapping[str, Binding], outer: Scope | None) -> Binding:
        b = subs.get(d.name)
        if b is None and outer is not None:
            b = outer.lookup(d.name)
        if b is None:
            raise SpecError("E742", f"the instance gives no value to its parameter {d.name}", _span(d.span))
        return b

    def _instance_scope(self, inst: syntax.Instance, scope: Scope, args: tuple[Code, ...]) -> Scope:
        if inst.module in STANDARD_MODULES:
            return Scope({})
        m = self.load(inst.module, _span(inst.span))
        subs: dict[str, Binding] = {}
        for name, expr in inst.subs:
            subs[name] = self._sub_binding(expr, scope)
        return self.module_scope(m, subs, scope)

    def _sub_binding(self, expr: syntax.Expr, scope: Scope) -> Binding:
        if isinstance(expr, syntax.Name):
            b = scope.lookup(expr.name)
            if b is not None:
                return b
            return BuiltinB(expr.name)
        if isinstance(expr, syntax.Lambda):  # `Op <- LAMBDA s, l : TRUE` for `CONSTANT Op(_, _)`
            return OpB("LAMBDA", tuple(syntax.Decl(p) for p in expr.params), expr.body, scope, expr.span)
        return _SubstExpr(expr, scope)

    def _module_def(self, u: syntax.ModuleDef, scope: Scope) -> InstanceB:
        cache: dict[int, Scope] = {}

        def build(args: tuple[Code, ...]) -> Scope:
            if not u.params:
                if 0 not in cache:
                    cache[0] = self._instance_scope(u.instance, scope, ())
                return cache[0]
            # Parameters are bound to the arguments' code in a scope of their own.
            params: dict[str, Binding] = {p.name: CodeB(a) for p, a in zip(u.params, args)}
            return self._instance_scope(u.instance, scope.child(params), args)

        return InstanceB(u.name, u.params, build)


_NO = Span("<none>", 0, 0, 0, 0)


def _span(span: Span | None) -> Span | None:
    return span if span is not None and span.line > 0 else None


class _Deferred(OpB):
    """``N <- Def`` in the cfg: the constant N means the definition Def of the spec."""

    def __init__(self, target: str, arity: int, scope: Scope, span: Span | None) -> None:
        super().__init__(
            target, tuple(syntax.Decl(f"_{i}") for i in range(arity)), syntax.Name(target), scope, span or _NO
        )
        self.target = target
        self.arity = arity


class _SubstExpr(OpB):
    """``p <- expr`` in an INSTANCE: the parameter stands for ``expr`` in the instancing scope."""

    def __init__(self, expr: syntax.Expr, scope: Scope) -> None:
        super().__init__("<substitution>", (), expr, scope, expr.span)


def build_model(spec: Spec, skip_liveness: bool = False) -> SpecModel:
    """Compile ``spec`` (``checker.tla.spec``); raises SpecError (150/151) or AssumptionError (10).

    A PROPERTY that tlacheck cannot check is an error (E751) unless ``skip_liveness``
    (``--skip-liveness``) asks to check the rest and skip it with a warning."""
    root, cfg, load = spec.root, spec.cfg, spec.module
    b = _Builder(spec)
    scope = b.module_scope(root, None, None)
    # `N <- Def` constants: resolve the definitions now that the module's names exist.
    for name, binding in list(scope.names.items()):
        if isinstance(binding, _Deferred):
            target = scope.lookup(binding.target)
            if target is None:
                raise ConfigError(
                    "E743",
                    f"`{name} <- {binding.target}`: the spec defines no '{binding.target}'",
                    binding.span if binding.span.line > 0 else None
                )
            scope.names[name] = target
    comp = b.compiler
    model = SpecModel(root.name, tuple(b.variables))
    model.check_deadlock = cfg.check_deadlock
    model.no_behaviour = cfg.specification is None and cfg.init is None and cfg.next is None
    b.runtime.deadlock = cfg.check_deadlock
    base = Ctx(scope, FIRST_SLOT)

    _check_substitutions(cfg, comp, scope)
    _check_assumptions(b, comp, scope)

    init_node = [(c, scope) for c in spec.init]
    next_node = [(spec.next, scope)]
    model.warnings.extend(spec.warnings)
    model._init = _compile_action(comp, init_node, dataclasses.replace(base, init=True), initial=True)
    model._next = _compile_action(comp, next_node, base, initial=False)

    _check_kinds(scope, cfg)
    shared: dict[tuple[tuple[int, int], ...], _Conjunct] = {}  # parts that two invariants have (Inv == TypeOK /\ ...)
    pieces: list[tuple[list[_Conjunct] | None, Callable[[Any], bool]]] = []  # each invariant's parts
    for name in cfg.invariants:
        model.invariants[name] = _predicate(
            comp,
            _defined(scope, name, "INVARIANT", cfg),
            base,
            f"the invariant {name}",
            failure_exit=76,
            shared=shared,
            collect=pieces,
        )
    for name in cfg.constraints:
        model._constraints.append(
            _predicate(comp, _defined(scope, name, "CONSTRAINT", cfg), base, f"the constraint {name}")
        )
    for name in cfg.action_constraints:
        node = _defined(scope, name, "ACTION_CONSTRAINT", cfg)
        model._action_constraints.append(_step_predicate(comp, node, base, f"the action constraint {name}"))
    reader = _TemporalCompiler(comp, base, (spec.next, scope))
    # The spec's fairness, and its other temporal conjuncts: assumptions of every property.
    fair: list[Fairness] = []
    assumptions: Assumptions = None
    fairness_error: SpecError | None = None
    if spec.properties:
        try:
            fair, assumptions = read_fairness(
                [(node, scope) for node in spec.fairness], reader, cfg.specification or "the spec"
            )
        except SpecError as failure:
            fairness_error = failure
    for name, node in spec.properties:
        try:
            parts = read_property(node, scope, reader, name, assumptions)
        except ModelError as failed:  # a constant of the formula failed to evaluate (exit 255)
            if not skip_liveness:
                raise
            model.warnings.append(f"the temporal property {name} is not checked (--skip-liveness): {failed}")
            continue
        for label, act, sub in parts.actions:
            model.action_properties[label] = _action_property(comp, act, sub, base, f"the property {name}")
        for i, (pred, psc) in enumerate(parts.invariants):
            key = name if len(parts.invariants) == 1 else f"{name}[{i + 1}]"
            model.invariants[key] = _predicate(  # TLC checks []P as an invariant: 76 on failure
                comp, pred, dataclasses.replace(base, scope=psc), f"the property {name}", failure_exit=76, collect=pieces
            )
        live = list(parts.liveness)
        for label, pred, psc in parts.initial:
            # A state predicate in a PROPERTY constrains the initial states (TLC checks it there).
            p = _predicate(comp, pred, dataclasses.replace(base, scope=psc), f"the property {name}")
            model.initial_properties[label] = p
        for i, t in enumerate(live):
            model.liveness[name if len(live) == 1 else f"{name}[{i + 1}]"] = t
        for exc in parts.unsupported:
            if skip_liveness:
                model.warnings.append(
                    f"the temporal property {name} is not checked (--skip-liveness): {exc.message}"
                )
                break
            raise SpecError(
                exc.code,
                f"PROPERTY {name}: {exc.message}",
                exc.span or cfg.span_of(name),
                hint="pass --skip-liveness to check everything else and skip it (with a warning)",
                exit_code=exc.exit_code,
            )
    if model.liveness:
        model.fairness = fair
        if fairness_error is not None:
            if not skip_liveness:
                raise fairness_error
            model.warnings.append(
                f"the temporal properties are not checked (--skip-liveness): {fairness_error.message}"
            )
            model.liveness.clear()
    if cfg.alias is not None:
        _compile_alias(model, comp, scope, base, cfg)
    model.state_function = lambda name: _value_of_state(comp, _defined(scope, name, "infer"), base, name)
    if cfg.postcondition is not None:
        _compile_postcondition(model, b, scope, cfg.postcondition, cfg)
    if cfg.view is not None:
        view = _value_of_state(comp, _defined(scope, cfg.view, "VIEW", cfg), base, f"the view {cfg.view}")
        model._view = view
    if cfg.symmetry is not None:
        from checker.tla.symmetry import product_orbits, symmetric_sets_from_permutations, symmetry_hazards

        node = _defined(scope, cfg.symmetry, "SYMMETRY", cfg)
        code = comp.expr(node, base)
        if not code.const:
            raise ConfigError(
                "E730", f"SYMMETRY {cfg.symmetry} must be a constant set of permutations"
            )
        sets = product_orbits(code.value)
        model.symmetric_sets = sets if sets is not None else symmetric_sets_from_permutations(code.value)
        model.warnings.extend(symmetry_hazards(root, cfg, model.symmetric_sets, load))
    model._size = comp.frame_size()
    model._clock = b.runtime
    model.invariants_pure = not b.runtime.effects and not b.runtime.track_level
    if model.invariants_pure and pieces and len(pieces) == len(model.invariants):
        model._all_hold = _AllHold(comp, pieces)
    if model.invariants_pure and not model.symmetric_sets:
        # Not with a SYMMETRY, where the engine does not use them (the states are one per class
        # already; under --no-symmetry such a cfg's invariants are evaluated on every state):
        # finding them took 0.08 s of Paxos' 0.35 s start-up.
        _invariant_classes(model, comp, scope, base, cfg)
    if b.runtime.track_level:
        model.track_levels(b.runtime)
    model.one_process = b.runtime.track_level or b.runtime.stateful
    return model


def _compile_postcondition(model: SpecModel, b: _Builder, scope: Scope, name: str, cfg: Cfg) -> None:
    """POSTCONDITION P: TLC 2.20 evaluates P once the search found no error, with
    ``TLCGet("stats")`` the search's figures, and reports it as an assumption (exit 10):
    "Assumption ... is false.", or "Evaluating assumption ... failed." (P reads a variable,
    or fails)."""
    node = _defined(scope, name, "POSTCONDITION", cfg)
    body, body_scope = _body(scope, node)
    span = body.span if body.span is not None and body.span.line > 0 else cfg.span_in("postcondition", name)
    where = f" at {span}" if span is not None else ""
    comp = b.compiler
    reads = _reads_variables(body, body_scope, set())
    code = None if reads else comp.expr(node, Ctx(scope, FIRST_SLOT))

    def postcondition(stats: Any) -> str | None:
        b.runtime.stats = fn_of(
            [
                ("distinct", stats.distinct),
                ("generated", stats.generated),
                ("worker", 0),
                ("duration", int(stats.elapsed)),
                ("diameter", stats.depth),
                ("initial", stats.initial),
                ("queue", stats.left_on_queue),
            ]
        )
        if code is None:
            return f"Error: Evaluating assumption{where} failed.\nThe POSTCONDITION {name} reads a variable: it has no value after the search."
        try:
            v = code.fn([None] * comp.frame_size())
        except EvalError as exc:
            return f"Error: Evaluating assumption{where} failed.\n{exc}"
        return None if v is True else f"Error: Assumption{where} is false."

    model.postcondition = postcondition


def _compile_alias(model: SpecModel, comp: Compiler, scope: Scope, base: Ctx, cfg: Any) -> None:
    """ALIAS A: TLC prints A's record instead of the variables in every state of a trace,
    A evaluated on the state and the next one of the trace (the last state with itself).
    TLC ignores an ALIAS the spec does not define; so do we, with a warning."""
    name = cfg.alias
    b = scope.lookup(name)
    if not isinstance(b, OpB) or b.params:
        where = cfg.span_in("alias", name)
        model.warnings.append(
            f"{where}: warning: ALIAS {name}: the spec defines no '{name}' (without arguments); "
            "traces show the variables, as TLC's do"
        )
        return
    node = _defined(scope, name, "ALIAS")
    code = comp.fused(comp.expr(node, base))
    body, _ = _body(scope, node)
    fields = [f for f, _ in body.fields] if isinstance(body, syntax.Record) else None

    def alias(s: Any, t: Any) -> dict[str, Value] | EvalError:
        e = [s, t, None, None] + [None] * (comp.frame_size() - FIRST_SLOT)
        try:
            v = code(e)
        except EvalError as exc:
            # TLC 2.20 (Tool.evalAlias) prints the state itself when its ALIAS fails.
            exc.context = exc.context or f"while evaluating the ALIAS {name}"
            return exc
        if not isinstance(v, Fn) or not all(type(k) is str for k in v.keys()):
            raise EvalError(f"The value of the ALIAS {name} is not a record: {show(v)}.")
        order = fields if fields is not None and set(fields) == set(v.keys()) else sorted(v.keys())
        return {k: v[k] for k in order}

    model.alias = alias


# What each cfg keyword must name, as TLC sees it: (keyword, the greatest level allowed
# (1 state, 2 action), TLC's words for the kind, the error code (its exit code is TLC's)).
_KINDS = (
    ("invariants", "invariant", 1, "state predicate", "E760"),
    ("constraints", "constraint", 1, "state predicate", "E761"),
    ("action_constraints", "action constraint", 2, "action", "E761"),
)


def _check_kinds(scope: Scope, cfg: Any) -> None:
    """A definition named under the wrong cfg keyword (an action as INVARIANT, CONSTRAINT or
    VIEW; a temporal formula as ACTION_CONSTRAINT) is TLC's error, at the cfg's line:
    ``The invariant Next is not a state predicate (one with no primes or temporal operators).``"""
    entries = [
        (field, name, what, top, kind, code)
        for field, what, top, kind, code in _KINDS
        for name in getattr(cfg, field)
    ]
    if cfg.view is not None:
        entries.append(("view", cfg.view, "view", 1, "state function", "E761"))
    for field, name, what, top, kind, code in entries:
        b = scope.lookup(name)
        if not isinstance(b, OpB) or b.params or b.scope is None:
            continue  # undefined or with parameters: _defined says so
        if level(b.body, b.scope) > top:
            operators = "temporal operators" if top == 2 else "primes or temporal operators"
            raise SpecError(
                code,
                f"The {what} {name} is not a{'n' if kind[0] in 'aeiou' else ''} {kind} (one with no {operators}).",
                cfg.span_in(field, name),
                exit_code=exit_code_of(code),
            )


def _defined(scope: Scope, name: str, keyword: str, cfg: Cfg | None = None) -> syntax.Expr:
    b = scope.lookup(name)
    if isinstance(b, OpB) and not b.params:
        return syntax.Name(name, span=b.span)
    where = cfg.span_of(name) if cfg is not None else None
    if b is None:
        hint = _did_you_mean(scope, name)
        raise ConfigError("E744", f"{keyword} {name}: the spec defines no '{name}'", where, hint)
    if isinstance(b, OpB):
        raise ConfigError("E744", f"{keyword} {name}: '{name}' takes arguments", where)
    return syntax.Name(name)


def _did_you_mean(scope: Scope, name: str) -> str | None:
    """The spec's definitions without arguments whose names are close to ``name``."""
    names: set[str] = set()
    s: Scope | None = scope
    while s is not None:
        names.update(n for n, b in s.names.items() if isinstance(b, OpB) and not b.params)
        s = s.parent
    close = difflib.get_close_matches(name, sorted(names), n=1)
    return f"did you mean '{close[0]}'?" if close else None


def _body(scope: Scope, node: syntax.Expr) -> tuple[syntax.Expr, Scope]:
    """Unfold a 0-ary definition (for reading the shape of Spec and of properties)."""
    seen = 0
    while isinstance(node, syntax.Name) and seen < 50:
        b = scope.lookup(node.name)
        if not isinstance(b, OpB) or b.params or b.scope is None:
            break
        node, scope = b.body, b.scope
        seen += 1
    while isinstance(node, syntax.Label):
        node = node.body
    return node, scope


def _invariant_classes(model: SpecModel, comp: Compiler, scope: Scope, base: Ctx, cfg: Cfg) -> None:
    """The sets of model values each INVARIANT cannot tell apart (``checker.tla.classes``): the
    engine checks it once per class of states that differ only by permuting them."""
    for name in cfg.invariants:
        constants = classes.constants_read(comp, _defined(scope, name, "INVARIANT", cfg), scope, base)
        sets = classes.interchangeable(constants) if constants is not None else ()
        if sets:
            model.invariant_classes[name] = sets


def _conjuncts(node: syntax.Expr, scope: Scope) -> list[tuple[syntax.Expr, Scope]]:
    node, scope = _body(scope, node)
    if isinstance(node, syntax.Junction) and node.op == "/\\":
        return [c for x in node.items for c in _conjuncts(x, scope)]
    if isinstance(node, syntax.OpApp) and node.name == "/\\":
        return [c for x in node.args for c in _conjuncts(x, scope)]
    return [(node, scope)]


def _compile_action(comp: Compiler, parts: list[tuple[syntax.Expr, Scope]], base: Ctx, initial: bool) -> Any:
    """A runner for a conjunction of parts, each in its scope; successors go to ``e[OUT]``."""
    spans = [p.span for p, _ in parts]
    where = spans[0] if spans and spans[0].line > 0 else None
    done = EmitSuccessor(comp.variables, initial, where)

    run: Callable[[list[Any]], None] = done
    for i, (node, sc) in reversed(list(enumerate(parts))):
        ctx = dataclasses.replace(base, scope=sc)
        if i == 0:
            run = actions.action(comp, node, run, ctx, split=not initial)
        else:  # the parts are one conjunction (Init's, unfolded): TLC's all-assigned rule holds
            run = actions.conjunct(comp, node, run, ctx)
    return run


def _predicate(
    comp: Compiler,
    node: syntax.Expr,
    base: Ctx,
    what: str,
    failure_exit: int = 75,
    shared: dict[tuple[tuple[int, int], ...], _Conjunct] | None = None,
    collect: list[tuple[list[_Conjunct] | None, Callable[[Any], bool]]] | None = None,
) -> Callable[[Any], bool]:
    """A state predicate; an evaluation error in it exits with ``failure_exit`` (TLC: 76 for
    an invariant, 75 otherwise; a value that is not a boolean is 75 everywhere, as in TLC).

    Incremental checking: the predicate is cut into its conjuncts (through definitions), and
    a conjunct that reads only some of the variables (its *footprint*, found at compile time)
    is skipped when it held on the very same values before: the same objects as the last
    time it held (a successor shares the values of the variables its step left unchanged with
    its parent and its siblings, checked just before), or values of the same fingerprints
    (``_Conjunct``). Consecutive conjuncts of one footprint are one part. Parts are evaluated
    in order and stop at the first that does not give TRUE; then, or where one raises, the
    whole predicate is evaluated, in order, for TLC's value or error.

    The predicates given one ``shared`` dict (the invariants: all compiled in the same
    context) have one ``_Conjunct`` for a part they both have (the same nodes in the same
    scopes), which remembers the last state on which it held: SimpleRegular's ``Inv ==
    TypeOK /\\ ...``, checked after TypeOK, does not evaluate TypeOK's conjuncts again.

    One frame is reused from call to call (as ``_TemporalCompiler._reusing``'s): the frame is
    as large as the spec's deepest binding, and allocating one per state cost more than most
    conjuncts. ``collect`` gets the predicate's parts (None: it is evaluated whole) and its
    whole evaluation, for ``_AllHold``.
    """
    code = comp.fused(comp.expr(node, base))
    nvars = len(comp.variables)
    frame = _framer(comp)

    def evaluate(state: Any) -> bool:
        e = frame(state)
        try:
            v = code(e)
        except EvalError as exc:
            exc.context = exc.context or f"while evaluating {what}"
            exc.state = exc.state or _show(comp, state)
            if exc.exit_code == 75:
                exc.exit_code = failure_exit
            raise
        if v is True or v is False:
            return v
        raise EvalError(f"The value of {what} is not a boolean: {show(v)}.")

    conjuncts = []
    for conj, sc in _conjuncts(node, base.scope):
        how = projected_reads(conj, sc, set())  # (its footprint, and how each is read)
        fp = None if how is None else set(how)
        conjuncts.append((conj, sc, fp, comp.projections(how, tuple(sorted(fp))) if fp else None))
    known = shared if shared is not None else {}
    if all(fp is None or (len(fp) == nvars and projs is None) for _, _, fp, projs in conjuncts) and not any(
        ((id(conj), id(sc)),) in known for conj, sc, _, _ in conjuncts
    ):
        if collect is not None:
            collect.append((None, evaluate))
        return evaluate  # no conjunct can be skipped (a conjunct over every variable never is)
    Group = tuple[tuple[int, ...] | None, Any, bool, list[tuple[syntax.Expr, Scope]]]
    groups: list[Group] = []
    for conj, sc, fp, projs in conjuncts:
        slots = None if fp is None or (len(fp) == nvars and projs is None) else tuple(sorted(fp))
        if groups and slots is not None and groups[-1][0] == slots and groups[-1][1] == projs:
            groups[-1][3].append((conj, sc))
        else:
            groups.append((slots, projs, fp is not None, [(conj, sc)]))
    parts: list[_Conjunct] = []
    for slots, projs, pure, members in groups:
        key = tuple((id(conj), id(sc)) for conj, sc in members)
        part = known.get(key)
        if part is not None:
            part.shared = True
        else:
            fns = [comp.fused(comp.expr(conj, dataclasses.replace(base, scope=sc))) for conj, sc in members]
            part = _Conjunct(fns[0] if len(fns) == 1 else _all_true(fns), slots, pure=pure, projs=projs)
            if len(members) == 1 and slots and projs is None:
                part.pointwise = pointwise(comp, members[0][0], members[0][1], base, slots)
                if part.pointwise is not None:
                    part.footprint = None  # checked where the step changed it: no memo to try
            if shared is not None:
                shared[key] = part
        parts.append(part)

    calls = [0, 0]  # predicate calls, parts skipped by identity
    whole = [False]  # set once parts are seldom skipped: then the whole predicate, fused, is faster

    def pred(state: Any) -> bool:
        if whole[0]:
            return evaluate(state)
        calls[0] += 1
        if calls[0] % _Conjunct.TRIAL == 0:
            # No memo kept nor part shared, and fewer than a quarter of the parts skipped by identity.
            whole[0] = all(part.footprint is None and not part.shared for part in parts) and (
                4 * calls[1] < calls[0] * len(parts)
            )
        e = None
        for part in parts:
            if part.held(state):
                calls[1] += 1
                continue
            if e is None:
                e = frame(state)
            try:
                v = part.holds(state, e)
            except EvalError:
                return evaluate(state)  # the error with its context, as the whole predicate gives it
            if v is not True:
                return evaluate(state)  # FALSE, or TLC's error for a value that is not a boolean
        return True

    if collect is not None:
        collect.append((parts, pred))
    return pred


def _framer(comp: Compiler) -> Callable[[Any], list[Any]]:
    """A frame for evaluating on a state, one list reused from call to call (see _predicate)."""
    store: list[Any] = []

    def frame(state: Any) -> list[Any]:
        e = store
        if len(e) <= comp.max_slot:  # (frame_size(), which only grows, without the call)
            e[:] = [None] * comp.frame_size()
        e[STATE] = state
        return e

    return frame


def _all_true(fns: list[Callable[[Any], Any]]) -> Callable[[Any], Any]:
    """Conjuncts as one part: TRUE where each gives TRUE, else the first other value."""

    def all_true(e: Any) -> Any:
        for fn in fns:
            v = fn(e)
            if v is not True:
                return v
        return True

    return all_true


class _AllHold:
    """Whether every invariant holds on a state: the search's question on each new state,
    asked once instead of once per invariant and per part (SimpleRegular: three invariants
    of six parts, whose calls cost more than the parts' evaluation).

    ``check`` is one generated function (fuse; names and integers only) in which a part that
    keeps no memo is skipped where the variables it reads are the objects on which it last
    held (its own record of them, ``R0``: the identity test of ``_Conjunct.held``) or the
    parent's (``check(state, parent)``, where the search knows that every invariant held on
    the parent: a step changes a few variables, and a pointwise part is then evaluated at the
    one key the step changed, where the last state checked, a cousin, differs at two or
    more), and else evaluated inline; a part that keeps a memo, or is still trying it (``_Conjunct``'s trial),
    is asked by its methods; a predicate without parts is evaluated whole. Wherever a part
    gives FALSE, an error or a value that is not a boolean, ``check`` gives False and the
    search asks the invariants one by one, in the cfg's order, for TLC's report. TRUE of
    every part is TRUE of every predicate, each being the conjunction of its parts. The
    search asks for ``latest()`` at each level: made again once a part asked by its methods
    has ended its trial. A part that keeps its memo looks its key up inline, and is asked by
    its method where the key is not there."""

    def __init__(self, comp: Compiler, pieces: list[tuple[list[_Conjunct] | None, Callable[[Any], bool]]]) -> None:
        self.comp = comp
        self.pieces = pieces
        self.asked: list[_Conjunct] = []  # the parts asked by their methods in ``check``
        self.check = self.build()

    def latest(self) -> Callable[..., bool]:
        if any(part.footprint is None or part.tries >= _Conjunct.TRIAL for part in self.asked):
            self.check = self.build()
        return self.check

    def build(self) -> Callable[[Any], bool]:
        """The generated check, with each part as it is now (memo kept or not)."""
        record: list[Any] = []  # R0: the objects each part last held on
        env: dict[str, Any] = {"F0": _framer(self.comp), "K0": Exception, "R0": record}
        body: list[tuple[int, str]] = []  # (depth, line) inside the try
        reads: set[int] = set()
        seen: set[int] = set()
        asked = self.asked = []

        def name_of(fn: Any) -> str:
            name = f"F{len(env)}"
            env[name] = fn
            return name

        def fails(depth: int, test: str) -> None:
            body.extend([(depth, f"if {test} is not True:"), (depth + 1, "return False")])

        parted: dict[tuple[int, int], str] = {}  # (slot, id(Projection)) -> its local
        parental: set[int] = set()  # the slots whose parent's values are read (``_p{slot}``)
        head_parts: list[tuple[int, str]] = []
        nv = len(self.comp.variables)

        def values_of(part: _Conjunct) -> list[str]:
            # The locals of the part's footprint: a variable's value, or the part of it the
            # conjunct reads (code.Projection, found once per value).
            slots = part.slots or ()
            out = []
            for slot, p in zip(slots, part.projs or [None] * len(slots)):
                reads.add(slot)
                if p is None:
                    out.append(f"_t{slot}")
                    continue
                name = parted.get((slot, id(p)))
                if name is None:
                    name = parted[(slot, id(p))] = f"_t{nv + len(parted)}"
                    o = name_of(p)
                    head_parts.append((0, f"{name} = ({o}.out if _t{slot} is {o}.last else {o}(_t{slot}))"))
                out.append(name)
            return out

        for parts, pred in self.pieces:
            if parts is None:
                fails(0, f"{name_of(pred)}(_v)")
                continue
            for part in parts:
                if id(part) in seen:
                    continue
                seen.add(id(part))
                slots = part.slots
                if (
                    part.footprint is not None
                    and part.tries >= _Conjunct.TRIAL
                    and part.fingerprint is not None
                    and slots
                    and part.pure
                ):
                    # The memo is kept: a part whose footprint's fingerprint is in it held
                    # there (its key, _Conjunct._key, written out); else asked by its method.
                    at = len(record)
                    record.extend([_NOTHING] * len(slots))
                    vals = values_of(part)
                    same = " and ".join(f"{x} is R0[{at + i}]" for i, x in enumerate(vals))
                    key = vals[0] if len(vals) == 1 else "(" + ", ".join(vals) + ")"
                    memo = f"D{len(env)}"
                    env[memo] = part.memo
                    body.append((0, f"if not ({same}):"))
                    body.append((1, f"if {name_of(part.fingerprint)}({key}) not in {memo}:"))
                    fails(2, f"{name_of(part.holds)}(_v, _n)")
                    body.extend((1, f"R0[{at + i}] = {x}") for i, x in enumerate(vals))
                elif part.footprint is not None:  # the memo is on trial: its own methods
                    asked.append(part)
                    held, holds = name_of(part.held), name_of(part.holds)
                    body.append((0, f"if not {held}(_v):"))
                    fails(1, f"{holds}(_v, _n)")
                elif slots is None or not part.pure:
                    fails(0, f"{name_of(part.code)}(_n)")
                elif not slots:  # reads no variable: once TRUE, TRUE on every state
                    at = len(record)
                    record.append(None)
                    body.append((0, f"if R0[{at}] is not True:"))
                    fails(1, f"{name_of(part.code)}(_n)")
                    body.append((1, f"R0[{at}] = True"))
                else:
                    at = len(record)
                    record.extend([_NOTHING] * len(slots))
                    vals = values_of(part)
                    same = " and ".join(f"{x} is R0[{at + i}]" for i, x in enumerate(vals))
                    whole = part.projs is None or all(p is None for p in part.projs)
                    if whole:  # (the parent's values are at hand for whole variables only)
                        parental.update(slots)
                    if part.pointwise is not None:
                        # Evaluated at the keys where its variables' values are not those it
                        # last held on (compile.pointwise), or the parent's, which it held on
                        # too; where one is not TRUE, or no keys are known, evaluated whole.
                        body.append((0, f"if not ({same}):"))
                        pw = part.pointwise
                        changed = f"{name_of(changed_function())}({name_of(pw.keys)}, "
                        pairs = ", ".join(f"_t{slot}, R0[{at + i}]" for i, slot in enumerate(slots))
                        if whole:
                            by_parent = ", ".join(f"_t{slot}, _p{slot}" for slot in slots)
                            body.append((1, f"_r = {changed}{pairs}) if _p is None else {changed}{by_parent})"))
                        else:
                            body.append((1, f"_r = {changed}{pairs})"))
                        body.append((1, "if _r is not None:"))
                        body.append((2, "for _x in _r:"))
                        body.append((3, f"_n[{pw.slot}] = _x"))
                        body.append((3, f"if {name_of(pw.body)}(_n) is not True:"))
                        body.append((4, "_r = None"))
                        body.append((4, "break"))
                        fails(1, f"_r is None and {name_of(part.code)}(_n)")
                    else:
                        if whole:  # nor where they are the parent's
                            same_p = " and ".join(f"_t{slot} is _p{slot}" for slot in slots)
                            same = f"{same} or _p is not None and {same_p}"
                        body.append((0, f"if not ({same}):"))
                        fails(1, f"{name_of(part.code)}(_n)")
                    body.extend((1, f"R0[{at + i}] = {x}") for i, x in enumerate(vals))
        head = [(0, "_n = F0(_v)")] + [(0, f"_t{slot} = _v[{slot}]") for slot in sorted(reads)] + head_parts
        if parental:
            head.append((0, "if _p is not None:"))
            head.extend((1, f"_p{slot} = _p[{slot}]") for slot in sorted(parental))
        lines = ["def fused(_v, _p=None):", "    try:"]
        lines += ["    " * (depth + 2) + text for depth, text in head + body + [(0, "return True")]]
        lines += ["    except K0:", "        return False", ""]
        return fuse._define("\n".join(lines), env, "<tlacheck: fused invariants>")


class _Conjunct:
    """A conjunct (or consecutive conjuncts of one footprint) of a state predicate, and the
    values of its footprint on which it held: the last state (``last``: two invariants that
    share it ask on the same state), the last values of its footprint by identity
    (``held_on``: a successor's unchanged variables are its parent's objects, and siblings are
    checked one after the other), and others by their 64-bit fingerprint (the engine's, as
    the visited set's; the same value built again in another state hits, which identity
    would miss: Paxos' and MultiPaxos' message sets, Raft's logs); by identity where the
    engine has not given the evaluator its fingerprints (the memo holds the values, so no id
    is reused while it is there).

    The memo pays where the time its hits save (the hit rate times an evaluation's time) is
    more than what it costs on every state (taking the key and looking it up, storing it on a
    miss). During its first TRIAL evaluations a conjunct times its misses' evaluations; then
    it times its key and lookup and keeps the memo only where ``keeps_memo`` says it pays: an
    expensive conjunct (Raft's LogMatching) keeps it at a low hit rate, a cheap one (a
    membership in TypeOK) drops it even at a higher one. The identity tests cost next to
    nothing and stay: ``slots`` is the footprint, ``footprint`` it while the memo is kept."""

    __slots__ = (
        "code", "footprint", "slots", "held_on", "getter", "hits", "memo", "spent", "tries", "fingerprint",
        "last", "pure", "shared", "pointwise", "projs",
    )  # fmt: skip
    _LIMIT = 50_000
    TRIAL = 2_000
    # The memo is kept where hits x evaluation > KEY_COST x (key and lookup): a miss costs a
    # key, a lookup and a store, and a predicate whose conjuncts all drop their memo is then
    # evaluated whole (fused), which saves the per-conjunct loop as well.
    KEY_COST = 3.0
    _KEY_SAMPLES = 200

    def __init__(
        self, code: Callable[[Any], Any], footprint: tuple[int, ...] | None, pure: bool = True,
        projs: tuple[Projection | None, ...] | None = None,
    ) -> None:
        self.code = code
        self.footprint = self.slots = footprint
        # The part of each variable it reads (a Projection), where not the whole (None).
        self.projs = projs
        self.getter = operator.itemgetter(*footprint) if footprint and len(footprint) > 1 else None
        self.held_on: Any = _NOTHING  # the footprint's values when it last held (a tuple of several)
        self.memo: dict[Any, Any] = {}
        self.tries = self.hits = 0
        self.spent: list[int] = []  # the trial's misses' evaluation times (ns)
        self.fingerprint = fingerprint_function()
        self.last: Any = None  # the last state on which it held (another predicate's conjunct too)
        self.pure = pure  # whether it reads the variables alone (None: TLCGet, RandomElement, ...)
        self.shared = False
        self.pointwise: Pointwise | None = None  # compile.pointwise's check, where it is of that shape

    @staticmethod
    def keeps_memo(tries: int, hits: int, evaluation_ns: float, key_ns: float) -> bool:
        """Whether the memo pays: the time its hits save against its keys' cost."""
        return hits * evaluation_ns > _Conjunct.KEY_COST * key_ns * tries

    def held(self, state: Any) -> bool:
        """Whether it held on this very state, or on the very objects of its footprint, the last time."""
        if state is self.last:
            return True
        slots = self.slots
        if slots is None:
            return False
        held_on = self.held_on
        if self.projs is not None:
            return held_on is not _NOTHING and all(map(operator.is_, self._values(state), held_on))
        if self.getter is None:
            return state[slots[0]] is held_on if slots else held_on is not _NOTHING
        return held_on is not _NOTHING and all(map(operator.is_, self.getter(state), held_on))

    def _values(self, state: Any) -> Any:
        if self.projs is not None:
            values = self.getter(state) if self.getter is not None else (state[self.slots[0]],)  # type: ignore[index]
            parts = tuple([x if p is None else p(x) for x, p in zip(values, self.projs)])
            return parts if self.getter is not None else parts[0]
        if self.getter is not None:
            return self.getter(state)
        footprint = self.slots
        assert footprint is not None
        return state[footprint[0]] if footprint else ()

    def _key(self, values: Any) -> Any:
        fingerprint = self.fingerprint
        if fingerprint is not None:
            try:
                return fingerprint(values)
            except Exception:  # a value the fingerprints do not know: by identity
                pass
        return tuple(map(id, values)) if self.getter is not None else (id(values),)  # a tuple: not a fingerprint

    def _decide(self, state: Any) -> None:
        """At the trial's end: drop the memo unless it pays (see ``keeps_memo``)."""
        spent = sorted(self.spent)
        evaluation = spent[len(spent) // 2] if spent else 0.0  # the median: robust to preemption
        memo, key, values = self.memo, self._key, self._values
        best = None
        for _ in range(3):  # the fastest of three batches: the key's own cost, not the machine's load
            start = time.perf_counter_ns()
            for _ in range(self._KEY_SAMPLES):
                key(values(state)) in memo  # noqa: B015 (the lookup is what is timed)
            batch = (time.perf_counter_ns() - start) / self._KEY_SAMPLES
            best = batch if best is None else min(best, batch)
        self.spent = []
        if not self.keeps_memo(self.tries, self.hits, evaluation, best or 0.0):
            self.footprint, self.memo = None, {}

    def _held(self, state: Any, values: Any) -> None:
        if self.pure:
            self.last = state
        if self.slots is not None:
            self.held_on = values

    def holds(self, state: Any, e: list[Any]) -> Any:
        if state is self.last:
            return True
        slots = self.slots
        values = None if slots is None else self._values(state)
        footprint = self.footprint
        if footprint is None:
            v = self.code(e)
            if v is True:
                self._held(state, values)
            return v
        self.tries += 1
        trial = self.tries <= self.TRIAL
        if self.tries == self.TRIAL:
            self._decide(state)
            if self.footprint is None:
                return self.holds(state, e)
        ids = self._key(values)
        memo = self.memo
        if ids in memo:
            self.hits += 1
            self._held(state, values)
            return True
        if trial:
            start = time.perf_counter_ns()
            v = self.code(e)
            self.spent.append(time.perf_counter_ns() - start)
        else:
            v = self.code(e)
        if v is True:
            self._held(state, values)
            if len(memo) >= self._LIMIT:
                memo.clear()
            # By identity, the values themselves keep their ids from being reused; a
            # fingerprint needs nothing kept.
            memo[ids] = True if type(ids) is int else values
        return v


_NOTHING = object()  # a conjunct that has not held yet


def _value_of_state(comp: Compiler, node: syntax.Expr, base: Ctx, what: str) -> Callable[[Any], Value]:
    code = comp.fused(comp.expr(node, base))

    def value(state: Any) -> Value:
        e = [state, None, None, None] + [None] * (comp.frame_size() - FIRST_SLOT)
        try:
            return code(e)
        except EvalError as exc:
            exc.context = exc.context or f"while evaluating {what}"
            raise

    return value


def _step_predicate(
    comp: Compiler, node: syntax.Expr, base: Ctx, what: str, failure_exit: int = 75
) -> Callable[[Any, Any], bool]:
    code = comp.fused(comp.expr(node, base))

    def pred(s: Any, t: Any) -> bool:
        e = [s, t, None, None] + [None] * (comp.frame_size() - FIRST_SLOT)
        try:
            v = code(e)
        except EvalError as exc:
            exc.context = exc.context or f"while evaluating {what}"
            if exc.exit_code == 75:
                exc.exit_code = failure_exit
            raise
        if v is True or v is False:
            return v
        raise EvalError(f"The value of {what} is not a boolean: {show(v)}.")

    return pred


def _action_property(comp: Compiler, act: Any, sub: Any, base: Ctx, what: str) -> Callable[[Any, Any], bool]:
    (anode, ascope), (snode, sscope) = act, sub
    a = comp.expr(anode, dataclasses.replace(base, scope=ascope)).fn
    same = actions.unchanged_pred(comp, snode, dataclasses.replace(base, scope=sscope)).fn

    def prop(s: Any, t: Any) -> bool:
        e = [s, t, None, None] + [None] * (comp.frame_size() - FIRST_SLOT)
        try:
            return bool(same(e)) or a(e) is True
        except EvalError as exc:
            exc.context = exc.context or f"while evaluating {what}"
            raise

    return prop


class _TemporalCompiler:
    """What ``checker.tla.temporal`` asks of the compiler (its ``Compile`` protocol)."""

    def __init__(self, comp: Compiler, base: Ctx, next_action: tuple[syntax.Expr, Scope] | None = None) -> None:
        self.comp = comp
        self.base = base
        self.next_action = next_action  # the spec's Next, in its scope: the search's steps

    # TLC 2.20 exits 255 when evaluating a temporal property or fairness fails (its 77 is for a
    # property whose negation it finds unsatisfiable, "Temporal formula is a tautology").
    def state(self, node: syntax.Expr, scope: Scope, what: str) -> Callable[[Any], bool]:
        return self._reusing(node, scope, what, 1)

    def step(self, node: syntax.Expr, scope: Scope, what: str) -> Callable[[Any, Any], bool]:
        return self._reusing(node, scope, what, 2)

    def _reusing(self, node: syntax.Expr, scope: Scope, what: str, states: int) -> Callable[..., bool]:
        """A state (``states`` 1) or step (2) predicate evaluated in one frame, reused.

        The liveness search evaluates these on every state or edge, one at a time; a frame
        is as large as the whole spec's deepest binding (thousands of slots), and allocating
        one per evaluation cost most of the evaluation. A reused frame is safe: every slot is
        written by its binder before it is read (lazy slots are reset to UNSET on entry)."""
        comp = self.comp
        code = comp.fused(comp.expr(node, dataclasses.replace(self.base, scope=scope)))
        frame: list[Any] = []

        def pred(s: Any, t: Any = None) -> bool:
            e = frame
            if len(e) != comp.frame_size():
                e[:] = [None] * comp.frame_size()
            e[STATE] = s
            e[NEXT] = t
            try:
                v = code(e)
            except EvalError as exc:
                exc.context = exc.context or f"while evaluating {what}"
                if states == 1:
                    exc.state = exc.state or _show(comp, s)
                if exc.exit_code == 75:
                    exc.exit_code = 255
                raise
            finally:
                e[STATE] = e[NEXT] = None
            if v is True or v is False:
                return v
            raise EvalError(f"The value of {what} is not a boolean: {show(v)}.")

        return pred

    def constant(self, node: syntax.Expr, scope: Scope) -> Any:
        comp = self.comp
        code = comp.expr(node, dataclasses.replace(self.base, scope=scope))
        if not code.const and not code.state and code.min_slot == NO_SLOT:
            # Constant, but not folded: its evaluation failed while compiling. TLC evaluates
            # a temporal formula's constant parts before the search, and fails there (255).
            try:
                return code.fn([None] * comp.frame_size())
            except EvalError as exc:
                exc.context = exc.context or "while evaluating a constant of a temporal property"
                if exc.exit_code == 75:
                    exc.exit_code = 255
                raise
        if not code.const:
            raise SpecError("E751", "\\A over a temporal formula needs a constant set", node.span)
        return code.value

    def successors(
        self, action: syntax.Expr, sub: syntax.Expr, scope: Scope, what: str
    ) -> Callable[[Any], set[Any] | None]:
        """The <<A>>_v successors of a state, by enumerating A once (TLC's enumeration);
        None where A leaves a variable unassigned (then the predicates are used)."""
        comp = self.comp
        ctx = dataclasses.replace(self.base, scope=scope)
        run = _compile_action(comp, [(action, scope)], ctx, initial=False)
        same = actions.unchanged_pred(comp, sub, ctx).fn
        nvars = len(comp.variables)

        frame: list[Any] = []  # reused, as in _reusing

        def successors(s: Any) -> set[Any] | None:
            out: list[tuple[Any, Any]] = []
            e = frame
            if len(e) != comp.frame_size():
                e[:] = [None] * comp.frame_size()
            e[STATE], e[NEXT], e[LABEL], e[OUT] = s, [UNSET] * nvars, None, out
            try:
                run(e)
                found = set()
                e[OUT] = None
                for _, t in out:
                    e[NEXT] = t
                    if not same(e):
                        found.add(t)
            except EvalError as exc:
                if "not completely specified" in str(exc):
                    return None
                exc.context = exc.context or f"while evaluating {what}"
                raise
            finally:
                e[STATE] = e[NEXT] = e[OUT] = None
            return found

        return successors

    def own_taken(
        self, action: syntax.Expr, sub: syntax.Expr, scope: Scope, what: str
    ) -> Callable[[Any, Any], bool] | None:
        """Where ``action`` is the spec's Next itself (``WF_vars(Next)``: the same definition,
        without arguments), whether a step the search made (a Next step) is an ``<<Next>>_sub``
        step: ``sub`` changed. None for any other action."""
        if self.next_action is None:
            return None
        mine = _operator_named(action, scope)
        if mine is None or mine is not _operator_named(*self.next_action):
            return None
        read = _variables_of(sub, scope)
        if read is not None:  # vars == <<x, y>>: the two states' values compared, nothing evaluated
            indices = tuple(read)

            def changed(s: Any, t: Any) -> bool:
                for i in indices:
                    a, b = s[i], t[i]
                    if a is not b and a != b:  # as UNCHANGED's tuples compare them
                        return True
                return False

            return changed
        span = action.span
        return self.step(syntax.OpApp("~", (syntax.OpApp("UNCHANGED", (sub,), span=span),), span=span), scope, what)

    def instance(self, step: syntax.InstanceStep, b: InstanceB, scope: Scope) -> Scope:
        ctx = dataclasses.replace(self.base, scope=scope)
        built: Scope = b.build(tuple(self.comp.expr(a, ctx) for a in step.args))
        return built


def _variables_of(node: syntax.Expr, scope: Scope) -> list[int] | None:
    """The indices of the variables of ``x``, ``<<x, y>>`` or a definition that is one of
    those (``vars``), in order; None for anything else (then the expression is evaluated)."""
    for _ in range(8):  # through definitions of definitions
        op = _operator_named(node, scope)
        if op is None or op.scope is None:
            break
        node, scope = op.body, op.scope
    items = node.elems if isinstance(node, syntax.Tuple) else (node,)
    out = []
    for item in items:
        if not isinstance(item, syntax.Name) or scope.mapped(item.name) is not None:
            return None
        b = scope.lookup(item.name)
        if not isinstance(b, VarB):
            return None
        out.append(b.index)
    return out


def _operator_named(node: syntax.Expr, scope: Scope) -> OpB | None:
    """The definition without parameters that ``node`` names (``Next``), else None."""
    if isinstance(node, syntax.Name) or (isinstance(node, syntax.OpApp) and not node.args):
        b = scope.lookup(node.name)
        if isinstance(b, OpB) and not b.params:
            return b
    return None


def _show(comp: Compiler, state: Any) -> str:
    try:
        return "\n".join(f"/\\ {k} = {format_value(v)}" for k, v in sorted(zip(comp.variables, state)))
    except Exception:
        return repr(state)


def _reads_variables(node: syntax.Expr, scope: Scope, seen: set[int]) -> bool:
    """Whether ``node`` reads (or primes) a state variable, directly or through the operators
    it uses: SANY's level check, which rejects such an ASSUME before TLC evaluates anything."""
    for n in syntax.walk(node):
        if isinstance(n, syntax.OpApp) and n.name == "'":
            return True
        if isinstance(n, syntax.Name | syntax.OpApp):
            b = scope.lookup(n.name)
            if isinstance(b, VarB):
                return True
            if isinstance(b, OpB) and b.scope is not None and id(b) not in seen:
                seen.add(id(b))
                if _reads_variables(b.body, b.scope, seen):
                    return True
    return False


def _check_substitutions(cfg: Cfg, comp: Compiler, scope: Scope) -> None:
    """``N <- Def`` where Def is a constant: TLC evaluates it before the search, and a
    failure is a cfg error (exit 151): "The configuration file substitutes constant N with
    non-constant Def - specifically: ..." (EWD998ChanTrace's ``N <- TraceN``)."""
    for c in cfg.constants:
        if c.target is None or c.module is not None:
            continue
        b = scope.lookup(c.target)
        if not (isinstance(b, OpB) and not b.params and b.scope is not None):
            continue
        if _reads_variables(b.body, b.scope, set()):
            continue
        try:
            code = comp.expr(syntax.Name(c.target, span=b.span), Ctx(scope, FIRST_SLOT))
            # Not folded (a CHOOSE over Nat): evaluated once here, unless the spec has effects
            # (Print, RandomElement's draws), which must happen where TLC has them.
            if not code.const and not comp.runtime.effects:
                code.fn([None] * comp.frame_size())
        except (EvalError, SpecError) as exc:
            if isinstance(exc, ConfigError):
                raise
            raise ConfigError(
                "E749",
                f"The configuration file substitutes constant {c.name} with non-constant {c.target} - "
                f"specifically: {exc.message if exc.span is None else f'{exc.span}: {exc.message}'}",
                c.span,
            ) from None


def _check_assumptions(b: _Builder, comp: Compiler, scope: Scope) -> None:
    for u, sc in b.assumes:
        if _reads_variables(u.expr, sc, set()):
            raise SpecError(
                "E214",
                "Level error: assumptions must be level 0 (Constant), but this one reads a variable "
                "(TLC: 'assumptions must be level 0 (Constant)')",
                u.expr.span,
            )
        code = comp.expr(u.expr, Ctx(sc, FIRST_SLOT))
        e: list[Any] = [None] * comp.frame_size()
        try:
            v = code.fn(e)
        except EvalError as exc:
            # TLC 2.20: "Evaluating assumption line 4, col 8 to line 4, col 35 of module M
            # failed.", exit 10 (as a false ASSUME).
            exc.context = f"Error: Evaluating assumption {place(u.expr)} failed."
            exc.exit_code = AssumptionError.exit_code
            raise
        if v is not True:
            where = f" at {u.span}" if u.span.line > 0 else ""
            raise AssumptionError(f"Error: Assumption{where} is false.")
