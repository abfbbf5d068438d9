"""Pointwise conjuncts of an invariant, checked again only where the step changed them.

A PlusCal invariant reads most variables one process at a time:

    \\A i \\in 0..N-1 : pc[i] \\in {"b", "Done"} => x[i] = {1}        (SimpleRegular's Inv)
    pc \\in [0..N-1 -> {"a1", "a2", "b", "Done"}]                      (its TypeOK)

and a step changes one process's entries (``pc' = [pc EXCEPT ![self] = "a2"]``). Such a
conjunct ``\\A i \\in D : P``, where ``D`` is a constant and ``P`` reads each variable ``v``
only as ``v[i]`` (and definitions that read no variable), gives at each ``i`` what it gave
on any earlier state whose ``v[i]`` are the very same objects. So where it held on the
values ``old`` (the last ones it held on) and the state's values are ``new``, it holds on
``new`` when ``P`` holds at the keys of ``D`` where some ``new[i]`` is not ``old[i]``; and
``v \\in [D -> S]`` (``S`` a constant) likewise, with ``v[i] \\in S`` as ``P``, where ``new``
has ``old``'s keys (and so ``D``).

``pointwise`` gives, for such a conjunct, a ``Pointwise``: the keys ``D`` (a frozenset), the
frame slot of the bound name and ``P`` compiled with it there. The invariants' generated check
(``model._AllHold``) asks ``values.changed_keys(D, new1, old1, ...)`` (in C where the engine has
it) for the keys where the state's values differ from the last ones the conjunct held on, and
evaluates ``P`` there; where a key does not give TRUE, or the values are not two functions of
one kind with the same keys (``changed_keys`` gives None; ``v \\in [D -> S]`` needs ``new``'s
domain to be ``old``'s, and so ``D``), it evaluates the whole conjunct, as it would have
otherwise, for its value or its error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from checker.tla import syntax
from checker.tla.compile.code import (
    _IMPURE,
    BuiltinB,
    Compiling,
    Ctx,
    FnDefB,
    Frame,
    OpB,
    Scope,
    SlotB,
    VarB,
    footprint,
)
from checker.tla.stdlib import iterate_set
from checker.values import Value


@dataclasses.dataclass(frozen=True, slots=True)
class Pointwise:
    """A pointwise conjunct: ``body`` (``P``) with the key in frame slot ``slot``, for the keys ``keys``."""

    keys: frozenset[Value]
    slot: int
    body: Callable[[Frame], Value]


def pointwise(
    comp: Compiling, node: syntax.Expr, scope: Scope, base: Ctx, slots: tuple[int, ...]
) -> Pointwise | None:
    """The conjunct ``node`` as a ``Pointwise`` (see the module), or None where it is not of
    that shape or reads other variables than ``slots`` (its footprint)."""
    ctx = dataclasses.replace(base, scope=scope)
    if isinstance(node, syntax.Quant) and node.kind == "\\A" and len(node.bounds) == 1:
        bound = node.bounds[0]
        if len(bound.names) != 1 or bound.tuple_pattern:
            return None
        name, domain, body = bound.names[0], bound.domain, node.body
        variables = _read_at(body, name, scope)
    elif isinstance(node, syntax.OpApp) and node.name == "\\in" and isinstance(node.args[1], syntax.FnSet):
        target, fnset = node.args[0], node.args[1]
        if not isinstance(target, syntax.Name) or not isinstance(scope.lookup(target.name), VarB):
            return None
        if scope.mapped(target.name) is not None or footprint(fnset.codomain, scope, set()) != set():
            return None
        name = "_"  # not a TLA+ identifier: it cannot clash with a name in scope
        domain = fnset.domain
        body = syntax.OpApp(
            "\\in", (syntax.FnApp(target, (syntax.Name(name),)), fnset.codomain), span=node.span
        )
        variables = _read_at(body, name, scope)
    else:
        return None
    if variables is None or tuple(sorted(variables)) != slots or footprint(domain, scope, set()) != set():
        return None
    dom = comp.expr(domain, ctx)
    if not dom.const:
        return None
    try:
        keys = frozenset(iterate_set(dom.value))
    except Exception:  # not a finite set: the conjunct says what is wrong, evaluated whole
        return None
    slot = ctx.depth
    comp._use(slot + 1)
    return Pointwise(keys, slot, comp.fused(comp.expr(body, ctx.bind({name: SlotB(slot)}, 1))))


def _read_at(body: syntax.Expr, name: str, scope: Scope) -> set[int] | None:
    """The variables ``body`` reads, each only as ``v[name]``; None where it reads one
    otherwise (or may: a definition that reads variables, a binder of ``name`` inside)."""
    out: set[int] = set()
    stack: list[Any] = [body]
    while stack:
        n = stack.pop()
        if isinstance(n, syntax.FnApp) and isinstance(n.fn, syntax.Name) and n.args == (syntax.Name(name),):
            b = scope.lookup(n.fn.name)
            if isinstance(b, VarB):
                if scope.mapped(n.fn.name) is not None:
                    return None
                out.add(b.index)
                continue
        if isinstance(n, syntax.Bound) and name in n.names:
            return None
        if isinstance(
            n, syntax.QuantUnbounded | syntax.Let | syntax.Lambda | syntax.Choose | syntax.Qualified
        ):
            return None  # binders of their own (a name that may be ``name``), instances
        if isinstance(n, syntax.Name | syntax.OpApp) and n.name != name:
            if n.name in _IMPURE:
                return None
            b = scope.lookup(n.name)
            if isinstance(b, VarB):
                return None  # read otherwise than at [name]
            if isinstance(b, OpB | FnDefB):
                body_of = b.body if isinstance(b, OpB) else b.node
                if b.scope is None or footprint(body_of, b.scope, set()) != set():  # type: ignore[arg-type]
                    return None
            elif b is not None and not isinstance(b, BuiltinB):
                return None  # a constant's code, a parameter: not known to read no state
        stack.extend(syntax.children(n))
    return out
