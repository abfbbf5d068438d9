"""Deterministic fingerprints (checker/engine/fingerprint.py): canonical, injective encodings,
the same fingerprint in every process, and none of the blind spots of Python's ``hash``."""

from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine.fingerprint import (
    HAVE_C,
    Fingerprinter,
    IncomparableElements,
    encode,
    fingerprint,
    incomparable,
    py_value_fingerprint,
    value_fingerprint,
)
from checker.values import ModelValue, make_fn, value_key

ROOT = Path(__file__).resolve().parents[2]

atoms = st.one_of(
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(1 << 70), max_value=1 << 70),
    st.text(max_size=4),
    st.sampled_from(["a", "b", "c"]).map(ModelValue),
)


def one_kind(s: frozenset[Any]) -> frozenset[Any]:
    """The elements of ``s`` that TLC can compare with each other (a set in a state is so)."""
    while (pair := incomparable(s)) is not None:
        s = s - {pair[1]}
    return s


values = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.frozensets(inner, max_size=4).map(one_kind),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=2), st.integers(-3, 3)), inner, max_size=4).map(make_fn),
    ),
    max_leaves=12,
)
states = st.lists(values, min_size=1, max_size=4).map(tuple)


def rebuilt(v: Any) -> Any:
    """An equal value built anew, sets and functions filled in the reverse order."""
    t = type(v)
    if t is frozenset:
        return frozenset(rebuilt(x) for x in reversed(sorted(v, key=value_key)))
    if t is tuple:
        return tuple(rebuilt(x) for x in v)
    if t is not bool and t is not int and t is not str and t is not ModelValue:
        return make_fn([(rebuilt(k), rebuilt(x)) for k, x in reversed(list(v.items()))])
    return v


@given(values)
def test_equal_values_have_equal_encodings(v: Any) -> None:
    assert encode(rebuilt(v)) == encode(v)
    assert fingerprint(rebuilt(v)) == fingerprint(v)


@given(values, values)
def test_the_encoding_is_injective(a: Any, b: Any) -> None:
    # value_key is the TLA+ identity of a value (TRUE is not 1, "a" is not the model value a).
    assert (encode(a) == encode(b)) == (value_key(a) == value_key(b))


@settings(deadline=None)  # a first call can take 250 ms on a loaded machine (a flaky failure seen)
@given(states)
def test_the_memoised_fingerprinters_agree_with_the_definition(state: tuple[Any, ...]) -> None:
    python = Fingerprinter(limit=3)  # small: the memo is cleared along the way
    python.call = python._state  # the pure-Python path, with or without the C code
    plain = Fingerprinter()  # the C code where it is built
    want = py_value_fingerprint(state) or 1
    for _ in range(2):
        assert python(state) == want
        assert plain(state) == want
        assert python(rebuilt(state)) == want
        assert plain(rebuilt(state)) == want
    assert fingerprint(state) == want
    assert 0 < want < 1 << 64


