"""TLA+ values as plain, hashable Python objects (shared/DESIGN.md §3).

This module owns the value universe every other part shares:

- ``BOOLEAN`` is ``bool``, integers are ``int``, strings are ``str``;
- a model value is a :class:`ModelValue`, equal only to a model value of the same name;
- a set is a ``frozenset``;
- a sequence or tuple is a ``tuple``;
- every other function (records included) is an :class:`Fn`.

A function whose domain is ``1..n`` *is* a sequence: :func:`make_fn` returns a
``tuple`` for it, and the empty function is ``()``. Normalising once, at
construction, keeps equality and hashing plain Python, which is what the
engine's fingerprints rely on.

It also owns the fixed total order on values (:func:`value_key`) used wherever
an iteration order could change a result (``CHOOSE``, printing), and the TLA+
rendering of values (:func:`format_value`).
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain
from operator import attrgetter
from typing import Any, ClassVar

Value = Any
"""Any TLA+ value: bool, int, str, ModelValue, frozenset, tuple or Fn."""


class ModelValue:
    """A TLC model value: an opaque constant equal only to itself.

    Model values are interned: ``ModelValue("a1")`` always returns the same
    object, so equality and hashing are the object's own (identity, in C),
    which matters because model values sit in most states' sets and records.
    """

    __slots__ = ("name",)
    name: str
    _interned: ClassVar[dict[str, ModelValue]] = {}

    def __new__(cls, name: str) -> ModelValue:
        mv = cls._interned.get(name)
        if mv is None:
            mv = object.__new__(cls)
            mv.name = name
            cls._interned[name] = mv
        return mv

    def __repr__(self) -> str:
        return self.name

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (ModelValue, (self.name,))


def model_values(*names: str) -> tuple[ModelValue, ...]:
    """``model_values("s1", "s2")`` -> a tuple of model values, in that order."""
    return tuple(ModelValue(n) for n in names)


class Fn(dict[Value, Value]):
    """An immutable TLA+ function (or record) whose domain is not ``1..n``.

    Build one with :func:`make_fn` or :func:`record`, which turn sequences into
    tuples; constructing ``Fn`` directly skips that normalisation.

    It is a ``dict`` so that lookups, iteration and equality run in C (records
    are read and compared on every step of most specs); nothing may change one
    after it is built, since its hash is cached.
    """

    __slots__ = ("_hash", "_key", "_fp")
    _hash: int | None
    _key: tuple[Any, ...]  # its ``value_key``, once computed (sorting a set of records reads it)
    _fp: int  # the sum of its entries' fingerprint terms, once computed (checker/engine/_fp.c)

    def __hash__(self) -> int:  # type: ignore[override]
        try:
            h = self._hash
        except AttributeError:  # built by Fn(...) rather than fn_of: the slot is still empty
            h = None
        if h is None:
            h = self._hash = hash(frozenset(self.items()))
        return h

    def __repr__(self) -> str:
        return format_value(self)

    def __reduce__(self) -> tuple[Any, tuple[list[tuple[Value, Value]]]]:
        # Without the cached hash: it depends on the process's string hashes (PYTHONHASHSEED),
        # and a checkpoint is read by another process.
        return (fn_of, (list(self.items()),))

    def domain(self) -> frozenset[Value]:
        return frozenset(self)

    def is_record(self) -> bool:
        return bool(self) and all(type(k) is str for k in self)

    def updated(self, key: Value, value: Value) -> Value:
        """``[f EXCEPT ![key] = value]`` for a key in the domain."""
        m = fn_of(self)
        m[key] = value
        return m


def fn_of(pairs: Mapping[Value, Value] | Iterable[tuple[Value, Value]]) -> Fn:
    """``Fn(pairs)`` with its hash slot filled in, as hot paths build them: the first
    ``hash`` of an ``Fn(...)`` pays for an AttributeError (three times the cost)."""
    f = Fn(pairs)
    f._hash = None
    return f


_ATOMS = frozenset({int, str, ModelValue})  # not bool: Python's ``1 == True`` would merge them


def record_builder(names: Sequence[str], limit: int = 65_536) -> Callable[[Sequence[Value]], Fn]:
    """The records ``[names[0] |-> vals[0], ...]`` as one constructor: equal records whose field
    values are integers, strings or model values are one object, with its hash, ``value_key``
    and fingerprint computed once (Paxos' ``Send([type |-> "2b", ...])`` builds the same few
    hundred messages over a million times). Other records are built afresh: the table's keys
    compare with ``==``, which takes TRUE for 1 and so ``{1}`` for ``{TRUE}``. The table is
    cleared when it holds ``limit`` records."""
    keys = tuple(names)
    table: dict[tuple[Value, ...], Fn] = {}
    atoms = _ATOMS

    def build(vals: Sequence[Value]) -> Fn:
        vals = tuple(vals)
        if atoms.issuperset(map(type, vals)):
            r = table.get(vals)
            if r is None:
                r = Fn(zip(keys, vals))
                r._hash = None
                if len(table) >= limit:
                    table.clear()
                table[vals] = r
                if len(_OF_ATOMS) >= _OF_ATOMS_LIMIT:
                    _OF_ATOMS.clear()
                _OF_ATOMS[id(r)] = r
            return r
        r = Fn(zip(keys, vals))
        r._hash = None
        return r

    return build


_NO_MISS: Any = object()


def _copy_except(f: Fn, key: Value, new: Value, miss: Any = _NO_MISS) -> Fn:
    """``[f EXCEPT ![key] = new]``, key in f's domain: a copy of f with one point changed.
    Given ``miss``: miss itself where f is not an ``Fn`` or key not in its domain (generated
    code's guard in the call; the engine's C function has the same rule)."""
    if miss is not _NO_MISS and (type(f) is not Fn or key not in f):
        return miss  # type: ignore[no-any-return]
    m = Fn(f)
    m._hash = None
    m[key] = new
    return m


# point_updater's copy: the engine gives its C function (checker/engine/_fp.c's fn_except, which
# also derives the copy's fingerprint from f's), since this module is the earlier stage.
_copy_except_hook: list[Callable[..., Fn]] = [_copy_except]


def copy_except() -> Callable[..., Fn]:
    """The way to copy a function with one point changed (key in its domain): the engine's."""
    return _copy_except_hook[0]


