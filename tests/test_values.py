"""The order of values: ``sorted_values`` and ``least_value`` take shortcuts for sets of one
plain kind (integers, strings, model values, tuples of integers) and must give exactly the
order of ``value_key`` (TLC's order within a kind), which CHOOSE and every enumeration follow."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from checker.values import ModelValue, least_value, make_fn, sorted_values, value_key

atoms = st.one_of(
    st.booleans(),
    st.integers(-5, 5),
    st.text(max_size=3),
    st.sampled_from(["a", "b", "c"]).map(ModelValue),
)
values = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.frozensets(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.sampled_from(["x", "y"]), inner, max_size=2).map(make_fn),
    ),
    max_leaves=8,
)
plain_sets = st.one_of(
    st.frozensets(st.integers(-50, 50)),
    st.frozensets(st.text(max_size=3)),
    st.frozensets(st.sampled_from(["m1", "m2", "a", "b"]).map(ModelValue)),
    st.frozensets(st.lists(st.integers(-3, 3), max_size=4).map(tuple)),
    st.frozensets(st.booleans()),
)


@given(st.one_of(plain_sets, st.frozensets(values, max_size=6)))
def test_shortcuts_give_the_order_of_value_key(s: frozenset[Any]) -> None:
    expected = sorted(s, key=value_key)
    assert sorted_values(s) == expected
    if s:
        assert least_value(s) == expected[0]


def test_tuples_of_integers_are_ordered_by_length_first() -> None:
    # TLC 2.20: CHOOSE q \in {<<2, 1, 1>>, <<3, 3>>, <<1, 5>>} : TRUE is <<1, 5>> (corpus NamedFormers).
    s = frozenset({(2, 1, 1), (3, 3), (1, 5), (3, 2), ()})
    assert sorted_values(s) == [(), (1, 5), (3, 2), (3, 3), (2, 1, 1)]
    assert least_value(s) == ()
