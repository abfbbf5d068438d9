"""``tlacheck explore``: walk a model's state space by hand in a browser, as Stateright's Explorer does.

A small web server on 127.0.0.1 (never another address: the page shows a spec's
states to whoever can reach it) serves one page per *path*: an initial state and
then, step by step, which of the enabled successors was taken. The path is the
URL (``/?path=0.3.1``: initial state 0, then successor 3, then successor 1), so a
URL is a shareable walk, and the browser's own back and forward work; the page
also has Back and Forward links (``trail`` remembers how far you went before
stepping back). The server keeps no state between requests: each page replays
its path through the model.

Each page shows the current state (the model's domain view when it has one,
``render_dot``, and the variables with what the last step changed), every
invariant's value in that state, every enabled action with what it would change
(``x[k]' = v`` for the entries that change, and, in red, the invariants its
successor would break), each successor drawn (pointing at an action, or
focusing it with the keyboard, shows its successor in place of the current
state; ``preview=k`` in the URL opens with successor k shown), and the states a check
found: each counterexample is a link to its path, so one click jumps to the
violation and Back walks the trace backwards. A trace loaded from an ITF file
(a CTI from ``tlacheck prove --trace-out``) can be a starting point too
(``path=t0``, step 0 of that trace): TLA+ specs only, whose states are their
records.

Bounds: paths of at most ``MAX_PATH`` steps, at most ``MAX_ACTIONS`` successors
listed and the first ``MAX_DRAWN`` of them drawn, requests for anything but ``/`` answered 404, and a Host header other
than this server's refused (so a web page elsewhere cannot reach it through DNS
rebinding). No network access: no CDN, everything inline, and the same
Content-Security-Policy as the HTML trace page.
"""

from __future__ import annotations

import dataclasses
import html
import http.server
import re
import urllib.parse
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from checker.engine.result import Step, Trace
from checker.errors import ModelError
from checker.values import Fn, Value, format_value
from checker.views.cells import Limits, layout_state, short_label

HOST = "127.0.0.1"  # the only address the explorer ever binds
MAX_PATH = 500
MAX_ACTIONS = 300
MAX_DRAWN = 40  # successors drawn per page (each is one run of dot, about 20 ms)
DomainView = Callable[[Trace, int], str]


@dataclasses.dataclass(frozen=True, slots=True)
class Found:
    """A trace to offer as a jump: a check's counterexample (a path) or a loaded trace."""

    title: str
    path: tuple[str, ...]  # the tokens of its last state's path


class BadPath(Exception):
    """A URL whose path does not lead anywhere (an index past the enabled actions, say)."""