def use_copy_except(copy: Callable[..., Fn], updater: Callable[..., Any] | None = None) -> None:
    """Make ``copy`` point_updater's way to copy a function with one point changed (for the
    updaters made afterwards), and ``updater(limit, trial, lazy, normalize)`` (the same rule
    with that copy, in C) the updaters it makes."""
    _copy_except_hook[0] = copy
    _updater_hook[0] = updater


_updater_hook: list[Callable[..., Any] | None] = [None]


def changed_keys(domain: frozenset[Value], *pairs: Value) -> list[Value] | None:
    """The keys of ``domain`` at which some ``new`` of the pairs ``new, old`` holds another
    object than ``old`` (each key once, in the order met); None where a pair is not two
    functions of one kind with the same keys in the same order (two ``Fn`` walked side by
    side, keys compared by identity; two tuples of one length). A pair whose ``new`` is
    ``old`` is skipped. The engine's C extension has the same function (``use_changed``)."""
    out: list[Value] = []
    for i in range(0, len(pairs), 2):
        new, old = pairs[i], pairs[i + 1]
        if new is old:
            continue
        if type(new) is Fn and type(old) is Fn:
            if len(new) != len(old):
                return None
            moved = []
            for (kn, vn), (ko, vo) in zip(new.items(), old.items()):
                if kn is not ko:
                    return None
                if vn is not vo:
                    moved.append(kn)
        elif type(new) is tuple and type(old) is tuple:
            if len(new) != len(old):
                return None
            moved = [j + 1 for j, (a, b) in enumerate(zip(new, old)) if a is not b]
        else:
            return None
        out.extend(k for k in moved if k in domain and k not in out)
    return out


def fn_get(f: Value, key: Value, miss: Any) -> Any:
    """``f[key]`` where f is an ``Fn`` with key in its domain, else ``miss`` (generated code's
    fast path of f[x] and r.name; the engine's C function has the same rule: ``use_fn_get``)."""
    if type(f) is Fn:
        v = f.get(key, miss)
        if v is not miss and _crosses(key) and type(next(iter(f))) is not type(key):
            return miss  # Python's 1 == True: the slow path (fn_apply) judges
        return v
    return miss


def _crosses(key: Value) -> bool:
    """Whether Python's dict may find another kind's key for ``key`` (1 == True, 0 == False)."""
    return key is True or key is False or (type(key) is int and (key == 0 or key == 1))


