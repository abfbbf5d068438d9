"""The standard modules over checker.values, against hand-computed TLA+ results."""

from __future__ import annotations

import pytest

from checker.tla import stdlib as lib
from checker.tla.stdlib import EvalError
from checker.values import Fn, ModelValue, record

a, b = ModelValue("a"), ModelValue("b")


def test_nat_and_int_answer_membership_but_refuse_enumeration() -> None:
    assert lib.is_in(0, lib.NAT) and not lib.is_in(-1, lib.NAT)
    assert lib.is_in(-5, lib.INT) and not lib.is_in(a, lib.INT)  # a model value: FALSE, as TLC
    # TLC 2.20: "Attempted to check if the value: "x" is an element of Int" (and for TRUE).
    for v, s in (("x", lib.INT), (True, lib.INT), (False, lib.NAT), (1, lib.STRING)):
        with pytest.raises(EvalError, match="is an element of"):
            lib.is_in(v, s)
    assert lib.subseteq(frozenset({1, 2}), lib.NAT)
    with pytest.raises(EvalError, match="infinite set Nat"):
        lib.enumerate_set(lib.NAT)
    with pytest.raises(EvalError, match="infinite set Int"):
        list(lib.iterate_set(lib.INT))


def test_integer_division_and_modulo_follow_tlc() -> None:
    assert (lib.int_div(-7, 2), lib.int_mod(-7, 2)) == (-4, 1)  # floor, as TLC
    assert lib.int_pow(2, 10) == 1024
    with pytest.raises(EvalError, match="positive"):
        lib.int_mod(3, 0)
    with pytest.raises(EvalError, match="0"):
        lib.int_div(3, 0)
    assert lib.interval(3, 1) == frozenset()


def test_sequences() -> None:
    s = (1, 2, 3)
    assert lib.seq_len(s) == 3
    assert lib.append(s, 4) == (1, 2, 3, 4)
    assert (lib.head(s), lib.tail(s)) == (1, (2, 3))
    assert lib.concat(s, (9,)) == (1, 2, 3, 9)
    assert lib.subseq(s, 2, 3) == (2, 3) and lib.subseq(s, 3, 2) == ()
    assert lib.select_seq(s, lambda x: x % 2 == 1) == (1, 3)
    assert lib.is_in((1, 1), lib.seq_set(frozenset({1}))) and not lib.is_in((2,), lib.seq_set(frozenset({1})))
    assert lib.is_in((), lib.seq_set(frozenset()))
    with pytest.raises(EvalError, match="Head to the empty sequence"):
        lib.head(())
    with pytest.raises(EvalError, match="infinite set Seq"):
        lib.enumerate_set(lib.seq_set(frozenset({1})))


def test_finite_sets_and_lazy_sets() -> None:
    assert lib.cardinality(frozenset({1, 2})) == 2
    assert lib.is_finite_set(frozenset()) and not lib.is_finite_set(lib.NAT)
    subsets = lib.enumerate_set(lib.subset(frozenset({1, 2})))
    assert subsets == frozenset({frozenset(), frozenset({1}), frozenset({2}), frozenset({1, 2})})
    fns = lib.enumerate_set(lib.FnSet(frozenset({"x", "y"}), frozenset({0, 1})))
    assert len(fns) == 4 and record(x=0, y=1) in fns
    assert lib.enumerate_set(lib.FnSet(frozenset({1, 2}), frozenset({7}))) == frozenset(
        {(7, 7)}
    )  # 1..2 -> a tuple
    recs = lib.RecordSet((("k", frozenset({1, 2})), ("v", frozenset({"a"}))))
    assert lib.is_in(record(k=1, v="a"), recs) and not lib.is_in(record(k=3, v="a"), recs)
    assert len(lib.enumerate_set(recs)) == 2
    assert lib.big_union(frozenset({frozenset({1}), frozenset({2, 3})})) == frozenset({1, 2, 3})
    assert lib.cartesian(frozenset({1}), frozenset({2, 3})) == frozenset({(1, 2), (1, 3)})


def test_functions_records_and_tlc_operators() -> None:
    f = lib.colon_gt(a, 1)
    g = lib.at_at(f, lib.colon_gt(b, 2))
    assert g == Fn({a: 1, b: 2}) and lib.at_at(f, lib.colon_gt(a, 9)) == f  # f wins where both are defined
    assert lib.apply(g, b) == 2
    with pytest.raises(EvalError, match="not in the domain"):
        lib.apply(g, 3)
    assert lib.except_at((1, 2), 2, 5) == (1, 5) and lib.except_at((1, 2), 3, 5) == (1, 2)
    with pytest.raises(EvalError, match="nonexistent field 'z'"):
        lib.select_field(record(x=1), "z")
    assert lib.domain((4, 5)) == frozenset({1, 2})
    perms = lib.permutations(frozenset({a, b}))
    assert perms == frozenset({Fn({a: a, b: b}), Fn({a: b, b: a})})
    assert lib.sort_seq((3, 1, 2), lambda x, y: x < y) == (1, 2, 3)
    assert lib.to_string(record(x=1)) == "[x |-> 1]"
    with pytest.raises(EvalError, match="Assert"):
        lib.tlc_assert(False, "boom")


