"""Raft's domain view: one step of a trace drawn as the paper draws logs (Figure 8).

This module owns :func:`render_raft_dot`, the ``render_dot(trace, index)`` hook
of both Raft models (see ``checker/model.py``): a pure function from a trace
and a step number to the DOT source of a ``digraph``, which ``checker/views``
lays out into the HTML page and the per-step pictures.

The picture: one row of log boxes per server, each box showing the entry's
term and filled with that term's colour; the server's current term beside its
name; a leader marked (bold, a crown, a thick border; "stale" when another
server has seen a newer term); a committed entry
marked with a check and a double border. Two steps stand out in red, because
they are the story of Figure 8:

- a *ghost commit*: a step that commits an entry of a term older than the
  committing leader's (what §5.4.2 forbids);
- an *overwrite*: a step after which a server no longer holds an entry that
  was committed (the ghost entry being replaced).

It reads only the state records (``currentTerm``, ``state``, ``log``,
``committed``, and ``msgs`` when present), so it draws the atomic model, the
message model, and the records of a TLA+ trace of ``specs/raft`` alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checker.values import Value, format_value, sorted_values

# One fill per term (a colour-blind-safe qualitative palette), cycling after 8.
TERM_COLOURS = ("#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6", "#ffff99", "#fb9a99", "#8dd3c7", "#d9d9d9")
ALARM = "#d62728"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _entries(log: Any) -> tuple[int, ...]:
    return tuple(log)


def ghost_commits(
    before: Mapping[str, Value] | None, after: Mapping[str, Value]
) -> list[tuple[int, int, int]]:
    """Entries committed by this step whose term is older than the committing leader's term."""
    old = before["committed"] if before is not None else frozenset()
    return sorted(c for c in after["committed"] - old if c[1] != c[2])


def overwrites(
    before: Mapping[str, Value] | None, after: Mapping[str, Value]
) -> list[tuple[Value, int, int]]:
    """(server, index, term) of committed entries a server held before this step and not after."""
    if before is None:
        return []
    committed = {(c[0], c[1]) for c in after["committed"]}
    lost = []
    for server in sorted_values(after["log"].keys()):
        old, new = _entries(before["log"][server]), _entries(after["log"][server])
        for k, term in enumerate(old, 1):
            if (k, term) in committed and (len(new) < k or new[k - 1] != term):
                lost.append((server, k, term))
    return lost


def render_raft_dot(trace: Any, index: int) -> str:
    """DOT source of step ``index`` (0 is the initial state) of a Raft trace."""
    steps = trace.steps
    step = steps[index]
    rec = step.record
    before = steps[index - 1].record if index > 0 else None
    servers = sorted_values(rec["log"].keys())
    width = max([len(_entries(rec["log"][s])) for s in servers] + [1])
    committed_pairs = {(c[0], c[1]) for c in rec["committed"]}
    ghosts = ghost_commits(before, rec)
    lost = overwrites(before, rec)
    ghost_cells = {(c[0], c[1]) for c in ghosts}
    newest = max(rec["currentTerm"][s] for s in servers)
    lost_rows = {s for s, _, _ in lost}

    rows = ['<tr><td border="0"></td><td border="0"><i>term</i></td>']
    rows += [f'<td border="0"><i>{k}</i></td>' for k in range(1, width + 1)]
    rows.append("</tr>")
    for server in servers:
        name = _esc(format_value(server))
        role = rec["state"][server]
        leader = role == "Leader"
        head = f"<b>&#9819; {name}</b>" if leader else name
        if leader and rec["currentTerm"][server] < newest:
            head += " <i>(stale)</i>"
        if role not in ("Leader", "Follower"):
            head += f" <i>({_esc(str(role).lower())})</i>"
        side = f' bgcolor="{ALARM}"' if server in lost_rows else (' bgcolor="#fff2b3"' if leader else "")
        border = ' border="3"' if leader else ""
        cells = [f'<td{side}{border} align="left">{head}</td>', f"<td>{rec['currentTerm'][server]}</td>"]
        log = _entries(rec["log"][server])
        for k in range(1, width + 1):
            if k > len(log):
                cells.append('<td border="0"> </td>')
                continue
            term = log[k - 1]
            fill = TERM_COLOURS[(term - 1) % len(TERM_COLOURS)] if term > 0 else "white"
            mark = " &#10003;" if (k, term) in committed_pairs else ""
            style = ' border="3" color="' + ALARM + '"' if (k, term) in ghost_cells else ""
            if not style and mark:
                style = ' border="2"'
            cells.append(f'<td bgcolor="{fill}"{style}>{term}{mark}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")

    label = "Initial predicate" if index == 0 or step.label is None else str(step.label)
    title = [f"State {index + 1}: {_esc(label)}"]
    if ghosts:
        what = ", ".join(f"entry {k} of term {t} committed in term {c}" for k, t, c in ghosts)
        title.append(f'<font color="{ALARM}"><b>ghost commit: {_esc(what)} (§5.4.2 forbids it)</b></font>')
    if lost:
        what = ", ".join(f"{format_value(s)} loses committed entry {k} (term {t})" for s, k, t in lost)
        title.append(f'<font color="{ALARM}"><b>overwrite: {_esc(what)}</b></font>')
    if rec["committed"]:
        listed = ", ".join(f"&lt;&lt;{k}, {t}, {c}&gt;&gt;" for k, t, c in sorted(rec["committed"]))
        title.append(f"committed (index, term, commit term): {listed}")
    if "msgs" in rec:
        title.append(f"{len(rec['msgs'])} message(s) in flight")

    span = width + 2
    table = (
        '<table border="0" cellborder="1" cellspacing="2" cellpadding="6">'
        + f'<tr><td border="0" colspan="{span}" align="left">'
        + '<br align="left"/>'.join(title)
        + '<br align="left"/></td></tr>'
        + "".join(rows)
        + "</table>"
    )
    return (
        "digraph raft {\n"
        '  graph [fontname="Helvetica", bgcolor="white"];\n'
        '  node [shape=plaintext, fontname="Helvetica"];\n'
        f"  state [label=<{table}>];\n"
        "}\n"
    )