@given(values)
def test_the_c_code_computes_the_definition(v: Any) -> None:
    assert value_fingerprint(v) == py_value_fingerprint(v)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.one_of(atoms, st.lists(st.booleans(), max_size=2).map(tuple)), values, min_size=1, max_size=6),
    st.data(),
)
def test_a_point_changed_in_c_has_the_fingerprint_of_its_value(pairs: dict[Any, Any], data: st.DataObject) -> None:
    # _fp.fn_except derives [f EXCEPT ![k] = v]'s fingerprint from f's (the old entry's term
    # out, the new one's in): it must be the definition's, also where the key given is TRUE
    # and f holds 1 (Python's dict finds it), or <<TRUE>> where f holds <<1>>.
    if not HAVE_C:
        return
    from checker.engine import _fp
    from checker.values import Fn, fn_of

    f = fn_of(pairs)
    value_fingerprint(f)  # f's entries' sum kept in its slot: the derived way is taken
    key = data.draw(st.sampled_from(sorted(f, key=repr)))
    key = data.draw(st.sampled_from([key, *([True] if key == 1 else []), *([(True,)] if key == (1,) else [])]))
    new = data.draw(values)
    m = _fp.fn_except(f, key, new)
    assert type(m) is Fn and m == {**f, key: new} and m._hash is None
    assert value_fingerprint(m) == py_value_fingerprint(m)
    assert value_fingerprint(f) == py_value_fingerprint(f)  # f itself unchanged


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(atoms, values, min_size=0, max_size=6), st.sampled_from(["fn_of", "Fn", "except"]))
def test_fn_hash_in_c_is_the_python_methods(pairs: dict[Any, Any], made: str) -> None:
    # checker/engine/fingerprint.py installs Fn.__hash__ in C: the number values.py's method
    # gives (the frozenset of the items), kept in the same slot, whichever way the Fn was made
    # (fn_of, Fn(...) with the slot empty, fn_except with the slot None).
    if not HAVE_C:
        return
    from checker.engine import _fp
    from checker.values import Fn, fn_of

    assert Fn.__dict__["__hash__"].__objclass__ is Fn  # the C method, not the Python one
    f = fn_of(pairs) if made == "fn_of" or not pairs else Fn(pairs)
    if made == "except" and pairs:
        key = next(iter(f))
        f = _fp.fn_except(f, key, f[key])
    expected = hash(frozenset(f.items()))
    assert hash(f) == expected and f._hash == expected and hash(f) == expected
    # The type's slot (install_fn_hash): the same number, computed without the frozenset.
    g = Fn(f)
    assert hash(g) == expected and g._hash == expected and hash(fn_of(f)) == expected


def test_a_point_changed_in_c_where_the_dict_finds_another_key() -> None:
    # The cases the property test above meets only by chance: TRUE finds the stored 1.
    if not HAVE_C:
        return
    from checker.engine import _fp
    from checker.values import fn_of

    for pairs, key in (({1: "a", 2: "b"}, True), ({0: "a", 2: "b"}, False), ({(1,): "a", (2,): "b"}, (True,))):
        f = fn_of(pairs)
        value_fingerprint(f)
        m = _fp.fn_except(f, key, "c")
        assert value_fingerprint(m) == py_value_fingerprint(m)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), values), min_size=1, max_size=12))
def test_a_function_keeps_its_sum_while_the_cache_forgets(updates: list[tuple[int, Any]]) -> None:
    # A function's entries' sum lives in its _fp slot, not in the cache (where a BFS level
    # would evict it before the function's state is explored): each [f EXCEPT ![k] = v] of a
    # chain starts from the last one's, with the cache cleared between them, and its
    # fingerprint is the definition's. The keys 0 and 1 are found by identity.
    if not HAVE_C:
        return
    import pickle

    from checker.engine import _fp
    from checker.values import fn_of

    f = fn_of({k: k for k in range(5)})
    value_fingerprint(f)
    for key, new in updates:
        _fp.clear()
        f = _fp.fn_except(f, key, new)
        assert hasattr(f, "_fp")  # derived from the last one's, not left for a full pass
        assert value_fingerprint(f) == py_value_fingerprint(f)
    assert not hasattr(pickle.loads(pickle.dumps(f)), "_fp")  # another process sums it anew


