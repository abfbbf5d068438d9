"""TLA+ expressions and actions compiled to Python closures, once per spec.

Owns the meaning of a resolved module: names resolved to variables, constants,
bound variables and operators at compile time; expressions turned into closures
``f(e)`` over one flat *frame* ``e``; actions (Init, Next, action properties)
turned into enumerators that find every successor as TLC does.

Cost of this choice (as Quint's ``builder.ts`` says of its own): every node is a
Python call, but names, operator bodies and constant subexpressions are settled
once, so evaluating a state does no lookups, no dict allocation and no tree walk.
Nothing is ever turned into Python source: a spec is untrusted input, and its
strings and names only ever become data.

Operators are inlined at every call site with their parameters bound lazily to
slots (evaluated on first use and cached, as TLC's lazy arguments), or
substituted outright when the argument is a constant or a plain name. Where
passing the value would differ from TLC's substitution (a primed or assigned
parameter, a variable or primed argument: ``Compiler.by_name``), the argument is
passed by name: compiled where the parameter is used, in the caller's scope.
RECURSIVE operators and recursive functions are the exception: they get a
frame of their own per call.

The compiler is split by concern: ``checker.tla.code`` holds what every part
shares (the frame, :class:`Code`, bindings, scopes, small helpers),
``checker.tla.binders`` the binders (quantifiers, CHOOSE, set and function
constructors), ``checker.tla.actions`` the actions; this module keeps the
:class:`Compiler` and the expression compiler.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from checker.errors import Span, SpecError
from checker.tla import stdlib as lib
from checker.tla import syntax
from checker.tla.builtins import ANY_ARITY, BUILTINS, EVALUATED, Builtin
from checker.tla.compile import actions, binders, whole
from checker.tla.compile.code import (
    FIRST_SLOT,
    NEXT,
    NO_SLOT,
    STATE,
    UNSET,
    Binding,
    BuiltinB,
    Code,
    CodeB,
    Ctx,
    Fn1,
    FnDefB,
    Frame,
    InstanceB,
    KeptMemo,
    LastingMemo,
    LazyB,
    Loc,
    MappedVarB,
    MemoCache,
    NameB,
    OpB,
    Projection,
    Runner,
    Scope,
    SlotB,
    StepMemo,
    VarB,
    Where,
    _as_bool,
    _flatten,
    _let_slots,
    _LetLazy,
    _plain_span,
    _raiser,
    const_code,
    located,
    may_be_lazy,
    projected_reads,
    slot_code,
)
from checker.tla.compile.fuse import fuse, fuse_except
from checker.tla.stdlib import EvalError, LazySet
from checker.values import (
    OF_ATOMS,
    Fn,
    ModelValue,
    Value,
    copy_except,
    fn_getter,
    fn_of,
    make_fn,
    point_updater,
    record_builder,
)

_T = TypeVar("_T")

# Elements whose membership in a constant set is remembered (``Compiler.subseteq_lazy``).
_KNOWN_LIMIT = 200_000

# Built-in operators whose fast path fuse.py writes out inline (the tag says which), calling
# the operator itself for anything else: it gives the value or raises its error.
_INLINE_CALLS: dict[Callable[..., Value], str] = {
    lib.seq_len: "len",
    lib.append: "append",
    lib.subseq: "subseq",
    lib.head: "head",
    lib.tail: "tail",
    lib.cardinality: "card",
    lib.interval: "interval",
    lib.int_mod: "mod",
    lib.int_div: "div",
    lib.set_minus: "minus",
}


# ---------------------------------------------------------------------------
# The compiler


class Compiler:
    """Compiles expressions and actions of one spec; holds what they share at run time."""

    def __init__(self, variables: tuple[str, ...], runtime: lib.TlcRuntime) -> None:
        self.variables = variables
        self.nvars = len(variables)
        # Instance variables substituted by expressions (MappedVarB), numbered past the state's,
        # and whether ENABLED is being compiled (where they are variables of their own).
        self.mapped_vars = 0
        self.enabling = 0
        self.runtime = runtime
        self.max_slot = FIRST_SLOT
        self.call_stack: list[OpB] = []  # operators being inlined (to report cycles)
        self.call_sites: list[tuple[str, Span]] = []  # their names and call sites (for runtime errors)
        self.memo = MemoCache()
        self.lasting: dict[int, LastingMemo] = {}  # Compiler.memo_lasting's tables, by memo_key
        self.projected: dict[frozenset[tuple[str, Value]], Projection] = {}  # Compiler.projections
        self.step_memo = StepMemo()
        self.bool_free = bool_free_test()  # one for every memoised operator of the spec
        # Each memoised definition's number in the memo tables, by the identity of its binding,
        # which the entry holds: a binding made while compiling (a LET's, a LAMBDA) is freed
        # by the cyclic collector at some moment, and another made at its address must not
        # read its values (Disruptor_MPMC gave NoDataRaces violated, from one gc threshold in
        # three).
        self.memo_keys: dict[int, tuple[object, int]] = {}
        self.memo_count = 0
        self.fused_cache: dict[int, tuple[Code, Fn1]] = {}
        # How ``M == INSTANCE N WITH ...`` becomes a binding (set by the model's builder, which
        # loads modules); used for instances defined in a LET.
        self.module_def: Callable[[syntax.ModuleDef, Scope], InstanceB] | None = None
        # Operators' parameters that occur primed, and operators that read primed variables
        # (keyed by id, the operator held so that its id is not reused).
        self.primed_params: dict[tuple[int, int], tuple[OpB, bool]] = {}
        self.action_ops: dict[int, tuple[OpB, bool]] = {}
        # LET definitions of functions (`f[x \in S] == e`, `f == [x \in S |-> e]`), by the id of
        # their binding, which the entry holds (so that no other binding gets its address):
        # TLC keeps them lazy, so `f[a]` in an action enumerates e (actions.py).
        self.let_fns: dict[int, tuple[Binding, tuple[str, tuple[syntax.Bound, ...], syntax.Expr, Scope]]] = {}
        self.fn_actions: dict[int, Any] = {}
        self.drawn: dict[int, list[Value]] = {}  # constant definitions that draw (RandomElement), by id
        # Operators without parameters whose body is a constant, by id (the operator held so that
        # its id is not reused): compiled, hence evaluated, once for every place that uses them,
        # as TLC evaluates a constant definition once before the search.
        self.constant_ops: dict[int, tuple[OpB, Code]] = {}
        # Function definitions that read variables, compiled once per way of reading them
        # (state, next state, Init), by (id, primed, init), the definition held.
        self.state_fndefs: dict[tuple[int, bool, bool], tuple[FnDefB, Code]] = {}
        # The last selection per field test, shared by every place that makes it (an
        # operator such as VotedForIn is compiled once per call site).
        self.selections: dict[tuple[str, type, Value, bool], list[Any]] = {}
        # Whole actions as generated functions (checker.tla.compile.whole): off while the closures
        # of one are compiled as its way back; the actions that hold a form it does not read,
        # by id (the node held, so that its id is not reused).
        self.whole_off = 0
        self.whole_failed: dict[int, syntax.Expr] = {}
        # Set filters kept across states (Compiler.kept): on while whole.py reads an
        # action (its next-state expressions only), off inside a memoised operator's body.
        self.keeping = 0

    def whole_action(self, node: syntax.Expr, k: Runner, ctx: Ctx) -> Runner | None:
        """``node``, an action that names successors, as one generated function (or None)."""
        if self.whole_off or id(node) in self.whole_failed:
            return None
        return whole.generate(self, node, k, ctx)

    def map_variable(self, name: str, inner: Binding) -> MappedVarB:
        """An instance variable substituted by ``inner``, an expression (see ``MappedVarB``)."""
        self.mapped_vars += 1
        return MappedVarB(name, inner, self.nvars + self.mapped_vars - 1)

    def frame_size(self) -> int:
        return self.max_slot + 1

    def _use(self, depth: int) -> None:
        if depth > self.max_slot:
            self.max_slot = depth

    # -- names ----------------------------------------------------------------

    def error(self, code: str, message: str, span: Span | Where, hint: str | None = None) -> SpecError:
        plain = _plain_span(span)
        return SpecError(code, message, plain if plain.line > 0 else None, hint)

    def where(self, span: Span | Where) -> Where:
        if isinstance(span, Where):
            return span
        return Where(span, tuple(reversed(self.call_sites)), span.line)

    def name_code(self, name: str, span: Loc, ctx: Ctx) -> Code:
        if self.enabling and ctx.primed:
            m = ctx.scope.mapped(name)
            if m is not None:
                return self.var_code(VarB(m.index, m.name), span, True)
        b = ctx.scope.lookup(name)
        if b is None:
            if name in BUILTINS:
                return self.builtin_value(name, span)
            raise self.error("E204", f"unknown name '{name}'", span)
        return self.binding_code(b, name, span, ctx)

    def binding_code(self, b: Binding, name: str, span: Loc, ctx: Ctx) -> Code:
        if isinstance(b, VarB):
            return self.var_code(b, span, ctx.primed or ctx.init)
        if isinstance(b, SlotB):
            k = b.slot
            return slot_code(lambda e: e[k], k)
        if isinstance(b, CodeB):
            return b.code
        if isinstance(b, LazyB):
            source = b.source
            if ctx.primed and b.arg.state and source is not None:
                # LET s == x + 1 IN s' is x' + 1: its value is of the current state.
                return self.in_caller(source, ctx, lambda inner: self.expr(source.expr, inner))
            k, arg = b.slot, b.arg.fn

            def lazy(e: Frame) -> Value:
                v = e[k]
                if v is UNSET:
                    v = e[k] = arg(e)
                return v

            def store(e: Frame, v: Value) -> Value:
                e[k] = v
                return v

            gen = ("lazy", k, b.arg, store)
            return Code(lazy, False, None, b.arg.state, min(k, b.arg.min_slot), None, b.arg.nxt, gen)
        if isinstance(b, OpB):
            if b.params:
                raise self.error(
                    "E210", f"operator '{name}' takes {len(b.params)} argument(s), given none", span
                )
            return self.apply_op(b, (), span, ctx)
        if isinstance(b, NameB):
            return self.in_caller(b, ctx, lambda inner: self.expr(b.expr, inner))
        if isinstance(b, FnDefB):
            return self.fndef_code(b, span, ctx)
        if isinstance(b, BuiltinB):
            return self.builtin_value(b.name, span)
        raise self.error("E204", f"'{name}' is a module instance, not a value", span)

    def in_caller(self, b: NameB, ctx: Ctx, compile_it: Callable[[Ctx], _T]) -> _T:
        """Compile an argument passed by name where its parameter is used: in the caller's
        scope, with the operators being inlined as they were at the call, in the context
        (primed, Init, depth) of the use."""
        inner = Ctx(b.scope, ctx.depth, ctx.primed, ctx.init, b.at_slot)
        stack, sites = self.call_stack[b.calls :], self.call_sites[b.calls :]
        del self.call_stack[b.calls :], self.call_sites[b.calls :]
        try:
            return compile_it(inner)
        finally:
            self.call_stack.extend(stack)
            self.call_sites.extend(sites)

    def var_code(self, b: VarB, span: Loc, primed: bool) -> Code:
        i = b.index
        if not primed:
            return Code(lambda e: e[STATE][i], False, None, True, NO_SLOT, None, False, ("var", STATE, i))
        name = b.name

        def read_next(e: Frame) -> Value:
            v = e[NEXT][i]
            if v is UNSET:
                raise located(
                    EvalError(
                        f"The variable {name} was used before it was assigned a value "
                        f'(TLC: "In evaluation, the identifier {name} is either undefined or not '
                        'in the context of its use").'
                    ),
                    span,
                )
            return v

        return Code(read_next)

    def builtin_value(self, name: str, span: Loc) -> Code:
        b = BUILTINS.get(name)
        if b is not None and b.constant is not None:
            return const_code(b.constant)
        if b is not None and b.arity == 0 and b.runtime and b.evaluate is not None:
            # TLCExt's Trace: the run knows the behaviour to the state being examined.
            rt = self.runtime
            rt.effects = rt.track_level = rt.track_trace = True
            read = types.MethodType(b.evaluate, rt)
            where = self.where(span)

            def run_value(e: Frame) -> Value:
                try:
                    return read()
                except EvalError as exc:
                    raise located(exc, where) from None

            return Code(run_value, nxt=False)
        if b is not None and not b.evaluated:
            raise self.unsupported(b, span)
        raise self.error("E210", f"the operator {name} needs arguments", span)

    # -- expressions ----------------------------------------------------------

    def expr(self, node: syntax.Expr, ctx: Ctx) -> Code:
        """Compile one expression in ``ctx``."""
        return self._expr(node, ctx)

    def fold(self, fn: Fn1, parts: Iterable[Code], span: Loc) -> Code:
        """``fn`` as a constant when every part is constant (evaluated now, once)."""
        parts = list(parts)
        if all(p.const for p in parts):
            return self.evaluate_now(fn)
        return _combined(fn, parts)

    def described(self, code: Code, gen: tuple[Any, ...]) -> Code:
        """``code`` with what it computes from its parts, for fusing (a constant needs none)."""
        return code if code.const else dataclasses.replace(code, gen=gen)

    def fused(self, code: Code) -> Fn1:
        """The function to call for ``code`` where a closure is run many times (a quantifier's
        body, an invariant, a guard): its tree of describable nodes as one generated function."""
        hit = self.fused_cache.get(id(code))
        if hit is not None and hit[0] is code:
            return hit[1]
        fn = fuse(code, UNSET)
        self.fused_cache[id(code)] = (code, fn)
        return fn

    def fold_binder(self, fn: Fn1, outer: Iterable[Code], body: Code, depth: int) -> Code:
        """A binder (quantifier, set former, CHOOSE...) whose bound names start at slot ``depth``."""
        outer = list(outer)
        inner_free = body.min_slot if body.min_slot < depth else NO_SLOT
        state = body.state or any(p.state for p in outer)
        low = min([inner_free, *(p.min_slot for p in outer)])
        if not state and low == NO_SLOT:
            return self.evaluate_now(fn)
        return Code(fn, False, None, state, low, None, body.nxt or any(p.nxt for p in outer))

    def evaluate_now(self, fn: Fn1) -> Code:
        try:
            v = fn([None] * self.frame_size())
        except Exception:
            return Code(fn, False, None, False, NO_SLOT, None, False)  # reported where used, with the state
        return const_code(v)

    def like(self, fn: Fn1, *parts: Code) -> Code:
        """``fn`` with the dependencies of ``parts``, never folded (effects, or not worth it)."""
        return _combined(fn, parts)

    def _expr(self, node: syntax.Expr, ctx: Ctx) -> Code:
        """One expression, by the type of its node (a ``match``: mypy narrows ``node`` in each case)."""
        span = self.where(node.span)
        match node:
            case syntax.Name():
                return self.name_code(node.name, span, ctx)
            case syntax.Num():
                return const_code(node.value)
            case syntax.Str():
                return const_code(node.value)
            case syntax.Bool():
                return const_code(node.value)
            case syntax.OpApp():
                return self.op_app(node, ctx)
            case syntax.Junction():
                return self.junction(node.op, node.items, span, ctx)
            case syntax.Label():
                return self.expr(node.body, ctx)
            case syntax.If():
                return self.if_expr(node, ctx)
            case syntax.Case():
                return self.case_expr(node, ctx)
            case syntax.Let():
                inner = self.let_ctx(node.defs, ctx)
                body = self.expr(node.body, inner)
                slots = _let_slots(inner)
                if not slots or body.const:
                    return body
                bodyf = self.fused(body)

                def let(e: Frame) -> Value:
                    for s in slots:
                        e[s] = UNSET
                    return bodyf(e)

                return self.described(self.like(let, body), ("reset", _resetter(slots), body))
            case syntax.SetEnum():
                return self.set_enum(node, ctx)
            case syntax.Tuple():
                return self.tuple_expr(node, ctx)
            case syntax.Record():
                return self.record_expr(node, ctx)
            case syntax.RecordSet():
                names = tuple(k for k, _ in node.fields)
                sets = [self.expr(x, ctx) for _, x in node.fields]
                sfns = [c.fn for c in sets]
                return self.fold(lambda e: lib.RecordSet(tuple(zip(names, [f(e) for f in sfns]))), sets, span)
            case syntax.FnSet():
                d, c = self.expr(node.domain, ctx), self.expr(node.codomain, ctx)
                df, cf = d.fn, c.fn
                return self.fold(lambda e: lib.FnSet(df(e), cf(e)), (d, c), span)
            case syntax.FnApp():
                return self.fn_app(node, ctx)
            case syntax.Field():
                r = self.expr(node.record, ctx)
                rf, fname = r.fn, node.name

                def field(e: Frame) -> Value:
                    rec = rf(e)
                    if type(rec) is Fn:
                        v = rec.get(fname, UNSET)
                        if v is not UNSET:
                            return v
                    try:
                        return lib.select_field(rec, fname)
                    except Exception as exc:
                        raise located(exc, span) from None

                def field_slow(rec: Value) -> Value:
                    try:
                        return lib.select_field(rec, fname)
                    except Exception as exc:
                        raise located(exc, span) from None

                code = self.described(self.fold(field, (r,), span), ("field", r, fname, field_slow))
                if r.shape is not None and r.shape[0] == "slot" and not code.const:
                    k = r.shape[1]

                    def field_of_slot(e: Frame) -> Value:
                        rec = e[k]
                        if type(rec) is Fn:
                            v = rec.get(fname, UNSET)
                            if v is not UNSET:
                                return v
                        return field(e)

                    return dataclasses.replace(code, fn=field_of_slot, shape=("field", k, fname))
                return code
            case syntax.Except():
                return self.except_expr(node, ctx)
            case syntax.At():
                if ctx.at_slot < 0:
                    raise self.error("E220", "@ is only meaningful inside an EXCEPT value", span)
                k = ctx.at_slot
                return slot_code(lambda e: e[k], k)
            case syntax.FnCons():
                return binders.fn_cons(self, node, ctx)
            case syntax.SetFilter():
                code = binders.set_filter(self, node, ctx)
                return self.kept(node, ctx, code) if self.keeping else code
            case syntax.SetMap():
                return binders.set_map(self, node, ctx)
            case syntax.Quant():
                return binders.quant(self, node, ctx)
            case syntax.Choose():
                return binders.choose(self, node, ctx)
            case syntax.Qualified():
                return self.qualified(node, ctx)
            case syntax.BoxAction():
                a = self.expr(node.action, ctx)
                same = actions.unchanged_pred(self, node.sub, ctx)
                af, sf = a.fn, same.fn
                return Code(lambda e: bool(sf(e)) or lib.check_bool(af(e), "An action"))
            case syntax.AngleAction():
                a = self.expr(node.action, ctx)
                same = actions.unchanged_pred(self, node.sub, ctx)
                af, sf = a.fn, same.fn
                return Code(lambda e: lib.check_bool(af(e), "An action") and not sf(e))
            case syntax.QuantUnbounded():
                raise self.error(
                    "E230",
                    f"TLC cannot evaluate the unbounded quantifier {node.kind} {', '.join(node.names)} : ...",
                    span,
                    hint="bound it: \\E x \\in S : ...",
                )
            case syntax.Lambda():
                raise self.error("E231", "LAMBDA can only be an operator's argument", span)
            case syntax.Fairness() | syntax.Decimal():
                raise self.error("E232", "this expression has no value a model checker can compute", span)
            case _:
                raise self.error("E299", f"unsupported construct {type(node).__name__}", span)

    # -- operators ------------------------------------------------------------

    def op_app(self, node: syntax.OpApp, ctx: Ctx) -> Code:
        name, args, span = node.name, node.args, self.where(node.span)
        b = ctx.scope.lookup(name)
        if b is not None:
            return self.apply_binding(b, name, args, span, ctx)
        return self.builtin_app(name, args, span, ctx)

    def apply_binding(self, b: Binding, name: str, args: tuple[syntax.Expr, ...], span: Loc, ctx: Ctx) -> Code:
        if isinstance(b, OpB):
            if len(b.params) != len(args):
                raise self.error(
                    "E210", f"operator '{name}' takes {len(b.params)} argument(s), given {len(args)}", span
                )
            return self.apply_op(b, args, span, ctx)
        if isinstance(b, BuiltinB):
            return self.builtin_app(b.name, args, span, ctx)
        if not args:
            return self.binding_code(b, name, span, ctx)
        if isinstance(b, (SlotB, CodeB, LazyB, VarB, FnDefB)):
            raise self.error(
                "E210", f"'{name}' is not an operator; write {name}[...] to apply a function", span
            )
        raise self.error("E210", f"'{name}' cannot be applied here", span)

    def bind_params(
        self, op: OpB, args: tuple[syntax.Expr, ...], ctx: Ctx
    ) -> tuple[dict[str, Binding], list[tuple[int, Code]], int]:
        """Bindings for the parameters, and the depth the body starts at.

        Constants and plain names are substituted; other arguments are evaluated
        lazily, on first use inside the body, into a cache slot. Slot discipline:
        a lazy argument runs while the body is half-way through its own
        evaluation, so its cache slot and its temporaries live above every slot
        in use so far (the high-water mark), and the body starts above them.
        """
        names: dict[str, Binding] = {}
        lazies: list[tuple[int, Code]] = []
        for i, (p, a) in enumerate(zip(op.params, args)):
            if p.arity > 0:
                names[p.name] = self.op_argument(a, p.arity, ctx)
                continue
            if isinstance(a, syntax.Lambda):
                raise self.error("E210", f"the parameter {p.name} of {op.name} is not an operator", a.span)
            if isinstance(a, syntax.Num | syntax.Str | syntax.Bool):
                names[p.name] = CodeB(self.expr(a, ctx))
                continue
            passed = self.by_name(op, i, a, ctx)
            if passed is not None:
                names[p.name] = passed
                continue
            if isinstance(a, syntax.Name):
                names[p.name] = CodeB(self.expr(a, ctx))
                continue
            k = self.max_slot + 1
            self._use(k)
            code = self.expr(a, dataclasses.replace(ctx, depth=k + 1))
            if code.const:
                names[p.name] = CodeB(code)
                continue
            names[p.name] = LazyB(k, code, NameB(a, ctx.scope, ctx.at_slot, len(self.call_stack)))
            lazies.append((k, code))
        body_depth = max(ctx.depth, self.max_slot + 1) if lazies else ctx.depth
        self._use(body_depth)
        return names, lazies, body_depth

    def by_name(self, op: OpB, i: int, a: syntax.Expr, ctx: Ctx) -> NameB | None:
        """The argument ``a`` of ``op``'s parameter ``i`` as passed by name, or None where
        passing its value is the same.

        TLC substitutes arguments; passing the value (evaluated once, on first use)
        is the same except where the argument's text means something else in the
        place of the parameter: the parameter is primed (or under UNCHANGED or
        ENABLED) in the body, or the argument is a variable (which the body may
        assign: ``MyInit(x)`` with ``MyInit(v) == v = 0``), is primed, or is read
        where primed variables are being assigned (Init, a primed expression), so
        that its value changes while the body runs. Elsewhere the value is passed,
        as it is cheaper: an argument used several times is evaluated once. A LET
        definition or a parameter that holds a value (``LET s == q[i] IN Drop(s)``)
        is passed on as the text it stands for.
        """
        here = NameB(a, ctx.scope, ctx.at_slot, len(self.call_stack))
        if isinstance(a, syntax.Name):
            b = ctx.scope.lookup(a.name)
            if isinstance(b, LazyB) and self.param_primed(op, i):
                if b.source is None:
                    # LET f[x \in S] == ... IN Op(f): a recursive function keeps only its value.
                    raise self.error(
                        "E212",
                        f"'{a.name}' (a recursive function) is given to the parameter "
                        f"{op.params[i].name} of {op.name}, which is primed in its body: not supported",
                        a.span,
                        hint=f"pass the expression that '{a.name}' stands for",
                    )
                return b.source
            by_name = isinstance(b, VarB | NameB) or (isinstance(b, OpB) and not b.params)
            return here if by_name else None
        if ctx.init or ctx.primed or self.action_level(a, ctx.scope) or self.param_primed(op, i):
            return here
        return None

    def param_primed(self, op: OpB, i: int) -> bool:
        """Whether ``op``'s parameter ``i`` occurs primed (under ', UNCHANGED, ENABLED, [A]_v or
        <<A>>_v) in its body, directly or through the operators it is passed to. A syntactic
        check that errs towards yes (names bound inside the body are not told apart)."""
        key = (id(op), i)
        hit = self.primed_params.get(key)
        if hit is not None and hit[0] is op:
            return hit[1]
        if op.scope is None or i >= len(op.params):
            return True
        if all(p.arity == 0 for p in op.params) and _primes_nothing(op.body, op.scope):
            found = False  # ClientCentric's Complete: a LET operator would otherwise count as priming
        else:
            visiting: set[tuple[int, int]] = set()
            found = self._primes(op.body, op.params[i].name, _params_scope(op), False, visiting)
        self.primed_params[key] = (op, found)
        return found

    def _param_primed(self, op: OpB, i: int, visiting: set[tuple[int, int]]) -> bool:
        key = (id(op), i)
        hit = self.primed_params.get(key)
        if hit is not None and hit[0] is op:
            return hit[1]
        if key in visiting:
            return False  # a cycle adds nothing: the answer comes from the other occurrences
        if op.scope is None:
            return True
        visiting.add(key)
        return self._primes(op.body, op.params[i].name, _params_scope(op), False, visiting)

    def _primes(self, node: Any, pname: str, scope: Scope, under: bool, visiting: set[tuple[int, int]]) -> bool:
        if isinstance(node, syntax.Name):
            return under and node.name == pname
        if isinstance(node, syntax.OpApp):
            n = node.name
            if n in _PRIMING:
                return any(self._primes(a, pname, scope, True, visiting) for a in node.args)
            b = scope.lookup(n)
            if b is None and n not in EVALUATED and _identifier(n):
                b = _UNKNOWN  # an operator defined in a LET, or bound in the body: assume the worst
            if b is None or b is _OPERATOR_PARAM:
                return any(self._primes(a, pname, scope, under, visiting) for a in node.args)
            for j, a in enumerate(node.args):
                if not _mentions(a, pname):
                    continue
                if under or not isinstance(b, OpB) or len(b.params) != len(node.args):
                    return True
                if b.params[j].arity > 0 or self._param_primed(b, j, visiting):
                    return True
                if self._primes(a, pname, scope, under, visiting):
                    return True
            return False
        if isinstance(node, syntax.Qualified):
            return _mentions(node, pname)
        if isinstance(node, syntax.BoxAction | syntax.AngleAction):
            return _mentions(node, pname)
        if isinstance(node, str) or not dataclasses.is_dataclass(node) or isinstance(node, type):
            return False
        for f in dataclasses.fields(node):
            v = getattr(node, f.name)
            if isinstance(v, tuple):
                if any(self._primes(x, pname, scope, under, visiting) for x in v if not isinstance(x, str)):
                    return True
            elif self._primes(v, pname, scope, under, visiting):
                return True
        return False

    def action_level(self, node: Any, scope: Scope) -> bool:
        """Whether ``node`` may read primed variables (syntactically, through the definitions
        it uses; errs towards yes)."""
        if isinstance(node, syntax.Name | syntax.OpApp):
            n = node.name
            if isinstance(node, syntax.OpApp):
                if n in ("'", "UNCHANGED"):
                    return True
                if n == "ENABLED":
                    return False
                if any(self.action_level(a, scope) for a in node.args):
                    return True
            b = scope.lookup(n)
            if isinstance(b, NameB):
                return self.action_level(b.expr, b.scope)
            if isinstance(b, OpB):
                if b.scope is None:
                    return True
                hit = self.action_ops.get(id(b))
                if hit is not None and hit[0] is b:
                    return hit[1]
                self.action_ops[id(b)] = (b, False)  # a recursive operator: its other parts decide
                found = self.action_level(b.body, b.scope)
                self.action_ops[id(b)] = (b, found)
                return found
            return False
        if isinstance(node, syntax.Qualified | syntax.BoxAction | syntax.AngleAction):
            return True
        if isinstance(node, str) or not dataclasses.is_dataclass(node) or isinstance(node, type):
            return False
        for f in dataclasses.fields(node):
            v = getattr(node, f.name)
            if isinstance(v, tuple):
                if any(self.action_level(x, scope) for x in v if not isinstance(x, str)):
                    return True
            elif self.action_level(v, scope):
                return True
        return False

    def op_argument(self, a: syntax.Expr, arity: int, ctx: Ctx) -> Binding:
        """An operator passed as an argument: a LAMBDA or the name of an operator."""
        if isinstance(a, syntax.Lambda):
            if len(a.params) != arity:
                raise self.error(
                    "E210", f"this LAMBDA takes {len(a.params)} argument(s), {arity} expected", a.span
                )
            return OpB("LAMBDA", tuple(syntax.Decl(p) for p in a.params), a.body, ctx.scope, a.span)
        if isinstance(a, syntax.Name):
            b = ctx.scope.lookup(a.name)
            if isinstance(b, OpB):
                return b
            if b is None and a.name in EVALUATED:
                return BuiltinB(a.name)
            if isinstance(b, BuiltinB):
                return b
        raise self.error("E210", f"an operator of {arity} argument(s) is expected here", a.span)

    def apply_op(self, op: OpB, args: tuple[syntax.Expr, ...], span: Loc, ctx: Ctx) -> Code:
        if op.recursive:
            return self.call_recursive(op, args, span, ctx)
        # An operator may be entered again through an operator argument (ClientCentric's
        # ReduceSeq(LAMBDA ... effects(...) ..., ...), where effects uses ReduceSeq): nested,
        # not recursive. Only a definition that reaches itself over and over is.
        if sum(1 for o in self.call_stack if o is op) >= _REENTRY_LIMIT:
            raise self.error(
                "E211",
                f"operator '{op.name}' is defined in terms of itself",
                span,
                hint=f"declare it first with RECURSIVE {op.name}"
                + ("(" + ", ".join("_" for _ in op.params) + ")" if op.params else ""),
            )
        if not op.params:
            hit = self.constant_ops.get(id(op))
            if hit is not None:
                return hit[1]
        memo = self.memoised(op, args, span, ctx)
        if memo is not None:
            return memo
        names, lazies, body_depth = self.bind_params(op, args, ctx)
        assert op.scope is not None
        inner = Ctx(op.scope.child(names), body_depth, ctx.primed, ctx.init, ctx.at_slot)
        self.call_stack.append(op)
        self.call_sites.append((op.name, _plain_span(span)))
        try:
            body = self.expr(op.body, inner)
        finally:
            self.call_stack.pop()
            self.call_sites.pop()
        if not op.params and body.const:
            self.constant_ops[id(op)] = (op, body)
        if op.module_level and not op.params and not body.const and _draws_once(op.body, op.scope):
            # TLC evaluates a constant definition once, before the search: a RandomElement in
            # it draws once (SpanTreeRandom's Edges), not at each use.
            drawn = self.drawn.setdefault(id(op), [])  # one value for every place that uses it
            draw = body.fn

            def drawn_once(e: Frame) -> Value:
                if not drawn:
                    drawn.append(draw(e))
                return drawn[0]

            return self.like(drawn_once, body)
        if not lazies:
            if not op.params and not ctx.init and body.shape is None:
                return self.per_step(body, op) if ctx.primed else self.per_state(body, op)
            return body
        fn = body.fn
        if len(lazies) == 1:
            k0 = lazies[0][0]

            def call1(e: Frame) -> Value:
                e[k0] = UNSET
                return fn(e)

            return self.described(self.like(call1, body), ("reset", _resetter([k0]), body))
        ks = [k for k, _ in lazies]

        def call(e: Frame) -> Value:
            for k in ks:
                e[k] = UNSET
            return fn(e)

        return self.described(self.like(call, body), ("reset", _resetter(ks), body))

    def memoised(self, op: OpB, args: tuple[syntax.Expr, ...], span: Loc, ctx: Ctx) -> Code | None:
        """``Op(args)`` computed once per state and argument values, when that is sound and worth it.

        Sound: the body reads the state and its parameters only (no primed
        variable, no variable bound outside it), so its value is a function of
        the state and the arguments. Worth it: the body itself loops (a
        quantifier or a set former), as ``VotedForIn`` does over every message.
        Arguments are then evaluated eagerly (TLC evaluates them lazily, which
        differs only for an argument whose evaluation fails and is never used).
        """
        if ctx.primed or ctx.init or op.name == "LAMBDA" or any(p.arity for p in op.params):
            return None
        if any(self.param_primed(op, i) for i in range(len(op.params))):
            return None  # its arguments are passed by name
        if op.scope is None or not _loops_through(op.body, op.scope):
            return None
        base = self.max_slot + 1
        n = len(op.params)
        self._use(base + n)
        argcodes = [self.expr(a, dataclasses.replace(ctx, depth=base + n)) for a in args]
        names: dict[str, Binding] = {p.name: SlotB(base + i) for i, p in enumerate(op.params)}
        inner = Ctx(op.scope.child(names), base + n)
        self.call_stack.append(op)
        self.call_sites.append((op.name, _plain_span(span)))
        keeping, self.keeping = self.keeping, 0  # its value is kept as a whole
        try:
            body = self.expr(op.body, inner)
        finally:
            self.call_stack.pop()
            self.call_sites.pop()
            self.keeping = keeping
        if not body.const and not body.state and not body.nxt and body.min_slot >= base and n:
            return self.memo_pure(argcodes, body, base)
        if body.const or body.nxt or not body.state or body.min_slot < base or any(a.nxt for a in argcodes):
            return None
        cache = self.memo
        key_of = self.memo_key(op)
        bodyf = self.fused(body)
        argfns = [a.fn for a in argcodes]

        low = min([NO_SLOT, *(a.min_slot for a in argcodes)])
        table = cache.table

        def miss(e: Frame, vals: tuple[Value, ...]) -> Value:
            # The generated code's way when vals is not in the table for this state.
            state = e[STATE]
            if cache.state is not state:
                cache.state = state
                table.clear()
            e[base : base + n] = vals[1:]
            v = table[vals] = bodyf(e)
            return v

        how = projected_reads(op.body, op.scope, set())  # (its footprint, and how each is read)
        if how and len(how) <= LASTING_VARS:
            order = tuple(sorted(how))
            return self.memo_lasting(key_of, argcodes, bodyf, base, order, low, self.projections(how, order))
        # For fuse: the table looked up inline, miss(e, vals) otherwise (the same values and errors).
        gen = ("memo", argcodes, key_of, cache, table, miss, STATE)
        slots = [a.shape[1] for a in argcodes if a.shape is not None and a.shape[0] == "slot"]
        if n == 3 and len(slots) == 3:
            # VotedForIn(a, v, b) under \A a \in Q, ...: the arguments read straight from the frame.
            s0, s1, s2 = slots
            b1, b2 = base + 1, base + 2

            def memo_slots3(e: Frame) -> Value:
                x0 = e[s0]
                x1 = e[s1]
                x2 = e[s2]
                vals = (key_of, x0, x1, x2)
                state = e[STATE]
                if cache.state is not state:
                    cache.state = state
                    table.clear()
                else:
                    v = table.get(vals, UNSET)
                    if v is not UNSET:
                        return v
                e[base] = x0
                e[b1] = x1
                e[b2] = x2
                v = table[vals] = bodyf(e)
                return v

            return Code(memo_slots3, False, None, True, low, None, False, gen)
        if n == 2 or n == 3:
            # The commonest arities, without the list the general case builds per call.
            f0, f1, f2 = argfns[0], argfns[1], argfns[-1]
            b1, b2 = base + 1, base + 2

            def memo_call23(e: Frame) -> Value:
                x0 = f0(e)
                x1 = f1(e)
                if n == 3:
                    x2 = f2(e)
                    vals: tuple[Value, ...] = (key_of, x0, x1, x2)
                else:
                    vals = (key_of, x0, x1)
                state = e[STATE]
                if cache.state is not state:
                    cache.state = state
                    table.clear()
                else:
                    v = table.get(vals, UNSET)
                    if v is not UNSET:
                        return v
                e[base] = x0
                e[b1] = x1
                if n == 3:
                    e[b2] = x2
                v = table[vals] = bodyf(e)
                return v

            return Code(memo_call23, False, None, True, low, None, False, gen)

        if n == 1:
            (g0,) = argfns

            def memo_call1(e: Frame) -> Value:
                x0 = g0(e)
                vals = (key_of, x0)
                state = e[STATE]
                if cache.state is not state:
                    cache.state = state
                    table.clear()
                else:
                    v = table.get(vals, UNSET)
                    if v is not UNSET:
                        return v
                e[base] = x0
                v = table[vals] = bodyf(e)
                return v

            return Code(memo_call1, False, None, True, low, None, False, gen)

        def memo_call(e: Frame) -> Value:
            vals = (key_of, *[f(e) for f in argfns])
            state = e[STATE]
            if cache.state is not state:
                cache.state = state
                cache.table.clear()
            else:
                v = cache.table.get(vals, UNSET)
                if v is not UNSET:
                    return v
            e[base : base + n] = vals[1:]
            v = cache.table[vals] = bodyf(e)
            return v

        return Code(memo_call, False, None, True, low, None, False, gen)

    def memo_lasting(
        self, key_of: int, argcodes: list[Code], bodyf: Fn1, base: int, reads: tuple[int, ...], low: int,
        projs: tuple[Projection | None, ...] | None = None,
    ) -> Code:
        """``Op(args)`` whose body reads its parameters and the variables ``reads`` (its
        footprint: no other name bound outside it, nothing primed, no effects), kept across
        states: a table per tuple of values of those variables, found by their ids (the values
        are held, so no other object takes their address), keyed by the arguments' values
        where they are integers, strings or model values (Python's ``1 == True`` cannot confuse
        them). A state's values that recur are the same objects (the search interns them), so
        Slush's ``PendingQueryMessage(self)``, which reads ``message`` only, is computed once per
        value of ``message`` and process rather than once per state and process. Where they
        seldom recur (Paxos' ``msgs`` grows: a new table for most states of a trial of
        LASTING_TRIAL states explored), it is given up (``on``) for the per-state memo, whose
        lookup costs less. Other arguments, and a spec with effects, take the per-state memo's
        way. At most LASTING_TABLES tables, then forgotten at once. Where ``projs`` gives a
        variable's Projection, the table is found by the id of the part of its value the body
        reads (``VotedForIn``: ``msgs``' 2b messages), which recurs where the whole seldom does."""
        lasting = self.lasting.setdefault(key_of, LastingMemo())  # one per operator, for all its uses
        cache, rt = self.memo, self.runtime
        tables, ptable = lasting.tables, cache.table
        argfns = [a.fn for a in argcodes]
        n = len(argfns)
        ck = _KEYED_BY_VALUE
        (r0,) = reads if len(reads) == 1 and projs is None else (None,)
        pairs = list(zip(reads, projs or [None] * len(reads)))

        def found(state: Any) -> Any:
            ids = [id(state[i]) if p is None else id(p(state[i])) for i, p in pairs]
            return ids[0] if len(ids) == 1 else tuple(ids)

        def miss(e: Frame, vals: tuple[Value, ...], ok: bool) -> Value:
            # The way when vals is not in the table of the variables' values, or the arguments
            # are not atoms, or this is given up.
            state = e[STATE]
            e[base : base + n] = vals[1:]
            if not ok or not lasting.on or rt.effects:  # the per-state memo's way
                if cache.state is not state:
                    cache.state = state
                    ptable.clear()
                else:
                    v = ptable.get(vals, UNSET)
                    if v is not UNSET:
                        return v
                v = ptable[vals] = bodyf(e)
                return v
            t = tables.get(id(state[r0]) if r0 is not None else found(state))
            if t is None:  # (its ids again there: a new table is seldom made)
                t = lasting.table_for(state, reads, rt.explored, LASTING_TABLES, LASTING_TRIAL, projs)
            v = t[vals] = bodyf(e)
            return v

        def memo_lasting(e: Frame) -> Value:
            vals = (key_of, *[f(e) for f in argfns])
            ok = all([type(x) in ck for x in vals[1:]])
            if ok and lasting.on:
                state = e[STATE]
                t = tables.get(id(state[r0]) if r0 is not None else found(state))
                if t is not None:
                    v = t.get(vals, UNSET)
                    if v is not UNSET:
                        return v
            return miss(e, vals, ok)

        # For fuse: the table looked up inline, miss(e, vals, ok) otherwise; once given up, the
        # per-state memo's table (ptable, this state's where cache.state is it).
        gen = ("lasting", argcodes, key_of, tables, miss, STATE, reads, lasting, cache, ptable, projs)
        return Code(memo_lasting, False, None, True, low, None, False, gen)

    def projections(
        self, how: dict[int, frozenset[tuple[str, Value]] | None] | None, reads: tuple[int, ...]
    ) -> tuple[Projection | None, ...] | None:
        """For each variable of ``reads``, the Projection of the part of it that an expression
        reads (``how``: its ``projected_reads``), or None where it reads it whole; None where
        it reads each whole. One Projection per set of (field, literal) pairs, shared by every
        reader: Paxos' Agreement and VotedForIn read the 2b messages of ``msgs`` alone."""
        if how is None or all(how.get(i) is None for i in reads):
            return None
        return tuple(self.projection(pairs) if (pairs := how.get(i)) is not None else None for i in reads)

    def projection(self, pairs: frozenset[tuple[str, Value]]) -> Projection:
        """The Projection of these (field, literal) pairs, one for every reader of that part."""
        p = self.projected.get(pairs)
        if p is None:
            p = self.projected[pairs] = Projection(pairs)
        return p

    def kept(self, node: syntax.Expr, ctx: Ctx, code: Code) -> Code:
        """``node`` (a set filter in an action, or the set an action assigns as ``x' = S \\cup T``)
        kept across states: a table per tuple of values of the variables it reads (its
        footprint, through the module's operators and LET definitions: ``whole._vars_read``),
        found by their ids as ``memo_lasting``'s, keyed inside by the values of the bound names
        it reads (``whole._slots_read``) where they are integers, strings, model values or
        records of those built by ``values.record_builder`` (one object per value: the key holds
        it). Slush's TallyQueryReplies filters ``PendingQueryReplyMessage(self)`` by
        ``sampleSet[self]`` at each successor, and RespondToQueryMessage(self) builds
        ``(message \\ {msg}) \\cup {reply}`` for each ``msg``; the same ``message``,
        ``sampleSet`` and ``pick`` recur at many states. Otherwise (other values bound, a spec
        with effects, given up where a new table is made at most states) it is computed as
        written, with no per-state table. The code as it is where it reads no variable, may
        read the next state, or where what it reads is not known from its text."""
        if ctx.primed or ctx.init or self.enabling or code.const or code.nxt or not code.state:
            return code
        slots = whole._slots_read(node, ctx)
        reads = whole._vars_read(node, ctx) if slots is not None else None
        if not reads or len(reads) > LASTING_VARS:
            return code
        assert slots is not None
        lasting = KeptMemo()  # one per place: Put(m) == x' = x \\cup {m} differs per constant m
        key_of = self.memo_key(lasting)
        rt, tables, bodyf = self.runtime, lasting.tables, self.fused(code)
        reads = tuple(reads)
        (r0,) = reads if len(reads) == 1 else (None,)
        argcodes = [slot_code(_slot_reader(k), k) for k in slots]
        ck, records = _KEYED_BY_VALUE, OF_ATOMS

        def table(e: Frame) -> dict[Any, Value]:
            state = e[STATE]
            t = tables.get(id(state[r0]) if r0 is not None else tuple([id(state[i]) for i in reads]))
            if t is None:  # (made where new; never given up there: try decides)
                t = lasting.table_for(state, reads, rt.explored, LASTING_TABLES, _NEVER)
            return t

        def miss(e: Frame, vals: tuple[Value, ...], ok: bool) -> Value:
            # Not in the table of the variables' values (or not kept: computed as written).
            if not ok or not lasting.on or rt.effects:
                return bodyf(e)
            v = table(e)[vals] = bodyf(e)
            return v

        def trying(e: Frame) -> Value:
            # The first KEPT_TRIAL calls: looked up and counted, then kept (on) where at least
            # KEPT_SHARE of them were found, else given up (computed as written from then on).
            if rt.effects:
                return bodyf(e)
            vals = (key_of, *[e[k] for k in slots])
            if all([type(x) in ck or records.get(id(x)) is x for x in vals[1:]]):
                t = table(e)
                v = t.get(vals, UNSET)
                if v is UNSET:
                    v = t[vals] = bodyf(e)
                else:
                    lasting.hits += 1
            else:  # (not found: Paxos' Q1b, bound to a quorum Q, a set)
                v = bodyf(e)
            lasting.calls += 1
            if lasting.calls >= KEPT_TRIAL:
                lasting.trying = False
                lasting.on = lasting.hits >= KEPT_SHARE * lasting.calls
                if not lasting.on:
                    tables.clear()
                    lasting.held.clear()
            return v

        def kept(e: Frame) -> Value:
            if not lasting.on:
                return trying(e) if lasting.trying else bodyf(e)
            vals = (key_of, *[e[k] for k in slots])
            ok = all([type(x) in ck or records.get(id(x)) is x for x in vals[1:]])
            if ok:
                state = e[STATE]
                t = tables.get(id(state[r0]) if r0 is not None else tuple([id(state[i]) for i in reads]))
                if t is not None:
                    v = t.get(vals, UNSET)
                    if v is not UNSET:
                        return v
            return miss(e, vals, ok)

        # For fuse: the table looked up inline while on, miss(e, (key, slots...), ok) otherwise;
        # while trying, trying(e); once given up, the expression's own code.
        gen = ("across", argcodes, key_of, tables, miss, STATE, reads, lasting, code, records, trying)
        return Code(kept, False, None, True, code.min_slot, None, False, gen)

    def memo_pure(self, argcodes: list[Code], body: Code, base: int) -> Code | None:
        """``Op(args)`` whose body reads neither the state nor any name bound outside it (nor has
        effects): a function of its arguments' values alone, kept across states (Quicksort's
        ``Automorphisms(DOMAIN s)`` filters 256 functions, for a handful of domains). Keyed by
        the arguments' values where no boolean is in them (Python's ``1 == True``); at most
        PURE_MEMO entries."""
        if all(a.const for a in argcodes) or any(a.nxt for a in argcodes):
            return None  # folded where it is inlined
        table: dict[tuple[Any, ...], Value] = {}
        bool_free = self.bool_free
        bodyf = self.fused(body)
        argfns = [a.fn for a in argcodes]
        n = len(argfns)

        def memo_pure(e: Frame) -> Value:
            vals = [f(e) for f in argfns]
            e[base : base + n] = vals
            if not all(map(bool_free, vals)):
                return bodyf(e)  # Python's 1 == True would confuse {1} with {TRUE}
            key = tuple(vals)
            v = table.get(key, UNSET)
            if v is UNSET:
                if len(table) >= PURE_MEMO:
                    table.clear()
                v = table[key] = bodyf(e)
            return v

        low = min([NO_SLOT, *(a.min_slot for a in argcodes)])
        return Code(memo_pure, False, None, any(a.state for a in argcodes), low, None, False)

    def call_recursive(self, op: OpB, args: tuple[syntax.Expr, ...], span: Loc, ctx: Ctx) -> Code:
        """A RECURSIVE operator: compiled once, each call runs in a copy of the caller's frame.

        The parameters sit above the high-water mark of the moment the body is
        compiled, so a LET-level recursive operator still reads the variables
        bound around its definition (they keep their slots in the copy), and a
        call never disturbs its caller's slots.
        """
        # Operator parameters (Fold(Op(_, _), acc, s)): the body is compiled once per tuple of
        # operators passed, the recursive calls passing theirs on reuse it.
        passed: dict[str, Binding] = {}
        for p, a in zip(op.params, args):
            if p.arity > 0:
                passed[p.name] = self.op_argument(a, p.arity, ctx)
        values = [i for i, p in enumerate(op.params) if p.arity == 0]
        nparams = len(values)
        if op.compiled is None:
            op.compiled = {}
        key = tuple(id(b) for b in passed.values())
        holder = op.compiled.get(key)
        if holder is None or any(x is not y for x, y in zip(holder[2], passed.values())):
            assert op.scope is not None
            base = self.max_slot + 1
            names: dict[str, Binding] = dict(passed)
            for j, i in enumerate(values):
                names[op.params[i].name] = SlotB(base + j)
            holder = [None, base, tuple(passed.values())]
            op.compiled[key] = holder  # placeholder so that self-calls see it
            self._use(base + nparams)
            inner = Ctx(op.scope.child(names), base + nparams, ctx.primed, ctx.init)
            body = self.expr(op.body, inner)
            holder[0] = body.fn
        base = holder[1]
        for i, a in enumerate(args):
            if i in values and self.param_primed(op, i) and not isinstance(a, syntax.Num | syntax.Str | syntax.Bool):
                raise self.error(
                    "E212",
                    f"the parameter {op.params[i].name} of the RECURSIVE operator {op.name} is primed "
                    "(or under UNCHANGED or ENABLED) in its body: passing it by name is not supported",
                    span,
                )
        args = tuple(args[i] for i in values)
        argcodes = [self.expr(a, ctx).fn for a in args]
        opname = op.name
        compiler = self

        def call(e: Frame) -> Value:
            frame = e[:]
            need = compiler.max_slot + 1
            if len(frame) < need:
                frame.extend([None] * (need - len(frame)))
            frame[base : base + nparams] = [f(e) for f in argcodes]
            try:
                return holder[0](frame)
            except EvalError as exc:
                if not exc.stack or exc.stack[-1][0] != opname:
                    exc.add_frame(opname, _plain_span(span))
                raise
            except RecursionError as exc:
                raise located(exc, span) from None

        return Code(call)

    def memo_key(self, owner: object) -> int:
        """``owner``'s number in the memo tables (one per binding object, held by the entry, so
        that no other object gets its address, and its number, while the compiler lives)."""
        hit = self.memo_keys.get(id(owner))
        if hit is not None and hit[0] is owner:
            return hit[1]
        key = self.memo_count
        self.memo_count += 1
        self.memo_keys[id(owner)] = (owner, key)
        return key

    def per_step(self, code: Code, owner: object) -> Code:
        """A primed definition without arguments (braf's ``RAF!Next`` reads ``file_content'``,
        an instance variable substituted by ``LogicalFileContent``, in each of its 80
        disjuncts) computed once per step where the step is complete: a property check gets
        the successor as a tuple, where an enumeration is still building it (a list) and it
        is computed each time. TLC keeps a substitution's value for the step (a LazyValue)."""
        if code.const or code.min_slot != NO_SLOT:
            return code
        memo, fn, rt = self.step_memo, code.fn, self.runtime
        key = self.memo_key(owner)

        def once_per_step(e: Frame) -> Value:
            t = e[NEXT]
            if type(t) is not tuple or rt.effects:
                return fn(e)
            table = memo.table
            if memo.next is not t or memo.state is not e[STATE]:
                memo.state, memo.next = e[STATE], t
                table.clear()
            else:
                v = table.get(key, UNSET)
                if v is not UNSET:
                    return v
            v = table[key] = fn(e)
            return v

        return Code(once_per_step, False, None, True, NO_SLOT, None, True)

    def state_fndef(self, b: FnDefB, ctx: Ctx) -> Code:
        """A function definition that reads variables (``f[i \\in S] == x + i``), built where it
        is used: of the state, of the next state (``f'``), or of the initial state being built
        (in Init), as TLC evaluates it there; in a frame of its own, so that its bound names
        never overwrite the caller's; once per state where it reads the state only."""
        key = (id(b), ctx.primed, ctx.init)
        hit = self.state_fndefs.get(key)
        if hit is not None:
            return hit[1]
        node = _untupled(b.node)
        assert b.scope is not None
        saved = self.max_slot
        self.max_slot = FIRST_SLOT
        b.building = True
        try:
            cons = syntax.FnCons(node.bounds, node.body, span=node.span)
            built = self.expr(cons, Ctx(b.scope, FIRST_SLOT, ctx.primed, ctx.init))
        finally:
            b.building = False
            nslots = self.max_slot + 1
            self.max_slot = saved
        fn, blank = built.fn, [None] * (nslots - FIRST_SLOT)

        def own_frame(e: Frame) -> Value:
            return fn(e[:FIRST_SLOT] + blank)

        code = Code(own_frame, False, None, True, NO_SLOT, None, built.nxt)
        if not ctx.primed and not ctx.init:
            code = self.per_state(code, b)
        self.state_fndefs[key] = (b, code)
        return code

    def per_state(self, code: Code, owner: object) -> Code:
        """``code`` computed once per state when its value is a function of the state alone (it
        reads no primed variable and no slot of the frame): GameOfLife's ``sc[<<x, y>> \\in ...]``,
        which reads ``grid``, is applied in ``Sum(sc, points)`` for each of the 16 cells."""
        if code.const or code.nxt or not code.state or code.min_slot != NO_SLOT:
            return code
        cache, fn = self.memo, code.fn
        key = (self.memo_key(owner),)

        def once_per_state(e: Frame) -> Value:
            state = e[STATE]
            if cache.state is not state:
                cache.state = state
                cache.table.clear()
            else:
                v = cache.table.get(key, UNSET)
                if v is not UNSET:
                    return v
            v = cache.table[key] = fn(e)
            return v

        return Code(once_per_state, False, None, True, NO_SLOT, None, False)

    def fndef_code(self, b: FnDefB, span: Loc, ctx: Ctx) -> Code:
        """A module-level function definition; recursive ones are built with memoisation."""
        if b.cache is _READS_STATE:
            return self.state_fndef(b, ctx)
        if b.cache is not None:
            return b.cache  # type: ignore[no-any-return]
        node = _untupled(b.node)
        assert b.scope is not None
        if b.building:
            raise self.error("E213", f"the function {node.name} is used while it is defined", span)
        b.building = True
        # Self-references go through a memo table, so f[n] == ... f[n-1] ... costs one evaluation per point.
        memo: dict[Value, Value] = {}
        holder: list[Callable[[Value], Value]] = []

        def apply_self(e: Frame) -> Value:
            return _SelfRef(holder)

        scope = b.scope.child({node.name: CodeB(Code(apply_self, False, None, False, NO_SLOT, None, False))})
        saved = self.max_slot
        self.max_slot = FIRST_SLOT
        depth = FIRST_SLOT
        names: dict[str, Binding] = {}
        doms: list[Code] = []
        for bd in node.bounds:
            doms.append(self.expr(bd.domain, Ctx(scope, depth)))
            if bd.tuple_pattern:
                raise self.error("E299", "a tuple pattern in a function definition is not supported", bd.span)
            for n in bd.names:
                names[n] = SlotB(depth)
                depth += 1
        self._use(depth)
        body = self.expr(node.body, Ctx(scope.child(names), depth))
        nslots = self.max_slot + 1
        self.max_slot = saved
        b.building = False
        nvars = depth - FIRST_SLOT
        bodyf = body.fn
        if body.state or body.nxt or not all(d.const for d in doms):
            # A function that reads variables (f[i \in S] == x + i) is rebuilt where it is used.
            if _mentions(node.body, node.name):
                raise self.error(
                    "E213",
                    f"the recursive function {node.name} reads state variables or has a non-constant domain; "
                    "tlacheck builds recursive functions once, from constants only",
                    span,
                )
            b.cache = _READS_STATE
            return self.state_fndef(b, ctx)

        def point(arg: Value) -> Value:
            v = memo.get(arg, UNSET)
            if v is UNSET:
                frame: Frame = [None] * nslots
                if nvars == 1:
                    frame[FIRST_SLOT] = arg
                else:
                    frame[FIRST_SLOT : FIRST_SLOT + nvars] = arg
                v = memo[arg] = lib.normalize(bodyf(frame))
            return v

        holder.append(point)
        if not all(d.const for d in doms):
            raise self.error("E213", f"the domain of the function {node.name} must be constant", span)
        domsets = [lib.enumerate_set(d.value) for d in doms]
        if len(domsets) == 1 and nvars == 1:
            keys: list[Value] = list(lib.iterate_set(domsets[0]))
        else:
            import itertools

            per_name: list[frozenset[Value]] = []
            for bd, ds in zip(node.bounds, domsets):
                per_name.extend([ds] * len(bd.names))
            keys = [tuple(k) for k in itertools.product(*per_name)]
        try:
            value = make_fn((k, point(k)) for k in keys)
        except EvalError as exc:
            exc.add_frame(node.name, _plain_span(span))
            raise
        code = const_code(value)
        b.cache = code
        return code

    def qualified(self, node: syntax.Qualified, ctx: Ctx) -> Code:
        sub = self.subexpression(node, ctx)
        if sub is not None:
            return self.expr(*sub)
        scope = ctx.scope
        for step in node.path:
            b = scope.lookup(step.name)
            if not isinstance(b, InstanceB):
                raise self.error("E204", f"'{step.name}' is not a module instance", step.span or node.span)
            if len(step.args) != len(b.params):
                raise self.error("E210", f"instance {step.name} takes {len(b.params)} argument(s)", node.span)
            argcodes = tuple(self.expr(a, ctx) for a in step.args)
            scope = b.build(argcodes)
        target = scope.lookup(node.name)
        if target is None:
            if node.name in EVALUATED:
                return self.builtin_app(node.name, node.args, node.span, ctx)
            raise self.error("E204", f"the instance has no operator '{node.name}'", node.span)
        if isinstance(target, OpB):
            # Arguments are compiled in the caller's scope; the body in the instance's.
            return self.apply_binding(target, node.name, node.args, node.span, ctx)
        return self.apply_binding(target, node.name, node.args, node.span, ctx)

    def subexpression(self, node: syntax.Qualified, ctx: Ctx) -> tuple[syntax.Expr, Ctx] | None:
        """``Inv!2``, ``Op(x)!lbl``, ``M!Op!1!lbl``, ``Pos!:`` (a subexpression of a definition,
        reached through instances first): the selected expression and where to compile it, its
        operator's parameters bound to the arguments by name. None for a plain ``M!Op``."""
        scope = ctx.scope
        for idx, step in enumerate(node.path):
            b = scope.lookup(step.name)
            if isinstance(b, InstanceB):
                if len(step.args) != len(b.params):
                    raise self.error("E210", f"instance {step.name} takes {len(b.params)} argument(s)", node.span)
                scope = b.build(tuple(self.expr(a, ctx) for a in step.args))
                continue
            if not isinstance(b, OpB) or b.scope is None or b.recursive:
                return None
            if len(step.args) != len(b.params):
                raise self.error(
                    "E210", f"operator '{step.name}' takes {len(b.params)} argument(s)", step.span or node.span
                )
            rest = node.path[idx + 1 :]
            if node.args or any(st.args for st in rest):
                raise self.error(
                    "E299", "a subexpression selector with arguments is not supported", node.span
                )
            names: dict[str, Binding] = {}
            for p, a in zip(b.params, step.args):
                if p.arity > 0:
                    names[p.name] = self.op_argument(a, p.arity, ctx)
                elif isinstance(a, syntax.Num | syntax.Str | syntax.Bool):
                    names[p.name] = CodeB(self.expr(a, ctx))
                else:
                    names[p.name] = NameB(a, ctx.scope, ctx.at_slot, len(self.call_stack))
            expr = b.body
            for sel in [st.name for st in rest] + [node.name]:
                expr = self.select(expr, sel, node.span)
            return expr, Ctx(b.scope.child(names), ctx.depth, ctx.primed, ctx.init, ctx.at_slot)
        return None

    def select(self, expr: syntax.Expr, sel: str, span: Loc) -> syntax.Expr:
        """One selector of a subexpression reference: ``:`` (the whole), ``n`` (the n-th
        conjunct, disjunct, operand or IF part), or a label."""
        if sel == ":":
            return expr
        if not (sel.isdigit() or sel[:1].isalpha() or sel[:1] == "_"):
            raise self.error("E299", f"the subexpression selector !{sel} is not supported", span)
        while isinstance(expr, syntax.Label):
            expr = expr.body
        if sel.isdigit():
            parts: tuple[syntax.Expr, ...] = ()
            if isinstance(expr, syntax.Junction):
                parts = expr.items
            elif isinstance(expr, syntax.OpApp):
                parts = expr.args
            elif isinstance(expr, syntax.If):
                parts = (expr.cond, expr.then, expr.else_)
            n = int(sel)
            if not 1 <= n <= len(parts):
                raise self.error("E204", f"the subexpression !{sel} does not exist here", span)
            return parts[n - 1]
        found = _find_label(expr, sel)
        if found is None:
            raise self.error("E204", f"there is no label '{sel}' here", span)
        if found.params:
            raise self.error("E299", f"a label with parameters ({sel}) is not supported", span)
        return found.body

    # -- built-in operators ---------------------------------------------------

    def builtin_app(self, name: str, args: tuple[syntax.Expr, ...], span: Loc, ctx: Ctx) -> Code:
        n = len(args)
        if name == "'":
            return self.expr(args[0], dataclasses.replace(ctx, primed=True))
        if name == "/\\" or name == "\\/":
            return self.junction(name, args, span, ctx)
        if name == "~":
            a = self.expr(args[0], ctx)
            af = a.fn

            def neg(e: Frame) -> Value:
                v = af(e)
                if v is True:
                    return False
                if v is False:
                    return True
                raise located(lib.EvalError(f"Attempted to apply ~ to the non-boolean {lib.show(v)}."), span)

            return self.described(
                self.fold(neg, (a,), span), ("neg", a, _raiser("Attempted to apply ~ to the non-boolean ", span))
            )
        if name == "=>":
            a, b = self.expr(args[0], ctx), self.expr(args[1], ctx)
            af, bf = a.fn, b.fn

            def implies(e: Frame) -> Value:
                v = af(e)
                if v is False:
                    return True
                if v is not True:
                    raise located(
                        lib.EvalError(f"The left side of => is not a boolean: {lib.show(v)}."), span
                    )
                return _as_bool(bf(e), span)

            left = _raiser("The left side of => is not a boolean: ", span)
            right = _raiser("A boolean was expected, but the value is ", span)
            return self.described(self.fold(implies, (a, b), span), ("implies", a, b, left, right))
        if name == "<=>":
            a, b = self.expr(args[0], ctx), self.expr(args[1], ctx)
            af, bf = a.fn, b.fn
            return self.fold(lambda e: _as_bool(af(e), span) is _as_bool(bf(e), span), (a, b), span)
        if name == "=" or name == "/=":
            return self.equality(name == "=", args, span, ctx)
        if name == "\\in" or name == "\\notin":
            return self.membership(name == "\\in", args, span, ctx)
        if name in ("<", ">", "<=", ">=", "+", "-", "*"):
            return self.arith(name, args, span, ctx)
        if name == "-.":
            a = self.expr(args[0], ctx)
            af = a.fn

            def minus(e: Frame) -> Value:
                v = af(e)
                if type(v) is not int:
                    raise located(lib.EvalError(f"Attempted to negate the non-integer {lib.show(v)}."), span)
                return -v

            return self.fold(minus, (a,), span)
        if name == "UNCHANGED":
            return actions.unchanged_pred(self, args[0], ctx)
        if name == "ENABLED":
            if ctx.primed:
                raise self.error("E232", "ENABLED inside a primed expression has no meaning here", span)
            return actions.enabled(self, args[0], ctx)
        if name in ("[]", "<>", "~>", "-+->", "\\AA", "\\EE"):
            raise self.error("E232", f"the temporal operator {name} has no value in a state", span)
        if name == "\\subseteq" and n == 2:
            known = self.subseteq_lazy(args, span, ctx)
            if known is not None:
                return known
        if name == "\\cup" and n == 2:
            return self.set_union(args, span, ctx)
        if name == "UNION" and n == 1 and isinstance(args[0], syntax.SetEnum):
            # UNION {S, T}: the parts joined as they are (an infinite part cannot be an
            # element of a built set), as TLC's lazy UNION.
            return self.call(lib.union_of, args[0].elems, span, ctx)
        return self.builtin_named(name, args, span, ctx)

    def builtin_named(self, name: str, args: tuple[syntax.Expr, ...], span: Loc, ctx: Ctx) -> Code:
        """A built-in operator evaluated by calling its implementation (``checker.tla.builtins``)."""
        n = len(args)
        rt = self.runtime
        b = BUILTINS.get(name)
        if b is not None and b.runtime:
            rt.effects = True
        if b is not None and b.stateful:
            rt.stateful = True
        if name == "TLCGet" and n == 1 and isinstance(args[0], syntax.Str) and args[0].value == "level":
            rt.track_level = True
            if rt.level is None:
                rt.level = 0  # ASSUME and Init: before the first state
        if b is None:
            raise self.error("E204", f"unknown operator '{name}'", span)
        if b.evaluate is not None and (b.arity == n or b.arity == ANY_ARITY):
            fn = types.MethodType(b.evaluate, rt) if b.runtime else b.evaluate
            return self.call(fn, args, span, ctx, b.pure)
        if name in ("SelectSeq", "SortSeq", "BagOfAll") and n == 2:
            return self.higher_order_builtin(name, args, span, ctx)
        if not b.evaluated:
            raise self.unsupported(b, span)
        raise self.error("E210", f"the operator {name} does not take {n} argument(s)", span)

    def unsupported(self, b: Builtin, span: Loc) -> SpecError:
        where = f"of module {b.module} " if b.module else ""
        return self.error("E299", f"the operator {b.name} {where}is not supported by tlacheck", span)

    def higher_order_builtin(self, name: str, args: tuple[syntax.Expr, ...], span: Loc, ctx: Ctx) -> Code:
        op_pos = 0 if name == "BagOfAll" else 1
        val = self.expr(args[1 - op_pos], ctx).fn
        arity = 2 if name == "SortSeq" else 1
        b = self.op_argument(args[op_pos], arity, ctx)
        # The operator's parameters live in fresh slots of the caller's frame.
        base = ctx.depth
        self._use(base + arity)
        if isinstance(b, OpB):
            names: dict[str, Binding] = {p.name: SlotB(base + i) for i, p in enumerate(b.params)}
            assert b.scope is not None
            body = self.expr(b.body, Ctx(b.scope.child(names), base + arity, ctx.primed, ctx.init)).fn
        else:
            params = tuple(syntax.Name(f"_p{i}") for i in range(arity))
            names = {f"_p{i}": SlotB(base + i) for i in range(arity)}
            assert isinstance(b, BuiltinB)
            body = self.builtin_app(b.name, params, span, ctx.bind(names, arity)).fn
        if arity == 1:

            def callable_of1(e: Frame) -> Callable[..., Value]:
                def one(x: Value) -> Value:
                    e[base] = x
                    return body(e)

                return one

            callable_of = callable_of1
        else:

            def callable_of2(e: Frame) -> Callable[..., Value]:
                def two(x: Value, y: Value) -> Value:
                    e[base] = x
                    e[base + 1] = y
                    return body(e)

                return two

            callable_of = callable_of2
        impls: dict[str, Callable[..., Value]] = {
            "SelectSeq": lib.select_seq,
            "SortSeq": lib.sort_seq,
            "BagOfAll": lib.bag_of_all,
        }
        impl = impls[name]

        def run(e: Frame) -> Value:
            try:
                if op_pos == 0:
                    return impl(callable_of(e), val(e))
                return impl(val(e), callable_of(e))
            except Exception as exc:
                raise located(exc, span) from None

        return Code(run)

    def subseteq_lazy(self, args: tuple[syntax.Expr, ...], span: Loc, ctx: Ctx) -> Code | None:
        """``x \\subseteq S`` for a constant set S given by a formula (TypeOK's ``msgs \\subseteq
        Message``): whether an element is in S is remembered, as most elements of ``msgs`` are
        the same from state to state. Anything unusual goes the general way."""
        s = self.expr(args[1], ctx)
        if not (s.const and isinstance(s.value, LazySet)):
            return None
        a = self.expr(args[0], ctx)
        af, gf, sv = a.fn, self.call(lib.subseteq, args, span, ctx).fn, s.value
        known: dict[Value, bool] = {}

        def subseteq_known(e: Frame) -> Value:
            x = af(e)
            if type(x) is not frozenset:
                return gf(e)
            for y in x:
                r = known.get(y)
                if r is None:
                    t = type(y)
                    if t is int or t is bool:  # True == 1 as a key
                        return gf(e)
                    try:
                        r = sv.contains(y)
                    except Exception:
                        return gf(e)  # the error, reported as the general way does
                    if len(known) >= _KNOWN_LIMIT:
                        known.clear()
                    known[y] = r
                if not r:
                    return False
            return True

        return self.fold(subseteq_known, (a, s), span)

    def call(
        self, fn: Callable[..., Value], args: tuple[syntax.Expr, ...], span: Loc, ctx: Ctx, pure: bool = True
    ) -> Code:
        codes = [self.expr(a, ctx) for a in args]
        fns = [c.fn for c in codes]
        if len(fns) == 1:
            a0 = fns[0]

            def call1(e: Frame) -> Value:
                try:
                    return fn(a0(e))
                except Exception as exc:
                    raise located(exc, span) from None

            run: Fn1 = call1
        elif len(fns) == 2:
            a0, a1 = fns

            def call2(e: Frame) -> Value:
                try:
                    return fn(a0(e), a1(e))
                except Exception as exc:
                    raise located(exc, span) from None

            run = call2
        else:

            def calln(e: Frame) -> Value:
                try:
                    return fn(*[f(e) for f in fns])
                except Exception as exc:
                    raise located(exc, span) from None

            run = calln
        if not pure:
            return Code(run)
        code = self.fold(run, codes, span)
        if code.const:
            return code

        def applied(*values: Value) -> Value:
            try:
                return fn(*values)
            except Exception as exc:
                raise located(exc, span) from None

        # Fused, the arguments are written inline and the function applied to their values
        # (for a few operators of sequences, sets and integers, their fast path inline too).
        return self.described(code, ("call", applied, codes, _INLINE_CALLS.get(fn)))

    def junction(self, op: str, items: tuple[syntax.Expr, ...], span: Loc, ctx: Ctx) -> Code:
        items = _flatten(op, items)
        codes = [self.expr(x, ctx) for x in items]
        spans = [self.where(x.span) for x in items]
        fns = [c.fn for c in codes]
        if op == "/\\" and len(fns) == 2:
            f0, f1 = fns
            s0, s1 = spans

            def conj2(e: Frame) -> Value:
                v = f0(e)
                if v is True:
                    v = f1(e)
                    if v is True or v is False:
                        return v
                    raise located(EvalError(f"A conjunct is not a boolean: {lib.show(v)}."), s1)
                if v is False:
                    return False
                raise located(EvalError(f"A conjunct is not a boolean: {lib.show(v)}."), s0)

            return self.fold(conj2, codes, span)._replace_gen(("conj", codes, _junction_errors(True, spans)))
        pairs = list(zip(fns, spans))
        if op == "/\\" and len(fns) == 3:
            g0, g1, g2 = fns

            def conj3(e: Frame) -> Value:
                v = g0(e)
                if v is True:
                    v = g1(e)
                    if v is True:
                        v = g2(e)
                        if v is True or v is False:
                            return v
                        raise located(EvalError(f"A conjunct is not a boolean: {lib.show(v)}."), spans[2])
                    if v is False:
                        return False
                    raise located(EvalError(f"A conjunct is not a boolean: {lib.show(v)}."), spans[1])
                if v is False:
                    return False
                raise located(EvalError(f"A conjunct is not a boolean: {lib.show(v)}."), spans[0])

            return self.fold(conj3, codes, span)._replace_gen(("conj", codes, _junction_errors(True, spans)))
        if op == "/\\":

            def conj(e: Frame) -> Value:
                for f, sp in pairs:
                    v = f(e)
                    if v is False:
                        return False
                    if v is not True:
                        raise located(EvalError(f"A conjunct is not a boolean: {lib.show(v)}."), sp)
                return True

            return self.fold(conj, codes, span)._replace_gen(("conj", codes, _junction_errors(True, spans)))

        def disj(e: Frame) -> Value:
            for f, sp in pairs:
                v = f(e)
                if v is True:
                    return True
                if v is not False:
                    raise located(EvalError(f"A disjunct is not a boolean: {lib.show(v)}."), sp)
            return False

        return self.fold(disj, codes, span)._replace_gen(("disj", codes, _junction_errors(False, spans)))

    def equality(self, positive: bool, args: tuple[syntax.Expr, ...], span: Loc, ctx: Ctx) -> Code:
        a, b = _built(self.expr(args[0], ctx)), _built(self.expr(args[1], ctx))
        if a.const and not b.const:
            a, b = b, a
        generic = self._equality(positive, a, b, span)
        fast = None if generic.const else _fast_equality(positive, a, b, generic.fn)
        code = generic if fast is None else dataclasses.replace(generic, fn=fast)

        def slow(x: Value, y: Value) -> Value:
            if type(x) is type(y) and not isinstance(x, LazySet):
                return (x == y) is positive
            try:
                return lib.equal(x, y) is positive
            except Exception as exc:
                raise located(exc, span) from None

        return self.described(code, ("eq", positive, a, b, slow))

    def _equality(self, positive: bool, a: Code, b: Code, span: Span | Where) -> Code:
        af, bf = a.fn, b.fn
        if b.const and _plain(b.value):
            bv = b.value
            tb = type(bv)

            def eq_const(e: Frame) -> Value:
                x = af(e)
                if type(x) is tb:
                    return (x == bv) is positive
                try:
                    return lib.equal(x, bv) is positive
                except Exception as exc:
                    raise located(exc, span) from None

            return self.fold(eq_const, (a, b), span)

        def eq(e: Frame) -> Value:
            x = af(e)
            y = bf(e)
            if type(x) is type(y) and not isinstance(x, LazySet):
                return (x == y) is positive
            try:
                return lib.equal(x, y) is positive
            except Exception as exc:
                raise located(exc, span) from None

        return self.fold(eq, (a, b), span)

    def membership(self, positive: bool, args: tuple[syntax.Expr, ...], span: Loc, ctx: Ctx) -> Code:
        target = args[1]
        while isinstance(target, syntax.Label):
            target = target.body
        if isinstance(target, syntax.SetMap | syntax.SetFilter):
            former = self.member_of_former(positive, args[0], target, span, ctx)
            if former is not None:
                return former
        s = self.expr(args[1], ctx)
        if not s.const and isinstance(target, syntax.Name | syntax.OpApp):
            named = self.member_of_named(positive, args[0], target, span, ctx)
            if named is not None:
                return named
        a = self.expr(args[0], ctx)
        af, sf = a.fn, s.fn
        if s.const and type(s.value) is frozenset:
            sv = s.value
            kind = lib.atoms_kind(sv)
            if kind is None:

                def in_const(e: Frame) -> Value:
                    return (af(e) in sv) is positive

                code = self.fold(in_const, (a, s), span)
                return self.described(code, ("in", positive, a, s, lambda x, st: (x in st) is positive))

            # Integers or booleans: Python finds TRUE in {1} (1 == True), TLA+ does not.
            def in_other(x: Value, st: Value) -> Value:
                try:
                    return lib.member_of_other_kind(x, st) is positive
                except Exception as exc:
                    raise located(exc, span) from None

            def in_kind(e: Frame) -> Value:
                x = af(e)
                if type(x) is kind:
                    return (x in sv) is positive
                return in_other(x, sv)

            return self.described(self.fold(in_kind, (a, s), span), ("in", positive, a, s, in_other))

        def is_in(e: Frame) -> Value:
            x = af(e)
            st = sf(e)
            if type(st) is frozenset:
                return (x in st) is positive
            try:
                return lib.is_in(x, st) is positive
            except Exception as exc:
                raise located(exc, span) from None

        def in_slow(x: Value, st: Value) -> Value:
            try:
                return lib.is_in(x, st) is positive
            except Exception as exc:
                raise located(exc, span) from None

        slow: Callable[[Value, Value], Value] = in_slow
        if s.const and type(s.value) is lib.FnSet:
            slow = _fn_set_member(s.value, in_slow, positive)
        if s.const:
            if type(s.value) is not lib.RecordSet:  # (a set of records remembers its own answers)
                slow = _remembered(slow, s.value)
            const_slow, sv = slow, s.value

            def in_lazy(e: Frame) -> Value:
                return const_slow(af(e), sv)

            return self.described(self.fold(in_lazy, (a, s), span), ("in", positive, a, s, slow))
        return self.described(self.fold(is_in, (a, s), span), ("in", positive, a, s, slow))

    def member_of_named(
        self, positive: bool, elem: syntax.Expr, target: syntax.Name | syntax.OpApp, span: Loc, ctx: Ctx
    ) -> Code | None:
        """``y \\in Op(args)`` where ``Op``'s body is a set filter ``{x \\in S : P}`` that is not a
        constant: ``y \\in S /\\ P`` with x bound to y, in ``Op``'s scope with its parameters bound,
        as TLC tests membership in a filter without building it (Quicksort's
        ``UV \\in DomainPartitions`` filters ``SUBSET SUBSET (1..Len(seq0))`` at each state)."""
        args = target.args if isinstance(target, syntax.OpApp) else ()
        op = ctx.scope.lookup(target.name)
        if not isinstance(op, OpB) or op.recursive or op.scope is None or len(op.params) != len(args):
            return None
        body = op.body
        while isinstance(body, syntax.Label):
            body = body.body
        if not isinstance(body, syntax.SetFilter) or any(self.param_primed(op, i) for i in range(len(args))):
            return None
        if any(o is op for o in self.call_stack):
            return None  # reported as a cycle by the ordinary path
        x = self.expr(elem, ctx)
        names, lazies, body_depth = self.bind_params(op, args, ctx)
        inner = Ctx(op.scope.child(names), body_depth, ctx.primed, ctx.init, ctx.at_slot)
        self.call_stack.append(op)
        self.call_sites.append((op.name, _plain_span(span)))
        try:
            code = self.member_of_former(positive, x, body, span, inner)
        finally:
            self.call_stack.pop()
            self.call_sites.pop()
        if code is None or not lazies:
            return code
        test, ks = code.fn, [k for k, _ in lazies]

        def fresh_arguments(e: Frame) -> Value:
            for k in ks:
                e[k] = UNSET
            return test(e)

        return self.like(fresh_arguments, code)

    def member_of_former(
        self, positive: bool, elem: syntax.Expr | Code, s: syntax.SetMap | syntax.SetFilter, span: Loc, ctx: Ctx
    ) -> Code | None:
        """``y \\in {e : x \\in S}`` as ``\\E x \\in S : e = y``, and ``y \\in {x \\in S : P}`` as
        ``y \\in S /\\ P`` with x bound to y: the same answer as TLC's, without building the set
        (S may be infinite or large, as in ``r \\in {f \\in [1..20 -> 1..20] : P(f)}``). ``elem``
        is compiled in ``ctx`` unless given compiled (in the caller's context, when ``ctx`` is an
        operator's)."""
        if isinstance(s, syntax.SetFilter) and (s.bound.tuple_pattern or len(s.bound.names) != 1):
            return None
        x = elem if isinstance(elem, Code) else self.expr(elem, ctx)
        k = self.max_slot + 1
        self._use(k)
        name = " element"  # not a TLA+ name: it cannot clash with the spec's
        probe = syntax.Name(name, span=s.span)
        if isinstance(s, syntax.SetMap):
            test: syntax.Expr = syntax.Quant("\\E", s.bounds, syntax.OpApp("=", (s.expr, probe), span=s.span), span=s.span)
            inner = ctx.bind({name: SlotB(k)}, k + 1 - ctx.depth)
        else:
            member = syntax.OpApp("\\in", (probe, s.bound.domain), span=s.span)
            test = syntax.Junction("/\\", (member, s.pred), span=s.span)
            inner = ctx.bind({name: SlotB(k), s.bound.names[0]: SlotB(k)}, k + 1 - ctx.depth)
        body = self.expr(test, inner)
        xf, bf = x.fn, self.fused(body)

        def member_of(e: Frame) -> Value:
            e[k] = xf(e)
            return bf(e) is positive

        # Slot k and those above are the test's own: what it depends on is x and what the body
        # reads below k.
        own = body if body.min_slot < k else dataclasses.replace(body, min_slot=NO_SLOT)
        return self.fold(member_of, (x, own), span)

    def arith(self, name: str, args: tuple[syntax.Expr, ...], span: Loc, ctx: Ctx) -> Code:
        a, b = self.expr(args[0], ctx), self.expr(args[1], ctx)
        af, bf = a.fn, b.fn
        op = _ARITH[name]

        def bad(x: Value, y: Value) -> EvalError:
            culprit = x if type(x) is not int else y
            return located(
                EvalError(f"The operator {name} expects integers, but got the value {lib.show(culprit)}."),
                span,
            )

        def raise_bad(x: Value, y: Value) -> Value:
            raise bad(x, y)

        if b.const and type(b.value) is int:
            bv = b.value

            def arith_const(e: Frame) -> Value:
                x = af(e)
                if type(x) is int:
                    return op(x, bv)
                raise bad(x, bv)

            return self.described(self.fold(arith_const, (a, b), span), ("arith", name, a, b, raise_bad))

        def arith(e: Frame) -> Value:
            x = af(e)
            y = bf(e)
            if type(x) is int and type(y) is int:
                return op(x, y)
            raise bad(x, y)

        return self.described(self.fold(arith, (a, b), span), ("arith", name, a, b, raise_bad))

    # -- structured expressions ----------------------------------------------

    def if_expr(self, node: syntax.If, ctx: Ctx) -> Code:
        c, a, b = self.expr(node.cond, ctx), self.expr(node.then, ctx), self.expr(node.else_, ctx)
        cf, af, bf = c.fn, a.fn, b.fn
        span = self.where(node.cond.span)
        if c.const and type(c.value) is bool:
            # IF Variant = "any_value" THEN ... ELSE ...: the branch is known now (the
            # dependencies stay those of the whole IF).
            return self.fold(af if c.value else bf, (c, a, b), node.span)

        def ite(e: Frame) -> Value:
            v = cf(e)
            if v is True:
                return af(e)
            if v is False:
                return bf(e)
            raise located(EvalError(f"The condition of IF is not a boolean: {lib.show(v)}."), span)

        err = _raiser("The condition of IF is not a boolean: ", span)
        return self.described(self.fold(ite, (c, a, b), node.span), ("if", c, a, b, err))

    def case_expr(self, node: syntax.Case, ctx: Ctx) -> Code:
        arms = [(self.expr(a.guard, ctx), self.expr(a.body, ctx)) for a in node.arms]
        other = self.expr(node.other, ctx) if node.other is not None else None
        pairs = [(g.fn, x.fn) for g, x in arms]
        of = other.fn if other is not None else None
        span = self.where(node.span)

        def case(e: Frame) -> Value:
            for g, x in pairs:
                if _as_bool(g(e), span):
                    return x(e)
            if of is not None:
                return of(e)
            raise located(EvalError("Attempted to evaluate a CASE with no arm true and no OTHER."), span)

        parts = [c for arm in arms for c in arm] + ([other] if other is not None else [])
        return self.fold(case, parts, span)

    def set_union(self, args: tuple[syntax.Expr, ...], span: Loc, ctx: Ctx) -> Code:
        """``S \\cup T``: two sets joined in C (``msgs \\cup {m}`` on every Send), else the library's checks."""
        a, b = self.expr(args[0], ctx), self.expr(args[1], ctx)
        af, bf = self.fused(a), self.fused(b)

        def cup2(x: Value, y: Value) -> Value:
            try:
                if type(x) is frozenset and type(y) is frozenset:
                    return x if y <= x else x | y
                return lib.union(x, y)
            except Exception as exc:
                raise located(exc, span) from None

        def cup(e: Frame) -> Value:
            try:
                x = af(e)
                y = bf(e)
                if type(x) is frozenset and type(y) is frozenset:
                    # x itself when nothing is added (a message sent again): its fingerprint,
                    # order and class sums are remembered by identity.
                    return x if y <= x else x | y
                return lib.union(x, y)
            except Exception as exc:
                raise located(exc, span) from None

        # Fused, the sets are written inline and joined by cup2 (tag "cup": the fast path inline).
        return self.described(self.fold(cup, (a, b), span), ("call", cup2, [a, b], "cup"))

    def set_enum(self, node: syntax.SetEnum, ctx: Ctx) -> Code:
        codes = [self.expr(x, ctx) for x in node.elems]
        span = self.where(node.span)
        fns = [self.stored(x, c) for x, c in zip(node.elems, codes)]
        if len(fns) == 1:
            (f0,) = fns
            code = self.fold(lambda e: frozenset((f0(e),)), codes, span)
        else:
            code = self.fold(lambda e: frozenset([f(e) for f in fns]), codes, span)
        norms = _norms(node.elems, codes)
        if norms is None:
            return code
        return self.described(code, ("set", codes, norms))

    def tuple_expr(self, node: syntax.Tuple, ctx: Ctx) -> Code:
        codes = [self.expr(x, ctx) for x in node.elems]
        fns = [c.fn for c in codes]
        if len(fns) == 2:
            f0, f1 = fns
            f0, f1 = (self.stored(x, c) for x, c in zip(node.elems, codes))
            return self.fold(lambda e: (f0(e), f1(e)), codes, node.span)
        fns = [self.stored(x, c) for x, c in zip(node.elems, codes)]
        return self.fold(lambda e: tuple([f(e) for f in fns]), codes, node.span)

    def record_expr(self, node: syntax.Record, ctx: Ctx) -> Code:
        names = [k for k, _ in node.fields]
        codes = [self.expr(x, ctx) for _, x in node.fields]
        pairs = [(k, self.stored(x, c)) for k, (_, x), c in zip(names, node.fields, codes)]
        fns = [f for _, f in pairs]
        build = record_builder(names)  # equal records of atoms are one object (values.py)

        def rec(e: Frame) -> Value:
            return build([f(e) for f in fns])

        code = self.fold(rec, codes, node.span)
        norms = _norms(tuple(x for _, x in node.fields), codes)
        if norms is None:
            return code
        return self.described(code, ("record", names, codes, build, norms))

    def stored(self, node: syntax.Expr, code: Code) -> Fn1:
        """``code`` for a value that goes into a set, tuple, record or function: lazy sets made real.

        Only expressions that can yield a lazy set (SUBSET, [S -> T], Seq(S), Nat,
        an operator's result...) pay for the check.
        """
        f = code.fn
        if code.const:
            v = lib.normalize(code.value) if isinstance(code.value, LazySet) else code.value
            return lambda e: v
        if not may_be_lazy(node):
            return f
        return lambda e: lib.normalize(f(e))

    def fn_app(self, node: syntax.FnApp, ctx: Ctx) -> Code:
        f = self.expr(node.fn, ctx)
        if len(node.args) == 1:
            a = self.expr(node.args[0], ctx)
        else:
            a = self.tuple_expr(syntax.Tuple(node.args, span=node.span), ctx)
        ff, af = f.fn, a.fn
        span = self.where(node.span)
        get = fn_getter()  # (TRUE does not find 1's value, as Python's dict does)

        def app(e: Frame) -> Value:
            fv = ff(e)
            x = af(e)
            if type(fv) is Fn:
                v = get(fv, x, UNSET)
                if v is not UNSET:
                    return v
            elif type(fv) is tuple and type(x) is int and 0 < x <= len(fv):
                return fv[x - 1]
            elif type(fv) is _SelfRef:
                return fv.holder[0](x)
            try:
                return lib.apply(fv, x)
            except Exception as exc:
                raise located(exc, span) from None

        def app_slow(fv: Value, x: Value) -> Value:
            if type(fv) is tuple and type(x) is int and 0 < x <= len(fv):
                return fv[x - 1]
            if type(fv) is _SelfRef:
                return fv.holder[0](x)
            try:
                return lib.apply(fv, x)
            except Exception as exc:
                raise located(exc, span) from None

        return self.described(self.fold(app, (f, a), span), ("app", f, a, app_slow))

    def except_expr(self, node: syntax.Except, ctx: Ctx) -> Code:
        base = self.expr(node.fn, ctx)
        at = ctx.depth
        self._use(at + 1)
        inner = dataclasses.replace(ctx, depth=at + 1, at_slot=at)
        updates = []
        codes: list[tuple[list[Code], Code]] = []
        parts = [base]  # what the whole reads (``@`` is the slot ``at``, bound here)
        for u in node.updates:
            path: list[Fn1] = []
            keys: list[Code] = []
            for p in u.path:
                if isinstance(p, syntax.ExceptField):
                    key = const_code(p.name)
                elif len(p.args) == 1:
                    key = self.expr(p.args[0], ctx)
                else:
                    key = self.tuple_expr(syntax.Tuple(p.args, span=p.span), ctx)
                path.append(key.fn)
                keys.append(key)
                parts.append(key)
            value = self.expr(u.value, inner)
            parts.append(value)
            updates.append((tuple(path), value.fn))
            codes.append((keys, value))
        bf = base.fn
        span = self.where(node.span)

        def update(
            e: Frame, f: Value, path: tuple[Fn1, ...], i: int, val: Fn1, reads_at: bool, mine: dict[int, Fn]
        ) -> Value:
            # ``[f EXCEPT !path[i]...= val]``. A function is copied once per EXCEPT, not once per
            # update that passes through it (MultiPaxos' ``[node EXCEPT ![self].leader = ...,
            # ![self].insts[s].status = ...]``, six paths through ``node[self]``): ``mine`` holds
            # the copies made here, which are changed in place by the later updates. A value that
            # reads ``@`` may reach them (and keep them: a memo, a set), so none is changed after.
            key = path[i](e)
            if type(f) is Fn:
                old = f.get(key, UNSET)
                if old is UNSET:
                    return f
            elif type(f) is tuple:
                if type(key) is not int or not 0 < key <= len(f):
                    return f
                old = f[key - 1]
            else:
                raise located(
                    EvalError(f"Attempted to apply EXCEPT to the non-function {lib.show(f)}."), span
                )
            if i + 1 == len(path):
                if reads_at:
                    mine.clear()
                e[at] = old
                new = lib.normalize(val(e))
            else:
                new = update(e, old, path, i + 1, val, reads_at, mine)
            if type(f) is tuple:
                return f[: key - 1] + (new,) + f[key:]
            if mine.get(id(f)) is not f:
                f = fn_of(f)
                mine[id(f)] = f
            f[key] = new
            return f

        paths = [
            (tuple(self.fused(k) for k in keys), self.fused(v), any(isinstance(n, syntax.At) for n in syntax.walk(u.value)))
            for (keys, v), u in zip(codes, node.updates, strict=True)
        ]

        def run(e: Frame) -> Value:
            f = bf(e)
            mine: dict[int, Fn] = {}
            for path, val, reads_at in paths:
                f = update(e, f, path, 0, val, reads_at, mine)
            return f

        if all(len(path) == 1 for path, _ in updates):
            # [f EXCEPT ![a] = v, ![b] = w], the commonest form: the points replaced in one
            # call, the function copied once (update's steps, for an Fn; a later update's @
            # is the point as the earlier ones left it, as there).
            points = [(self.fused(parts[1 + 2 * i]), self.fused(parts[2 + 2 * i])) for i in range(len(updates))]

            def run1(e: Frame) -> Value:
                f = bf(e)
                copied = False
                for key_fn, val_fn in points:
                    key = key_fn(e)
                    if type(f) is Fn:
                        old = f.get(key, UNSET)
                        if old is UNSET:
                            continue
                        e[at] = old
                        new = val_fn(e)
                        if isinstance(new, LazySet):
                            new = lib.normalize(new)
                        if not copied:
                            f = Fn(f)
                            f._hash = None
                            copied = True
                        f[key] = new
                    elif type(f) is tuple:
                        if type(key) is int and 0 < key <= len(f):
                            e[at] = f[key - 1]
                            f = f[: key - 1] + (lib.normalize(val_fn(e)),) + f[key:]
                    else:
                        raise located(
                            EvalError(f"Attempted to apply EXCEPT to the non-function {lib.show(f)}."), span
                        )
                return f

            code = self._except_code(run1, parts)
            if len(updates) == 1 and not any(isinstance(n, syntax.At) for n in syntax.walk(node.updates[0].value)):
                # Written out inline by fuse (the value does not read @): a point of an Fn in its
                # domain replaced by the value, anything else as run1 does it with f and a.
                # Equal results of atoms are one object (values.py); a lazy set is made real.
                value = parts[2]
                if value.const and type(value.value) not in (int, str, ModelValue, LazySet):
                    # A constant set, record, ... (SimpleRegular's x[self] := {0, 1}): never
                    # one of the updater's results by identity, so its copy is called directly.
                    replaced = copy_except()
                else:
                    replaced = point_updater(lazy=LazySet, normalize=lib.normalize)

                def other(e: Frame, f: Value, key: Value) -> Value:
                    if type(f) is Fn:
                        return f  # (a point outside the domain)
                    if type(f) is tuple:
                        if type(key) is int and 0 < key <= len(f):
                            return f[: key - 1] + (lib.normalize(points[0][1](e)),) + f[key:]
                        return f
                    raise located(EvalError(f"Attempted to apply EXCEPT to the non-function {lib.show(f)}."), span)

                code = self.described(code, ("except1", base, parts[1], parts[2], replaced, other))
            return code
        tree = self.except_tree([(u.path, keys, value, u.value) for u, (keys, value) in zip(node.updates, codes, strict=True)])
        return self._except_code(fuse_except(base, tree, at, run, lib.normalize, UNSET), parts)

    @staticmethod
    def except_tree(updates: list[tuple[tuple[Any, ...], list[Code], Code, syntax.Expr]]) -> list[tuple[Any, ...]]:
        """An EXCEPT's paths as fuse_except's tree: a path's step joins the previous path's where
        that one goes on through a step of the same key expression (syntax, spans aside), so
        ``![self].leader = a, ![self].insts[s].cmd = c`` copy ``f[self]`` once; a last step is a
        leaf of its own (a later path through it copies its value again)."""
        tree: list[tuple[Any, ...]] = []
        for path, keys, value, expr in updates:
            children = tree
            for i, (step, key) in enumerate(zip(path, keys, strict=True)):
                if i + 1 == len(path):
                    reads_at = any(isinstance(n, syntax.At) for n in syntax.walk(expr))
                    children.append(("leaf", key, value, reads_at))
                    break
                last = children[-1] if children else None
                if last is None or last[0] != "node" or last[3] != step:
                    last = ("node", key, [], step)
                    children.append(last)
                children = last[2]
        return tree

    @staticmethod
    def _except_code(run: Fn1, parts: list[Code]) -> Code:
        # Not constant (folded elsewhere if need be), but what it reads is told, so that an
        # operator around it can be memoised (ClientCentric's effects: an EXCEPT in a fold).
        state = any(c.state for c in parts)
        nxt = any(c.nxt for c in parts)
        return Code(run, False, None, state, min(c.min_slot for c in parts), None, nxt)

    # -- LET ------------------------------------------------------------------

    def let_ctx(self, defs: tuple[syntax.Unit, ...], ctx: Ctx) -> Ctx:
        """LET definitions: 0-ary ones evaluated lazily into slots, others inlined where used.

        A 0-ary definition is evaluated on first use, from somewhere inside the
        body (or inside a later definition): its cache slot and temporaries sit
        above the high-water mark at the time it is compiled, and the body starts
        above all of them (see ``bind_params``).
        """
        names: dict[str, Binding] = {}
        scope = ctx.scope.child(names)
        recursive: set[str] = set()
        for d in defs:
            if isinstance(d, syntax.Recursive):
                recursive |= {x.name for x in d.decls}
        for d in defs:
            if isinstance(d, syntax.OpDef):
                if d.params or d.name in recursive:
                    names[d.name] = OpB(d.name, d.params, d.body, scope, d.span, d.name in recursive)
                    continue
                if ctx.init or ctx.primed or isinstance(d.body, syntax.Name) or self.action_level(d.body, scope):
                    # LET y == x' IN (x' = 1 \/ x' = 2) /\ y > 1: its value changes while the
                    # body runs (primed variables being assigned), so it is substituted where
                    # used, as TLC does, not evaluated once; so is a plain name (LET s == msgQ IN
                    # Drop(s), where Drop primes its parameter), which costs nothing.
                    names[d.name] = OpB(d.name, (), d.body, scope, d.span)
                    continue
                k = self.max_slot + 1
                self._use(k)
                code = self.expr(d.body, Ctx(scope, k + 1, ctx.primed, ctx.init, ctx.at_slot))
                # Cleared each time the LET is entered, evaluated on first use.
                source = NameB(d.body, scope, ctx.at_slot, len(self.call_stack))
                names[d.name] = CodeB(code) if code.const else _LetLazy(k, code, source)
                if isinstance(d.body, syntax.FnCons):
                    b = names[d.name]
                    self.let_fns[id(b)] = (b, (d.name, d.body.bounds, d.body.body, scope))
            elif isinstance(d, syntax.FnDef):
                names[d.name] = self._let_fn(d, scope, self.max_slot + 1, ctx)
                b = names[d.name]
                self.let_fns[id(b)] = (b, (d.name, d.bounds, d.body, scope))
            elif isinstance(d, syntax.Recursive):
                continue
            elif isinstance(d, syntax.ModuleDef) and self.module_def is not None:
                # LET M == INSTANCE N WITH ...: substitutions may name what is bound around it.
                names[d.name] = self.module_def(d, scope)
            else:
                raise self.error("E299", f"unsupported definition in LET: {type(d).__name__}", d.span)
        depth = max(ctx.depth, self.max_slot + 1)
        self._use(depth)
        return dataclasses.replace(ctx, scope=scope, depth=depth)

    def _let_fn(self, d: syntax.FnDef, scope: Scope, depth: int, ctx: Ctx) -> Binding:
        d = _untupled(d)
        if _mentions(d.body, d.name):
            return self._let_recursive_fn(d, scope, ctx)
        cons = syntax.FnCons(d.bounds, d.body, span=d.span)
        return CodeB(self.expr(cons, Ctx(scope, depth, ctx.primed, ctx.init, ctx.at_slot)))

    def _let_recursive_fn(self, d: syntax.FnDef, scope: Scope, ctx: Ctx) -> Binding:
        """``LET f[x \\in S] == ... f[...] ... IN e``: a function whose points are computed when
        applied (once each, per entry into the LET), as TLC's lazy function values; the
        folds of the community modules are written this way.

        On first use after the LET is entered, the frame is copied (so the names bound
        around the definition keep their values) and ``f`` becomes a reference that
        applies the body, checking that the argument is in the domain.
        """
        kf = self.max_slot + 1
        self._use(kf + 1)
        build_holder: list[Fn1] = []

        def build_ref(e: Frame) -> Value:
            return build_holder[0](e)

        # Visible in its own body, where reading it depends on nothing but its slot.
        scope.names[d.name] = _LetLazy(kf, Code(build_ref, False, None, False, NO_SLOT, None, False))
        inner_ctx = Ctx(scope, kf + 1, ctx.primed, ctx.init, ctx.at_slot)
        binds, inner = binders.bounds(self, d.bounds, inner_ctx)
        if any(tup for _, _, tup in binds):
            raise self.error("E299", "a tuple pattern in a function definition is not supported", d.span)
        slots = [k for _, ks, _ in binds for k in ks]
        # A constant domain's code gives its elements as a sorted list (for quantifiers):
        # membership is tested in the set itself (`SA[bb \in Ballot]` with `Ballot = {0, 1, 2}`).
        domfns = [(lambda e, v=dom.value: v) if dom.const else dom.fn for dom, _, _ in binds]
        widths = [len(ks) for _, ks, _ in binds]
        body = self.expr(d.body, inner)
        bodyf = self.fused(body)
        span = self.where(d.span)
        name = d.name
        # What the function depends on: its body and domains (so that F in
        # `CHOOSE r \in S : LET F[i \in D] == ... r ... IN P(F)` leaves the CHOOSE constant).
        parts = [body, *(dom for dom, _, _ in binds)]
        lazy = _LetLazy(
            kf,
            Code(
                build_ref,
                False,
                None,
                any(c.state for c in parts),
                min(c.min_slot for c in parts),
                None,
                any(c.nxt for c in parts),
            ),
        )
        scope.names[d.name] = lazy

        def build(e: Frame) -> Value:
            ref = _SelfRef([])
            frame = e[:]
            frame[kf] = ref
            doms = [f(frame) for f in domfns]
            memo: dict[Value, Value] = {}

            def point(arg: Value) -> Value:
                v = memo.get(arg, UNSET)
                if v is not UNSET:
                    return v
                parts = [arg] if len(slots) == 1 else list(arg) if type(arg) is tuple else []
                if len(parts) != len(slots):
                    raise located(EvalError(f"The function {name} takes {len(slots)} arguments."), span)
                f = frame[:]
                i = 0
                for dom, width in zip(doms, widths):
                    for x in parts[i : i + width]:
                        if not lib.is_in(x, dom):
                            raise located(
                                EvalError(
                                    f"Attempted to apply function {name} to argument {lib.show(arg)}, "
                                    "which is not in its domain."
                                ),
                                span,
                            )
                    i += width
                f[slots[0] : slots[0] + len(slots)] = parts
                v = memo[arg] = lib.normalize(bodyf(f))
                return v

            ref.holder.append(point)
            return ref

        build_holder.append(build)
        return lazy


# ---------------------------------------------------------------------------
# Helpers used by the closures


class _SelfRef:
    """A recursive function's reference to itself while it is being built."""

    __slots__ = ("holder",)

    def __init__(self, holder: list[Callable[[Value], Value]]) -> None:
        self.holder = holder


_ARITH: dict[str, Callable[[int, int], Value]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}

def _fast_equality(positive: bool, a: Code, b: Code, generic: Fn1) -> Fn1 | None:
    """``a = b`` with the field and slot reads inlined, for the shapes that dominate real specs
    (``m.type = "2b"``, ``m.acc = a``, ``ma.bal = m.bal``); anything unusual goes to ``generic``."""
    sa = a.shape
    if sa is None or sa[0] != "field":
        return None
    k, name = sa[1], sa[2]
    if b.const and _plain(b.value):
        bv = b.value
        tb = type(bv)

        def field_eq_const(e: Frame) -> Value:
            rec = e[k]
            if type(rec) is Fn:
                x = rec.get(name, UNSET)
                if type(x) is tb:
                    return (x == bv) is positive
            return generic(e)

        return field_eq_const
    sb = b.shape
    if sb is not None and sb[0] == "slot":
        k2 = sb[1]

        def field_eq_slot(e: Frame) -> Value:
            rec = e[k]
            y = e[k2]
            if type(rec) is Fn:
                x = rec.get(name, UNSET)
                tx = type(x)
                if tx is type(y) and (tx is str or tx is int or tx is ModelValue):
                    # ``is`` first: model values are interned, so equal atoms are one object.
                    return (x is y or x == y) is positive
            return generic(e)

        return field_eq_slot
    if sb is not None and sb[0] == "field":
        k2, name2 = sb[1], sb[2]

        def field_eq_field(e: Frame) -> Value:
            r1 = e[k]
            r2 = e[k2]
            if type(r1) is Fn and type(r2) is Fn:
                x = r1.get(name, UNSET)
                y = r2.get(name2, UNSET)
                tx = type(x)
                if tx is type(y) and (tx is str or tx is int or tx is ModelValue):
                    return (x is y or x == y) is positive
            return generic(e)

        return field_eq_field
    return None


def _resetter(slots: list[int]) -> Callable[[Frame], None]:
    """Clears the cache slots of the lazy arguments or LET definitions a body is entered with
    (for fused code, which calls it before the body: it returns None)."""
    if len(slots) == 1:
        (k,) = slots

        def reset1(e: Frame) -> None:
            e[k] = UNSET

        return reset1

    def reset(e: Frame) -> None:
        for k in slots:
            e[k] = UNSET

    return reset


_READS_STATE = object()  # FnDefB.cache of a function definition that reads variables
PURE_MEMO = 10_000  # values kept per operator whose value depends on its arguments only
LASTING_TABLES = 1 << 12  # tables kept across states per operator, one per tuple of values it reads
LASTING_TRIAL = 256  # states explored before deciding whether an operator's tables pay
LASTING_VARS = 4  # at most so many variables read, for such a key
KEPT_TRIAL = 1_024  # calls of what an action keeps (Compiler.kept) before deciding whether it pays
KEPT_SHARE = 0.5  # the share of those calls found in the tables for it to be kept
_NEVER = 1 << 62  # (no trial by states explored)
_KEYED_BY_VALUE = frozenset({int, str, ModelValue})  # equal values are equal TLA+ values (no TRUE)
BOOL_FREE_SEEN = 100_000  # values whose boolean-freedom is remembered


def bool_free_test() -> Callable[[Value], bool]:
    """A test of whether no boolean occurs in a value (then Python's equality of values is
    TLA+'s), remembered per tuple, set and function object: values are immutable, and a
    memoised operator sees the same objects again and again (ClientCentric's ``execution``
    at each of its ``ReadStates`` calls), which a walk of the whole value each time costs
    (86% of MCKVsnap's run). The objects are kept with their answer, so an id is not reused."""
    seen: dict[int, tuple[Value, bool]] = {}

    def bool_free(v: Value) -> bool:
        t = type(v)
        if t is bool:
            return False
        if t is not tuple and t is not frozenset and t is not Fn:
            return True
        hit = seen.get(id(v))
        if hit is not None and hit[0] is v:
            return hit[1]
        if t is Fn:
            free = all(map(bool_free, v.keys())) and all(map(bool_free, v.values()))
        else:
            free = all(map(bool_free, v))
        if len(seen) >= BOOL_FREE_SEEN:
            seen.clear()
        seen[id(v)] = (v, free)
        return free

    return bool_free


def _built(code: Code) -> Code:
    """A constant lazy set of few elements as the frozenset it stands for, built once: compared
    with a set (Slush's ``message = TerminationMessage``, a set of records), it would be
    enumerated at each comparison."""
    v = code.value
    if not code.const or not isinstance(v, LazySet) or lib.is_large(v):
        return code
    try:
        return const_code(lib.enumerate_set(v))
    except EvalError:
        return code


def _combined(fn: Fn1, parts: Iterable[Code]) -> Code:
    parts = list(parts)
    return Code(
        fn,
        False,
        None,
        any(p.state for p in parts),
        min((p.min_slot for p in parts), default=NO_SLOT),
        None,
        any(p.nxt for p in parts),
    )


def _fn_set_member(
    fs: lib.FnSet, other: Callable[[Value, Value], Value], positive: bool
) -> Callable[[Value, Value], Value]:
    """``x \\in [D -> R]`` for a constant function set whose D and R are small sets already
    built: a function (an Fn, or a tuple where D is 1..n) is in it when its domain is D and
    its values are in R (``FnSet.contains``, without the calls around it); anything else,
    and any other function set, as ``other`` (the general way) tests it (TypeOK's
    ``x \\in [0..N-1 -> SUBSET {0, 1} \\ {{}}]``, once per state)."""
    dom, cod = fs.domain, fs.codomain
    if type(dom) is not frozenset or type(cod) is not frozenset:
        return other
    seqs = dom == frozenset(range(1, len(dom) + 1))
    n = len(dom)
    superset = cod.issuperset

    def member(x: Value, st: Value) -> Value:
        t = type(x)
        if t is Fn:
            return (x.keys() == dom and superset(x.values())) is positive
        if t is tuple and seqs:
            return (len(x) == n and superset(x)) is positive
        return other(x, st)

    return member


def _remembered(member: Callable[[Value, Value], Value], st: Value) -> Callable[[Value, Value], Value]:
    """``member(x, st)`` for one constant set ``st`` that is not built (TypeOK's ``f \\in
    [D -> R]``, whose common case ``_fn_set_member`` tests without ``FnSet.contains``),
    remembered by ``x``'s fingerprint (see ``lib.remembered``)."""
    seen: lib.Seen = {}

    def test(x: Value) -> Value:
        return member(x, st)

    def remembered_in(x: Value, _st: Value) -> Value:
        return lib.remembered(seen, x, test)

    return remembered_in


def _norms(nodes: tuple[syntax.Expr, ...], codes: list[Code]) -> list[Fn1 | None] | None:
    """For fuse, what ``Compiler.stored`` does to each part's value: lib.normalize where it
    may be a lazy set, else nothing (None); None in all where a part is a constant lazy set
    (``stored`` keeps it normalised, fuse would write the constant as it is)."""
    if any(c.const and isinstance(c.value, LazySet) for c in codes):
        return None
    return [lib.normalize if may_be_lazy(x) and not c.const else None for x, c in zip(nodes, codes)]


# What makes an operator worth memoising: its body iterates over a set, or builds a set of
# functions or records (braf's Array(T, len) == [elems: [1..len -> T]], in its properties).
_LOOPS = (
    syntax.Quant,
    syntax.SetFilter,
    syntax.SetMap,
    syntax.Choose,
    syntax.FnCons,
    syntax.FnSet,
    syntax.RecordSet,
)


def _loops(node: Any) -> bool:
    """Whether an operator's own body (not the operators it calls) iterates over a set or builds one
    of functions or records."""
    if isinstance(node, _LOOPS):
        return True
    if isinstance(node, syntax.Expr | syntax.Bound | syntax.CaseArm | syntax.ExceptUpdate | syntax.ExceptIndex):
        for f in dataclasses.fields(node):
            v = getattr(node, f.name)
            if isinstance(v, tuple):
                if any(_loops(x) for x in v if not isinstance(x, str)):
                    return True
            elif _loops(v):
                return True
    return False


def _loops_through(body: syntax.Expr, scope: Scope) -> bool:
    """Whether an operator's body iterates over a set, itself or through the operators it
    calls (ClientCentric's ``SnapshotIsolation(s, T) == satisfyIsolationLevel(s, T, CT_SI)``
    loops in the operator it calls): then a memo of its value is worth its lookup."""
    seen: set[int] = set()
    todo: list[tuple[syntax.Expr, Scope | None]] = [(body, scope)]
    while todo:
        node, sc = todo.pop()
        if _loops(node):
            return True
        for n in syntax.walk(node):
            if not isinstance(n, syntax.Name | syntax.OpApp) or sc is None:
                continue
            b = sc.lookup(n.name)
            if isinstance(b, OpB) and id(b) not in seen:
                seen.add(id(b))
                todo.append((b.body, b.scope))
    return False


def _primes_nothing(body: syntax.Expr, scope: Scope) -> bool:
    """Whether no priming form (', UNCHANGED, ENABLED, [A]_v, <<A>>_v) occurs in ``body`` nor in
    the definitions it uses (LET definitions are part of the body; a name reached through an
    instance, or bound to an argument's text, is taken to prime)."""
    seen: set[int] = set()
    todo: list[tuple[syntax.Expr, Scope | None]] = [(body, scope)]
    while todo:
        node, sc = todo.pop()
        for n in syntax.walk(node):
            if isinstance(n, syntax.Qualified | syntax.BoxAction | syntax.AngleAction):
                return False
            if not isinstance(n, syntax.Name | syntax.OpApp):
                continue
            if isinstance(n, syntax.OpApp) and n.name in _PRIMING:
                return False
            b = sc.lookup(n.name) if sc is not None else None
            if isinstance(b, NameB | MappedVarB | InstanceB):
                return False
            if isinstance(b, OpB | FnDefB) and id(b) not in seen:
                seen.add(id(b))
                todo.append((b.body, b.scope) if isinstance(b, OpB) else (b.node.body, b.scope))
    return True


def _draws_once(body: syntax.Expr, scope: Scope | None) -> bool:
    """Whether a 0-ary definition calls RandomElement and reads no variable (also through
    the definitions it uses): a constant that TLC computes once, before the search."""
    draws = False
    seen: set[int] = set()
    todo: list[tuple[syntax.Expr, Scope | None]] = [(body, scope)]
    while todo:
        node, sc = todo.pop()
        for n in syntax.walk(node):
            if isinstance(n, syntax.OpApp) and n.name == "'":
                return False
            if not isinstance(n, syntax.Name | syntax.OpApp):
                continue
            if n.name == "RandomElement":
                draws = True
            b = sc.lookup(n.name) if sc is not None else None
            if isinstance(b, VarB):
                return False
            if isinstance(b, OpB) and id(b) not in seen:
                seen.add(id(b))
                todo.append((b.body, b.scope))
    return draws


def _mentions(node: Any, name: str) -> bool:
    """Whether ``name`` occurs as a name in the tree ``node`` (a syntactic check)."""
    if isinstance(node, syntax.Name):
        return node.name == name
    if isinstance(node, syntax.OpApp) and node.name == name:
        return True
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            v = getattr(node, f.name)
            if isinstance(v, tuple):
                if any(_mentions(x, name) for x in v if not isinstance(x, str)):
                    return True
            elif not isinstance(v, str) and _mentions(v, name):
                return True
    return False


_PRIMING = frozenset({"'", "UNCHANGED", "ENABLED"})
_REENTRY_LIMIT = 8  # an operator inlined inside itself this many times is recursive (E211)

_UNKNOWN = BuiltinB("<unknown>")
# An operator parameter (F in Map(F(_), s)): taken not to prime its arguments (a shortcut: an
# operator passed to it that primes its own parameter is not seen by param_primed).
_OPERATOR_PARAM = BuiltinB("<operator parameter>")


def _params_scope(op: OpB) -> Scope:
    assert op.scope is not None
    return op.scope.child({p.name: _OPERATOR_PARAM for p in op.params if p.arity > 0})


def _identifier(name: str) -> bool:
    return name[:1].isalpha() or name[:1] == "_"


def _find_label(node: Any, name: str) -> syntax.Label | None:
    """The label ``name`` in ``node``, not inside another label (labels nest)."""
    if isinstance(node, syntax.Label):
        return node if node.name == name else None
    if isinstance(node, str) or not dataclasses.is_dataclass(node) or isinstance(node, type):
        return None
    for f in dataclasses.fields(node):
        v = getattr(node, f.name)
        for x in v if isinstance(v, tuple) else (v,):
            found = _find_label(x, name)
            if found is not None:
                return found
    return None


def _untupled(d: syntax.FnDef) -> syntax.FnDef:
    """``f[<<x, y>> \\in S] == e`` as ``f[p \\in S] == LET x == p[1]  y == p[2] IN e``: the
    same function (its domain is S), with the names of the pattern defined from the point."""
    if not any(bd.tuple_pattern for bd in d.bounds):
        return d
    bounds: list[syntax.Bound] = []
    defs: list[syntax.Unit] = []
    for i, bd in enumerate(d.bounds):
        if not bd.tuple_pattern:
            bounds.append(bd)
            continue
        point = f" point{i}"  # not a TLA+ name: it cannot clash with the spec's
        bounds.append(syntax.Bound((point,), bd.domain, span=bd.span))
        for j, name in enumerate(bd.names):
            part = syntax.FnApp(syntax.Name(point, span=bd.span), (syntax.Num(j + 1, span=bd.span),), span=bd.span)
            defs.append(syntax.OpDef(name, (), part, span=bd.span))
    body = syntax.Let(tuple(defs), d.body, span=d.body.span)
    return dataclasses.replace(d, bounds=tuple(bounds), body=body)


def _plain(v: Value) -> bool:
    t = type(v)
    return t is int or t is str or t is bool or t is ModelValue


def _junction_errors(conj: bool, spans: list[Where]) -> list[Callable[[Value], Value]]:
    what = "A conjunct" if conj else "A disjunct"
    return [_raiser(f"{what} is not a boolean: ", sp) for sp in spans]




def _slot_reader(k: int) -> Fn1:
    return lambda e: e[k]
