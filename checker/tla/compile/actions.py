"""Actions (Init, Next, action properties) compiled to successor enumerators.

Actions use static continuation passing: ``action(comp, node, k, ctx)`` returns a
runner that calls ``k(e)`` once for every way the action can succeed, having
assigned primed variables in ``e[1]``; it undoes its assignments on the way back,
so branches never copy the next state. Conjunctions chain runners, disjunctions
and ``\\E`` call the same continuation several times, ``x' = e`` assigns when
``x'`` is unset and compares otherwise. Init is an action over unprimed
variables (the same machinery, with variables read from ``e[1]``).

Functions here take the :class:`Compiler` as their first argument.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from checker.errors import SpecError
from checker.tla import stdlib as lib
from checker.tla import syntax
from checker.tla.compile import binders
from checker.tla.compile.code import (
    LABEL,
    NEXT,
    STATE,
    UNSET,
    Code,
    CodeB,
    Compiling,
    Ctx,
    Fn1,
    FnDefB,
    Frame,
    InstanceB,
    LazyB,
    Loc,
    NameB,
    OpB,
    Runner,
    Scope,
    SlotB,
    VarB,
    _as_bool,
    _assign,
    _elements,
    _field_selector,
    _field_test,
    _flatten,
    _in_order,
    _let_slots,
    _plain_span,
    _presorted,
    located,
)
from checker.tla.stdlib import EvalError, LazySet
from checker.values import Value

# The compiler as these functions see it: a protocol, not compiler.py (which imports this module).
Compiler = Compiling


# -- UNCHANGED ------------------------------------------------------------


def unchanged_vars(comp: Compiler, node: syntax.Expr, ctx: Ctx) -> list[VarB] | None:
    """The variables of ``UNCHANGED e`` when e is a variable or a tuple of them (through definitions)."""
    if isinstance(node, syntax.Name):
        b = ctx.scope.lookup(node.name)
        if isinstance(b, VarB):
            return [b]
        if isinstance(b, LazyB) and b.source is not None:
            b = b.source  # LET vs == <<x, y>> IN UNCHANGED vs
        if isinstance(b, NameB):
            nb = b
            return comp.in_caller(nb, ctx, lambda inner: unchanged_vars(comp, nb.expr, inner))
        if isinstance(b, OpB) and not b.params and b.scope is not None:
            return unchanged_vars(comp, b.body, Ctx(b.scope, ctx.depth))
        return None
    if isinstance(node, syntax.Tuple):
        out: list[VarB] = []
        for x in node.elems:
            vs = unchanged_vars(comp, x, ctx)
            if vs is None:
                return None
            out += vs
        return out
    return None


def unchanged_action(comp: Compiler, node: syntax.Expr, k: Runner, ctx: Ctx, span: Loc) -> Runner:
    """``UNCHANGED e`` as an action, as TLC's processUnchanged: a tuple is the conjunction of
    its elements' UNCHANGED (so ``UNCHANGED <<x, d>>`` assigns x even where d is an
    INSTANCE substitution ``d <- a + b``), a variable is assigned its value, a name goes
    through its definition, and any other expression e is the predicate ``e' = e``. Inside
    ENABLED, an instance's variable substituted by an expression is a variable of its own
    (``MappedVarB``): it is assigned its substitute's value."""
    if isinstance(node, syntax.Name) and comp.enabling and not ctx.primed:
        m = ctx.scope.mapped(node.name)
        if m is not None:
            now = comp.expr(node, dataclasses.replace(ctx, init=False))
            return _assign_runner(comp, VarB(m.index, m.name), now, k=k, span=span)
    vs = unchanged_vars(comp, node, ctx)
    if vs is not None:
        run = k
        for v in reversed(vs):
            run = _assign_runner(comp, v, Code(_reader(v.index)), k=run, span=span)
        return run
    if isinstance(node, syntax.Tuple):
        run = k
        for x in reversed(node.elems):
            run = unchanged_action(comp, x, run, ctx, span)
        return run
    if isinstance(node, syntax.Name):
        b = ctx.scope.lookup(node.name)
        if isinstance(b, LazyB) and b.source is not None:
            b = b.source
        if isinstance(b, NameB):
            nb = b
            return comp.in_caller(nb, ctx, lambda inner: unchanged_action(comp, nb.expr, k, inner, span))
        if isinstance(b, OpB) and not b.params and b.scope is not None:
            return unchanged_action(comp, b.body, k, Ctx(b.scope, ctx.depth), span)
    same = comp.fused(unchanged_pred(comp, node, ctx))

    def unchanged(e: Frame) -> None:
        if same(e):
            k(e)

    return unchanged


def unchanged_pred(comp: Compiler, node: syntax.Expr, ctx: Ctx) -> Code:
    """``e' = e`` as a predicate (no assignment)."""
    now = comp.expr(node, dataclasses.replace(ctx, primed=False, init=False))
    nxt = comp.expr(node, dataclasses.replace(ctx, primed=True))
    nf, xf = now.fn, nxt.fn
    return Code(lambda e: lib.equal(xf(e), nf(e)))


# -- actions --------------------------------------------------------------