def test_a_point_changed_in_c_whose_new_value_fills_the_cache() -> None:
    # Fingerprinting the new value (here 100,000 functions, each cached) may put another
    # object in f's slot of the cache: f's sum must be read before (Voting's counts were off).
    if not HAVE_C:
        return
    from checker.engine import _fp
    from checker.values import fn_of

    f = fn_of({"a": 1, "b": 2})
    value_fingerprint(f)
    new = tuple(fn_of({"x": i}) for i in range(100_000))
    m = _fp.fn_except(f, "a", new)
    assert value_fingerprint(m) == py_value_fingerprint(m)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["a", "b", 1, ("t",)])), max_size=6),
    st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["a", "b", 1, ("t",)])), max_size=3),
    st.frozensets(st.integers(-1, 6)),
    st.sampled_from(["fn", "tuple", "mixed", "same"]),
)
def test_the_keys_a_step_changed_in_c_are_pythons_and_the_definitions(
    entries: list[tuple[int, Any]], updates: list[tuple[int, Any]], domain: frozenset[int], kind: str
) -> None:
    # values.changed_keys (and _fp.changed, the same in C): the keys of the domain where the
    # new function holds another object than the old one, each once, in the functions' order;
    # None where they are not two functions of one kind with the same keys in the same order.
    from checker.values import Fn, changed_keys, fn_of

    old_fn = fn_of(dict(entries))
    new_fn = fn_of(old_fn)
    for k, v in updates:
        new_fn[k] = v  # a new key (another domain) or a new object at one
    if kind == "tuple":
        old, new = tuple(old_fn.values()), tuple(new_fn.values())
    elif kind == "mixed":
        old, new = old_fn, tuple(new_fn.values())
    elif kind == "same":
        old = new = old_fn
    else:
        old, new = old_fn, new_fn
    if kind == "same":
        expected: list[Any] | None = []
    elif type(old) is not type(new) or len(old) != len(new):
        expected = None
    elif type(new) is Fn and list(new) != list(old):
        expected = None
    else:
        keys = list(new) if type(new) is Fn else list(range(1, len(new) + 1))
        at = (lambda f, k: f[k]) if type(new) is Fn else (lambda t, k: t[k - 1])
        expected = [k for k in keys if at(new, k) is not at(old, k) and k in domain]
    assert changed_keys(domain, new, old) == expected
    assert changed_keys(domain, new, old, new, old) == expected  # each key once
    if HAVE_C:
        from checker.engine import _fp

        assert _fp.changed(domain, new, old) == expected
        assert _fp.changed(domain, new, old, new, old) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(values, values, values), min_size=1, max_size=8), st.data())
def test_interned_states_are_the_same_values(states: list[tuple[Any, ...]], data: st.DataObject) -> None:
    # The search's interner (Fingerprinter.interner) replaces a new state's values that are not
    # its parent's by equal ones met before: each state it gives is == and of the same TLA+
    # values (value_key: TRUE is not 1) as the state given, shares the parent's objects, and
    # a value met again is the object met first.
    limit = data.draw(st.sampled_from([1, 2, 1 << 16]))
    intern = Fingerprinter().interner(limit=limit)
    if intern is None:
        return
    parent: Any = None
    seen: dict[Any, Any] = {}
    for state in states:
        copy = rebuilt(state)
        out = intern(copy, parent)
        assert type(out) is tuple and value_key(out) == value_key(state)
        for i, v in enumerate(out):
            if parent is not None and copy[i] is parent[i]:
                assert v is parent[i]
        if out == copy and all(a is b for a, b in zip(out, copy)):
            assert out is copy  # nothing replaced: the state itself
        for v in out:
            first = seen.setdefault(value_key(v), v)
            assert v is first or limit < 1 << 16  # (a small table forgets)
        parent = out


def test_interning_tells_true_from_one() -> None:
    intern = Fingerprinter().interner()
    if intern is None:
        return
    a = intern((frozenset({1, 2}), make_fn({"x": 1})), None)
    b = intern((frozenset({True, 2}), make_fn({"x": True})), None)
    c = intern((frozenset({2, 1}), make_fn({"x": 1})), None)
    assert value_key(b) == value_key((frozenset({True, 2}), make_fn({"x": True})))
    assert c[0] is a[0] and c[1] is a[1]
    assert b[0] is not a[0] and b[1] is not a[1]
    assert intern([1], None) == [1] and intern((1,), (1,)) == (1,)  # a list is not a state: as it is


def test_the_c_code_is_built() -> None:
    # pip install -e . builds checker/engine/_fp.c (a C compiler is on every machine this
    # project runs on); the pure-Python path is the same numbers (the tests above).
    assert HAVE_C, "checker/engine/_fp.c is not built here: run `pip install -e .` (it needs a C compiler)"


class _Point(NamedTuple):
    x: int
    y: Any


@dataclasses.dataclass(frozen=True)
class _Cell:
    x: int
    y: Any


class _Small(int):
    pass


