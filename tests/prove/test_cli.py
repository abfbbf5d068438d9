"""``tlacheck prove`` from the command line: verdicts, exit codes, clean errors, and the CTI
written in every form of the views (text, ITF JSON, DOT, SVG, HTML)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker.cli import main
from checker.views import read_trace

SPECS = Path(__file__).resolve().parents[2] / "specs"

COUNTER = """\
---- MODULE Counter ----
EXTENDS Naturals
CONSTANT N
VARIABLES x, y
TypeOK == x \\in 0..N /\\ y \\in 0..N
Init == x = 0 /\\ y = 0
Inc == x < N /\\ x' = x + 1 /\\ UNCHANGED y
Copy == y' = x /\\ UNCHANGED x
Next == Inc \\/ Copy
IndInv == TypeOK /\\ y <= x
Bad == TypeOK /\\ x <= 1 /\\ y <= x
Odd == TypeOK /\\ ENABLED Copy
====
"""


@pytest.fixture()
def counter(tmp_path: Path) -> Path:
    spec = tmp_path / "Counter.tla"
    spec.write_text(COUNTER)
    (tmp_path / "Counter.cfg").write_text("CONSTANT N = 3\nINIT Init\nNEXT Next\n")
    return spec


def test_proved_exits_0(counter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # --reach-seconds: the default (as long as Z3 took, at least 0.25 s) is too short for the
    # cross-check's BFS on a loaded machine, and the test asserts that it finishes.
    assert main(["prove", str(counter), "--inv", "IndInv", "--reach-seconds", "60"]) == 0
    out = capsys.readouterr().out
    assert "IndInit: Init => IndInv: holds" in out
    assert "IndNext: IndInv /\\ Next => IndInv'  (2 actions): holds" in out
    assert "Result: IndInv is inductive" in out
    # The reachable states (y <= x <= 3: 10 of them) all satisfy IndInv. TLC 2.20: 10 distinct, depth 5.
    assert "Cross-check by BFS: IndInv holds in all 10 reachable states (depth 5)." in out


def test_two_phase_commit_is_proved(capsys: pytest.CaptureFixture[str]) -> None:
    # TLC 2.20 (TwoPhaseInductive.cfg): 288 reachable states, depth 11.
    args = ["prove", str(SPECS / "twophase/TwoPhaseInductive.tla"), "--inv", "IndInv", "--reach-seconds", "60"]
    assert main(args) == 0
    assert "IndInv holds in all 288 reachable states (depth 11)" in capsys.readouterr().out


@pytest.mark.parametrize("suffix", [".txt", ".itf.json", ".dot", ".svg", ".html"])
def test_not_inductive_exits_12_and_writes_the_cti(
    counter: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    if suffix == ".svg" and shutil.which("dot") is None:
        pytest.skip("Graphviz dot is not installed")
    out_file = tmp_path / f"cti{suffix}"
    assert main(["prove", str(counter), "--inv", "Bad", "--trace-out", str(out_file)]) == 12
    out = capsys.readouterr().out
    assert "Inc: breaks Bad conjunct 2" in out
    assert "State 2: <Inc>" in out
    assert "Explicit evaluator: confirmed" in out
    text = out_file.read_text()
    assert "Inc" in text
    if suffix == ".itf.json":
        trace = read_trace(out_file)
        assert len(trace.trace) == 2
        first, second = (s.record for s in trace.trace.steps)
        assert first["x"] == 1 and second["x"] == 2


def test_errors_are_reported_without_traceback(
    counter: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["prove", str(counter), "--inv", "Odd"]) == 150
    err = capsys.readouterr().err
    assert "Counter.tla:12:18: error[E601]" in err and "ENABLED" in err and "Traceback" not in err
    assert main(["prove", str(counter), "--inv", "Nope"]) == 150
    assert "defines no operator 'Nope'" in capsys.readouterr().err
    assert main(["prove", str(tmp_path / "Missing.tla"), "--inv", "IndInv"]) == 150
    capsys.readouterr()
    assert main(["prove", str(counter), "--inv", "IndInv", "--config", str(tmp_path / "none.cfg")]) == 151
    capsys.readouterr()
    bad_cfg = tmp_path / "NoN.cfg"
    bad_cfg.write_text("INIT Init\nNEXT Next\n")
    assert main(["prove", str(counter), "--inv", "IndInv", "--config", str(bad_cfg)]) == 151
    assert "no value to the constant N" in capsys.readouterr().err


def test_a_timeout_makes_the_result_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    # Paxos' IndNext queries take tens of milliseconds each: a millisecond cuts them short.
    spec = SPECS / "paxos" / "PaxosInductive.tla"
    assert main(["prove", str(spec), "--inv", "IndInv", "--timeout", "0.001"]) == 75
    out = capsys.readouterr().out
    assert "unknown, Z3 gave up (canceled)" in out
    assert "Result: unknown" in out


@pytest.mark.parametrize("value", ["0", "-1", "abc"])
def test_a_timeout_must_be_a_positive_number(
    counter: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["prove", str(counter), "--inv", "IndInv", "--timeout", value]) == 2
    assert "expected a positive number of seconds" in capsys.readouterr().err


def test_the_cross_checking_bfs_takes_as_long_as_z3_within_bounds() -> None:
    from checker.prove.report import REACH_SECONDS, _reach_seconds

    assert REACH_SECONDS == (0.25, 2.0)
    assert _reach_seconds(0.01, 2.0) == 0.25
    assert _reach_seconds(0.5, 2.0) == 0.5
    assert _reach_seconds(30.0, 2.0) == 2.0
    assert _reach_seconds(30.0, 5.0) == 5.0  # --reach-seconds 5: the bound is the user's
