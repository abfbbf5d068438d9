"""Symbolic TLA+ values over Z3: what a variable of a finite instance becomes in a query.

This module owns the representation the encoder (``checker.prove.encode``) computes with,
and every operation on it. A symbolic value (``Sym``) is one of:

- a concrete value of ``checker.values`` (constants, bound variables, literals): operations
  on concrete values are done in Python, so constant parts of a formula never reach Z3;
- a ``z3.BoolRef`` (a Boolean) or a ``z3.ArithRef`` (an integer: Z3's unbounded Int);
- :class:`SChoice`: one of several values, each under a guard (an enumeration: a string or
  model value, a message drawn from a finite set of records); guards are exclusive and
  exhaustive by construction;
- :class:`SSet`: a set over a finite universe of concrete elements, one Boolean per
  element, plus symbolic elements (``{[type |-> "1b", mbal |-> maxVBal[a]]}``) each with
  its guard; membership of a symbolic element is decided by equality with each element;
- :class:`SFn`: a function (or record, or tuple) over a finite concrete domain, one
  symbolic value per argument;
- :class:`SSeq`: a sequence of bounded length, a length and one slot per position.

Bound variables of quantifiers over such sets range over the universe (each element
guarded by its Boolean), so most of a formula is evaluated on concrete elements, which is
what keeps the queries small: quantifiers over constant sets are expanded in Python.

Known shortcut, written down here: applying a function outside its domain (TLC's
evaluation error) is not modelled; a symbolic argument is matched against the domain only.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import z3

from checker.tla import stdlib
from checker.values import Fn, Value, fn_items, make_fn

Sym = Any
"""A concrete value, a z3 Bool or Int term, or an SChoice, SSet, SFn or SSeq."""

BoolLike = Any  # bool | z3.BoolRef


class Unsupported(Exception):
    """An operation the encoding cannot express; the encoder adds the construct's span."""


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class SChoice:
    """One of ``options``: (guard, value) pairs, exactly one guard true."""

    options: tuple[tuple[BoolLike, Sym], ...]


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class SSet:
    """A set: ``members`` maps each concrete element of its universe to its Boolean;
    ``extras`` are symbolic elements, each present when its guard holds."""

    members: Mapping[Value, BoolLike]
    extras: tuple[tuple[BoolLike, Sym], ...] = ()


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class SFn:
    """A function with a concrete domain: argument -> symbolic value."""

    items: Mapping[Value, Sym]


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class SSeq:
    """A sequence of at most ``len(slots)`` elements; slots past ``length`` mean nothing."""

    length: Any  # int | z3.ArithRef
    slots: tuple[Sym, ...]


# ---------------------------------------------------------------------------------------------
# Kinds and coercions


def is_concrete(x: Sym) -> bool:
    return not isinstance(x, (z3.ExprRef, SChoice, SSet, SFn, SSeq))


def is_boolish(x: Sym) -> bool:
    return type(x) is bool or (isinstance(x, z3.ExprRef) and z3.is_bool(x))


def is_intish(x: Sym) -> bool:
    return type(x) is int or (isinstance(x, z3.ArithRef) and x.is_int())


def is_setish(x: Sym) -> bool:
    return type(x) is frozenset or isinstance(x, (SSet, stdlib.LazySet))


def is_fnish(x: Sym) -> bool:
    return type(x) is tuple or type(x) is Fn or isinstance(x, (SFn, SSeq))


def to_bool(x: Sym) -> BoolLike:
    """A Python bool or a z3 Bool for a Boolean-valued symbolic value."""
    if type(x) is bool or (isinstance(x, z3.ExprRef) and z3.is_bool(x)):
        return x
    if isinstance(x, SChoice):
        return or_(and_((g, to_bool(v))) for g, v in x.options)
    raise Unsupported(f"expected a Boolean, got {describe(x)}")


def to_z3_bool(x: Sym) -> z3.BoolRef:
    b = to_bool(x)
    return z3.BoolVal(b) if type(b) is bool else b


