"""Deterministic 64-bit fingerprints of states, and a canonical byte encoding of values.

The fingerprint of a state is the same in every process, on every machine and in every run:
it depends only on the value, never on ``PYTHONHASHSEED``, object identity or Python's
``hash`` (which maps -1 and -2 to the same number and hashes integers modulo 2^61 - 1).

**The fingerprint** (:func:`fingerprint`, :class:`Fingerprinter`) is structural: each value
is hashed from its parts' 64-bit fingerprints, without building bytes first.

- ``mix`` is SplitMix64's finaliser, a bijection of 64-bit words; every kind of value has
  its own 64-bit tag (``_T_*``), so ``TRUE`` and ``1``, ``"a"`` and the model value ``a``,
  ``<<>>`` and ``{}`` differ.
- an integer in [-2^63, 2^63): ``mix(v mod 2^64 XOR T_INT)``, so two such integers never
  share a fingerprint (mix is a bijection); a bigger one, and strings, model values (by
  name) and bytes: FNV-1a over the bytes (UTF-8 for text), started from the kind's tag,
  then ``mix(h XOR length)``;
- a tuple (a TLA+ sequence, a Python tuple or NamedTuple): ``h = mix(T_TUPLE XOR n)``, then
  ``h = mix(h * K1 + fp(item))`` for each item in order;
- a set: ``mix(mix(T_SET XOR n) * K1 + sum(mix(fp(e) XOR T_ELEM)))``, a function or record
  (a dict): the same over its pairs, each ``mix(mix(fp(k) XOR T_KEY) * K1 + fp(v))``. The
  sums (mod 2^64) do not depend on the order of iteration, so nothing is sorted;
- a dataclass instance (Python models): its qualified name's and its fields' fingerprints.

All arithmetic is modulo 2^64. ``checker/engine/_fp.c`` computes the same numbers in C (built
by ``pip install``; the tests compare both on random values); without it, the Python code
here does. 0 is the visited set's "empty", so a state whose fingerprint is 0 gets 1.

Cost. A step changes one or two variables and shares the rest with its parent, so the
fingerprints of tuples, sets and functions are remembered by identity for a while (in C a
direct-mapped cache of 65,536 entries; here a dict cleared when it grows past a limit).

**The encoding** (:func:`encode`) turns a value into bytes, canonical (equal values give
equal bytes: a set's elements and a function's pairs are sorted by their own encoding) and
prefix-free; it is the form in which values are written and compared across processes.
Tags and layouts (lengths and counts are 4-byte little-endian, integers 8-byte
little-endian two's complement):

    F / T                  FALSE / TRUE
    i <8 bytes>            an integer in [-2^63, 2^63)
    I <len> <bytes>        any other integer (signed, little-endian, minimal length)
    s <len> <utf-8>        a string
    m <len> <utf-8>        a model value (by name)
    b <len> <bytes>        bytes (Python models pack states into them)
    N                      None (Python models)
    ( <count> <items>      a tuple (a TLA+ sequence; a Python tuple or NamedTuple)
    { <count> <items>      a set: the elements' encodings, sorted
    < <count> <pairs>      a function or record (Fn, dict): key then value, sorted
    D <len> <name> <tuple> a dataclass instance (Python models): its qualified name, its fields
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Callable
from typing import Any

from checker.errors import ModelError
from checker.symmetry import use_corrected_sums, use_small_canonical
from checker.tla.compile.code import use_field_groups
from checker.tla.stdlib import remember_by
from checker.values import Fn, ModelValue, format_value, use_changed, use_copy_except, use_fn_get, value_key

_blake2b = hashlib.blake2b
_from_bytes = int.from_bytes
_INT_MIN = -(1 << 63)
_INT_MAX = (1 << 63) - 1


class UnencodableValue(TypeError):
    """A value of a type the encoding does not know (a Python model's own class)."""


class IncomparableElements(ModelError):
    """A set in a state whose elements TLC cannot compare (``{1, "a"}``): TLC sorts a set's
    elements to fingerprint it, and comparing an integer with a string is an error there."""

    def __init__(self, a: Any, b: Any) -> None:
        kind = _KINDS[type(a)]
        super().__init__(
            f"error[E750]: Attempted to compare {kind} {format_value(a)} with non-{kind} {format_value(b)}: the "
            "elements of a set in a state, which TLC compares to fingerprint it."
        )


# The kinds of TLA+ value that TLC can compare with each other: a value of one kind with one of
# another is an error, except a model value, which compares with any.
_KINDS = {bool: "boolean", int: "integer", str: "string", frozenset: "set", tuple: "function", Fn: "function"}


def incomparable(s: frozenset[Any] | set[Any]) -> tuple[Any, Any] | None:
    """Two elements of ``s`` that TLC cannot compare, or None (also for a set of a Python
    model's own values, which are not TLA+'s to judge)."""
    seen: tuple[str, Any] | None = None
    pair = None
    for x in s:
        t = type(x)
        if t is ModelValue:
            continue
        kind = _KINDS.get(t)
        if kind is None:
            return None
        if seen is None:
            seen = (kind, x)
        elif kind != seen[0] and pair is None:
            pair = (seen[1], x) if value_key(seen[1]) < value_key(x) else (x, seen[1])  # (one message each run)
    return pair


def fingerprint_bytes(data: bytes) -> int:
    """A 64-bit digest (1 .. 2^64-1) of bytes (BLAKE2b). Not a state's fingerprint: that is
    :func:`fingerprint`, computed from the value's parts."""
    return _from_bytes(_blake2b(data, digest_size=8).digest(), "little") or 1


# -- the structural fingerprint (see the module's docstring; _fp.c computes the same) -------

_MASK = (1 << 64) - 1
_K1 = 0x9E3779B97F4A7C15
_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_T_INT = 0x6A09E667F3BCC908
_T_FALSE = 0xBB67AE8584CAA73B
_T_TRUE = 0x3C6EF372FE94F82B
_T_NONE = 0xA54FF53A5F1D36F1
_T_STR = 0x510E527FADE682D1
_T_MODEL = 0x9B05688C2B3E6C1F
_T_BYTES = 0x1F83D9ABFB41BD6B
_T_TUPLE = 0x5BE0CD19137E2179
_T_SET = 0xCBBB9D5DC1059ED8
_T_ELEM = 0x629A292A367CD507
_T_FN = 0x9159015A3070DD17
_T_KEY = 0x152FECD8F70E5939
_T_BIGINT = 0x67332667FFC00B31  # Python only: the C code calls back for these
_T_DATACLASS = 0x8EB44A8768581511


def _mix(x: int) -> int:
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def _bytes_fp(tag: int, data: bytes) -> int:
    h = _FNV_OFFSET ^ tag
    for b in data:
        h = ((h ^ b) * _FNV_PRIME) & _MASK
    return _mix(h ^ len(data))


def _structural(v: Any, child: Callable[[Any], int]) -> int:
    """The fingerprint of ``v`` (0 .. 2^64-1), its parts' fingerprints taken from ``child``."""
    t = type(v)
    if t is int:
        if _INT_MIN <= v <= _INT_MAX:
            return _mix((v & _MASK) ^ _T_INT)
        return _bytes_fp(_T_BIGINT, v.to_bytes((v.bit_length() + 8) // 8, "little", signed=True))
    if t is bool:
        return _mix(_T_TRUE if v else _T_FALSE)
    if t is str:
        return _bytes_fp(_T_STR, v.encode("utf-8", "surrogatepass"))
    if t is ModelValue:
        return _bytes_fp(_T_MODEL, v.name.encode("utf-8", "surrogatepass"))
    if v is None:
        return _mix(_T_NONE)
    if t is bytes:
        return _bytes_fp(_T_BYTES, v)
    if isinstance(v, tuple):
        h = _mix(_T_TUPLE ^ len(v))
        for x in v:
            h = _mix((h * _K1 + child(x)) & _MASK)
        return h
    if isinstance(v, frozenset | set):
        pair = incomparable(v)
        if pair is not None:
            raise IncomparableElements(*pair)
        total = sum(_mix(child(x) ^ _T_ELEM) for x in v)
        return _mix((_mix(_T_SET ^ len(v)) * _K1 + total) & _MASK)
    if isinstance(v, dict):
        total = sum(_mix((_mix(child(k) ^ _T_KEY) * _K1 + child(x)) & _MASK) for k, x in v.items())
        return _mix((_mix(_T_FN ^ len(v)) * _K1 + total) & _MASK)
    if isinstance(v, bool):
        return _structural(bool(v), child)
    if isinstance(v, int):
        return _structural(int(v), child)
    if isinstance(v, str):
        return _structural(str(v), child)
    if isinstance(v, bytes | bytearray):
        return _structural(bytes(v), child)
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        name = _bytes_fp(_T_DATACLASS, f"{type(v).__module__}.{type(v).__qualname__}".encode())
        fields = tuple(getattr(v, f.name) for f in dataclasses.fields(v))
        return _mix((name * _K1 + child(fields)) & _MASK)
    raise UnencodableValue(
        f"a state holds a {type(v).__qualname__} ({v!r:.60}), which has no canonical encoding: "
        "fingerprints know bool, int, str, bytes, None, tuples, frozensets, dicts, "
        "dataclasses and TLA+ values"
    )


def py_value_fingerprint(v: Any) -> int:
    """The fingerprint of a value by the Python code alone (the definition, for the tests)."""
    return _structural(v, py_value_fingerprint)


try:
    import checker.engine._fp as _fp  # built from _fp.c by pip install; optional
except ImportError:  # pragma: no cover - a machine without a C compiler
    _fp = None  # type: ignore[assignment]

if _fp is not None:
    _c_value: Callable[[Any], int] = _fp.fp_value
    # What the C code does not know (big integers, dataclasses, subclasses) comes back here,
    # with the parts fingerprinted in C again.
    _fp.configure(Fn, ModelValue, lambda v: _structural(v, _c_value))
    value_fingerprint: Callable[[Any], int] = _c_value
    # [f EXCEPT ![k] = v] of the evaluator's point updaters: the copy made in C, with its
    # fingerprint derived from f's (a sum over the entries: one term out, one in).
    # The point updaters themselves in C (values.point_updater's rule) where the extension has them.
    if hasattr(_fp, "fn_except"):  # (an extension built before it had one: the Python copy)
        use_copy_except(_fp.fn_except, getattr(_fp, "Updater", None))
    if hasattr(_fp, "changed"):  # values.changed_keys in C (invariants' pointwise conjuncts)
        use_changed(_fp.changed)
    if hasattr(_fp, "fn_get"):  # values.fn_get in C (generated code's f[x] and r.name)
        use_fn_get(_fp.fn_get)
    # Fn.__hash__ in C: the same number as values.py's method (the frozenset of the items), kept
    # in the same slot, without a Python frame (symmetry's memo hashes every successor's functions).
    if hasattr(_fp, "fn_hash_method"):
        setattr(Fn, "__hash__", _fp.fn_hash_method())  # noqa: B010
        # And the type's hash slot itself (hash(f) then calls C directly, not the method by
        # name), computed without building the items and their frozenset.
        if hasattr(_fp, "install_fn_hash"):
            _fp.install_fn_hash()
    # Symmetry's and the invariant classes' sums of a set's images, corrected by the members
    # added and removed, in C (a list of twelve sums per member on Paxos, at every state).
    if hasattr(_fp, "corrected_sums"):
        use_corrected_sums(_fp.corrected_sums)
    # SmallGroup's keys of every image, the least, and its image, in C (Paxos, MultiPaxos).
    if hasattr(_fp, "small_canonical"):
        use_small_canonical(_fp.small_canonical)
    # The index of a set of records by a field (a state's msgs by type), grouped in C.
    if hasattr(_fp, "field_groups"):
        use_field_groups(_fp.field_groups)
else:
    value_fingerprint = py_value_fingerprint

HAVE_C = _fp is not None

# The TLA+ evaluator remembers membership in sets of records by these fingerprints (the
# earlier stage cannot import this one).
remember_by(value_fingerprint)


def encode(value: Any) -> bytes:
    """The canonical, prefix-free encoding of a TLA+ value or a Python model's state."""
    out: list[bytes] = []
    _encode_into(value, out.append)
    return b"".join(out)


def fingerprint(value: Any) -> int:
    """The fingerprint of a state (or any value): 1 .. 2^64-1."""
    return value_fingerprint(value) or 1


def _length(n: int) -> bytes:
    return n.to_bytes(4, "little")


def _encode_into(v: Any, put: Callable[[bytes], Any]) -> None:
    t = type(v)
    if t is int:
        if _INT_MIN <= v <= _INT_MAX:
            put(b"i" + v.to_bytes(8, "little", signed=True))
        else:
            raw = v.to_bytes((v.bit_length() + 8) // 8, "little", signed=True)
            put(b"I" + _length(len(raw)) + raw)
    elif t is str:
        raw = v.encode("utf-8", "surrogatepass")
        put(b"s" + _length(len(raw)) + raw)
    elif t is ModelValue:
        raw = v.name.encode("utf-8", "surrogatepass")
        put(b"m" + _length(len(raw)) + raw)
    elif t is bool:
        put(b"T" if v else b"F")
    elif t is tuple:
        put(b"(" + _length(len(v)))
        for x in v:
            _encode_into(x, put)
    elif t is frozenset or t is set:
        put(b"{" + _length(len(v)) + b"".join(sorted([encode(x) for x in v])))
    elif t is Fn or t is dict:
        put(b"<" + _length(len(v)) + b"".join(sorted([encode(k) + encode(x) for k, x in v.items()])))
    elif t is bytes:
        put(b"b" + _length(len(v)) + v)
    elif v is None:
        put(b"N")
    else:
        _encode_other(v, put)


def _encode_other(v: Any, put: Callable[[bytes], Any]) -> None:
    if isinstance(v, bool):
        put(b"T" if v else b"F")
    elif isinstance(v, int):
        _encode_into(int(v), put)
    elif isinstance(v, str):
        _encode_into(str(v), put)
    elif isinstance(v, tuple):  # NamedTuple: equal to the plain tuple, so encoded as one
        _encode_into(tuple(v), put)
    elif isinstance(v, frozenset | set):
        _encode_into(frozenset(v), put)
    elif isinstance(v, dict):
        _encode_into(dict(v), put)
    elif isinstance(v, bytes | bytearray):
        _encode_into(bytes(v), put)
    elif dataclasses.is_dataclass(v) and not isinstance(v, type):
        name = f"{type(v).__module__}.{type(v).__qualname__}".encode()
        put(b"D" + _length(len(name)) + name)
        _encode_into(tuple(getattr(v, f.name) for f in dataclasses.fields(v)), put)
    else:
        raise UnencodableValue(
            f"a state holds a {type(v).__qualname__} ({v!r:.60}), which has no canonical encoding: "
            "fingerprints know bool, int, str, bytes, None, tuples, frozensets, dicts, "
            "dataclasses and TLA+ values"
        )


class Fingerprinter:
    """Fingerprints of states, as :func:`fingerprint` gives them, with the fingerprints of the
    tuples, sets and functions inside a state remembered by identity (a successor shares
    most of its values with its parent: a step changes one or two variables, and a set of
    messages gains one message).

    With the C code, its cache does that. Without it, a dict here: it holds the values
    themselves (so an id is never reused while it is in the memo) and is cleared when it
    grows past ``limit`` entries; integers, strings and model values are memoised by value.
    """

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self.memo: dict[int, tuple[Any, int]] = {}
        self.atoms: dict[Any, int] = {}  # int, str and ModelValue keys (bools excluded)
        self.call: Callable[[Any], int] = _fp.fp_state if _fp is not None else self._state

    def __call__(self, state: Any) -> int:
        return self.call(state)

    @property
    def in_c(self) -> bool:
        """Whether a state's fingerprint is the C ``fp_state`` (which the visited set's
        ``state_adder`` computes in the same call)."""
        return _fp is not None and self.call is _fp.fp_state

    def interner(self, limit: int = 1 << 16) -> Callable[[Any, Any], Any] | None:
        """``intern(succ, parent)``: a new state whose values that are not its parent's are
        replaced by equal ones met before (equal fingerprints, then ``==`` of the same type),
        so that a value that recurs is one object (what is kept by identity finds it again:
        the fingerprint cache, the point updaters' tables, memos keyed by the objects a
        definition reads). At most ``limit`` values are kept, then forgotten at once. None
        without the C code (nothing is interned: only the speed differs)."""
        if _fp is None:
            return None
        return functools.partial(_fp.intern, {}, limit)

    def _state(self, state: Any) -> int:
        if type(state) is tuple:  # not memoised: a state is seldom fingerprinted twice
            return _structural(state, self.value) or 1
        return self.value(state) or 1

    def value(self, v: Any) -> int:
        t = type(v)
        if t is int or t is str or t is ModelValue:
            fp = self.atoms.get(v)
            if fp is None:
                fp = _structural(v, self.value)
                if len(self.atoms) < self.limit:
                    self.atoms[v] = fp
            return fp
        if t is frozenset or t is Fn or t is tuple:
            hit = self.memo.get(id(v))
            if hit is not None and hit[0] is v:
                return hit[1]
            fp = _structural(v, self.value)
            memo = self.memo
            if len(memo) >= self.limit:
                memo.clear()
            memo[id(v)] = (v, fp)
            return fp
        return _structural(v, self.value)
