"""Raft's domain view: one step of a trace drawn as the paper draws logs (Figure 8).

This module owns :func:`render_raft_dot`, the ``render_dot(trace, index)`` hook
of both Raft models (see ``checker/model.py``) and of ``specs/raft`` traces
(``--view raft``): a pure function from a trace and a step number to the DOT
source of a ``digraph``, which ``checker/views`` lays out into the HTML page
and the per-step pictures.

The picture, top to bottom, always as wide as every other step of the same
trace (so that a page stepping through it does not jump):

- the step: its number and action, and what it did in words (who changed term
  or role, which entries were appended, dropped or committed). When a server
  becomes leader, *why it won*: its last log term against each voter's
  (§5.4.1: the term of the last entry first, then the length);
- the logs: a row per server with its current term, then one box per entry
  under its log index, showing the entry's *term* and filled with that term's
  colour, and the last entry's term (what an election compares). The leader is
  marked with a crown; what this step changed is yellow (a name, a term) or
  framed in orange (an entry); an entry this step removed is drawn struck out;
- commitment: the committed entries, and the ones a leader holds on a majority
  but may not commit yet because they are of an older term (§5.4.2: they wait for
  an entry of the leader's term); a committed entry has a check and a double border; an entry
  committed by a *ghost commit* (an older term's entry, counted by replicas,
  which §5.4.2 forbids) keeps a red frame and the word "ghost" at every later
  step; an entry that sits where a different entry was committed says so in red;
- the four safety properties of Figure 3 evaluated on this state, each held or,
  in red, violated with the entries that violate it (and those boxes framed red);
- a legend.

It reads only the state records (``currentTerm``, ``state``, ``log``,
``committed``, and ``msgs`` when present), so it draws the atomic model, the
message model, and the records of a TLA+ trace of ``specs/raft`` alike. Every
string from the trace is escaped for DOT's HTML-like labels.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from checker.values import Value, format_value, sorted_values

# One fill per term (a colour-blind-safe qualitative palette), cycling after 8.
TERM_COLOURS = ("#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6", "#ffff99", "#fb9a99", "#8dd3c7", "#d9d9d9")
ALARM = "#d62728"
CHANGED = "#ffe08a"  # as in checker/views (a changed cell)
CHANGED_FRAME = "#e08a00"
FONT = "Helvetica,Arial,sans-serif"

# Column widths in points; the text rows are wrapped to the table's width.
NAME_W, TERM_W, ENTRY_W, LAST_W = 110, 52, 96, 84
MIN_WIDTH = 620
ROW_H = 50
CHAR_W = 6.6  # a wide average Helvetica character at 11 points, to wrap text rows

Record = Mapping[str, Value]
Entry = tuple[int, int, int]  # <<index, term, commit term>>


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _entries(log: Any) -> tuple[int, ...]:
    return tuple(log)


def _name(server: Value) -> str:
    return format_value(server)


def _last_term(log: Sequence[int]) -> int:
    return log[-1] if log else 0


# -- what a step did ------------------------------------------------------------


def ghost_commits(before: Record | None, after: Record) -> list[Entry]:
    """Entries committed by this step whose term is older than the committing leader's term."""
    old = before["committed"] if before is not None else frozenset()
    return sorted(c for c in after["committed"] - old if c[1] != c[2])


def indirect_commits(trace: Any, index: int) -> dict[tuple[int, int], tuple[int, int]]:
    """The entries committed *indirectly* up to step ``index``: (index, term) -> (commit term, the
    index of the entry whose commit took it along). Committing entry k commits every entry
    before it in the leader's log too (§5.4.2, by Log Matching); ``committed`` records only
    entry k, so the picture derives the others from the trace: the committing leader's log
    at the step of the commit. (Why the model records no more: tests/raft_model/test_indirect.py.)"""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    steps = trace.steps
    for i in range(1, index + 1):
        before, rec = steps[i - 1].record, steps[i].record
        direct = {(c[0], c[1]) for c in rec["committed"]}
        for k, t, c in sorted(rec["committed"] - before["committed"]):
            for s in sorted_values(rec["log"].keys()):
                log = _entries(rec["log"][s])
                leads = str(rec["state"][s]) == "Leader" and rec["currentTerm"][s] == c
                if leads and len(log) >= k and log[k - 1] == t:
                    for j in range(1, k):
                        if (j, log[j - 1]) not in direct:
                            out.setdefault((j, log[j - 1]), (c, k))
                    break
    return out


