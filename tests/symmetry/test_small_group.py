"""SmallGroup: the representative of a small group's class, found by trying every image."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings

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
