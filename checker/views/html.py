"""A trace as one self-contained HTML page: step through it with buttons or the arrow keys.

Everything is in the file: the stylesheet, a few lines of script, every state
already rendered as a table (``cells.py`` marks what changed, as in the
pictures), and, when the model has the ``render_dot`` hook, each step's domain
view as inline SVG drawn by ``dot`` at write time. A Content-Security-Policy
forbids any network access, so the page works offline and cannot leak a trace.

The page shows one step at a time: the action that led to it, the variables
(changed cells in yellow, the old value as a tooltip), and at the last state
the violated property. Keys: right/left arrow (or ``j``/``k``) step, Home/End
jump. The URL fragment ``#step=N`` opens step N (1-based), which makes steps
linkable. For tests without a DevTools client, ``#step=N&keys=ArrowRight,...``
also replays those key presses through the page's own key handler after
loading; ``chromium --dump-dom`` then shows where the page ended up
(``<body data-step="...">``).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from checker.engine.result import Trace, Violation
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
from checker.views.graph import GraphvizMissing, plain_text, render_source
from checker.views.text import format_label

DomainView = Callable[[Trace, int], str]

_STYLE = """
body { font: 14px/1.4 system-ui, Helvetica, Arial, sans-serif; margin: 0; color: #222; }
header { background: #2d3e50; color: white; padding: 8px 16px; display: flex; gap: 16px; align-items: center; }
header h1 { font-size: 16px; margin: 0; font-weight: 600; }
header .verdict { background: #b3261e; padding: 2px 8px; border-radius: 4px; }
main { display: flex; align-items: flex-start; }
nav { min-width: 200px; max-width: 320px; flex: none; border-right: 1px solid #ddd; height: calc(100vh - 40px); overflow: auto;
  position: sticky; top: 0; }
nav ol { margin: 0; padding: 0; list-style: none; }
nav li { padding: 3px 8px; cursor: pointer; border-bottom: 1px solid #eee; font-family: monospace;
  font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
nav li:hover { background: #f0f4fa; }
nav li.current { background: #dde4f0; font-weight: bold; }
nav li.bad { color: #b3261e; }
section.step { padding: 8px 16px; flex: 1; min-width: 0; }
section.step[hidden] { display: none; }
.controls { display: flex; gap: 8px; align-items: center; margin-bottom: 6px; }
.controls button { font-size: 14px; padding: 3px 12px; }
h2 { font-size: 15px; margin: 2px 0 6px; font-family: monospace; overflow-wrap: anywhere; }
.violation { background: #f4b6b6; color: #7a0000; padding: 6px 10px; border-radius: 4px;
  margin-bottom: 10px; font-weight: 600; }
table.state { border-collapse: collapse; }
table.state > tbody > tr > th { text-align: right; vertical-align: top; padding: 4px 8px;
  background: #f3f3f3; font-family: monospace; font-weight: normal; }
table.state > tbody > tr > td { padding: 4px 8px; vertical-align: top; border-bottom: 1px solid #eee; }
table.state > tbody > tr.var-changed > th { border-left: 4px solid #e0a800; }
.v { font-family: monospace; white-space: pre; }
table.fn { border-collapse: collapse; }
table.fn td, table.fn th { border: 1px solid #ccc; padding: 1px 5px; vertical-align: top; }
table.fn th.field { text-align: left; font-style: italic; }
table.fn tr.changed > td { background: #ffe08a; }
table.fn th { background: #f6f6f6; font-weight: normal; font-family: monospace; text-align: right; }
.row { display: inline-flex; gap: 3px; align-items: flex-start; font-family: monospace; }
.sep { margin-right: 4px; margin-left: -3px; }
.changed { background: #ffe08a; border-radius: 3px; }
.more { font-style: italic; color: #666; }
.changes { margin-left: 12px; color: #555; }
.note { color: #666; font-size: 12px; margin-top: 8px; }
.panel { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.domain { flex: 1 1 560px; min-width: 0; }
.domain svg { display: block; }
.vars { flex: 0 1 auto; min-width: 0; max-width: 340px; overflow: auto; }
.domain pre { background: #f6f6f6; padding: 8px; overflow: auto; }
"""

_SCRIPT = """
(function () {
  var steps = document.querySelectorAll('section.step');
  var items = document.querySelectorAll('nav li');
  var current = 0;
  function show(i) {
    current = Math.max(0, Math.min(steps.length - 1, i));
    for (var k = 0; k < steps.length; k++) {
      steps[k].hidden = k !== current;
      items[k].className = items[k].className.replace(/ ?current/, '') + (k === current ? ' current' : '');
    }
    document.body.setAttribute('data-step', String(current + 1));
  }
  function onKey(e) {
    if (e.key === 'ArrowRight' || e.key === 'j') { show(current + 1); e.preventDefault(); }
    else if (e.key === 'ArrowLeft' || e.key === 'k') { show(current - 1); e.preventDefault(); }
    else if (e.key === 'Home') { show(0); e.preventDefault(); }
    else if (e.key === 'End') { show(steps.length - 1); e.preventDefault(); }
  }
  document.addEventListener('keydown', onKey);
  document.querySelectorAll('button.prev').forEach(function (b) { b.onclick = function () { show(current - 1); }; });
  document.querySelectorAll('button.next').forEach(function (b) { b.onclick = function () { show(current + 1); }; });
  items.forEach(function (li, k) { li.onclick = function () { show(k); }; });
  var params = {};
  location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
    var p = kv.split('='); if (p[0]) { params[p[0]] = decodeURIComponent(p[1] || ''); }
  });
  show(params.step ? parseInt(params.step, 10) - 1 || 0 : 0);
  // Test hook: replay key presses through the real handler (see the module docstring).
  (params.keys ? params.keys.split(',') : []).forEach(function (key) {
    document.dispatchEvent(new KeyboardEvent('keydown', {key: key, bubbles: true}));
  });
})();
"""


def trace_to_html(
    trace: Trace,
    violation: Violation | None = None,
    title: str = "trace",
    domain_view: DomainView | None = None,
    limits: Limits | None = None,
    note: str | None = None,
) -> str:
    """The page. ``domain_view`` is the model's ``render_dot`` hook, if it has one; ``note`` is
    shown under the steps (why a guessed domain view was left out, say)."""
    limits = limits or Limits()
    n = len(trace.steps)
    headline = violation.headline().removeprefix("Error: ") if violation is not None else None
    nav, sections = [], []
    previous: Mapping[str, Any] | None = None
    cut = False
    domain_note = None
    for i, step in enumerate(trace.steps):
        label = format_label(step.label, i)
        bad = headline is not None and i == n - 1
        # Labels can be long (a message record as a parameter): cut in the sidebar, whole in the tooltip.
        short = _nav_label(step.label, i)
        nav.append(
            f'<li class="{"bad" if bad else ""}" data-index="{i + 1}" title="{_esc(short)}">'
            f"{i + 1}. {_esc(short_label(short))}</li>"
        )
        rows = layout_state(step.record, previous, limits)
        cut = cut or any(any_cut(c) for _, c, _ in rows)
        changes = ""
        if i > 0:  # on the buttons' line, which leaves a tall drawing more of the window
            names = [name for name, _, changed in rows if changed]
            what = ", ".join(names) if names else "nothing (a stuttering step)"
            changes = f'<span class="changes">Changed: {_esc(what)}</span>'
        parts = [
            f'<section class="step" id="step-{i + 1}" data-step="{i + 1}"{"" if i == 0 else " hidden"}>',
            '<div class="controls"><button class="prev" title="previous step (left arrow)">&#9664; Back</button>'
            f'<button class="next" title="next step (right arrow)">Next &#9654;</button>'
            f"<span>Step {i + 1} of {n}</span>{changes}</div>",
            f'<h2 class="action">State {i + 1}: {_esc(label)}</h2>',
        ]
        if bad and trace.loop is not None:
            # A lasso: the behaviour goes on for ever from here.
            closing = (
                f"State {n + 1}: Stuttering (for ever)"
                if trace.loop_label is None
                else f"Back to state {trace.loop + 1}: {format_label(trace.loop_label, 1)} (and round again, for ever)"
            )
            parts.append(f'<div class="violation">{_esc(headline or "")} {_esc(closing)}</div>')
        elif bad:
            parts.append(f'<div class="violation">{_esc(headline or "")} (in this state)</div>')
        # The model's own drawing first (above the fold), then the variables beside or below it.
        parts.append('<div class="panel">')
        if domain_view is not None:
            svg, domain_note = _domain_svg(domain_view, trace, i)
            least = _least_width(svg)
            style = f' style="min-width: min(100%, {least}px)"' if least else ""
            parts.append(f'<div class="domain"{style}>{svg}</div>')
        parts.append(f'<div class="vars">{_state_table(rows)}</div>')
        parts.append("</div>")
        parts.append("</section>")
        sections.append("".join(parts))
        previous = step.record
    notes = []
    if cut:
        notes.append(
            f"Some values are cut (more than {limits.max_items} elements, {limits.max_depth} levels or "
            f"{limits.max_chars} characters); the .txt and .itf.json forms have them in full."
        )
    if domain_note:
        notes.append(domain_note)
    if note:
        notes.append(note)
    verdict = f'<span class="verdict">{_esc(headline)}</span>' if headline else ""
    note_html = "".join(f'<p class="note">{_esc(x)}</p>' for x in notes)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{_esc(title)}</title>\n<style>{_STYLE}</style></head>\n"
        f'<body data-step="1" data-steps="{n}">\n'
        f"<header><h1>{_esc(title)}</h1>{verdict}<span>{n} states &middot; "
        "&larr; &rarr; to step</span></header>\n"
        f'<main><nav><ol>{"".join(nav)}</ol></nav><div style="flex:1">{"".join(sections)}{note_html}</div></main>\n'
        f"<script>{_SCRIPT}</script>\n"
        f'<script type="application/json" id="trace-meta">{_json_for_script(title, n, violation)}</script>\n'
        "</body></html>\n"
    )


def _nav_label(label: Any, index: int) -> str:
    if index == 0:
        return "Init" if label is None else str(label)
    return format_label(label, index)[1:-1]


def _state_table(rows: list[tuple[str, Cell, bool]]) -> str:
    out = ['<table class="state"><tbody>']
    for name, cell, changed in rows:
        cls = ' class="var-changed"' if changed else ""
        out.append(f'<tr{cls} data-var="{_esc(name)}"><th>{_esc(name)}</th><td>{_cell(cell)}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def _cell(cell: Cell) -> str:
    mark = ""
    if cell.changed:
        tip = "changed" if cell.was is None else f"was {cell.was}"
        mark = f' changed" title="{_esc(tip)}'
    if cell.kind == SCALAR:
        return f'<span class="v{mark}">{_esc(cell.text)}</span>'
    if cell.kind == MORE:
        return f'<span class="more">{_esc(cell.text)}</span>'
    if cell.columns:
        return _record_table(cell, mark)
    if cell.kind == FN:
        rows = []
        for key, value in cell.items:
            if key is None:
                rows.append(f'<tr><td colspan="2">{_cell(value)}</td></tr>')
            else:
                rows.append(f"<tr><th>{_esc(key.text)}</th><td>{_cell(value)}</td></tr>")
        return f'<table class="fn{mark}"><tbody>{"".join(rows)}</tbody></table>'
    if not cell.items:
        return f'<span class="v{mark}">{{}}</span>'
    flat = flat_text(cell)
    if flat is not None:  # nothing highlighted inside: one text, as the text view prints it
        return f'<span class="v{mark}">{_esc(flat)}</span>'
    open_, close = ("{", "}") if cell.kind == SET else ("&lt;&lt;", "&gt;&gt;")
    inner = '<span class="sep">,</span>'.join(_cell(v) for _, v in cell.items)
    return f'<span class="row{mark}">{open_}{inner}{close}</span>'


def _record_table(cell: Cell, mark: str) -> str:
    """A set or sequence of records as one table: a header of field names, a row per record."""
    seq = cell.kind != SET
    head = "<th>#</th>" if seq else ""
    head += "".join(f'<th class="field">{_esc(c)}</th>' for c in cell.columns)
    rows = [f"<tr>{head}</tr>"]
    for n, (_, row) in enumerate(cell.items):
        if row.kind == MORE:
            rows.append(f'<tr><td colspan="{len(cell.columns) + seq}">{_cell(row)}</td></tr>')
            continue
        fields = {k.text: v for k, v in row.items if k is not None}
        cls = ' class="changed" title="new"' if row.changed else ""
        tds = [f"<td>{n + 1}</td>"] if seq else []
        tds += [f"<td>{'' if fields.get(c) is None else _cell(fields[c])}</td>" for c in cell.columns]
        rows.append(f"<tr{cls}>{''.join(tds)}</tr>")
    return f'<table class="fn records{mark}"><tbody>{"".join(rows)}</tbody></table>'


def _domain_svg(domain_view: DomainView, trace: Trace, index: int) -> tuple[str, str | None]:
    """The model's drawing of step ``index`` as inline SVG (or its DOT source, without Graphviz)."""
    from checker.errors import ModelError

    try:
        source = domain_view(trace, index)
    except Exception as exc:
        raise ModelError(
            f"The model's render_dot(trace, {index}) failed: {type(exc).__name__}: {exc}\n"
            "render_dot is the model's own drawing of a step (see checker/model.py); fix it, "
            "or write the trace as .txt, .itf.json or .svg, which do not call it."
        ) from exc
    try:
        svg = render_source(source, "svg").decode("utf-8")
    except GraphvizMissing as missing:
        return f"<pre>{_esc(source)}</pre>", str(missing).replace(
            ".dot file", "DOT source of the domain view"
        )
    svg = fit_svg(svg[svg.find("<svg") :])
    # Several SVGs share one page: keep their ids apart.
    svg = re.sub(r'\bid="', f'id="d{index + 1}_', svg)
    return svg, None


def _least_width(svg: str) -> int:
    """How narrow the drawing may be squeezed beside the variables, in CSS pixels: to 85% of
    the width it has in a window 800 pixels tall (where its height may already shrink it), so
    that its text stays readable; past that the variables go below it (0: no limit)."""
    head = re.search(r'max-width: ([\d.]+)pt; height: auto; max-height: calc\(100vh - (\d+)px\)', svg)
    box = re.search(r'viewBox="[\d.-]+ [\d.-]+ ([\d.]+) ([\d.]+)"', svg)
    if head is None or box is None or float(box.group(2)) <= 0:
        return 0
    natural = float(head.group(1)) * 4 / 3  # pt to px
    room = 800 - int(head.group(2))
    shown = min(natural, room * float(box.group(1)) / float(box.group(2)))
    return round(0.85 * shown)


def fit_svg(svg: str, room: str = "100vh - 160px") -> str:
    """Let an SVG drawn by dot shrink to the window: no larger than drawn, no taller than ``room``
    (a long sequence diagram keeps its last, red step on screen), its proportions kept."""
    head = re.match(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    if head is None:
        return svg
    style = f'style="width: 100%; max-width: {head.group(1)}pt; height: auto; max-height: calc({room})"'
    return f"<svg {style}" + svg[head.end() :]


def _json_for_script(title: str, n: int, violation: Violation | None) -> str:
    data = {"title": title, "states": n, "violation": None}
    if violation is not None:
        data["violation"] = {"kind": violation.kind, "name": violation.name}
    # Inside <script>, `</script>` ends the block and `<!--` changes how the browser finds that
    # end; written as \u003c (and > and & likewise) the JSON means the same and holds neither.
    text = json.dumps(data)  # ensure_ascii: U+2028 and U+2029 come out escaped too
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _esc(text: str) -> str:
    return html.escape(plain_text(text), quote=True)
