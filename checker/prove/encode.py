"""From the syntax tree to Z3: a symbolic evaluator of TLA+ expressions over one step.

This module owns the meaning of each syntax node (``checker.tla.syntax``) as an operation
on symbolic values (``checker.prove.symbolic``). It evaluates a formula for one pair of
states: unprimed variables are the terms of the state ``s``, primed ones those of ``s'``.
Constants are concrete (the cfg fixes them), so every quantifier over a constant set is
expanded in Python, and operator definitions are inlined (memoized when their arguments
are concrete).

It also splits ``Next`` into its actions: the disjuncts of ``Next``, each instance of
``\\E p \\in S`` with a constant ``S`` and each user operator applied on the way, so an
action is ``Phase1b(a1)`` or ``VoteFor(a2, 1, v1)``.

Assignments ``x' = e`` (and ``x = e`` in ``Init``) are equalities; where ``e`` cannot be
represented by the terms of ``x``'s type (``types.fits``), the step sets the action's
*escape* flag instead, which the induction check reports as a successor outside the type.

What the encoder does not support (``ENABLED``, temporal operators, instances, recursive
functions over state, ...) raises :class:`EncodeError` naming the construct and its span.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import z3

from checker.errors import Span, SpecError
from checker.prove import symbolic as sy
from checker.prove import types as ty
from checker.tla import stdlib, syntax
from checker.tla.builtins import ANY_ARITY, BUILTINS
from checker.values import Value, format_value


class EncodeError(SpecError):
    """A construct the Z3 encoding does not support (exit 150)."""

    def __init__(self, message: str, span: Span | None, hint: str | None = None) -> None:
        super().__init__("E601", message, span if span is not None and span.line > 0 else None, hint)


@dataclasses.dataclass(frozen=True, slots=True)
class Closure:
    """An operator with parameters (LET-defined, LAMBDA, or passed as an argument)."""

    params: tuple[str, ...]
    body: syntax.Expr
    env: Env


@dataclasses.dataclass(frozen=True, slots=True)
class Builtin:
    """A built-in operator passed as an argument of a higher-order operator."""

    name: str


@dataclasses.dataclass(eq=False, slots=True)
class Context:
    """The names of one module as one place uses it: the root module (with what it EXTENDS),
    or an instance ``V == INSTANCE Voting`` with its parameters substituted.

    A name is looked up in ``params`` (the instance's constants and variables: an expression
    of the instancing context), then, in the root, among the state variables, then in
    ``links`` (definitions read in another context: the cfg's ``N <- [M] Def`` and standard
    module overrides, the definitions an unnamed INSTANCE imports), ``defs``, ``values``
    (the cfg's constants and ``N = v``), and last among the built-in operators.
    """

    name: str
    defs: Mapping[str, syntax.Unit]
    values: Mapping[str, Value] = dataclasses.field(default_factory=dict)
    params: Mapping[str, tuple[syntax.Expr, Context]] = dataclasses.field(default_factory=dict)
    links: Mapping[str, tuple[syntax.Unit, Context]] = dataclasses.field(default_factory=dict)
    instances: Mapping[str, syntax.ModuleDef] = dataclasses.field(default_factory=dict)
    make_instance: Callable[[syntax.ModuleDef, Context], Context] | None = None
    root: bool = False
    _built: dict[str, Context] = dataclasses.field(default_factory=dict)

    def definition(self, name: str) -> tuple[syntax.Unit, Context] | None:
        """The definition ``name`` means here, and the context its body is read in."""
        linked = self.links.get(name)
        if linked is not None:
            return linked
        d = self.defs.get(name)
        return (d, self) if d is not None else None

    def instance(self, step: syntax.InstanceStep) -> Context:
        """The context of ``step.name`` in ``M!Op`` (an instance defined here)."""
        built = self._built.get(step.name)
        if built is not None and not step.args:
            return built
        linked = self.links.get(step.name)
        if linked is not None and isinstance(linked[0], syntax.ModuleDef):
            return linked[1].instance(step)
        m = self.instances.get(step.name)
        if m is None or self.make_instance is None:
            raise EncodeError(f"no instance named {step.name} here", step.span)
        if m.params or step.args:
            raise EncodeError(
                f"the parameterised instance {step.name}(...) is not supported by prove", step.span
            )
        built = self._built[step.name] = self.make_instance(m, self)
        return built


@dataclasses.dataclass(frozen=True, slots=True)
class Env:
    """What a name means here: bound variables, parameters and LET definitions; the prime;
    the module context (``None``: the root module)."""

    bound: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    primed: bool = False
    at: Any = None
    escape: Assignments | None = None
    ctx: Context | None = None

    def bind(self, names: Mapping[str, Any]) -> Env:
        merged = dict(self.bound)
        merged.update(names)
        return Env(merged, self.primed, self.at, self.escape, self.ctx)

    def inside(self, ctx: Context, bound: Mapping[str, Any] | None = None) -> Env:
        """A fresh environment for a definition's body read in ``ctx`` (same state, same prime)."""
        return Env(bound or {}, self.primed, None, self.escape, ctx)


@dataclasses.dataclass(frozen=True, slots=True)
class Site:
    """An assignment ``x' = e`` whose value may lie outside x's type.

    Its formula is ``If(switch, ~fits, x' = e)``: with the switch off it is the assignment;
    with it on, it holds exactly when ``e`` does not fit, which is how the induction check
    asks whether the action, taking the branch of this assignment, leaves the type.
    """

    variable: str
    value: Any
    fits: Any
    switch: z3.BoolRef
    formula: z3.BoolRef


@dataclasses.dataclass(slots=True)
class Assignments:
    """The assignment context of one action (or Init): which variables it sets, its sites."""

    prefix: str
    init: bool = False
    assigned: set[str] = dataclasses.field(default_factory=set)
    sites: list[Site] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True, slots=True)
