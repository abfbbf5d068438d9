"""The order of values: ``sorted_values`` and ``least_value`` take shortcuts for sets of one
plain kind (integers, strings, model values, tuples of integers) and must give exactly the
order of ``value_key`` (TLC's order within a kind), which CHOOSE and every enumeration follow."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.values import (
    Fn,
    ModelValue,
    SortedSets,
    copy_except,
    least_value,
    make_fn,
    point_updater,
    record_builder,
    sorted_values,
    value_key,
)

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


records = st.dictionaries(st.sampled_from(["x", "y"]), values, min_size=1, max_size=2).map(make_fn)


@given(st.one_of(plain_sets, st.frozensets(values, max_size=6), st.frozensets(records, max_size=6)))
def test_shortcuts_give_the_order_of_value_key(s: frozenset[Any]) -> None:
    expected = sorted(s, key=value_key)
    assert sorted_values(s) == expected
    if s:
        assert least_value(s) == expected[0]


@given(st.lists(plain_sets, max_size=6))
def test_sorted_sets_give_the_order_of_value_key_for_small_sets_of_atoms(sets: list[frozenset[Any]]) -> None:
    # Sets of a few atoms are sorted afresh (not kept); the others kept or corrected: one order.
    order = SortedSets(2)
    for s in sets + sets:
        if len(s) > 1:
            assert order(s) == sorted(s, key=value_key)


def test_tuples_of_integers_are_ordered_by_length_first() -> None:
    # TLC 2.20: CHOOSE q \in {<<2, 1, 1>>, <<3, 3>>, <<1, 5>>} : TRUE is <<1, 5>> (corpus NamedFormers).
    s = frozenset({(2, 1, 1), (3, 3), (1, 5), (3, 2), ()})
    assert sorted_values(s) == [(), (1, 5), (3, 2), (3, 3), (2, 1, 1)]
    assert least_value(s) == ()


def test_records_of_atoms_are_built_once() -> None:
    build = record_builder(["type", "bal", "acc"])
    a1 = ModelValue("a1")
    r = build(["2b", 1, a1])
    assert type(r) is Fn and list(r.items()) == [("type", "2b"), ("bal", 1), ("acc", a1)]
    assert build(("2b", 1, a1)) is r
    assert build(["2b", 2, a1]) is not r


def test_records_holding_booleans_or_sets_are_not_merged_with_equal_ones() -> None:
    # Python's 1 == TRUE (and so {1} == {TRUE}): such records are built afresh, never looked up.
    build = record_builder(["f"])
    one = build([1])
    true = build([True])
    assert true is not one and type(true["f"]) is bool and type(build([1])["f"]) is int
    s1, st1 = build([frozenset({1})]), build([frozenset({True})])
    assert s1 is not st1 and type(next(iter(st1["f"]))) is bool


@pytest.fixture(params=["python", "c"])
def updater_in(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """point_updater's two implementations: the Python closure, and _fp.Updater (the engine's)."""
    import checker.engine.fingerprint  # noqa: F401 (gives values.py the C copy and updater)
    import checker.values as values

    if request.param == "python":
        monkeypatch.setattr(values, "_updater_hook", [None])
        monkeypatch.setattr(values, "_copy_except_hook", [values._copy_except])
    elif values._updater_hook[0] is None:
        pytest.skip("checker/engine/_fp.c is not built")
    return str(request.param)


def test_a_point_update_of_atoms_is_one_object_per_function_key_and_value(updater_in: str) -> None:
    put = point_updater(limit=4)
    a1, a2 = ModelValue("a1"), ModelValue("a2")
    f = make_fn({a1: -1, a2: -1})
    g = put(f, a1, 2)
    assert type(g) is Fn and g == make_fn({a1: 2, a2: -1}) and f == make_fn({a1: -1, a2: -1})
    assert put(f, a1, 2) is g and put(g, a2, 0) is put(g, a2, 0)
    assert put(f, a1, 1) is not g
    assert put(make_fn({a1: -1, a2: -1}), a1, 2) is not g  # an equal f, not the same: built afresh
    # Python's 1 == TRUE: a boolean (or a set) is never looked up, so never merged with 1.
    one, true = put(f, a1, 1), put(f, a1, True)
    assert true is not one and type(true[a1]) is bool and type(put(f, a1, 1)[a1]) is int
    for i in range(5):  # the table is bounded: cleared when full, the results still right
        put(f, a2, i)
    assert put(f, a1, 2) == g


def test_a_point_update_given_a_miss_gives_it_where_the_point_is_not_a_functions(updater_in: str) -> None:
    # The generated code's guard in the call (fuse's except1 with a value that cannot fail).
    a1, miss = ModelValue("a1"), object()
    f = make_fn({a1: 0, "k": 1})
    for put in (point_updater(), copy_except(), point_updater(trial=1)):
        assert put(f, "zz", 1, miss) is miss and put(f, True, 1, miss) is miss
        assert put((5, 6), 1, 7, miss) is miss and put(frozenset({1}), 1, 7, miss) is miss
        assert put(make_fn({a1: 0}), a1, 7, miss) == make_fn({a1: 7})
        g = put(f, a1, 2, miss)
        assert type(g) is Fn and g == make_fn({a1: 2, "k": 1}) and f[a1] == 0


def test_a_point_update_table_that_seldom_hits_is_given_up(updater_in: str) -> None:
    a1, a2 = ModelValue("a1"), ModelValue("a2")
    f = make_fn({a1: -1, a2: -1})
    seldom = point_updater(trial=4)
    for i in range(4):  # four misses, no hit: given up, the results still right
        seldom(f, a1, i)
    assert seldom(f, a1, 0) is not seldom(f, a1, 0)
    assert seldom(f, a1, 0) == make_fn({a1: 0, a2: -1})
    often = point_updater(trial=4)
    for i in range(4):  # two hits after each miss: kept
        g = often(f, a1, i)
        assert often(f, a1, i) is g and often(f, a1, i) is g
    assert often(f, a2, 7) is often(f, a2, 7)


class _Lazy:
    """A stand-in for the evaluator's lazy sets: made real by ``frozenset``."""

    def __init__(self, *items: Any) -> None:
        self.items = items

    def real(self) -> frozenset[Any]:
        return frozenset(self.items)