def action(comp: Compiler, node: syntax.Expr, k: Runner, ctx: Ctx, split: bool = False) -> Runner:
    """A runner that calls ``k`` once per way ``node`` holds, with primed variables assigned.
    An action that names successors (``split``: Next and its disjuncts, entered with no
    variable assigned) is written out as one generated function where it can be
    (``checker.tla.compile.whole``)."""
    if split:
        run = comp.whole_action(node, k, ctx)
        if run is not None:
            return run
    t = type(node)
    span = comp.where(node.span)
    if t is syntax.Label:
        assert isinstance(node, syntax.Label)
        return action(comp, node.body, k, ctx, split)
    if t is syntax.Junction or (t is syntax.OpApp and node.name in ("/\\", "\\/")):  # type: ignore[attr-defined]
        op = node.op if t is syntax.Junction else node.name  # type: ignore[attr-defined]
        items = node.items if t is syntax.Junction else node.args  # type: ignore[attr-defined]
        if op == "/\\":
            return action(comp, items[0], _conjuncts_after(comp, items[1:], k, ctx), ctx)
        branches = [action(comp, item, k, ctx, split) for item in items]
        return _pc_dispatch(comp, items, branches, ctx) or _disjunction(branches)
    if t is syntax.OpApp:
        assert isinstance(node, syntax.OpApp)
        name, args = node.name, node.args
        b = ctx.scope.lookup(name)
        if isinstance(b, OpB) and len(b.params) == len(args) and not b.recursive:
            return action_call(comp, b, args, k, span, ctx, split)
        if b is None:
            if name == "=" and _assignable(comp, args[0], ctx):
                return assign_eq(comp, args[0], args[1], k, span, ctx)
            if name == "\\in" and _assignable(comp, args[0], ctx):
                return assign_in(comp, args[0], args[1], k, span, ctx)
            if name == "UNCHANGED":
                return unchanged_action(comp, args[0], k, ctx, span)
            if name == "'" and len(args) == 1:
                return action(comp, args[0], k, dataclasses.replace(ctx, primed=True), split)
            if name == "=>":
                # As TLC's getNextStates: a false left side passes; a true one makes the
                # right side an action (its \E and \/ branch, one successor per way).
                cond = comp.expr(args[0], ctx).fn
                then = action(comp, args[1], k, ctx)
                cspan = comp.where(args[0].span)

                def implies(e: Frame) -> None:
                    if _as_bool(cond(e), cspan):
                        then(e)
                    else:
                        k(e)

                return implies
    if t is syntax.Name:
        assert isinstance(node, syntax.Name)
        b = ctx.scope.lookup(node.name)
        if isinstance(b, OpB) and not b.params and not b.recursive:
            return action_call(comp, b, (), k, span, ctx, split)
        if isinstance(b, NameB):
            # An argument passed by name is an action where its parameter stands as one.
            nb = b
            return comp.in_caller(nb, ctx, lambda inner: action(comp, nb.expr, k, inner, split))
    if t is syntax.Qualified:
        assert isinstance(node, syntax.Qualified)
        return action_qualified(comp, node, k, ctx, split)
    if t is syntax.FnApp:
        assert isinstance(node, syntax.FnApp)
        lazy = _lazy_function(comp, node, ctx)
        if lazy is not None:
            return action_fn_app(comp, node, lazy, k, ctx, split)
    if t is syntax.Quant and node.kind == "\\E":  # type: ignore[attr-defined]
        assert isinstance(node, syntax.Quant)
        return action_exists(comp, node, k, ctx, split)
    if t is syntax.Quant and node.kind == "\\A":  # type: ignore[attr-defined]
        assert isinstance(node, syntax.Quant)
        return action_forall(comp, node, k, ctx)
    if t is syntax.If:
        assert isinstance(node, syntax.If)
        cc = comp.expr(node.cond, ctx)
        c = cc.fn
        a = action(comp, node.then, k, ctx, split)
        b2 = action(comp, node.else_, k, ctx, split)
        cspan = comp.where(node.cond.span)
        if cc.const and type(cc.value) is bool:
            return a if cc.value else b2  # a constant condition (both sides are compiled, for errors)

        def ite(e: Frame) -> None:
            if _as_bool(c(e), cspan):
                a(e)
            else:
                b2(e)

        return ite
    if t is syntax.Case:
        assert isinstance(node, syntax.Case)
        arms = [(comp.expr(a.guard, ctx).fn, action(comp, a.body, k, ctx, split)) for a in node.arms]
        other = action(comp, node.other, k, ctx, split) if node.other is not None else None

        def case(e: Frame) -> None:
            for g, run in arms:
                if _as_bool(g(e), span):
                    run(e)
                    return
            if other is not None:
                other(e)
                return
            raise located(EvalError("Attempted to evaluate a CASE with no arm true and no OTHER."), span)

        return case
    if t is syntax.Let:
        assert isinstance(node, syntax.Let)
        inner = comp.let_ctx(node.defs, ctx)
        body = action(comp, node.body, k, inner, split)
        slots = _let_slots(inner)
        if not slots:
            return body

        def let(e: Frame) -> None:
            for s in slots:
                e[s] = UNSET
            body(e)

        return let
    if t is syntax.BoxAction:
        assert isinstance(node, syntax.BoxAction)
        stutter = syntax.OpApp("UNCHANGED", (node.sub,), span=node.sub.span)
        return _disjunction([action(comp, node.action, k, ctx, split), action(comp, stutter, k, ctx)])
    if t is syntax.AngleAction:
        assert isinstance(node, syntax.AngleAction)
        changed = unchanged_pred(comp, node.sub, ctx).fn
        sub_span = node.sub.span

        def then_changed(e: Frame) -> None:
            if not changed(e):
                k(e)

        _ = sub_span
        return action(comp, node.action, then_changed, ctx, split)
    # Anything else is a predicate: a guard over the state (and assigned primed variables).
    return _guard(comp, node, k, ctx, span)


def _guard(comp: Compiler, node: syntax.Expr, k: Runner, ctx: Ctx, span: Loc) -> Runner:
    """``node`` evaluated as a boolean: ``k`` runs once if it is TRUE."""
    pred = comp.fused(comp.expr(node, ctx))

    def guard(e: Frame) -> None:
        v = pred(e)
        if v is True:
            k(e)
        elif v is not False:
            raise located(EvalError(f"An action's conjunct is not a boolean: {lib.show(v)}."), span)

    return guard


def _conjuncts_after(
    comp: Compiler, items: tuple[syntax.Expr, ...] | list[syntax.Expr], k: Runner, ctx: Ctx
) -> Runner:
    """The runner of the conjuncts that follow the first one of a conjunction, then ``k``.

    TLC's rule (``Tool.getNextStates``/``getInitStates``, the "all assigned" case): when a
    conjunct is reached with every variable of the next (or initial) state already assigned,
    it and the conjuncts after it are evaluated as booleans, not enumerated as actions, so a
    disjunction or an ``\\E`` there no longer yields one copy of the state per way it holds.
    That changes TLC's count of generated states (VotingInductive's Init, TypeOK /\\ IndInv,
    whose implications hold an ``\\E`` and a disjunction: 14,948 generated, not 24,780).
    """
    run = k
    for item in reversed(items):
        run = conjunct(comp, item, run, ctx)
    return run


