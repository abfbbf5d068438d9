"""Views: a trace as text, ITF JSON, Graphviz pictures or an HTML page.

``write_trace`` is what ``tlacheck check --trace-out FILE`` and ``tlacheck
render`` use: the suffix of the file picks the form. The views return strings
or bytes or write files; they never print. What the CLI should tell the user
(where the files went, that Graphviz is missing) comes back as a note.

=============  =====================================================================
suffix         form
=============  =====================================================================
``.txt``       TLC's layout (``text.py``); with ``diff``, only what changed
``.itf.json``  the Informal Trace Format of Apalache and Quint (``itf.py``)
``.json``      the same (a ``.json`` that is not ``.itf.json`` is still ITF)
``.dot``       Graphviz source: a table per state, an edge per step (``graph.py``)
``.svg/.png``  that picture drawn by ``dot``; without ``dot``, the ``.dot`` and a note
               (a long trace: pages that fit a 1280x800 screen, ``X.pages/page-N``)
``.html``      one self-contained page to step through (``html.py``)
=============  =====================================================================

Domain views: when the model has the ``render_dot(trace, i)`` hook, the HTML
page shows each step's drawing, and ``.svg``/``.png``/``.dot`` output also
writes one drawing per step into a folder beside the file (``trace.svg`` gives
``trace.domain/step-01.svg``, ...). ``write_trace``'s ``domain_view`` replaces
the model's hook: the CLI's ``--view`` (or the trace's variable names) picks one
for TLA+ specs and for traces read back from ITF, which have no model.

A view chosen by the variables' names alone (``GuessedView``) may not fit a spec
that only looks like Raft or Paxos (the same names, other values): when it fails
on a trace, the pictures and the page are written without it and a note says
why (``fitting_view``). A view asked for by name (``--view raft``) that fails is
an error, as a model's own ``render_dot`` is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from checker.engine.result import Trace, Violation
from checker.errors import ModelError
from checker.views.itf import ItfTrace, format_itf, parse_itf
from checker.views.text import format_trace, format_violation

FORMATS = ("txt", "itf", "dot", "svg", "png", "html")


@dataclasses.dataclass(frozen=True, slots=True)
class GuessedView:
    """A domain view chosen because the trace has its variables, not because it was asked for."""

    name: str  # raft, paxos
    render: Callable[[Trace, int], str]

    def __call__(self, trace: Trace, index: int) -> str:
        return self.render(trace, index)


def fitting_view(domain: Any, trace: Trace) -> tuple[Any, str | None]:
    """``domain``, or None and a note when it is a guessed view that fails on some step of ``trace``."""
    if not isinstance(domain, GuessedView):
        return domain, None
    for i in range(len(trace.steps)):
        try:
            domain(trace, i)
        except Exception as exc:  # a look-alike spec: draw without the view, and say why
            return None, guess_failed(domain.name, i, exc)
    return domain, None


def guess_failed(name: str, index: int, exc: Exception) -> str:
    return (
        f"The {name} view (chosen because the spec has its variables) does not fit state {index + 1}: "
        f"{type(exc).__name__}: {exc}. Drawn without it; --view none says so quietly, "
        f"--view {name} makes it an error."
    )


_SUFFIXES = {
    ".txt": "txt",
    ".dot": "dot",
    ".gv": "dot",
    ".svg": "svg",
    ".png": "png",
    ".html": "html",
    ".htm": "html",
}


def format_of(path: Path) -> str:
    """The form a file name asks for, or a clear error naming the choices."""
    name = path.name.lower()
    if name.endswith(".json"):
        return "itf"
    form = _SUFFIXES.get(path.suffix.lower())
    if form is None:
        raise ModelError(
            f"cannot write a trace as '{path.name}': the suffix picks the form, one of "
            ".txt .itf.json .dot .svg .png .html"
        )
    return form


def write_trace(
    trace: Trace,
    path: Path,
    model: Any = None,
    violation: Violation | None = None,
    diff: bool = False,
    form: str | None = None,
    title: str | None = None,
    domain_view: Any = None,
) -> str | None:
    """Write ``trace`` to ``path`` in the form its suffix names (or ``form``); returns a note to print.
    ``domain_view`` (a ``render_dot(trace, i)`` function, ``--view``) replaces the model's own."""
    path = Path(path)
    form = form or format_of(path)
    title = title or _title(model)
    domain, unfit = fitting_view(domain_view or _domain_view(model), trace)
    try:
        if form == "txt":
            text = format_violation(violation, diff) if violation is not None else format_trace(trace, diff)
            path.write_text(text + "\n", encoding="utf-8")
            return None
        if form == "itf":
            source = None if title == "trace" else title  # "trace" is only the fallback title
            path.write_text(format_itf(trace, violation, source=source), encoding="utf-8")
            return None
        if form == "html":
            from checker.views.html import trace_to_html  # Graphviz loads only for pictures (~50 ms)

            path.write_text(
                trace_to_html(trace, violation, title=title, domain_view=domain, note=unfit), encoding="utf-8"
            )
            return _joined(f"Trace written to {path} (open it in a browser; arrow keys step).", unfit)
        if form not in ("dot", "svg", "png"):
            raise ModelError(f"unknown trace form '{form}': use one of {', '.join(FORMATS)}")
        return _joined(_write_picture(trace, path, form, violation, domain), unfit)
    except OSError as exc:
        raise ModelError(f"cannot write the trace to {path}: {exc.strerror or exc}") from None


