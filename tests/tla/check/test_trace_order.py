"""The counterexample does not depend on Python's string hashing (DESIGN §3).

An action that enumerates a state's set (``\\E m \\in msgs``) takes its elements in TLC's
order; iterating the frozenset as Python stores it made the successors' order, and so which
of several shortest traces the search finds, change from run to run (PYTHONHASHSEED).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PAXOS = Path(__file__).resolve().parents[3] / "specs/paxos"

# TLC 2.20 on MCPaxos_minority_quorums.cfg (one worker): Agreement violated, 9 states.
TLC_ACTIONS = [
    "Initial predicate",
    "Phase1a(0)",
    "Phase1a(1)",
    "Phase1b(a1)",
    "Phase2a(0, v1)",
    "Phase1b(a1)",
    "Phase2a(1, v2)",
    "Phase2b(a1)",
    "Phase2b(a2)",
]


def _trace(seed: str) -> list[str]:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    command = [sys.executable, "-m", "checker.cli", "check", "MCPaxos.tla"]
    command += ["--config", "MCPaxos_minority_quorums.cfg"]
    run = subprocess.run(command, cwd=PAXOS, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 12, run.stdout + run.stderr
    return [line for line in run.stdout.splitlines() if line.startswith(("State ", "/\\ "))]


@pytest.mark.slow
def test_the_trace_is_tlcs_whatever_the_string_hashing() -> None:
    first, second = _trace("1"), _trace("2")
    assert first == second
    actions = [line.split(": <", 1)[1].rstrip(">") for line in first if line.startswith("State ")]
    assert actions == TLC_ACTIONS
