"""The canonical representative: a function of the class alone, equal to the brute-force least image."""

from __future__ import annotations

import itertools
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.errors import ModelError, SpecError
from checker.model import Model
from checker.symmetry import (
    Canonicalizer,
    group_order,
    least_image_brute_force,
    permutations_of,
    permute,
)
from checker.tla.symmetry import SymmetryHazard, symmetric_sets_from_permutations, symmetry_warning
from checker.values import Fn, ModelValue, Value, make_fn, model_values, record

A = model_values("a1", "a2", "a3", "a4")
B = model_values("b1", "b2")
S5 = model_values("s1", "s2", "s3", "s4", "s5")
NIL = ModelValue("Nil")


def values(atoms: tuple[ModelValue, ...]) -> st.SearchStrategy[Value]:
    """Nested TLA+ values over the given atoms, a non-symmetric model value, ints and strings."""
    base = st.sampled_from((*atoms, NIL)) | st.integers(0, 2) | st.just("x")
    return st.recursive(
        base,
        lambda kids: (
            st.frozensets(kids, max_size=3)
            | st.lists(kids, max_size=3).map(tuple)
            | st.dictionaries(kids, kids, max_size=3).map(make_fn)
        ),
        max_leaves=12,
    )


def states(atoms: tuple[ModelValue, ...]) -> st.SearchStrategy[tuple[Value, ...]]:
    return st.lists(values(atoms), min_size=1, max_size=3).map(tuple)


def perm_of(*sets: tuple[ModelValue, ...]) -> st.SearchStrategy[dict[Value, Value]]:
    def build(images: list[list[ModelValue]]) -> dict[Value, Value]:
        perm: dict[Value, Value] = {}
        for s, image in zip(sets, images):
            perm.update(zip(s, image))
        return perm

    return st.tuples(*(st.permutations(s) for s in sets)).map(lambda t: build(list(t)))


SETS_AB = [frozenset(A), frozenset(B)]


@settings(max_examples=300, deadline=None)
@given(states(A + B), perm_of(A, B))
def test_a_permuted_state_has_the_same_representative(
    state: tuple[Value, ...], perm: dict[Value, Value]
) -> None:
    canon = Canonicalizer(SETS_AB)
    assert canon.canonical(permute(state, perm)) == canon.canonical(state)


@settings(max_examples=200, deadline=None)
@given(states(A + B))
def test_representative_is_the_brute_force_least_image(state: tuple[Value, ...]) -> None:
    assert Canonicalizer(SETS_AB).canonical(state) == least_image_brute_force(state, SETS_AB)


@settings(max_examples=40, deadline=None)
@given(states(S5))
def test_representative_is_the_brute_force_least_image_with_five_atoms(state: tuple[Value, ...]) -> None:
    sets = [frozenset(S5)]
    assert Canonicalizer(sets).canonical(state) == least_image_brute_force(state, sets)


@settings(max_examples=200, deadline=None)
@given(states(A + B), perm_of(A, B))
def test_signatures_do_not_depend_on_names(state: tuple[Value, ...], perm: dict[Value, Value]) -> None:
    canon = Canonicalizer(SETS_AB)
    sig = canon.signatures(state)
    moved = canon.signatures(permute(state, perm))
    assert {perm.get(a, a): s for a, s in sig.items()} == moved


def _orbit(state: tuple[Value, ...], sets: list[frozenset[Value]]) -> set[tuple[Value, ...]]:
    return {permute(state, p) for p in permutations_of(sets)}


s1, s2, s3, s4, s5 = S5
# States whose atoms a signature cannot tell apart: ties that only the
# enumeration of orderings (and the automorphism blocks) resolves.
SYMMETRIC_STATES = [
    # Init of Raft: every server alike (one block of five, no enumeration needed).
    (make_fn({s: 0 for s in S5}), make_fn({s: "Follower" for s in S5}), frozenset()),
    # A 5-cycle of votes: every atom alike, but no swap is an automorphism.
    (make_fn({s1: s2, s2: s3, s3: s4, s4: s5, s5: s1}),),
    # Two 2-cycles and a fixed point, each atom inside records in a set.
    (frozenset({record(src=s1, dst=s2), record(src=s2, dst=s1), record(src=s3, dst=s4)}),),
    (make_fn({s1: s2, s2: s1, s3: s4, s4: s3, s5: s5}), make_fn({s: 1 for s in S5})),
    # Three twins and two others; nested sets of sets.
    (frozenset({frozenset({s1, s2}), frozenset({s3})}), make_fn({s1: (1, 2), s2: (1, 2), s4: (1, 2)})),
    # Atoms that occur nowhere, beside atoms in a tie.
    ((s2, s4), frozenset({s2, s4})),
]