def test_python_models_values() -> None:
    # A NamedTuple is its plain tuple; a dataclass is its name and fields; subclasses of
    # int and str are their plain values; all of it the same in C and in Python.
    assert fingerprint(_Point(1, "a")) == fingerprint((1, "a"))
    assert fingerprint(_Small(3)) == fingerprint(3)
    cell = _Cell(1, frozenset({(2, None), b"x"}))
    assert value_fingerprint(cell) == py_value_fingerprint(cell)
    assert fingerprint(cell) != fingerprint((1, frozenset({(2, None), b"x"})))
    assert fingerprint(_Cell(1, 2)) != fingerprint(_Cell(2, 1))
    assert value_fingerprint((cell, 1 << 80, "\udc80")) == py_value_fingerprint((cell, 1 << 80, "\udc80"))


@pytest.mark.parametrize("fp", [value_fingerprint, py_value_fingerprint], ids=["c", "python"])
def test_a_set_whose_elements_tlc_cannot_compare_is_an_error(fp: Any) -> None:
    # TLC 2.20 sorts a set's elements to fingerprint it: "Attempted to compare string "a" with
    # non-string: 1" for x = {1, "a"} (exit 75), also inside a sequence or a function.
    for bad in ({1, "a"}, {frozenset(), 2}, {(1,), "b"}, {True, 2}):
        with pytest.raises(IncomparableElements, match="Attempted to compare"):
            fp(frozenset(bad))
        with pytest.raises(IncomparableElements):
            fp((0, make_fn({"f": frozenset(bad)})))
    # What TLC does compare: a model value with anything, a sequence with a record (both
    # functions); and a Python model's own values are not TLA+'s to judge.
    for good in ({ModelValue("m"), 1, 2}, {(1, 2), make_fn({"a": 1})}, {None, 1, "a"}, {b"x", (1,), 1}):
        assert fp(frozenset(good)) == py_value_fingerprint(frozenset(good))


def test_pythons_hash_collisions_do_not_collide() -> None:
    m = (1 << 61) - 1  # CPython hashes ints modulo 2^61 - 1, and maps hash(-1) to -2
    pairs = [
        (-1, -2),
        ((-1,), (-2,)),
        (frozenset({-1}), frozenset({-2})),
        (make_fn({"x": -1}), make_fn({"x": -2})),
        (5, 5 + m),
        (-7, -7 - m),
        (0, 1 << 64),
        (1 << 64, 1 << 128),
        (-(1 << 63), 1 << 63),
        (True, 1),
        (False, 0),
        ("a", ModelValue("a")),
        ((), frozenset()),
        ((1, 2), frozenset({1, 2})),
        ((frozenset({1}), frozenset()), (frozenset(), frozenset({1}))),
        (make_fn({"a": 1, "b": 2}), make_fn({"a": 2, "b": 1})),
        (("ab", ""), ("a", "b")),
    ]
    for a, b in pairs:
        assert hash(a) == hash(b) or a != b or type(a) is not type(b)
        assert fingerprint(a) != fingerprint(b), (a, b)
        assert fingerprint((a, 0)) != fingerprint((b, 0)), (a, b)


_CHILD = """
import pickle, sys
from checker.engine.fingerprint import fingerprint
vals = pickle.load(sys.stdin.buffer)
print(" ".join(str(fingerprint(v)) for v in vals))
"""


def _fingerprints_in_child(vals: list[Any], seed: str) -> list[int]:
    env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=pickle.dumps(vals),
        capture_output=True,
        env=env,
        check=True,
        timeout=60,
    ).stdout
    return [int(x) for x in out.split()]


@settings(max_examples=3, deadline=None)
@given(st.lists(values, min_size=20, max_size=40))
def test_fingerprints_are_the_same_in_other_processes(vals: list[Any]) -> None:
    mine = [fingerprint(v) for v in vals]
    # Other hash seeds: strings hash differently, so sets iterate in other orders there.
    assert _fingerprints_in_child(vals, "1") == mine
    assert _fingerprints_in_child(vals, "4242") == mine


PINNED = [
    0x3564B439CD1E1F16,
    0xFDB218E5A88F15AE,
    0xF558681DDBCB52F4,
    0xB21731062C0352BC,
    0xBEEB8DA1658EEC67,
    0x3AC3D7C986AB397D,
    0x727FECE66C8D34BD,
]
PINNED_STATE = 0x7EFB09EE17A13BCE


