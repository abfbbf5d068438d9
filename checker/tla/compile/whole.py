"""Whole actions written out as one generated Python function (issue 23).

``actions.action`` compiles an action into a chain of closures: one call per
conjunct, per binding of an ``\\E`` and per branch, each handing on to the next
through its continuation. For an action made only of the commonest forms (a
disjunction of operators, ``\\E x \\in S`` over bound names, guards, ``x' = e``,
``x' \\in S``, ``UNCHANGED``, IF, ``=>``, LET, and ``\\A`` over a body that
assigns nothing) this module reads the action into the statement tree of
``fuse.fuse_action``, which writes it out as one function: the loops are Python
``for`` loops, the guards and values are fused expressions written inline, and
the continuation (the successor's completion) is called once per successor.

What it does is what the closures do, in the same order, with the same errors:
each statement mirrors one closure of ``actions.py`` and calls the same helpers
off its fast path. What differs is only when it is known whether a primed
variable is already assigned: the closures look at run time, here it is known
while compiling, since an action that names a successor (``split``) is always
entered with no variable assigned and each statement says what it assigns. A
form this module does not read gives None, and ``actions.action`` compiles
the action with closures as before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from checker.errors import SpecError
from checker.tla import stdlib as lib
from checker.tla import syntax
from checker.tla.compile import actions, binders
from checker.tla.compile.code import (
    _IMPURE,
    _SORTED,
    LABEL,
    NEXT,
    STATE,
    UNSET,
    ActionLabel,
    BuiltinB,
    Code,
    CodeB,
    Compiling,
    Ctx,
    EmitSuccessor,
    FnDefB,
    Frame,
    LastingMemo,
    Loc,
    NameB,
    OpB,
    Runner,
    Scope,
    SlotB,
    VarB,
    _elements,
    _field_selector,
    _field_test,
    _flatten,
    _in_order,
    _let_slots,
    _LetLazy,
    _plain_span,
    _raiser,
    footprint,
    located,
    may_be_lazy,
)
from checker.tla.compile.fuse import fuse_action, has_statement
from checker.tla.stdlib import EvalError, LazySet
from checker.values import Value

Compiler = Compiling
Statement = tuple[Any, ...]
# The rest of the action, given the variables assigned so far and the lowest slot it may use.
Rest = Callable[[frozenset[int], int], Statement]


class _Unsupported(Exception):
    """A form this module does not read: the action is compiled with closures."""


def generate(comp: Compiler, node: syntax.Expr, k: Runner, ctx: Ctx) -> Runner | None:
    """``node`` (an action that names successors, entered with no variable assigned) as one
    generated function calling ``k`` for each successor, or None where it has a form not read
    here (then ``actions.action`` compiles it with closures)."""
    if ctx.init or ctx.primed or comp.enabling:
        return None
    walker = _Walker(comp, k)
    comp.keeping += 1  # its set filters kept across states (Compiler.kept_filter)
    try:
        st = walker.action(node, frozenset(), ctx, True, walker.finish)
    except (_Unsupported, SpecError, RecursionError):
        return None
    finally:
        comp.keeping -= 1
    run = fuse_action(st, UNSET, walker.nvars)
    if run is None:
        comp.whole_failed[id(node)] = node
    elif has_statement(st, ("count",)):
        comp.whole_off += 1
        try:
            closures = actions.action(comp, node, k, ctx, True)
        finally:
            comp.whole_off -= 1
        return _guarded(run, closures, comp)
    return run


class _Walker:
    def __init__(self, comp: Compiler, k: Runner) -> None:
        self.comp = comp
        self.k = k
        self.nvars = comp.nvars
        # The label the successor gets: the innermost operator that names the action, with
        # its arguments as written (None: no label, as make_label gives without one).
        self.labels: list[tuple[str | None, tuple[Code, ...]]] = [(None, ())]

    def finish(self, assigned: frozenset[int], depth: int) -> Statement:
        if isinstance(self.k, EmitSuccessor) and len(assigned) == self.nvars:
            # Complete: appended here with its label (what the continuation would do).
            name, shown = self.labels[-1]
            return ("emit", ActionLabel, name, shown)
        return ("done", self.k)

    def guard(self, node: syntax.Expr, ctx: Ctx, rest: Statement) -> Statement:
        code = self.comp.expr(node, ctx)
        span = self.comp.where(node.span)
        return ("guard", code, _not_boolean(span), rest, self.memo_key(node, ctx, code))

    def memo_key(self, node: syntax.Expr, ctx: Ctx, code: Code) -> tuple[tuple[int, ...], Callable[[], Any]] | None:
        """What a guard's value may be kept by for one state's successors: the slots it reads
        (``_slots_read``) and a maker of the cache (one that keeps nothing where the spec has
        effects); None where it may read the next state or its slots are not known."""
        if code.const or code.nxt:
            return None
        slots = _slots_read(node, ctx)
        if slots is None:
            return None
        rt = self.comp.runtime
        return (slots, lambda: _NoCache() if rt.effects else {})

    def conjuncts(self, items: tuple[syntax.Expr, ...], ctx: Ctx, then: Rest) -> Rest:
        """The rest after a conjunction's first item: each later item an action while some
        variable is unassigned, else a predicate (``actions.conjunct``, known here)."""
        comp = self.comp
        stack, sites = list(comp.call_stack), list(comp.call_sites)

        def rest(assigned: frozenset[int], depth: int) -> Statement:
            saved = comp.call_stack[:], comp.call_sites[:]
            comp.call_stack[:], comp.call_sites[:] = stack, sites
            try:
                return self._conjuncts(items, 0, ctx, then, assigned, depth)
            finally:
                comp.call_stack[:], comp.call_sites[:] = saved

        return rest

    def _conjuncts(
        self, items: tuple[syntax.Expr, ...], i: int, ctx: Ctx, then: Rest, assigned: frozenset[int], depth: int
    ) -> Statement:
        if i == len(items):
            return then(assigned, depth)
        c = dataclasses.replace(ctx, depth=max(ctx.depth, depth))
        nxt = self._continue(items, i + 1, ctx, then)
        if len(assigned) == self.nvars:
            return self.guard(items[i], c, nxt(assigned, self.comp.max_slot + 1))
        return self.action(items[i], assigned, c, False, nxt)

    def _continue(self, items: tuple[syntax.Expr, ...], i: int, ctx: Ctx, then: Rest) -> Rest:
        return lambda assigned, depth: self._conjuncts(items, i, ctx, then, assigned, depth)

    def rest_at(self, rest: Rest, assigned: frozenset[int]) -> Statement:
        """The rest, compiled above every slot in use (it runs inside the loops and lazy
        slots bound so far, as ``actions.action_exists`` places them)."""
        return rest(assigned, self.comp.max_slot + 1)

    def action(self, node: syntax.Expr, assigned: frozenset[int], ctx: Ctx, split: bool, rest: Rest) -> Statement:
        """``actions.action`` for the forms read here; ``rest`` continues with what is assigned.
        A node that holds a form not read here is remembered, so that no action around it is
        tried again (``actions.action`` tries each action that names successors)."""
        try:
            return self._action(node, assigned, ctx, split, rest)
        except (_Unsupported, SpecError):
            self.comp.whole_failed[id(node)] = node
            raise

    def _action(self, node: syntax.Expr, assigned: frozenset[int], ctx: Ctx, split: bool, rest: Rest) -> Statement:
        comp = self.comp
        t = type(node)
        span = comp.where(node.span)
        if t is syntax.Label:
            assert isinstance(node, syntax.Label)
            return self.action(node.body, assigned, ctx, split, rest)
        if t is syntax.Junction or (t is syntax.OpApp and node.name in ("/\\", "\\/")):  # type: ignore[attr-defined]
            op = node.op if t is syntax.Junction else node.name  # type: ignore[attr-defined]
            items = node.items if t is syntax.Junction else node.args  # type: ignore[attr-defined]
            if op == "/\\":
                return self.action(items[0], assigned, ctx, False, self.conjuncts(items[1:], ctx, rest))
            items = _flatten("\\/", items)  # a \\/ b \\/ c as one list (PlusCal's p(self) == a1(self) \\/ ...)
            branches = [self.action(item, assigned, ctx, split, rest) for item in items]
            return self.dispatch(items, branches, ctx) or ("seq", branches)
        if t is syntax.OpApp:
            assert isinstance(node, syntax.OpApp)
            name, args = node.name, node.args
            b = ctx.scope.lookup(name)
            if isinstance(b, OpB) and len(b.params) == len(args) and not b.recursive:
                return self.call(b, args, assigned, span, ctx, split, rest)
            if b is None:
                if name == "=" and actions._assignable(comp, args[0], ctx):
                    return self.assign_eq(args[0], args[1], assigned, ctx, span, rest)
                if name == "\\in" and actions._assignable(comp, args[0], ctx):
                    return self.assign_in(args[0], args[1], assigned, ctx, span, rest)
                if name == "UNCHANGED":
                    return self.unchanged(args[0], assigned, ctx, span, rest)
                if name in ("'", "=>"):
                    if name == "'":
                        raise _Unsupported
                    cond = comp.expr(args[0], ctx)
                    cspan = comp.where(args[0].span)
                    other = self.rest_at(rest, assigned)
                    then = self.action(args[1], assigned, ctx, False, rest)
                    return ("cond", cond, _not_bool(cspan), then, other)
        if t is syntax.Name:
            assert isinstance(node, syntax.Name)
            b = ctx.scope.lookup(node.name)
            if isinstance(b, OpB) and not b.params and not b.recursive:
                return self.call(b, (), assigned, span, ctx, split, rest)
            if isinstance(b, NameB):
                raise _Unsupported
        if t is syntax.Qualified or t is syntax.Case or t is syntax.BoxAction or t is syntax.AngleAction:
            raise _Unsupported
        if t is syntax.FnApp:
            assert isinstance(node, syntax.FnApp)
            if actions._lazy_function(comp, node, ctx) is not None:
                raise _Unsupported
        if t is syntax.Quant and node.kind == "\\E":  # type: ignore[attr-defined]
            assert isinstance(node, syntax.Quant)
            return self.exists(node, assigned, ctx, split, rest)
        if t is syntax.Quant and node.kind == "\\A":  # type: ignore[attr-defined]
            assert isinstance(node, syntax.Quant)
            return self.forall(node, assigned, ctx, rest)
        if t is syntax.If:
            assert isinstance(node, syntax.If)
            cc = comp.expr(node.cond, ctx)
            cspan = comp.where(node.cond.span)
            a = self.action(node.then, assigned, ctx, split, rest)
            b2 = self.action(node.else_, assigned, ctx, split, rest)
            if cc.const and type(cc.value) is bool:
                return a if cc.value else b2
            return ("cond", cc, _not_bool(cspan), a, b2)
        if t is syntax.Let:
            assert isinstance(node, syntax.Let)
            inner = comp.let_ctx(node.defs, ctx)
            slots = _let_slots(inner)
            body = self.action(node.body, assigned, inner, split, rest)
            return ("clear", slots, body) if slots else body
        return self.guard(node, ctx, self.rest_at(rest, assigned))

    def dispatch(self, items: tuple[syntax.Expr, ...], branches: list[Statement], ctx: Ctx) -> Statement | None:
        """``actions._pc_dispatch`` for generated code: PlusCal's ``p(self) == a1(self) \\/ a2(self)
        \\/ ...``, whose disjuncts begin with ``pc[self] = "label"``, reads ``pc[self]`` once; where
        it is a string, each disjunct's first conjunct is that string compared with its label
        (what the conjunct gives then), else the conjunct as written. The disjuncts run in
        their order, as in ("seq", branches)."""
        comp = self.comp
        if len(items) < 3:
            return None
        tests = [actions._label_test(comp, item, ctx) for item in items]
        found = [t for t in tests if t is not None]
        if len(found) < 3 or len({(t[0], t[1]) for t in found}) != 1:
            return None
        _, _, _, lhs, gctx = found[0]
        marked = [b if t is None else _label_guard(b, t[2]) for t, b in zip(tests, branches)]
        if any(m is None for m in marked):
            return None
        return ("dispatch", comp.expr(lhs, gctx), ("seq", marked))

    def call(
        self,
        op: OpB,
        args: tuple[syntax.Expr, ...],
        assigned: frozenset[int],
        span: Loc,
        ctx: Ctx,
        split: bool,
        rest: Rest,
    ) -> Statement:
        """``actions.action_call``: the body inlined, its label set while it runs where it names the action."""
        comp = self.comp
        if any(o is op for o in comp.call_stack):
            raise _Unsupported
        names, lazies, body_depth = comp.bind_params(op, args, ctx)
        assert op.scope is not None
        inner = Ctx(op.scope.child(names), body_depth, ctx.primed, ctx.init, ctx.at_slot)
        maker = None
        if split:
            label_ctx = dataclasses.replace(ctx, depth=comp.max_slot + 1)
            shown = tuple(comp.expr(a, label_ctx) for p, a in zip(op.params, args) if p.arity == 0)
            comp._use(label_ctx.depth)
            maker = (op.name, tuple(c.fn for c in shown))
            self.labels.append((op.name, shown))
        ks = [kk for kk, _ in lazies]
        comp.call_stack.append(op)
        comp.call_sites.append((op.name, _plain_span(span)))
        try:
            body = self.action(op.body, assigned, inner, split, rest)
        finally:
            comp.call_stack.pop()
            comp.call_sites.pop()
            if split:
                self.labels.pop()
        if ks:
            body = ("clear", ks, body)
        if maker is not None:
            body = ("label", maker, body)
        return body

    def assign_eq(
        self, lhs: syntax.Expr, rhs: syntax.Expr, assigned: frozenset[int], ctx: Ctx, span: Loc, rest: Rest
    ) -> Statement:
        var = actions._target(self.comp, lhs, ctx)
        code = self.comp.expr(rhs, ctx)
        if isinstance(rhs, syntax.OpApp) and rhs.name in _SET_OPS and ctx.scope.lookup(rhs.name) is None:
            code = self.comp.kept(rhs, ctx, code)  # a set built anew at each successor
        return self._assign(var, code, assigned, span, rest, may_be_lazy(rhs))

    def _assign(
        self, var: VarB, code: Code, assigned: frozenset[int], span: Loc, rest: Rest, lazy: bool = True
    ) -> Statement:
        i = var.index
        if i >= self.nvars:
            raise _Unsupported
        if i in assigned:
            return ("same", i, code, _compare(span), self.rest_at(rest, assigned))
        # No fix for a variable's value, nor where the expression never gives a lazy set
        # ([f EXCEPT ...], a record, f[x], ...: code.may_be_lazy).
        fix = None if not lazy or (code.gen is not None and code.gen[0] == "var") else _normalizer(span)
        return ("set", i, code, fix, self.rest_at(rest, assigned | {i}))

    def assign_in(
        self, lhs: syntax.Expr, rhs: syntax.Expr, assigned: frozenset[int], ctx: Ctx, span: Loc, rest: Rest
    ) -> Statement:
        var = actions._target(self.comp, lhs, ctx)
        i = var.index
        if i >= self.nvars:
            raise _Unsupported
        code = _domain(self.comp.expr(rhs, ctx))
        if i in assigned:
            return ("member", i, code, _membership(span), self.rest_at(rest, assigned))
        return ("each", i, code, _orderer(span), self.rest_at(rest, assigned | {i}))

    def unchanged(self, node: syntax.Expr, assigned: frozenset[int], ctx: Ctx, span: Loc, rest: Rest) -> Statement:
        vs = actions.unchanged_vars(self.comp, node, ctx)
        if vs is None:
            raise _Unsupported
        return self._keep(vs, 0, assigned, span, rest)

    def _keep(self, vs: list[VarB], j: int, assigned: frozenset[int], span: Loc, rest: Rest) -> Statement:
        if j == len(vs):
            return self.rest_at(rest, assigned)
        i = vs[j].index
        now = Code(actions._reader(i), False, None, True, nxt=False, gen=("var", STATE, i))
        return self._assign(vs[j], now, assigned, span, lambda a, d: self._keep(vs, j + 1, a, span, rest))

    def exists(self, node: syntax.Quant, assigned: frozenset[int], ctx: Ctx, split: bool, rest: Rest) -> Statement:
        """``actions.action_exists``: the loops, the first bound varying fastest."""
        comp = self.comp
        outer = ctx
        ctx = dataclasses.replace(ctx, depth=max(ctx.depth, comp.max_slot + 1))
        binds, inner = binders.bounds(comp, node.bounds, ctx)
        span = comp.where(node.span)
        if any(tup for _, _, tup in binds):
            raise _Unsupported
        order = _orderer(span)
        sources = [bd.domain for bd in node.bounds for _ in bd.names]
        if len(binds) == 1:
            dom, slot = _domain(binds[0][0]), binds[0][1][0]
            items = _flatten("/\\", (node.body,))
            test = _field_test(items[0], node.bounds[0].names[0]) if len(items) > 1 else None
            if test is not None:
                select = _field_selector(*test, span, comp.selections, ordered=True)
                hit = self.rest_at(self.conjuncts(items[1:], inner, rest), assigned)
                miss = self.action(node.body, assigned, inner, split, rest)
                return ("select", dom, select, slot, hit, miss)
            keep = self.lasting(sources[0], ctx, dom)
            return ("loop", dom, slot, order, self.action(node.body, assigned, inner, split, rest), keep)
        loops = list(reversed(binds))
        hoisted = actions._hoisted_guards(comp, node, binds, inner)
        body = self.action(node.body, assigned, inner, split, rest)
        if hoisted and rest(assigned, comp.max_slot + 1) == ("done", self.k):
            # The loops over values that pass the guards of one name, as _exists_prefiltered;
            # where a guard fails, the closures of this \E (ending in k, as here) run instead.
            comp.whole_off += 1
            try:
                fallback = actions.action(comp, node, self.k, outer, split)
            finally:
                comp.whole_off -= 1
            guards = hoisted[::-1]
            for index in reversed(range(len(loops))):
                dom, slots, _ = loops[index]
                if guards[index]:
                    body = ("kept", index, slots[0], body)
                else:
                    keep = self.lasting(sources[len(loops) - 1 - index], ctx, _domain(dom))
                    body = ("loop", _domain(dom), slots[0], order, body, keep)
            return ("prefilter", _prefilter(comp, loops, guards, span), fallback, body)
        for (dom, slots, _), source in zip(reversed(loops), sources):
            body = ("loop", _domain(dom), slots[0], order, body, self.lasting(source, ctx, _domain(dom)))
        return body

    def lasting(self, node: syntax.Expr, ctx: Ctx, dom: Code) -> tuple[tuple[int, ...], Any] | None:
        """What a loop's domain that reads no state may be kept by across states: the slots
        it reads (``_slots_read``) and its table (bound values -> the elements in order), None
        where it reads the state or its slots are not known. PlusCal's per-process sets, as
        Slush's ``{s \\in SUBSET others(self) : Cardinality(s) = k}``, are computed once per
        ``self`` rather than once per state."""
        if dom.const or dom.state or dom.nxt:
            return None
        slots = _slots_read(node, ctx)
        if not slots:
            return None
        return (slots, _Lasting(self.comp.runtime))

    def forall(self, node: syntax.Quant, assigned: frozenset[int], ctx: Ctx, rest: Rest) -> Statement:
        """``actions.action_forall`` where its body assigns nothing (``forall_counted``)."""
        comp = self.comp
        if len(assigned) == self.nvars:
            raise _Unsupported
        ctx = dataclasses.replace(ctx, depth=max(ctx.depth, comp.max_slot + 1))
        at = ctx.depth
        comp._use(at + 1)
        binds, inner = binders.bounds(comp, node.bounds, dataclasses.replace(ctx, depth=at + 1))
        span = comp.where(node.span)
        if len(binds) != 1 or binds[0][2]:
            raise _Unsupported
        ways = self.ways(node.body, inner)
        dom, slot = _domain(binds[0][0]), binds[0][1][0]
        slots = _slots_read(node.body, inner) if not _reads_next(ways) else None
        rt = comp.runtime
        key = None
        if slots is not None:
            reads = _vars_read(node.body, inner)
            tables = _CountTables(rt, reads) if reads is not None and len(reads) <= _COUNT_VARS else None
            key = (slots, lambda: _NoCache() if rt.effects else {}, tables)
        return ("count", dom, slot, _orderer(span), ways, key, self.rest_at(rest, assigned))

    def ways(self, node: syntax.Expr, ctx: Ctx) -> Statement:
        """``actions._ways`` as a tree for ``fuse._ActionWriter.ways``."""
        comp = self.comp
        while isinstance(node, syntax.Label):
            node = node.body
        t = type(node)
        span = comp.where(node.span)
        if t is syntax.Junction or (t is syntax.OpApp and node.name in ("/\\", "\\/")):  # type: ignore[attr-defined]
            op = node.op if t is syntax.Junction else node.name  # type: ignore[attr-defined]
            items = node.items if t is syntax.Junction else node.args  # type: ignore[attr-defined]
            parts = [self.ways(item, ctx) for item in items]
            return ("sum" if op == "\\/" else "product", parts)
        if t is syntax.OpApp or t is syntax.Name:
            name = node.name  # type: ignore[attr-defined]
            args: tuple[syntax.Expr, ...] = node.args if t is syntax.OpApp else ()  # type: ignore[attr-defined]
            b = ctx.scope.lookup(name)
            if isinstance(b, OpB) and len(b.params) == len(args) and not b.recursive:
                return self.ways_call(b, args, ctx, span)
            if t is syntax.OpApp and b is None and name == "=>":
                cond = comp.expr(args[0], ctx)
                then = self.ways(args[1], ctx)
                return ("if", cond, _not_bool(comp.where(args[0].span)), then, ("const", 1))
        if t is syntax.Quant and node.kind == "\\E":  # type: ignore[attr-defined]
            assert isinstance(node, syntax.Quant)
            binds, inner = binders.bounds(comp, node.bounds, ctx)
            if len(binds) != 1 or binds[0][2]:
                raise _Unsupported
            each = self.ways(node.body, inner)
            return ("exists", binds[0][0], binds[0][1][0], _elements_at(span), each)
        if t is syntax.If:
            assert isinstance(node, syntax.If)
            c = comp.expr(node.cond, ctx)
            a, b2 = self.ways(node.then, ctx), self.ways(node.else_, ctx)
            return ("if", c, _not_bool(comp.where(node.cond.span)), a, b2)
        if not actions._is_predicate(comp, node, ctx) or any(
            isinstance(n, syntax.OpApp) and n.name in ("'", "UNCHANGED") for n in syntax.walk(node)
        ):
            raise _Unsupported
        return ("one", comp.expr(node, ctx), _not_boolean(span))

    def ways_call(self, op: OpB, args: tuple[syntax.Expr, ...], ctx: Ctx, span: Loc) -> Statement:
        comp = self.comp
        if any(o is op for o in comp.call_stack) or op.scope is None:
            raise _Unsupported
        names, lazies, body_depth = comp.bind_params(op, args, ctx)
        inner = Ctx(op.scope.child(names), body_depth, ctx.primed, ctx.init, ctx.at_slot)
        comp.call_stack.append(op)
        comp.call_sites.append((op.name, _plain_span(span)))
        try:
            body = self.ways(op.body, inner)
        finally:
            comp.call_stack.pop()
            comp.call_sites.pop()
        ks = [kk for kk, _ in lazies]
        return ("clear", _clearer(ks), body) if ks else body


def _label_guard(st: Statement, label: str) -> Statement | None:
    """A disjunct's statement with its first guard (through its label and LET entry) marked as
    the test ``pc[self] = label`` of a dispatch; None where its first statement is not a guard."""
    kind = st[0]
    if kind == "label" or kind == "clear":
        inner = _label_guard(st[2], label)
        return None if inner is None else (kind, st[1], inner)
    if kind == "guard":
        _, code, fail, rest, _key = st
        return ("pcguard", label, code, fail, rest)
    return None


def _slots_read(node: syntax.Expr, ctx: Ctx) -> tuple[int, ...] | None:
    """The frame slots whose values, with the state, decide ``node``'s value (the bound names
    it reads, and those that the 0-ary LET definitions it reads read), or None where that is
    not known from its text: it reads a LET function or an operator defined in a LET, an
    argument passed lazily or by name, an operator that is not a module's, or an instance.

    A counted ``\\A``'s body with the same values in these slots holds in as many ways, so
    the generated code keeps the count per values for the rest of the state's successors
    (Raft's BecomeLeader: ``UpToDate(i, v)`` for each pair, not for each quorum holding it;
    Paxos' Phase2a(b, v): ``\\A a \\in Q : \\E m \\in Q1b : m.acc = a`` for each ballot and
    quorum, not again for each value)."""
    slots: set[int] = set()
    return tuple(sorted(slots)) if _add_slots_read(node, ctx.scope, slots, set()) else None


def _vars_read(node: syntax.Expr, ctx: Ctx) -> tuple[int, ...] | None:
    """The variables (their indices) whose values, with the slots ``_slots_read`` gives,
    decide ``node``'s value, those read through the module's operators it calls too (their
    ``footprint``); None where that is not known (nor with TLC's impure operators)."""
    reads: set[int] = set()
    return tuple(sorted(reads)) if _add_slots_read(node, ctx.scope, set(), set(), reads) else None


def _add_slots_read(
    node: syntax.Expr, scope: Scope, slots: set[int], seen: set[int], reads: set[int] | None = None
) -> bool:
    """Adds to ``slots`` what ``_slots_read`` says ``node`` reads in ``scope``; False where it
    is not known. A LET definition's value is decided by what its body reads in its own scope
    (its slot only caches that value), each definition walked once (``seen``). With ``reads``,
    the variables read are added there (False where they are not known)."""
    for n in syntax.walk(node):
        if isinstance(n, syntax.Qualified | syntax.At | syntax.Lambda):
            return False
        if not isinstance(n, syntax.Name | syntax.OpApp):
            continue
        if reads is not None and n.name in _IMPURE:
            return False
        b = scope.lookup(n.name)
        if isinstance(b, VarB):
            if reads is not None:
                reads.add(b.index)
            continue
        if b is None or isinstance(b, BuiltinB):
            continue
        if isinstance(b, OpB) and b.module_level and not b.recursive:
            if reads is not None and id(b) not in seen:
                seen.add(id(b))
                inner = footprint(b.body, b.scope, set()) if b.scope is not None else None
                if inner is None:
                    return False
                reads |= inner
            continue
        if isinstance(b, SlotB):
            slots.add(b.slot)
        elif isinstance(b, CodeB) and b.code.const:
            continue
        elif isinstance(b, CodeB) and b.code.gen is not None and b.code.gen[0] == "slot":
            slots.add(int(b.code.gen[1]))
        elif isinstance(b, FnDefB) and b.scope is not None:
            # f[x \\in S] == body: its value is decided by what it reads in its own scope.
            if id(b) not in seen:
                seen.add(id(b))
                parts = (*(bd.domain for bd in b.node.bounds), b.node.body)
                if not all(_add_slots_read(x, b.scope, slots, seen, reads) for x in parts):
                    return False
        elif isinstance(b, _LetLazy) and b.source is not None and not b.arg.nxt:
            if id(b) not in seen:
                seen.add(id(b))
                if not _add_slots_read(b.source.expr, b.source.scope, slots, seen, reads):
                    return False
        else:
            return False
    return True


class _Lasting:
    """The table of a loop's domain kept across states (``_Walker.lasting``): the elements in
    order per values of the slots the domain reads, cleared when it holds ``limit`` entries;
    nothing kept where the spec has effects (Print, TLCSet, RandomElement) or for elements that
    are not a list or a set (an iterator is read once)."""

    __slots__ = ("table", "runtime", "limit")

    def __init__(self, runtime: Any, limit: int = 4_096) -> None:
        self.table: dict[Any, Any] = {}
        self.runtime = runtime
        self.limit = limit

    def keep(self, key: Any, items: Any) -> Any:
        if (type(items) is list or type(items) is frozenset) and not self.runtime.effects:
            table = self.table
            if len(table) >= self.limit:
                table.clear()
            table[key] = items
        return items


_SET_OPS = frozenset({"\\cup", "\\union", "\\", "\\cap", "\\intersect"})  # x' = S op T, kept (Compiler.kept)
_COUNT_VARS = 4  # at most so many variables read, for the tables of a count kept across states
_COUNT_TABLES = 1 << 12  # tables kept per count, one per tuple of values of the variables it reads
_COUNT_TRIAL = 256  # states explored before deciding whether a count's tables pay


class _CountTables(LastingMemo):
    """The counts of a counted ``\\A``'s body kept across states (``_Walker.forall``): a table
    per tuple of values of the variables ``reads`` the body reads (``LastingMemo.table_for``:
    found by their ids, held), keyed inside by the values of the slots it reads, as the
    per-call cache is. A state's values that recur are the same objects (the search interns
    them), so Slush's ``\\A pid \\in sampleSet[self] : \\E msg \\in
    PendingQueryReplyMessage(self) : msg.src = pid`` is counted once per value of ``message``,
    process and pid rather than once per state. Where a new table is made at most states of
    the first ``_COUNT_TRIAL`` explored, it is given up (``on``) for the per-call cache (the
    generated code's, made at the first reach in a call); nothing is kept where the spec has
    effects."""

    __slots__ = ("reads", "runtime")

    def __init__(self, runtime: Any, reads: tuple[int, ...]) -> None:
        super().__init__()
        self.reads = reads
        self.runtime = runtime

    def table(self, e: Frame) -> dict[Any, int]:
        """The table for the values of the variables read in ``e``'s state (made if new)."""
        rt = self.runtime
        if rt.effects:
            return _NoCache()
        return self.table_for(e[STATE], self.reads, rt.explored, _COUNT_TABLES, _COUNT_TRIAL)


class _NoCache(dict[Any, Any]):
    """A cache that keeps nothing (for a spec with effects: Print, TLCSet, RandomElement)."""

    def __setitem__(self, key: Any, value: Any) -> None:
        pass


def _reads_next(ways: Statement) -> bool:
    """Whether some expression of a ways tree may read the next state (or has effects)."""
    kind = ways[0]
    if kind == "one":
        return bool(ways[1].nxt)
    if kind in ("product", "sum"):
        return any(_reads_next(w) for w in ways[1])
    if kind == "if":
        return bool(ways[1].nxt) or _reads_next(ways[3]) or _reads_next(ways[4])
    if kind == "clear":
        return _reads_next(ways[2])
    if kind == "exists":
        return bool(ways[1].nxt) or _reads_next(ways[4])
    return False


def _guarded(run: Runner, closures: Runner, comp: Compiler) -> Runner:
    """``run`` (an action with a counted ``\\A``), whose closures ``closures`` run instead
    where the spec has effects (the elements entered one by one, as TLC does), and after an
    error: counting evaluates what the closures evaluate, in another order, so they raise
    the error that TLC meets first (the successors made meanwhile are dropped with the error)."""
    rt = comp.runtime

    def guarded(e: Frame) -> None:
        if rt.effects:
            closures(e)
            return
        label = e[LABEL]
        try:
            run(e)
        except Exception:
            n = e[NEXT]
            for i in range(len(n)):
                n[i] = UNSET
            e[LABEL] = label
            closures(e)
            raise

    return guarded


# -- the helpers the generated code calls off its fast path (each as its closure does) ----------


def _domain(code: Code) -> Code:
    """A constant domain as its elements in order (the list ``_presorted`` keeps)."""
    if code.const and type(code.value) is frozenset:
        items = code.fn([])
        if type(items) is list:
            return Code(lambda e: items, True, items, False)
    return code


def _clearer(slots: list[int]) -> Callable[[Frame], None]:
    def clear(e: Frame) -> None:
        for s in slots:
            e[s] = UNSET

    return clear


class _Order:
    """``_in_order`` at a span: a loop's elements in TLC's order. ``kept`` is the table of the
    sets already ordered (``code._SORTED``'s, by identity), whose hits the generated code
    reads inline (``fuse._ActionWriter.elements``)."""

    __slots__ = ("span", "kept")

    def __init__(self, span: Loc) -> None:
        self.span = span
        self.kept = _SORTED.kept

    def __call__(self, s: Value) -> Any:
        return _in_order(s, self.span)


def _orderer(span: Loc) -> Callable[[Value], Any]:
    return _Order(span)


def _elements_at(span: Loc) -> Callable[[Value], Any]:
    return lambda s: _elements(s, span)


def _not_boolean(span: Loc) -> Callable[[Value], Value]:
    return _raiser("An action's conjunct is not a boolean: ", span)


def _not_bool(span: Loc) -> Callable[[Value], Value]:
    def fail(v: Value) -> Value:
        raise located(EvalError(f"A boolean was expected, but the value is {lib.show(v)}."), span)

    return fail


def _normalizer(span: Loc) -> Callable[[Value], Value]:
    def fix(v: Value) -> Value:
        return actions._normalize_at(v, span) if isinstance(v, LazySet) else v

    return fix


def _compare(span: Loc) -> Callable[[Value, Value], bool]:
    def same(old: Value, v: Value) -> bool:
        if type(old) is type(v) and not isinstance(v, LazySet):
            return bool(old == v)
        try:
            return bool(lib.equal(old, v))
        except Exception as exc:
            raise located(exc, span) from None

    return same


def _membership(span: Loc) -> Callable[[Value, Value], bool]:
    def member(old: Value, st: Value) -> bool:
        try:
            return bool((old in st) if type(st) is frozenset else lib.is_in(old, actions._unlist(st)))
        except Exception as exc:
            raise located(exc, span) from None

    return member


def _prefilter(
    comp: Compiler, loops: list[tuple[Code, list[int], bool]], guards: list[list[Any]], span: Loc
) -> Callable[[Frame], list[list[Value] | None] | None]:
    """``actions._exists_prefiltered``'s lists: for each loop with guards, the values that pass
    them; None where a guard fails or gives a non-boolean, or the spec has effects (then the
    closures run the loops as written, so errors are theirs)."""
    rt = comp.runtime

    def values(e: Frame, i: int) -> list[Value] | None:
        dom, slots, _ = loops[i]
        return actions.passing_guards(e, dom, slots[0], guards[i], span)

    def prefilter(e: Frame) -> list[list[Value] | None] | None:
        if rt.effects:
            return None
        lists: list[list[Value] | None] = [None] * len(loops)
        for i in range(len(loops)):
            if guards[i]:
                kept = values(e, i)
                if kept is None:
                    return None
                lists[i] = kept
        return lists

    return prefilter