@pytest.mark.parametrize("state", SYMMETRIC_STATES)
def test_ties_are_resolved_exactly(state: tuple[Value, ...]) -> None:
    sets = [frozenset(S5)]
    canon = Canonicalizer(sets)
    rep = canon.canonical(state)
    assert rep == least_image_brute_force(state, sets)
    assert rep in _orbit(state, sets)
    for p in itertools.islice(permutations_of(sets), 0, 120, 7):
        assert canon.canonical(permute(state, p)) == rep


def test_number_of_representatives_is_the_number_of_orbits() -> None:
    # All functions from {a1, a2, a3} to {a1, a2, a3, Nil}: 64 states. Their
    # orbits under Sym({a1, a2, a3}), by Burnside's lemma: the identity fixes 64,
    # each of the 3 swaps fixes 4 * 2 = 8, each of the 2 three-cycles fixes 4, so
    # (64 + 24 + 8) / 6 = 16.
    atoms = A[:3]
    sets = [frozenset(atoms)]
    canon = Canonicalizer(sets)
    funcs = [(make_fn(dict(zip(atoms, img))),) for img in itertools.product((*atoms, NIL), repeat=3)]
    assert len(funcs) == 64
    assert len({frozenset(_orbit(f, sets)) for f in funcs}) == 16
    assert len({canon.canonical(f) for f in funcs}) == 16


def test_permute_acts_everywhere() -> None:
    a1, a2 = A[:2]
    perm = {a1: a2, a2: a1}
    v = (
        frozenset({a1, 3}),
        Fn({a1: record(src=a1, dst=NIL), "k": (a2, a1)}),
        make_fn({1: a1, 2: frozenset({frozenset({a2})})}),
    )
    assert permute(v, perm) == (
        frozenset({a2, 3}),
        Fn({a2: record(src=a2, dst=NIL), "k": (a1, a2)}),
        (a2, frozenset({frozenset({a1})})),
    )


class Pair(NamedTuple):
    leader: Value
    votes: frozenset[Value]


class PairModel(Model):
    variables = ("leader", "votes")
    symmetric_sets = (frozenset(A[:3]),)


def test_model_symmetry_is_derived_from_symmetric_sets_and_as_record() -> None:
    a1, a2, a3 = A[:3]
    m = PairModel()
    assert m.has_symmetry
    assert m.symmetry(Pair(a1, frozenset({a1, a2}))) == m.symmetry(Pair(a3, frozenset({a3, a1})))
    assert m.symmetry(Pair(a1, frozenset({a1, a2}))) != m.symmetry(Pair(a1, frozenset({a2, a3})))


def test_group_order() -> None:
    assert group_order(SETS_AB) == 48
    assert group_order([frozenset(S5)]) == 120


def test_a_symmetric_set_of_integers_is_refused() -> None:
    with pytest.raises(ModelError, match="not a model value"):
        Canonicalizer([frozenset({1, 2, 3})])


def test_overlapping_symmetric_sets_are_refused() -> None:
    with pytest.raises(ModelError, match="two symmetric sets"):
        Canonicalizer([frozenset(A[:2]), frozenset(A[1:3])])


# -- TLA+: SYMMETRY Perms ------------------------------------------------------


def permutations_value(s: tuple[ModelValue, ...]) -> frozenset[Value]:
    """The value of TLC's ``Permutations(S)``: every bijection of S onto itself, as functions."""
    return frozenset(make_fn(dict(zip(s, image))) for image in itertools.permutations(s))


def test_permutations_of_one_set_is_recognised() -> None:
    assert symmetric_sets_from_permutations(permutations_value(S5[:3])) == (frozenset(S5[:3]),)


def test_a_union_of_permutations_is_recognised() -> None:
    perms = permutations_value(A[:3]) | permutations_value(B)
    assert set(symmetric_sets_from_permutations(perms)) == {frozenset(A[:3]), frozenset(B)}