class Action:
    """One disjunct of Next with its parameters fixed: a label and a formula to encode."""

    label: str
    name: str
    params: tuple[Value, ...]
    expr: syntax.Expr
    env: Env


class Encoder:
    """Evaluates expressions of one module for the state terms ``cur`` and ``nxt``."""

    def __init__(
        self,
        defs: Mapping[str, syntax.Unit],
        constants: Mapping[str, Value],
        variables: Sequence[str],
        root: Context | None = None,
    ) -> None:
        self.defs = defs
        self.constants = constants
        self.variables = tuple(variables)
        # The root module's context: its definitions are ``defs`` (a test may change one).
        self.root = (
            dataclasses.replace(root, defs=defs, values=constants, root=True, _built={})
            if root is not None
            else Context("root", defs, constants, root=True)
        )
        self.cur: dict[str, sy.Sym] = {}
        self.nxt: dict[str, sy.Sym] = {}
        self.types: dict[str, ty.Type] = {}
        self.memo: dict[tuple[Any, ...], sy.Sym] = {}
        self._fn_defs_in_progress: set[str] = set()
        # Primed reads inside an action: a definition that made none means the same in every
        # action, so its value is memoized even there (ShowsSafeAt, VotedFor, ...).
        self._step_reads = 0
        self.primed_reads = 0  # every read of a primed variable (a state predicate makes none)
        self._names: dict[int, tuple[frozenset[str], syntax.Expr]] = {}

    # -- entry points ---------------------------------------------------------------------

    def set_states(self, cur: Mapping[str, sy.Sym], nxt: Mapping[str, sy.Sym]) -> None:
        self.cur = dict(cur)
        self.nxt = dict(nxt)
        self.memo.clear()

    def definition(self, name: str) -> syntax.OpDef:
        d = self.defs.get(name)
        if not isinstance(d, syntax.OpDef):
            raise EncodeError(f"the spec defines no operator '{name}'", None)
        return d

    def formula(self, e: syntax.Expr, env: Env | None = None) -> sy.BoolLike:
        return self.boolean(e, env or Env())

    def constant(self, e: syntax.Expr, what: str) -> Value:
        """``e`` evaluated without the state; it must not depend on it."""
        v = self.eval(e, Env())
        if not sy.is_concrete(v):
            raise EncodeError(f"{what} depends on the state", e.span)
        return v

    # -- evaluation -------------------------------------------------------------------------

    def boolean(self, e: syntax.Expr, env: Env) -> sy.BoolLike:
        try:
            return sy.to_bool(self.eval(e, env))
        except sy.Unsupported as exc:
            raise EncodeError(f"cannot encode this expression: {exc}", e.span) from None

    def eval(self, e: syntax.Expr, env: Env) -> sy.Sym:
        method = getattr(self, "_" + type(e).__name__, None)
        if method is None:
            raise EncodeError(f"the construct {type(e).__name__} is not supported by prove", e.span)
        try:
            return method(e, env)
        except sy.Unsupported as exc:
            raise EncodeError(f"cannot encode this expression: {exc}", e.span) from None
        except stdlib.EvalError as exc:
            raise EncodeError(f"evaluating a constant part failed: {exc.message}", e.span) from None

    def _Num(self, e: syntax.Num, env: Env) -> sy.Sym:
        return e.value

    def _Str(self, e: syntax.Str, env: Env) -> sy.Sym:
        return e.value

    def _Bool(self, e: syntax.Bool, env: Env) -> sy.Sym:
        return e.value

    def _At(self, e: syntax.At, env: Env) -> sy.Sym:
        if env.at is None:
            raise EncodeError("@ outside an EXCEPT", e.span)
        return env.at

    def _Label(self, e: syntax.Label, env: Env) -> sy.Sym:
        return self.eval(e.body, env)

    def _Name(self, e: syntax.Name, env: Env) -> sy.Sym:
        return self._lookup(e.name, (), env, e)

    def _lookup(
        self, name: str, args: tuple[syntax.Expr, ...], env: Env, node: syntax.Expr, ctx: Context | None = None
    ) -> sy.Sym:
        if ctx is None:
            if name in env.bound:
                v = env.bound[name]
                if isinstance(v, Closure):
                    return self._call_closure(v, [self._arg(a, env) for a in args], node)
                if isinstance(v, Builtin):
                    return self._builtin(v.name, args, env, node)
                if args:
                    raise EncodeError(f"'{name}' takes no arguments", node.span)
                return v
            ctx = env.ctx or self.root
        sub = ctx.params.get(name)
        if sub is not None:
            if args:
                raise EncodeError(
                    f"the instance parameter '{name}' taking arguments is not supported by prove", node.span
                )
            expr, outer = sub
            return self.eval(expr, env.inside(outer))
        if ctx.root and (name in self.cur or name in self.variables):
            if args:
                raise EncodeError(f"the variable '{name}' takes no arguments", node.span)
            if env.primed:
                self.primed_reads += 1
            if env.escape is not None and env.primed:
                env.escape.assigned.add(name)
                self._step_reads += 1
            return (self.nxt if env.primed else self.cur)[name]
        found = ctx.definition(name)
        if found is not None:
            d, where = found
            if isinstance(d, syntax.OpDef):
                return self._call_def(d, args, env, node, where)
            if isinstance(d, syntax.FnDef):
                return self._fn_def(d, env, where)
            raise EncodeError(f"'{name}' ({type(d).__name__}) is not supported by prove", node.span)
        if name in ctx.values:
            if args:
                raise EncodeError(f"the constant operator '{name}' is not supported by prove", node.span)
            return ctx.values[name]
        return self._builtin(name, args, env, node)

    def _arg(self, a: syntax.Expr, env: Env) -> Any:
        """An argument: a value, or an operator when it is a LAMBDA or an operator name."""
        if isinstance(a, syntax.Lambda):
            return Closure(a.params, a.body, env)
        if isinstance(a, syntax.Name) and a.name not in env.bound:
            found = (env.ctx or self.root).definition(a.name)
            if found is not None:
                d, where = found
                if isinstance(d, syntax.OpDef) and d.params:
                    return Closure(tuple(p.name for p in d.params), d.body, env.inside(where))
        return self.eval(a, env)

    def _call_def(
        self, d: syntax.OpDef, args: tuple[syntax.Expr, ...], env: Env, node: syntax.Expr, ctx: Context | None = None
    ) -> sy.Sym:
        if len(args) != len(d.params):
            raise EncodeError(f"'{d.name}' takes {len(d.params)} arguments, not {len(args)}", node.span)
        where = ctx or self.root
        values = [self._arg(a, env) for a in args]
        key: tuple[Any, ...] | None = None
        if all(sy.is_concrete(v) and not isinstance(v, Closure) for v in values):
            try:
                key = (id(where), d.name, env.primed, *values)
                hash(key)
            except TypeError:
                key = None
            if key is not None and key in self.memo:
                return self.memo[key]
        inner = env.inside(where, {p.name: v for p, v in zip(d.params, values)})
        reads = self._step_reads
        out = self.eval(d.body, inner)
        if key is not None and self._step_reads == reads:
            self.memo[key] = out
        return out

    def _call_closure(self, c: Closure, values: list[Any], node: syntax.Expr) -> sy.Sym:
        if len(values) != len(c.params):
            raise EncodeError(f"an operator of {len(c.params)} arguments applied to {len(values)}", node.span)
        return self.eval(c.body, c.env.bind(dict(zip(c.params, values))))

    def _fn_def(self, d: syntax.FnDef, env: Env, ctx: Context | None = None) -> sy.Sym:
        key = f"{id(ctx or self.root)}:{d.name}"
        if key in self._fn_defs_in_progress:
            raise EncodeError(f"the recursive function '{d.name}' is not supported by prove", d.span)
        self._fn_defs_in_progress.add(key)
        try:
            # A function's body assigns nothing: read it without the action's assignments.
            inner = Env(primed=env.primed, ctx=ctx or self.root)
            return self._FnCons(syntax.FnCons(d.bounds, d.body, span=d.span), inner)
        finally:
            self._fn_defs_in_progress.discard(key)

    def _OpApp(self, e: syntax.OpApp, env: Env) -> sy.Sym:
        name = e.name
        ctx = env.ctx or self.root
        if name in env.bound or name in ctx.params or ctx.definition(name) is not None:
            return self._lookup(name, e.args, env, e)
        return self._builtin(name, e.args, env, e)

    def _Qualified(self, e: syntax.Qualified, env: Env) -> sy.Sym:
        """``V!Op(args)``: Op read in the instance V; the arguments in the caller's context."""
        ctx = env.ctx or self.root
        for step in e.path:
            ctx = ctx.instance(step)
        if ctx.definition(e.name) is None and e.name not in ctx.params:
            raise EncodeError(f"the instance defines no '{e.name}'", e.span)
        return self._lookup(e.name, e.args, env, e, ctx)

    # -- built-in operators -------------------------------------------------------------------

    def _builtin(self, name: str, args: tuple[syntax.Expr, ...], env: Env, node: syntax.Expr) -> sy.Sym:
        """A built-in operator (``checker.tla.builtins``), by its encoding in ``_ENCODINGS``."""
        b = BUILTINS.get(name)
        if b is None:
            raise EncodeError(f"unknown operator '{name}'", node.span)
        if not b.prove:
            why = " (it is not a state or step formula)" if b.module is None else ""
            where = f" of module {b.module}" if b.module else ""
            raise EncodeError(f"the operator {name}{where} is not supported by prove{why}", node.span)
        if b.arity != ANY_ARITY and len(args) != b.arity:
            raise EncodeError(f"the operator {name} takes {b.arity} argument(s), not {len(args)}", node.span)
        return _ENCODINGS[name](self, _Call(self, args, env, node))

    def _interval(self, c: _Call) -> sy.Sym:
        a, b = c.ev(0), c.ev(1)
        if type(a) is int and type(b) is int:
            return stdlib.interval(a, b)
        lo, hi = self._static_bound(c.args[0], c.env, low=True), self._static_bound(c.args[1], c.env, low=False)
        if lo is None or hi is None:
            raise EncodeError(
                "an interval a..b whose bounds depend on the state and have no known limit",
                c.node.span,
                "quantify over a constant interval and compare inside instead",
            )
        return sy.SSet({k: sy.and_((sy.le(a, k), sy.le(k, b))) for k in range(lo, hi + 1)})

    def _prime(self, c: _Call) -> sy.Sym:
        if c.env.primed:
            raise EncodeError("a primed expression inside a primed expression", c.node.span)
        return self.eval(c.args[0], dataclasses.replace(c.env, primed=True))

    def _unchanged(self, c: _Call) -> sy.Sym:
        if c.env.primed:
            raise EncodeError("UNCHANGED inside a primed expression", c.node.span)
        return sy.eq(self.eval(c.args[0], dataclasses.replace(c.env, primed=True)), c.ev(0))

    def _implies(self, c: _Call) -> sy.Sym:
        a = self.boolean(c.args[0], c.env)
        if a is False:
            return True
        return sy.implies(a, self.boolean(c.args[1], c.env))

    def _at_at(self, c: _Call) -> sy.Sym:
        f, g = sy.as_sfn(c.ev(0)), sy.as_sfn(c.ev(1))
        merged = dict(g.items)
        merged.update(f.items)
        return sy.make_sfn(merged)

    def _static_bound(self, e: syntax.Expr, env: Env, low: bool) -> int | None:
        """A constant lower (or upper) limit of an integer expression: ``Len(s)`` of a bounded
        sequence lies in 0..bound, sums and differences follow; None when unknown."""
        if isinstance(e, syntax.OpApp) and e.name == "Len" and len(e.args) == 1:
            v = self.eval(e.args[0], env)
            if sy.is_concrete(v):
                return len(v)
            q = sy.as_sseq(v)
            if q is None:
                return None
            return 0 if low else len(q.slots)
        if isinstance(e, syntax.OpApp) and e.name in ("+", "-") and len(e.args) == 2:
            a = self._static_bound(e.args[0], env, low)
            b = self._static_bound(e.args[1], env, low if e.name == "+" else not low)
            if a is None or b is None:
                return None
            return a + b if e.name == "+" else a - b
        v = self.eval(e, env)
        return v if type(v) is int else None

    def _junction(self, op: str, items: Sequence[syntax.Expr], env: Env) -> sy.BoolLike:
        out = []
        for item in items:
            b = self.boolean(item, env)
            if op == "/\\" and b is False:
                return False
            if op == "\\/" and b is True:
                return True
            out.append(b)
        return sy.and_(out) if op == "/\\" else sy.or_(out)

    def _Junction(self, e: syntax.Junction, env: Env) -> sy.Sym:
        return self._junction(e.op, e.items, env)

    def _equality(self, lhs: syntax.Expr, rhs: syntax.Expr, env: Env) -> sy.BoolLike:
        target = self._assigned_variable(lhs, env)
        a, b = self.eval(lhs, env), self.eval(rhs, env)
        equal = sy.eq(a, b)
        if target is None or env.escape is None:
            return equal
        fits = ty.fits(b, self.types[target]) if target in self.types else True
        if fits is True:
            return equal
        switch = z3.Bool(f"{env.escape.prefix}#{len(env.escape.sites)}")
        formula = z3.If(switch, sy.to_z3_bool(sy.not_(fits)), sy.to_z3_bool(equal))
        env.escape.sites.append(Site(target, b, fits, switch, formula))
        return formula

    def _membership(self, lhs: syntax.Expr, rhs: syntax.Expr, env: Env) -> sy.BoolLike:
        """``x \\in S``; as an assignment ``x' \\in S`` (constant S), an element of S outside x's
        type is an escape, as for ``x' = e``."""
        target = self._assigned_variable(lhs, env)
        a, s = self.eval(lhs, env), self.eval(rhs, env)
        inside = sy.member(a, s)
        if target is None or env.escape is None or target not in self.types or not sy.is_concrete(s):
            return inside
        if isinstance(s, stdlib.LazySet) and s.infinite:
            return inside
        outside = [e for e in stdlib.iterate_set(s) if ty.fits(e, self.types[target]) is not True]
        if not outside:
            return inside
        switch = z3.Bool(f"{env.escape.prefix}#{len(env.escape.sites)}")
        formula = z3.If(switch, z3.BoolVal(True), sy.to_z3_bool(inside))
        env.escape.sites.append(Site(target, outside[0], False, switch, formula))
        return formula

    def _assigned_variable(self, lhs: syntax.Expr, env: Env) -> str | None:
        """``x`` when ``lhs`` is ``x'`` in an action (or ``x`` in Init)."""
        if env.escape is None:
            return None
        if isinstance(lhs, syntax.OpApp) and lhs.name == "'" and isinstance(lhs.args[0], syntax.Name):
            name = lhs.args[0].name
            if name in self.cur and name not in env.bound:
                return name
        if env.escape.init and isinstance(lhs, syntax.Name) and lhs.name in self.cur and lhs.name not in env.bound:
            return lhs.name
        return None

    # -- sets, functions, records -------------------------------------------------------------

    def _SetEnum(self, e: syntax.SetEnum, env: Env) -> sy.Sym:
        return sy.set_enum([self.eval(x, env) for x in e.elems])

    def _SetFilter(self, e: syntax.SetFilter, env: Env) -> sy.Sym:
        s = self.eval(e.bound.domain, env)
        return sy.set_filter(s, lambda x: self.eval(e.pred, env.bind(self._pattern(e.bound, x, e))))

    def _SetMap(self, e: syntax.SetMap, env: Env) -> sy.Sym:
        if (
            len(e.bounds) == 1
            and len(e.bounds[0].names) == 1
            or (len(e.bounds) == 1 and e.bounds[0].tuple_pattern)
        ):
            b = e.bounds[0]
            return sy.set_map(
                self.eval(b.domain, env), lambda x: self.eval(e.expr, env.bind(self._pattern(b, x, e)))
            )
        combos = self._bindings(e.bounds, env, e)
        return (
            sy.set_enum([self.eval(e.expr, env.bind(m)) for g, m in combos if g is True])
            if all(g is True for g, _ in combos)
            else self._unsupported("a set map over several sets that depend on the state", e)
        )

    def _unsupported(self, what: str, e: syntax.Expr) -> sy.Sym:
        raise EncodeError(f"{what} is not supported by prove", e.span)

    def _Tuple(self, e: syntax.Tuple, env: Env) -> sy.Sym:
        vals = [self.eval(x, env) for x in e.elems]
        if all(sy.is_concrete(v) for v in vals):
            return tuple(stdlib.normalize(v) for v in vals)
        return sy.SFn({i + 1: v for i, v in enumerate(vals)})

    def _Record(self, e: syntax.Record, env: Env) -> sy.Sym:
        return sy.make_sfn({k: self.eval(x, env) for k, x in e.fields})

    def _RecordSet(self, e: syntax.RecordSet, env: Env) -> sy.Sym:
        fields = tuple((k, self.eval(x, env)) for k, x in e.fields)
        if not all(sy.is_concrete(s) for _, s in fields):
            raise EncodeError(
                "a set of records whose fields range over sets that depend on the state", e.span
            )
        return stdlib.RecordSet(fields)

    def _FnSet(self, e: syntax.FnSet, env: Env) -> sy.Sym:
        d, c = self.eval(e.domain, env), self.eval(e.codomain, env)
        if not (sy.is_concrete(d) and sy.is_concrete(c)):
            raise EncodeError("a set of functions over sets that depend on the state", e.span)
        return stdlib.FnSet(d, c)

    def _FnCons(self, e: syntax.FnCons, env: Env) -> sy.Sym:
        combos = self._bindings(e.bounds, env, e, need_constant=True)
        pairs: dict[Value, sy.Sym] = {}
        names = [n for b in e.bounds for n in b.names]
        for _, m in combos:
            key = (
                m[names[0]]
                if len(names) == 1 and not e.bounds[0].tuple_pattern
                else tuple(m[n] for n in names)
            )
            pairs[key] = self.eval(e.body, env.bind(m))
        return sy.make_sfn(pairs)

    def _FnApp(self, e: syntax.FnApp, env: Env) -> sy.Sym:
        f = self.eval(e.fn, env)
        args = [self.eval(a, env) for a in e.args]
        arg = (
            args[0]
            if len(args) == 1
            else (
                tuple(args)
                if all(sy.is_concrete(a) for a in args)
                else sy.SFn({i + 1: a for i, a in enumerate(args)})
            )
        )
        return sy.apply(f, arg)

    def _Field(self, e: syntax.Field, env: Env) -> sy.Sym:
        return sy.apply(self.eval(e.record, env), e.name)

    def _Except(self, e: syntax.Except, env: Env) -> sy.Sym:
        f = self.eval(e.fn, env)
        for upd in e.updates:
            keys: list[sy.Sym] = []
            for step in upd.path:
                if isinstance(step, syntax.ExceptField):
                    keys.append(step.name)
                else:
                    vals = [self.eval(a, env) for a in step.args]
                    keys.append(vals[0] if len(vals) == 1 else tuple(vals))
            f = sy.except_update(f, keys, self._new_value(upd.value, env))
        return f

    def _new_value(self, value: syntax.Expr, env: Env) -> Callable[[sy.Sym], sy.Sym]:
        def new(old: sy.Sym) -> sy.Sym:
            return self.eval(value, dataclasses.replace(env, at=old))

        return new

    # -- control --------------------------------------------------------------------------------

    def _If(self, e: syntax.If, env: Env) -> sy.Sym:
        c = self.boolean(e.cond, env)
        if c is True:
            return self.eval(e.then, env)
        if c is False:
            return self.eval(e.else_, env)
        return sy.ite(c, self.eval(e.then, env), self.eval(e.else_, env))

    def _Case(self, e: syntax.Case, env: Env) -> sy.Sym:
        arms: list[tuple[sy.BoolLike, syntax.Expr]] = [(self.boolean(a.guard, env), a.body) for a in e.arms]
        if e.other is not None:
            arms.append((True, e.other))
        opts: list[tuple[sy.BoolLike, sy.Sym]] = []
        none_before: sy.BoolLike = True
        for i, (g, body) in enumerate(arms):
            last = i == len(arms) - 1
            guard = none_before if last else sy.and_((none_before, g))
            if guard is not False:
                opts.append((guard, self.eval(body, env)))
            none_before = sy.and_((none_before, sy.not_(g)))
            if none_before is False:
                break
        return sy.collapse(opts)

    def _Let(self, e: syntax.Let, env: Env) -> sy.Sym:
        inner = env
        for d in e.defs:
            if isinstance(d, syntax.OpDef):
                if d.params:
                    inner = inner.bind({d.name: Closure(tuple(p.name for p in d.params), d.body, inner)})
                else:
                    inner = inner.bind({d.name: self.eval(d.body, inner)})
            elif isinstance(d, syntax.FnDef):
                inner = inner.bind({d.name: self._FnCons(syntax.FnCons(d.bounds, d.body, span=d.span), inner)})
            else:
                raise EncodeError(f"{type(d).__name__} inside LET is not supported by prove", d.span)
        return self.eval(e.body, inner)

    def _Quant(self, e: syntax.Quant, env: Env) -> sy.Sym:
        return self._quantify(e.kind, list(e.bounds), e.body, env, e)

    def _quantify(
        self, kind: str, bounds: list[syntax.Bound], body: syntax.Expr, env: Env, node: syntax.Expr
    ) -> sy.BoolLike:
        if not bounds:
            return self.boolean(body, env)
        b, rest = bounds[0], bounds[1:]
        # A guard of the body that does not mention the bound names is the same for every
        # element: when it is false, so is \E (and \A holds) without expanding the set. This
        # is what keeps \A m1, m2 \in msgs : m1.type = "2a" /\ ... => ... from being quadratic.
        bound_names = {n for x in bounds for n in x.names}
        for guard in self._guards(kind, body):
            if not (self._mentions(guard) & bound_names):
                g = self.boolean(guard, env)
                if g is False:
                    return kind == "\\A"
        s = self.eval(b.domain, env)
        names = b.names if b.tuple_pattern else b.names
        if not b.tuple_pattern and len(names) > 1:
            # \A x, y \in S is \A x \in S : \A y \in S
            split = [syntax.Bound((n,), b.domain, span=b.span) for n in names]
            return self._quantify(kind, split + rest, body, env, node)
        fn = lambda x: self._quantify(kind, rest, body, env.bind(self._pattern(b, x, node)), node)  # noqa: E731
        return sy.exists(s, fn) if kind == "\\E" else sy.forall(s, fn)

    def _guards(self, kind: str, body: syntax.Expr) -> list[syntax.Expr]:
        while isinstance(body, syntax.Label):
            body = body.body
        if kind == "\\A":
            if isinstance(body, syntax.OpApp) and body.name == "=>":
                return conjuncts(body.args[0])
            return []
        return conjuncts(body)

    def _mentions(self, e: syntax.Expr) -> frozenset[str]:
        """Every identifier in ``e`` (an over-approximation of its free names)."""
        key = id(e)
        found = self._names.get(key)
        if found is None:
            acc: set[str] = set()
            _identifiers(e, acc)
            found = self._names[key] = (frozenset(acc), e)  # keep e alive while its id is a key
        return found[0]

    def _QuantUnbounded(self, e: syntax.QuantUnbounded, env: Env) -> sy.Sym:
        raise EncodeError(
            "an unbounded quantifier is not supported by prove",
            e.span,
            "write \\E x \\in S : P with a finite S",
        )

    def _Choose(self, e: syntax.Choose, env: Env) -> sy.Sym:
        if e.domain is None:
            raise EncodeError(
                "an unbounded CHOOSE is not supported by prove",
                e.span,
                "make the chosen value a constant (a model value in the cfg)",
            )
        s = self.eval(e.domain, env)
        bound = syntax.Bound(e.names, e.domain, e.tuple_pattern, span=e.span)
        return sy.choose(s, lambda x: self.eval(e.body, env.bind(self._pattern(bound, x, e))))

    def _Lambda(self, e: syntax.Lambda, env: Env) -> sy.Sym:
        raise EncodeError("LAMBDA outside an operator argument", e.span)

    def _pattern(self, b: syntax.Bound, x: sy.Sym, node: syntax.Expr) -> dict[str, sy.Sym]:
        if not b.tuple_pattern:
            return {b.names[0]: x}
        return {n: sy.apply(x, i + 1) for i, n in enumerate(b.names)}

    def _bindings(
        self, bounds: Sequence[syntax.Bound], env: Env, node: syntax.Expr, need_constant: bool = False
    ) -> list[tuple[sy.BoolLike, dict[str, sy.Sym]]]:
        """Every combination of values of the bounds (constant sets when ``need_constant``)."""
        out: list[tuple[sy.BoolLike, dict[str, sy.Sym]]] = [(True, {})]
        for b in bounds:
            split = [syntax.Bound((n,), b.domain, span=b.span) for n in b.names] if not b.tuple_pattern else [b]
            for bb in split:
                nxt: list[tuple[sy.BoolLike, dict[str, sy.Sym]]] = []
                for g, m in out:
                    s = self.eval(bb.domain, env.bind(m))
                    if need_constant and not sy.is_concrete(s):
                        raise EncodeError("a function over a domain that depends on the state", node.span)
                    for h, x in sy.elements(s):
                        nxt.append((sy.and_((g, h)), {**m, **self._pattern(bb, x, node)}))
                out = nxt
        return out

    # -- temporal forms that may appear in a SPECIFICATION --------------------------------------

    def _BoxAction(self, e: syntax.BoxAction, env: Env) -> sy.Sym:
        raise EncodeError("[A]_v is not a state or step formula", e.span)

    def _AngleAction(self, e: syntax.AngleAction, env: Env) -> sy.Sym:
        raise EncodeError("<<A>>_v is not a state or step formula", e.span)

    def _Fairness(self, e: syntax.Fairness, env: Env) -> sy.Sym:
        raise EncodeError("fairness is not a state or step formula", e.span)

    # -- actions ---------------------------------------------------------------------------------

    def split_actions(self, e: syntax.Expr, env: Env, name: str, params: tuple[Value, ...]) -> list[Action]:
        """The actions of ``e`` (``Next``): disjuncts, constant existentials and operator calls."""
        if isinstance(e, syntax.Label):
            return self.split_actions(e.body, env, name, params)
        if (isinstance(e, syntax.Junction) and e.op == "\\/") or (isinstance(e, syntax.OpApp) and e.name == "\\/"):
            items = e.items if isinstance(e, syntax.Junction) else e.args
            return [a for item in items for a in self.split_actions(item, env, name, params)]
        if isinstance(e, syntax.Junction) and len(e.items) == 1:
            return self.split_actions(e.items[0], env, name, params)
        if isinstance(e, syntax.Quant) and e.kind == "\\E":
            try:
                combos = self._bindings(e.bounds, env, e, need_constant=True)
            except EncodeError:
                combos = []
            if combos:
                out = []
                for _, m in combos:
                    out += self.split_actions(e.body, env.bind(m), name, params + tuple(m.values()))
                return out
        if isinstance(e, syntax.Let) and all(isinstance(d, syntax.OpDef) and d.params for d in e.defs):
            # LET of operators with parameters only: split inside (a LET value may depend on
            # the state, so anything else keeps the whole LET as one action).
            inner = env
            for d in e.defs:
                assert isinstance(d, syntax.OpDef)
                inner = inner.bind({d.name: Closure(tuple(p.name for p in d.params), d.body, inner)})
            return self.split_actions(e.body, inner, name, params)
        ref = _operator_call(e)
        if ref is not None and ref[0] not in env.bound:
            found = (env.ctx or self.root).definition(ref[0])
            d2, where = found if found is not None else (None, self.root)
            if isinstance(d2, syntax.OpDef) and len(d2.params) == len(ref[1]):
                values = [self._arg(a, env) for a in ref[1]]
                if all(sy.is_concrete(v) for v in values):
                    inner = Env(bound={p.name: v for p, v in zip(d2.params, values)}, ctx=where)
                    return self.split_actions(d2.body, inner, d2.name, tuple(values))
        return [Action(_label(name, params), name, params, e, env)]