class Explorer:
    """What the pages are made from: the model, its drawing, and the traces to jump to."""

    def __init__(
        self,
        model: Any,
        title: str,
        domain_view: DomainView | None = None,
        loaded: Trace | None = None,
    ) -> None:
        self.model = model
        self.title = title
        self.domain_view = domain_view
        self.loaded = loaded
        self.found: list[Found] = []
        self.inits: list[Hashable] = list(model.init_states())
        if not self.inits:
            raise ModelError(f"{title} has no initial state: there is nothing to explore.")

    # -- paths ------------------------------------------------------------------

    def walk(self, tokens: Sequence[str]) -> list[Step]:
        """The steps of a path: its start (``k``: initial state k; ``tK``: loaded step K), then successors."""
        if not tokens:
            raise BadPath("an empty path")
        if len(tokens) > MAX_PATH:
            raise BadPath(f"a path of more than {MAX_PATH} steps")
        first = tokens[0]
        if first.startswith("t") and self.loaded is not None:
            k = _index(first[1:], len(self.loaded.steps))
            state = self.loaded.steps[k].state
            start = f"state {k + 1} of the loaded trace (not necessarily reachable)"
            steps = [Step(start, state, self.model.as_record(state))]
        else:
            state = self.inits[_index(first, len(self.inits))]
            steps = [Step(None, state, self.model.as_record(state))]
        for token in tokens[1:]:
            succ = list(self.model.next_steps(state))
            label, state = succ[_index(token, len(succ))]
            steps.append(Step(label, state, self.model.as_record(state)))
        return steps

    def path_of(self, trace: Trace) -> tuple[str, ...] | None:
        """The path that replays ``trace`` from an initial state, or None if the model does not."""
        try:
            tokens = [str(self.inits.index(trace.steps[0].state))]
        except ValueError:
            return None
        state = trace.steps[0].state
        for step in trace.steps[1:]:
            succ = list(self.model.next_steps(state))
            match = [k for k, (lab, s) in enumerate(succ) if s == step.state and str(lab) == str(step.label)]
            match = match or [k for k, (_, s) in enumerate(succ) if s == step.state]
            if not match:
                return None
            tokens.append(str(match[0]))
            state = step.state
        return tuple(tokens)

    def add_found(self, title: str, trace: Trace) -> bool:
        path = self.path_of(trace)
        if path is not None:
            self.found.append(Found(title, path))
        return path is not None

    # -- the page ---------------------------------------------------------------

    def page(self, query: str) -> tuple[int, str]:
        """(HTTP status, HTML) for a query string such as ``path=0.3.1&trail=0.3.1.2``."""
        params = urllib.parse.parse_qs(query, max_num_fields=4)
        path = _tokens(params.get("path", ["0"])[0])
        preview = params.get("preview", [""])[0]
        shown = int(preview) if re.fullmatch(r"\d{1,3}", preview) else None
        trail = _tokens(params.get("trail", [""])[0])
        if tuple(trail[: len(path)]) != tuple(path):
            trail = path
        try:
            steps = self.walk(path)
        except BadPath as exc:
            return 404, self._frame(
                "Not a path",
                f"<p class='bad'>This URL's path is {_esc(str(exc))}.</p>"
                "<p><a href='?path=0'>Start again</a></p>",
            )
        return 200, self._state_page(path, trail, steps, shown)

    def _state_page(self, path: list[str], trail: list[str], steps: list[Step], shown: int | None) -> str:
        here = steps[-1]
        trace = Trace(tuple(self.model.variables), tuple(steps))
        body = ['<div class="top">']
        # where we are, and how to move
        back = (
            _link(path[:-1], trail, "&#9664; Back", "back")
            if len(path) > 1
            else "<span class='off'>&#9664; Back</span>"
        )
        fwd = (
            _link(trail[: len(path) + 1], trail, "Forward &#9654;", "forward")
            if len(trail) > len(path)
            else "<span class='off'>Forward &#9654;</span>"
        )
        body.append(
            f'<div class="nav">{back} {fwd} <a href="?path={".".join(path[:1])}">Restart</a>'
            f' <span class="where">State {len(steps)} of this path</span></div>'
        )
        crumbs = []
        for k, step in enumerate(steps):
            text = (
                ("Init" if step.label is None else "loaded") if k == 0 else short_label(str(step.label), 32)
            )
            cls = ' class="current"' if k == len(steps) - 1 else ""
            crumbs.append(f"<li{cls}>{_link(path[: k + 1], trail, _esc(text), f'crumb-{k + 1}')}</li>")
        body.append(f'<ol class="crumbs">{"".join(crumbs)}</ol>')
        body.append("</div>")
        body.append('<div class="cols"><div class="left">')
        body.append(self._invariants(here.state))
        succ = list(self.model.next_steps(here.state)) if len(path) < MAX_PATH else []
        if shown is not None and shown >= min(len(succ), MAX_DRAWN):
            shown = None
        body.append(self._actions(path, trail, here.state, succ, shown))
        body.append(self._found_list(trail))
        body.append('</div><div class="right">')
        before = steps[-2].record if len(steps) > 1 else None
        now = "" if shown is None else " hidden"
        label = "the initial state" if len(steps) == 1 else f"after {_esc(str(here.label))}"
        body.append(
            f'<div class="shown" id="now"{now}><p class="caption">State {len(steps)} of this path, {label}'
            f"{' (yellow: what that step changed)' if len(steps) > 1 else ''}</p>"
        )
        if self.domain_view is not None:
            body.append(f'<div class="domain">{self._domain(trace, "now")}</div>')
        body.append(_variables(here.record, before))
        body.append("</div>")
        for k, (act, nxt) in enumerate(succ[:MAX_DRAWN]):
            # Each successor drawn as the next step of this path, so its changes are marked.
            after = Step(act, nxt, self.model.as_record(nxt))
            hidden = "" if k == shown else " hidden"
            body.append(
                f'<div class="shown preview" id="preview-{k}"{hidden}><p class="caption">If action {k} is '
                f"taken: <b>{_esc(str(act))}</b> (yellow: what it changes; click it to take it)</p>"
            )
            if self.domain_view is not None:
                body.append(
                    f'<div class="domain">{self._domain(Trace(trace.variables, (*steps, after)), f"p{k}")}</div>'
                )
            body.append(_variables(after.record, here.record))
            body.append("</div>")
        body.append("</div></div>")
        return self._frame(f"State {len(steps)}", "".join(body), path, trail)

    def _invariants(self, state: Hashable) -> str:
        rows = []
        for name, holds in self._check(state):
            mark = "holds" if holds is True else ("VIOLATED" if holds is False else f"error: {holds}")
            cls = "ok" if holds is True else "bad"
            rows.append(f'<li class="{cls}" data-invariant="{_esc(name)}">{_esc(name)}: {_esc(mark)}</li>')
        if not rows:
            rows.append("<li>(the model has no invariants)</li>")
        return f'<h3>Invariants in this state</h3><ul class="invariants">{"".join(rows)}</ul>'

    def _check(self, state: Hashable) -> list[tuple[str, bool | str]]:
        out: list[tuple[str, bool | str]] = []
        for name, predicate in getattr(self.model, "invariants", {}).items():
            try:
                out.append((name, bool(predicate(state))))
            except Exception as exc:  # an invariant that cannot be evaluated here: say so
                out.append((name, f"{type(exc).__name__}: {exc}"))
        return out

    def _actions(
        self, path: list[str], trail: list[str], state: Hashable, succ: list[Any], shown: int | None
    ) -> str:
        if len(path) >= MAX_PATH:
            return f"<h3>Enabled actions</h3><p>This path has {MAX_PATH} steps, the explorer's limit.</p>"
        record = self.model.as_record(state)
        items = []
        for k, (label, nxt) in enumerate(succ[:MAX_ACTIONS]):
            after = self.model.as_record(nxt)
            changes = [
                change for v in sorted(after) for change in describe_change(v, record.get(v), after[v])
            ]
            broken = [name for name, ok in self._check(nxt) if ok is not True]
            target = [*path, str(k)]
            keep = trail if tuple(trail[: len(target)]) == tuple(target) else target
            text = _esc(str(label))
            warn = f' <span class="breaks">breaks {_esc(", ".join(broken))}</span>' if broken else ""
            what = "; ".join(changes) or "nothing changes: this state again (a stuttering step)"
            drawn = f' data-preview="{k}"' if k < MAX_DRAWN else ""
            drawn += ' class="previewed"' if k == shown else ""
            items.append(
                f"<li{drawn}>{_link(target, keep, text, f'action-{k}')}{warn}"
                f'<div class="what">{_esc(what)}</div></li>'
            )
        more = f"<p>… and {len(succ) - MAX_ACTIONS} more not listed.</p>" if len(succ) > MAX_ACTIONS else ""
        if not succ:
            items.append("<li>No action is enabled: this state has no successor.</li>")
        return (
            f'<h3>Enabled actions ({len(succ)})</h3><ol class="actions" start="0">{"".join(items)}</ol>{more}'
        )

    def _found_list(self, trail: list[str]) -> str:
        rows = [
            f"<li>{_link(list(f.path), list(f.path), _esc(f.title), f'found-{n}')}</li>"
            for n, f in enumerate(self.found)
        ]
        if self.loaded is not None:
            n = len(self.loaded.steps)
            rows += [
                f"<li>{_link([f't{k}'], [f't{k}'], f'loaded trace, state {k + 1} of {n}', f'loaded-{k}')}</li>"
                for k in range(n)
            ]
        if not rows:
            return ""
        return f'<h3>Jump to a state found by a check</h3><ul class="found">{"".join(rows)}</ul>'

    def _domain(self, trace: Trace, prefix: str) -> str:
        """The drawing of the trace's last state as inline SVG, its ids prefixed (several share a page)."""
        from checker.views import GuessedView, guess_failed
        from checker.views.graph import GraphvizMissing, render_source

        try:
            source = self.domain_view(trace, len(trace.steps) - 1) if self.domain_view else ""
        except Exception as exc:
            if isinstance(self.domain_view, GuessedView):  # a look-alike spec: say so, quietly
                return f"<p class='note'>{_esc(guess_failed(self.domain_view.name, len(trace.steps) - 1, exc))}</p>"
            return (
                f"<p class='bad'>The model's drawing failed: {_esc(type(exc).__name__)}: {_esc(str(exc))}</p>"
            )
        try:
            svg = render_source(source, "svg").decode("utf-8")
        except GraphvizMissing:
            return f"<pre>{_esc(source)}</pre>"
        from checker.views.html import fit_svg

        svg = fit_svg(svg[svg.find("<svg") :], "100vh - 160px")
        return re.sub(r'\bid="', f'id="{prefix}_', svg)

    def _frame(
        self, heading: str, body: str, path: list[str] | None = None, trail: list[str] | None = None
    ) -> str:
        keys = ""
        if path is not None and trail is not None:
            keys = _SCRIPT
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
            f"<title>{_esc(heading)} · explore {_esc(self.title)}</title>\n<style>{_STYLE}</style></head>\n"
            f'<body data-path="{_esc(".".join(path or []))}">\n'
            f"<header><h1>explore {_esc(self.title)}</h1><span>click an action to take it; "
            "&larr; &rarr; back and forward; the URL is this walk</span></header>\n"
            f"<main>{body}</main>{keys}</body></html>\n"
        )