def to_int(x: Sym) -> Any:
    """A Python int or a z3 Int for an integer-valued symbolic value."""
    if type(x) is int:
        return x
    if isinstance(x, z3.ArithRef) and x.is_int():
        return x
    if isinstance(x, SChoice):
        return collapse(x.options)
    raise Unsupported(f"expected an integer, got {describe(x)}")


def z3_int(x: Any) -> z3.ArithRef:
    if type(x) is int:
        return _int_val(x)
    return x


@functools.lru_cache(maxsize=1024)
def _int_val(n: int) -> z3.ArithRef:
    return z3.IntVal(n)


def fresh_context() -> None:
    """Make a new Z3 context the default one. Z3's search, and so the counterexamples it
    gives, depends on the ids of the terms, which grow with every term a context has made:
    two checks of one problem in one process would differ (infer's choices with them). The
    terms of one check never outlive it, so each check starts a context of its own; this
    sets z3py's default context, which z3py keeps in its module and offers no setter for."""
    z3.z3._main_ctx = z3.Context()
    _int_val.cache_clear()


def describe(x: Sym) -> str:
    if is_concrete(x):
        return stdlib.show(x)
    if isinstance(x, z3.ExprRef):
        return f"the symbolic {'Boolean' if z3.is_bool(x) else 'integer'} {x}"
    return f"a symbolic {type(x).__name__[1:].lower()}"


# ---------------------------------------------------------------------------------------------
# Boolean connectives with constant folding


def and_(xs: Iterable[BoolLike]) -> BoolLike:
    terms = []
    for x in xs:
        if x is False:
            return False
        if x is True:
            continue
        terms.append(x)
    if not terms:
        return True
    return terms[0] if len(terms) == 1 else _mk("and", terms)


def or_(xs: Iterable[BoolLike]) -> BoolLike:
    terms = []
    for x in xs:
        if x is True:
            return True
        if x is False:
            continue
        terms.append(x)
    if not terms:
        return False
    return terms[0] if len(terms) == 1 else _mk("or", terms)


def _mk(op: str, terms: list[Any]) -> z3.BoolRef:
    """``And``/``Or`` of z3 Booleans without the z3 module's per-argument coercions."""
    ctx = terms[0].ctx
    arr = (z3.Ast * len(terms))()
    for i, x in enumerate(terms):
        arr[i] = x.as_ast()
    mk = z3.Z3_mk_and if op == "and" else z3.Z3_mk_or
    return z3.BoolRef(mk(ctx.ref(), len(terms), arr), ctx)


def not_(x: BoolLike) -> BoolLike:
    if type(x) is bool:
        return not x
    if z3.is_not(x):
        return x.arg(0)
    return z3.BoolRef(z3.Z3_mk_not(x.ctx.ref(), x.as_ast()), x.ctx)


def implies(a: BoolLike, b: BoolLike) -> BoolLike:
    if a is False or b is True:
        return True
    if a is True:
        return b
    if b is False:
        return not_(a)
    return z3.BoolRef(z3.Z3_mk_implies(a.ctx.ref(), a.as_ast(), b.as_ast()), a.ctx)


def iff(a: BoolLike, b: BoolLike) -> BoolLike:
    if type(a) is bool and type(b) is bool:
        return a == b
    if type(a) is bool:
        return b if a else not_(b)
    if type(b) is bool:
        return a if b else not_(a)
    return _z3_eq(a, b)


def _z3_eq(a: z3.ExprRef, b: z3.ExprRef) -> z3.BoolRef:
    return z3.BoolRef(z3.Z3_mk_eq(a.ctx.ref(), a.as_ast(), b.as_ast()), a.ctx)


def _z3_cmp(op: str, a: Any, b: Any) -> z3.BoolRef:
    x, y = z3_int(a), z3_int(b)
    mk = z3.Z3_mk_lt if op == "<" else z3.Z3_mk_le
    return z3.BoolRef(mk(x.ctx.ref(), x.as_ast(), y.as_ast()), x.ctx)


# ---------------------------------------------------------------------------------------------
# Choice: if-then-else over any kind


def options(x: Sym) -> tuple[tuple[BoolLike, Sym], ...]:
    return x.options if isinstance(x, SChoice) else ((True, x),)


