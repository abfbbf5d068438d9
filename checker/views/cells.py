"""A value laid out as nested cells, with what changed marked and huge values cut.

The pictures (``graph.py``) and the HTML page (``html.py``) draw the same
thing in two markups: a state is a table of variables, a set or a sequence is a
row of cells, a function or record is a table of key and value. This module
decides the shape once, so both agree on what is highlighted and what is cut:

- a cell is *changed* when the previous state had a different value there (or
  nothing there). Containers are compared element by element, so in a log of
  50 entries only the entry that changed is highlighted, not the whole log.
  A container whose elements are all unchanged but which is itself different
  (an element was removed) is highlighted as a whole; the previous value is
  kept (``was``) for a tooltip.
- a collection with more than ``max_items`` elements shows the first ones and a
  "… N more" cell; past ``max_depth`` levels, or past ``max_chars`` characters,
  a value is shown as truncated text. Either way the node says ``cut``, so the
  view can add a note pointing to the full forms (text, ITF).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from checker.values import Fn, Value, format_value, sorted_values, value_key

SCALAR, SET, SEQ, FN, MORE = "scalar", "set", "seq", "fn", "more"
_ABSENT = object()  # no previous value at this place (the initial state, a new key)


@dataclasses.dataclass(frozen=True, slots=True)
class Limits:
    max_items: int = 16
    max_depth: int = 4
    max_chars: int = 80


@dataclasses.dataclass(frozen=True, slots=True)
class Cell:
    kind: str  # SCALAR, SET, SEQ, FN or MORE
    text: str = ""  # SCALAR: the value in TLA+; MORE: the note
    items: tuple[tuple[Cell | None, Cell], ...] = ()  # (key, value); key None for sets and sequences
    changed: bool = False  # highlight this cell itself
    was: str | None = None  # the previous value, when this cell is highlighted
    cut: bool = False  # something in this cell was left out
    columns: tuple[str, ...] = ()  # a set or sequence of records: draw it as a table with these columns


def layout_value(
    value: Value, previous: object = _ABSENT, limits: Limits = Limits(), compare: bool = True
) -> Cell:
    """The cells for ``value``; with ``compare``, marked against ``previous``."""
    return _layout(value, previous, limits, 0, compare)


def layout_state(
    record: Mapping[str, Value],
    previous: Mapping[str, Value] | None,
    limits: Limits = Limits(),
) -> list[tuple[str, Cell, bool]]:
    """(variable, cells, whether the variable changed), in TLC's order (alphabetical)."""
    rows = []
    for name in sorted(record):
        value = record[name]
        if previous is None:
            rows.append((name, layout_value(value, limits=limits, compare=False), False))
        else:
            before = previous.get(name, _ABSENT)
            rows.append((name, layout_value(value, before, limits), before != value))
    return rows


def any_cut(cell: Cell) -> bool:
    return cell.cut or any((k is not None and any_cut(k)) or any_cut(v) for k, v in cell.items)


def any_changed(cell: Cell) -> bool:
    return cell.changed or any(any_changed(v) for _, v in cell.items)


def flat_text(cell: Cell) -> str | None:
    """A set or sequence of scalars (or of such sets and sequences) with nothing highlighted
    inside, as the text view prints it (``<<1, 1, 3>>``); None when it must be drawn as cells."""
    if cell.kind == SCALAR:
        return cell.text
    if cell.kind not in (SET, SEQ) or cell.columns or any(v.changed for _, v in cell.items):
        return None
    parts = []
    for _, value in cell.items:
        text = flat_text(value)
        if text is None:
            return None
        parts.append(text)
    open_, close = ("{", "}") if cell.kind == SET else ("<<", ">>")
    return open_ + ", ".join(parts) + close


def _short(value: Value, limits: Limits) -> tuple[str, bool]:
    text = format_value(value)
    if len(text) <= limits.max_chars:
        return text, False
    return text[: limits.max_chars - 1] + "…", True


