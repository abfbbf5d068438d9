"""Traces as Graphviz pictures: DOT source through the ``graphviz`` package, SVG/PNG through ``dot``.

Each state is a node holding an HTML-like table of its variables (in TLC's
alphabetical order); sets and sequences are rows of cells, functions and
records are nested key/value tables (``cells.py`` decides the shape). What
changed since the previous state is filled in yellow and carries a tooltip with
the old value and an ``ID`` starting with ``changed_``, so that a test (or a
script) can find the changed cells in the SVG: Graphviz turns a cell with an
ID and a tooltip into ``<g id="a_changed_...">``. Edges are labelled with the
action and its parameters. Long traces wrap: ``per_row`` states per row, rows
top to bottom, so a 30-step trace stays readable on a screen.

This is the only module (with ``html.py``, which uses :func:`render_source`)
that runs Graphviz. When ``dot`` is missing, :class:`GraphvizMissing` says how
to install it; the callers then write the ``.dot`` file and succeed.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import graphviz

from checker.engine.result import Trace, Violation
from checker.errors import ModelError
from checker.views.cells import (
    FN,
    MORE,
    SCALAR,
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


def trace_to_dot(
    trace: Trace,
    violation: Violation | None = None,
    per_row: int = 4,
    limits: Limits | None = None,
) -> str:
    """The trace as DOT source: a table per state, an edge per step."""
    limits = limits or Limits()
    g = graphviz.Digraph("trace")
    g.attr(rankdir="TB", nodesep="0.5", ranksep="0.7", newrank="true", fontname=FONT)
    g.attr("node", shape="plain", fontname=FONT, fontsize="11")
    g.attr("edge", fontname=FONT, fontsize="11", color="#555555")
    cut = False
    previous: Mapping[str, Any] | None = None
    last = len(trace.steps) - 1
    # A long trace drawn whole is too big to read (27 message-level Raft steps made a
    # 7205x5813 PNG): past two rows, states after the first show only what changed.
    changes_only = len(trace.steps) > 2 * per_row
    for i, step in enumerate(trace.steps):
        rows = layout_state(step.record, previous, limits)
        if changes_only and i > 0:
            rows = [row for row in rows if row[2]] or rows[:0]
        cut = cut or any(any_cut(c) for _, c, _ in rows)
        g.node(
            f"s{i + 1}", label="<" + _state_table(i, step.label, rows, violation if i == last else None) + ">"
        )
        previous = step.record
    for i in range(1, len(trace.steps)):
        # The action is in the next state's header; the edge only carries it as a tooltip.
        label = format_label(trace.steps[i].label, i)[1:-1]
        same_row = (i - 1) // per_row == i // per_row
        # Data never reaches DOT unquoted: graphviz.escape keeps `<...>` from becoming an
        # HTML-like label (with attributes such as URL="javascript:...") and backslashes literal.
        attrs = {"tooltip": graphviz.escape(plain_text(label))}
        if not same_row:
            # The wrap edge runs from the end of one row back to the start of the
            # next; it must not pull the rows out of line (constraint=false).
            attrs.update(constraint="false", style="dashed")
        g.edge(f"s{i}", f"s{i + 1}", **attrs)
    if trace.loop is not None:
        # The lasso's back edge (TLC's "Back to state k"), or stuttering for ever in the last state.
        closing = "Stuttering" if trace.loop_label is None else format_label(trace.loop_label, 1)[1:-1]
        g.edge(
            f"s{len(trace.steps)}",
            f"s{trace.loop + 1}",
            label=f" {closing} (for ever) ",
            tooltip=closing,
            constraint="false",
            color="#b03030",
            fontcolor="#b03030",
            style="bold",
        )
    for start in range(per_row, len(trace.steps), per_row):
        # Invisible edges between the first states of the rows keep the rows left-aligned.
        g.edge(f"s{start - per_row + 1}", f"s{start + 1}", style="invis")
    for start in range(0, len(trace.steps), per_row):
        with g.subgraph() as row:
            row.attr(rank="same")
            for i in range(start, min(start + per_row, len(trace.steps))):
                row.node(f"s{i + 1}")
    notes = []
    if violation is not None:
        notes.append(violation.headline().removeprefix("Error: "))
    if changes_only:
        notes.append("After State 1, each state shows only the variables that changed (as --diff does).")
    if cut:
        notes.append(
            f"Some values are cut (more than {limits.max_items} elements, {limits.max_depth} levels "
            f"or {limits.max_chars} characters); the .txt and .itf.json forms have them in full."
        )
    if notes:
        label = "\\n".join(graphviz.escape(plain_text(note)) for note in notes)
        g.attr(label=graphviz.nohtml(label), labelloc="t", labeljust="l", fontsize="13")
    text: str = g.source
    return text


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
    return (
        f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>{_td(cell, path)}</TR></TABLE>'
    )


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
                nested = value.kind != SCALAR and flat_text(value) is None
                pad = ' CELLPADDING="0" BORDER="0"' if nested else ""
                rows.append(
                    f'<TR><TD BGCOLOR="{KEY}" ALIGN="RIGHT" VALIGN="TOP" CELLPADDING="2">{_esc(key.text)}</TD>'
                    f'<TD ALIGN="LEFT"{pad}>{_inner(value, f"{path}_{_ident(key.text)}")}</TD></TR>'
                )
        body = "".join(rows)
        return (
            f'<TD{attrs} ALIGN="LEFT"><TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="1" '
            f'COLOR="#bbbbbb">{body}</TABLE></TD>'
        )
    if not cell.items:  # the empty set
        return f'<TD{attrs} ALIGN="LEFT" CELLPADDING="2">{{}}</TD>'
    flat = flat_text(cell)
    if flat is not None:  # nothing highlighted inside: one text, as the text view prints it
        return f'<TD{attrs} ALIGN="LEFT" CELLPADDING="2">{_esc(flat)}</TD>'
    # A row of elements, only some of them highlighted: the text between the highlighted (or
    # nested) elements goes in one cell, so that dot's estimate of each cell's width (for
    # Helvetica, wider than the font it draws) does not open gaps between every element.
    open_, close = ("{", "}") if cell.kind == SET else ("<<", ">>")
    parts: list[str | tuple[Cell, str]] = [open_]
    for n, (_, v) in enumerate(cell.items):
        if n:
            parts.append(", ")
        flat = None if v.changed else flat_text(v)
        parts.append(flat if flat is not None else (v, f"{path}_{n}"))
    parts.append(close)
    tds, text = [], ""
    for part in parts:
        if isinstance(part, str):
            text += part
            continue
        if text:
            tds.append(f'<TD VALIGN="TOP" CELLPADDING="1">{_esc(text)}</TD>')
            text = ""
        element, where = part
        scalar = element.kind == SCALAR
        tds.append(_td(element, where) if scalar else f'<TD VALIGN="TOP">{_inner(element, where)}</TD>')
    tds.append(f'<TD VALIGN="TOP" CELLPADDING="1">{_esc(text)}</TD>')
    return (
        f'<TD{attrs} ALIGN="LEFT"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
        f"{''.join(tds)}</TR></TABLE></TD>"
    )


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