def collapse(opts: Sequence[tuple[BoolLike, Sym]]) -> Sym:
    """The best representation of "the value whose guard holds" (guards exclusive, exhaustive)."""
    opts = [(g, v) for g, v in opts if g is not False]
    if not opts:
        raise Unsupported("no option is possible (an empty choice)")
    if len(opts) == 1:
        return opts[0][1]
    values = [v for _, v in opts]
    if all(is_concrete(v) for v in values) and all(_same(v, values[0]) for v in values[1:]):
        return values[0]
    if all(is_boolish(v) for v in values):
        return or_(and_((g, v)) for g, v in opts)
    if all(is_intish(v) for v in values):
        out = z3_int(values[-1])
        for g, v in reversed(opts[:-1]):
            out = z3.If(to_z3_bool(g), z3_int(v), out)
        return out
    if all(isinstance(v, SSet) or type(v) is frozenset for v in values):
        sets = [as_sset(v) for v in values]
        if not any(s.extras for s in sets):
            keys = _ordered_union(s.members for s in sets)
            return SSet(
                {k: or_(and_((g, s.members.get(k, False))) for (g, _), s in zip(opts, sets)) for k in keys}
            )
    if all(isinstance(v, SFn) or type(v) is Fn or type(v) is tuple for v in values):
        fns = [as_sfn(v) for v in values]
        dom = set(fns[0].items)
        if all(set(f.items) == dom for f in fns[1:]):
            return SFn({k: collapse([(g, f.items[k]) for (g, _), f in zip(opts, fns)]) for k in fns[0].items})
    flat: list[tuple[BoolLike, Sym]] = []
    for g, v in opts:
        for h, w in options(v):
            flat.append((and_((g, h)), w))
    return SChoice(tuple(flat))


def ite(c: BoolLike, a: Sym, b: Sym) -> Sym:
    c = to_bool(c)
    if c is True:
        return a
    if c is False:
        return b
    return collapse(((c, a), (not_(c), b)))


def _same(a: Value, b: Value) -> bool:
    return type(a) is type(b) and a == b


def _ordered_union(maps: Iterable[Mapping[Value, Any]]) -> list[Value]:
    seen: dict[Value, None] = {}
    for m in maps:
        for k in m:
            seen.setdefault(k, None)
    return list(seen)


# ---------------------------------------------------------------------------------------------
# Equality


def eq(a: Sym, b: Sym) -> BoolLike:
    """``a = b``."""
    if is_concrete(a) and is_concrete(b):
        return _concrete_eq(a, b)
    if isinstance(a, SChoice):
        return or_(and_((g, eq(v, b))) for g, v in a.options)
    if isinstance(b, SChoice):
        return or_(and_((g, eq(a, v))) for g, v in b.options)
    if is_boolish(a) and is_boolish(b):
        return iff(a, b)
    if is_intish(a) and is_intish(b):
        return _z3_eq(z3_int(a), z3_int(b))
    if is_setish(a) and is_setish(b):
        return and_((subseteq(a, b), subseteq(b, a)))
    if isinstance(a, SSeq) or isinstance(b, SSeq):
        return _seq_eq(a, b)
    if is_fnish(a) and is_fnish(b):
        fa, fb = as_sfn(a), as_sfn(b)
        if set(fa.items) != set(fb.items):
            return False
        return and_(eq(fa.items[k], fb.items[k]) for k in fa.items)
    return False  # values of different kinds (a model value and an integer, say)


def _concrete_eq(a: Value, b: Value) -> bool:
    if type(a) is type(b) and not isinstance(a, stdlib.LazySet):
        return bool(a == b)
    if isinstance(a, stdlib.LazySet) or isinstance(b, stdlib.LazySet):
        return stdlib.enumerate_set(a) == stdlib.enumerate_set(b)
    if type(a) is bool or type(b) is bool or type(a) is int or type(b) is int:
        return False
    return bool(a == b)