_fn_get_hook: list[Callable[[Value, Value, Any], Any]] = [fn_get]


def use_fn_get(get: Callable[[Value, Value, Any], Any]) -> None:
    _fn_get_hook[0] = get


def fn_getter() -> Callable[[Value, Value, Any], Any]:
    """fn_get, or the engine's C function of the same rule."""
    return _fn_get_hook[0]


_changed_hook: list[Callable[..., list[Value] | None]] = [changed_keys]


def use_changed(changed: Callable[..., list[Value] | None]) -> None:
    """Make ``changed`` (``changed_keys`` in C) the one ``changed_function`` gives."""
    _changed_hook[0] = changed


def changed_function() -> Callable[..., list[Value] | None]:
    return _changed_hook[0]


def point_updater(
    limit: int = 4_096,
    trial: int = 2_048,
    lazy: type | None = None,
    normalize: Callable[[Any], Value] | None = None,
) -> Callable[..., Fn]:
    """``[f EXCEPT ![key] = new]`` for a key in f's domain, as one constructor: where key and
    new are integers, strings or model values, the result for the same f (by identity), key
    and new is the same object each time, with its hash and fingerprint computed once (Paxos'
    ``maxBal' = [maxBal EXCEPT ![a] = m.bal]``: a few dozen functions, built over a million
    times). The table holds each f it was asked about, so an id is not reused while it is
    there; it is cleared when it holds ``limit`` results (each holds two functions: at
    65,536, SlushSmall's peak memory was 350 MB against 113 MB). It is given up when fewer
    than half of its first ``trial`` lookups hit: where the functions are many (a PlusCal
    ``pc`` over 8 processes, 65,536 values) it only costs (SimpleRegular N = 8: 13.8 s CPU
    with it, 11.5 without). Other values are copied afresh; a new value of type ``lazy`` is
    made ``normalize(new)`` first (the evaluator's lazy sets, which values.py does not know).
    A fourth argument ``miss`` is returned where f is not an ``Fn`` or key not in its domain."""
    made = _updater_hook[0]
    if made is not None:
        update_in_c: Callable[..., Fn] = made(limit, trial, lazy, normalize)
        return update_in_c
    table: dict[tuple[int, Value, Value], tuple[Fn, Fn]] = {}
    atoms = _ATOMS
    copy = _copy_except_hook[0]
    calls = hits = 0
    kept = True

    def update(f: Fn, key: Value, new: Value, miss: Any = _NO_MISS) -> Fn:
        nonlocal calls, hits, kept
        if miss is not _NO_MISS and (type(f) is not Fn or key not in f):
            return miss  # type: ignore[no-any-return]
        if kept and type(new) in atoms and type(key) in atoms:
            k = (id(f), key, new)
            hit = table.get(k)
            if hit is not None and hit[0] is f:
                hits += 1
                return hit[1]
            calls += 1
            if calls == trial and hits < calls:
                kept = False  # (calls counts the misses: fewer hits than misses)
                table.clear()
            m = copy(f, key, new)
            if kept:
                if len(table) >= limit:
                    table.clear()
                table[k] = (f, m)
            return m
        if lazy is not None and isinstance(new, lazy):
            new = normalize(new)  # type: ignore[misc]
        return copy(f, key, new)

    return update


# The records that record_builder made of atoms (no booleans), by identity: two of them that
# are ``==`` are the same TLA+ value, which Python's ``1 == True`` does not promise of others.
# Held by reference, so an id is not reused while it is here.
_OF_ATOMS: dict[int, Fn] = {}
_OF_ATOMS_LIMIT = 1 << 18
OF_ATOMS = _OF_ATOMS  # (the same table, for keys of what the compiler keeps across states)


def make_fn(pairs: Mapping[Value, Value] | Iterable[tuple[Value, Value]]) -> Value:
    """The function with these (argument, result) pairs, normalised.

    A domain of exactly ``1..n`` (n >= 0) gives a ``tuple``; anything else an :class:`Fn`.
    """
    m = fn_of(pairs.items() if isinstance(pairs, Mapping) else pairs)
    n = len(m)
    if n == 0:
        return ()
    if all(type(k) is int for k in m) and min(m) == 1 and max(m) == n:
        return tuple(m[i] for i in range(1, n + 1))
    return m


def record(**fields: Value) -> Fn:
    """``record(a=1, b=2)`` is the TLA+ record ``[a |-> 1, b |-> 2]``."""
    return fn_of(fields)


