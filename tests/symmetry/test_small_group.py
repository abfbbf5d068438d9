"""SmallGroup: the representative of a small group's class, found by trying every image."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import symmetry
from checker.engine import fingerprint
from checker.symmetry import SmallGroup, permutations_of, permute
from checker.values import Value, make_fn, record

from .test_canonical import NIL, S5, SETS_AB, SYMMETRIC_STATES, A, B, _orbit, perm_of, states


@settings(max_examples=300, deadline=None)
@given(states(A), perm_of(A))
def test_a_permuted_state_has_the_same_representative(state: tuple[Value, ...], perm: dict[Value, Value]) -> None:
    canon = SmallGroup([frozenset(A)])
    rep = canon.canonical(state)
    assert canon.canonical(permute(state, perm)) == rep
    assert rep in _orbit(state, [frozenset(A)])


@settings(max_examples=200, deadline=None)
@given(states(A + B), perm_of(A, B))
def test_two_sets_product_group(state: tuple[Value, ...], perm: dict[Value, Value]) -> None:
    canon = SmallGroup(SETS_AB)
    assert canon.canonical(permute(state, perm)) == canon.canonical(state)


@pytest.mark.parametrize("state", [s for s in SYMMETRIC_STATES if len(s) > 0])
def test_ties_and_automorphisms(state: tuple[Value, ...]) -> None:
    # |Sym(S5)| = 120: larger than SMALL_GROUP, but SmallGroup is exact at any size.
    sets = [frozenset(S5)]
    canon = SmallGroup(sets)
    rep = canon.canonical(state)
    assert rep in _orbit(state, sets)
    for p in itertools.islice(permutations_of(sets), 0, 120, 7):
        assert canon.canonical(permute(state, p)) == rep


def test_number_of_representatives_is_the_number_of_orbits() -> None:
    # The 64 functions from {a1, a2, a3} to {a1, a2, a3, Nil} fall into 16 orbits (Burnside).
    atoms = A[:3]
    canon = SmallGroup([frozenset(atoms)])
    funcs = [(make_fn(dict(zip(atoms, img))),) for img in itertools.product((*atoms, NIL), repeat=3)]
    assert len({canon.canonical(f) for f in funcs}) == 16


def test_message_sets_keep_their_members() -> None:
    # A set of records is imaged member by member; the representative is a state of the orbit.
    a1, a2, a3 = A[:3]
    msgs = frozenset({record(type="1b", acc=a2, bal=1), record(type="2b", acc=a3, bal=0)})
    canon = SmallGroup([frozenset(A[:3])])
    rep = canon.canonical((make_fn({a1: 0, a2: 1, a3: -1}), msgs))
    assert rep in _orbit((make_fn({a1: 0, a2: 1, a3: -1}), msgs), [frozenset(A[:3])])
    assert canon.canonical((make_fn({a3: 0, a1: 1, a2: -1}), permute(msgs, {a1: a3, a2: a1, a3: a2}))) == rep


@settings(max_examples=100, deadline=None)
@given(st.lists(states(A[:3] + B), min_size=1, max_size=6), st.lists(perm_of(A[:3], B), min_size=1, max_size=4))
def test_the_c_representative_is_the_python_one(runs: list[tuple[Value, ...]], perms: list[dict[Value, Value]]) -> None:
    # _fp.small_canonical (installed by checker.engine's fingerprint module) gives the Python
    # way's representative: the same keys, signed hashes against unsigned set sums, the same
    # least image, the tied images in order. States come one after the other, each also permuted
    # and with its sets shared, so the kept images of the last set are met again.
    fast = getattr(fingerprint, "_fp", None) and getattr(fingerprint._fp, "small_canonical", None)
    if fast is None:
        pytest.skip("no C extension")
    sets = [frozenset(A[:3]), frozenset(B)]
    in_c, in_python = SmallGroup(sets), SmallGroup(sets)
    was = symmetry.SMALL_CANONICAL[0]
    try:
        for state in runs:
            for s in [state] + [permute(state, p) for p in perms] + [state]:
                symmetry.use_small_canonical(None)
                want = in_python.canonical(s)
                symmetry.use_small_canonical(fast)
                got = in_c.canonical(s)
                assert got == want and [type(x) for x in got] == [type(x) for x in want]
                rep = fast(s, in_c._rows, in_c._miss, in_c._last_list, len(in_c._images))
                assert want in rep if type(rep) is list else rep == want
    finally:
        symmetry.use_small_canonical(was)


def test_the_c_representative_of_message_sets_one_after_the_other() -> None:
    # Every set of two or three messages over three acceptors, in turn: C's kept image of the
    # last set under a permutation is given again only for that very set (taking another
    # set's image fails this), and sums over members match Python's.
    fast = getattr(fingerprint, "_fp", None) and getattr(fingerprint._fp, "small_canonical", None)
    if fast is None:
        pytest.skip("no C extension")
    a = A[:3]
    msgs = [record(type=t, acc=x, bal=b) for t in ("1b", "2b") for x in a for b in (0, 1)]
    sets = [frozenset(A[:3])]
    in_c, in_python = SmallGroup(sets), SmallGroup(sets)
    was = symmetry.SMALL_CANONICAL[0]
    try:
        for k in (2, 3):
            for chosen in itertools.combinations(msgs, k):
                s = (frozenset(chosen), make_fn({x: i for i, x in enumerate(a)}))
                if len(chosen) == 3 and chosen[0] is msgs[0]:
                    s = s * 20  # more variables than C keeps on its stack
                symmetry.use_small_canonical(None)
                want = in_python.canonical(s)
                symmetry.use_small_canonical(fast)
                assert in_c.canonical(s) == want
    finally:
        symmetry.use_small_canonical(was)