def test_fingerprints_are_pinned() -> None:
    # Fingerprints and the encoding are formats other processes and checkpoints rely on: a
    # change is a breaking change (checkpoints, [parallel]'s exchanged states), so both are
    # pinned. The numbers are the definition's (fingerprint.py's docstring), in Python.
    state = (1, -1, "a", ModelValue("a"), True, frozenset({2, 1}), make_fn({"x": (1, 2)}))
    assert [py_value_fingerprint(v) for v in state] == PINNED
    assert fingerprint(state) == PINNED_STATE
    assert encode((1, "a", ModelValue("a"), True, frozenset({2, 1}))) == (
        b"(\x05\x00\x00\x00"
        b"i\x01\x00\x00\x00\x00\x00\x00\x00"
        b"s\x01\x00\x00\x00a"
        b"m\x01\x00\x00\x00a"
        b"T"
        b"{\x02\x00\x00\x00i\x01\x00\x00\x00\x00\x00\x00\x00i\x02\x00\x00\x00\x00\x00\x00\x00"
    )


class _Ladder:
    """States 0 .. n-1, each stepping to the next twice (so half the successors are seen)."""

    variables = ("x",)
    check_deadlock = False

    def __init__(self, n: int) -> None:
        self.n = n

    def init_states(self) -> list[int]:
        return [0]

    def next_steps(self, i: int) -> list[tuple[str, int]]:
        return [("A", i + 1), ("B", i + 1)] if i + 1 < self.n else []

    def as_record(self, i: int) -> dict[str, int]:
        return {"x": i}


def test_the_collision_report_is_tlcs_and_true_for_these_fingerprints() -> None:
    from checker.engine import CheckOptions, check
    from checker.engine.fingerprint import fingerprint as fp_of
    from checker.views.text import format_result

    small = check(_Ladder(100))
    text = format_result(small)
    # TLC 2.20 prints only the optimistic estimate when it is below 1e-10 (AbstractChecker).
    assert "  calculated (optimistic):  val = " in text
    assert "based on the actual fingerprints" not in text
    assert "Estimates" not in format_result(check(_Ladder(100), CheckOptions(exact=True)))

    big = check(_Ladder(50_000))  # 50,000 x 49,999 / 2^64 = 1.4E-10: TLC adds the second line
    s = big.stats
    assert (s.generated, s.distinct) == (99_999, 50_000)
    fps = sorted(fp_of(i) for i in range(50_000))
    gap = min(b - a for a, b in zip(fps, fps[1:]))
    assert s.min_fp_distance == gap
    text = format_result(big)
    assert "  calculated (optimistic):  val = 1.4E-10\n" in text
    expected = f"{1 / gap:.1E}".split("E")
    assert f"  based on the actual fingerprints:  val = {expected[0]}E{int(expected[1])}\n" in text


@settings(max_examples=200, deadline=None)
@given(
    st.frozensets(st.integers(0, 12), max_size=8),
    st.frozensets(st.integers(0, 12), max_size=8),
    st.integers(1, 5),
    st.integers(0, 1 << 30),
)
def test_corrected_sums_in_c_are_the_python_ones(old: frozenset[int], new: frozenset[int], n: int, seed: int) -> None:
    # _fp.corrected_sums (installed for symmetry's and the invariant classes' set sums) gives
    # py_corrected_sums' result, with terms negative (Python's hash) and above 2**63, and
    # both agree with summing new's terms afresh (mod 2**64) where they correct.
    if not HAVE_C:
        return
    from checker.engine import _fp
    from checker.symmetry import py_corrected_sums

    def terms(x: int) -> tuple[int, ...]:
        return tuple([((x + 1) * (seed + 7 * i + 1) * 0x9E3779B97F4A7C15) % (1 << 65) - (1 << 64) for i in range(n)])

    sums = tuple([sum(col) & ((1 << 64) - 1) for col in zip(*[terms(x) for x in old])]) if old else (0,) * n
    got, want = _fp.corrected_sums(old, sums, new, terms), py_corrected_sums(old, sums, new, terms)
    assert got == want
    if got is not None:
        assert got == (tuple([sum(col) & ((1 << 64) - 1) for col in zip(*[terms(x) for x in new])]) if new else (0,) * n)
