"""The standard modules of TLA+ as Python functions over ``checker.values``.

Owns the meaning of every built-in operator that the compiler does not inline:
Naturals/Integers (``Nat``, ``Int``), Sequences, FiniteSets, TLC, Bags, and the
set and function operators of the core language. Each function takes plain
values and returns a value; what a spec can get wrong (``Head(<<>>)``, a set
that cannot be enumerated, values TLC cannot compare) raises :class:`EvalError`
with TLC's wording. The compiler adds the span, the operator stack and the
state (``checker.tla.compile``), so nothing here knows about syntax.

Sets that TLC keeps lazy are lazy here too (:class:`LazySet`): ``Nat``, ``Int``,
``STRING`` and ``Seq(S)`` are infinite and only answer membership;
``SUBSET S``, ``[S -> T]`` and ``[a : S]`` answer membership without being built
and are enumerated only when a spec iterates over them. Anything that stores a
value (a state, a set element, an equality) first turns a lazy set into a
``frozenset`` with :func:`enumerate_set`, which is where an infinite set is
reported.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from checker.errors import MAX_INT_BITS, MAX_INT_DIGITS, ModelError, Span
from checker.values import (
    Fn,
    ModelValue,
    Value,
    fn_apply,
    fn_items,
    fn_of,
    format_value,
    make_fn,
    sorted_values,
    value_key,
)


class EvalError(ModelError):
    """A runtime error while evaluating a spec (TLC's exit code 75).

    Raised bare by this module; the compiler fills in where it happened: the span
    of the innermost expression, the operators it was inside (innermost first),
    and the state (and action) being explored.
    """

    exit_code = 75

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.span: Span | None = None
        self.stack: list[tuple[str, Span | None]] = []
        self.context: str | None = None  # "while evaluating the invariant Inv", ...
        self.state: str | None = None  # the state, as TLC prints it

    def add_frame(self, name: str, span: Span | None) -> None:
        self.stack.append((name, span if span is not None and span.line > 0 else None))

    def __str__(self) -> str:
        where = f"{self.span}: " if self.span is not None else ""
        lines = [f"{where}error[E750]: {self.message}"]
        if self.span is not None:
            lines += _source_excerpt(self.span)
        for name, span in self.stack:
            lines.append(f"  in {name}" + (f" at {span}" if span is not None else ""))
        if self.context:
            lines.append(self.context)
        if self.state is not None:
            lines.append("The error occurred in the state:")
            lines.append(self.state)
        return "\n".join(lines)


class AssumptionError(ModelError):
    """An ASSUME that is false for the constants of the cfg (TLC's exit code 10)."""

    exit_code = 10


def _source_excerpt(span: Span) -> list[str]:
    try:
        text = Path(span.file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    if not 1 <= span.line <= len(text):
        return []
    line = text[span.line - 1]
    width = span.end_col - span.col if span.end_line == span.line else len(line) - span.col + 1
    return [f"  {line}", "  " + " " * (span.col - 1) + "^" * max(1, width)]


# ---------------------------------------------------------------------------
# Lazy and infinite sets


LARGE = 1 << 16
"""Sets with more elements than this stay lazy where they are built (an interval, a union,
a product, a difference or a filter of a lazy set): membership is tested without building
them, as TLC's lazy set values do; smaller ones are built, as iterating them is then cheaper."""
MAX_SET_SIZE = 1_000_000
"""The largest interval built into a set (TLC's -maxSetSize default)."""


Seen = dict[int, bool]
SEEN_LIMIT = 65_536  # membership answers a set of functions or records keeps


# The 64-bit fingerprint of a value: the engine's (checker/engine/fingerprint.py gives it at its
# import, being the later stage); until then no membership answer is remembered.
_fingerprints: list[Callable[[Value], int]] = []


def remember_by(fingerprint: Callable[[Value], int]) -> None:
    """Remember membership answers by ``fingerprint`` (see ``remembered``)."""
    _fingerprints[:] = [fingerprint]


def fingerprint_function() -> Callable[[Value], int] | None:
    """The engine's fingerprint of a value, once the engine is imported."""
    return _fingerprints[0] if _fingerprints else None


def remembered(seen: Seen, v: Value, test: Callable[[Value], bool]) -> bool:
    """``test(v)``, remembered in ``seen`` by ``v``'s 64-bit fingerprint. TypeOK's ``node[s] \\in
    NodeStates`` and ``m \\in Messages`` meet the same few values in state after state (as
    new objects: ``[node EXCEPT ![s] = ...]`` builds a record equal to one seen before), and a
    test walks the record and every set it nests. Not by Python's equality: ``[a |-> 1]`` and
    ``[a |-> TRUE]`` are equal to Python, and their fingerprints differ (as the visited set's,
    which these are: two values share one with the probability it reports for states). A
    value without a fingerprint is tested each time; an error is not remembered."""
    if not _fingerprints:
        return test(v)
    try:
        key = _fingerprints[0](v)
    except Exception:  # a value the fingerprints do not know (a lazy set inside it)
        return test(v)
    r = seen.get(key)
    if r is None:
        r = test(v)
        if len(seen) >= SEEN_LIMIT:
            seen.clear()
        seen[key] = r
    return r


class LazySet:
    """A set TLC does not build unless it must: membership without enumeration."""

    __slots__ = ()
    infinite = False

    def contains(self, v: Value) -> bool:
        raise NotImplementedError

    def elements(self) -> Iterator[Value]:
        raise NotImplementedError

    def size(self) -> int:
        """The number of elements (an error for an infinite set), by counting if need be."""
        if self.infinite:
            raise EvalError(f"Attempted to compute the cardinality of the infinite set {self.describe()}.")
        return sum(1 for _ in self.elements())

    def describe(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.describe()


def _not_of(v: Value, s: LazySet) -> bool:
    """``v \\in s`` for a ``v`` that is not of ``s``'s kind: FALSE for a model value, as TLC
    says; for another value TLC's error."""
    if type(v) is ModelValue:
        return False
    raise EvalError(f"Attempted to check if the value {show(v)} is an element of {s.describe()}.")


class Naturals(LazySet):
    __slots__ = ()
    infinite = True

    def contains(self, v: Value) -> bool:
        return v >= 0 if type(v) is int else _not_of(v, self)

    def describe(self) -> str:
        return "Nat"


class Integers(LazySet):
    __slots__ = ()
    infinite = True

    def contains(self, v: Value) -> bool:
        return True if type(v) is int else _not_of(v, self)

    def describe(self) -> str:
        return "Int"


class Strings(LazySet):
    __slots__ = ()
    infinite = True

    def contains(self, v: Value) -> bool:
        return True if type(v) is str else _not_of(v, self)

    def describe(self) -> str:
        return "STRING"


class SeqSet(LazySet):
    """``Seq(S)``: every finite sequence over ``S``."""

    __slots__ = ("base",)
    infinite = True

    def __init__(self, base: Value) -> None:
        self.base = base

    def contains(self, v: Value) -> bool:
        return type(v) is tuple and all(is_in(x, self.base) for x in v)

    def describe(self) -> str:
        return f"Seq({show(self.base)})"


class SubsetSet(LazySet):
    """``SUBSET S``."""

    __slots__ = ("base", "infinite")

    def __init__(self, base: Value) -> None:
        self.base = base
        self.infinite = _infinite(base)

    def size(self) -> int:
        return int(2 ** cardinality(self.base))

    def contains(self, v: Value) -> bool:
        return type(v) is frozenset and all(is_in(x, self.base) for x in v)

    def elements(self) -> Iterator[Value]:
        base = sorted(enumerate_set(self.base), key=value_key)
        for n in range(len(base) + 1):
            for combo in itertools.combinations(base, n):
                yield frozenset(combo)

    def describe(self) -> str:
        return f"SUBSET {show(self.base)}"


KEPT = 4096  # a set of functions or records of at most this many elements keeps its enumeration


def _kept(s: FnSet | RecordSet) -> Iterator[Value]:
    """The elements of a set of functions or records; a small set lists them once and keeps
    them (a memoised ``Array(T, len) == [elems: [1..len -> T]]`` is quantified over at every
    step), a larger one generates them at each enumeration."""
    if s._items is None:
        if s.size() > KEPT:
            return s._elements()
        s._items = list(s._elements())
    return iter(s._items)


class FnSet(LazySet):
    """``[S -> T]``."""

    __slots__ = ("domain", "codomain", "infinite", "_dom", "_sequences", "_items", "_seen")

    def __init__(self, domain: Value, codomain: Value) -> None:
        self.domain = domain
        self.codomain = codomain
        self.infinite = _infinite(domain) or (_infinite(codomain) and not _empty(domain))
        self._dom: frozenset[Value] | None = None  # the domain, built at the first membership test
        self._sequences = False  # whether the domain is 1..n (its functions are tuples)
        self._items: list[Value] | None = None  # the elements, once enumerated (_kept)
        self._seen: Seen = {}  # membership answers by object (remembered)

    def size(self) -> int:
        if self.infinite:
            return super().size()
        return int(cardinality(self.codomain) ** cardinality(self.domain))

    def contains(self, v: Value) -> bool:
        return remembered(self._seen, v, self._contains)

    def _contains(self, v: Value) -> bool:
        t = type(v)
        if t is not tuple and t is not Fn:
            return False
        dom = self._dom
        if dom is None:
            dom = self._dom = enumerate_set(self.domain)
            self._sequences = dom == frozenset(range(1, len(dom) + 1))
        if t is tuple:
            if not self._sequences or len(v) != len(dom):
                return False
            images: Iterable[Value] = v
        else:
            if v.keys() != dom:
                return False
            images = v.values()
        cod = self.codomain
        if type(cod) is frozenset:
            return cod.issuperset(images)
        return all(is_in(x, cod) for x in images)

    def elements(self) -> Iterator[Value]:
        return _kept(self)

    def _elements(self) -> Iterator[Value]:
        dom = sorted(enumerate_set(self.domain), key=value_key)
        cod = sorted(enumerate_set(self.codomain), key=value_key)
        for images in itertools.product(cod, repeat=len(dom)):
            yield make_fn(zip(dom, images))

    def describe(self) -> str:
        return f"[{show(self.domain)} -> {show(self.codomain)}]"


class RecordSet(LazySet):
    """``[a : S, b : T]``."""

    __slots__ = ("fields", "infinite", "_items", "_seen")

    def __init__(self, fields: tuple[tuple[str, Value], ...]) -> None:
        self.fields = fields
        self.infinite = any(_infinite(x) for _, x in fields) and not any(_empty(x) for _, x in fields)
        self._items: list[Value] | None = None  # the elements, once enumerated (_kept)
        self._seen: Seen = {}  # membership answers by object (remembered)

    def size(self) -> int:
        if self.infinite:
            return super().size()
        return math.prod(cardinality(x) for _, x in self.fields)

    def contains(self, v: Value) -> bool:
        return remembered(self._seen, v, self._contains)

    def _contains(self, v: Value) -> bool:
        if type(v) is not Fn or len(v) != len(self.fields):
            return False
        return all(k in v and is_in(v[k], s) for k, s in self.fields)

    def elements(self) -> Iterator[Value]:
        return _kept(self)

    def _elements(self) -> Iterator[Value]:
        names = [k for k, _ in self.fields]
        choices = [sorted(enumerate_set(s), key=value_key) for _, s in self.fields]
        for combo in itertools.product(*choices):
            yield fn_of(zip(names, combo))

    def describe(self) -> str:
        return "[" + ", ".join(f"{k} : {show(s)}" for k, s in self.fields) + "]"


class Interval(LazySet):
    """``a..b`` with more than :data:`LARGE` elements: ``Cardinality(1..10^9)`` and
    ``x \\in 1..10^9`` without building it."""

    __slots__ = ("lo", "hi")

    def __init__(self, lo: int, hi: int) -> None:
        self.lo = lo
        self.hi = hi

    def contains(self, v: Value) -> bool:
        return type(v) is int and self.lo <= v <= self.hi

    def elements(self) -> Iterator[Value]:
        return iter(range(self.lo, self.hi + 1))

    def size(self) -> int:
        return max(0, self.hi - self.lo + 1)

    def describe(self) -> str:
        return f"{self.lo}..{self.hi}"


class Union(LazySet):
    """``S \\cup T`` or ``UNION {S, T, ...}`` where a part is infinite or large
    (``Int \\cup {NULL}``): an element of any part is a member."""

    __slots__ = ("parts", "infinite")

    def __init__(self, parts: tuple[Value, ...]) -> None:
        self.parts = parts
        self.infinite = any(_infinite(x) for x in parts)

    def contains(self, v: Value) -> bool:
        return any(is_in(v, x) for x in self.parts)

    def elements(self) -> Iterator[Value]:
        out: set[Value] = set()
        for x in self.parts:
            out.update(iterate_set(x))
        return iter(sorted(out, key=value_key))

    def describe(self) -> str:
        return " \\cup ".join(show(x) for x in self.parts)


class Product(LazySet):
    """``S \\X T`` where a factor is infinite or the product large."""

    __slots__ = ("factors", "infinite")

    def __init__(self, factors: tuple[Value, ...]) -> None:
        self.factors = factors
        self.infinite = any(_infinite(x) for x in factors) and not any(_empty(x) for x in factors)

    def contains(self, v: Value) -> bool:
        return (
            type(v) is tuple
            and len(v) == len(self.factors)
            and all(is_in(x, f) for x, f in zip(v, self.factors))
        )

    def elements(self) -> Iterator[Value]:
        return itertools.product(*(sorted_elements(f) for f in self.factors))

    def size(self) -> int:
        if self.infinite:
            return super().size()
        return math.prod(cardinality(f) for f in self.factors)

    def describe(self) -> str:
        return " \\X ".join(show(x) for x in self.factors)


def _infinite(s: Value) -> bool:
    return isinstance(s, LazySet) and s.infinite


def _empty(s: Value) -> bool:
    return s == frozenset() or (isinstance(s, LazySet) and not s.infinite and s.size() == 0)


def is_large(s: Value) -> bool:
    """A lazy set best left lazy: infinite, or with more than LARGE elements."""
    if isinstance(s, Union | Difference | Filtered):
        return True  # made lazy only from a large part: not counted, which could mean building it
    return isinstance(s, LazySet) and (s.infinite or s.size() > LARGE)


NAT = Naturals()
INT = Integers()
STRING = Strings()


def show(v: Value) -> str:
    return v.describe() if isinstance(v, LazySet) else format_value(v)


def is_in(x: Value, s: Value) -> bool:
    """``x \\in s``."""
    if type(s) is frozenset:
        return x in s
    if isinstance(s, LazySet):
        return s.contains(x)
    raise EvalError(f"Attempted to check if the value {show(x)} is an element of the non-set {show(s)}.")


def atoms_kind(s: frozenset[Value]) -> type | None:
    """``int`` or ``bool`` where ``s`` holds only integers or only booleans, else None: the
    sets whose ``in`` must see the element's type, Python's ``1 == True`` being no TLA+."""
    kinds = set(map(type, s))
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind is int or kind is bool:
            return kind
    return None


def member_of_other_kind(x: Value, s: frozenset[Value]) -> bool:
    """``x \\in s`` where ``s`` holds only integers (or only booleans) and ``x`` is not one:
    FALSE for a model value, TLC's error for another value (not Python's ``1 in {TRUE}``)."""
    if type(x) is ModelValue:
        return False
    kind = _kind(next(iter(s)))
    raise EvalError(f"Attempted to check if the {_kind(x)} {show(x)} is an element of {show(s)}, a set of {kind}s.")


def enumerate_set(s: Value) -> frozenset[Value]:
    """``s`` as a frozenset; an infinite set or a non-set is an error."""
    if type(s) is frozenset:
        return s
    if isinstance(s, LazySet):
        if s.infinite:
            raise EvalError(f"Attempted to enumerate the infinite set {s.describe()}.")
        if isinstance(s, Interval) and s.size() > MAX_SET_SIZE:
            # Bounded work, as TLC's -maxSetSize: {1..10^9} would fill the memory.
            raise EvalError(
                f"The set {s.describe()} would have to be built here, and tlacheck builds sets of at "
                f"most {MAX_SET_SIZE:,} elements (TLC's -maxSetSize bound)."
            )
        return frozenset(s.elements())
    raise EvalError(f"Attempted to enumerate {show(s)}, which is not a set.")


def iterate_set(s: Value) -> Iterable[Value]:
    """The elements of ``s`` in TLC's order (least first), for quantifiers and CHOOSE."""
    if type(s) is frozenset:
        if len(s) <= 1:
            return s
        return sorted_values(s)
    if isinstance(s, LazySet):
        if s.infinite:
            raise EvalError(f"Attempted to enumerate the infinite set {s.describe()}.")
        return s.elements()
    raise EvalError(f"Attempted to enumerate {show(s)}, which is not a set.")


def sorted_elements(s: Value) -> list[Value]:
    """Every element of a (finite) set, least first: CHOOSE's order."""
    if type(s) is frozenset:
        return sorted_values(s)
    return sorted_values(iterate_set(s))


def normalize(v: Value) -> Value:
    """A value fit to store: lazy sets become frozensets."""
    if isinstance(v, LazySet):
        return enumerate_set(v)
    return v


# ---------------------------------------------------------------------------
# Equality and comparison with TLC's rules


def _kind(v: Value) -> str:
    t = type(v)
    if t is bool:
        return "boolean"
    if t is int:
        return "integer"
    if t is str:
        return "string"
    if t is ModelValue:
        return "model value"
    if t is frozenset or isinstance(v, LazySet):
        return "set"
    return "function"


def equal(a: Value, b: Value) -> bool:
    """``a = b``. Values of different kinds are an error, except model values (unequal to all else)."""
    ta = type(a)
    if ta is type(b):
        return bool(a == b)
    if ta is ModelValue or type(b) is ModelValue:
        return False  # interned: of another type, so another value (Nano's block = NoBlock)
    ka, kb = _kind(a), _kind(b)
    if ka == kb:
        if ka == "set":
            return enumerate_set(a) == enumerate_set(b)
        return bool(a == b)  # a tuple and an Fn: both functions
    if ka == "model value" or kb == "model value":
        return False
    raise EvalError(f"Attempted to check equality of {ka} {show(a)} with non-{ka} {show(b)}.")


def check_int(v: Value, op: str) -> int:
    if type(v) is not int:
        raise EvalError(f"The operator {op} expects an integer, but got the {_kind(v)} {show(v)}.")
    return int(v)


def check_bool(v: Value, what: str) -> bool:
    if type(v) is not bool:
        raise EvalError(f"{what} must be a boolean, but is the {_kind(v)} {show(v)}.")
    return v


def check_set(v: Value, op: str) -> frozenset[Value]:
    if type(v) is frozenset:
        return v
    if isinstance(v, LazySet):
        return enumerate_set(v)
    raise EvalError(f"The operator {op} expects a set, but got the {_kind(v)} {show(v)}.")


# ---------------------------------------------------------------------------
# Naturals and Integers


def int_div(a: Value, b: Value) -> Value:
    a, b = check_int(a, "\\div"), check_int(b, "\\div")
    if b == 0:
        raise EvalError(f"The second argument of \\div is 0: {a} \\div 0.")
    return a // b


def int_mod(a: Value, b: Value) -> Value:
    a, b = check_int(a, "%"), check_int(b, "%")
    if b <= 0:
        raise EvalError(f"The second argument of % should be a positive number, but instead it is: {b}")
    return a % b


def int_pow(a: Value, b: Value) -> int:
    a, b = check_int(a, "^"), check_int(b, "^")
    if b < 0:
        raise EvalError(f"The exponent of ^ is negative: {a}^{b}.")
    if abs(a) > 1 and b * (abs(a).bit_length() - 1) > MAX_INT_BITS:
        # Bounded work: 2^(2^40) would take the memory of the machine (TLC overflows at 2^31).
        raise EvalError(
            f"Overflow when computing {a}^{b}: the result has more than {MAX_INT_DIGITS:,} digits."
        )
    return int(a**b)


def interval(a: Value, b: Value) -> Value:
    a, b = check_int(a, ".."), check_int(b, "..")
    if b - a >= LARGE:
        return Interval(a, b)
    return frozenset(range(a, b + 1))


# ---------------------------------------------------------------------------
# Sets


def union(a: Value, b: Value) -> Value:
    if type(a) is frozenset and type(b) is frozenset:
        return a | b
    for x in (a, b):
        if type(x) is not frozenset and not isinstance(x, LazySet):
            raise EvalError(f"The operator \\cup expects a set, but got the {_kind(x)} {show(x)}.")
    if is_large(a) or is_large(b):
        # TLC asks an enumerated set (or an interval) first, whichever side it is on:
        # "none" \in Nat \cup {"none"} is TRUE there, without asking Nat (which would fail).
        if type(a) is not frozenset and type(a) is not Interval and (type(b) is frozenset or type(b) is Interval):
            return Union((b, a))
        return Union((a, b))
    return check_set(a, "\\cup") | check_set(b, "\\cup")


def intersect(a: Value, b: Value) -> frozenset[Value]:
    if isinstance(b, LazySet) and type(a) is frozenset:
        return frozenset(x for x in a if b.contains(x))
    if isinstance(a, LazySet) and type(b) is frozenset:
        return frozenset(x for x in b if a.contains(x))
    return check_set(a, "\\cap") & check_set(b, "\\cap")


class Difference(LazySet):
    """``S \\ T`` with S infinite or large (``Nat \\ {0}``): tested for membership without
    enumerating S, as TLC's lazy set difference."""

    __slots__ = ("left", "right", "infinite")

    def __init__(self, left: LazySet, right: Value) -> None:
        self.left = left
        self.right = right
        self.infinite = left.infinite

    def contains(self, v: Value) -> bool:
        return self.left.contains(v) and not is_in(v, self.right)

    def elements(self) -> Iterator[Value]:
        return (x for x in self.left.elements() if not is_in(x, self.right))

    def describe(self) -> str:
        return f"{self.left.describe()} \\ {show(self.right)}"


class Filtered(LazySet):
    """``{x \\in S : P}`` with S infinite or large (``{n \\in Nat : n > 0}``): x is a member
    when it is in S and P holds of it; tested for membership without enumerating S, as in TLC.
    (Counted as infinite when S is: TLC cannot enumerate it either.)"""

    __slots__ = ("domain", "test", "infinite")

    def __init__(self, domain: LazySet, test: Callable[[Value], bool]) -> None:
        self.domain = domain
        self.test = test
        self.infinite = domain.infinite

    def contains(self, v: Value) -> bool:
        return self.domain.contains(v) and self.test(v)

    def elements(self) -> Iterator[Value]:
        return (x for x in self.domain.elements() if self.test(x))

    def describe(self) -> str:
        return f"{{x \\in {self.domain.describe()} : ...}}"


def set_minus(a: Value, b: Value) -> Value:
    if is_large(a):
        assert isinstance(a, LazySet)
        if type(b) is not frozenset and not isinstance(b, LazySet):
            raise EvalError(f"The operator \\ expects a set, but got the {_kind(b)} {show(b)}.")
        return Difference(a, b)
    a = check_set(a, "\\")
    if isinstance(b, LazySet):
        return frozenset(x for x in a if not b.contains(x))
    return a - check_set(b, "\\")


def subseteq(a: Value, b: Value) -> bool:
    if isinstance(b, LazySet):
        return all(b.contains(x) for x in iterate_set(a))
    return check_set(a, "\\subseteq") <= check_set(b, "\\subseteq")


def subset(s: Value) -> SubsetSet:
    return SubsetSet(s)


def big_union(s: Value) -> Value:
    parts = check_set(s, "UNION")
    for x in parts:
        if type(x) is not frozenset and not isinstance(x, LazySet):
            raise EvalError(f"The operator UNION expects a set of sets, but it contains {show(x)}.")
    if any(is_large(x) for x in parts):
        return Union(tuple(sorted(parts, key=_set_key)))
    out: set[Value] = set()
    for x in parts:
        out |= check_set(x, "UNION")
    return frozenset(out)


def union_of(*parts: Value) -> Value:
    """``UNION {S, T, ...}`` from its parts, without building the set of them."""
    for x in parts:
        if type(x) is not frozenset and not isinstance(x, LazySet):
            raise EvalError(f"The operator UNION expects a set of sets, but it contains {show(x)}.")
    if any(is_large(x) for x in parts):
        return Union(parts)
    out: set[Value] = set()
    for x in parts:
        out |= check_set(x, "UNION")
    return frozenset(out)


def _set_key(s: Value) -> Any:
    return (1, s.describe()) if isinstance(s, LazySet) else (0, value_key(s))


def cardinality(s: Value) -> int:
    if isinstance(s, LazySet):
        return s.size()
    return len(check_set(s, "Cardinality"))


def is_finite_set(s: Value) -> bool:
    if isinstance(s, LazySet):
        return not s.infinite
    if type(s) is frozenset:
        return True
    raise EvalError(f"IsFiniteSet expects a set, but got {show(s)}.")


def cartesian(*sets: Value) -> Value:
    for x in sets:
        if type(x) is not frozenset and not isinstance(x, LazySet):
            raise EvalError(f"The operator \\X expects a set, but got the {_kind(x)} {show(x)}.")
    if any(_infinite(x) for x in sets) or math.prod(cardinality(x) for x in sets) > LARGE:
        return Product(sets)
    return frozenset(itertools.product(*(check_set(s, "\\X") for s in sets)))


# ---------------------------------------------------------------------------
# Functions and records


def apply(f: Value, arg: Value) -> Value:
    """``f[arg]``: TLC's error outside the domain."""
    try:
        return fn_apply(f, arg)
    except (KeyError, TypeError, AttributeError):
        pass
    if type(f) is not tuple and type(f) is not Fn:
        raise EvalError(f"A non-function ({_kind(f)} {show(f)}) was applied as a function.") from None
    raise EvalError(
        f"Attempted to apply function:\n{show(f)}\nto argument {show(arg)}, which is not in the domain "
        "of the function."
    ) from None


def select_field(r: Value, name: str) -> Value:
    """``r.name``."""
    if type(r) is Fn:
        v = r.get(name, _MISSING)
        if v is not _MISSING:
            return v
        raise EvalError(f"Attempted to access nonexistent field '{name}' of record\n{show(r)}")
    raise EvalError(f"Attempted to access field '{name}' of the non-record {_kind(r)} {show(r)}.")


_MISSING = object()


def domain(f: Value) -> Value:
    if type(f) is tuple:
        return frozenset(range(1, len(f) + 1))
    if type(f) is Fn:
        return f.domain()
    raise EvalError(f"Attempted to compute the domain of the non-function {_kind(f)} {show(f)}.")


def except_at(f: Value, arg: Value, new: Value) -> Value:
    """``[f EXCEPT ![arg] = new]``; an argument outside the domain leaves ``f`` unchanged (TLC)."""
    if type(f) is tuple:
        if type(arg) is int and 1 <= arg <= len(f):
            return f[: arg - 1] + (new,) + f[arg:]
        return f
    if type(f) is Fn:
        if arg in f:
            return f.updated(arg, new)
        return f
    raise EvalError(f"Attempted to apply EXCEPT to the non-function {_kind(f)} {show(f)}.")


def colon_gt(a: Value, b: Value) -> Value:
    """``a :> b``: the function with domain {a}."""
    return make_fn({a: b})


def at_at(f: Value, g: Value) -> Value:
    """``f @@ g``: f where defined, else g."""
    pairs = dict(fn_items(g))
    pairs.update(fn_items(f))
    return make_fn(pairs)


# ---------------------------------------------------------------------------
# Sequences


def check_seq(s: Value, op: str) -> tuple[Value, ...]:
    if type(s) is tuple:
        return s
    raise EvalError(f"The argument of {op} should be a sequence, but instead it is:\n{show(s)}")


def seq_len(s: Value) -> int:
    return len(check_seq(s, "Len"))


def append(s: Value, e: Value) -> Value:
    return check_seq(s, "Append") + (e,)


def head(s: Value) -> Value:
    s = check_seq(s, "Head")
    if not s:
        raise EvalError("Attempted to apply Head to the empty sequence.")
    return s[0]


def tail(s: Value) -> Value:
    s = check_seq(s, "Tail")
    if not s:
        raise EvalError("Attempted to apply Tail to the empty sequence.")
    return s[1:]


def concat(a: Value, b: Value) -> Value:
    return check_seq(a, "\\o") + check_seq(b, "\\o")


def subseq(s: Value, m: Value, n: Value) -> Value:
    s = check_seq(s, "SubSeq")
    m, n = check_int(m, "SubSeq"), check_int(n, "SubSeq")
    if m > n:
        return ()
    if m < 1 or n > len(s):
        raise EvalError(f"The range [{m}, {n}] of SubSeq is outside the sequence {show(s)}.")
    return s[m - 1 : n]


def select_seq(s: Value, test: Callable[[Value], Value]) -> tuple[Value, ...]:
    s = check_seq(s, "SelectSeq")
    return tuple(x for x in s if check_bool(test(x), "The test of SelectSeq"))


def seq_set(s: Value) -> SeqSet:
    return SeqSet(s)


# ---------------------------------------------------------------------------
# TLC


def permutations(s: Value) -> frozenset[Value]:
    """``Permutations(S)``: every bijection of S onto itself."""
    elems = sorted(check_set(s, "Permutations"), key=value_key)
    return frozenset(make_fn(zip(elems, p)) for p in itertools.permutations(elems))


def sort_seq(s: Value, less: Callable[[Value, Value], Value]) -> tuple[Value, ...]:
    import functools

    items = list(check_seq(s, "SortSeq"))

    def cmp(a: Value, b: Value) -> int:
        if check_bool(less(a, b), "The comparator of SortSeq"):
            return -1
        if check_bool(less(b, a), "The comparator of SortSeq"):
            return 1
        return 0

    return tuple(sorted(items, key=functools.cmp_to_key(cmp)))


def to_string(v: Value) -> str:
    return show(v)


class AssertFailure(EvalError):
    """A failed ``Assert(P, out)``: TLC's exit code 14."""

    exit_code = 14


def tlc_assert(ok: Value, out: Value) -> bool:
    if ok is not True:
        raise AssertFailure(
            f"The first argument of Assert evaluated to FALSE; the second argument was:\n{show(out)}"
        )
    return True


class TlcRuntime:
    """What the TLC module keeps per check: registers, the random source, the print sink.

    One per compiled spec, never module-level, so two checks never share state.
    """

    __slots__ = (
        "registers", "properties", "rng", "out", "deadlock", "level", "track_level", "stateful", "effects", "stats",
        "behaviour", "track_trace", "explored",
    )

    def __init__(self, seed: int = 0, out: Callable[[str], None] | None = None) -> None:
        self.registers: dict[Value, Value] = {}
        # TLCSet("-Dname", v): TLC sets the Java system property `name` to v as TLC prints it.
        self.properties: dict[str, str] = {}
        self.rng = random.Random(seed)
        self.out = out if out is not None else _default_out
        self.deadlock = True  # whether deadlock is checked (TLCGet("config").deadlock)
        # TLCGet("level"): the level of the state being examined (0 in Init), kept by the
        # model when the spec asks for it (track_level, set when TLCGet("level") is compiled).
        self.level: int | None = None
        self.track_level = False
        # The spec uses TLCSet or RandomElement: evaluations share state, which a search on
        # several processes would split (checker/engine/parallel.py needs one process then).
        self.stateful = False
        # Whether the spec uses an operator whose value is not a function of the state
        # (Print, PrintT, TLCGet, TLCSet, RandomElement): then no evaluation may be skipped.
        self.effects = False
        # TLCGet("stats"): the search's figures, known once it is over (for a POSTCONDITION).
        self.stats: Value = None
        # TLCExt's Trace: the behaviour that led to the state being examined, as records; the
        # model sets it when the spec uses Trace (with track_level: the states' first parents).
        self.behaviour: Callable[[], Value] | None = None
        self.track_trace = False
        # The states whose successors were asked for: a clock for the memos' trials.
        self.explored = 0

    def print_value(self, out: Value, val: Value) -> Value:
        self.out(f"{show(out)}  {show(val)}")
        return val

    def print_t(self, out: Value) -> bool:
        self.out(show(out))
        return True

    def trace(self) -> Value:
        """TLCExt's ``Trace``: the shortest behaviour (as BFS found it) from an initial state
        to the state being examined, a sequence of records ``[var |-> value]``."""
        if self.behaviour is None:
            raise EvalError("Trace: there is no behaviour here (it is known while states are examined).")
        return self.behaviour()

    def tlc_get(self, key: Value) -> Value:
        if type(key) is int and key in self.registers:
            return self.registers[key]
        if key == "level" and self.level is not None:
            return self.level
        if key == "stats" and self.stats is not None:
            return self.stats
        if key == "config":
            # TLC 2.20's fields; its install path, seed and fingerprint seed vary by run.
            return fn_of(
                [
                    ("install", "tlacheck"),
                    ("mode", "bfs"),
                    ("deadlock", self.deadlock),
                    ("seed", "0"),
                    ("fingerprint", "0"),
                    ("worker", 1),
                ]
            )
        if type(key) is int:
            raise EvalError(f"TLCGet({key}): the register {key} was never set with TLCSet.")
        if type(key) is str and key.startswith("-D"):
            return self.java_property(key)
        raise EvalError(f"TLCGet({show(key)}) is not supported (its value depends on TLC's search).")

    def java_property(self, key: str) -> str:
        """``TLCGet("-Dname")``: TLC 2.20 returns the Java system property ``name``, or the key
        itself when it is not set. tlacheck has no Java properties but those set by
        ``TLCSet("-Dname", v)`` and TLC's own switches (``tlc2.*``), which are unset unless TLC
        is started with ``java -Dtlc2....``: so MCCRDT's ``TLCGet("-Dtlc2.tool.impl.Tool.cdot")``
        is the key, as in TLC run without that flag."""
        name = key[2:]
        if not name:
            raise EvalError(f"TLCGet({show(key)}): key can't be empty")
        if name in self.properties:
            return self.properties[name]
        if name.startswith("tlc2."):
            return key
        raise EvalError(
            f"TLCGet({show(key)}) reads the Java system property {name}: tlacheck has no Java "
            "properties (only tlc2.* switches, unset, and those set with TLCSet)."
        )

    def tlc_set(self, key: Value, val: Value) -> bool:
        if type(key) is str and key.startswith("-D") and len(key) > 2:
            self.properties[key[2:]] = show(val)
            return True
        if type(key) is not int or key < 0:
            raise EvalError(f"TLCSet({show(key)}, ...): only integer registers are supported.")
        self.registers[key] = val
        return True

    def random_element(self, s: Value) -> Value:
        elems = sorted(check_set(s, "RandomElement"), key=value_key)
        if not elems:
            raise EvalError("Attempted to compute RandomElement of the empty set.")
        return elems[self.rng.randrange(len(elems))]


def _default_out(text: str) -> None:
    print(text)


# ---------------------------------------------------------------------------
# Bags: functions from elements to positive counts


def check_bag(b: Value, op: str) -> dict[Value, int]:
    if type(b) is tuple or type(b) is Fn:
        pairs = dict(fn_items(b))
        if all(type(n) is int and n > 0 for n in pairs.values()):
            return pairs
    raise EvalError(f"The argument of {op} should be a bag, but instead it is:\n{show(b)}")


EMPTY_BAG: Value = ()


def is_a_bag(b: Value) -> bool:
    return (type(b) is tuple or type(b) is Fn) and all(type(n) is int and n > 0 for _, n in fn_items(b))


def bag_to_set(b: Value) -> frozenset[Value]:
    return frozenset(check_bag(b, "BagToSet"))


def set_to_bag(s: Value) -> Value:
    return make_fn({x: 1 for x in check_set(s, "SetToBag")})


def bag_in(e: Value, b: Value) -> bool:
    return e in check_bag(b, "BagIn")


def copies_in(e: Value, b: Value) -> int:
    return check_bag(b, "CopiesIn").get(e, 0)


def bag_add(a: Value, b: Value) -> Value:
    out = check_bag(a, "(+)")
    for k, n in check_bag(b, "(+)").items():
        out[k] = out.get(k, 0) + n
    return make_fn(out)


def bag_sub(a: Value, b: Value) -> Value:
    out = check_bag(a, "(-)")
    for k, n in check_bag(b, "(-)").items():
        if k in out:
            out[k] -= n
    return make_fn({k: n for k, n in out.items() if n > 0})


def bag_union(s: Value) -> Value:
    out: dict[Value, int] = {}
    for b in iterate_set(s):
        for k, n in check_bag(b, "BagUnion").items():
            out[k] = out.get(k, 0) + n
    return make_fn(out)


def sub_bag_eq(a: Value, b: Value) -> bool:
    """``a \\sqsubseteq b``."""
    bb = check_bag(b, "\\sqsubseteq")
    return all(n <= bb.get(k, 0) for k, n in check_bag(a, "\\sqsubseteq").items())


def sub_bags(b: Value) -> frozenset[Value]:
    """``SubBag(B)``: every bag below B."""
    items = sorted(check_bag(b, "SubBag").items(), key=lambda kv: value_key(kv[0]))
    out = set()
    for counts in itertools.product(*(range(n + 1) for _, n in items)):
        out.add(make_fn({k: c for (k, _), c in zip(items, counts) if c > 0}))
    return frozenset(out)


def bag_of_all(f: Callable[[Value], Value], b: Value) -> Value:
    out: dict[Value, int] = {}
    for k, n in check_bag(b, "BagOfAll").items():
        y = f(k)
        out[y] = out.get(y, 0) + n
    return make_fn(out)


def bag_cardinality(b: Value) -> int:
    return sum(check_bag(b, "BagCardinality").values())