def _seq_eq(a: Sym, b: Sym) -> BoolLike:
    sa, sb = as_sseq(a), as_sseq(b)
    if sa is None or sb is None:
        return False
    conds = [
        z3_int(sa.length) == z3_int(sb.length)
        if not (type(sa.length) is int and type(sb.length) is int)
        else sa.length == sb.length
    ]
    for i in range(max(len(sa.slots), len(sb.slots))):
        if i < len(sa.slots) and i < len(sb.slots):
            conds.append(implies(lt(i, sa.length), eq(sa.slots[i], sb.slots[i])))
        else:
            longer = sa if i < len(sa.slots) else sb
            conds.append(not_(lt(i, longer.length)))
    return and_(conds)


# ---------------------------------------------------------------------------------------------
# Integers


def lt(a: Sym, b: Sym) -> BoolLike:
    a, b = to_int(a), to_int(b)
    if type(a) is int and type(b) is int:
        return a < b
    return _z3_cmp("<", a, b)


def le(a: Sym, b: Sym) -> BoolLike:
    a, b = to_int(a), to_int(b)
    if type(a) is int and type(b) is int:
        return a <= b
    return _z3_cmp("<=", a, b)


def arith(op: str, a: Sym, b: Sym) -> Sym:
    a, b = to_int(a), to_int(b)
    if type(a) is int and type(b) is int:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "\\div":
            return stdlib.int_div(a, b)
        if op == "%":
            return stdlib.int_mod(a, b)
        raise Unsupported(f"the operator {op}")
    x, y = z3_int(a), z3_int(b)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "\\div":
        return x / y  # Z3's integer division rounds down for a positive divisor, as \div does
    if op == "%":
        return x % y
    raise Unsupported(f"the operator {op}")


# ---------------------------------------------------------------------------------------------
# Sets


def as_sset(x: Sym) -> SSet:
    if isinstance(x, SSet):
        return x
    if type(x) is frozenset:
        return SSet({e: True for e in stdlib.iterate_set(x)})
    if isinstance(x, stdlib.LazySet):
        if x.infinite:
            raise Unsupported(f"the infinite set {x.describe()} where a finite set is needed")
        return SSet({e: True for e in x.elements()})
    if isinstance(x, SChoice):
        c = collapse(x.options)
        if isinstance(c, SSet):
            return c
    raise Unsupported(f"expected a set, got {describe(x)}")


def member(x: Sym, s: Sym) -> BoolLike:
    """``x \\in s``."""
    if isinstance(s, SChoice):
        return or_(and_((g, member(x, v))) for g, v in s.options)
    if is_concrete(s):
        if is_concrete(x):
            return stdlib.is_in(x, s)
        return _member_concrete_set(x, s)
    if isinstance(s, SSet):
        if is_concrete(x):
            direct = s.members.get(x, False) if _hashable(x) else False
        else:
            direct = or_(and_((eq(x, u), m)) for u, m in s.members.items() if m is not False)
        return or_([direct, *(and_((g, eq(x, e))) for g, e in s.extras)])
    raise Unsupported(f"membership in {describe(s)}")


def _hashable(x: Value) -> bool:
    try:
        hash(x)
    except TypeError:
        return False
    return True


def _member_concrete_set(x: Sym, s: Value) -> BoolLike:
    """A symbolic ``x`` in a concrete (possibly lazy) set."""
    if isinstance(x, SChoice):
        return or_(and_((g, member(v, s))) for g, v in x.options)
    if isinstance(s, stdlib.Naturals):
        return le(0, x)
    if isinstance(s, stdlib.Integers):
        return is_intish(x)
    if isinstance(s, stdlib.SubsetSet):
        return subseteq(x, s.base)
    if isinstance(s, stdlib.FnSet):
        if not is_fnish(x):
            return False
        f = as_sfn(x)
        if set(f.items) != set(stdlib.iterate_set(s.domain)):
            return False
        return and_(member(v, s.codomain) for v in f.items.values())
    if isinstance(s, stdlib.RecordSet):
        if not is_fnish(x):
            return False
        f = as_sfn(x)
        if set(f.items) != {k for k, _ in s.fields}:
            return False
        return and_(member(f.items[k], t) for k, t in s.fields)
    if isinstance(s, stdlib.SeqSet):
        q = as_sseq(x)
        if q is None:
            return False
        return and_(implies(lt(i, q.length), member(v, s.base)) for i, v in enumerate(q.slots))
    if isinstance(s, stdlib.LazySet):
        if s.infinite:
            raise Unsupported(f"membership of a symbolic value in {s.describe()}")
        s = stdlib.enumerate_set(s)
    elems = list(stdlib.iterate_set(s))
    if is_intish(x):
        ints = sorted(e for e in elems if type(e) is int)
        if ints and ints == list(range(ints[0], ints[-1] + 1)) and len(ints) > 2:
            return and_((le(ints[0], x), le(x, ints[-1])))
        return or_(eq(x, e) for e in ints)
    return or_(eq(x, e) for e in elems)