def ghost_entries(rec: Record) -> list[Entry]:
    """Every entry ever committed by a ghost commit (an entry of an older term than the commit's)."""
    return sorted(c for c in rec["committed"] if c[1] != c[2])


def overwrites(before: Record | None, after: Record) -> list[tuple[Value, int, int]]:
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


def explain_step(
    before: Record | None, rec: Record, indirect: dict[tuple[int, int], tuple[int, int]] | None = None
) -> list[str]:
    """What the step did, in sentences, read off the two records (any Raft encoding); ``indirect``:
    the indirect commits so far (see :func:`indirect_commits`), to tell which this step made."""
    if before is None:
        return ["The initial state."]
    servers = sorted_values(rec["log"].keys())
    out: list[str] = []
    # Terms in which this step made a leader: who else moved to such a term voted for it
    # (the atomic model's BecomeLeader moves its whole quorum).
    elected = {
        rec["currentTerm"][s]
        for s in servers
        if str(rec["state"][s]) == "Leader"
        and (str(before["state"][s]) != "Leader" or before["currentTerm"][s] != rec["currentTerm"][s])
    }
    for s in servers:
        name = _name(s)
        t0, t1 = before["currentTerm"][s], rec["currentTerm"][s]
        voter = " (a voter of the election)" if t1 in elected and t1 != t0 else ""
        r0, r1 = str(before["state"][s]), str(rec["state"][s])
        if r1 == "Leader" and (r0 != "Leader" or t0 != t1):
            out.append(f"{name} becomes leader of term {t1}. {_why_won(rec, s)}")
        elif t1 != t0 and r1 != r0:
            out.append(f"{name} moves to term {t1} and becomes {r1.lower()} (was {r0.lower()}){voter}.")
        elif t1 != t0:
            out.append(f"{name} moves from term {t0} to term {t1}{voter}.")
        elif r1 != r0:
            out.append(f"{name} becomes {r1.lower()} (was {r0.lower()}).")
    for s in servers:
        name = _name(s)
        old, new = _entries(before["log"][s]), _entries(rec["log"][s])
        common = 0
        while common < min(len(old), len(new)) and old[common] == new[common]:
            common += 1
        for k in range(common + 1, len(old) + 1):
            out.append(
                f"{name} drops its entry {k} (term {old[k - 1]}), which conflicts with the leader's log."
            )
        for k in range(common + 1, len(new) + 1):
            out.append(f"{name} stores entry {k} of term {new[k - 1]}.")
    for k, t, c in sorted(rec["committed"] - before["committed"]):
        if t == c:
            out.append(f"Entry {k} (term {t}) is committed in term {c}: a majority holds it.")
        else:
            out.append(
                f"GHOST COMMIT: entry {k} of term {t} is committed in term {c} because a majority holds it. "
                f"It is not of the leader's term, so a later leader need not have it (§5.4.2 forbids this)."
            )
        for (j, tj), took in sorted((indirect or {}).items()):
            if took == (c, k):
                out.append(
                    f"Entry {j} (term {tj}) is committed with it, indirectly: it precedes entry {k} "
                    f"in the leader's log, and a log holding entry {k} holds the same entries before it "
                    f"(Log Matching). The variable committed records entry {k} only; the picture derives entry {j}."
                )
    for s, k, t in overwrites(before, rec):
        out.append(f"OVERWRITE: {_name(s)} loses entry {k} (term {t}), which was committed (Figure 8(d)).")
    if "msgs" in rec:
        sent, gone = len(rec["msgs"] - before["msgs"]), len(before["msgs"] - rec["msgs"])
        if sent or gone:
            out.append(f"Messages: {sent} sent, {gone} received ({len(rec['msgs'])} in flight).")
    return out or ["Nothing visible changed (a stuttering step)."]