def conjunct(comp: Compiler, node: syntax.Expr, k: Runner, ctx: Ctx) -> Runner:
    """A conjunct after the first: an action while some variable is unassigned, else a
    predicate (see ``_conjuncts_after``)."""
    as_action = action(comp, node, k, ctx)
    as_predicate = _guard(comp, node, k, ctx, comp.where(node.span))

    def conjunct(e: Frame) -> None:
        if UNSET in e[NEXT]:
            as_action(e)
        else:
            as_predicate(e)

    return conjunct


def _assignable(comp: Compiler, lhs: syntax.Expr, ctx: Ctx) -> bool:
    """``x'`` (or, in Init, ``x``) for a state variable x, also through arguments passed by name."""
    return _target_of(comp, lhs, ctx) is not None


def _target_of(comp: Compiler, lhs: syntax.Expr, ctx: Ctx) -> VarB | None:
    """The variable that ``lhs`` assigns, if it is ``x'`` (or ``x`` in Init or inside a prime),
    where x is a variable or a parameter whose argument, passed by name, is one (or, inside
    ENABLED, an instance's variable substituted by an expression: ``MappedVarB``)."""
    scope, primed = ctx.scope, ctx.primed
    while True:
        if isinstance(lhs, syntax.OpApp) and lhs.name == "'" and len(lhs.args) == 1 and not primed:
            lhs, primed = lhs.args[0], True
            continue
        if not isinstance(lhs, syntax.Name):
            return None
        if primed and comp.enabling:
            m = scope.mapped(lhs.name)
            if m is not None:
                return VarB(m.index, m.name)
        b = scope.lookup(lhs.name)
        if isinstance(b, NameB):
            lhs, scope = b.expr, b.scope
            continue
        if isinstance(b, OpB) and not b.params and b.scope is not None and isinstance(b.body, syntax.Name):
            lhs, scope = b.body, b.scope  # A == a: A' = e assigns a, as in TLC
            continue
        if isinstance(b, VarB) and (primed or ctx.init):
            return b
        return None


def _target(comp: Compiler, lhs: syntax.Expr, ctx: Ctx) -> VarB:
    b = _target_of(comp, lhs, ctx)
    assert b is not None
    return b


def assign_eq(comp: Compiler, lhs: syntax.Expr, rhs: syntax.Expr, k: Runner, span: Loc, ctx: Ctx) -> Runner:
    return _assign_runner(comp, _target(comp, lhs, ctx), comp.expr(rhs, ctx), k, span)


def _assign_runner(comp: Compiler, var: VarB, val: Code, k: Runner, span: Loc) -> Runner:
    i = var.index
    vf = comp.fused(val)

    def assign(e: Frame) -> None:
        nxt = e[NEXT]
        old = nxt[i]
        v = vf(e)
        if old is UNSET:
            if isinstance(v, LazySet):
                v = _normalize_at(v, span)
            nxt[i] = v
            k(e)
            nxt[i] = UNSET
        elif type(old) is type(v) and not isinstance(v, LazySet):
            if old == v:
                k(e)
        else:
            try:
                same = lib.equal(old, v)
            except Exception as exc:
                raise located(exc, span) from None
            if same:
                k(e)

    return assign


def assign_in(comp: Compiler, lhs: syntax.Expr, rhs: syntax.Expr, k: Runner, span: Loc, ctx: Ctx) -> Runner:
    var = _target(comp, lhs, ctx)
    i = var.index
    s = comp.expr(rhs, ctx)
    if s.const:
        s = _presorted(s)
    sf = s.fn

    def assign_in(e: Frame) -> None:
        nxt = e[NEXT]
        old = nxt[i]
        st = sf(e)
        if old is UNSET:
            for v in _in_order(st, span):
                nxt[i] = v
                k(e)
            nxt[i] = UNSET
        else:
            try:
                ok = (old in st) if type(st) is frozenset else lib.is_in(old, _unlist(st))
            except Exception as exc:
                raise located(exc, span) from None
            if ok:
                k(e)

    return assign_in


def action_call(
    comp: Compiler, op: OpB, args: tuple[syntax.Expr, ...], k: Runner, span: Loc, ctx: Ctx, split: bool
) -> Runner:
    if any(o is op for o in comp.call_stack):
        raise comp.error("E211", f"operator '{op.name}' is defined in terms of itself", span)
    names, lazies, body_depth = comp.bind_params(op, args, ctx)
    assert op.scope is not None
    inner = Ctx(op.scope.child(names), body_depth, ctx.primed, ctx.init, ctx.at_slot)
    comp.call_stack.append(op)
    comp.call_sites.append((op.name, _plain_span(span)))
    try:
        body = action(comp, op.body, k, inner, split)
    finally:
        comp.call_stack.pop()
        comp.call_sites.pop()
    ks = [kk for kk, _ in lazies]
    opname = op.name
    if split:
        # This operator names the action: its label carries the values of its arguments.
        # The label is made only when a successor is found (most bindings fail a guard), from
        # the arguments evaluated then, in slots above everything live (they are still bound).
        label_ctx = dataclasses.replace(ctx, depth=comp.max_slot + 1)
        shown = tuple(comp.expr(a, label_ctx).fn for p, a in zip(op.params, args) if p.arity == 0)
        comp._use(label_ctx.depth)
        maker = (opname, shown)

        def labelled(e: Frame) -> None:
            for kk in ks:
                e[kk] = UNSET
            old = e[LABEL]
            e[LABEL] = maker
            body(e)
            e[LABEL] = old

        return labelled

    if not ks:
        return body

    def called(e: Frame) -> None:
        for kk in ks:
            e[kk] = UNSET
        body(e)

    return called


LazyFn = tuple[str, tuple[syntax.Bound, ...], syntax.Expr, Scope]