def subseteq(a: Sym, b: Sym) -> BoolLike:
    if is_concrete(a) and is_concrete(b):
        return stdlib.subseteq(a, b)
    sa = as_sset(a)
    parts = [implies(m, member(u, b)) for u, m in sa.members.items() if m is not False]
    parts += [implies(g, member(e, b)) for g, e in sa.extras]
    return and_(parts)


def union(a: Sym, b: Sym) -> Sym:
    if is_concrete(a) and is_concrete(b):
        return stdlib.union(a, b)
    sa, sb = as_sset(a), as_sset(b)
    keys = _ordered_union((sa.members, sb.members))
    return SSet(
        {k: or_((sa.members.get(k, False), sb.members.get(k, False))) for k in keys},
        sa.extras + sb.extras,
    )


def intersect(a: Sym, b: Sym) -> Sym:
    if is_concrete(a) and is_concrete(b):
        return stdlib.intersect(a, b)
    sa = as_sset(a) if not is_concrete(a) or not isinstance(a, stdlib.LazySet) else None
    if sa is None:
        return intersect(b, a)
    return SSet(
        {k: and_((m, member(k, b))) for k, m in sa.members.items()},
        tuple((and_((g, member(e, b))), e) for g, e in sa.extras),
    )


def minus(a: Sym, b: Sym) -> Sym:
    if is_concrete(a) and is_concrete(b):
        return stdlib.set_minus(a, b)
    sa = as_sset(a)
    return SSet(
        {k: and_((m, not_(member(k, b)))) for k, m in sa.members.items()},
        tuple((and_((g, not_(member(e, b)))), e) for g, e in sa.extras),
    )


def set_filter(s: Sym, pred: Callable[[Sym], Sym]) -> Sym:
    """``{x \\in s : pred(x)}``."""
    if is_concrete(s):
        out = {e: to_bool(pred(e)) for e in stdlib.iterate_set(s)}
        if all(type(m) is bool for m in out.values()):
            return frozenset(e for e, m in out.items() if m)
        return SSet(out)
    ss = as_sset(s)
    return SSet(
        {u: and_((m, to_bool(pred(u)))) for u, m in ss.members.items() if m is not False},
        tuple((and_((g, to_bool(pred(e)))), e) for g, e in ss.extras),
    )


def set_map(s: Sym, fn: Callable[[Sym], Sym]) -> Sym:
    """``{fn(x) : x \\in s}``."""
    if is_concrete(s):
        images = [fn(e) for e in stdlib.iterate_set(s)]
        if all(is_concrete(v) for v in images):
            return frozenset(stdlib.normalize(v) for v in images)
        return set_enum(images)
    ss = as_sset(s)
    members: dict[Value, BoolLike] = {}
    extras: list[tuple[BoolLike, Sym]] = []
    for u, m in ss.members.items():
        if m is False:
            continue
        v = fn(u)
        if is_concrete(v):
            v = stdlib.normalize(v)
            members[v] = or_((members.get(v, False), m))
        else:
            extras.append((m, v))
    extras += [(g, fn(e)) for g, e in ss.extras]
    return SSet(members, tuple(extras))


def set_enum(elems: Sequence[Sym]) -> Sym:
    if all(is_concrete(e) for e in elems):
        return frozenset(stdlib.normalize(e) for e in elems)
    members: dict[Value, BoolLike] = {}
    extras = []
    for e in elems:
        if is_concrete(e):
            members[stdlib.normalize(e)] = True
        else:
            extras.append((True, e))
    return SSet(members, tuple(extras))


