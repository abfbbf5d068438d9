"""Deterministic 64-bit fingerprints: a canonical encoding of a state, hashed.

The fingerprint of a state is the same in every process, on every machine and in every run:
it depends only on the value, never on ``PYTHONHASHSEED``, object identity or Python's
``hash`` (which maps -1 and -2 to the same number and hashes integers modulo 2^61 - 1).
Two steps, so that processes can exchange states as bytes and hash them where they land:

- :func:`encode` turns a value into bytes. The encoding is canonical (equal values give
  equal bytes: a set's elements and a function's pairs are sorted by their own encoding)
  and prefix-free (no encoding is the start of another, so concatenations are unambiguous).
  Each kind of value has its own tag, so ``TRUE`` and ``1``, ``"a"`` and the model value
  ``a``, ``<<>>`` and ``{}`` differ.
- :func:`fingerprint_bytes` hashes the bytes with BLAKE2b (``hashlib``, in C) to 8 bytes.
  0 is reserved for "empty" by the visited set, so a digest of 0 becomes 1 (one value in
  2^64 shares its fingerprint with another: far below the collision estimate).

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

Cost. A state is encoded by one walk over its values. The values of a state's variables
are mostly shared with its parent (a step changes one or two variables), so the encoding
of each top-level container is memoised by identity for a while (:class:`Fingerprinter`).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from typing import Any

from checker.values import Fn, ModelValue

_blake2b = hashlib.blake2b
_from_bytes = int.from_bytes
_INT_MIN = -(1 << 63)
_INT_MAX = (1 << 63) - 1


class UnencodableValue(TypeError):
    """A value of a type the encoding does not know (a Python model's own class)."""


def fingerprint_bytes(data: bytes) -> int:
    """The 64-bit fingerprint (1 .. 2^64-1) of an encoding."""
    return _from_bytes(_blake2b(data, digest_size=8).digest(), "little") or 1


def encode(value: Any) -> bytes:
    """The canonical, prefix-free encoding of a TLA+ value or a Python model's state."""
    out: list[bytes] = []
    _encode_into(value, out.append)
    return b"".join(out)


def fingerprint(value: Any) -> int:
    """``fingerprint_bytes(encode(value))``."""
    return fingerprint_bytes(encode(value))


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
    """Fingerprints of states, with encodings memoised: every set, function and tuple inside
    a state by identity (a successor shares most of its values with its parent: a step
    changes one or two variables, and a set of messages gains one message), and integers,
    strings and model values by value. Gives exactly :func:`fingerprint`'s result.

    The identity memo holds the values themselves (so an id is never reused while it is in
    the memo); each memo is cleared when it grows past ``limit`` entries.
    """

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self.memo: dict[int, tuple[Any, bytes]] = {}
        self.ints: dict[int, bytes] = {}
        self.atoms: dict[Any, bytes] = {}  # str and ModelValue keys: never equal to each other

    def encode(self, v: Any) -> bytes:
        t = type(v)
        if t is int:
            data = self.ints.get(v)
            if data is None:
                data = encode(v)
                if len(self.ints) < self.limit:
                    self.ints[v] = data
            return data
        if t is str or t is ModelValue:
            data = self.atoms.get(v)
            if data is None:
                data = encode(v)
                if len(self.atoms) < self.limit:
                    self.atoms[v] = data
            return data
        if t is bool:
            return b"T" if v else b"F"
        if t is frozenset or t is Fn or t is tuple or isinstance(v, tuple):
            hit = self.memo.get(id(v))
            if hit is not None and hit[0] is v:
                return hit[1]
            enc = self.encode
            if t is frozenset:
                # Most elements (messages, records) are already in the memo: look them up
                # here rather than through a call each.
                get = self.memo.get
                parts = []
                for x in v:
                    hit = get(id(x))
                    parts.append(hit[1] if hit is not None and hit[0] is x else enc(x))
                parts.sort()
                data = b"{" + _length(len(v)) + b"".join(parts)
            elif t is Fn:
                data = b"<" + _length(len(v)) + b"".join(sorted([enc(k) + enc(x) for k, x in v.items()]))
            else:  # a tuple, or a NamedTuple (equal to the plain tuple, encoded as one)
                data = b"(" + _length(len(v)) + b"".join([enc(x) for x in v])
            memo = self.memo
            if len(memo) >= self.limit:
                memo.clear()
            memo[id(v)] = (v, data)
            return data
        return encode(v)

    def encode_state(self, state: Any) -> bytes:
        if type(state) is tuple:  # not memoised: a state is seldom fingerprinted twice
            enc = self.encode
            return b"(" + _length(len(state)) + b"".join([enc(x) for x in state])
        return self.encode(state)

    def __call__(self, state: Any) -> int:
        return _from_bytes(_blake2b(self.encode_state(state), digest_size=8).digest(), "little") or 1
