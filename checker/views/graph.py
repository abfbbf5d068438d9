"""Traces as Graphviz pictures: DOT source through the ``graphviz`` package, SVG/PNG through ``dot``.

Each state is a node holding an HTML-like table of its variables (in TLC's
alphabetical order); sets and sequences are rows of cells, functions and
records are nested key/value tables (``cells.py`` decides the shape). What
changed since the previous state is filled in yellow and carries a tooltip with
the old value and an ``ID`` starting with ``changed_``, so that a test (or a
script) can find the changed cells in the SVG: Graphviz turns a cell with an
ID and a tooltip into ``<g id="a_changed_...">``. The action is in each state's
header (the edge carries it as a tooltip only).

Pictures are read on a screen, not zoomed into: :func:`trace_pages` puts the
states in rows as wide as a 1280x800 screen holds and the rows on pages as tall
as it holds (past 8 states, a state shows only what changed), from sizes
estimated from the text (``_size``), so the pages do not depend on the Graphviz
version. Tables made only of text are given their own size (``_exact_size``,
from ``dot``'s character widths): Graphviz stretches a nested table to its cell,
which drew a highlighted element's box wider than its text and moved a
function's keys away from their values.

This is the only module (with ``html.py``, which uses :func:`render_source`)
that runs Graphviz. When ``dot`` is missing, :class:`GraphvizMissing` says how
to install it; the callers then write the ``.dot`` file and succeed.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

import graphviz

from checker.engine.result import Trace, Violation
from checker.errors import ModelError
from checker.views.cells import (
    FN,
    MORE,
    SCALAR,
    SEQ,
    SET,
    Cell,
    Limits,
    any_cut,
    flat_text,
    layout_state,
    short_label,
)
from checker.views.text import format_label

INSTALL_HINT = (
    "Graphviz's `dot` program is not installed, so only the .dot file was written. "
    "Install Graphviz (Debian/Ubuntu: `apt-get install graphviz`, macOS: `brew install graphviz`) "
    "and run `dot -Tsvg FILE.dot -o FILE.svg`, or `tlacheck render` on the .itf.json trace."
)
FONT = "Helvetica,Arial,sans-serif"
CHANGED = "#ffe08a"  # the fill of a changed cell (also in html.py's stylesheet)
HEADER = "#dde4f0"
VIOLATED = "#f4b6b6"
KEY = "#f3f3f3"


class GraphvizMissing(Exception):
    """``dot`` is not on the PATH; the message says how to install it."""

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


def render_source(source: str, fmt: str) -> bytes:
    """Lay out DOT ``source`` with ``dot`` into ``fmt`` (svg, png, ...)."""
    try:
        out: bytes = graphviz.pipe("dot", fmt, source.encode("utf-8"), quiet=True)
        return out
    except graphviz.ExecutableNotFound:
        raise GraphvizMissing() from None
    except graphviz.CalledProcessError as exc:
        stderr = exc.stderr.decode("utf-8", "replace") if isinstance(exc.stderr, bytes) else str(exc.stderr)
        raise ModelError(f"Graphviz could not draw this picture: {stderr.strip()}") from None


# A page of the picture fits a 1280x800 screen: dot draws 72 points per inch and a browser (and
# dot's PNG) 96 pixels per inch, so 960x600 points, less the title and a margin.
PAGE_W, PAGE_H = 940, 540
NODESEP, RANKSEP = 36, 50  # nodesep="0.5", ranksep="0.7" in points


def trace_to_dot(
    trace: Trace,
    violation: Violation | None = None,
    per_row: int | None = 4,
    limits: Limits | None = None,
) -> str:
    """The whole trace as DOT source: a table per state, an edge per step, ``per_row`` states a
    row (None: as many as fit a screen's width)."""
    limits = limits or Limits()
    tables = _tables(trace, violation, limits)
    rows = _rows(tables, per_row)
    return _page_dot(trace, violation, limits, tables, rows, (1, 1))


def trace_pages(trace: Trace, violation: Violation | None = None, limits: Limits | None = None) -> list[str]:
    """The trace as pages of DOT source, each readable on a 1280x800 screen without zooming: rows
    of states as wide as fit, and as many rows as fit; one page when the whole trace fits. The
    sizes are estimated from the text (``_size``), so the pages do not depend on Graphviz."""
    limits = limits or Limits()
    tables = _tables(trace, violation, limits)
    pages: list[list[list[int]]] = [[]]
    height = 0
    for row in _rows(tables, None):
        row_h = max(tables[i][2] for i in row)
        if pages[-1] and height + RANKSEP + row_h > PAGE_H:
            pages.append([])
            height = 0
        height += (RANKSEP if pages[-1] else 0) + row_h
        pages[-1].append(row)
    return [
        _page_dot(trace, violation, limits, tables, rows, (n, len(pages))) for n, rows in enumerate(pages, 1)
    ]


def _tables(trace: Trace, violation: Violation | None, limits: Limits) -> list[tuple[str, int, int, bool]]:
    """Per state: its table (an HTML-like label), its estimated width and height in points, and
    whether a value in it is cut."""
    out = []
    previous: Mapping[str, Any] | None = None
    last = len(trace.steps) - 1
    changes_only = _changes_only(trace)
    for i, step in enumerate(trace.steps):
        rows = layout_state(step.record, previous, limits)
        if changes_only and i > 0:
            rows = [row for row in rows if row[2]] or rows[:0]
        broken = violation if i == last else None
        table = _state_table(i, step.label, rows, broken)
        width, height = _state_size(i, step.label, rows, broken)
        out.append((table, width, height, any(any_cut(c) for _, c, _ in rows)))
        previous = step.record
    return out


def _changes_only(trace: Trace) -> bool:
    # A long trace drawn whole is too big to read (27 message-level Raft steps made a
    # 7205x5813 PNG): past 8 states, states after the first show only what changed.
    return len(trace.steps) > 8


def _rows(tables: list[tuple[str, int, int, bool]], per_row: int | None) -> list[list[int]]:
    """The states' indices in rows: ``per_row`` a row, or (None) as many as fit a page's width."""
    if per_row is not None:
        return [list(range(i, min(i + per_row, len(tables)))) for i in range(0, len(tables), per_row)]
    rows: list[list[int]] = [[]]
    width = 0
    for i, (_, w, _, _) in enumerate(tables):
        if rows[-1] and width + NODESEP + w > PAGE_W:
            rows.append([])
            width = 0
        width += (NODESEP if rows[-1] else 0) + w
        rows[-1].append(i)
    return rows


def _page_dot(
    trace: Trace,
    violation: Violation | None,
    limits: Limits,
    tables: list[tuple[str, int, int, bool]],
    rows: list[list[int]],
    page: tuple[int, int],
) -> str:
    g = graphviz.Digraph("trace")
    g.attr(rankdir="TB", nodesep="0.5", ranksep="0.7", newrank="true", fontname=FONT)
    g.attr("node", shape="plain", fontname=FONT, fontsize="11")
    g.attr("edge", fontname=FONT, fontsize="11", color="#555555")
    shown = [i for row in rows for i in row]
    for i in shown:
        g.node(f"s{i + 1}", label="<" + tables[i][0] + ">")
    row_of = {i: r for r, row in enumerate(rows) for i in row}
    for i in shown[1:]:
        # The action is in the next state's header; the edge only carries it as a tooltip.
        label = format_label(trace.steps[i].label, i)[1:-1]
        # Data never reaches DOT unquoted: graphviz.escape keeps `<...>` from becoming an
        # HTML-like label (with attributes such as URL="javascript:...") and backslashes literal.
        attrs = {"tooltip": graphviz.escape(plain_text(label))}
        if row_of[i - 1] != row_of[i]:
            # The wrap edge runs from the end of one row back to the start of the
            # next; it must not pull the rows out of line (constraint=false).
            attrs.update(constraint="false", style="dashed")
        g.edge(f"s{i}", f"s{i + 1}", **attrs)
    if trace.loop is not None and page[0] == page[1]:
        # The lasso's back edge (TLC's "Back to state k"), or stuttering for ever in the last state.
        closing = "Stuttering" if trace.loop_label is None else format_label(trace.loop_label, 1)[1:-1]
        back = trace.loop + 1 if trace.loop in row_of else shown[0] + 1
        g.edge(
            f"s{len(trace.steps)}",
            f"s{back}",
            label=f" {closing} (for ever{'' if trace.loop in row_of else f', back to State {trace.loop + 1}'}) ",
            tooltip=closing,
            constraint="false",
            color="#b03030",
            fontcolor="#b03030",
            style="bold",
        )
    for above, below in zip(rows, rows[1:]):
        # Invisible edges between the first states of the rows keep the rows left-aligned.
        g.edge(f"s{above[0] + 1}", f"s{below[0] + 1}", style="invis")
    for row in rows:
        with g.subgraph() as same:
            same.attr(rank="same")
            for i in row:
                same.node(f"s{i + 1}")
    notes = []
    if violation is not None:
        notes.append(violation.headline().removeprefix("Error: "))
    if page[1] > 1:
        notes.append(
            f"States {shown[0] + 1} to {shown[-1] + 1} of {len(trace.steps)} (page {page[0]} of {page[1]})."
        )
    if _changes_only(trace):
        notes.append("After State 1, each state shows only the variables that changed (as --diff does).")
    if any(tables[i][3] for i in shown):
        notes.append(
            f"Some values are cut (more than {limits.max_items} elements, {limits.max_depth} levels "
            f"or {limits.max_chars} characters); the .txt and .itf.json forms have them in full."
        )
    if notes:
        # "\\l" ends a line flush left (the notes are a paragraph, left-aligned with the picture).
        label = "".join(graphviz.escape(plain_text(note)) + "\\l" for note in notes)
        g.attr(label=graphviz.nohtml(label), labelloc="t", labeljust="l", fontsize="13")
    text: str = g.source
    return text


# -- estimated sizes (points), for the pages: a little over what dot draws -----------------


def _state_size(
    index: int, label: Any, rows: list[tuple[str, Cell, bool]], violation: Violation | None
) -> tuple[int, int]:
    head = f"State {index + 1}: {short_label(format_label(label, index))}"
    width = _text_width(head, 3) * 1.12  # bold
    height = 20.0
    if violation is not None:
        width = max(width, _text_width(violation.headline().removeprefix("Error: "), 3))
        height += 20
    names = max((_text_width(name, 3) for name, _, _ in rows), default=0)
    for _, cell, _ in rows:
        w, h = _size(cell)
        width = max(width, names + w + 8)
        height += max(h, 14) + 6
    return int(width * 1.05) + 4, int(height * 1.05) + 4


def _size(cell: Cell) -> tuple[float, float]:
    """Roughly the width and height ``_cell_table`` draws ``cell`` at (exactly, when it can)."""
    exact = _exact_size(cell)
    if exact is not None:
        return exact
    if cell.kind == MORE:
        return _text_width(cell.text, 2) * 1.1, 16
    if cell.columns:
        widths = [_text_width(c, 1) * 1.1 for c in cell.columns] + ([20.0] if cell.kind != SET else [])
        height = 18.0
        for _, row in cell.items:
            fields = {k.text: v for k, v in row.items if k is not None}
            for n, c in enumerate(cell.columns):
                if c in fields:
                    widths[n] = max(widths[n], _size(fields[c])[0] + 2)
            height += max([_size(v)[1] for v in fields.values()] + [16]) + 2
        return sum(widths) + 2 * len(widths), height
    if cell.kind == FN:
        keys = max((_text_width(k.text, 2) for k, _ in cell.items if k is not None), default=0)
        sizes = [_size(v) for _, v in cell.items]
        return keys + max((w for w, _ in sizes), default=0) + 6, sum(h + 2 for _, h in sizes) + 2
    sizes = [_size(v) for _, v in cell.items]  # a row of elements, some highlighted
    return sum(w for w, _ in sizes) + 12 * (len(sizes) + 1), max((h for _, h in sizes), default=16)


def _state_table(
    index: int, label: Any, rows: list[tuple[str, Cell, bool]], violation: Violation | None
) -> str:
    full = format_label(label, index)
    head = f"State {index + 1}: {short_label(full)}"
    colour = HEADER if violation is None else VIOLATED
    parts = [
        f'<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" COLOR="#888888" ID="state_{index + 1}">',
        f'<TR><TD COLSPAN="2" BGCOLOR="{colour}" TOOLTIP="{_esc(full)}" HREF="#"><B>{_esc(head)}</B></TD></TR>',
    ]
    if violation is not None:
        text = violation.headline().removeprefix("Error: ")
        parts.append(
            f'<TR><TD COLSPAN="2" BGCOLOR="{VIOLATED}"><FONT COLOR="#8a0000">{_esc(text)}</FONT></TD></TR>'
        )
    for name, cell, _changed in rows:
        parts.append(
            f'<TR><TD ALIGN="RIGHT" VALIGN="TOP" BGCOLOR="{KEY}">{_esc(name)}</TD>'
            f'<TD ALIGN="LEFT">{_cell_table(cell, f"{index + 1}_{name}")}</TD></TR>'
        )
    parts.append("</TABLE>")
    return "".join(parts)


def _cell_table(cell: Cell, path: str) -> str:
    """A cell as a (possibly nested) borderless table, so it can sit inside a TD."""
    exact = _exact_size(cell) if _text_of(cell) is not None else None
    size = "" if exact is None else _fixed(*exact)
    return f'<TABLE{size} BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>{_td(cell, path)}</TR></TABLE>'


# The width of each printable ASCII character at 11 points (the pictures' size), in points, as
# `dot -Tplain` measures it with DejaVu Sans, which is what fontconfig gives for Helvetica where
# Helvetica is not installed; it is the widest of the fonts Helvetica, Arial and sans-serif find.
_WIDTHS = {
    ch: width
    for chars, width in (
        ("'IJijl", 3.03),
        (" ,-./:;f|\\", 3.77),
        ("!()[]rt", 4.53),
        ('"*_`', 5.28),
        ("?FLcksz", 6.02),
        ("$0123456789EPSTYabdeghnopquvxy{}", 6.78),
        ("ABCKRVXZ", 7.53),
        ("&DGHNU", 8.27),
        ("#+<=>OQ^w~", 9.03),
        ("M", 9.78),
        ("%m", 10.52),
        ("@W", 11.28),
    )
    for ch in chars
}
_TEXT_H = 12  # a line of 11-point text, as dot sizes it


def _text_of(cell: Cell) -> tuple[str, int] | None:
    """The text and padding of the one TD ``_td`` draws for ``cell`` when that TD is only text."""
    if cell.kind == SCALAR:
        return cell.text, 1
    if cell.kind in (SET, SEQ) and not cell.columns:
        if not cell.items:
            return "{}", 2
        flat = flat_text(cell)
        if flat is not None:
            return flat, 2
    return None


def _text_width(text: str, pad: int) -> int:
    """An upper bound of the width dot gives a TD holding ``text`` (11 points) and ``pad``."""
    return int(sum(_WIDTHS.get(ch, 11.5) for ch in plain_text(text)) * 1.02) + 2 + 2 * pad


def _fixed(width: float, height: float) -> str:
    """Attributes that keep a table at its own size, on the left of a wider cell. Graphviz
    stretches a table to the cell it sits in and spreads the extra width over its columns, so
    that a highlighted element's box grows wider than its text and a function's keys drift away
    from their values; a fixed-size table is placed in the cell instead. The size must not be
    below what dot needs (it warns, and overlaps the text): see ``_exact_size``."""
    return f' FIXEDSIZE="TRUE" WIDTH="{math.ceil(width)}" HEIGHT="{math.ceil(height)}" ALIGN="LEFT"'


def _nested(value: Cell) -> bool:
    """A function's value drawn as a table of its own: its cell has no padding and no border."""
    return value.kind != SCALAR and flat_text(value) is None and _exact_size(value) is None


def _exact_size(cell: Cell) -> tuple[float, float] | None:
    """The size dot gives the table ``_td`` draws for ``cell`` (at least), when it is made of text
    cells only: a value as text, a row of elements, or a function of such values. None otherwise."""
    text = _text_of(cell)
    if text is not None:
        return _text_width(*text), _TEXT_H + 2 * text[1]
    if cell.kind in (SET, SEQ) and not cell.columns and cell.items:
        width, height = 0.0, _TEXT_H + 2.0
        run = ""
        for part in _row_parts(cell):
            if isinstance(part, str):
                run += part
                continue
            inline = _text_of(part[1])
            if inline is None:
                return None
            width += (_text_width(run, 1) if run else 0) + _text_width(*inline)
            height = max(height, _TEXT_H + 2 * inline[1])
            run = ""
        return width + _text_width(run, 1), height
    if cell.kind == FN and not cell.columns and cell.items and all(k is not None for k, _ in cell.items):
        keys = max(_text_width(k.text, 2) for k, _ in cell.items if k is not None) + 2  # and the border
        values, height = 0.0, 0.0
        for _, value in cell.items:
            inner = _exact_size(value)
            if inner is None or value.kind == FN:
                return None
            w, h = inner if _nested(value) else (inner[0] + 4, inner[1] + 4)
            values = max(values, w)
            height += max(h, _TEXT_H + 4 + 2)
        return keys + values + 1, height + 1
    return None


def _td(cell: Cell, path: str) -> str:
    attrs = ""
    if cell.changed:
        tip = "changed" if cell.was is None else f"changed; was {cell.was}"
        attrs = f' BGCOLOR="{CHANGED}" ID="changed_{_ident(path)}" TOOLTIP="{_esc(tip)}" HREF="#"'
    if cell.kind == SCALAR:
        return f'<TD{attrs} ALIGN="LEFT" CELLPADDING="1">{_esc(cell.text)}</TD>'
    if cell.kind == MORE:
        return f'<TD CELLPADDING="2"><I>{_esc(cell.text)}</I></TD>'
    if cell.columns:
        return _record_table(cell, path, attrs)
    if cell.kind == FN:
        rows = []
        for n, (key, value) in enumerate(cell.items):
            if key is None:  # the "… N more" row
                rows.append(f'<TR><TD COLSPAN="2">{_inner(value, f"{path}_{n}")}</TD></TR>')
            else:
                pad = ' CELLPADDING="0" BORDER="0"' if _nested(value) else ""
                rows.append(
                    f'<TR><TD BGCOLOR="{KEY}" ALIGN="RIGHT" VALIGN="TOP" CELLPADDING="2">{_esc(key.text)}</TD>'
                    f'<TD ALIGN="LEFT"{pad}>{_inner(value, f"{path}_{_ident(key.text)}")}</TD></TR>'
                )
        body = "".join(rows)
        exact = _exact_size(cell)
        size = "" if exact is None else _fixed(*exact)
        return (
            f'<TD{attrs} ALIGN="LEFT"><TABLE{size} BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="1" '
            f'COLOR="#bbbbbb">{body}</TABLE></TD>'
        )
    if not cell.items:  # the empty set
        return f'<TD{attrs} ALIGN="LEFT" CELLPADDING="2">{{}}</TD>'
    flat = flat_text(cell)
    if flat is not None:  # nothing highlighted inside: one text, as the text view prints it
        return f'<TD{attrs} ALIGN="LEFT" CELLPADDING="2">{_esc(flat)}</TD>'
    tds, text = [], ""
    for part in _row_parts(cell):
        if isinstance(part, str):
            text += part
            continue
        if text:
            tds.append(f'<TD VALIGN="TOP" CELLPADDING="1">{_esc(text)}</TD>')
            text = ""
        n, element = part
        where = f"{path}_{n}"
        if _text_of(element) is not None:  # a highlighted element that is only text: a TD in the row
            tds.append(_td(element, where))
        else:
            tds.append(f'<TD VALIGN="TOP">{_inner(element, where)}</TD>')
    tds.append(f'<TD VALIGN="TOP" CELLPADDING="1">{_esc(text)}</TD>')
    exact = _exact_size(cell)
    size = "" if exact is None else _fixed(*exact)
    return (
        f'<TD{attrs} ALIGN="LEFT"><TABLE{size} BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
        f"{''.join(tds)}</TR></TABLE></TD>"
    )


def _row_parts(cell: Cell) -> list[str | tuple[int, Cell]]:
    """A set or sequence with some elements highlighted, as a row: the text between the
    highlighted (or nested) elements goes in one cell, so that dot's estimate of each cell's
    width does not open gaps between every element; the others are (position, element)."""
    open_, close = ("{", "}") if cell.kind == SET else ("<<", ">>")
    parts: list[str | tuple[int, Cell]] = [open_]
    for n, (_, v) in enumerate(cell.items):
        if n:
            parts.append(", ")
        flat = None if v.changed else flat_text(v)
        parts.append(flat if flat is not None else (n, v))
    parts.append(close)
    return parts


def _record_table(cell: Cell, path: str, attrs: str) -> str:
    """A set or sequence of records as one table: a header of field names, a row per record."""
    seq = cell.kind != SET
    width = len(cell.columns) + seq
    head = f'<TD BGCOLOR="{KEY}">#</TD>' if seq else ""
    head += "".join(f'<TD BGCOLOR="{KEY}"><I>{_esc(c)}</I></TD>' for c in cell.columns)
    rows = [f"<TR>{head}</TR>"]
    for n, (_, row) in enumerate(cell.items):
        if row.kind == MORE:
            rows.append(f'<TR><TD COLSPAN="{width}">{_inner(row, f"{path}_{n}")}</TD></TR>')
            continue
        fields = {k.text: v for k, v in row.items if k is not None}
        fill = f' BGCOLOR="{CHANGED}"' if row.changed else ""
        tds = []
        if seq:
            tds.append(f'<TD{fill} ALIGN="RIGHT">{n + 1}</TD>')
        for c in cell.columns:
            value = fields.get(c)
            inner = "" if value is None else _inner(value, f"{path}_{n}_{_ident(c)}")
            tds.append(f'<TD{fill} ALIGN="LEFT" VALIGN="TOP">{inner}</TD>')
        if row.changed:
            # One marked cell per new record: it carries the ID and the tooltip.
            tip = "new" if row.was is None else f"changed; was {row.was}"
            tds[0] = tds[0].replace(
                "<TD", f'<TD ID="changed_{_ident(path)}_{n}" TOOLTIP="{_esc(tip)}" HREF="#"', 1
            )
        rows.append(f"<TR>{''.join(tds)}</TR>")
    return (
        f'<TD{attrs} ALIGN="LEFT"><TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="1" '
        f'COLOR="#bbbbbb">{"".join(rows)}</TABLE></TD>'
    )


def _inner(cell: Cell, path: str) -> str:
    return _cell_table(cell, path)


def _esc(text: str) -> str:
    """Text for an HTML-like label (XML): markup and quotes escaped, control characters shown."""
    return html.escape(plain_text(text), quote=True)


def plain_text(text: str) -> str:
    """``text`` with control characters (which XML and DOT refuse) written as ``\\xNN``, and
    characters that UTF-8 cannot encode (lone surrogates) replaced."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            out.append("\ufffd")
        elif ord(ch) < 0x10000:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)


def _ident(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text)