def _lazy_function(comp: Compiler, node: syntax.FnApp, ctx: Ctx) -> LazyFn | None:
    """The function of ``f[a]`` when TLC keeps it lazy, so that in an action TLC's
    getNextStates enumerates its body (one successor per ``\\/`` and ``\\E`` branch):
    ``[x \\in S |-> e][a]``, a function defined in a LET, or a definition that reads the
    state. A constant definition of the module is a value (TLC computes it before the
    search): None, as for anything else, and ``f[a]`` is a predicate."""
    fn = node.fn
    found: LazyFn | None = None
    if isinstance(fn, syntax.FnCons):
        found = ("function", fn.bounds, fn.body, ctx.scope)
    elif isinstance(fn, syntax.Name):
        b = ctx.scope.lookup(fn.name)
        let_fn = comp.let_fns.get(id(b))
        if let_fn is not None and let_fn[0] is b:
            found = let_fn[1]
        elif isinstance(b, FnDefB | OpB) and not comp.expr(fn, ctx).const:
            if isinstance(b, FnDefB) and b.scope is not None:
                found = (b.node.name, b.node.bounds, b.node.body, b.scope)
            elif isinstance(b, OpB) and not b.params and not b.recursive and b.scope is not None:
                body = b.body
                while isinstance(body, syntax.Label):
                    body = body.body
                if isinstance(body, syntax.FnCons):
                    found = (b.name, body.bounds, body.body, b.scope)
    if found is None:
        return None
    name, bounds, body, _ = found
    names = [n for bd in bounds for n in bd.names]
    simple = not any(bd.tuple_pattern for bd in bounds) and len(names) == len(node.args)
    recursive = any(isinstance(n, syntax.Name | syntax.OpApp) and n.name == name for n in syntax.walk(body))
    if simple and (not recursive or _branches(body)):
        return found  # (a recursive one without branches is a predicate: the same successors)
    if _branches(body):
        raise comp.error(
            "E299",
            "a function of a tuple pattern or tuple argument applied in an action, whose body has "
            "\\/ or \\E branches, is not supported (TLC enumerates the branches: its count of "
            "generated states would differ)",
            node.span,
        )
    return None  # no branch: as a predicate it gives the same successors


def _branches(node: syntax.Expr) -> bool:
    """Whether a disjunction or an existential occurs in ``node`` (a syntactic check)."""
    for n in syntax.walk(node):
        if isinstance(n, syntax.Junction) and n.op == "\\/":
            return True
        if isinstance(n, syntax.OpApp) and n.name == "\\/":
            return True
        if isinstance(n, syntax.Quant) and n.kind == "\\E":
            return True
    return False


@dataclasses.dataclass
class _FnAction:
    """A recursive function's body compiled once as an action, for the applications inside it
    (``SA[c]`` in VoteProof's ``SA[bb \\in Ballot] == \\/ bb = 0 \\/ \\E ... SA[c] ...``).
    Every application binds the same slots ``slots``..``top``: a recursive one saves them, and
    the body, once it holds, hands on to the continuation on top of ``pending`` (the rest of
    the body around that application, or the first caller's continuation)."""

    slots: list[int]
    doms: list[Fn1]
    body: Runner | None = None
    top: int = 0
    pending: list[Runner] = dataclasses.field(default_factory=list)

    def done(self, e: Frame) -> None:
        resume = self.pending.pop()
        try:
            resume(e)
        finally:
            self.pending.append(resume)


def _apply_fn_action(
    comp: Compiler, fa: _FnAction, name: str, args: list[Fn1], k: Runner, span: Loc
) -> Runner:
    """An application of a recursive function inside its own body: bind its slots (saving
    the caller's), run the body, and continue with ``k`` in the caller's slots."""

    def apply(e: Frame) -> None:
        values = [a(e) for a in args]
        _check_domain(values, fa.doms, e, name, span)
        lo, hi = fa.slots[0], fa.top
        outer = e[lo:hi]

        def resume(e2: Frame) -> None:
            inner = e[lo:hi]
            e[lo:hi] = outer
            try:
                k(e)
            finally:
                e[lo:hi] = inner

        for s, v in zip(fa.slots, values):
            e[s] = v
        fa.pending.append(resume)
        try:
            assert fa.body is not None
            fa.body(e)
        finally:
            fa.pending.pop()
            e[lo:hi] = outer

    return apply


def _check_domain(values: list[Value], doms: list[Fn1], e: Frame, name: str, span: Loc) -> None:
    for v, dom in zip(values, doms):
        if not lib.is_in(v, _unlist(dom(e))):
            raise located(
                EvalError(f"Attempted to apply function {name} to argument {lib.show(v)}, which is not in its domain."),
                span,
            )


def action_fn_app(
    comp: Compiler, node: syntax.FnApp, lazy: LazyFn, k: Runner, ctx: Ctx, split: bool
) -> Runner:
    """``f[a]`` in an action, f lazy: its body as an action with its bound names bound to the
    arguments (checked to be in the domain), as TLC's getNextStates does; a recursive
    application inside the body runs the same body again (``_FnAction``)."""
    name, bounds, body_node, scope = lazy
    args = [comp.expr(a, ctx).fn for a in node.args]
    span = comp.where(node.span)
    active = comp.fn_actions.get(id(body_node))
    if active is not None:
        return _apply_fn_action(comp, active, name, args, k, span)
    if any(isinstance(n, syntax.Name | syntax.OpApp) and n.name == name for n in syntax.walk(body_node)):
        return _recursive_fn_app(comp, lazy, args, k, ctx, split, span)
    slots, doms, inner = _fn_body_context(comp, bounds, scope, ctx)
    body = action(comp, body_node, k, inner, split)

    def fn_app(e: Frame) -> None:
        values = [a(e) for a in args]
        _check_domain(values, doms, e, name, span)
        for s, v in zip(slots, values):
            e[s] = v
        body(e)

    return fn_app


def _fn_body_context(
    comp: Compiler, bounds: tuple[syntax.Bound, ...], scope: Scope, ctx: Ctx
) -> tuple[list[int], list[Fn1], Ctx]:
    """Where a function's body runs as an action: a slot per bound name (above every slot
    the continuation may use, as in action_exists), the domains' code, and the body's Ctx."""
    depth = max(ctx.depth, comp.max_slot + 1)
    names = [n for bd in bounds for n in bd.names]
    slots = list(range(depth, depth + len(names)))
    comp._use(depth + len(names))
    dctx = Ctx(scope, depth + len(names), ctx.primed, ctx.init, ctx.at_slot)
    doms = [comp.expr(bd.domain, dctx).fn for bd in bounds for _ in bd.names]
    inner = Ctx(
        scope.child({n: SlotB(s) for n, s in zip(names, slots)}),
        depth + len(names),
        ctx.primed,
        ctx.init,
        ctx.at_slot,
    )
    return slots, doms, inner


