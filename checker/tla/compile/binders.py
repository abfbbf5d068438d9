"""Binders: bounded variables and what binds them, compiled to closures.

The bounds of ``\\A``/``\\E``, CHOOSE, set filters and maps, and function
constructors: domains compiled in the outer scope, bound names given
consecutive frame slots. Functions here take the :class:`Compiler` as their
first argument (``checker.tla.compile`` calls them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from checker.tla import stdlib as lib
from checker.tla import syntax
from checker.tla.compile.code import (
    UNSET,
    Binding,
    Code,
    Compiling,
    Ctx,
    Fn1,
    Frame,
    Loc,
    SlotB,
    Where,
    _as_bool,
    _assign,
    _elements,
    _field_selector,
    _field_test,
    _flatten,
    _presorted,
    _raiser,
    located,
)
from checker.tla.compile.fuse import fuse_filter, fuse_quantifier, fuse_quantifiers, fuse_set_map
from checker.tla.stdlib import EvalError, LazySet
from checker.values import Value, fn_of, least_value, make_fn

# The compiler as these functions see it: a protocol, not compiler.py (which imports this module).
Compiler = Compiling


# -- binders --------------------------------------------------------------


def bounds(
    comp: Compiler, bounds: tuple[syntax.Bound, ...], ctx: Ctx
) -> tuple[list[tuple[Code, list[int], bool]], Ctx]:
    """Domains compiled in the outer scope, names bound to consecutive slots."""
    out: list[tuple[Code, list[int], bool]] = []
    names: dict[str, Binding] = {}
    depth = ctx.depth
    # A later domain may be evaluated after earlier names are bound: its temporaries go beyond them.
    total = sum(len(bd.names) for bd in bounds)
    dctx = dataclasses.replace(ctx, depth=ctx.depth + total)
    for bd in bounds:
        dom = comp.expr(bd.domain, dctx)
        if dom.const:
            dom = _presorted(dom)
        slots = []
        for n in bd.names:
            names[n] = SlotB(depth)
            slots.append(depth)
            depth += 1
        if bd.tuple_pattern:
            out.append((dom, slots, True))
        else:
            for s in slots:
                out.append((dom, [s], False))
    comp._use(depth)
    return out, ctx.bind(names, depth - ctx.depth)


def quant(comp: Compiler, node: syntax.Quant, ctx: Ctx) -> Code:
    binds, inner = bounds(comp, node.bounds, ctx)
    bcode = comp.expr(node.body, inner)
    body = comp.fused(bcode)
    span = comp.where(node.span)
    forall = node.kind == "\\A"
    doms = [d for d, _, _ in binds]
    depth = ctx.depth
    if len(binds) == 1 and not binds[0][2] and not doms[0].const:
        fused = filtered_quant(comp, node, forall, binds[0][0].fn, binds[0][1][0], body, inner, span)
        if fused is not None:
            return comp.fold_binder(fused, doms, bcode, depth)

    def loop(e: Frame, i: int) -> bool:
        dom, slots, tup = binds[i]
        last = i + 1 == len(binds)
        for v in _elements(dom.fn(e), span):
            _assign(e, slots, tup, v, span)
            r = _as_bool(body(e), span) if last else loop(e, i + 1)
            if r is not forall:
                return r
        return forall

    if len(binds) > 1 and not any(tup for _, _, tup in binds):
        # \A i, j \in S : P as nested generated loops, P inline (the same order and errors).
        nested = fuse_quantifiers(
            forall, [(dom, slots[0]) for dom, slots, _ in binds], lambda d: _elements(d, span), bcode,
            lambda v: _as_bool(v, span), UNSET,
        )  # fmt: skip
        if nested is not None:
            return comp.fold_binder(nested, doms, bcode, depth)

    if len(binds) == 1 and not binds[0][2]:
        dom0 = binds[0][0].fn
        k = binds[0][1][0]
        word = "\\A" if forall else "\\E"
        inline = fuse_quantifier(
            forall, binds[0][0], lambda d: _elements(d, span), k, bcode,
            _raiser(f"The body of {word} is not a boolean: ", span), UNSET,
        )  # fmt: skip
        if inline is not None:
            return comp.fold_binder(inline, doms, bcode, depth)
        if forall:

            def all1(e: Frame) -> Value:
                for v in _elements(dom0(e), span):
                    e[k] = v
                    r = body(e)
                    if r is not True:
                        if r is False:
                            return False
                        raise located(
                            EvalError(f"The body of \\A is not a boolean: {lib.show(r)}."), span
                        )
                return True

            return comp.fold_binder(all1, doms, bcode, depth)

        def any1(e: Frame) -> Value:
            for v in _elements(dom0(e), span):
                e[k] = v
                r = body(e)
                if r is not False:
                    if r is True:
                        return True
                    raise located(EvalError(f"The body of \\E is not a boolean: {lib.show(r)}."), span)
            return False

        return comp.fold_binder(any1, doms, bcode, depth)
    return comp.fold_binder(lambda e: loop(e, 0), doms, bcode, depth)


def filtered_quant(
    comp: Compiler, node: syntax.Quant, forall: bool, dom: Fn1, k: int, full: Fn1, inner: Ctx, span: Where
) -> Fn1 | None:
    """``\\E m \\in S : m.f = c /\\ P`` and ``\\A m \\in S : m.f = c => P`` with the field test inlined.

    Most elements of a message set fail the first test (``m.type = "2b"``):
    they are skipped without a call. An element that is not a record with
    that field, or whose field has another type, goes through the body as
    written (so errors are TLC's).
    """
    var = node.bounds[0].names[0]
    body = node.body
    while isinstance(body, syntax.Label):
        body = body.body
    guards: tuple[syntax.Expr, ...] = ()
    if forall:
        if not (isinstance(body, syntax.OpApp) and body.name == "=>"):
            return None
        first, rest_node = body.args
        # ``(m.f = c /\ G) => P``: the field test first, then G as its conjunction would.
        conjuncts = _flatten("/\\", (first,))
        first, guards = conjuncts[0], conjuncts[1:]
    else:
        items = _flatten("/\\", (body,))
        if len(items) < 2:
            return None
        first = items[0]
        rest_node = items[1] if len(items) == 2 else syntax.Junction("/\\", items[1:], span=body.span)
    test = _field_test(first, var)
    if test is None:
        return None
    fname, bv = test
    select = _field_selector(fname, bv, span, comp.selections)
    rest = comp.fused(comp.expr(rest_node, inner))
    rspan = comp.where(rest_node.span)
    guard: Fn1 | None = None
    gspan: Where | None = None
    if len(guards) == 1:
        guard = comp.fused(comp.expr(guards[0], inner))
        gspan = comp.where(guards[0].span)
    elif guards:
        guard = comp.junction("/\\", guards, comp.where(body.span), inner).fn

    if forall:

        def all_filtered(e: Frame) -> Value:
            for v, hit in select(dom(e)):
                e[k] = v
                if hit:
                    if guard is not None:
                        g = guard(e)
                        if g is False:
                            continue
                        if g is not True:
                            raise located(EvalError(f"A conjunct is not a boolean: {lib.show(g)}."), gspan)
                    r = rest(e)
                    if r is True:
                        continue
                    if r is False:
                        return False
                    raise located(
                        EvalError(f"The right side of => is not a boolean: {lib.show(r)}."), rspan
                    )
                if not _as_bool(full(e), span):
                    return False
            return True

        return all_filtered

    def any_filtered(e: Frame) -> Value:
        for v, hit in select(dom(e)):
            e[k] = v
            if hit:
                r = rest(e)
                if r is True:
                    return True
                if r is False:
                    continue
                raise located(EvalError(f"A conjunct is not a boolean: {lib.show(r)}."), rspan)
            if _as_bool(full(e), span):
                return True
        return False

    return any_filtered


def choose(comp: Compiler, node: syntax.Choose, ctx: Ctx) -> Code:
    span = comp.where(node.span)
    if node.domain is None:
        raise comp.error(
            "E230", "TLC cannot evaluate an unbounded CHOOSE", span, hint="bound it: CHOOSE x \\in S : P"
        )
    bd = syntax.Bound(node.names, node.domain, node.tuple_pattern, span=node.span)
    binds, inner = bounds(comp, (bd,), ctx)
    body = comp.expr(node.body, inner)
    dom, slots, tup = binds[0]
    if tup:
        slots = [s for _, ss, _ in binds for s in ss]
    bodyf, domf = comp.fused(body), dom.fn
    choose = _chooser(domf, bodyf, slots, tup, span)
    if body.const and body.value is True and not tup:
        # CHOOSE x \in S : TRUE, the idiom for "any element": the least, found without sorting.
        def choose_any(e: Frame) -> Value:
            d = domf(e)
            if type(d) is frozenset and d:
                return least_value(d)
            return choose(e)

        return comp.fold_binder(choose_any, [dom], body, ctx.depth)
    return comp.fold_binder(choose, [dom], body, ctx.depth)


def _chooser(
    domf: Fn1, bodyf: Fn1, slots: list[int], tup: bool, span: Where
) -> Callable[[Frame], Value]:
    def choose(e: Frame) -> Value:
        d = domf(e)
        elems = d if type(d) is list else lib.sorted_elements(_check_enumerable(d, span))
        for v in elems:
            _assign(e, slots, tup, v, span)
            if _as_bool(bodyf(e), span):
                return v
        raise located(
            EvalError(
                f"Attempted to compute the value of an expression of form CHOOSE x \\in S: P, but no "
                f"element of S satisfied P. S = {lib.show(d if type(d) is not list else frozenset(d))}"
            ),
            span,
        )

    return choose


def set_filter(comp: Compiler, node: syntax.SetFilter, ctx: Ctx) -> Code:
    binds, inner = bounds(comp, (node.bound,), ctx)
    pred = comp.expr(node.pred, inner)
    dom, slots, tup = binds[0]
    if tup:
        slots = [s for _, ss, _ in binds for s in ss]
    pf, df = comp.fused(pred), dom.fn
    span = comp.where(node.span)
    items = _flatten("/\\", (node.pred,))
    test = _field_test(items[0], node.bound.names[0]) if len(items) > 1 and not tup else None
    if test is not None:
        # {m \in msgs : m.type = "1b" /\ P}: the field test inlined, as in filtered_quant.
        select = _field_selector(*test, span, comp.selections)
        k0 = slots[0]
        if len(items) == 2:
            rf = comp.fused(comp.expr(items[1], inner))
            rspan: Where | None = comp.where(items[1].span)
        else:
            rf = comp.fused(comp.junction("/\\", items[1:], span, inner))
            rspan = None

        def filt_fast(e: Frame) -> Value:
            out = []
            d = df(e)
            if isinstance(d, LazySet) and lib.is_large(d):
                return lib.Filtered(d, _member_test(e, slots, tup, pf, span))
            for v, hit in select(d):
                e[k0] = v
                if hit:
                    r = rf(e)
                    if r is True:
                        out.append(v)
                    elif r is not False:
                        raise located(EvalError(f"A conjunct is not a boolean: {lib.show(r)}."), rspan)
                elif _as_bool(pf(e), span):
                    out.append(v)
            return frozenset(out)

        return comp.fold_binder(filt_fast, [dom], pred, ctx.depth)

    def filt(e: Frame) -> Value:
        d = df(e)
        if isinstance(d, LazySet) and lib.is_large(d):
            return lib.Filtered(d, _member_test(e, slots, tup, pf, span))
        out = []
        for v in _elements(d, span):
            _assign(e, slots, tup, v, span)
            if _as_bool(pf(e), span):
                out.append(v)
        return frozenset(out)

    if not tup:
        # One generated loop with P inline (its own function, as a quantifier's); a domain that
        # is not a set goes through other, as filt takes it.
        def other(e: Frame, d: Value) -> tuple[Value, Iterable[Value] | None]:
            if isinstance(d, LazySet) and lib.is_large(d):
                return lib.Filtered(d, _member_test(e, slots, tup, pf, span)), None
            return None, _elements(d, span)

        inline = fuse_filter(dom, slots[0], pred, other, lambda v: _as_bool(v, span), UNSET)
        if inline is not None:
            return comp.fold_binder(inline, [dom], pred, ctx.depth)
    return comp.fold_binder(filt, [dom], pred, ctx.depth)


def _member_test(e: Frame, slots: list[int], tup: bool, pf: Fn1, span: Where) -> Callable[[Value], bool]:
    """P(x) for ``{x \\in S : P}`` over an infinite or large S, asked later (by ``\\in``): on a copy of
    the frame as it is now, so the names bound around the set keep their values."""
    frame = e[:]

    def test(v: Value) -> bool:
        f = frame[:]
        _assign(f, slots, tup, v, span)
        return _as_bool(pf(f), span)

    return test


def set_map(comp: Compiler, node: syntax.SetMap, ctx: Ctx) -> Code:
    binds, inner = bounds(comp, node.bounds, ctx)
    bcode = comp.expr(node.expr, inner)
    body = comp.stored(node.expr, bcode)
    span = comp.where(node.span)

    def gen(e: Frame, i: int, out: set[Value]) -> None:
        dom, slots, tup = binds[i]
        last = i + 1 == len(binds)
        for v in _elements(dom.fn(e), span):
            _assign(e, slots, tup, v, span)
            if last:
                out.add(body(e))
            else:
                gen(e, i + 1, out)

    def smap(e: Frame) -> Value:
        out: set[Value] = set()
        gen(e, 0, out)
        return frozenset(out)

    if len(binds) == 1 and not binds[0][2]:
        # One generated comprehension, the value inline (stored: made real where lazy).
        norm = None if body is bcode.fn else lib.normalize
        inline = fuse_set_map(binds[0][0], binds[0][1][0], bcode, norm, lambda d: _elements(d, span), UNSET)
        if inline is not None:
            return comp.fold_binder(inline, [binds[0][0]], bcode, ctx.depth)
    return comp.fold_binder(smap, [d for d, _, _ in binds], bcode, ctx.depth)


def fn_cons(comp: Compiler, node: syntax.FnCons, ctx: Ctx) -> Code:
    binds, inner = bounds(comp, node.bounds, ctx)
    bcode = comp.expr(node.body, inner)
    body = comp.stored(node.body, bcode)
    span = comp.where(node.span)
    doms = [d for d, _, _ in binds]
    if len(binds) == 1 and not binds[0][2]:
        dom0 = binds[0][0].fn
        k = binds[0][1][0]

        def cons1(e: Frame) -> Value:
            d = dom0(e)
            pairs = []
            for v in _elements(d, span):
                e[k] = v
                pairs.append((v, body(e)))
            return make_fn(pairs)

        code = comp.fold_binder(cons1, doms, bcode, ctx.depth)
        if not (bcode.const and isinstance(bcode.value, LazySet)):
            # Fused: the loop written out, the body inline (a lazy set among its values made
            # real by lib.normalize where stored does it).
            norm = None if body is bcode.fn or bcode.const else lib.normalize
            elements = lambda d: _elements(d, span)  # noqa: E731
            code = code._replace_gen(("fncons", binds[0][0], k, bcode, elements, fn_of_dict, norm))
        return code

    def gen(e: Frame, i: int, key: tuple[Value, ...], out: list[tuple[Value, Value]]) -> None:
        dom, slots, tup = binds[i]
        last = i + 1 == len(binds)
        for v in _elements(dom.fn(e), span):
            _assign(e, slots, tup, v, span)
            k2 = key + (v,)
            if last:
                out.append((k2, body(e)))
            else:
                gen(e, i + 1, k2, out)

    def cons(e: Frame) -> Value:
        out: list[tuple[Value, Value]] = []
        gen(e, 0, (), out)
        return make_fn(out)

    return comp.fold_binder(cons, doms, bcode, ctx.depth)


# ---------------------------------------------------------------------------
# Helpers used by the closures


def fn_of_dict(d: dict[Value, Value]) -> Value:
    """``make_fn`` of the pairs of ``d`` (a function constructor's, built by fused code)."""
    for x in d:
        if type(x) is int:
            return make_fn(d)  # perhaps 1..n: a tuple
        return fn_of(d)
    return ()


def _check_enumerable(s: Value, span: Loc) -> Value:
    if isinstance(s, LazySet) and s.infinite:
        raise located(EvalError(f"Attempted to enumerate the infinite set {s.describe()}."), span)
    if type(s) is not frozenset and not isinstance(s, LazySet):
        raise located(EvalError(f"Attempted to compute CHOOSE over {lib.show(s)}, which is not a set."), span)
    return s