def test_a_lazy_new_value_is_made_real_first(updater_in: str) -> None:
    a1 = ModelValue("a1")
    put = point_updater(lazy=_Lazy, normalize=_Lazy.real)
    f = make_fn({a1: 0, "k": 1})
    g = put(f, a1, _Lazy(1, 2))
    assert g[a1] == frozenset({1, 2}) and type(g[a1]) is frozenset and f[a1] == 0
    assert put(f, "k", _Lazy()) == make_fn({a1: 0, "k": frozenset()})


calls = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.sampled_from([ModelValue("a1"), ModelValue("a2"), "k", 7]),
        st.one_of(st.integers(-2, 2), st.booleans(), st.sampled_from(["x", "y"]), st.just(frozenset({1}))),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(calls, st.integers(1, 5), st.integers(1, 8))
def test_the_c_updater_gives_what_the_python_one_gives(ops: list[Any], limit: int, trial: int) -> None:
    """The same results, and the same ones by identity, call after call (the table's rule:
    kept, bounded, given up), for the C updater as for the closure."""
    import checker.engine.fingerprint  # noqa: F401
    import checker.values as values

    made = values._updater_hook[0]
    if made is None:
        pytest.skip("checker/engine/_fp.c is not built")
    keys = [ModelValue("a1"), ModelValue("a2"), "k", 7]
    fns = [make_fn({k: i for k in keys}) for i in range(3)]
    runs = []
    for hook in (None, made):
        values._updater_hook[0] = hook
        try:
            put = point_updater(limit=limit, trial=trial)
        finally:
            values._updater_hook[0] = made
        out = [put(fns[i], key, new) for i, key, new in ops]
        runs.append(out)
    py, c = runs
    assert all(type(x) is Fn and x == y and list(x.items()) == list(y.items()) for x, y in zip(py, c))
    same = [[a is b for b in py] for a in py]
    assert same == [[a is b for b in c] for a in c]
    assert all(type(x[k]) is type(y[k]) for x, y in zip(py, c) for k in keys)