def _why_won(rec: Record, leader: Value) -> str:
    """Why ``leader``'s log won the election: its last entry against every other server's."""
    log = _entries(rec["log"][leader])
    mine = (_last_term(log), len(log))
    parts = []
    for s in sorted_values(rec["log"].keys()):
        if s == leader or rec["currentTerm"][s] != rec["currentTerm"][leader]:
            continue  # only servers in the new term can have voted in this election
        other = _entries(rec["log"][s])
        theirs = (_last_term(other), len(other))
        if theirs[0] < mine[0]:
            why = f"last term {mine[0]} > {_name(s)}'s {theirs[0]}"
        elif theirs[0] == mine[0]:
            why = f"same last term {mine[0]} as {_name(s)}, log length {mine[1]} >= {theirs[1]}"
        else:
            why = f"{_name(s)} has a newer last term {theirs[0]} (it did not vote)"
        parts.append(why)
    if not parts:
        return f"Its last log term is {mine[0]}."
    return "It wins because its log is at least as up-to-date (§5.4.1): " + "; ".join(parts) + "."


# -- the safety properties, with the entries that break them --------------------


def violations(rec: Record) -> dict[str, list[str]]:
    """The four properties of Figure 3 on this state: name -> why violated ([] when it holds)."""
    servers = sorted_values(rec["log"].keys())
    logs = {s: _entries(rec["log"][s]) for s in servers}
    leaders = [s for s in servers if rec["state"][s] == "Leader"]
    out: dict[str, list[str]] = {
        "ElectionSafety": [],
        "LogMatching": [],
        "LeaderCompleteness": [],
        "StateMachineSafety": [],
    }
    for i, a in enumerate(leaders):
        for b in leaders[i + 1 :]:
            if rec["currentTerm"][a] == rec["currentTerm"][b]:
                out["ElectionSafety"].append(
                    f"{_name(a)} and {_name(b)} both lead term {rec['currentTerm'][a]}"
                )
    for i, a in enumerate(servers):
        for b in servers[i + 1 :]:
            la, lb = logs[a], logs[b]
            for k in range(min(len(la), len(lb))):
                if la[k] == lb[k] and la[:k] != lb[:k]:
                    out["LogMatching"].append(
                        f"{_name(a)} and {_name(b)} agree on entry {k + 1} but not before it"
                    )
                    break
    for k, t, c in sorted(rec["committed"]):
        for s in leaders:
            log = logs[s]
            if rec["currentTerm"][s] > c and (len(log) < k or log[k - 1] != t):
                has = f"holds term {log[k - 1]} there" if len(log) >= k else "has no entry there"
                out["LeaderCompleteness"].append(
                    f"leader {_name(s)} (term {rec['currentTerm'][s]}) lacks entry {k} of term {t}, "
                    f"committed in term {c} (<<{k}, {t}, {c}>>); it {has}"
                )
    committed = sorted(rec["committed"])
    for i, (k, t, c) in enumerate(committed):
        for k2, t2, c2 in committed[i + 1 :]:
            if k == k2 and t != t2:
                out["StateMachineSafety"].append(
                    f"two different entries committed at index {k}: <<{k}, {t}, {c}>> and <<{k2}, {t2}, {c2}>>"
                )
    return out


def _violating_cells(rec: Record) -> set[tuple[Value, int]]:
    """(server, index) of the boxes that take part in a violation, to frame them red."""
    cells: set[tuple[Value, int]] = set()
    servers = sorted_values(rec["log"].keys())
    for k, t, c in rec["committed"]:
        for s in servers:
            log = _entries(rec["log"][s])
            leader = rec["state"][s] == "Leader" and rec["currentTerm"][s] > c
            if leader and (len(log) < k or log[k - 1] != t):
                cells.add((s, k))
    by_index: dict[int, set[int]] = {}
    for k, t, _ in rec["committed"]:
        by_index.setdefault(k, set()).add(t)
    for k, terms in by_index.items():
        if len(terms) > 1:
            for s in servers:
                log = _entries(rec["log"][s])
                if len(log) >= k and log[k - 1] in terms:
                    cells.add((s, k))
    return cells


# -- the picture ---------------------------------------------------------------


def _log_width(trace: Any) -> int:
    """The longest log anywhere in the trace (at least 1): every step gets that many columns."""
    return max([len(_entries(log)) for step in trace.steps for log in step.record["log"].values()] + [1])


def _wrap(lines: list[str], chars: int) -> list[str]:
    """Wrap each sentence; a wrapped alarm sentence (a violation, a ghost commit, an
    overwrite) keeps a leading "!" on each of its lines, so that all of them are drawn red."""
    out = []
    for line in lines:
        alarm = "VIOLATED" in line or line.startswith(("GHOST COMMIT", "OVERWRITE"))
        out += [("!" if alarm else "") + part for part in textwrap.wrap(line, chars) or [""]]
    return out


