"""PerAtom: the representative of a state whose atoms occur only as functions' domains (sorted rows)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.symmetry import Canonicalizer, PerAtom, permute
from checker.values import Value, make_fn

from .test_canonical import NIL, S5, _orbit, perm_of, states

SETS = [frozenset(S5)]

# The values a row may hold: each column one kind (integers, strings or sequences of integers).
_KINDS = [
    st.integers(0, 2),
    st.sampled_from(["Follower", "Leader"]),
    st.lists(st.integers(0, 2), max_size=2).map(tuple),
]


@st.composite
def row_states(draw: st.DrawFn) -> tuple[Value, ...]:
    """Raft-like states: functions from S5 to one kind of plain value each, and values without atoms."""
    out: list[Value] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(_KINDS))
        out.append(make_fn({s: draw(kind) for s in S5}))
    if draw(st.booleans()):
        out.insert(draw(st.integers(0, len(out))), draw(st.frozensets(st.tuples(st.integers(0, 2)), max_size=3)))
    return tuple(out)


@settings(max_examples=200, deadline=None)
@given(row_states(), perm_of(S5))
def test_rows_give_one_representative_per_class(state: tuple[Value, ...], perm: dict[Value, Value]) -> None:
    canon = PerAtom(SETS)
    rep = canon.rows(state)
    assert rep is not None
    assert canon.rows(permute(state, perm)) == rep
    assert rep in _orbit(state, SETS)


@settings(max_examples=200, deadline=None)
@given(states(S5), perm_of(S5))
def test_any_state_gets_one_representative_per_class(state: tuple[Value, ...], perm: dict[Value, Value]) -> None:
    # Random nested values: most go to the general canonicaliser, and give its representative.
    canon = PerAtom(SETS)
    rep = canon.canonical(state)
    assert canon.canonical(permute(state, perm)) == rep
    if canon.rows(state) is None:
        assert rep == Canonicalizer(SETS).canonical(state)


def test_number_of_representatives_is_the_number_of_orbits() -> None:
    # Functions from three servers to {0, 1, 2}: 27 states, 10 orbits (the multisets of three
    # values); and to {0, 1, 2, Nil}: the general path, 20 orbits (multisets from four values).
    atoms = S5[:3]
    canon = PerAtom([frozenset(atoms)])
    ints = [(make_fn(dict(zip(atoms, img))),) for img in itertools.product(range(3), repeat=3)]
    assert len({canon.canonical(f) for f in ints}) == 10
    with_nil = [(make_fn(dict(zip(atoms, img))),) for img in itertools.product((0, 1, 2, NIL), repeat=3)]
    assert len({canon.canonical(f) for f in with_nil}) == 20
    assert sum(canon.rows(f) is not None for f in with_nil) == 27


def test_what_the_rows_cannot_order_goes_to_the_general_path() -> None:
    s1, s2, s3, s4, s5 = S5
    canon = PerAtom(SETS)
    plain = make_fn({s: 0 for s in S5})
    refused = [
        make_fn({s1: 1, s2: True, s3: 0, s4: 0, s5: 0}),  # TRUE would be taken for 1
        make_fn({s1: 1, s2: "x", s3: 0, s4: 0, s5: 0}),  # two kinds in one column
        make_fn({s: frozenset({1}) for s in S5}),  # sets: Python's < is not an order on them
        make_fn({s: (1, True) for s in S5}),
        make_fn({s1: s2, s2: s1, s3: 0, s4: 0, s5: 0}),  # an atom in a value
        make_fn({s1: 0, s2: 0}),  # a domain that is not the whole set
    ]
    for v in refused:
        assert canon.rows((plain, v)) is None
    assert canon.rows((plain, s1)) is None
    assert canon.rows((plain, frozenset({(s1, 1)}))) is None
    assert canon.rows((plain, NIL, frozenset({(1, "x")}))) is not None


def test_the_fast_path_is_dropped_only_when_no_state_took_it() -> None:
    s1, s2, s3, s4, s5 = S5
    general = (make_fn({s: 0 for s in S5}), s1)
    rows = (make_fn({s1: 0, s2: 1, s3: 2, s4: 0, s5: 1}),)
    # Which path a state took is read from the flag: whether the two kinds of representative
    # differ for ``rows`` depends on the string hashes (Canonicalizer's order), so on the run.
    dropped = PerAtom(SETS)
    for _ in range(1_000):
        dropped.canonical(general)
    assert dropped._on is False
    assert dropped.canonical(rows) == dropped.general.canonical(rows)
    kept = PerAtom(SETS)
    rep = kept.canonical(rows)
    assert rep == kept.rows(rows)
    for _ in range(1_000):
        kept.canonical(general)
    assert kept._on is True
    assert kept.canonical(rows) == rep
