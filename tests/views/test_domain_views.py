"""Domain views for TLA+ traces (--view, or chosen by the variables), --continue's traces, CTI pictures,
and the explorer on a spec and a loaded CTI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import raft_model
from checker.cli import domain_view, load_target, main
from checker.errors import ModelError
from checker.views import GuessedView, read_trace
from checker.views.explore import Explorer
from paxos_model.dot import render_spec_dot
from raft_model.view import render_raft_dot

ROOT = Path(__file__).resolve().parents[2]
RAFT = ROOT / "specs" / "raft"


def test_the_view_is_chosen_by_name_or_by_the_variables() -> None:
    guessed = domain_view(None, ("committed", "currentTerm", "log", "state"))
    assert isinstance(guessed, GuessedView) and guessed.render is render_raft_dot
    assert domain_view(None, ("maxBal", "maxVBal", "maxVal", "msgs")).render is render_spec_dot
    assert domain_view("raft", ("committed", "currentTerm", "log", "state")) is render_raft_dot
    assert domain_view(None, ("x", "y")) is None
    assert domain_view("none", ("committed", "currentTerm", "log", "state")) is None
    assert domain_view("raft_model.view:render_raft_dot", ()) is render_raft_dot
    model = raft_model.correct()
    assert domain_view(None, tuple(model.variables), model) == model.render_dot  # the model's own first
    with pytest.raises(ModelError, match="raft, paxos, none, or MODULE:FUNCTION"):
        domain_view("bogus", ())
    with pytest.raises(ModelError, match="no function 'nope'"):
        domain_view("raft_model.view:nope", ())


@pytest.mark.slow
def test_a_raft_spec_trace_gets_the_raft_picture_and_continue_writes_each_trace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "t.dot"
    code = main(
        [
            "check",
            str(RAFT / "MCRaft.tla"),
            "--config",
            str(RAFT / "MCRaft_ghost_commit.cfg"),
            "--continue",
            "--quiet",
            "--trace-out",
            str(out),
            "--view",
            "raft",
        ]
    )
    assert code == 12
    first = sorted((tmp_path / "t.domain").glob("step-*.dot"))
    second = sorted((tmp_path / "t.StateMachineSafety.domain").glob("step-*.dot"))
    # TLC 2.20 on MCRaft_ghost_commit.cfg: an 11-state LeaderCompleteness trace; on the
    # StateMachineSafety-only cfg (MCRaft_ghost_commit_sms.cfg), 14 states.
    assert len(first) == 11 and len(second) == 14
    last = second[-1].read_text()
    assert "StateMachineSafety VIOLATED" in last and "digraph raft" in last
    assert "OVERWRITE" in second[11].read_text()
    assert "t.StateMachineSafety.dot" in capsys.readouterr().out


@pytest.mark.slow
def test_a_paxos_spec_trace_gets_the_sequence_diagram(tmp_path: Path) -> None:
    paxos = ROOT / "specs" / "paxos"
    out = tmp_path / "p.dot"
    code = main(
        [
            "check",
            str(paxos / "MCPaxos.tla"),
            "--config",
            str(paxos / "MCPaxos_any_value.cfg"),
            "--quiet",
            "--trace-out",
            str(out),
        ]
    )
    assert code == 12
    steps = sorted((tmp_path / "p.domain").glob("step-*.dot"))
    assert len(steps) == 13  # TLC 2.20 on MCPaxos_any_value.cfg: Agreement violated, 13 states
    assert "digraph paxos" in steps[-1].read_text()
    assert "chosen: v1, v2 (two values: Agreement is violated)" in steps[-1].read_text()


@pytest.mark.slow
def test_a_cti_is_drawn_as_a_cti(tmp_path: Path) -> None:
    out = tmp_path / "cti.itf.json"
    code = main(
        [
            "prove",
            str(RAFT / "RaftInductive.tla"),
            "--inv",
            "IndInv",
            "--config",
            str(ROOT / "docs" / "tutorial" / "raft" / "RaftInductive_ghost_small.cfg"),
            "--trace-out",
            str(out),
        ]
    )
    assert code == 12
    meta = json.loads(out.read_text())["#meta"]
    assert meta["violation"]["kind"] == "counterexample to induction"
    assert meta["violation"]["name"] == (
        "CommitRule (a conjunct of IndInv) fails after this step: a counterexample to induction"
    )
    page = tmp_path / "cti.html"
    main(
        [
            "prove",
            str(RAFT / "RaftInductive.tla"),
            "--inv",
            "IndInv",
            "--config",
            str(ROOT / "docs" / "tutorial" / "raft" / "RaftInductive_ghost_small.cfg"),
            "--trace-out",
            str(page),
        ]
    )
    text = page.read_text()
    assert "<title>RaftInductive.tla: a counterexample to induction of IndInv</title>" in text
    assert "Initial predicate" not in text and "1. Init" not in text
    assert "a state where IndInv holds (not necessarily reachable)" in text
    assert "Invariant CommitRule is violated" not in text
    assert re.search(r"GHOST COMMIT", text)  # the Raft picture, chosen by the variables


@pytest.mark.slow
def test_the_explorer_starts_from_a_loaded_cti(tmp_path: Path) -> None:
    cfg = ROOT / "docs" / "tutorial" / "raft" / "RaftInductive_ghost_small.cfg"
    out = tmp_path / "cti.itf.json"
    main(
        [
            "prove",
            str(RAFT / "RaftInductive.tla"),
            "--inv",
            "IndInv",
            "--config",
            str(cfg),
            "--trace-out",
            str(out),
        ]
    )
    model = load_target(str(RAFT / "RaftInductive.tla"), str(cfg), [], [])
    ex = Explorer(model, "RaftInductive", render_raft_dot, read_trace(out).trace)
    status, page = ex.page("path=t0")
    assert status == 200
    assert "state 1 of the loaded trace (not necessarily reachable)" in page
    assert "CommitEntry(s1, {s1, s2}, 1)" in page  # the CTI's step is among the enabled actions


def test_the_fixed_rule_refuses_the_commit_the_explorer_reaches_by_hand() -> None:
    # The tutorial's walk: the same seven steps in both models, then CommitEntry is enabled
    # only under the ghost rule.
    walk = [
        "BecomeLeader(s1, {s1, s2})",
        "BecomeLeader(s2, {s2, s3})",
        "ClientRequest(s1)",
        "ClientRequest(s2)",
        "UpdateTerm(s2, s1)",
        "BecomeLeader(s1, {s1, s3})",
        "AppendEntries(s1, s3)",
    ]
    for model, commits in ((raft_model.ghost_commit(), True), (raft_model.correct(), False)):
        state = next(iter(model.init_states()))
        for label in walk:
            state = next(s for lab, s in model.next_steps(state) if str(lab) == label)
        labels = [str(lab) for lab, _ in model.next_steps(state)]
        assert ("CommitEntry(s1, {s1, s3}, 1)" in labels) is commits


# A spec with Raft's variable names but not Raft's values: the Raft view does not fit it.
LOOK_ALIKE = """---- MODULE LookAlike ----
EXTENDS Naturals
VARIABLES currentTerm, state, log, committed
Init == currentTerm = 0 /\\ state = "x" /\\ log = 0 /\\ committed = 0
Next == currentTerm < 2 /\\ currentTerm' = currentTerm + 1 /\\ UNCHANGED <<state, log, committed>>
Small == currentTerm < 2
====
"""


def test_a_look_alike_spec_is_drawn_without_the_guessed_view(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "LookAlike.tla").write_text(LOOK_ALIKE)
    (tmp_path / "LookAlike.cfg").write_text("INIT Init\nNEXT Next\nINVARIANT Small\n")
    page = tmp_path / "t.html"
    code = main(["check", str(tmp_path / "LookAlike.tla"), "--quiet", "--trace-out", str(page)])
    assert code == 12  # TLC 2.20: Invariant Small is violated, a trace of 3 states
    out = capsys.readouterr().out
    assert "The raft view (chosen because the spec has its variables) does not fit state 1" in out
    text = page.read_text()
    assert 'data-steps="3"' in text and "The raft view" in text and "<svg" not in text
    picture = tmp_path / "t.dot"
    assert main(["check", str(tmp_path / "LookAlike.tla"), "--quiet", "--trace-out", str(picture)]) == 12
    assert picture.exists() and not (tmp_path / "t.domain").exists()
    # Asked for by name, the same view is an error that names the step.
    spec = str(tmp_path / "LookAlike.tla")
    code = main(["check", spec, "--quiet", "--view", "raft", "--trace-out", str(page)])
    assert code != 12 and "render_dot(trace, 0) failed" in capsys.readouterr().err
    # The explorer says it in the page instead of drawing.
    model = load_target(str(tmp_path / "LookAlike.tla"), None, [], [])
    ex = Explorer(model, "LookAlike", domain_view(None, tuple(model.variables), model))
    status, text = ex.page("path=0")
    assert status == 200 and "does not fit state 1" in text


@pytest.mark.slow
def test_the_paxos_view_reads_minority_quorums_off_a_spec_trace(tmp_path: Path) -> None:
    paxos = ROOT / "specs" / "paxos"
    out = tmp_path / "p.dot"
    args = ["check", str(paxos / "MCPaxos.tla"), "--config", str(paxos / "MCPaxos_minority_quorums.cfg")]
    assert main([*args, "--workers", "1", "--quiet", "--trace-out", str(out)]) == 12
    steps = sorted((tmp_path / "p.domain").glob("step-*.dot"))
    assert len(steps) == 9  # TLC 2.20 on MCPaxos_minority_quorums.cfg: Agreement violated, 9 states
    text = [s.read_text() for s in steps]
    assert all("Quorums: any 1 of the 3 acceptors (read off this trace" in t for t in text)
    assert not any("RULE BROKEN" in t for t in text)  # proposing after one 1b is this spec's rule
    assert "chosen: v1, v2 (two values: Agreement is violated)" in text[-1]
    # With majorities (MCPaxos_any_value), the picture says it assumed them.
    assert main([*args[:3], str(paxos / "MCPaxos_any_value.cfg"), "--quiet", "--trace-out", str(out)]) == 12
    last = sorted((tmp_path / "p.domain").glob("step-*.dot"))[-1].read_text()
    assert "Quorums: any 2 of the 3 acceptors (a majority; the trace does not carry Quorum)" in last