_STYLE = """
body { font: 14px/1.4 system-ui, Helvetica, Arial, sans-serif; margin: 0; color: #222; }
header { background: #2d3e50; color: white; padding: 6px 16px; display: flex; gap: 16px; align-items: baseline; }
header h1 { font-size: 16px; margin: 0; font-weight: 600; }
main { padding: 6px 16px; }
.nav a, .nav .off { display: inline-block; padding: 2px 10px; border: 1px solid #888; border-radius: 4px;
  text-decoration: none; color: #222; background: #f3f3f3; margin-right: 4px; }
.nav .off { color: #aaa; border-color: #ddd; }
.where { color: #555; margin-left: 8px; }
ol.crumbs { list-style: none; padding: 0; margin: 6px 0; display: flex; flex-wrap: wrap; gap: 2px;
  font-family: monospace; font-size: 12px; }
ol.crumbs li a { padding: 1px 6px; background: #eef; border-radius: 3px; text-decoration: none; color: #224; }
ol.crumbs li + li::before { content: "\\2192 "; color: #888; }
ol.crumbs li.current a { background: #2d3e50; color: white; }
.cols { display: flex; gap: 16px; align-items: flex-start; }
.left { flex: 0 0 380px; min-width: 0; max-height: calc(100vh - 110px); overflow: auto; }
.right { flex: 1 1 auto; min-width: 0; }
h3 { font-size: 14px; margin: 8px 0 4px; }
ul.invariants { list-style: none; padding: 0; margin: 0; font-family: monospace; }
ul.invariants li.ok::before { content: "\\2713  "; color: #1e7b34; }
ul.invariants li.bad { color: #b3261e; font-weight: bold; }
ul.invariants li.bad::before { content: "\\2717  "; }
ol.actions { padding-left: 28px; margin: 0; font-family: monospace; font-size: 13px; }
ol.actions li { margin-bottom: 4px; }
ol.actions .what { color: #555; font-size: 11px; overflow-wrap: anywhere; }
.breaks { color: #b3261e; font-weight: bold; }
ul.found { padding-left: 18px; margin: 0; }
.domain svg { display: block; }
.caption { margin: 4px 0 2px; color: #444; }
.preview .caption { background: #eef3ff; border-left: 4px solid #4a6fb3; padding: 2px 8px; }
ol.actions li[data-preview]:hover, ol.actions li.previewed { background: #eef3ff; }
table.vars { border-collapse: collapse; font-family: monospace; font-size: 12px; margin-top: 6px; }
table.vars th { text-align: right; background: #f3f3f3; font-weight: normal; padding: 2px 6px; vertical-align: top; }
table.vars td { padding: 2px 6px; border-bottom: 1px solid #eee; overflow-wrap: anywhere; }
table.vars tr.changed td { background: #ffe08a; }
.bad { color: #b3261e; }
.note { color: #666; font-size: 12px; }
"""

