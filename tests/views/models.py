"""Small models for the view tests: nested values of every kind, and a domain view.

``Chat`` has two servers (model values) that append numbers to their logs (a
function from server to sequence), send them as messages (a set of records)
and remember who voted (a function to sets). Its invariant ``Quiet`` fails once
s1 has sent its second entry and s2 has voted: the shortest counterexample has
5 states (two appends, a send and a vote, in some order) and changes every
variable, so every kind of value is drawn changed at least once.

It also has the optional ``render_dot`` hook of the Model API, drawing each
server's log as a row of boxes, as the Raft view does, so that the views can
be tested without raft_model.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from checker.model import Model, format_label
from checker.values import Fn, ModelValue, make_fn, model_values, record

S1, S2 = model_values("s1", "s2")


class ChatState(NamedTuple):
    logs: Any  # server -> <<value, ...>>
    msgs: frozenset[Fn]  # [from |-> server, val |-> value]
    voted: Any  # server -> SUBSET server
    leader: Any  # a server, or "none"


class Chat(Model):
    variables = ("logs", "msgs", "voted", "leader")

    def __init__(self, with_view: bool = True) -> None:
        self.name = "Chat"
        self.invariants = {"Quiet": lambda s: not (record(src=S1, val=2) in s.msgs and s.voted[S2])}
        if not with_view:
            self.render_dot = None  # type: ignore[assignment]

    def init_states(self) -> Iterator[ChatState]:
        yield ChatState(
            make_fn({S1: (), S2: ()}), frozenset(), make_fn({S1: frozenset(), S2: frozenset()}), "none"
        )

    def next_steps(self, s: ChatState) -> Iterator[tuple[str, ChatState]]:
        for p in (S1, S2):
            log = s.logs[p]
            yield (
                format_label("Append", p, len(log) + 1),
                s._replace(logs=s.logs.updated(p, log + (len(log) + 1,))),
            )
            if log:
                yield format_label("Send", p), s._replace(msgs=s.msgs | {record(src=p, val=log[-1])})
            yield format_label("Vote", p), s._replace(voted=s.voted.updated(p, s.voted[p] | {p}), leader=p)

    def render_dot(self, trace: Any, index: int) -> str:
        """Each server's log as a row of boxes; the leader's name in bold."""
        rec = trace.steps[index].record
        lines = ["digraph chat {", "  node [shape=plaintext fontname=Helvetica];"]
        for p in (S1, S2):
            boxes = "".join(f"<TD BORDER='1'>{v}</TD>" for v in rec["logs"][p]) or "<TD>(empty)</TD>"
            name = f"<B>{p.name}</B>" if rec["leader"] == p else p.name
            lines.append(f"  {p.name} [label=<<TABLE BORDER='0'><TR><TD>{name}</TD>{boxes}</TR></TABLE>>];")
        lines.append("}")
        return "\n".join(lines)


def chat() -> Chat:
    return Chat()


def is_leader(value: object) -> bool:
    return isinstance(value, ModelValue)