def _joined(*notes: str | None) -> str | None:
    return "\n".join(n for n in notes if n) or None


def read_trace(path: Path) -> ItfTrace:
    """Read an ITF trace file (ours, Apalache's or Quint's)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(f"cannot read the trace {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise ModelError(
            f"cannot read the trace {path}: line {line} is not UTF-8 (byte {exc.object[exc.start]:#04x} "
            f"at offset {exc.start}); ITF files are JSON, which is UTF-8"
        ) from None
    return parse_itf(text, where=str(path))


def _write_picture(
    trace: Trace, path: Path, form: str, violation: Violation | None, domain: Any
) -> str | None:
    from checker.views.graph import GraphvizMissing, render_source, trace_pages

    if not trace.steps:
        raise ModelError("the trace has no states: there is nothing to draw")
    pages = trace_pages(trace, violation)
    notes = []
    missing = False
    targets = [path] + [_page_path(path, n, len(pages)) for n in range(2, len(pages) + 1)]
    if len(pages) > 1:
        targets[1].parent.mkdir(exist_ok=True)
    for source, target in zip(pages, targets):
        if form == "dot" or missing:
            target.with_suffix(".dot").write_text(source, encoding="utf-8")
            continue
        try:
            target.write_bytes(render_source(source, form))
        except GraphvizMissing as exc:
            target.with_suffix(".dot").write_text(source, encoding="utf-8")
            notes.append(f"Wrote {path.with_suffix('.dot')} instead of {path}. {exc}")
            missing = True
    if len(pages) > 1:
        suffix = "dot" if missing else form
        notes.append(
            f"The trace's {len(trace.steps)} states are drawn on {len(pages)} pages, each readable on a "
            f"1280x800 screen: {path.with_suffix('.' + suffix)} is the first, {targets[1].parent}/ has the "
            f"others (page-2.{suffix} ...)."
        )
    if domain is not None:
        notes.append(_write_domain(trace, path, "dot" if missing else form, domain))
    if notes:
        return "\n".join(notes)
    return None


def _page_path(path: Path, n: int, count: int) -> Path:
    """Where page ``n`` (from 2) of a picture of ``count`` pages goes: ``X.pages/page-N.ext``."""
    folder = path.with_name(path.name.removesuffix(path.suffix) + ".pages")
    return folder / f"page-{n:0{len(str(count))}d}{path.suffix}"


def _write_domain(trace: Trace, path: Path, form: str, domain: Any) -> str:
    """One picture per step of the model's own drawing, in ``<stem>.domain/``."""
    from checker.views.graph import render_source

    folder = path.with_name(path.name.removesuffix(path.suffix) + ".domain")
    folder.mkdir(exist_ok=True)
    width = len(str(len(trace.steps)))
    for i in range(len(trace.steps)):
        try:
            source = domain(trace, i)
        except Exception as exc:
            raise ModelError(
                f"The model's render_dot(trace, {i}) failed: {type(exc).__name__}: {exc}\n"
                "render_dot is the model's own drawing of a step (see checker/model.py); fix it, "
                "or write the trace as .txt or .itf.json, which do not call it."
            ) from exc
        target = folder / f"step-{i + 1:0{max(2, width)}d}.{form}"
        if form == "dot":
            target.write_text(source, encoding="utf-8")
        else:
            target.write_bytes(render_source(source, form))
    return f"Trace written to {path}; the model's domain view of each step is in {folder}/."


def _domain_view(model: Any) -> Any:
    hook = getattr(model, "render_dot", None)
    return hook if callable(hook) else None


def _title(model: Any) -> str:
    name = ""
    if model is not None:
        describe = getattr(model, "describe", None)
        name = describe() if callable(describe) else str(getattr(model, "name", "") or type(model).__name__)
    return name or "trace"


__all__ = ["FORMATS", "GuessedView", "fitting_view", "format_of", "read_trace", "write_trace"]