def _layout(value: Value, previous: object, limits: Limits, depth: int, compare: bool) -> Cell:
    differs = compare and (previous is _ABSENT or previous != value)
    was = None
    if differs and previous is not _ABSENT:
        was = _short(previous, limits)[0]
    kind = _kind(value)
    if kind == SCALAR or depth >= limits.max_depth:
        text, cut = _short(value, limits)
        return Cell(SCALAR, text=text, changed=differs, was=was, cut=cut)
    same_kind = previous is not _ABSENT and _kind(previous) == kind
    items: list[tuple[Cell | None, Cell]] = []
    if kind == SET:
        before_set = previous if same_kind and isinstance(previous, frozenset) else frozenset()
        for element in _set_order(value)[: limits.max_items]:
            # An element of a set is either old or new: there is nothing to compare inside it.
            is_new = compare and (not same_kind or element not in before_set)
            cell = _layout(element, element, limits, depth + 1, compare=False)
            items.append((None, dataclasses.replace(cell, changed=is_new) if is_new else cell))
    elif kind == SEQ:
        before_seq = previous if same_kind and isinstance(previous, tuple) else ()
        for i, element in enumerate(value[: limits.max_items]):
            before = before_seq[i] if i < len(before_seq) else _ABSENT
            items.append((None, _layout(element, before, limits, depth + 1, compare)))
    else:
        assert isinstance(value, Fn)
        before_fn = previous if same_kind and isinstance(previous, Fn) else None
        is_record = value.is_record()
        # Records keep their fields in the order they were written, as format_value does.
        keys = list(value.keys()) if is_record else sorted_values(value.keys())
        for key in keys[: limits.max_items]:
            before = before_fn.get(key, _ABSENT) if before_fn is not None else _ABSENT
            # A record's field names are names, shown bare as TLA+ writes them ([src |-> s1]).
            key_cell = (
                Cell(SCALAR, text=key) if is_record else _layout(key, key, limits, depth + 1, compare=False)
            )
            items.append((key_cell, _layout(value[key], before, limits, depth + 1, compare)))
    cut = len(value) > limits.max_items
    if cut:
        items.append((None, Cell(MORE, text=f"… {len(value) - limits.max_items} more", cut=True)))
    # Highlight the container itself only when no element explains the change
    # (an element was removed, or the value changed kind).
    own = differs and not any(any_changed(v) for _, v in items)
    columns: tuple[str, ...] = ()
    if kind in (SET, SEQ) and all(type(x) is Fn and x.is_record() for x in value):
        # A set or sequence of records (messages, log entries) reads best as one
        # table: a column per field name, in the order the fields first appear.
        columns = tuple(dict.fromkeys(k for x in _shown(value, limits) for k in x.keys()))
    return Cell(kind, items=tuple(items), changed=own, was=was if own else None, cut=cut, columns=columns)


def _set_order(value: frozenset[Value]) -> list[Value]:
    """A set's elements in drawing order: TLC's order, except that a set of records is ordered
    by its fields in the order they are written (a message set by type first: 1a, 1b, 2a, 2b),
    where TLC's order puts records with fewer fields first."""
    if value and all(type(x) is Fn and x.is_record() for x in value):
        return sorted(value, key=lambda r: tuple((k, value_key(v)) for k, v in r.items()))
    return sorted_values(value)


def _shown(value: Value, limits: Limits) -> list[Value]:
    """The elements of a set or sequence that are drawn, in drawing order."""
    elements = _set_order(value) if type(value) is frozenset else list(value)
    return elements[: limits.max_items]


def _kind(value: object) -> str:
    t = type(value)
    if t is frozenset:
        return SET
    if t is tuple and value:
        return SEQ
    if t is Fn:
        return FN
    return SCALAR  # the empty sequence <<>> included: there is nothing to lay out


def short_label(label: str, limit: int = 40) -> str:
    """An action label short enough for a header or a sidebar: past ``limit`` characters, a
    parameter that is a whole record (a message) becomes ``[…]``; the full label goes in a tooltip."""
    if len(label) <= limit:
        return label
    out, depth = [], 0
    for ch in label:
        if ch == "[":
            depth += 1
            if depth == 1:
                out.append("[…]")
        elif ch == "]":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)
