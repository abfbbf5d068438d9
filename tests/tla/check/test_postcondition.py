"""POSTCONDITION in the cfg, as TLC 2.20 reports it (issue 14).

Every exit code, message and count below is TLC 2.20's on ``postcondition/Post.tla`` with the
cfg of the same name (``java -cp tla2tools.jar tlc2.TLC -workers 1 -config X.cfg Post.tla``):
TLC evaluates the postcondition once the search found no error, ``TLCGet("stats")`` holding the
search's figures, and reports it as an assumption (exit 10), the counts after the error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main

HERE = Path(__file__).parent / "postcondition"
COUNTS = "4 states generated, 4 distinct states found, 0 states left on queue.\nThe depth of the complete state graph search is 4."


def run(cfg: str, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, str]:
    code = main(["check", str(HERE / "Post.tla"), "--config", str(HERE / f"{cfg}.cfg"), "-q", *flags])
    return code, capsys.readouterr().out


def test_a_postcondition_that_holds(capsys: pytest.CaptureFixture[str]) -> None:
    # TLC 2.20: no error, exit 0.
    code, out = run("PostOK", capsys)
    assert code == 0
    assert "Model checking completed. No error has been found." in out and COUNTS in out


def test_tlcget_stats_after_the_search(capsys: pytest.CaptureFixture[str]) -> None:
    # TLC 2.20 prints [distinct |-> 4, generated |-> 4, worker |-> 0, duration |-> 6,
    # diameter |-> 4, initial |-> 1, queue |-> 0] (the duration is its own).
    code, out = run("PostStats", capsys)
    assert code == 0
    assert "[distinct |-> 4, generated |-> 4, worker |-> 0, duration |-> " in out
    assert ", diameter |-> 4, initial |-> 1, queue |-> 0]" in out


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_false_postcondition_is_a_false_assumption(workers: str, capsys: pytest.CaptureFixture[str]) -> None:
    # TLC 2.20: "Error: Assumption line 8, col 14 to line 8, col 43 of module Post is false.",
    # then the counts (no "No error has been found"), exit 10. With several workers too (the
    # search then runs in one process, so that the postcondition is never skipped).
    code, out = run("PostFalse", capsys, "--workers", workers)
    assert code == 10
    assert f"Error: Assumption at {HERE / 'Post.tla'}:8:14 is false.\n{COUNTS}" in out
    assert "No error has been found" not in out


def test_a_postcondition_with_simulate_is_an_error_not_a_skip(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(HERE / "Post.tla"), "--config", str(HERE / "PostFalse.cfg"), "--simulate", "--num", "1"])
    assert code == 151
    assert "error[E748]: POSTCONDITION with --simulate is not supported" in capsys.readouterr().err


def test_a_postcondition_that_reads_a_variable_fails_to_evaluate(capsys: pytest.CaptureFixture[str]) -> None:
    # TLC 2.20: "Error: Evaluating assumption line 9, col 12 to line 9, col 16 of module Post
    # failed. In evaluation, the identifier x is either undefined or not an operator.", exit 10.
    code, out = run("PostBad", capsys)
    assert code == 10
    assert f"Error: Evaluating assumption at {HERE / 'Post.tla'}:9:12 failed." in out
