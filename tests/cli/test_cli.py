"""The command line: exit codes, TLC's wording, and errors without tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("tlacheck ")
    helptext = run("check", "--help").stdout
    assert "examples:" in helptext and "--trace-out" in helptext and "exit codes" in helptext


def test_check_die_hard_prints_tlc_counts_and_exits_0() -> None:
    proc = run("check", "checker.examples.diehard:model", "--quiet")
    assert proc.returncode == 0
    assert "97 states generated, 16 distinct states found, 0 states left on queue." in proc.stdout
    assert "The depth of the complete state graph search is 8." in proc.stdout
    assert "calculated (optimistic):  val = 7.0E-17" in proc.stdout  # TLC 2.20 prints the same


def test_violation_prints_trace_in_tlc_layout_and_exits_12() -> None:
    proc = run("check", "checker.examples.diehard:puzzle", "--quiet")
    assert proc.returncode == 12
    out = proc.stdout
    assert "Error: Invariant NotSolved is violated.\nError: The behavior up to this point is:\n" in out
    assert "State 1: <Initial predicate>\n/\\ big = 0\n/\\ small = 0\n" in out
    assert "State 7: <BigToSmall>\n/\\ big = 4\n/\\ small = 3\n" in out


def test_factory_parameters() -> None:
    proc = run("check", "tests.cli.badmodels:counter", "-p", "limit=5", "-p", "strict=true", "--quiet")
    assert proc.returncode == 12 and "State 6: <Inc>\n/\\ x = 5" in proc.stdout
    ok = run("check", "tests.cli.badmodels:counter", "-p", "limit=5", "--quiet")
    assert ok.returncode == 0 and "6 distinct states found" in ok.stdout


def test_deadlock_exits_11_and_no_deadlock_turns_it_off() -> None:
    proc = run("check", "tests.cli.badmodels:counter", "-p", "deadlock=true", "--quiet")
    assert proc.returncode == 11 and "Error: Deadlock reached." in proc.stdout
    assert "State 4: <Inc>\n/\\ x = 3" in proc.stdout
    off = run("check", "tests.cli.badmodels:counter", "-p", "deadlock=true", "--no-deadlock", "--quiet")
    assert off.returncode == 0


def test_max_depth() -> None:
    proc = run("check", "tests.cli.badmodels:counter", "-p", "limit=10", "--max-depth", "3", "--quiet")
    assert proc.returncode == 0
    assert "3 states generated, 3 distinct states found, 1 states left on queue." in proc.stdout


def assert_clean_error(proc: subprocess.CompletedProcess[str], code: int, *fragments: str) -> None:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    for fragment in fragments:
        assert fragment in proc.stderr


def test_unknown_module() -> None:
    assert_clean_error(run("check", "no_such_module:x"), 75, "no module named 'no_such_module'")


def test_unknown_attribute() -> None:
    assert_clean_error(run("check", "tests.cli.badmodels:nothing"), 75, "has no attribute 'nothing'")


def test_attribute_that_is_not_a_model() -> None:
    assert_clean_error(run("check", "tests.cli.badmodels:not_a_model"), 75, "is a int, not a model")


def test_model_with_no_initial_state() -> None:
    assert_clean_error(run("check", "tests.cli.badmodels:empty"), 75, "has no initial state")


def test_model_that_raises_names_the_state_and_action() -> None:
    proc = run("check", "tests.cli.badmodels:raising", "--quiet")
    assert_clean_error(
        proc, 75, "ZeroDivisionError: division by zero", "/\\ x = 2", "after it produced the step Step"
    )


def test_debug_shows_the_traceback() -> None:
    proc = run("check", "tests.cli.badmodels:raising", "--quiet", "--debug")
    assert proc.returncode == 75 and "Traceback" in proc.stderr


def test_bad_parameter_syntax() -> None:
    assert_clean_error(run("check", "tests.cli.badmodels:counter", "-p", "limit"), 75, "NAME=VALUE")