def _commit_line(rec: Record, indirect: dict[tuple[int, int], tuple[int, int]]) -> list[str]:
    listed = []
    for k, t, c in sorted(rec["committed"]):
        item = f"<<{k}, {t}, {c}>>"
        if t != c:
            item += f" (ghost: term {t} committed in term {c})"
        listed.append(item)
    lines = ["committed <<index, term, commit term>>: " + (", ".join(listed) or "none yet")]
    if indirect:
        with_ = [
            f"entry {j} (term {t}) in term {c}, with entry {k}" for (j, t), (c, k) in sorted(indirect.items())
        ]
        lines.append(
            "Also committed indirectly (derived by the picture, not in the variable): "
            + "; ".join(with_)
            + "."
        )
    return lines


def waiting_entries(rec: Record, indirect: dict[tuple[int, int], tuple[int, int]] | None = None) -> list[str]:
    """Entries a leader holds on a majority but may not commit yet: they are of an older term than
    its own, and §5.4.2 commits them only with an entry of its term (what the ghost commit skips)."""
    servers = sorted_values(rec["log"].keys())
    logs = {s: _entries(rec["log"][s]) for s in servers}
    done = {(k, t) for k, t, _ in rec["committed"]} | set(indirect or {})
    out = []
    for leader in servers:
        term = rec["currentTerm"][leader]
        if str(rec["state"][leader]) != "Leader":
            continue
        for k, t in enumerate(logs[leader], 1):
            holders = [s for s in servers if len(logs[s]) >= k and logs[s][k - 1] == t]
            if t < term and (k, t) not in done and 2 * len(holders) > len(servers):
                names = ", ".join(_name(s) for s in holders)
                out.append(
                    f"Not committable yet: entry {k} (term {t}) is on a majority ({{{names}}}), but "
                    f"{_name(leader)} leads term {term}; §5.4.2 commits it only with an entry of term {term}."
                )
    return out


def _text_rows(trace: Any, index: int, chars: int) -> list[list[str]]:
    """The wrapped lines of step ``index``: what happened, what is committed, the properties;
    each block padded to the trace's longest, so that every step has the same height."""

    def blocks(i: int) -> list[list[str]]:
        rec = trace.steps[i].record
        before = trace.steps[i - 1].record if i > 0 else None
        broken = violations(rec)
        props = []
        for name, why in broken.items():
            props += [f"{name} VIOLATED: {w}." for w in why]
        if not props:
            props = ["All four hold: " + ", ".join(broken) + "."]
        indirect = indirect_commits(trace, i)
        story = explain_step(before, rec, indirect)
        if i == 0 and trace.steps[0].label is not None:
            story = [
                "Not an initial state, so it may not be reachable: the trace only shows one step from it."
            ]
        return [
            _wrap(story, chars),
            _wrap([*_commit_line(rec, indirect), *waiting_entries(rec, indirect)], chars),
            _wrap(props, chars),
        ]

    mine = blocks(index)
    tallest = [len(b) for b in mine]
    for i in range(len(trace.steps)):
        if i != index:
            tallest = [max(t, len(b)) for t, b in zip(tallest, blocks(i))]
    return [b + [""] * (t - len(b)) for b, t in zip(mine, tallest)]


def _text_cell(lines: list[str], span: int, width: int, colour: str = "#222222", size: int = 11) -> str:
    """A row of wrapped text across the table, of a fixed size (so every step has the same)."""
    parts = []
    for line in lines:
        alarm = line.startswith("!")
        text = _esc(line.removeprefix("!")) if line else " "
        if alarm:
            text = f'<FONT COLOR="{ALARM}"><B>{text}</B></FONT>'
        parts.append(text + '<BR ALIGN="LEFT"/>')
    return (
        f'<TR><TD COLSPAN="{span}" BORDER="0" ALIGN="LEFT" BALIGN="LEFT" WIDTH="{width}" '
        f'HEIGHT="{len(lines) * (size + 4) + 8}" FIXEDSIZE="TRUE">'
        f'<FONT POINT-SIZE="{size}" COLOR="{colour}">{"".join(parts)}</FONT></TD></TR>'
    )


