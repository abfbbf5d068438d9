"""The index of a set of records by a field (``code.field_index``), through which
``_field_selector`` gives the records that pass ``x.f = c`` (``\\E m \\in msgs : m.type =
"Accept" /\\ ...`` and ``{m \\in msgs : m.type = "PrepareReply" /\\ ...}``): the same elements,
in the same order, as going through the set element by element."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.tla.compile import code
from checker.tla.compile.code import UNSET, _field_selector, _in_order, field_index
from checker.values import Fn, ModelValue, fn_of


def scan(d: frozenset[Any], fname: str, bv: Any, ordered: bool) -> list[tuple[Any, bool]]:
    """The selection as it was made before the index: every element looked at."""
    out = []
    for v in _in_order(d, None) if ordered else d:
        if type(v) is Fn:
            x = v.get(fname, UNSET)
            if type(x) is type(bv):
                if x == bv:
                    out.append((v, True))
                continue
        out.append((v, False))
    return out


def msg(kind: Any, bal: int) -> Fn:
    return fn_of({"type": kind, "bal": bal})


def test_records_of_one_kind_are_indexed_and_others_are_not() -> None:
    kept: dict[int, Any] = {}
    msgs = frozenset({msg("Prepare", 1), msg("Accept", 1), msg("Accept", 2)})
    index = field_index(msgs, "type", kept)
    assert index is not None and index[0] is str
    assert sorted(v["bal"] for v in index[1]["Accept"]) == [1, 2]
    assert field_index(msgs, "type", kept) is index  # kept by identity
    # A record without the field, a value that is not a record, a boolean field, two kinds:
    for odd in (fn_of({"bal": 3}), 7, msg(True, 1), msg(ModelValue("a1"), 1)):
        assert field_index(msgs | {odd}, "type", kept) is None
    assert field_index(frozenset({msg(True, 1), msg(False, 2)}), "type", kept) is None


messages = st.builds(
    lambda kind, bal: msg(kind, bal),
    st.sampled_from(["Prepare", "Accept", "Commit", 1, 2, True, ModelValue("m1")]),
    st.integers(0, 3),
) | st.sampled_from([fn_of({"bal": 1}), 5, "x", (1, 2)])


@settings(max_examples=300, deadline=None)
@given(
    st.frozensets(messages, max_size=12),
    st.sampled_from(["Prepare", "Accept", 1, 2, ModelValue("m1"), "none"]),
    st.booleans(),
)
def test_the_selection_is_the_scans(d: frozenset[Any], bv: Any, ordered: bool) -> None:
    select = _field_selector("type", bv, None, {}, ordered=ordered)
    got = select(d)
    want = scan(d, "type", bv, ordered)
    if ordered:
        assert got == want
    else:
        assert sorted(map(repr, got)) == sorted(map(repr, want))
    assert select(d) is got  # the last set's selection kept


def test_the_index_is_used_where_it_can_be() -> None:
    """Only the records that pass are in the selection: the others are not looked at."""
    msgs = frozenset({msg("Prepare", 1), msg("Accept", 1), msg("Accept", 2), msg("Commit", 0)})
    select = _field_selector("type", "Accept", None, {}, ordered=True)
    assert [(v["bal"], ok) for v, ok in select(msgs)] == [(1, True), (2, True)]
    assert id(msgs) in code._INDEXES["type"]


@settings(max_examples=300, deadline=None)
@given(st.frozensets(messages, max_size=12), st.sampled_from(["type", "bal", "none"]))
def test_the_groups_in_c_are_the_pythons(d: frozenset[Any], fname: str) -> None:
    # The C extension's field_groups (what field_index uses where it is built) groups a set
    # as py_field_groups does: the same kind, the same members per value, None alike.
    from checker.engine.fingerprint import HAVE_C

    if not HAVE_C:
        return
    from checker.engine import _fp

    got = _fp.field_groups(d, fname, code._INDEX_KINDS)
    want = code.py_field_groups(d, fname, code._INDEX_KINDS)
    if want is None:
        assert got is None
        return
    assert got is not None and got[0] is want[0]
    assert {k: sorted(map(repr, g)) for k, g in got[1].items()} == {
        k: sorted(map(repr, g)) for k, g in want[1].items()
    }


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.frozensets(st.builds(msg, st.sampled_from(["Prepare", "Accept"]), st.integers(0, 3)), max_size=6)
        | st.frozensets(messages, max_size=8),
        min_size=2,
        max_size=4,
    ),
    st.sampled_from(["Prepare", "Accept", 1, ModelValue("m1")]),
    st.booleans(),
)
def test_a_selection_kept_from_the_last_set_is_the_scans(
    sets: list[frozenset[Any]], bv: Any, ordered: bool
) -> None:
    # One selector over a run of sets (a state's msgs after its sibling's), each also with a
    # message of another type added: where a set's group holds the very records of the last
    # one's, in the same order, the last selection is given again; it must be the scan's.
    select = _field_selector("type", bv, None, {}, ordered=ordered)
    for d in [x for s in sets for x in (s, s | {msg("Commit", 9)})]:
        got, want = select(d), scan(d, "type", bv, ordered)
        if ordered:
            assert got == want
        else:
            assert sorted(map(repr, got)) == sorted(map(repr, want))