def test_permutations_of_a_singleton_or_empty_set_add_nothing() -> None:
    assert symmetric_sets_from_permutations(permutations_value(A[:1]) | {()}) == ()


def test_a_partial_set_of_permutations_is_refused() -> None:
    perms = set(permutations_value(A[:3]))
    perms.pop()
    with pytest.raises(SpecError, match="holds 5 permutations of .*, not the 6 of") as info:
        symmetric_sets_from_permutations(frozenset(perms))
    assert info.value.exit_code == 151


def test_something_else_is_refused() -> None:
    with pytest.raises(SpecError, match="not a permutation"):
        symmetric_sets_from_permutations(frozenset({make_fn({A[0]: A[1]})}))
    with pytest.raises(SpecError, match="set of permutations"):
        symmetric_sets_from_permutations(3)
    with pytest.raises(SpecError, match="not a model value"):
        symmetric_sets_from_permutations(frozenset({Fn({"a": "b", "b": "a"}), Fn({"a": "a", "b": "b"})}))


# -- warnings ----------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, text, phrase",
    [
        ("choose", "CHOOSE s \\in Server : TRUE", "chooses an element of the symmetric set Server"),
        ("constant", "Leader0 = s1", "names one particular element of the symmetric set Server"),
        ("ordering", "i < j", "compares or orders elements of the symmetric set Server"),
    ],
)
def test_unsound_symmetry_warning_says_what_and_why(kind: str, text: str, phrase: str) -> None:
    message = symmetry_warning(SymmetryHazard(kind, "Server", text))  # type: ignore[arg-type]
    assert message.startswith("warning: SYMMETRY may be unsound: ")
    assert phrase in message and text in message
    assert "TLC's documentation warns" in message and "--no-symmetry" in message


def test_the_product_written_over_the_union_is_recognised() -> None:
    # {p @@ q : p \in Permutations(A), q \in Permutations(B)}, as MCPaxos writes it.
    perms = frozenset(
        Fn({**dict(zip(A[:3], pa)), **dict(zip(B, pb))})
        for pa in itertools.permutations(A[:3])
        for pb in itertools.permutations(B)
    )
    assert set(symmetric_sets_from_permutations(perms)) == {frozenset(A[:3]), frozenset(B)}


def test_a_subgroup_is_refused() -> None:
    # The rotations of {a1, a2, a3}: a group, but not all of Sym({a1, a2, a3}).
    a1, a2, a3 = A[:3]
    rotations = frozenset(
        make_fn(dict(zip((a1, a2, a3), image))) for image in [(a1, a2, a3), (a2, a3, a1), (a3, a1, a2)]
    )
    with pytest.raises(SpecError, match="not the 6 of Permutations"):
        symmetric_sets_from_permutations(rotations)


def test_replacing_symmetric_sets_rebuilds_the_canonicaliser() -> None:
    a1, a2, a3 = A[:3]
    m = PairModel()
    m.symmetry(Pair(a1, frozenset()))
    m.symmetric_sets = (frozenset({a1, a2}),)  # a3 is no longer interchangeable
    assert m.symmetry(Pair(a1, frozenset())) == m.symmetry(Pair(a2, frozenset()))
    assert m.symmetry(Pair(a1, frozenset())) != m.symmetry(Pair(a3, frozenset()))


def test_a_union_of_permutations_reduces_by_the_product_group_as_tlc_does() -> None:
    # tla/TwoSets.tla: f \in [A -> B], g \in A, h \in B with A = {a1, a2, a3},
    # B = {b1, b2} and SYMMETRY Permutations(A) \cup Permutations(B).
    # TLC 2.20: 48 states generated, 6 distinct.
    a, b = A[:3], B
    perms = permutations_value(a) | permutations_value(b)
    sets = symmetric_sets_from_permutations(perms)
    canon = Canonicalizer(sets)
    states = [
        (make_fn(dict(zip(a, image))), g, h) for image in itertools.product(b, repeat=3) for g in a for h in b
    ]
    assert len(states) == 48
    assert len({canon.canonical(s) for s in states}) == 6


class Point(NamedTuple):
    x: Value
    y: Value


def test_a_record_holding_python_objects_is_refused_with_a_reason() -> None:
    # A NamedTuple is not a TLA+ value: the permutation could not look inside it.
    with pytest.raises(ModelError, match="a Point, in a state's record"):
        Canonicalizer(SETS_AB).canonical((Point(A[0], 1),))