_SCRIPT = """<script>
document.addEventListener('keydown', function (e) {
  var id = e.key === 'ArrowLeft' ? 'back' : (e.key === 'ArrowRight' ? 'forward' : null);
  var a = id && document.getElementById(id);
  if (a) { location.href = a.getAttribute('href'); e.preventDefault(); }
});
// Pointing at an action (or focusing its link) draws its successor in place of this state.
var opened = document.querySelector('.shown:not([hidden])');
function show(k) {
  document.querySelectorAll('.shown').forEach(function (d) { d.hidden = true; });
  document.querySelectorAll('ol.actions li').forEach(function (li) { li.classList.remove('previewed'); });
  var d = k === null ? opened : document.getElementById('preview-' + k);
  (d || document.getElementById('now')).hidden = false;
  var li = k === null ? null : document.querySelector('ol.actions li[data-preview="' + k + '"]');
  if (li) { li.classList.add('previewed'); }
  document.body.setAttribute('data-preview', k === null ? '' : String(k));
}
document.querySelectorAll('ol.actions li[data-preview]').forEach(function (li) {
  var k = li.getAttribute('data-preview');
  li.addEventListener('mouseenter', function () { show(k); });
  li.addEventListener('mouseleave', function () { show(null); });
  li.addEventListener('focusin', function () { show(k); });
  li.addEventListener('focusout', function () { show(null); });
});
</script>"""