def cardinality(s: Sym) -> Sym:
    if is_concrete(s):
        return stdlib.cardinality(s)
    ss = as_sset(s)
    terms: list[Any] = [z3.If(to_z3_bool(m), 1, 0) for m in ss.members.values() if m is not False]
    for i, (g, e) in enumerate(ss.extras):
        # Count a symbolic element once: not already among the concrete members or earlier extras.
        fresh = and_(
            [g, not_(member(e, SSet(ss.members))), *(not_(and_((h, eq(e, f)))) for h, f in ss.extras[:i])]
        )
        terms.append(z3.If(to_z3_bool(fresh), 1, 0))
    if not terms:
        return 0
    return z3.Sum(*terms) if len(terms) > 1 else terms[0]


def exists(s: Sym, body: Callable[[Sym], Sym]) -> BoolLike:
    """``\\E x \\in s : body(x)``, expanded over the elements (or universe) of ``s``."""
    out = []
    for g, e in elements(s):
        out.append(and_((g, to_bool(body(e)))))
        if out[-1] is True:
            return True
    return or_(out)


def forall(s: Sym, body: Callable[[Sym], Sym]) -> BoolLike:
    out = []
    for g, e in elements(s):
        out.append(implies(g, to_bool(body(e))))
        if out[-1] is False:
            return False
    return and_(out)


def elements(s: Sym) -> list[tuple[BoolLike, Sym]]:
    """(guard, element) for every possible element of ``s``: the expansion of a quantifier."""
    if is_concrete(s):
        return [(True, e) for e in stdlib.iterate_set(s)]
    ss = as_sset(s)
    return [(m, u) for u, m in ss.members.items() if m is not False] + list(ss.extras)


def choose(s: Sym, pred: Callable[[Sym], Sym]) -> Sym:
    """``CHOOSE x \\in s : pred(x)``: the least element (TLC's order) that satisfies it."""
    if not is_concrete(s):
        raise Unsupported("CHOOSE over a set that depends on the state")
    cands = [(to_bool(pred(e)), e) for e in stdlib.iterate_set(s)]
    opts: list[tuple[BoolLike, Sym]] = []
    none_before: BoolLike = True
    for c, e in cands:
        opts.append((and_((none_before, c)), e))
        none_before = and_((none_before, not_(c)))
        if none_before is False:
            break
    if none_before is not False:
        # TLC stops with an error when no element satisfies the predicate; here the value is
        # then the last candidate, which only matters in states where TLC itself would fail.
        if not opts:
            raise Unsupported("CHOOSE from an empty set")
        g, e = opts[-1]
        opts[-1] = (or_((g, none_before)), e)
    return collapse(opts)


# ---------------------------------------------------------------------------------------------
# Functions, records, tuples


def as_sfn(x: Sym) -> SFn:
    if isinstance(x, SFn):
        return x
    if type(x) is tuple or type(x) is Fn:
        return SFn(dict(fn_items(x)))
    if isinstance(x, SChoice):
        c = collapse(x.options)
        if isinstance(c, SFn):
            return c
    raise Unsupported(f"expected a function with a fixed domain, got {describe(x)}")


def make_sfn(pairs: Mapping[Value, Sym]) -> Sym:
    if all(is_concrete(v) for v in pairs.values()):
        return make_fn({k: stdlib.normalize(v) for k, v in pairs.items()})
    return SFn(dict(pairs))


def apply(f: Sym, arg: Sym) -> Sym:
    """``f[arg]`` (also ``r.field`` with a string argument)."""
    if is_concrete(f) and is_concrete(arg):
        if type(arg) is str and type(f) is Fn and f.is_record():
            return stdlib.select_field(f, arg)
        return stdlib.apply(f, arg)
    if isinstance(f, SChoice):
        return collapse([(g, apply(v, arg)) for g, v in f.options])
    if isinstance(f, SSeq):
        return _seq_index(f, arg)
    sf = as_sfn(f)
    if is_concrete(arg):
        if arg in sf.items:
            return sf.items[arg]
        if type(arg) is tuple and len(arg) == 1 and arg[0] in sf.items:
            return sf.items[arg[0]]
        raise Unsupported(f"applying a function to {stdlib.show(arg)}, which is not in its domain")
    opts = [(eq(arg, k), v) for k, v in sf.items.items()]
    opts = [(g, v) for g, v in opts if g is not False]
    if not opts:
        raise Unsupported(f"applying a function to {describe(arg)}, which is never in its domain")
    # Outside the domain TLC fails; here the last possible argument stands in (see the docstring).
    guards_before: BoolLike = True
    exclusive = []
    for i, (g, v) in enumerate(opts):
        if i == len(opts) - 1:
            exclusive.append((guards_before, v))
        else:
            exclusive.append((and_((guards_before, g)), v))
            guards_before = and_((guards_before, not_(g)))
    return collapse(exclusive)


