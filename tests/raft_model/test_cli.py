"""The Raft models from the command line: `tlacheck check raft_model:ghost_commit` and its parameters."""

from __future__ import annotations

import pytest

from checker.cli import main


def test_check_ghost_commit_prints_tlc_style_violation(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["check", "raft_model:ghost_commit", "--quiet"]) == 12
    )  # TLC's exit code for a safety violation
    out = capsys.readouterr().out
    assert "Error: Invariant LeaderCompleteness is violated." in out
    assert "State 11: <BecomeLeader(s2, {s1, s2})>" in out  # the shortest trace, as TLC 2.20 gives it


def test_check_correct_with_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    # -p reaches the factory. By hand: max_term=0 allows no election, and without a leader no other
    # action is enabled, so the initial state is the whole state space.
    assert main(["check", "raft_model:correct", "-p", "max_term=0", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "1 states generated, 1 distinct states found, 0 states left on queue." in out
    assert "The depth of the complete state graph search is 1." in out


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (["-p", "servers=many"], "raft_model: servers must be an integer >= 1, got 'many'."),
        (
            ["-p", "server=3"],
            "has no parameter 'server'; its parameters are: servers=3, max_term=4, max_log_len=2. Did you mean -p servers=...?",
        ),
    ],
)
def test_bad_parameters_give_a_message_not_a_traceback(
    capsys: pytest.CaptureFixture[str], params: list[str], message: str
) -> None:
    assert main(["check", "raft_model:correct", "--quiet", *params]) == 75
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_message_model_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "raft_model.messages:correct", "--quiet"]) == 0
    # TLC 2.20, MCRaftMessages_correct.cfg: 9,475 generated, 4,213 distinct, depth 35
    assert "9475 states generated, 4213 distinct states found" in capsys.readouterr().out
