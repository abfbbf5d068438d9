"""What the pictures and the page highlight and cut: one decision, shared by both."""

from __future__ import annotations

from checker.values import ModelValue, make_fn, record
from checker.views.cells import FN, MORE, SCALAR, SEQ, SET, Cell, Limits, any_cut, layout_state, layout_value


def changed_texts(cell: Cell) -> list[str]:
    """The text of every highlighted leaf, and the kind of every highlighted container."""
    found = [cell.text if cell.kind == SCALAR else cell.kind] if cell.changed else []
    for _, v in cell.items:
        found += changed_texts(v)
    return found


def test_only_the_changed_entry_of_a_long_log_is_highlighted() -> None:
    before = tuple(range(1, 11))
    after = before[:4] + (99,) + before[5:]
    cell = layout_value(after, before)
    assert cell.kind == SEQ and changed_texts(cell) == ["99"]


def test_a_removed_element_highlights_the_container_with_the_old_value() -> None:
    cell = layout_value(frozenset({1}), frozenset({1, 2}))
    assert cell.kind == SET and cell.changed and cell.was == "{1, 2}"
    assert changed_texts(cell) == [SET]


def test_new_keys_and_changed_values_of_functions_are_highlighted() -> None:
    s1, s2 = ModelValue("s1"), ModelValue("s2")
    cell = layout_value(make_fn({s1: 1, s2: 2}), make_fn({s1: 1}))
    assert cell.kind == FN and changed_texts(cell) == ["2"]
    keys = [k.text for k, _ in cell.items if k is not None]
    assert keys == ["s1", "s2"]


def test_record_field_names_are_bare_and_sets_of_records_are_tables() -> None:
    msgs = frozenset({record(type="1a", bal=0), record(type="2a", bal=0, val=ModelValue("v1"))})
    cell = layout_value(msgs, frozenset({record(type="1a", bal=0)}))
    assert cell.columns == ("type", "bal", "val")
    assert [row.changed for _, row in cell.items] == [False, True]
    assert [k.text for k, _ in cell.items[0][1].items if k is not None] == ["type", "bal"]


def test_the_initial_state_has_nothing_highlighted() -> None:
    rows = layout_state({"x": 1, "a": (1, 2)}, None)
    assert [(name, changed) for name, _, changed in rows] == [("a", False), ("x", False)]
    assert all(changed_texts(c) == [] for _, c, _ in rows)


def test_huge_values_are_cut_and_say_so() -> None:
    limits = Limits(max_items=3, max_depth=2, max_chars=10)
    many = layout_value(tuple(range(10)), limits=limits, compare=False)
    assert [v.kind for _, v in many.items] == [SCALAR] * 3 + [MORE]
    assert many.items[-1][1].text == "… 7 more" and any_cut(many)
    deep = layout_value(((((1,),),),), limits=limits, compare=False)
    assert any_cut(deep) is False  # <<<<<<1>>>>>> fits in 10 characters once flattened at depth 2
    long = layout_value("x" * 50, limits=limits, compare=False)
    assert long.text == '"xxxxxxxx…' and long.cut