def fn_items(f: Value) -> Iterable[tuple[Value, Value]]:
    """The (argument, result) pairs of a function value (tuple or Fn)."""
    if type(f) is tuple:
        return enumerate(f, 1)
    items: Iterable[tuple[Value, Value]] = f.items()
    return items


def fn_domain(f: Value) -> frozenset[Value]:
    if type(f) is tuple:
        return frozenset(range(1, len(f) + 1))
    return frozenset(f.keys())


def fn_apply(f: Value, arg: Value) -> Value:
    """``f[arg]``; raises KeyError outside the domain."""
    if type(f) is tuple:
        if type(arg) is int and 1 <= arg <= len(f):
            return f[arg - 1]
        raise KeyError(arg)
    v = f[arg]
    if _crosses(arg) and not any(k == arg and type(k) is type(arg) for k in f):
        raise KeyError(arg)  # f's key is TRUE for the argument 1, or 0 for FALSE: not TLA+'s
    return v


# ---------------------------------------------------------------------------
# A fixed total order on values, so that CHOOSE and printing are deterministic.
# Within one kind it follows TLC (integers by value, strings and model values by
# name, sequences element-wise, sets by size then elements); across kinds it is
# an arbitrary but fixed rank.

_RANK = {bool: 0, int: 1, str: 2, ModelValue: 3, tuple: 4, Fn: 5, frozenset: 6}


def value_key(v: Value) -> tuple[Any, ...]:
    t = type(v)
    if t is bool or t is int or t is str:
        return (_RANK[t], v)
    if t is ModelValue:
        return (3, v.name)
    if t is tuple:
        return (4, len(v), tuple(map(value_key, v)))
    if t is Fn:
        key: tuple[Any, ...] | None = getattr(v, "_key", None)
        if key is None:
            key = v._key = (5, len(v), tuple(sorted((value_key(k), value_key(x)) for k, x in v.items())))
        return key
    if t is frozenset:
        return (6, len(v), tuple(sorted(map(value_key, v))))
    return (7, type(v).__name__, repr(v))


def _length_first(t: tuple[int, ...]) -> tuple[int, tuple[int, ...]]:
    return (len(t), t)


def _name(v: ModelValue) -> str:
    name: str = v.name
    return name


def _plain_key(vs: list[Value]) -> Callable[[Any], Any] | None:
    """A key giving ``value_key``'s order on ``vs`` more cheaply: None for Python's own order
    (integers only, strings only, or tuples of integers of one length), a plain key (model
    values, tuples of integers), or
    ``value_key`` itself. The checks run in C (``map``): they cost less than a key per value."""
    kinds = set(map(type, vs))
    if len(kinds) != 1:
        return value_key
    kind = kinds.pop()
    if kind is int or kind is str:
        return None
    if kind is ModelValue:
        return _name
    if kind is tuple and set(map(type, chain.from_iterable(vs))) <= {int}:
        return None if len(set(map(len, vs))) == 1 else _length_first
    if kind is Fn:
        for v in vs:  # each function's key is kept on it; read back in C (no call per value)
            if not hasattr(v, "_key"):
                value_key(v)
        return _kept_key
    return value_key


_kept_key = attrgetter("_key")


def sorted_values(vs: Iterable[Value]) -> list[Value]:
    """``vs`` in the order of ``value_key``, without building its keys where the values are of
    one plain kind (integers, strings, model values, tuples of integers), where Python's own
    order is the same: building a key per value is most of the cost of sorting small sets
    (CHOOSE sorts its set each time; GameOfLife's ``Sum`` chooses in sets of 8 pairs)."""
    out = list(vs)
    if len(out) < 2:
        return out
    out.sort(key=_plain_key(out))
    return out


_SMALL = 8  # a set of at most this many atoms is sorted by SortedSets without the tests for records