def render_raft_dot(trace: Any, index: int) -> str:
    """DOT source of step ``index`` (0 is the initial state) of a Raft trace."""
    steps = trace.steps
    if not 0 <= index < len(steps):
        raise IndexError(f"step {index} of a trace of {len(steps)} states")
    rec = steps[index].record
    before = steps[index - 1].record if index > 0 else None
    servers = sorted_values(rec["log"].keys())
    width = _log_width(trace)
    # Narrow traces get a blank column on the right, so the text rows have room.
    pad = max(0, MIN_WIDTH - NAME_W - TERM_W - width * ENTRY_W - LAST_W)
    total = NAME_W + TERM_W + width * ENTRY_W + LAST_W + pad
    chars = int(total / CHAR_W)
    span = width + 3 + (pad > 0)
    spacer = f'<TD BORDER="0" WIDTH="{pad}" HEIGHT="26" FIXEDSIZE="TRUE"> </TD>' if pad else ""

    committed = {(c[0], c[1]) for c in rec["committed"]}
    ghosts = {(c[0], c[1]): c[2] for c in ghost_entries(rec)}
    committed_at: dict[int, set[int]] = {}
    for k, t, _ in rec["committed"]:
        committed_at.setdefault(k, set()).add(t)
    bad_cells = _violating_cells(rec)
    newest = max(rec["currentTerm"][s] for s in servers)
    lost = {(s, k): t for s, k, t in overwrites(before, rec)}
    indirect = indirect_commits(trace, index)

    # A counterexample to induction labels its first state (not an initial one): keep that label.
    label = "Initial predicate" if steps[index].label is None else str(steps[index].label)
    story, commits, props = _text_rows(trace, index, chars)
    rows = [
        f'<TR><TD COLSPAN="{span}" BORDER="0" ALIGN="LEFT"><FONT POINT-SIZE="14">'
        f"<B>State {index + 1} of {len(steps)}: {_esc(label)}</B></FONT></TD></TR>",
        _text_cell(story, span, total),
    ]
    head = (
        f'<TD BORDER="0" WIDTH="{NAME_W}" HEIGHT="26" FIXEDSIZE="TRUE" ALIGN="LEFT"><I>server</I></TD>'
        f'<TD BORDER="0" WIDTH="{TERM_W}" HEIGHT="26" FIXEDSIZE="TRUE"><I>term</I></TD>'
    )
    head += "".join(
        f'<TD BORDER="0" WIDTH="{ENTRY_W}" HEIGHT="26" FIXEDSIZE="TRUE"><I>index {k}</I></TD>'
        for k in range(1, width + 1)
    )
    head += f'<TD BORDER="0" WIDTH="{LAST_W}" HEIGHT="26" FIXEDSIZE="TRUE"><I>last log term</I></TD>' + spacer
    rows.append(f"<TR>{head}</TR>")

    for s in servers:
        role = str(rec["state"][s])
        term = rec["currentTerm"][s]
        leader = role == "Leader"
        name = _esc(_name(s))
        text = f"<B>&#9819; {name}</B>" if leader else name
        if leader and term < newest:
            text += " <I>(stale)</I>"
        text += f'<BR ALIGN="LEFT"/><FONT POINT-SIZE="9">{_esc(role.lower())}</FONT><BR ALIGN="LEFT"/>'
        role_changed = before is not None and str(before["state"][s]) != role
        term_changed = before is not None and before["currentTerm"][s] != term
        fill = f' BGCOLOR="{CHANGED}"' if role_changed else ""
        border = ' BORDER="3"' if leader else ""
        cells = [
            f'<TD{fill}{border} WIDTH="{NAME_W}" HEIGHT="{ROW_H}" FIXEDSIZE="TRUE" ALIGN="LEFT">{text}</TD>',
            f'<TD{f" BGCOLOR={chr(34)}{CHANGED}{chr(34)}" if term_changed else ""} WIDTH="{TERM_W}" '
            f'HEIGHT="{ROW_H}" FIXEDSIZE="TRUE">{term}</TD>',
        ]
        log = _entries(rec["log"][s])
        old = _entries(before["log"][s]) if before is not None else None
        for k in range(1, width + 1):
            cells.append(
                _entry_cell(s, k, log, old, committed, ghosts, committed_at, bad_cells, lost, indirect)
            )
        last = _last_term(log)
        cells.append(
            f'<TD WIDTH="{LAST_W}" HEIGHT="{ROW_H}" FIXEDSIZE="TRUE">{last if log else "0 (empty)"}</TD>{spacer}'
        )
        rows.append("<TR>" + "".join(cells) + "</TR>")

    rows.append(_text_cell(commits, span, total))
    rows.append(
        f'<TR><TD COLSPAN="{span}" BORDER="0" ALIGN="LEFT"><B>Safety properties (Figure 3) in this state</B></TD></TR>'
    )
    rows.append(_text_cell(props, span, total))
    legend = (
        "Legend: a box is a log entry under its index; the number in it is the entry's term (colour = "
        "term). ♛ leader. Yellow: changed by this step; orange frame: an entry this step stored; "
        "struck out: an entry this step removed. ✓ and a double border: committed ('✓ with entry k': "
        "committed indirectly, with the entry at index k). Red frame and "
        "'ghost': committed by a ghost commit. Red box: an entry that breaks a safety property."
    )
    rows.append(_text_cell(_wrap([legend], int(chars * 11 / 9)), span, total, colour="#555555", size=9))
    table = '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="2" CELLPADDING="4">' + "".join(rows) + "</TABLE>"
    return (
        "digraph raft {\n"
        f'  graph [fontname="{FONT}", bgcolor="white", margin="0.1"];\n'
        f'  node [shape=plaintext, fontname="{FONT}", fontsize="12"];\n'
        f"  state [label=<{table}>];\n"
        "}\n"
    )


