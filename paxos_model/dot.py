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
- at the top, the values chosen so far (a quorum's 2b messages for one value in one ballot), in red
  when there are two.

Messages are placed by the step that first put them in ``msgs`` (the set only grows).
"""

from __future__ import annotations

import dataclasses
import html
import itertools
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from checker.values import Value, format_value, sorted_values

if TYPE_CHECKING:
    from paxos_model.paxos import Paxos

FONT = "Helvetica,Arial,sans-serif"
CHANGED = "#ffe08a"
NEW = "#c0392b"
OLD = "#555555"


def render_dot(model: Paxos | PaxosShape, trace: Any, index: int) -> str:
    steps = trace.steps
    if not 0 <= index < len(steps):
        raise IndexError(f"step {index} of a trace of {len(steps)} states")
    record: Mapping[str, Value] = steps[index].record
    before: Mapping[str, Value] | None = steps[index - 1].record if index > 0 else None
    chosen = _chosen(model, record)
    title = _esc(_title(trace, index))
    for line in explain_step(model, before, record):
        alarm = line.startswith(("RULE BROKEN", "AGREEMENT"))
        for part in textwrap.wrap(line, 80):
            text = _esc(part)
            title += "<BR/>" + (
                f'<FONT COLOR="{NEW}"><B>{text}</B></FONT>'
                if alarm
                else f'<FONT POINT-SIZE="11">{text}</FONT>'
            )
    note = getattr(model, "note", "")
    if note:
        title += f'<BR/><FONT POINT-SIZE="10" COLOR="#555555">{_esc(note)}</FONT>'
    if chosen:
        colour = NEW if len(chosen) > 1 else "#1e7b34"
        verdict = " (two values: Agreement is violated)" if len(chosen) > 1 else ""
        title += f'<BR/><FONT COLOR="{colour}"><B>chosen: {_esc(", ".join(chosen) + verdict)}</B></FONT>'
    lines = [
        "digraph paxos {",
        f'  graph [fontname="{FONT}" nodesep=0.15 ranksep=0.18 labelloc=t label=<{title}>];',
        f'  node [fontname="{FONT}" fontsize=11];',
        f'  edge [fontname="{FONT}" fontsize=10];',
    ]
    lines.append(f"  acceptors [shape=plaintext label=<{_acceptor_table(model, record, before)}>];")

    # Participants, left to right: one leader per ballot, then the acceptors.
    leaders = [f"leader {b}" for b in model.ballots]
    acceptors = [a.name for a in model.acceptors]
    participants = leaders + acceptors
    ids = {p: f"p{i}" for i, p in enumerate(participants)}
    columns = ["step", *participants]
    ids["step"] = "s"

    lines.append("  subgraph heads { rank=same;")
    lines.append('    s_h [shape=plaintext label="step"];')
    for p in participants:
        lines.append(
            f'    {ids[p]}_h [shape=box style="rounded,filled" fillcolor="#dde4f0" width=0.9 label="{_esc(p)}"];'
        )
    lines.append("  }")
    lines.append("  acceptors -> " + ids[participants[0]] + "_h [style=invis];")
    for left, right in zip(columns, columns[1:]):
        lines.append(f"  {ids[left]}_h -> {ids[right]}_h [style=invis];")

    # One row per message, in the order they were sent. A message is drawn as straight
    # segments between neighbouring lifelines, so it never curves around one: an arrow
    # head where it is received, a plain line where it only passes.
    previous = {p: f"{ids[p]}_h" for p in columns}
    rows = [(step, m) for step, messages in _messages_by_step(steps, index) for m in messages]
    for r, (step, m) in enumerate(rows):
        new = step == index
        colour = NEW if new else OLD
        width = 2 if new else 1
        label = steps[step].label
        lines.append(f"  subgraph row{r} {{ rank=same; {' '.join(f'{ids[p]}_{r};' for p in columns)} }}")
        lines.append(
            f'  s_{r} [shape=plaintext fontsize=10 fontcolor="{colour}" '
            f'label="{step + 1}: {_esc(str(label))}"];'
        )
        for p in participants:
            lines.append(f'  {ids[p]}_{r} [shape=point width=0.05 color="{OLD}"];')
        for p in columns:
            # The lifelines: heavy, so that dot keeps them vertical.
            style = "invis" if p == "step" else 'dashed color="#999999"'
            lines.append(f"  {previous[p]} -> {ids[p]}_{r} [style={style} arrowhead=none weight=100];")
            previous[p] = f"{ids[p]}_{r}"
        sender, receivers, text = _route(m, acceptors)
        ends = [participants.index(sender)] + [participants.index(x) for x in receivers]
        lo, hi = min(ends), max(ends)
        left_to_right = participants.index(sender) == lo
        lines.append(f"  s_{r} -> {ids[participants[0]]}_{r} [style=invis];")
        for k in range(len(participants) - 1):
            a, b = participants[k], participants[k + 1]
            if not lo <= k < hi:
                lines.append(f"  {ids[a]}_{r} -> {ids[b]}_{r} [style=invis];")
                continue
            receiver_end = b if left_to_right else a
            arrow = "normal" if receiver_end in receivers else "none"
            attrs = f'color="{colour}" fontcolor="{colour}" penwidth={width}'
            attrs += f" dir=forward arrowhead={arrow}" if left_to_right else f" dir=back arrowtail={arrow}"
            first = (k == lo) if left_to_right else (k == hi - 1)
            if first:
                attrs += f" label=<{_boxed(text)}>"
            lines.append(f"  {ids[a]}_{r} -> {ids[b]}_{r} [{attrs}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


@dataclasses.dataclass(frozen=True, slots=True)
class PaxosShape:
    """What the picture needs of a Paxos model, read off a trace's records instead (for a trace of
    ``specs/paxos``, which comes with no Python model): the acceptors, the ballots and values that
    occur, and the quorums.

    The spec's Quorum constant is not in the trace, so the quorums are read off what the leaders
    did: Phase2a waits for the 1b messages of a quorum, so a 2a message sent when only k
    acceptors had answered its ballot shows that k acceptors make a quorum. The quorums are
    every set of the smallest such k acceptors, or of a majority when no 2a message shows
    fewer (MCPaxos_minority_quorums: single acceptors). ``note`` says which, on the picture."""

    acceptors: tuple[Any, ...]
    ballots: tuple[int, ...]
    values: tuple[Any, ...]
    quorums: tuple[tuple[int, ...], ...]
    note: str = ""

    @classmethod
    def of_trace(cls, trace: Any) -> PaxosShape:
        last = trace.steps[-1].record
        acceptors = tuple(sorted_values(last["maxBal"].keys()))
        ballots: set[int] = set()
        values: set[Any] = set()
        for step in trace.steps:
            rec = step.record
            ballots |= {b for b in rec["maxBal"].values() if b >= 0}
            for m in rec["msgs"]:
                ballots.add(m["bal"])
                values |= {m[f] for f in ("val",) if f in m}
        n = len(acceptors)
        size, evidence = _quorum_size(trace.steps, n)
        quorums = tuple(q for k in range(size, n + 1) for q in itertools.combinations(range(n), k))
        if evidence:
            note = f"Quorums: any {size} of the {n} acceptors (read off this trace: {evidence})."
        else:
            note = f"Quorums: any {size} of the {n} acceptors (a majority; the trace does not carry Quorum)."
        return cls(acceptors, tuple(sorted(ballots)), tuple(sorted_values(values)), quorums, note)


def _quorum_size(steps: Any, n: int) -> tuple[int, str]:
    """The smallest number of 1b answers a 2a message of the trace was sent after, when it is less
    than a majority (with the words that say where), else a majority and no words."""
    size, evidence = n // 2 + 1, ""
    sent: frozenset[Any] = frozenset()
    for step in steps:
        msgs = step.record["msgs"]
        for m in sorted_values(msgs - sent):
            if m["type"] != "2a":
                continue
            answered = sorted_values({x["acc"] for x in sent if x["type"] == "1b" and x["bal"] == m["bal"]})
            if 0 < len(answered) < size:
                size = len(answered)
                evidence = f"ballot {m['bal']}'s leader proposed after the 1b of {_names(answered)} alone"
        sent = msgs
    return size, evidence


def render_spec_dot(trace: Any, index: int) -> str:
    """``--view paxos``: the picture of a ``specs/paxos`` trace, its shape read off the records."""
    return render_dot(PaxosShape.of_trace(trace), trace, index)


def _title(trace: Any, index: int) -> str:
    label = trace.steps[index].label
    title = f"State {index + 1}: " + ("Initial predicate" if label is None else str(label))
    loop = getattr(trace, "loop", None)
    if loop is not None and index == len(trace.steps) - 1:
        # A liveness counterexample: what the behaviour does for ever after this step.
        closing = getattr(trace, "loop_label", None)
        title += (
            " (then nothing happens, for ever)"
            if closing is None
            else f" (then {closing} back to state {loop + 1}, round and round, for ever)"
        )
    return title


def _acceptor_table(
    model: Paxos | PaxosShape, record: Mapping[str, Value], before: Mapping[str, Value] | None
) -> str:
    head = "".join(
        f'<TD BGCOLOR="#dde4f0"><B>{h}</B></TD>' for h in ("acceptor", "maxBal", "maxVBal", "maxVal")
    )
    rows = [f"<TR>{head}</TR>"]
    for a in model.acceptors:
        cells = [f"<TD><B>{_esc(a.name)}</B></TD>"]
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


def _chosen(model: Paxos | PaxosShape, record: Mapping[str, Value]) -> list[str]:
    votes = {(m["acc"], m["bal"], m["val"]) for m in record["msgs"] if m["type"] == "2b"}
    chosen = set()
    for v in model.values:
        for b in model.ballots:
            for q in model.quorums:
                if all((model.acceptors[a], b, v) in votes for a in q):
                    chosen.add(v)
    return [format_value(v) for v in sorted_values(chosen)]


def explain_step(
    model: Paxos | PaxosShape, before: Mapping[str, Value] | None, record: Mapping[str, Value]
) -> list[str]:
    """What the step did, in words, and which rule of Paxos it broke, if any (read off the records)."""
    if before is None:
        return ["The initial state: no acceptor has promised or voted; no message sent."]
    out = []
    msgs = record["msgs"]
    for m in sorted_values(msgs - before["msgs"]):
        b = m["bal"]
        if m["type"] == "1a":
            out.append(
                f"Leader {b} starts ballot {b}: it asks the acceptors to promise ignoring lower ballots."
            )
        elif m["type"] == "1b":
            a = format_value(m["acc"])
            vote = (
                "no vote"
                if m["mbal"] < 0
                else f"its vote for {format_value(m['mval'])} in ballot {m['mbal']}"
            )
            out.append(f"{a} promises ballot {b} and reports {vote}.")
        elif m["type"] == "2a":
            out += _explain_2a(model, before, m)
        else:
            a = format_value(m["acc"])
            promised = before["maxBal"][m["acc"]]
            out.append(f"{a} votes for {format_value(m['val'])} in ballot {b}.")
            if promised > b:
                out.append(
                    f"RULE BROKEN: {a} had promised ballot {promised} and must not vote in the lower ballot {b}."
                )
    old, new = set(_chosen(model, before)), _chosen(model, record)
    by = _chosen_by(model, record)
    for v in new:
        if v not in old:
            b, members = by[v]
            out.append(f"{v} is now chosen: the quorum {_names(members)} voted for it in ballot {b}.")
    if len(new) > 1 and len(old) <= 1:
        quorums = [set(by[v][1]) for v in new]
        shared = set.intersection(*quorums)
        why = (
            f"; the quorums {' and '.join(_names(sorted_values(q)) for q in quorums)} share no acceptor"
            if not shared
            else ""
        )
        out.append(f"AGREEMENT VIOLATED: two different values are chosen ({', '.join(new)}){why}.")
    return out or ["No message sent; no variable of the acceptors changed."]


def _explain_2a(model: Paxos | PaxosShape, before: Mapping[str, Value], m: Any) -> list[str]:
    """A proposal, and whether it is one that the 1b messages of some quorum allow."""
    b, v = m["bal"], m["val"]
    out = [f"Leader {b} proposes {format_value(v)} in ballot {b}."]
    others = [x for x in before["msgs"] if x["type"] == "2a" and x["bal"] == b and x["val"] != v]
    if others:
        return [
            *out,
            f"RULE BROKEN: ballot {b} already has a proposal ({format_value(others[0]['val'])}); "
            "one ballot, one value.",
        ]
    reports = {x["acc"]: x for x in before["msgs"] if x["type"] == "1b" and x["bal"] == b}
    must: set[str] = set()
    for q in model.quorums:
        members = [model.acceptors[a] for a in q]
        if not all(a in reports for a in members):
            continue
        top = max((reports[a] for a in members), key=lambda x: x["mbal"])
        if top["mbal"] < 0:
            return [
                *out,
                f"Allowed: the quorum {_names(members)} reported no vote, so any value may be proposed.",
            ]
        if top["mval"] == v:
            return [
                *out,
                f"Allowed: the highest vote the quorum {_names(members)} reported is for "
                f"{format_value(v)} (ballot {top['mbal']}).",
            ]
        must.add(f"{format_value(top['mval'])} (ballot {top['mbal']}, reported by {_names(members)})")
    if must:
        return [
            *out,
            f"RULE BROKEN: the leader must propose the value of the highest vote its quorum "
            f"reported: {', '.join(sorted(must))}.",
        ]
    return [*out, f"RULE BROKEN: no quorum has promised ballot {b} yet."]


def _names(acceptors: list[Any]) -> str:
    return "{" + ", ".join(format_value(a) for a in acceptors) + "}"


def _chosen_by(model: Paxos | PaxosShape, record: Mapping[str, Value]) -> dict[str, tuple[int, list[Any]]]:
    """Per chosen value (as text), the first ballot and quorum that chose it."""
    votes = {(m["acc"], m["bal"], m["val"]) for m in record["msgs"] if m["type"] == "2b"}
    out: dict[str, tuple[int, list[Any]]] = {}
    for v in model.values:
        for b in model.ballots:
            for q in model.quorums:
                members = [model.acceptors[a] for a in q]
                if format_value(v) not in out and all((a, b, v) in votes for a in members):
                    out[format_value(v)] = (b, members)
    return out


def _boxed(text: str) -> str:
    """An HTML-like edge label on a white box, so that it stays readable over the arrows."""
    return f'<TABLE BORDER="0" CELLPADDING="1" BGCOLOR="white"><TR><TD>{_esc(text)}</TD></TR></TABLE>'


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
