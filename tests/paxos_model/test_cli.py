"""``tlacheck check paxos_model:<factory>`` from the command line: TLC's figures, clean errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "checker", "check", *args, "--quiet"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_correct_without_symmetry_prints_tlc_figures() -> None:
    proc = run("paxos_model:correct", "--no-symmetry")
    assert proc.returncode == 0, proc.stderr
    # TLC 2.20, MCPaxos.cfg
    assert "23563 states generated, 3921 distinct states found, 0 states left on queue." in proc.stdout
    assert "The depth of the complete state graph search is 17." in proc.stdout


def test_correct_with_symmetry_and_ballot_parameter() -> None:
    proc = run("paxos_model:correct", "-p", "max_ballot=1", "-p", "invariants=Agreement")
    assert proc.returncode == 0, proc.stderr
    # TLC 2.20, MCPaxos_symmetry.cfg
    assert "2697 states generated, 443 distinct states found, 0 states left on queue." in proc.stdout


def test_bug_variant_exits_12_with_a_trace_of_tlc_length() -> None:
    proc = run("paxos_model:minority_quorums", "-p", "invariants=Agreement")
    assert proc.returncode == 12
    assert "Error: Invariant Agreement is violated." in proc.stdout
    # TLC 2.20, MCPaxos_minority_quorums.cfg: 9 states
    assert "State 9: <Phase2b(" in proc.stdout and "State 10:" not in proc.stdout
    assert "State 1: <Initial predicate>\n/\\ maxBal = (a1 :> -1 @@ a2 :> -1 @@ a3 :> -1)\n" in proc.stdout


def test_explicit_quorums_from_the_command_line() -> None:
    # The three pairs written out are the default majorities: TLC's figures again.
    proc = run("paxos_model:correct", "-p", "quorums=a1 a2; a1 a3; a2 a3", "--no-symmetry")
    assert proc.returncode == 0, proc.stderr
    assert "23563 states generated, 3921 distinct states found" in proc.stdout


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("acceptors=0", "acceptors must be an integer from 1 to 64, got 0."),
        ("max_ballot=x", "max_ballot must be an integer from 0 to 250, got 'x'."),
        ("quorums=a1 a9", "quorums: unknown acceptor 'a9'; the acceptors are a1, a2, a3"),
        ("quorums=;", "quorums: the quorum system is empty"),
        (
            "invariants=Consistency",
            "unknown invariant 'Consistency'; the invariants are TypeOK, Agreement, Inv.",
        ),
    ],
)
def test_bad_parameters_are_clear_errors_without_traceback(param: str, message: str) -> None:
    proc = run("paxos_model:correct", "-p", param)
    assert proc.returncode == 75
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_minority_quorums_need_two_acceptors() -> None:
    proc = run("paxos_model:minority_quorums", "-p", "acceptors=1")
    assert proc.returncode == 75
    assert "minority quorums need at least 2 acceptors" in proc.stderr
