"""The three conditions that make an invariant inductive, checked with Z3 on a finite instance.

This module owns the queries and what their answers mean:

- **IndInit**: ``Init => IndInv``; a model of ``Init /\\ ~IndInv`` is a bad initial state;
- **IndNext**: ``IndInv /\\ A => IndInv'`` for each action ``A`` of ``Next`` (one query per
  action and per conjunct of IndInv, on one incremental solver per action), so a failure
  says which action breaks which conjunct; a model is a counterexample to induction (CTI):
  a state satisfying IndInv and a step of ``A`` to a state that does not;
- **IndProp**: ``IndInv => P`` for each invariant ``P`` of the cfg.

A query Z3 answers ``unknown`` makes the verdict unknown, never proved. Each failing query
yields a :class:`Cti` decoded into ``checker.values`` as a one- or two-state ``Trace``.

The types of the variables come from the ``TypeOK``-style conjuncts of IndInv
(``x \\in S``, ``x \\subseteq S``, and ``Len(x[i]) <= N`` for sequences); a variable without
one is an error that says which conjunct to add.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import z3

from checker.engine.result import Step, Trace
from checker.prove import symbolic as sy
from checker.prove import types as ty
from checker.prove.encode import Action, Assignments, Context, EncodeError, Encoder, Env, Site, conjuncts
from checker.tla import stdlib, syntax
from checker.values import Value


@dataclasses.dataclass(frozen=True, slots=True)
class Conjunct:
    """One conjunct of the candidate invariant: its name (operator name or position) and formula."""

    name: str
    expr: syntax.Expr


@dataclasses.dataclass(frozen=True, slots=True)
class Cti:
    """A counterexample: a bad initial state (IndInit), a step out of IndInv (IndNext), or a
    state of IndInv violating an invariant (IndProp)."""

    kind: str
    action: str | None
    broken: tuple[str, ...]
    trace: Trace
    left_type: tuple[str, ...] = ()  # variables whose new value lies outside their type


@dataclasses.dataclass(frozen=True, slots=True)
class Check:
    """One condition: ``kind`` IndInit/IndNext/IndProp, ``target`` Init, an action or an invariant."""

    kind: str
    target: str
    verdict: str  # "holds", "fails" or "unknown"
    seconds: float
    broken: tuple[str, ...] = ()
    cti: Cti | None = None
    reason: str = ""  # Z3's reason for unknown


@dataclasses.dataclass(frozen=True, slots=True)
class Problem:
    """What ``prove`` works on: the module's definitions, the cfg's constants, the formulas."""

    spec: str
    defs: Mapping[str, syntax.Unit]
    constants: Mapping[str, Value]
    variables: tuple[str, ...]
    init: syntax.Expr
    next: syntax.Expr
    inv: str
    invariants: tuple[str, ...]
    root: Context | None = None  # the root module's context (its instances); None: defs alone


@dataclasses.dataclass(frozen=True, slots=True)
class InductionResult:
    problem: Problem
    conjuncts: tuple[str, ...]
    types: tuple[tuple[str, str, int], ...]  # variable, type, number of Z3 terms
    actions: int
    checks: tuple[Check, ...]
    seconds: float

    @property
    def verdict(self) -> str:
        if any(c.verdict == "fails" for c in self.checks):
            return "fails"
        if any(c.verdict == "unknown" for c in self.checks):
            return "unknown"
        return "proved"

    @property
    def ctis(self) -> list[Cti]:
        return [c.cti for c in self.checks if c.cti is not None]

    def failed(self, kind: str) -> list[Check]:
        return [c for c in self.checks if c.kind == kind and c.verdict == "fails"]

    def seconds_of(self, kind: str) -> float:
        return sum(c.seconds for c in self.checks if c.kind == kind)


@dataclasses.dataclass(frozen=True, slots=True)
class ProveOptions:
    per_conjunct: bool = True  # name every broken conjunct (one query each) or stop at the first
    timeout_ms: int = 0  # per query; 0: none
    only_kinds: tuple[str, ...] = ("IndInit", "IndNext", "IndProp")
    first_failure: bool = False  # stop at the first condition that fails
    # Told which condition is being checked ("IndNext 3/27: VoteFor(a1, 0, v1)"), before each.
    progress: Callable[[str], None] | None = None


def check_induction(problem: Problem, options: ProveOptions | None = None) -> InductionResult:
    """Check IndInit, IndNext (per action) and IndProp for ``problem``, in a Z3 context of
    its own (:func:`fresh_context`)."""
    sy.fresh_context()
    return _Prover(problem, options or ProveOptions()).run()


class _Prover:
    def __init__(self, problem: Problem, options: ProveOptions) -> None:
        self.p = problem
        self.options = options
        self.enc = Encoder(problem.defs, problem.constants, problem.variables, problem.root)
        inv_def = self.enc.definition(problem.inv)
        if inv_def.params:
            raise EncodeError(f"the invariant '{problem.inv}' takes arguments", inv_def.span)
        self.conjuncts = self._conjuncts(inv_def)
        self.types = infer_types(self.enc, inv_def.body, problem.variables, problem.inv, inv_def.span)
        self.enc.types = self.types
        self.shape: list[Any] = []
        cur = {v: ty.fresh(self.types[v], v, self.shape) for v in problem.variables}
        nxt = {v: ty.fresh(self.types[v], v + "'", self.shape) for v in problem.variables}
        self.enc.set_states(cur, nxt)
        self._base: z3.Solver | None = None
        self._inv_span = inv_def.span

    def _conjuncts(self, inv_def: syntax.OpDef) -> tuple[Conjunct, ...]:
        return self._conjuncts_of(self.enc, inv_def)

    @staticmethod
    def _conjuncts_of(enc: Encoder, inv_def: syntax.OpDef) -> tuple[Conjunct, ...]:
        """The conjuncts of IndInv, each named by its operator (``VotesSafe``) or position."""
        out = []
        parts = conjuncts(inv_def.body)
        for i, c in enumerate(parts, 1):
            name = c.name if isinstance(c, syntax.Name) else f"{inv_def.name} conjunct {i}"
            if isinstance(c, syntax.OpApp) and c.name[:1].isalpha() and c.name in enc.defs:
                name = c.name + ("(...)" if c.args else "")
            if isinstance(c, syntax.Label):
                name = c.name
            out.append(Conjunct(name, c))
        return tuple(out)

    def run(self) -> InductionResult:
        start = time.monotonic()
        checks: list[Check] = []
        kinds = self.options.only_kinds
        stop = self.options.first_failure
        tell = self.options.progress or (lambda message: None)
        if "IndInit" in kinds:
            tell("IndInit: Init")
            checks.append(self._ind_init())
        actions = self.enc.split_actions(self.p.next, Env(), "Next", ())
        if "IndNext" in kinds and not (stop and _failed(checks)):
            for i, action in enumerate(actions, 1):
                tell(f"IndNext {i}/{len(actions)}: {action.label}")
                checks.append(self._ind_next(action))
                if stop and _failed(checks):
                    break
        if "IndProp" in kinds and not (stop and _failed(checks)):
            for i, name in enumerate(self.p.invariants, 1):
                tell(f"IndProp {i}/{len(self.p.invariants)}: {name}")
                checks.append(self._ind_prop(name))
        types = tuple((v, str(self.types[v]), ty.size(self.types[v])) for v in self.p.variables)
        return InductionResult(
            self.p,
            tuple(c.name for c in self.conjuncts),
            types,
            len(actions),
            tuple(checks),
            time.monotonic() - start,
        )

    # -- the solver -----------------------------------------------------------------------------

    def _solver(self) -> z3.Solver:
        s = z3.Solver()
        if self.options.timeout_ms:
            s.set("timeout", self.options.timeout_ms)
        for c in self.shape:
            s.add(c)
        return s

    def _inv(self, primed: bool) -> list[tuple[Conjunct, sy.BoolLike]]:
        env = Env(primed=primed)
        before = self.enc.primed_reads
        out = [(c, self.enc.formula(c.expr, env)) for c in self.conjuncts]
        if not primed and self.enc.primed_reads != before:
            raise EncodeError(
                f"{self.p.inv} mentions primed variables: an invariant is a state predicate",
                self._inv_span,
                "remove the primes (x') from the invariant and the operators it uses",
            )
        return out

    def _query(
        self, solver: z3.Solver, goal: sy.BoolLike, assumptions: Sequence[Any] = ()
    ) -> tuple[str, z3.ModelRef | None, str]:
        if goal is False:
            return "unsat", None, ""
        solver.push()
        solver.add(sy.to_z3_bool(goal))
        r = solver.check(*assumptions)
        model = solver.model() if r == z3.sat else None
        reason = solver.reason_unknown() if r == z3.unknown else ""
        solver.pop()
        return str(r), model, reason

    def _failing(
        self,
        solver: z3.Solver,
        goals: Sequence[tuple[str, sy.BoolLike]],
        step: sy.BoolLike,
        sites: Sequence[Site],
    ) -> tuple[str, list[str], z3.ModelRef | None, list[Site], str]:
        """Which goals (negated conjuncts) are satisfiable, and which assignments can leave
        their variable's type; the first model found (a CTI) and Z3's reason for unknown."""
        plain = [z3.Not(site.switch) for site in sites]
        broken: list[str] = []
        escaped: list[Site] = []
        first: z3.ModelRef | None = None
        unknown = ""
        for i, site in enumerate(sites):
            # The action, taking the branch of this assignment, with a value that does not fit:
            # switched on, the site holds only if the value does not fit, and the step must
            # not hold without it.
            others = plain[:i] + plain[i + 1 :]
            without = z3.substitute(sy.to_z3_bool(step), (site.formula, z3.BoolVal(False)))
            r, m, why = self._query(solver, z3.Not(without), [site.switch, *others])
            if r == "sat" and first is None:
                first = m
            if r == "sat":
                escaped.append(site)
                name = f"the type of {site.variable}"
                if name not in broken:
                    broken.append(name)
            elif r == "unknown":
                unknown = why
        if goals:
            whole = sy.or_([g for _, g in goals])
            r, model, why = self._query(solver, whole, plain)
            if r == "unknown":
                unknown = why
            if r == "sat":
                if self.options.per_conjunct:
                    for name, g in goals:
                        r2, m2, why2 = self._query(solver, g, plain)
                        if r2 == "sat":
                            broken.append(name)
                            first = first or m2
                        elif r2 == "unknown":
                            unknown = why2
                else:
                    broken += [name for name, g in goals if model is not None and sy._holds(g, model)]
                first = first or model
        if broken:
            return "sat", broken, first, escaped, ""
        if unknown:
            return "unknown", [], None, [], unknown
        return "unsat", [], None, [], ""

    # -- IndInit ---------------------------------------------------------------------------------

    def _ind_init(self) -> Check:
        start = time.monotonic()
        solver = self._solver()
        assign = Assignments("escape@Init", init=True)
        init = self.enc.formula(self.p.init, Env(escape=assign))
        solver.add(sy.to_z3_bool(init))
        goals = [(c.name, sy.not_(b)) for c, b in self._inv(False)]
        verdict, broken, model, escaped, reason = self._failing(solver, goals, init, assign.sites)
        seconds = time.monotonic() - start
        if verdict != "sat":
            return Check(
                "IndInit", "Init", "holds" if verdict == "unsat" else "unknown", seconds, reason=reason
            )
        assert model is not None
        state = self._decode(self.enc.cur, model)
        left = self._left_type(state, escaped, model)
        trace = Trace(self.p.variables, (Step(None, _key(state, self.p.variables), state),))
        cti = Cti("IndInit", None, tuple(broken), trace, left)
        return Check("IndInit", "Init", "fails", seconds, tuple(broken), cti)

    def _left_type(
        self, record: dict[str, Value], escaped: Sequence[Site], model: z3.ModelRef
    ) -> tuple[str, ...]:
        """Put the true (out-of-type) values of escaped assignments into ``record``."""
        left: list[str] = []
        for site in escaped:
            if site.variable not in left and sy._holds(z3.Not(sy.to_z3_bool(site.fits)), model):
                record[site.variable] = sy.decode(site.value, model)
                left.append(site.variable)
        return tuple(left)

    # -- IndNext ---------------------------------------------------------------------------------

    def _with_inv(self) -> z3.Solver:
        """One solver holding the shape and IndInv(s), shared by every IndNext and IndProp query."""
        if self._base is None:
            self._base = self._solver()
            for _, b in self._inv(False):
                self._base.add(sy.to_z3_bool(b))
        return self._base

    def _ind_next(self, action: Action) -> Check:
        solver = self._with_inv()
        solver.push()
        try:
            return self._ind_next_on(solver, action)
        finally:
            solver.pop()

    def _ind_next_on(self, solver: z3.Solver, action: Action) -> Check:
        start = time.monotonic()
        assign = Assignments(f"escape@{action.label}")
        env = dataclasses.replace(action.env, escape=assign)
        step = self.enc.formula(action.expr, env)
        if step is False:
            return Check("IndNext", action.label, "holds", time.monotonic() - start)
        missing = [v for v in self.p.variables if v not in assign.assigned]
        if missing:
            raise EncodeError(
                f"the action {action.label} does not determine the next value of {', '.join(missing)}",
                action.expr.span,
                f"add UNCHANGED <<{', '.join(missing)}>> (TLC would report the successor state as "
                "not completely specified)",
            )
        solver.add(sy.to_z3_bool(step))
        goals = [(c.name, sy.not_(b)) for c, b in self._inv(True)]
        verdict, broken, model, escaped, reason = self._failing(solver, goals, step, assign.sites)
        seconds = time.monotonic() - start
        if verdict != "sat":
            return Check(
                "IndNext", action.label, "holds" if verdict == "unsat" else "unknown", seconds, reason=reason
            )
        assert model is not None
        before = self._decode(self.enc.cur, model)
        after = self._decode(self.enc.nxt, model)
        left = self._left_type(after, escaped, model)
        trace = Trace(
            self.p.variables,
            (
                Step(None, _key(before, self.p.variables), before),
                Step(action.label, _key(after, self.p.variables), after),
            ),
        )
        cti = Cti("IndNext", action.label, tuple(broken), trace, left)
        return Check("IndNext", action.label, "fails", seconds, tuple(broken), cti)

    # -- IndProp ---------------------------------------------------------------------------------

    def _ind_prop(self, name: str) -> Check:
        start = time.monotonic()
        d = self.enc.definition(name)
        solver = self._with_inv()
        goal = sy.not_(self.enc.formula(d.body, Env()))
        verdict, model, reason = self._query(solver, goal)
        seconds = time.monotonic() - start
        if verdict != "sat":
            return Check(
                "IndProp", name, "holds" if verdict == "unsat" else "unknown", seconds, reason=reason
            )
        assert model is not None
        state = self._decode(self.enc.cur, model)
        trace = Trace(self.p.variables, (Step(None, _key(state, self.p.variables), state),))
        return Check("IndProp", name, "fails", seconds, (name,), Cti("IndProp", None, (name,), trace))

    def _decode(self, terms: Mapping[str, sy.Sym], model: z3.ModelRef) -> dict[str, Value]:
        return {v: sy.decode(terms[v], model) for v in self.p.variables}


def _failed(checks: Sequence[Check]) -> bool:
    return any(c.verdict == "fails" for c in checks)


def _key(record: Mapping[str, Value], variables: Sequence[str]) -> tuple[Value, ...]:
    return tuple(record[v] for v in variables)


# ---------------------------------------------------------------------------------------------
# Types from TypeOK


def infer_types(
    enc: Encoder, inv: syntax.Expr, variables: Sequence[str], inv_name: str, span: Any = None
) -> dict[str, ty.Type]:
    """The finite type of each variable, from the ``x \\in S`` conjuncts reachable from ``inv``."""
    sets: dict[str, tuple[Value, syntax.Expr]] = {}
    bounds: dict[str, int] = {}
    _collect(enc, inv, set(variables), sets, bounds, set())
    out: dict[str, ty.Type] = {}
    missing = [v for v in variables if v not in sets]
    if missing:
        raise EncodeError(
            f"no type for {', '.join(missing)}: {inv_name} has no conjunct "
            f"'{missing[0]} \\in S' (or '\\subseteq S') with a constant, finite S",
            span,
            f"add a TypeOK-style conjunct to {inv_name} (for example TypeOK, with {missing[0]} \\in S for a "
            "finite set S: 0..3, [Server -> BOOLEAN], SUBSET Message, ...)",
        )
    for v in variables:
        value, node = sets[v]
        try:
            out[v] = type_of_set(value, bounds.get(v))
        except sy.Unsupported as exc:
            raise EncodeError(
                f"the type of {v} is not finite: {exc}",
                node.span,
                "give a finite set (a bounded interval instead of Nat; for Seq(S), a conjunct Len(x) <= N)",
            ) from None
    return out


def _collect(
    enc: Encoder,
    e: syntax.Expr,
    variables: set[str],
    sets: dict[str, tuple[Value, syntax.Expr]],
    bounds: dict[str, int],
    seen: set[str],
) -> None:
    for c in conjuncts(e):
        if isinstance(c, syntax.Name) and c.name not in variables:
            d = enc.defs.get(c.name)
            if isinstance(d, syntax.OpDef) and not d.params and c.name not in seen:
                seen.add(c.name)
                _collect(enc, d.body, variables, sets, bounds, seen)
            continue
        if (
            isinstance(c, syntax.OpApp)
            and c.name in ("\\in", "\\subseteq")
            and isinstance(c.args[0], syntax.Name)
        ):
            var = c.args[0].name
            if var in variables and var not in sets:
                try:
                    value = enc.eval(c.args[1], Env())
                except EncodeError:
                    continue
                if not sy.is_concrete(value):
                    continue
                sets[var] = (stdlib.subset(value) if c.name == "\\subseteq" else value, c)
            continue
        if isinstance(c, syntax.Quant) and c.kind == "\\A":
            _collect(enc, c.body, variables, sets, bounds, seen)
            continue
        bound = _length_bound(enc, c, variables)
        if bound is not None:
            var, n = bound
            bounds[var] = max(bounds.get(var, 0), n)


def _length_bound(enc: Encoder, c: syntax.Expr, variables: set[str]) -> tuple[str, int] | None:
    """``Len(x) <= N`` or ``Len(x[i]) <= N`` (also ``<``) with a constant N."""
    if not (isinstance(c, syntax.OpApp) and c.name in ("<=", "<") and len(c.args) == 2):
        return None
    lhs, rhs = c.args
    if not (isinstance(lhs, syntax.OpApp) and lhs.name == "Len" and len(lhs.args) == 1):
        return None
    target = lhs.args[0]
    while isinstance(target, syntax.FnApp):
        target = target.fn
    if not (isinstance(target, syntax.Name) and target.name in variables):
        return None
    try:
        n = enc.eval(rhs, Env())
    except EncodeError:
        return None
    if type(n) is not int:
        return None
    return target.name, n - (1 if c.name == "<" else 0)


def type_of_set(s: Value, seq_bound: int | None) -> ty.Type:
    """The shape of terms for a value ranging over the constant set ``s``."""
    if isinstance(s, stdlib.FnSet):
        dom = list(stdlib.iterate_set(s.domain))
        return ty.FnT(tuple((k, type_of_set(s.codomain, seq_bound)) for k in dom))
    if isinstance(s, stdlib.RecordSet):
        return ty.FnT(tuple((k, type_of_set(v, seq_bound)) for k, v in s.fields))
    if isinstance(s, stdlib.SubsetSet):
        return ty.SetT(tuple(stdlib.iterate_set(s.base)))
    if isinstance(s, stdlib.SeqSet):
        if seq_bound is None:
            raise sy.Unsupported(f"{s.describe()} has no bound on the length")
        return ty.SeqT(type_of_set(s.base, None), seq_bound)
    if isinstance(s, (stdlib.Naturals, stdlib.Integers)):
        return ty.IntT()
    if isinstance(s, stdlib.LazySet):
        if s.infinite:
            raise sy.Unsupported(f"{s.describe()} is infinite")
        s = stdlib.enumerate_set(s)
    if type(s) is not frozenset:
        raise sy.Unsupported(f"{stdlib.show(s)} is not a set")
    elems = list(stdlib.iterate_set(s))
    if elems and all(type(x) is bool for x in elems) and len(elems) == 2:
        return ty.BoolT()
    if elems and all(type(x) is int for x in elems):
        return ty.IntT()
    if not elems:
        raise sy.Unsupported("the empty set")
    return ty.EnumT(tuple(elems))


# ---------------------------------------------------------------------------------------------
# Variations of a problem (tests, the benchmark) and the round trip of a CTI


def without_conjunct(problem: Problem, name: str) -> Problem:
    """The problem whose invariant lacks the conjunct ``name`` (as named in the report)."""
    enc = Encoder(problem.defs, problem.constants, problem.variables, problem.root)
    inv_def = enc.definition(problem.inv)
    parts = [c for c in _Prover._conjuncts_of(enc, inv_def) if c.name != name]
    body: syntax.Expr = syntax.Junction("/\\", tuple(c.expr for c in parts), span=inv_def.body.span)
    defs = dict(problem.defs)
    defs[problem.inv] = dataclasses.replace(inv_def, body=body)
    return dataclasses.replace(problem, defs=defs)


def confirm_with_z3(problem: Problem, cti: Cti) -> str:
    """Encode the CTI's states again, with IndInv in the first, the action between them and
    the broken conjuncts false in the last: Z3's answer ("sat" when the CTI is what it says)."""
    prover = _Prover(problem, ProveOptions())
    enc = prover.enc
    solver = prover._solver()
    first = cti.trace.steps[0].record
    for v in problem.variables:
        solver.add(sy.to_z3_bool(sy.eq(enc.cur[v], first[v])))
    by_name = {c.name: c for c in prover.conjuncts}
    if cti.kind == "IndInit":
        solver.add(sy.to_z3_bool(enc.formula(problem.init, Env())))
        for name in cti.broken:
            if name in by_name:
                solver.add(sy.to_z3_bool(sy.not_(enc.formula(by_name[name].expr, Env()))))
        return str(solver.check())
    for _, b in prover._inv(False):
        solver.add(sy.to_z3_bool(b))
    if cti.kind == "IndProp":
        solver.add(sy.to_z3_bool(sy.not_(enc.formula(enc.definition(cti.broken[0]).body, Env()))))
        return str(solver.check())
    second = cti.trace.steps[1].record
    for v in problem.variables:
        if v not in cti.left_type:
            solver.add(sy.to_z3_bool(sy.eq(enc.nxt[v], second[v])))
    actions = [a for a in enc.split_actions(problem.next, Env(), "Next", ()) if a.label == cti.action]
    if len(actions) != 1:
        return f"no action {cti.action}"
    assign = Assignments("confirm")
    step = enc.formula(actions[0].expr, dataclasses.replace(actions[0].env, escape=assign))
    if cti.left_type:
        # The successor lies outside the shape: only the escape of that assignment is checkable.
        site_switches = [s.switch for s in assign.sites if s.variable in cti.left_type]
        solver.add(sy.to_z3_bool(step))
        return str(solver.check(*site_switches[:1]))
    solver.add(sy.to_z3_bool(step))
    for s in assign.sites:
        solver.add(z3.Not(s.switch))
    for name in cti.broken:
        if name in by_name:
            solver.add(sy.to_z3_bool(sy.not_(enc.formula(by_name[name].expr, Env(primed=True)))))
    return str(solver.check())
