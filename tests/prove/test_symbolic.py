"""Symbolic values: each operation agrees with the same operation on concrete values.

The reference is plain Python over ``checker.values``: a symbolic value is pinned to a
concrete one by a Z3 constraint, and the operation's result must then be exactly the
concrete result (Z3 proves the equality, and refutes every other value where it can).
"""

from __future__ import annotations

import z3

from checker.prove import symbolic as sy
from checker.prove import types as ty
from checker.values import ModelValue, make_fn, record


def _solve(*facts: object) -> z3.ModelRef:
    s = z3.Solver()
    for f in facts:
        s.add(sy.to_z3_bool(f))
    assert s.check() == z3.sat
    return s.model()


def _valid(fact: object) -> bool:
    s = z3.Solver()
    s.add(z3.Not(sy.to_z3_bool(fact)))
    return s.check() == z3.unsat


def test_concrete_operations_never_reach_z3() -> None:
    assert sy.eq(3, 3) is True
    assert sy.eq("a", ModelValue("a")) is False
    assert sy.union(frozenset({1}), frozenset({2})) == frozenset({1, 2})
    assert sy.apply(record(a=1), "a") == 1
    assert sy.and_([True, True]) is True and sy.or_([False]) is False


def test_set_of_a_universe_decodes_and_compares_elementwise() -> None:
    shape: list[object] = []
    s = ty.fresh(ty.SetT((1, 2, 3)), "s", shape)
    model = _solve(sy.eq(s, frozenset({1, 3})))
    assert sy.decode(s, model) == frozenset({1, 3})
    # {1, 3} \cup {2} = {1, 2, 3} whatever s is, once s = {1, 3}
    assert _valid(
        sy.implies(sy.eq(s, frozenset({1, 3})), sy.eq(sy.union(s, frozenset({2})), frozenset({1, 2, 3})))
    )
    # an element outside the universe is never a member
    assert sy.member(4, s) is False


def test_symbolic_element_of_a_set_is_matched_against_the_universe() -> None:
    x = z3.Int("x")
    shape: list[object] = []
    s = ty.fresh(ty.SetT((0, 1, 2)), "s", shape)
    t = sy.union(s, sy.set_enum([x]))
    model = _solve(sy.eq(s, frozenset()), x == 2)
    assert sy.decode(t, model) == frozenset({2})
    assert _valid(sy.implies(sy.and_((sy.eq(s, frozenset()), x == 2)), sy.eq(sy.cardinality(t), 1)))
    # {x} fits the universe 0..2 exactly when x is in it
    assert _valid(sy.iff(ty.fits(t, ty.SetT((0, 1, 2))), sy.implies(True, sy.and_((x >= 0, x <= 2)))))


def test_cardinality_counts_a_symbolic_element_once() -> None:
    x, y = z3.Int("x"), z3.Int("y")
    t = sy.set_enum([x, y, 1])
    assert _valid(sy.implies(sy.and_((x == 1, y == 1)), sy.eq(sy.cardinality(t), 1)))
    assert _valid(sy.implies(sy.and_((x == 1, y == 2)), sy.eq(sy.cardinality(t), 2)))
    assert _valid(sy.implies(sy.and_((x == 3, y == 2)), sy.eq(sy.cardinality(t), 3)))


def test_enumeration_and_function_application() -> None:
    shape: list[object] = []
    t = ty.FnT(((ModelValue("a1"), ty.EnumT(("x", "y"))), (ModelValue("a2"), ty.EnumT(("x", "y")))))
    f = ty.fresh(t, "f", shape)
    k = ty.fresh(ty.EnumT((ModelValue("a1"), ModelValue("a2"))), "k", shape)
    g = sy.except_update(f, [k], lambda old: "y")
    model = _solve(
        *shape, sy.eq(f, make_fn({ModelValue("a1"): "x", ModelValue("a2"): "x"})), sy.eq(k, ModelValue("a2"))
    )
    assert sy.decode(g, model) == make_fn({ModelValue("a1"): "x", ModelValue("a2"): "y"})
    assert sy.decode(sy.apply(g, k), model) == "y"