def test_the_record_table_is_bounded() -> None:
    build = record_builder(["n"], limit=4)
    first = build([0])
    for i in range(1, 6):
        build([i])
    assert build([0]) is not first and build([0]) == first


_message = record_builder(["type", "bal", "acc"])
messages = st.builds(
    lambda t, b, a: _message([t, b, ModelValue(a)]),
    st.sampled_from(["1a", "2b"]), st.integers(-1, 2), st.sampled_from(["a1", "a2"]),
)  # fmt: skip
others = st.one_of(records, messages.map(lambda m: make_fn(dict(m))))  # equal, not built by the table


@given(st.lists(st.tuples(st.frozensets(messages, max_size=3), st.frozensets(st.one_of(messages, others), max_size=2)), max_size=12))
def test_sorted_sets_follow_value_key_from_one_set_to_the_next(steps: list[tuple[frozenset[Any], frozenset[Any]]]) -> None:
    # Each set differs from the last by a few members (corrected, not sorted anew), or is
    # another set altogether; members not built by record_builder are always sorted afresh.
    order = SortedSets(3)
    s: frozenset[Any] = frozenset()
    seen = []
    for add, remove in steps:
        s = (s | add) - remove
        if len(s) > 1:
            seen.append(s)
            got = order(s)
            assert got == sorted(s, key=value_key)
            assert [id(x) for x in got] == [id(x) for x in sorted(s, key=value_key)] or not all(
                type(x) is Fn for x in s
            )
    for t in seen[-3:]:
        assert order(t) == sorted(t, key=value_key)



@pytest.mark.parametrize("way", ["python", "c"])
def test_fn_get_reads_a_point_of_an_fn_else_gives_the_miss(way: str) -> None:
    # Generated code's f[x] and r.name: one call, the slow path (sequences, errors) on a miss.
    import checker.engine.fingerprint  # noqa: F401 (gives values.py the C function)
    import checker.values as values

    get = values.fn_get if way == "python" else values.fn_getter()
    if way == "c" and get is values.fn_get:
        pytest.skip("checker/engine/_fp.c is not built")
    a1, miss = ModelValue("a1"), object()
    f = make_fn({a1: 0, "k": frozenset({1})})
    assert get(f, a1, miss) == 0 and get(f, "k", miss) is f["k"]
    assert get(f, "zz", miss) is miss and get(f, True, miss) is miss and get(f, miss, miss) is miss
    assert get((5, 6), 1, miss) is miss and get({"k": 1}, "k", miss) is miss and get(frozenset(), 1, miss) is miss


def test_a_function_of_integers_does_not_find_a_boolean() -> None:
    # Python's dict finds 0's value for FALSE (0 == False); TLA+'s f[FALSE] is outside f's
    # domain {0, 1, 2}. The rule of values.fn_get, the engine's C fn_get and fn_apply.
    from checker.engine.fingerprint import HAVE_C
    from checker.values import fn_apply, fn_get, fn_getter

    ints = make_fn({0: "a", 1: "b", 2: "c"})
    bools = make_fn({False: "n", True: "y"})
    miss = object()
    for get in {fn_get, fn_getter()}:  # (the C one where it is built: HAVE_C)
        assert get(ints, False, miss) is miss and get(ints, True, miss) is miss
        assert get(bools, 0, miss) is miss and get(bools, 1, miss) is miss
        assert get(ints, 1, miss) == "b" and get(bools, True, miss) == "y"
    assert HAVE_C == (fn_getter() is not fn_get)
    for f, arg in ((ints, False), (bools, 1)):
        with pytest.raises(KeyError):
            fn_apply(f, arg)
    assert fn_apply(ints, 0) == "a" and fn_apply(bools, False) == "n"