def _recursive_fn_app(
    comp: Compiler, lazy: LazyFn, args: list[Fn1], k: Runner, ctx: Ctx, split: bool, span: Loc
) -> Runner:
    """The outermost application of a recursive function in an action: its body compiled once
    (the applications inside it call it again), ending in the continuation on top of the stack."""
    name, bounds, body_node, scope = lazy
    slots, doms, inner = _fn_body_context(comp, bounds, scope, ctx)
    fa = _FnAction(slots, doms)
    comp.fn_actions[id(body_node)] = fa
    try:
        fa.body = action(comp, body_node, fa.done, inner, split)
    finally:
        del comp.fn_actions[id(body_node)]
    fa.top = comp.max_slot + 1
    return _apply_fn_action(comp, fa, name, args, k, span)


def action_qualified(comp: Compiler, node: syntax.Qualified, k: Runner, ctx: Ctx, split: bool) -> Runner:
    sub = comp.subexpression(node, ctx)
    if sub is not None:
        return action(comp, sub[0], k, sub[1], split)
    scope = ctx.scope
    for step in node.path:
        b = scope.lookup(step.name)
        if not isinstance(b, InstanceB):
            raise comp.error("E204", f"'{step.name}' is not a module instance", node.span)
        scope = b.build(tuple(comp.expr(a, ctx) for a in step.args))
    target = scope.lookup(node.name)
    if isinstance(target, OpB) and len(target.params) == len(node.args):
        return action_call(comp, target, node.args, k, node.span, ctx, split)
    pred = comp.qualified(node, ctx).fn
    span = comp.where(node.span)

    def guard(e: Frame) -> None:
        if _as_bool(pred(e), span):
            k(e)

    return guard


def action_forall(comp: Compiler, node: syntax.Quant, k: Runner, ctx: Ctx) -> Runner:
    """``\\A x \\in S : A`` in an action is, as in TLC, the conjunction of A(x) over the
    elements of S, each an action: a disjunction or an ``\\E`` inside A branches (so TLC
    counts a successor once per way, as for any conjunct), and A may assign primed variables.

    The body is compiled once; at run time it is entered for the first element with a
    continuation that moves on to the next one (its place kept in a frame slot), and the
    last one's continuation is ``k``. Bindings are put back as each branch returns.
    """
    ctx = dataclasses.replace(ctx, depth=max(ctx.depth, comp.max_slot + 1))
    at = ctx.depth
    comp._use(at + 1)
    binds, inner = binders.bounds(comp, node.bounds, dataclasses.replace(ctx, depth=at + 1))
    span = comp.where(node.span)
    order = list(reversed(binds))  # TLC varies the first bound fastest, as for \E

    def assign_all(e: Frame, point: tuple[Value, ...]) -> None:
        for (_, slots, tup), v in zip(order, point):
            _assign(e, slots, tup, v, span)

    def next_element(e: Frame) -> None:
        points, i = e[at]
        if i + 1 == len(points):
            k(e)
            return
        e[at] = (points, i + 1)
        assign_all(e, points[i + 1])
        if UNSET in e[NEXT]:
            body(e)
        else:  # every variable is assigned: the other elements are evaluated (see conjunct)
            rest(e)
        e[at] = (points, i)
        assign_all(e, points[i])

    body = action(comp, node.body, next_element, inner)
    rest = _guard(comp, node.body, next_element, inner, span)

    def forall(e: Frame) -> None:
        points: list[tuple[Value, ...]] = [()]
        for dom, _, _ in order:
            values = list(_in_order(dom.fn(e), span))
            points = [(*p, v) for p in points for v in values]
        if not points:
            k(e)
            return
        saved = e[at]
        e[at] = (points, 0)
        assign_all(e, points[0])
        body(e)
        e[at] = saved

    ways = _ways(comp, node.body, inner)
    if ways is not None and len(order) == 1 and not order[0][2]:
        dom0, slot = order[0][0].fn, order[0][1][0]
        rt = comp.runtime

        def forall_counted(e: Frame) -> None:
            # With effects (Print, TLCSet, ...) the elements are entered one by one, as TLC does.
            if UNSET not in e[NEXT] or rt.effects:
                forall(e)
                return
            n = 1
            try:
                for v in _in_order(dom0(e), span):
                    e[slot] = v
                    n *= ways(e)
                    if not n:
                        return
            except Exception:
                # Counting evaluates what entering the elements one by one evaluates, in
                # another order: where it raises, that is done, so the error is the one TLC
                # meets first (the successors made meanwhile are dropped with the error).
                forall(e)
                raise
            for _ in range(n):
                k(e)

        return forall_counted

    return forall


Ways = Callable[[Frame], int]