def _identifiers(node: syntax.Node, acc: set[str]) -> None:
    for n in syntax.walk(node):
        if isinstance(n, syntax.Name | syntax.OpApp):
            acc.add(n.name)
        elif isinstance(n, syntax.At):
            acc.add("@")


def _operator_call(e: syntax.Expr) -> tuple[str, tuple[syntax.Expr, ...]] | None:
    if isinstance(e, syntax.Name):
        return e.name, ()
    if isinstance(e, syntax.OpApp) and e.name[:1].isalpha():
        return e.name, e.args
    return None


def _label(name: str, params: tuple[Value, ...]) -> str:
    if not params:
        return name
    return f"{name}({', '.join(format_value(p) for p in params)})"


def conjuncts(e: syntax.Expr) -> list[syntax.Expr]:
    """The top-level conjuncts of ``e`` (bulleted or infix)."""
    if isinstance(e, syntax.Label):
        return conjuncts(e.body)
    if isinstance(e, syntax.Junction) and e.op == "/\\":
        return [c for item in e.items for c in conjuncts(item)]
    if isinstance(e, syntax.OpApp) and e.name == "/\\":
        return [c for a in e.args for c in conjuncts(a)]
    return [e]


def product(*sets: Sequence[Any]) -> list[tuple[Any, ...]]:
    return list(itertools.product(*sets))


