"""Which model values an invariant cannot tell apart (issue 23): the engine then checks it once
per class of states that differ only by renaming them (``checker.engine.classes``).

Renaming model values (a permutation ``p`` of them, applied everywhere inside a value)
commutes with the operators of TLA+ and of the standard modules allowed below: if every
constant an invariant ``P`` reads is left unchanged by ``p``, then ``P``'s value on the state
``p(s)`` is ``p`` applied to its value on ``s``, and for a boolean that is the same value. So
once ``P`` held on ``s`` it holds on every ``p(s)``. The sets of such model values are found
from the constants ``P`` reads: two model values are interchangeable when swapping them leaves
each of those constants unchanged (such swaps generate every permutation of each set).

An invariant gets no sets (and is checked on every state, as TLC does) when it reads what does
not commute with a renaming: CHOOSE (the least element by TLC's order of values, which a
renaming changes), an operator of another module than those listed here (TLC's ``Print``,
``TLCGet``, ``RandomElement``, ``ToString``, CommunityModules' ``SetToSeq``, ...), an INSTANCE,
ENABLED or a temporal operator. A model value named on its own in a constant (``Leader ==
a1``) is in no set.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.symmetry import SMALL_GROUP, group_order, permute
from checker.tla import syntax
from checker.tla.builtins import BUILTINS, Builtin
from checker.tla.compile.code import BuiltinB, CodeB, Ctx, FnDefB, OpB, Scope, VarB
from checker.tla.compile.compiler import Compiler
from checker.values import Fn, ModelValue, Value

# Modules whose every operator commutes with renaming model values (none looks at a value's
# name or at an order of values, none has effects), and TLC's operators that do.
_MODULES = frozenset({None, "Naturals", "Integers", "Sequences", "FiniteSets"})
_TLC_OPS = frozenset({":>", "@@", "Permutations"})
_NOT_STATE_PREDICATES = frozenset({"ENABLED", "'", "UNCHANGED", "[]", "<>", "~>", "-+->", "\\cdot"})
# Expressions that do not commute with a renaming, or that this module does not follow.
_OPAQUE = (
    syntax.Choose,
    syntax.Qualified,
    syntax.QuantUnbounded,
    syntax.BoxAction,
    syntax.AngleAction,
    syntax.Fairness,
)
_VALUE_BUDGET = 100_000  # values walked to read a constant; a larger one is read through its definition
_ATOMS_LIMIT = 24


def _commutes(b: Builtin) -> bool:
    if b.name in _NOT_STATE_PREDICATES or not b.pure:
        return False
    return b.module in _MODULES or (b.module == "TLC" and b.name in _TLC_OPS)


def constants_read(comp: Compiler, node: syntax.Expr, scope: Scope, base: Ctx) -> list[Value] | None:
    """The values of the constants ``node`` reads (cfg values, definitions that read no
    variable), or None when ``node`` uses something that may not commute with a renaming."""
    out: list[Value] = []
    return out if _walk(comp, node, frozenset(), scope, base, set(), out) else None


def _walk(
    comp: Compiler, node: syntax.Node, bound: frozenset[str], scope: Scope, base: Ctx, seen: set[int],
    out: list[Value],
) -> bool:  # fmt: skip
    for n, names in _scoped(node, bound):
        if isinstance(n, _OPAQUE) or isinstance(n, syntax.Unit) and not isinstance(n, syntax.FnDef):
            return False
        if not isinstance(n, syntax.Name | syntax.OpApp) or n.name in names:
            continue  # not a name, or one bound inside node (its arguments are walked on their own)
        b = scope.lookup(n.name)
        if b is None or isinstance(b, BuiltinB):
            builtin = BUILTINS.get(n.name)
            if builtin is not None and not _commutes(builtin):
                return False
            continue  # a parameter of the definition being read, or a built-in that commutes
        if isinstance(b, VarB):
            continue
        if isinstance(b, CodeB):
            if not b.code.const or not _plain(b.code.value):
                return False
            out.append(b.code.value)
        elif isinstance(b, OpB):
            if b.scope is None or b.name == "LAMBDA":
                return False
            if id(b) in seen:
                continue
            seen.add(id(b))
            if not b.params:
                value = _constant(comp, n, scope, base)
                if value is not None:
                    out.append(value[0])
                    continue
            params = frozenset(p.name for p in b.params)
            if not _walk(comp, b.body, params, b.scope, base, seen, out):
                return False
        elif isinstance(b, FnDefB):
            if b.scope is None:
                return False
            if id(b) not in seen:
                seen.add(id(b))
                if not _walk(comp, b.node, frozenset(), b.scope, base, seen, out):
                    return False
        else:
            return False
    return True


def _scoped(node: syntax.Node, bound: frozenset[str]) -> Iterator[tuple[syntax.Node, frozenset[str]]]:
    """Every node below ``node`` with the names bound where it is (by a quantifier, a set
    former, a function constructor, LAMBDA, LET): never one more than are bound there."""
    stack: list[tuple[syntax.Node, frozenset[str]]] = [(node, bound)]
    while stack:
        n, b = stack.pop()
        yield n, b
        if isinstance(n, syntax.Quant | syntax.FnCons | syntax.SetMap | syntax.FnDef):
            bounds = n.bounds
            inner = b | {x for bd in bounds for x in bd.names}
            stack.extend((bd.domain, b) for bd in bounds)
            stack.append((n.expr if isinstance(n, syntax.SetMap) else n.body, inner))
        elif isinstance(n, syntax.SetFilter):
            stack.append((n.bound.domain, b))
            stack.append((n.pred, b | set(n.bound.names)))
        elif isinstance(n, syntax.Lambda):
            stack.append((n.body, b | set(n.params)))
        elif isinstance(n, syntax.Let):
            visible = b
            for d in n.defs:  # a definition sees those before it (and itself, if recursive)
                if isinstance(d, syntax.Recursive):
                    visible = visible | {x.name for x in d.decls}
                elif isinstance(d, syntax.OpDef):
                    visible = visible | {d.name}
                    stack.append((d.body, visible | {p.name for p in d.params}))
                elif isinstance(d, syntax.FnDef):
                    visible = visible | {d.name}
                    stack.append((d, visible))
                else:
                    stack.append((d, visible))  # an INSTANCE: refused by the caller
            stack.append((n.body, visible))
        else:
            stack.extend((c, b) for c in syntax.children(n))


def _constant(comp: Compiler, n: syntax.Expr, scope: Scope, base: Ctx) -> tuple[Value] | None:
    """The value of a definition without parameters that reads no variable, when it is a
    plain value of moderate size (a lazy or large set is read through its definition)."""
    try:
        code = comp.expr(n, Ctx(scope, base.depth))
    except Exception:
        return None
    if not code.const or not _plain(code.value):
        return None
    return (code.value,)


def _plain(v: Value) -> bool:
    """Whether ``v`` is built of plain values only (no lazy set), within the budget."""
    budget = _VALUE_BUDGET
    stack = [v]
    while stack:
        budget -= 1
        if budget < 0:
            return False
        x = stack.pop()
        t = type(x)
        if t is frozenset or t is tuple:
            stack.extend(x)
        elif t is Fn:
            stack.extend(x.keys())
            stack.extend(x.values())
        elif t is not int and t is not str and t is not bool and t is not ModelValue:
            return False
    return True


def _atoms(values: list[Value]) -> list[ModelValue]:
    found: dict[ModelValue, None] = {}
    stack = list(values)
    while stack:
        x = stack.pop()
        t = type(x)
        if t is ModelValue:
            found[x] = None
        elif t is frozenset or t is tuple:
            stack.extend(x)
        elif t is Fn:
            stack.extend(x.keys())
            stack.extend(x.values())
    return sorted(found, key=lambda a: a.name)


def interchangeable(constants: list[Value]) -> tuple[frozenset[Value], ...]:
    """The sets of model values that these constants cannot tell apart (two or more each):
    swapping two of a set leaves every constant unchanged."""
    atoms = _atoms(constants)
    if len(atoms) > _ATOMS_LIMIT:
        return ()
    classes: list[list[ModelValue]] = []
    for a in atoms:
        for cls in classes:
            b = cls[0]
            swap = {a: b, b: a}
            if all(permute(c, swap) == c for c in constants):
                cls.append(a)
                break
        else:
            classes.append([a])
    sets = tuple(frozenset(c) for c in classes if len(c) > 1)
    # SmallGroup tries every image: beyond its bound (4! * 1, 3! * 2! * 2!, ...) no memo.
    return sets if group_order(sets) <= SMALL_GROUP else ()