def domain(f: Sym) -> Sym:
    if is_concrete(f):
        return stdlib.domain(f)
    if isinstance(f, SSeq):
        return SSet({i + 1: lt(i, f.length) for i in range(len(f.slots))})
    if isinstance(f, SChoice):
        return collapse([(g, domain(v)) for g, v in f.options])
    return frozenset(as_sfn(f).items)


def except_update(f: Sym, keys: Sequence[Sym], new: Callable[[Sym], Sym]) -> Sym:
    """``[f EXCEPT ![k1][k2]... = new(@)]``."""
    if not keys:
        return new(f)
    key, rest = keys[0], keys[1:]
    if isinstance(f, SSeq):
        slots = tuple(
            ite(and_((eq(key, i + 1), lt(i, f.length))), except_update(v, rest, new), v)
            for i, v in enumerate(f.slots)
        )
        return SSeq(f.length, slots)
    if isinstance(f, SChoice):
        return collapse([(g, except_update(v, keys, new)) for g, v in f.options])
    sf = as_sfn(f)
    items = dict(sf.items)
    if is_concrete(key):
        if key in items:
            items[key] = except_update(items[key], rest, new)
        # TLC: EXCEPT at an argument outside the domain leaves the function unchanged.
    else:
        for k, v in sf.items.items():
            hit = eq(key, k)
            if hit is not False:
                items[k] = ite(hit, except_update(v, rest, new), v)
    return make_sfn(items)


# ---------------------------------------------------------------------------------------------
# Sequences


def as_sseq(x: Sym) -> SSeq | None:
    if isinstance(x, SSeq):
        return x
    if type(x) is tuple:
        return SSeq(len(x), x)
    if type(x) is Fn and len(x) == 0:
        return SSeq(0, ())
    if isinstance(x, SFn):
        keys = set(x.items)
        n = len(keys)
        if keys == set(range(1, n + 1)):
            return SSeq(n, tuple(x.items[i] for i in range(1, n + 1)))
    return None


def _need_seq(x: Sym, op: str) -> SSeq:
    q = as_sseq(x)
    if q is None:
        if isinstance(x, SChoice):
            c = collapse(x.options)
            q = as_sseq(c) if not isinstance(c, SChoice) else None
        if q is None:
            raise Unsupported(f"{op} of {describe(x)}, which is not a sequence")
    return q


def seq_len(x: Sym) -> Sym:
    if is_concrete(x):
        return stdlib.seq_len(x)
    return _need_seq(x, "Len").length


def _seq_index(q: SSeq, i: Sym) -> Sym:
    if not q.slots:
        raise Unsupported("indexing a sequence that is always empty")
    if type(i) is int:
        if not 1 <= i <= len(q.slots):
            # Past the bound the sequence has no element: TLC fails there, so this only matters
            # in states where a guard (k <= Len(s)) already rules the index out.
            return q.slots[-1]
        return q.slots[i - 1]
    return apply(SFn({k + 1: v for k, v in enumerate(q.slots)}), i)


def _normal_seq(length: Any, slots: Sequence[Sym]) -> Sym:
    if type(length) is int and all(is_concrete(v) for v in slots[:length]):
        return tuple(stdlib.normalize(v) for v in slots[:length])
    return SSeq(length, tuple(slots))


def append(s: Sym, e: Sym) -> Sym:
    if is_concrete(s) and is_concrete(e):
        return stdlib.append(s, e)
    q = _need_seq(s, "Append")
    if type(q.length) is int:
        return _normal_seq(q.length + 1, (*q.slots[: q.length], e))
    slots = [ite(eq(q.length, i), e, v) for i, v in enumerate(q.slots)] + [e]
    return SSeq(arith("+", q.length, 1), tuple(slots))