@dataclasses.dataclass(frozen=True, slots=True)
class _Call:
    """A built-in operator's application, as its encoding sees it."""

    encoder: Encoder
    args: tuple[syntax.Expr, ...]
    env: Env
    node: syntax.Expr

    def ev(self, i: int) -> sy.Sym:
        return self.encoder.eval(self.args[i], self.env)

    def bool(self, i: int) -> sy.BoolLike:
        return self.encoder.boolean(self.args[i], self.env)

    def concrete(self, i: int, what: str) -> Any:
        """Argument ``i``'s value, which must not depend on the state (``what`` says why)."""
        v = self.ev(i)
        if not sy.is_concrete(v):
            raise EncodeError(what, self.node.span)
        return v


def _maplet(e: Encoder, c: _Call) -> sy.Sym:
    return sy.make_sfn({c.concrete(0, "a :> b with a symbolic argument"): c.ev(1)})


def _product(e: Encoder, c: _Call) -> sy.Sym:
    what = "a Cartesian product of sets that depend on the state"
    return stdlib.cartesian(*[c.concrete(i, what) for i in range(len(c.args))])


_Encoding = Callable[[Encoder, _Call], sy.Sym]

# How prove encodes each built-in that ``checker.tla.builtins`` marks ``prove``
# (tests/tla/test_builtins.py checks that the two agree).
_ENCODINGS: Mapping[str, _Encoding] = {
    "/\\": lambda e, c: e._junction("/\\", c.args, c.env),
    "\\/": lambda e, c: e._junction("\\/", c.args, c.env),
    "~": lambda e, c: sy.not_(c.bool(0)),
    "=>": Encoder._implies,
    "<=>": lambda e, c: sy.iff(c.bool(0), c.bool(1)),
    "=": lambda e, c: e._equality(c.args[0], c.args[1], c.env),
    "/=": lambda e, c: sy.not_(sy.eq(c.ev(0), c.ev(1))),
    "\\in": lambda e, c: e._membership(c.args[0], c.args[1], c.env),
    "\\notin": lambda e, c: sy.not_(sy.member(c.ev(0), c.ev(1))),
    "\\subseteq": lambda e, c: sy.subseteq(c.ev(0), c.ev(1)),
    "\\cup": lambda e, c: sy.union(c.ev(0), c.ev(1)),
    "\\cap": lambda e, c: sy.intersect(c.ev(0), c.ev(1)),
    "\\": lambda e, c: sy.minus(c.ev(0), c.ev(1)),
    "+": lambda e, c: sy.arith("+", c.ev(0), c.ev(1)),
    "-": lambda e, c: sy.arith("-", c.ev(0), c.ev(1)),
    "*": lambda e, c: sy.arith("*", c.ev(0), c.ev(1)),
    "\\div": lambda e, c: sy.arith("\\div", c.ev(0), c.ev(1)),
    "%": lambda e, c: sy.arith("%", c.ev(0), c.ev(1)),
    "-.": lambda e, c: sy.arith("-", 0, c.ev(0)),
    "<": lambda e, c: sy.lt(c.ev(0), c.ev(1)),
    "<=": lambda e, c: sy.le(c.ev(0), c.ev(1)),
    ">": lambda e, c: sy.lt(c.ev(1), c.ev(0)),
    ">=": lambda e, c: sy.le(c.ev(1), c.ev(0)),
    "..": Encoder._interval,
    "'": Encoder._prime,
    "UNCHANGED": Encoder._unchanged,
    "SUBSET": lambda e, c: stdlib.subset(c.concrete(0, "SUBSET of a set that depends on the state")),
    "UNION": lambda e, c: stdlib.big_union(c.concrete(0, "UNION of a set that depends on the state")),
    "DOMAIN": lambda e, c: sy.domain(c.ev(0)),
    "\\X": _product,
    ":>": _maplet,
    "@@": Encoder._at_at,
    "\\o": lambda e, c: sy.concat(c.ev(0), c.ev(1)),
    "Nat": lambda e, c: stdlib.NAT,
    "Int": lambda e, c: stdlib.INT,
    "BOOLEAN": lambda e, c: frozenset({False, True}),
    "STRING": lambda e, c: stdlib.STRING,
    "Cardinality": lambda e, c: sy.cardinality(c.ev(0)),
    "IsFiniteSet": lambda e, c: True,
    "Len": lambda e, c: sy.seq_len(c.ev(0)),
    "Append": lambda e, c: sy.append(c.ev(0), c.ev(1)),
    "Head": lambda e, c: sy.head(c.ev(0)),
    "Tail": lambda e, c: sy.tail(c.ev(0)),
    "SubSeq": lambda e, c: sy.subseq(c.ev(0), c.ev(1), c.ev(2)),
    "Seq": lambda e, c: stdlib.SeqSet(c.ev(0)),
    "Permutations": lambda e, c: stdlib.permutations(c.ev(0)),
}
