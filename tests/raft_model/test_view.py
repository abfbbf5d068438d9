"""Raft's domain view: DOT source per step, with the ghost commit and the overwrite singled out."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest

import raft_model
import raft_model.messages as messages
from checker import CheckOptions, check
from checker.values import Fn, ModelValue
from raft_model.view import ghost_commits, overwrites

s1, s2, s3 = ModelValue("s1"), ModelValue("s2"), ModelValue("s3")


def record(
    terms: tuple[int, ...], logs: tuple[tuple[int, ...], ...], committed: set[tuple[int, int, int]]
) -> dict[str, Any]:
    servers = (s1, s2, s3)
    return {
        "currentTerm": Fn(dict(zip(servers, terms))),
        "state": Fn({s: "Follower" for s in servers}),
        "log": Fn(dict(zip(servers, logs))),
        "committed": frozenset(committed),
    }


def test_a_commit_of_an_older_term_is_a_ghost_commit() -> None:
    before = record((3, 2, 3), ((1,), (2,), (1,)), set())
    after = record((3, 2, 3), ((1,), (2,), (1,)), {(1, 1, 3)})
    assert ghost_commits(before, after) == [(1, 1, 3)]
    # The commit rule of §5.4.2 (entry of the leader's own term) is not flagged.
    assert ghost_commits(before, record((3, 2, 3), ((1,), (2,), (1,)), {(1, 3, 3)})) == []


def test_losing_a_committed_entry_is_an_overwrite() -> None:
    before = record((4, 4, 3), ((1,), (2,), (1,)), {(1, 1, 3)})
    after = record((4, 4, 3), ((), (2,), (1,)), {(1, 1, 3)})
    assert overwrites(before, after) == [(s1, 1, 1)]
    assert overwrites(after, record((4, 4, 3), ((2,), (2,), (1,)), {(1, 1, 3)})) == []


def test_the_ghost_commit_and_the_overwrite_stand_out_in_the_atomic_trace() -> None:
    model = raft_model.ghost_commit()
    model.invariants = {"StateMachineSafety": model.invariants["StateMachineSafety"]}
    result = check(model)
    assert result.violation is not None
    trace = result.violation.trace  # the 14 states of test_atomic.STATE_MACHINE_SAFETY_TRACE
    sources = [model.render_dot(trace, i) for i in range(len(trace))]
    for i, source in enumerate(sources):
        assert source.startswith("digraph raft {") and source.rstrip().endswith("}")
        assert f"State {i + 1}: " in source
        assert source.count("<tr>") == 2 + 3  # the title, the index header, one row per server
    ghost = [i for i, s in enumerate(sources) if "ghost commit:" in s]
    overwrite = [i for i, s in enumerate(sources) if "overwrite:" in s]
    # State 9 commits s1's term-1 entry in term 3; state 14 commits s2's term-2 entry in term 4 (also
    # an older term); state 12 is s1 dropping the entry committed in state 9.
    assert ghost == [8, 13] and overwrite == [11]
    assert "entry 1 of term 1 committed in term 3" in sources[8]
    assert "s1 loses committed entry 1 (term 1)" in sources[11]
    assert "(stale)" in sources[8]  # s2 still believes it leads term 2


def test_the_message_model_draws_the_same_way() -> None:
    model = messages.ghost_commit()
    result = check(model)
    assert result.violation is not None
    trace = result.violation.trace
    last = model.render_dot(trace, len(trace) - 1)
    assert "ghost commit: entry 1 of term 1 committed in term 3" in last
    assert "message(s) in flight" in last
    assert "(candidate)" in model.render_dot(trace, 1)  # after Timeout(s1)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_graphviz_lays_out_every_step() -> None:
    model = raft_model.ghost_commit()
    result = check(model, CheckOptions())
    assert result.violation is not None
    for i in range(len(result.violation.trace)):
        out = subprocess.run(
            ["dot", "-Tsvg"],
            input=model.render_dot(result.violation.trace, i),
            capture_output=True,
            text=True,
        )
        assert out.returncode == 0, out.stderr
        assert "<svg" in out.stdout