def _label_test(comp: Compiler, item: syntax.Expr, ctx: Ctx) -> tuple[int, str, str, syntax.Expr, Ctx] | None:
    """``(x, a, "l", v[a], where)`` when the disjunct ``item`` (or the operator it calls with
    ``a`` as an argument) begins with the conjunct ``v[a] = "l"`` for a variable ``v`` of
    index x: PlusCal's ``e1(self) == /\\ pc[self] = "e1" /\\ ...``."""
    while isinstance(item, syntax.Label):
        item = item.body
    gctx, body, rename, op = ctx, item, None, None
    if isinstance(item, syntax.OpApp | syntax.Name):
        b = ctx.scope.lookup(item.name)
        args: tuple[syntax.Expr, ...] = item.args if isinstance(item, syntax.OpApp) else ()
        if not isinstance(b, OpB):
            return None
        if (
            b.recursive
            or b.scope is None
            or len(b.params) != len(args)
            or any(p.arity for p in b.params)
            or any(not isinstance(a, syntax.Name) for a in args)
            or any(o is b for o in comp.call_stack)
        ):
            return None
        rename = {p.name: a.name for p, a in zip(b.params, args) if isinstance(a, syntax.Name)}
        body, op = b.body, b
    first = _flatten("/\\", (body,))[0]
    if not (isinstance(first, syntax.OpApp) and first.name == "=" and len(first.args) == 2):
        return None
    lhs, rhs = first.args
    if not (
        isinstance(rhs, syntax.Str)
        and isinstance(lhs, syntax.FnApp)
        and isinstance(lhs.fn, syntax.Name)
        and len(lhs.args) == 1
        and isinstance(lhs.args[0], syntax.Name)
    ):
        return None
    scope = op.scope if op is not None and op.scope is not None else ctx.scope
    var = scope.lookup(lhs.fn.name)
    arg = lhs.args[0].name
    if not isinstance(var, VarB) or ctx.primed or ctx.init:
        return None
    if rename is not None:
        if arg not in rename:
            return None
        arg = rename[arg]
    elif not isinstance(ctx.scope.lookup(arg), SlotB | CodeB):
        return None
    if op is not None:
        assert isinstance(item, syntax.OpApp | syntax.Name)
        names, lazies, depth = comp.bind_params(op, item.args if isinstance(item, syntax.OpApp) else (), ctx)
        if lazies:
            return None
        assert op.scope is not None
        gctx = Ctx(op.scope.child(names), depth, ctx.primed, ctx.init, ctx.at_slot)
    return var.index, arg, rhs.value, lhs, gctx


def _pc_dispatch(
    comp: Compiler, items: tuple[syntax.Expr, ...] | list[syntax.Expr], branches: list[Runner], ctx: Ctx
) -> Runner | None:
    """A disjunction whose disjuncts begin with ``pc[self] = "label"`` (the same variable and
    name, different strings: PlusCal's ``p(self) == ncs(self) \\/ e1(self) \\/ ...``), as one
    read of ``pc[self]`` and a call of only the disjuncts of that label, in their order. The
    others would fail their first conjunct, comparing two strings, and give nothing. Where
    ``pc[self]`` is not a string or fails, every disjunct runs, as written."""
    if len(items) < 3:
        return None
    tests = [_label_test(comp, item, ctx) for item in items]
    found = [t for t in tests if t is not None]
    if len(found) < 3 or len({(t[0], t[1]) for t in found}) != 1:
        return None
    _, _, _, lhs, gctx = found[0]
    key = comp.fused(comp.expr(lhs, gctx))
    table: dict[str, list[Runner]] = {}
    for t in tests:
        if t is not None:
            table.setdefault(t[2], [])
    for t, run in zip(tests, branches):
        for label, runs in table.items():
            if t is None or t[2] == label:
                runs.append(run)
    others = [run for t, run in zip(tests, branches) if t is None]

    def dispatch(e: Frame) -> None:
        try:
            v = key(e)
        except Exception:
            v = None
        if type(v) is str:
            for run in table.get(v, others):
                run(e)
        else:
            for run in branches:
                run(e)

    return dispatch


def _ways(comp: Compiler, node: syntax.Expr, ctx: Ctx) -> Ways | None:
    """How many times ``action`` would call its continuation for ``node``, where ``node``
    assigns nothing and some variable is still unassigned (so every conjunct is an action):
    one or none for a guard, the product over a conjunction, the sum over a disjunction
    (every branch evaluated, as TLC does). None where ``node`` may assign or has a form not
    counted here. ``\\A v \\in Q : currentTerm[v] <= currentTerm[i] /\\ UpToDate(i, v)``
    (Raft's BecomeLeader, whose UpToDate is a disjunction) then needs no continuation per
    element: its elements' counts are multiplied, and the action goes on that many times."""
    while isinstance(node, syntax.Label):
        node = node.body
    t = type(node)
    span = comp.where(node.span)
    if t is syntax.Junction or (t is syntax.OpApp and node.name in ("/\\", "\\/")):  # type: ignore[attr-defined]
        op = node.op if t is syntax.Junction else node.name  # type: ignore[attr-defined]
        items = node.items if t is syntax.Junction else node.args  # type: ignore[attr-defined]
        parts = [_ways(comp, item, ctx) for item in items]
        if any(p is None for p in parts):
            return None
        fs = [p for p in parts if p is not None]
        if op == "\\/":
            return lambda e: sum(f(e) for f in fs)

        def product(e: Frame) -> int:
            n = 1
            for f in fs:
                n *= f(e)
                if not n:
                    return 0
            return n

        return product
    if t is syntax.OpApp or t is syntax.Name:
        name = node.name  # type: ignore[attr-defined]
        args: tuple[syntax.Expr, ...] = node.args if t is syntax.OpApp else ()  # type: ignore[attr-defined]
        b = ctx.scope.lookup(name)
        if isinstance(b, OpB) and len(b.params) == len(args) and not b.recursive:
            return _ways_call(comp, b, args, ctx, span)
        if t is syntax.OpApp and b is None and name == "=>":
            cond = comp.expr(args[0], ctx).fn
            then = _ways(comp, args[1], ctx)
            if then is None:
                return None
            cspan = comp.where(args[0].span)
            return lambda e: then(e) if _as_bool(cond(e), cspan) else 1
    if t is syntax.Quant and node.kind == "\\E":  # type: ignore[attr-defined]
        # \E x \in S : A, A assigning nothing: the sum of A's ways over the elements (Paxos'
        # Phase2a: \A a \in Q : \E m \in Q1b : m.acc = a); their order does not change a sum.
        assert isinstance(node, syntax.Quant)
        binds, inner = binders.bounds(comp, node.bounds, ctx)
        if len(binds) != 1 or binds[0][2]:
            return None
        each = _ways(comp, node.body, inner)
        if each is None:
            return None
        dom, slot = binds[0][0].fn, binds[0][1][0]

        def summed(e: Frame) -> int:
            n = 0
            for v in _elements(dom(e), span):
                e[slot] = v
                n += each(e)
            return n

        return summed
    if t is syntax.If:
        assert isinstance(node, syntax.If)
        c = comp.expr(node.cond, ctx).fn
        a, b2 = _ways(comp, node.then, ctx), _ways(comp, node.else_, ctx)
        if a is None or b2 is None:
            return None
        cspan = comp.where(node.cond.span)
        return lambda e: a(e) if _as_bool(c(e), cspan) else b2(e)
    if not _is_predicate(comp, node, ctx) or any(
        isinstance(n, syntax.OpApp) and n.name in ("'", "UNCHANGED") for n in syntax.walk(node)
    ):
        return None
    pred = comp.fused(comp.expr(node, ctx))

    def guard(e: Frame) -> int:
        v = pred(e)
        if v is True:
            return 1
        if v is False:
            return 0
        raise located(EvalError(f"An action's conjunct is not a boolean: {lib.show(v)}."), span)

    return guard


