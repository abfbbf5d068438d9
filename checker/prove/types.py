"""Finite types of state variables, and the Z3 terms of a state built from them.

This module owns the step from "a set a variable ranges over" (the right-hand side of a
``TypeOK`` conjunct such as ``msgs \\subseteq Message`` or ``votes \\in [A -> SUBSET B]``)
to a shape of Z3 terms:

====================  =====================================================
``BOOLEAN``            one Bool
a set of integers      one Int (the set itself stays a constraint of TypeOK)
``Nat``, ``Int``       one Int
another finite set     an enumeration: an Int index over its elements
``SUBSET U``           one Bool per element of U
``[D -> R]``           one term (of R's type) per element of D
``[a : S, b : T]``     one term per field
``Seq(S)``             a length and ``bound`` slots (the bound comes from TypeOK)
====================  =====================================================

A variable whose type is not finite in this sense (``Seq(S)`` without a bound, ``STRING``)
is reported by the encoder with the conjunct that gave it.

A type is a shape, not a constraint: the state's TypeOK is part of the invariant and is
asserted (or refuted) like every other conjunct. Where a shape cannot represent a value an
action produces (a message outside ``Message``), :func:`fits` says so, and the encoder
turns that into a counterexample on TypeOK rather than dropping the step.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import z3

from checker.prove import symbolic as sy
from checker.values import Value, format_value


@dataclasses.dataclass(frozen=True, slots=True)
class BoolT:
    def __str__(self) -> str:
        return "BOOLEAN"


@dataclasses.dataclass(frozen=True, slots=True)
class IntT:
    def __str__(self) -> str:
        return "Int"


@dataclasses.dataclass(frozen=True, slots=True)
class EnumT:
    """One of finitely many concrete values."""

    universe: tuple[Value, ...]

    def __str__(self) -> str:
        return (
            "{"
            + ", ".join(format_value(v) for v in self.universe[:6])
            + (", ..." if len(self.universe) > 6 else "")
            + "}"
        )


@dataclasses.dataclass(frozen=True, slots=True)
class SetT:
    """A subset of a finite universe of concrete values."""

    universe: tuple[Value, ...]

    def __str__(self) -> str:
        return f"SUBSET (a universe of {len(self.universe)} elements)"


@dataclasses.dataclass(frozen=True, slots=True)
class FnT:
    """A function (or record) with a fixed concrete domain; each argument has its type."""

    items: tuple[tuple[Value, Type], ...]

    def __str__(self) -> str:
        return (
            "["
            + ", ".join(f"{format_value(k)} -> {t}" for k, t in self.items[:4])
            + (", ..." if len(self.items) > 4 else "")
            + "]"
        )


@dataclasses.dataclass(frozen=True, slots=True)
class SeqT:
    """A sequence of at most ``bound`` elements of ``elem``."""

    elem: Type
    bound: int

    def __str__(self) -> str:
        return f"Seq({self.elem}) of length <= {self.bound}"


Type = BoolT | IntT | EnumT | SetT | FnT | SeqT


def fresh(t: Type, name: str, shape: list[Any]) -> sy.Sym:
    """New Z3 terms of type ``t`` named after ``name``; representation constraints go to ``shape``."""
    if isinstance(t, BoolT):
        return z3.Bool(name)
    if isinstance(t, IntT):
        return z3.Int(name)
    if isinstance(t, EnumT):
        if len(t.universe) == 1:
            return t.universe[0]
        idx = z3.Int(name)
        shape.append(z3.And(idx >= 0, idx < len(t.universe)))
        return sy.SChoice(tuple((idx == i, v) for i, v in enumerate(t.universe)))
    if isinstance(t, SetT):
        return sy.SSet({u: z3.Bool(f"{name}∋{format_value(u)}") for u in t.universe})
    if isinstance(t, FnT):
        return sy.SFn({k: fresh(s, f"{name}[{format_value(k)}]", shape) for k, s in t.items})
    if isinstance(t, SeqT):
        length = z3.Int(f"Len({name})")
        shape.append(z3.And(length >= 0, length <= t.bound))
        return sy.SSeq(length, tuple(fresh(t.elem, f"{name}[{i + 1}]", shape) for i in range(t.bound)))
    raise TypeError(t)


def fits(x: sy.Sym, t: Type) -> sy.BoolLike:
    """Whether the value ``x`` can be represented by the terms of type ``t``.

    False (or a condition) where an action produces a value outside the shape: an element
    outside a set's universe, a function with another domain, a sequence too long.
    """
    if isinstance(t, (BoolT, IntT)):
        return True
    if isinstance(t, EnumT):
        allowed = set(t.universe)
        return sy.or_(sy.and_((g, sy.member(v, frozenset(allowed)))) for g, v in sy.options(x))
    if isinstance(t, SetT):
        if not sy.is_setish(x):
            return False
        s = sy.as_sset(x)
        universe = frozenset(t.universe)
        parts = [sy.not_(m) for u, m in s.members.items() if u not in universe]
        parts += [sy.implies(g, sy.member(e, universe)) for g, e in s.extras]
        return sy.and_(parts)
    if isinstance(t, FnT):
        if isinstance(x, sy.SChoice):
            return sy.or_(sy.and_((g, fits(v, t))) for g, v in x.options)
        if not sy.is_fnish(x):
            return False
        f = sy.as_sfn(x)
        want = dict(t.items)
        if set(f.items) != set(want):
            return False
        return sy.and_(fits(v, want[k]) for k, v in f.items.items())
    if isinstance(t, SeqT):
        q = sy.as_sseq(x)
        if q is None:
            return False
        parts = [sy.le(q.length, t.bound)]
        parts += [sy.implies(sy.lt(i, q.length), fits(v, t.elem)) for i, v in enumerate(q.slots)]
        return sy.and_(parts)
    raise TypeError(t)


def size(t: Type) -> int:
    """The number of Z3 terms of the shape (for the report)."""
    if isinstance(t, (BoolT, IntT, EnumT)):
        return 1
    if isinstance(t, SetT):
        return len(t.universe)
    if isinstance(t, FnT):
        return sum(size(s) for _, s in t.items)
    return 1 + t.bound * size(t.elem)