def _entry_cell(
    server: Value,
    k: int,
    log: tuple[int, ...],
    old: tuple[int, ...] | None,
    committed: set[tuple[int, int]],
    ghosts: dict[tuple[int, int], int],
    committed_at: dict[int, set[int]],
    bad_cells: set[tuple[Value, int]],
    lost: dict[tuple[Value, int], int],
    indirect: dict[tuple[int, int], tuple[int, int]],
) -> str:
    size = f'WIDTH="{ENTRY_W}" HEIGHT="{ROW_H}" FIXEDSIZE="TRUE"'
    removed = old is not None and len(old) >= k and (len(log) < k or log[k - 1] != old[k - 1])
    if k > len(log):
        if removed and old is not None:
            colour = ALARM if (server, k) in lost else "#777777"
            return (
                f'<TD {size} STYLE="dashed" COLOR="{colour}"><FONT COLOR="{colour}"><S>{old[k - 1]}</S>'
                f'<BR/><FONT POINT-SIZE="8">removed</FONT></FONT></TD>'
            )
        return f'<TD {size} BORDER="0"> </TD>'
    term = log[k - 1]
    fill = TERM_COLOURS[(term - 1) % len(TERM_COLOURS)] if term > 0 else "white"
    notes = []
    attrs = ""
    if (k, term) in ghosts:
        notes.append(f'<FONT COLOR="{ALARM}" POINT-SIZE="8"><B>&#10003; ghost</B></FONT>')
        attrs = f' BORDER="3" COLOR="{ALARM}"'
    elif (k, term) in committed:
        notes.append('<FONT POINT-SIZE="8">&#10003; committed</FONT>')
        attrs = ' BORDER="2"'
    elif (k, term) in indirect:
        notes.append(f'<FONT POINT-SIZE="8">&#10003; with entry {indirect[(k, term)][1]}</FONT>')
        attrs = ' BORDER="2"'
    others = sorted(committed_at.get(k, set()) - {term})
    if others:
        was = ", ".join(str(t) for t in others)
        notes.append(f'<FONT COLOR="{ALARM}" POINT-SIZE="8">&#8800; committed {was}</FONT>')
    if (server, k) in bad_cells:
        attrs = f' BORDER="3" COLOR="{ALARM}"'
    new = old is not None and (len(old) < k or old[k - 1] != term)
    if new and (server, k) not in bad_cells and (k, term) not in ghosts:
        attrs = f' BORDER="3" COLOR="{CHANGED_FRAME}"'
    if new:
        notes.insert(0, f'<FONT COLOR="{CHANGED_FRAME}" POINT-SIZE="8"><B>new</B></FONT>')
    text = f"<B>{term}</B>" + "".join("<BR/>" + n for n in notes)
    return f'<TD BGCOLOR="{fill}"{attrs} {size}>{text}</TD>'