def _ways_call(comp: Compiler, op: OpB, args: tuple[syntax.Expr, ...], ctx: Ctx, span: Loc) -> Ways | None:
    """``_ways`` of an operator's body, inlined as ``action_call`` does."""
    if any(o is op for o in comp.call_stack) or op.scope is None:
        return None
    names, lazies, body_depth = comp.bind_params(op, args, ctx)
    inner = Ctx(op.scope.child(names), body_depth, ctx.primed, ctx.init, ctx.at_slot)
    comp.call_stack.append(op)
    comp.call_sites.append((op.name, _plain_span(span)))
    try:
        body = _ways(comp, op.body, inner)
    finally:
        comp.call_stack.pop()
        comp.call_sites.pop()
    ks = [kk for kk, _ in lazies]
    if body is None or not ks:
        return body
    fn = body

    def called(e: Frame) -> int:
        for kk in ks:
            e[kk] = UNSET
        return fn(e)

    return called


def action_exists(comp: Compiler, node: syntax.Quant, k: Runner, ctx: Ctx, split: bool) -> Runner:
    # The continuation ``k`` (the conjuncts after this one) was compiled first, at the outer
    # depth, and runs *inside* this loop: the bound names must sit above every slot it may
    # use, or its temporaries overwrite them between iterations (Voting's ShowsSafeAt).
    ctx = dataclasses.replace(ctx, depth=max(ctx.depth, comp.max_slot + 1))
    binds, inner = binders.bounds(comp, node.bounds, ctx)
    body = action(comp, node.body, k, inner, split)
    span = comp.where(node.span)
    if len(binds) == 1 and not binds[0][2]:
        dom0 = binds[0][0].fn
        slot = binds[0][1][0]
        items = _flatten("/\\", (node.body,))
        test = _field_test(items[0], node.bounds[0].names[0]) if len(items) > 1 else None
        if test is not None:
            # \E m \in msgs : m.type = "1a" /\ ...: skip the other messages without a call.
            select = _field_selector(*test, span, comp.selections, ordered=True)
            rest = _conjuncts_after(comp, items[1:], k, inner)

            def exists_filtered(e: Frame) -> None:
                for v, hit in select(dom0(e)):
                    e[slot] = v
                    if hit:
                        rest(e)
                    else:
                        body(e)

            return exists_filtered

        def exists1(e: Frame) -> None:
            for v in _in_order(dom0(e), span):
                e[slot] = v
                body(e)

        return exists1

    # TLC varies the first bound fastest (\E p \in P, d \in D: (p1, 1), (p2, 1), (p1, 2), ...),
    # which decides which of several shortest traces is found first.
    order = list(reversed(binds))
    hoisted = _hoisted_guards(comp, node, binds, inner)
    if hoisted:
        return _exists_prefiltered(comp, order, hoisted[::-1], body, span)

    def loop(e: Frame, i: int) -> None:
        dom, slots, tup = order[i]
        last = i + 1 == len(order)
        for v in _in_order(dom.fn(e), span):
            _assign(e, slots, tup, v, span)
            if last:
                body(e)
            else:
                loop(e, i + 1)

    return lambda e: loop(e, 0)


def _hoisted_guards(
    comp: Compiler, node: syntax.Quant, binds: list[tuple[Code, list[int], bool]], inner: Ctx
) -> list[list[Fn1]]:
    """For each bound name of ``\\E`` (``binds``' order), the guards that can be tested on its
    values alone, before the loops: the leading conjuncts of the body (or of the operator the
    body calls with the bound names as its arguments, ``\\E i \\in Server, Q \\in Quorums, k \\in
    1..MaxLogLen : CommitEntry(i, Q, k)``) that are predicates, up to the first that is not or
    that reads two of the names. Raft's ``state[i] = "Leader"`` is then tested 5 times a
    state, not once for each of the 160 bindings. Empty lists where there is none."""
    if any(tup for _, _, tup in binds) or len({s[0] for _, s, _ in binds}) != len(binds):
        return []
    bound = [n for bd in node.bounds for n in bd.names]
    body = node.body
    while isinstance(body, syntax.Label):
        body = body.body
    gctx = inner
    rename = {n: n for n in bound}
    op: OpB | None = None
    if isinstance(body, syntax.OpApp):
        b = inner.scope.lookup(body.name)
        if isinstance(b, OpB):
            args = body.args
            if (
                b.recursive
                or b.scope is None
                or len(b.params) != len(args)
                or any(p.arity for p in b.params)
                or any(not (isinstance(a, syntax.Name) and a.name in bound) for a in args)
                or any(o is b for o in comp.call_stack)
            ):
                return []
            names, lazies, depth = comp.bind_params(b, args, inner)
            if lazies:
                return []
            op = b
            gctx = Ctx(b.scope.child(names), depth, inner.primed, inner.init, inner.at_slot)
            rename = {p.name: a.name for p, a in zip(b.params, args) if isinstance(a, syntax.Name)}
            body = b.body
    out: list[list[Fn1]] = [[] for _ in binds]
    for item in _flatten("/\\", (body,)):
        if not _is_predicate(comp, item, gctx):
            break
        reads = {rename[n.name] for n in syntax.walk(item) if isinstance(n, syntax.Name) and n.name in rename}
        if len(reads) != 1:
            break
        if op is not None:
            comp.call_stack.append(op)
            comp.call_sites.append((op.name, _plain_span(comp.where(node.span))))
        try:
            out[bound.index(reads.pop())].append(comp.fused(comp.expr(item, gctx)))
        finally:
            if op is not None:
                comp.call_stack.pop()
                comp.call_sites.pop()
    return out if any(out) else []


