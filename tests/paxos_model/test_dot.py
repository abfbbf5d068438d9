"""Paxos's domain view (the render_dot hook): acceptors and a message-sequence diagram."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from checker import CheckOptions, Trace, check
from paxos_model import Paxos, any_value

CHANGED_FILL = 'BGCOLOR="#ffe08a"'


@pytest.fixture(scope="module")
def disagreement() -> tuple[Paxos, Trace]:
    model = any_value(invariants="Agreement")
    result = check(model, CheckOptions(symmetry=False))
    assert result.violation is not None
    return model, result.violation.trace


def arrows(source: str) -> int:
    """Arrow heads: one per receiver of each message."""
    return len(re.findall(r"arrow(?:head|tail)=normal", source))


def test_messages_are_straight_segments_between_neighbouring_lifelines(
    disagreement: tuple[Paxos, Trace],
) -> None:
    model, trace = disagreement
    source = model.render_dot(trace, len(trace) - 1)
    segments = re.findall(r"p(\d+)_(\d+) -> p(\d+)_(\d+) \[color", source)
    assert segments
    # Same row, next column: dot draws such an edge straight, never around another lifeline.
    assert all(r1 == r2 and int(b) == int(a) + 1 for a, r1, b, r2 in segments)
    assert source.count("weight=100") > 0  # the lifelines are kept vertical


def test_each_message_is_drawn_from_sender_to_receivers(disagreement: tuple[Paxos, Trace]) -> None:
    model, trace = disagreement
    last = len(trace) - 1
    source = model.render_dot(trace, last)
    assert source.startswith("digraph paxos {") and source.rstrip().endswith("}")
    # 1a and 2a go from the ballot's leader to each of the 3 acceptors; 1b and 2b back to one leader.
    msgs = trace.steps[last].record["msgs"]
    assert arrows(source) == sum(3 if m["type"] in ("1a", "2a") else 1 for m in msgs)
    # The first state has sent nothing, so no arrows and no chosen value.
    first = model.render_dot(trace, 0)
    assert arrows(first) == 0 and "chosen" not in first and "State 1: Initial predicate" in first


def test_the_step_and_what_it_changed_are_highlighted(disagreement: tuple[Paxos, Trace]) -> None:
    model, trace = disagreement
    last = len(trace) - 1
    source = model.render_dot(trace, last)
    before, after = trace.steps[last - 1].record, trace.steps[last].record
    changed = sum(
        before[v][a] != after[v][a] for v in ("maxBal", "maxVBal", "maxVal") for a in model.acceptors
    )
    assert source.count(CHANGED_FILL) == changed > 0
    assert f"State {last + 1}: {trace.steps[last].label}" in source
    # The disagreement is the point of the trace: both values chosen, in red.
    assert '<FONT COLOR="#c0392b"><B>chosen: v1, v2 (two values: Agreement is violated)</B></FONT>' in source


def test_render_dot_is_pure(disagreement: tuple[Paxos, Trace]) -> None:
    model, trace = disagreement
    assert model.render_dot(trace, 5) == model.render_dot(trace, 5)
    with pytest.raises(IndexError):
        model.render_dot(trace, len(trace))


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_graphviz_draws_every_step(disagreement: tuple[Paxos, Trace], tmp_path: Path) -> None:
    model, trace = disagreement
    for i in (0, len(trace) // 2, len(trace) - 1):
        proc = subprocess.run(
            ["dot", "-Tsvg"], input=model.render_dot(trace, i), capture_output=True, text=True, timeout=60
        )
        assert proc.returncode == 0, proc.stderr
        assert "<svg" in proc.stdout


def test_each_step_says_which_rule_it_broke(disagreement: tuple[Paxos, Trace]) -> None:
    from paxos_model.dot import explain_step

    model, trace = disagreement
    lines = []
    for i, step in enumerate(trace.steps):
        before = trace.steps[i - 1].record if i else None
        lines += [(i + 1, line) for line in explain_step(model, before, step.record)]
    broken = [(i, line) for i, line in lines if line.startswith(("RULE BROKEN", "AGREEMENT"))]
    # any_value: the proposal of state 10 ignores the vote for v1 that a1 and a2 reported; two values
    # are chosen at the last state.
    assert [i for i, _ in broken] == [10, 13]
    assert "must propose the value of the highest vote its quorum reported: v1" in broken[0][1]
    assert "two different values are chosen (v1, v2)" in broken[1][1]
