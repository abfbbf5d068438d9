"""Is a value eventually chosen? Paxos's liveness, in both encodings, against TLC 2.20."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.engine import check
from checker.tla.loader import load_spec_model
from paxos_model import eventually_chosen, eventually_chosen_fair

SPECS = Path(__file__).resolve().parents[2] / "specs" / "paxos"


def lasso(result) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    trace = result.violation.trace
    return len(trace), 0 if trace.loop_label is None else trace.loop + 1


def test_without_fair_phase2a_a_preempted_proposal_leaves_no_value_chosen() -> None:
    result = check(eventually_chosen())
    # TLC 2.20 on MCPaxosLiveness.cfg (-lncheck final): violated; 23,563 generated, 3,921
    # distinct, depth 17; then n states and "Stuttering", where n depends on the fingerprint
    # function TLC draws at random per run: 6, 10, 9, 9, 7, 7, 6, 7, 7, 6, 11, 9 with -fp 0..11.
    assert result.exit_code == 13 and lasso(result) == (6, 0)  # as TLC -fp 0
    stats = result.stats
    assert (stats.generated, stats.distinct, stats.depth) == (23_563, 3_921, 17)
    labels = [str(x) for x in result.violation.trace.labels[1:]]
    assert "Phase1a(0)" in labels and "Phase1a(1)" in labels  # both ballots are prepared
    assert not any(x.startswith("Phase2a(1") for x in labels)  # ballot 1 never proposes


def test_with_every_action_fair_a_value_is_chosen() -> None:
    assert check(eventually_chosen_fair()).ok  # TLC 2.20 (MCPaxosLivenessFair.cfg): holds


@pytest.mark.slow
def test_the_tla_twin_gives_the_same_verdicts() -> None:
    spec = SPECS / "MCPaxosLiveness.tla"
    result = check(load_spec_model(spec, SPECS / "MCPaxosLiveness.cfg", []))
    assert result.exit_code == 13 and lasso(result) == (11, 0)  # TLC 2.20 -fp 10: 11 states, Stuttering
    assert check(load_spec_model(spec, SPECS / "MCPaxosLivenessFair.cfg", [])).ok  # TLC 2.20: holds


def test_the_message_sequence_picture_says_the_behaviour_stops_for_ever() -> None:
    from paxos_model.dot import render_dot

    model = eventually_chosen()
    trace = check(model).violation.trace  # type: ignore[union-attr]
    last = render_dot(model, trace, len(trace) - 1)
    assert f"State {len(trace)}: {trace.labels[-1]} (then nothing happens, for ever)" in last
    assert "for ever" not in render_dot(model, trace, 0)