def _is_predicate(comp: Compiler, node: syntax.Expr, ctx: Ctx) -> bool:
    """Whether ``action`` compiles ``node`` as a plain guard (``_guard``): it neither assigns
    nor branches, so as an action it holds once or not at all, as its value says."""
    while isinstance(node, syntax.Label):
        node = node.body
    t = type(node)
    if t is syntax.OpApp:
        assert isinstance(node, syntax.OpApp)
        if node.name in ("/\\", "\\/", "UNCHANGED", "'", "=>"):
            return False
        b = ctx.scope.lookup(node.name)
        if b is not None:
            return not isinstance(b, OpB | NameB)
        return not (node.name in ("=", "\\in") and _assignable(comp, node.args[0], ctx))
    if t is syntax.Name:
        assert isinstance(node, syntax.Name)
        return not isinstance(ctx.scope.lookup(node.name), OpB | NameB | LazyB)
    if t is syntax.FnApp:
        # ``f[a]`` is a guard unless f is a function TLC keeps lazy (action_fn_app).
        assert isinstance(node, syntax.FnApp)
        try:
            return _lazy_function(comp, node, ctx) is None
        except SpecError:
            return False
    return t not in (
        syntax.Junction, syntax.Qualified, syntax.FnApp, syntax.Quant, syntax.If, syntax.Case, syntax.Let,
        syntax.BoxAction, syntax.AngleAction, syntax.Label,
    )  # fmt: skip


def _exists_prefiltered(
    comp: Compiler,
    order: list[tuple[Code, list[int], bool]],
    guards: list[list[Fn1]],
    body: Runner,
    span: Loc,
) -> Runner:
    """``\\E`` over ``order`` (outermost loop first) whose bound names' values are first
    filtered by the guards that read them alone (``_hoisted_guards``, in the same order).

    The body would test those guards first, before it assigns or branches, so a binding that
    fails one gives nothing: dropping it is the same, unless a guard raises or gives a
    non-boolean, or the spec has effects (Print, TLCSet): then this entry runs the loops as
    written, so errors come from where, and in the order, they would. The values kept are
    in the same order, so the successors are too."""
    rt = comp.runtime
    n = len(order)
    constant = all(dom.const for dom, _, _ in order)

    def values(e: Frame, i: int) -> list[Value] | None:
        dom, slots, _ = order[i]
        return passing_guards(e, dom, slots[0], guards[i], span)

    def loop(e: Frame, i: int, lists: list[list[Value] | None]) -> None:
        dom, slots, tup = order[i]
        vs = lists[i]
        last = i + 1 == n
        for v in _in_order(dom.fn(e), span) if vs is None else vs:
            _assign(e, slots, tup, v, span)
            if last:
                body(e)
            else:
                loop(e, i + 1, lists)

    def exists_prefiltered(e: Frame) -> None:
        lists: list[list[Value] | None] = [None] * n
        if not rt.effects:
            for i in range(n):
                if guards[i]:
                    kept = values(e, i)
                    if kept is None:
                        lists = [None] * n
                        break
                    if not kept and constant:
                        return  # (a domain that is not constant is still evaluated, as it would be)
                    lists[i] = kept
        loop(e, 0, lists)

    return exists_prefiltered


def passing_guards(e: Frame, dom: Code, slot: int, guards: list[Fn1], span: Loc) -> list[Value] | None:
    """The values of ``dom``, in TLC's order, for which every guard holds with the bound name
    at ``slot``; None where a guard raises or gives a non-boolean (then the loops run as
    written, so the error is the one they would give). Used by ``_exists_prefiltered`` and
    by the generated actions' prefilter (``whole.py``)."""
    kept: list[Value] = []
    try:
        for v in _in_order(dom.fn(e), span):
            e[slot] = v
            for g in guards:
                r = g(e)
                if r is not True:
                    if r is False:
                        break
                    return None
            else:
                kept.append(v)
    except Exception:
        return None
    return kept


# ---------------------------------------------------------------------------
# Helpers used by the closures


def _unlist(s: Value) -> Value:
    return frozenset(s) if type(s) is list else s


def _normalize_at(v: Value, span: Loc) -> Value:
    try:
        return lib.normalize(v)
    except Exception as exc:
        raise located(exc, span) from None


def _reader(i: int) -> Fn1:
    return lambda e: e[STATE][i]


def _disjunction(branches: list[Runner]) -> Runner:
    if len(branches) == 1:
        return branches[0]
    if len(branches) == 2:
        b0, b1 = branches

        def or2(e: Frame) -> None:
            b0(e)
            b1(e)

        return or2

    def orn(e: Frame) -> None:
        for b in branches:
            b(e)

    return orn


class _Enabled(Exception):
    """Raised by ENABLED's continuation at the first successor: one is enough."""


def enabled(comp: Compiler, node: syntax.Expr, ctx: Ctx) -> Code:
    """``ENABLED A``: whether some state t makes s -> t an A step (s the current state).

    A runs as an action would, on a next state of its own (the frame's next state,
    and its label, are put back afterwards, so ENABLED may sit inside an action), and
    its first success stops it; a variable A leaves unassigned may take any value,
    so it does not matter, as in TLC. Never folded or memoised: it reads the state.
    """

    def found(e: Frame) -> None:
        raise _Enabled

    comp.enabling += 1
    try:
        run = action(comp, node, found, dataclasses.replace(ctx, primed=False, init=False))
    finally:
        comp.enabling -= 1

    def is_enabled(e: Frame) -> Value:
        outer_next, outer_label = e[NEXT], e[LABEL]
        # The next state, and the instance variables that ENABLED takes as its own (MappedVarB).
        e[NEXT] = [UNSET] * (comp.nvars + comp.mapped_vars)
        try:
            run(e)
        except _Enabled:
            return True
        finally:
            e[NEXT], e[LABEL] = outer_next, outer_label
        return False

    return Code(is_enabled)
