"""Paxos's domain view of one step of a trace: acceptors and a message-sequence diagram, as DOT.

``render_dot(model, trace, index)`` is the body of ``Paxos.render_dot`` (the optional
hook of checker/model.py that checker/views embeds in HTML pages and pictures). It is a
pure function of the trace's records (``maxBal``, ``maxVBal``, ``maxVal``, ``msgs``
as TLA+ values), so it draws a trace of the TLA+ twin just as well.

The picture, top to bottom:

- a table of the acceptors: promise (``maxBal``) and last vote (``maxVBal``,
  ``maxVal``), the cells that step ``index`` changed filled in yellow;
- a sequence diagram of every message sent up to that step, one row per step: a
  lifeline for the leader of each ballot and one per acceptor; a 1a or 2a message is
  an arrow from the ballot's leader to every acceptor, a 1b or 2b an arrow from its
  acceptor back to the leader of its ballot. The messages of step ``index`` are red;
- the values chosen so far (a quorum's 2b messages for one value in one ballot), in red
  when there are two.

Messages are placed by the step that first put them in ``msgs`` (the set only grows).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from checker.values import Value, format_value, sorted_values

if TYPE_CHECKING:
    from paxos_model.paxos import Paxos

FONT = "Helvetica,Arial,sans-serif"
CHANGED = "#ffe08a"
NEW = "#c0392b"
OLD = "#555555"


def render_dot(model: Paxos, trace: Any, index: int) -> str:
    steps = trace.steps
    if not 0 <= index < len(steps):
        raise IndexError(f"step {index} of a trace of {len(steps)} states")
    record: Mapping[str, Value] = steps[index].record
    before: Mapping[str, Value] | None = steps[index - 1].record if index > 0 else None
    lines = [
        "digraph paxos {",
        f'  graph [fontname="{FONT}" nodesep=0.5 ranksep=0.25 labelloc=t '
        f"label=<{_esc(_title(trace, index))}>];",
        f'  node [fontname="{FONT}" fontsize=11];',
        f'  edge [fontname="{FONT}" fontsize=10];',
    ]
    lines.append(f"  acceptors [shape=plaintext label=<{_acceptor_table(model, record, before)}>];")

    # Participants: one leader per ballot, then the acceptors.
    ballots = list(model.ballots)
    leaders = [f"leader {b}" for b in ballots]
    acceptors = [a.name for a in model.acceptors]
    participants = leaders + acceptors
    ids = {p: f"p{i}" for i, p in enumerate(participants)}
    ids["step"] = "s"

    rows = _messages_by_step(steps, index)
    lines.append("  subgraph heads { rank=same;")
    lines.append('    s_h [shape=plaintext label="step"];')
    for p in participants:
        lines.append(f'    {ids[p]}_h [shape=box style="rounded,filled" fillcolor="#dde4f0" label="{p}"];')
    lines.append("  }")
    lines.append("  acceptors -> " + ids[participants[0]] + "_h [style=invis];")
    columns = ["step", *participants]
    for left, right in zip(columns, columns[1:]):
        lines.append(f"  {ids[left]}_h -> {ids[right]}_h [style=invis];")

    previous = {p: f"{ids[p]}_h" for p in participants}
    for r, (step, messages) in enumerate(rows):
        new = step == index
        points = " ".join(f"{ids[p]}_{r};" for p in columns)
        lines.append(f"  subgraph row{r} {{ rank=same; {points} }}")
        label = steps[step].label
        lines.append(
            f'  s_{r} [shape=plaintext fontcolor="{NEW if new else OLD}" label="{step + 1}: {_esc(str(label))}"];'
        )
        lines.append(f"  s_h -> s_{r} [style=invis];" if r == 0 else f"  s_{r - 1} -> s_{r} [style=invis];")
        for p in participants:
            lines.append(f'  {ids[p]}_{r} [shape=point width=0.04 color="{OLD}"];')
            lines.append(f'  {previous[p]} -> {ids[p]}_{r} [style=dashed arrowhead=none color="#999999"];')
            previous[p] = f"{ids[p]}_{r}"
        colour = NEW if new else OLD
        width = 2 if new else 1
        for m in messages:
            sender, receivers, text = _route(m, acceptors)
            for k, receiver in enumerate(receivers):
                label = f" label=<{_boxed(text)}>" if k == 0 else ""
                lines.append(
                    f"  {ids[sender]}_{r} -> {ids[receiver]}_{r} [constraint=false "
                    f'color="{colour}" fontcolor="{colour}" penwidth={width}{label}];'
                )
    chosen = _chosen(model, record)
    if chosen:
        colour = NEW if len(chosen) > 1 else "#1e7b34"
        text = "chosen: " + ", ".join(chosen)
        last = previous[participants[0]]
        lines.append(f'  chosen [shape=note color="{colour}" fontcolor="{colour}" label="{_esc(text)}"];')
        lines.append(f"  {last} -> chosen [style=invis];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _title(trace: Any, index: int) -> str:
    label = trace.steps[index].label
    return f"State {index + 1}: " + ("Initial predicate" if label is None else str(label))


def _acceptor_table(model: Paxos, record: Mapping[str, Value], before: Mapping[str, Value] | None) -> str:
    head = "".join(
        f'<TD BGCOLOR="#dde4f0"><B>{h}</B></TD>' for h in ("acceptor", "maxBal", "maxVBal", "maxVal")
    )
    rows = [f"<TR>{head}</TR>"]
    for a in model.acceptors:
        cells = [f"<TD><B>{a.name}</B></TD>"]
        for var in ("maxBal", "maxVBal", "maxVal"):
            value = record[var][a]
            changed = before is not None and before[var][a] != value
            fill = f' BGCOLOR="{CHANGED}"' if changed else ""
            cells.append(f"<TD{fill}>{_esc(format_value(value))}</TD>")
        rows.append("<TR>" + "".join(cells) + "</TR>")
    return '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">' + "".join(rows) + "</TABLE>"


def _messages_by_step(steps: Any, index: int) -> list[tuple[int, list[Any]]]:
    """(step, messages first sent at that step) for every step up to ``index`` that sent one."""
    rows = []
    sent: frozenset[Any] = frozenset()
    for i in range(index + 1):
        msgs = steps[i].record["msgs"]
        new = msgs - sent
        if new:
            rows.append((i, sorted_values(new)))
        sent = msgs
    return rows


def _route(m: Any, acceptors: list[str]) -> tuple[str, list[str], str]:
    """(sender, receivers, label) of a message record: 1a and 2a go to every acceptor."""
    kind = m["type"]
    leader = f"leader {m['bal']}"
    if kind == "1a":
        return leader, acceptors, f"1a({m['bal']})"
    if kind == "2a":
        return leader, acceptors, f"2a({m['bal']}, {format_value(m['val'])})"
    acc = m["acc"].name
    if kind == "1b":
        return acc, [leader], f"1b({m['bal']}, {m['mbal']}, {format_value(m['mval'])})"
    return acc, [leader], f"2b({m['bal']}, {format_value(m['val'])})"


def _chosen(model: Paxos, record: Mapping[str, Value]) -> list[str]:
    votes = {(m["acc"], m["bal"], m["val"]) for m in record["msgs"] if m["type"] == "2b"}
    chosen = set()
    for v in model.values:
        for b in model.ballots:
            for q in model.quorums:
                if all((model.acceptors[a], b, v) in votes for a in q):
                    chosen.add(v)
    return [format_value(v) for v in sorted_values(chosen)]


def _boxed(text: str) -> str:
    """An HTML-like edge label on a white box, so that it stays readable over the arrows."""
    return f'<TABLE BORDER="0" CELLPADDING="1" BGCOLOR="white"><TR><TD>{_esc(text)}</TD></TR></TABLE>'


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