def test_tlc_runtime_is_per_check_and_seeded() -> None:
    printed: list[str] = []
    rt = lib.TlcRuntime(seed=0, out=printed.append)
    assert rt.print_value("x", 3) == 3 and printed == ['"x"  3']
    assert rt.tlc_set(1, 5) and rt.tlc_get(1) == 5
    assert lib.TlcRuntime().registers == {}  # nothing shared between checks
    s = frozenset(range(10))
    picks = [lib.TlcRuntime(seed=0).random_element(s) for _ in range(3)]
    assert len(set(picks)) == 1  # a fixed seed: the same element every run


def test_bags() -> None:
    x = lib.set_to_bag(frozenset({"p", "q"}))
    y = lib.bag_add(x, lib.set_to_bag(frozenset({"p"})))
    assert lib.copies_in("p", y) == 2 and lib.copies_in("r", y) == 0
    assert lib.bag_cardinality(y) == 3
    assert lib.bag_to_set(y) == frozenset({"p", "q"})
    assert lib.bag_sub(y, x) == Fn({"p": 1})
    assert lib.sub_bag_eq(x, y) and not lib.sub_bag_eq(y, x)
    assert lib.is_a_bag(lib.EMPTY_BAG) and not lib.is_a_bag(Fn({"p": 0}))
    assert len(lib.sub_bags(y)) == 6  # 3 choices of p copies x 2 of q
    assert lib.bag_union(frozenset({x, lib.set_to_bag(frozenset({"q"}))})) == Fn({"p": 1, "q": 2})


def test_equality_across_kinds_is_an_error_except_for_model_values() -> None:
    assert lib.equal(a, 1) is False and lib.equal(a, a) is True
    with pytest.raises(EvalError, match="equality of integer 1"):
        lib.equal(1, "1")
    assert lib.equal(lib.subset(frozenset({1})), frozenset({frozenset(), frozenset({1})}))


def test_large_and_infinite_sets_answer_membership_without_being_built() -> None:
    big = lib.interval(1, 10**9)
    assert isinstance(big, lib.LazySet) and lib.cardinality(big) == 10**9
    assert lib.is_in(10**9, big) and not lib.is_in(0, big)
    assert type(lib.interval(1, 100)) is frozenset  # small ones are built, as iterating them is cheaper
    null = ModelValue("NULL")
    slots = lib.FnSet(frozenset({0, 1}), lib.union(lib.INT, frozenset({null})))
    assert slots.infinite and lib.is_in(Fn({0: null, 1: -3}), slots)
    with pytest.raises(EvalError, match='"s" is an element of Int'):  # TLC 2.20: its error too
        lib.is_in(Fn({0: "s", 1: 1}), slots)
    # TLC asks the enumerated side of a \cup first: "none" \in Nat \cup {"none"} is TRUE.
    for nat_or_none in (lib.union(lib.NAT, frozenset({"none"})), lib.union(frozenset({"none"}), lib.NAT)):
        assert lib.is_in("none", nat_or_none) and lib.is_in(3, nat_or_none)
        with pytest.raises(EvalError, match='"a" is an element of Nat'):
            lib.is_in("a", nat_or_none)
    assert lib.is_in(Fn({0: 1, 1: 2}), lib.union_of(slots))
    pairs = lib.cartesian(lib.NAT, big)
    assert lib.is_in((0, 5), pairs) and not lib.is_in((0, 0), pairs)
    assert lib.cardinality(lib.cartesian(big, frozenset({1, 2}))) == 2 * 10**9
    minus = lib.set_minus(big, frozenset({7}))
    assert lib.is_in(8, minus) and not lib.is_in(7, minus)
    assert lib.cardinality(lib.subset(frozenset(range(40)))) == 2**40
    assert lib.cardinality(lib.FnSet(frozenset(range(20)), frozenset(range(20)))) == 20**20
    assert not lib.is_finite_set(slots) and lib.is_finite_set(big)
    with pytest.raises(EvalError, match="infinite"):
        lib.cardinality(slots)


def test_remembered_membership_tells_true_from_one() -> None:
    """A membership answer is remembered by fingerprint: ``[a |-> TRUE]`` and ``[a |-> 1]`` are
    equal for Python (a dict keyed by them would give one the other's answer), not for TLA+."""
    import checker.engine.fingerprint  # noqa: F401  (gives the evaluator its fingerprints)
    from checker.tla.stdlib import remembered
    from checker.values import fn_of

    seen: dict[int, bool] = {}

    def field_is_bool(v: object) -> bool:
        return type(v["a"]) is bool  # type: ignore[index]

    assert remembered(seen, fn_of({"a": True}), field_is_bool) is True
    assert remembered(seen, fn_of({"a": 1}), field_is_bool) is False
    assert remembered(seen, fn_of({"a": True}), field_is_bool) is True
    assert len(seen) == 2