def test_bounded_sequence_append_and_index() -> None:
    shape: list[object] = []
    q = ty.fresh(ty.SeqT(ty.IntT(), 3), "q", shape)
    r = sy.append(q, 7)
    model = _solve(*shape, sy.eq(q, (4, 5)))
    assert sy.decode(q, model) == (4, 5)
    assert sy.decode(r, model) == (4, 5, 7)
    assert sy.decode(sy.apply(r, sy.seq_len(r)), model) == 7
    # Appending to a full sequence leaves the shape: fits is false there
    assert _valid(sy.implies(sy.eq(q, (1, 2, 3)), sy.not_(ty.fits(r, ty.SeqT(ty.IntT(), 3)))))


def test_quantifiers_expand_over_the_universe_with_guards() -> None:
    shape: list[object] = []
    s = ty.fresh(ty.SetT((1, 2, 3, 4)), "s", shape)
    some_even = sy.exists(s, lambda e: e % 2 == 0)
    all_small = sy.forall(s, lambda e: e < 4)
    model = _solve(sy.eq(s, frozenset({1, 3})))
    assert sy._holds(some_even, model) is False and sy._holds(all_small, model) is True
    model = _solve(sy.eq(s, frozenset({4})))
    assert sy._holds(some_even, model) is True and sy._holds(all_small, model) is False


def test_choose_picks_the_least_element_that_satisfies_the_predicate() -> None:
    x = z3.Int("x")
    c = sy.choose(frozenset({1, 2, 3}), lambda e: sy.le(x, e))
    assert _valid(sy.implies(x == 2, sy.eq(c, 2)))
    assert _valid(sy.implies(x <= 1, sy.eq(c, 1)))


# -- round trip: a value, asserted equal to the terms of its type, decodes to itself --------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ATOMS = ("x", "y", ModelValue("m1"))


def _types(depth: int) -> st.SearchStrategy[ty.Type]:
    leaves = st.sampled_from([ty.BoolT(), ty.IntT(), ty.EnumT(ATOMS), ty.SetT((1, 2, 3))])
    if depth == 0:
        return leaves
    inner = _types(depth - 1)
    return st.one_of(
        leaves,
        inner.map(lambda t: ty.FnT(((ModelValue("a"), t), (ModelValue("b"), t)))),
        st.tuples(inner, inner).map(lambda p: ty.FnT((("f", p[0]), ("g", p[1])))),
        inner.map(lambda t: ty.SeqT(t, 2)),
    )


def _values(t: ty.Type) -> st.SearchStrategy[object]:
    if isinstance(t, ty.BoolT):
        return st.booleans()
    if isinstance(t, ty.IntT):
        return st.integers(-5, 5)
    if isinstance(t, ty.EnumT):
        return st.sampled_from(t.universe)
    if isinstance(t, ty.SetT):
        return st.frozensets(st.sampled_from(t.universe))
    if isinstance(t, ty.FnT):
        keys = [k for k, _ in t.items]
        return st.tuples(*(_values(s) for _, s in t.items)).map(lambda vs: make_fn(dict(zip(keys, vs))))
    assert isinstance(t, ty.SeqT)
    return st.lists(_values(t.elem), max_size=t.bound).map(tuple)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_values_round_trip_through_their_terms(data: st.DataObject) -> None:
    t = data.draw(_types(2))
    v = data.draw(_values(t))
    shape: list[object] = []
    terms = ty.fresh(t, "v", shape)
    assert ty.fits(v, t) is True or _valid(ty.fits(v, t))
    model = _solve(*shape, sy.eq(terms, v))
    assert sy.decode(terms, model) == v
    # and the terms equal no other value then
    w = data.draw(_values(t))
    if w != v:
        s = z3.Solver()
        for c in shape:
            s.add(sy.to_z3_bool(c))
        s.add(sy.to_z3_bool(sy.eq(terms, v)), sy.to_z3_bool(sy.eq(terms, w)))
        assert s.check() == z3.unsat