def describe_change(name: str, before: Value | None, after: Value) -> list[str]:
    """What a step does to one variable, as TLA+: ``x[k]' = v`` for each entry of a function that
    changes, ``x' = x \\cup {e}`` for elements added to a set, else ``x' = v``; nothing if equal."""
    if before == after:
        return []
    if type(before) is Fn and type(after) is Fn and before.keys() == after.keys():
        keys = [k for k in after if after[k] != before[k]]
        if len(keys) < len(after) or len(after) <= 4:
            record = after.is_record()
            return [
                f"{name}{f'.{k}' if record else f'[{format_value(k)}]'}' = {_cut(format_value(after[k]))}"
                for k in keys
            ]
    if type(before) is frozenset and type(after) is frozenset:
        added, removed = after - before, before - after
        parts = [f"{name}' = {name}"]
        if added:
            parts.append(f" \\cup {_cut(format_value(added))}")
        if removed:
            parts.append(f" \\ {_cut(format_value(removed))}")
        return ["".join(parts)]
    return [f"{name}' = {_cut(format_value(after))}"]


def _variables(record: Mapping[str, Value], before: Mapping[str, Value] | None) -> str:
    rows = []
    for name, _cell, changed in layout_state(record, before, Limits()):
        text = _cut(format_value(record[name]), 400)
        cls = ' class="changed"' if changed else ""
        rows.append(f'<tr{cls} data-var="{_esc(name)}"><th>{_esc(name)}</th><td>{_esc(text)}</td></tr>')
    return f'<table class="vars"><tbody>{"".join(rows)}</tbody></table>'


def _link(path: Sequence[str], trail: Sequence[str], text: str, ident: str) -> str:
    query = "path=" + ".".join(path)
    if list(trail) != list(path):
        query += "&trail=" + ".".join(trail)
    return f'<a id="{_esc(ident)}" href="?{_esc(query)}">{text}</a>'


def _tokens(text: str) -> list[str]:
    return [t for t in text.split(".") if t][: MAX_PATH + 1]


def _index(token: str, n: int) -> int:
    if not re.fullmatch(r"\d{1,6}", token) or int(token) >= n:
        raise BadPath(f"not valid: '{token[:12]}' is not one of 0..{n - 1}")
    return int(token)


def _cut(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


# -- the server -------------------------------------------------------------------


def make_server(explorer: Explorer, port: int = 0) -> http.server.HTTPServer:
    """An HTTP server for ``explorer`` on 127.0.0.1 (``port`` 0: any free port). Not started."""

    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "tlacheck-explore"

        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            url = urllib.parse.urlsplit(self.path)
            host = self.headers.get("Host", "")
            port = server.server_port
            allowed = {f"{HOST}:{port}", f"localhost:{port}"}
            if host not in allowed:
                self._send(403, "<p>This explorer answers only on 127.0.0.1.</p>")
                return
            if url.path != "/":
                self._send(404, "<p>Not found: the explorer has one page, <a href='/'>/</a>.</p>")
                return
            try:
                status, text = explorer.page(url.query)
            except Exception as exc:  # a model that fails on this state: show it, keep serving
                status, text = (
                    500,
                    f"<p>The model failed on this path: {_esc(type(exc).__name__)}: {_esc(str(exc))}</p>",
                )
            self._send(status, text)

        def _send(self, status: int, text: str) -> None:
            data = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
            pass  # the CLI prints; a request log would bury its message

    server = http.server.HTTPServer((HOST, port), Handler)
    return server


__all__ = ["HOST", "BadPath", "Explorer", "Found", "describe_change", "make_server"]
