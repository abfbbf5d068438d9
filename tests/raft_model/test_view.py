"""Raft's domain view: DOT source per step, with the ghost commit and the overwrite singled out."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from typing import Any

import pytest

import raft_model
import raft_model.messages as messages
from checker import CheckOptions, check
from checker.values import Fn, ModelValue
from raft_model.view import ghost_commits, overwrites, waiting_entries

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


def plain(dot: str) -> str:
    """The text of a DOT picture, markup removed and wrapped lines joined."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dot)).split())


def test_a_commit_of_an_older_term_is_a_ghost_commit() -> None:
    before = record((3, 2, 3), ((1,), (2,), (1,)), set())
    after = record((3, 2, 3), ((1,), (2,), (1,)), {(1, 1, 3)})
    assert ghost_commits(before, after) == [(1, 1, 3)]
    # The commit rule of §5.4.2 (entry of the leader's own term) is not flagged.
    assert ghost_commits(before, record((3, 2, 3), ((1,), (2,), (1,)), {(1, 3, 3)})) == []


def test_an_older_entry_on_a_majority_waits_for_the_leader_s_term() -> None:
    # Figure 8(c) before the commit: s1 leads term 3, entry 1 of term 1 is on {s1, s3}.
    rec = record((3, 2, 3), ((1,), (2,), (1,)), set())
    rec["state"] = Fn({s1: "Leader", s2: "Follower", s3: "Follower"})
    assert waiting_entries(rec) == [
        "Not committable yet: entry 1 (term 1) is on a majority ({s1, s3}), but s1 leads term 3; "
        "§5.4.2 commits it only with an entry of term 3."
    ]
    assert waiting_entries({**rec, "committed": frozenset({(1, 1, 3)})}) == []  # the ghost commit took it
    assert waiting_entries({**rec, "log": Fn({s1: (1,), s2: (2,), s3: ()})}) == []  # no majority


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
    dots = [model.render_dot(trace, i) for i in range(len(trace))]
    sources = [plain(d) for d in dots]
    for i, source in enumerate(dots):
        assert source.startswith("digraph raft {") and source.rstrip().endswith("}")
        assert f"State {i + 1} of 14: " in source
        assert source.count("<TR>") == 1 + 1 + 1 + 3 + 4  # title, story, header, servers, 4 text rows
    ghost = [i for i, s in enumerate(sources) if "GHOST COMMIT:" in s]
    overwrite = [i for i, s in enumerate(sources) if "OVERWRITE:" in s]
    # State 9 commits s1's term-1 entry in term 3; state 14 commits s2's term-2 entry in term 4 (also
    # an older term); state 12 is s1 dropping the entry committed in state 9.
    assert ghost == [8, 13] and overwrite == [11]
    assert "entry 1 of term 1 is committed in term 3" in sources[8]
    assert "OVERWRITE: s1 loses entry 1 (term 1), which was committed" in sources[11]
    assert "(stale)" in sources[8]  # s2 still believes it leads term 2
    # The ghost entry keeps its mark at every later step, not only where it was committed.
    assert all("✓ ghost" in s for s in sources[8:])
    assert all("✓ ghost" not in s for s in sources[:8])
    # The last state says what is violated and by which entries.
    assert (
        "StateMachineSafety VIOLATED: two different entries committed at index 1: <<1, 1, 3>> and <<1, 2, 4>>"
        in (sources[13])
    )
    assert "All four hold" in sources[7]
    # Why s2 won term 4: its last log term 2 beats s1's 1.
    assert "s2 becomes leader of term 4. It wins because its log is at least as up-to-date" in sources[10]
    assert "last term 2 > s1's 1" in sources[10]
    # Every step of one trace has the same width: the same columns, of fixed sizes.
    widths = {tuple(re.findall(r'WIDTH="(\d+)"', s)) for s in dots}
    assert len({sum(map(int, w[:6])) for w in widths}) == 1


def test_the_message_model_draws_the_same_way() -> None:
    model = messages.ghost_commit()
    result = check(model)
    assert result.violation is not None
    trace = result.violation.trace
    last = plain(model.render_dot(trace, len(trace) - 1))
    assert "GHOST COMMIT: entry 1 of term 1 is committed in term 3" in last
    assert "LeaderCompleteness VIOLATED: leader s2 (term 4) lacks entry 1 of term 1" in last
    assert "candidate" in model.render_dot(trace, 1)  # after Timeout(s1)


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