class SortedSets:
    """The elements of the last ``size`` sets asked for, in the order of ``value_key`` (each set
    by identity, held by reference so that its id is not reused while it is kept; the oldest
    goes first).

    A set that is not kept is most often its predecessor's sibling: the next state of a search
    level, whose message set differs from the last one's by a message or two. Where both sets
    hold only records of atoms built by :func:`record_builder` (``==`` is then TLA+'s
    equality), the last list is corrected by the members removed and added, each inserted by
    bisection, instead of sorting the set anew."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.kept: dict[int, tuple[frozenset[Value], list[Value]]] = {}  # the oldest first
        self.of_atoms: list[tuple[frozenset[Value], list[Value]]] = []  # the last four of records

    def __call__(self, s: frozenset[Value]) -> list[Value]:
        kept = self.kept
        hit = kept.get(id(s))
        if hit is not None and hit[0] is s:
            return hit[1]
        out = _sorted_atoms(s) if len(s) <= _SMALL else None
        if out is None:
            out = self._sorted(s)
        if len(kept) >= self.size:
            del kept[next(iter(kept))]
        kept[id(s)] = (s, out)
        return out

    def _sorted(self, s: frozenset[Value]) -> list[Value]:
        if not all(map(_OF_ATOMS.__contains__, map(id, s))):
            return sorted_values(s)
        # From the last such set of about its size (the last state's msgs, not the subset
        # of it that an action filtered since).
        out = None
        n = len(s)
        of_atoms = self.of_atoms
        for last, items in of_atoms:
            if -2 <= len(last) - n <= 2:
                out = _corrected(last, items, s)
                break
        if out is None:
            out = sorted_values(s)
        of_atoms.insert(0, (s, out))
        del of_atoms[4:]
        return out


def _sorted_atoms(s: frozenset[Value]) -> list[Value] | None:
    """A few integers, strings or model values (Slush's ``sampleSet[self]``) in order, by
    Python's order or their names; None for other sets."""
    kinds = set(map(type, s))
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    if kind is int or kind is str:
        return sorted(s)
    if kind is ModelValue:
        return sorted(s, key=_name)
    return None


def _corrected(old: frozenset[Value], items: list[Value], new: frozenset[Value]) -> list[Value] | None:
    """``new`` in order, from ``old``'s ordered ``items``: None when they differ by more than three
    members each way (sorting afresh is then no dearer)."""
    if len(items) < 2:  # sorted_values gave keys to the members of a set of two or more
        return None
    added = new - old
    if len(added) > 3:
        return None
    removed = old - new
    if len(removed) > 3:
        return None
    out = list(items)
    for x in removed:
        out.remove(x)
    for x in added:
        if not hasattr(x, "_key"):
            value_key(x)
        bisect.insort(out, x, key=_kept_key)
    return out


def least_value(vs: Iterable[Value]) -> Value:
    """The first of ``sorted_values(vs)`` (``vs`` not empty), in one pass."""
    out = list(vs)
    return min(out, key=_plain_key(out))


# ---------------------------------------------------------------------------
# Rendering as TLA+ (TLC's layout).


def format_value(v: Value) -> str:
    t = type(v)
    if t is bool:
        return "TRUE" if v else "FALSE"
    if t is int:
        return format_int(v)
    if t is str:
        text: str = v
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if t is ModelValue:
        name: str = v.name
        return name
    if t is tuple:
        return "<<" + ", ".join(format_value(x) for x in v) + ">>"
    if t is frozenset:
        return "{" + ", ".join(format_value(x) for x in sorted_values(v)) + "}"
    if t is Fn:
        if v.is_record():
            return "[" + ", ".join(f"{k} |-> {format_value(x)}" for k, x in v.items()) + "]"
        keys = sorted_values(v.keys())
        return "(" + " @@ ".join(f"{format_value(k)} :> {format_value(v[k])}" for k in keys) + ")"
    return repr(v)


def format_int(v: int) -> str:
    """Decimal, however long: Python refuses to print more than 4,300 digits unless asked, and a
    state may hold such a number (``x' = x * x``); its trace must still print."""
    try:
        return str(v)
    except ValueError:
        limit = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)
        try:
            return str(v)
        finally:
            sys.set_int_max_str_digits(limit)


def to_value(x: Any) -> Value:
    """Turn plain Python data (lists, sets, dicts) into TLA+ values."""
    if isinstance(x, (bool, int, str, ModelValue)):
        return x
    if isinstance(x, (list, tuple)):
        return tuple(to_value(e) for e in x)
    if isinstance(x, (set, frozenset)):
        return frozenset(to_value(e) for e in x)
    if isinstance(x, Fn):
        return x
    if isinstance(x, Mapping):
        return make_fn({to_value(k): to_value(e) for k, e in x.items()})
    raise TypeError(f"not a TLA+ value: {x!r} ({type(x).__name__})")