def head(s: Sym) -> Sym:
    if is_concrete(s):
        return stdlib.head(s)
    q = _need_seq(s, "Head")
    if not q.slots:
        raise Unsupported("Head of a sequence that is always empty")
    return q.slots[0]


def tail(s: Sym) -> Sym:
    if is_concrete(s):
        return stdlib.tail(s)
    q = _need_seq(s, "Tail")
    if type(q.length) is int:
        return _normal_seq(max(q.length - 1, 0), q.slots[1:])
    return SSeq(z3.If(z3_int(q.length) > 0, z3_int(q.length) - 1, 0), q.slots[1:])


def concat(a: Sym, b: Sym) -> Sym:
    if is_concrete(a) and is_concrete(b):
        return stdlib.concat(a, b)
    qa, qb = _need_seq(a, "\\o"), _need_seq(b, "\\o")
    if type(qa.length) is int:
        return _normal_seq(arith("+", qa.length, qb.length), (*qa.slots[: qa.length], *qb.slots))
    n = len(qa.slots) + len(qb.slots)
    slots = []
    for i in range(n):
        # position i comes from a if i < len(a), else from b at i - len(a)
        opts: list[tuple[BoolLike, Sym]] = []
        for k, v in enumerate(qb.slots):
            if k <= i and i - k < len(qa.slots) + 1:
                opts.append((eq(qa.length, i - k), v))
        from_b = or_(g for g, _ in opts)
        val_b = _first_true(opts) if opts else None
        if i < len(qa.slots):
            slots.append(qa.slots[i] if val_b is None else ite(from_b, val_b, qa.slots[i]))
        else:
            slots.append(val_b if val_b is not None else qb.slots[0] if qb.slots else 0)
    return SSeq(arith("+", qa.length, qb.length), tuple(slots))


def _first_true(opts: list[tuple[BoolLike, Sym]]) -> Sym:
    out = opts[-1][1]
    for g, v in reversed(opts[:-1]):
        out = ite(g, v, out)
    return out


def subseq(s: Sym, m: Sym, n: Sym) -> Sym:
    if is_concrete(s) and is_concrete(m) and is_concrete(n):
        return stdlib.subseq(s, m, n)
    q = _need_seq(s, "SubSeq")
    if type(m) is int and m == 1:
        length = ite(lt(n, 0), 0, n) if not is_concrete(n) else max(n, 0)
        return SSeq(length, q.slots[: len(q.slots)])
    raise Unsupported("SubSeq(s, m, n) with m other than 1 on a symbolic sequence")


# ---------------------------------------------------------------------------------------------
# Decoding a Z3 model into values


def decode(x: Sym, model: z3.ModelRef) -> Value:
    """The concrete value of ``x`` in ``model``."""
    if is_concrete(x):
        return stdlib.normalize(x)
    if isinstance(x, z3.ExprRef):
        v = model.eval(x, model_completion=True)
        if z3.is_bool(x):
            return z3.is_true(v)
        return v.as_long()
    if isinstance(x, SChoice):
        for g, v in x.options:
            if _holds(g, model):
                return decode(v, model)
        raise ValueError("no option of a choice holds in the model")
    if isinstance(x, SSet):
        out = {u for u, m in x.members.items() if _holds(m, model)}
        out |= {decode(e, model) for g, e in x.extras if _holds(g, model)}
        return frozenset(out)
    if isinstance(x, SFn):
        return make_fn({k: decode(v, model) for k, v in x.items.items()})
    if isinstance(x, SSeq):
        n = decode(x.length, model) if type(x.length) is not int else x.length
        return tuple(decode(v, model) for v in x.slots[:n])
    raise TypeError(f"cannot decode {x!r}")


def _holds(g: BoolLike, model: z3.ModelRef) -> bool:
    if type(g) is bool:
        return g
    return bool(z3.is_true(model.eval(g, model_completion=True)))


__all__ = ["SChoice", "SFn", "SSeq", "SSet", "Sym", "Unsupported"]
