"""`tlacheck check Spec.tla` end to end: TLC's sentences, trace layout and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main

ROOT = Path(__file__).resolve().parents[3]
CORPUS = Path(__file__).parent / "corpus"


def test_die_hard_solution_prints_like_tlc(capsys: pytest.CaptureFixture[str]) -> None:
    spec = ROOT / "specs" / "diehard" / "DieHard.tla"
    code = main(["check", str(spec), "--config", str(spec.with_name("DieHardSolve.cfg")), "-q"])
    out = capsys.readouterr().out
    assert code == 12
    assert "Error: Invariant NotSolved is violated." in out
    assert "State 1: <Initial predicate>\n/\\ big = 0\n/\\ small = 0\n" in out  # alphabetical, as TLC
    assert "State 7: <BigToSmall>\n/\\ big = 4\n/\\ small = 3\n" in out


def test_counts_use_tlcs_sentences(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(ROOT / "specs" / "diehard" / "DieHard.tla"), "-q"])
    out = capsys.readouterr().out
    assert code == 0
    assert "97 states generated, 16 distinct states found, 0 states left on queue." in out
    assert "The depth of the complete state graph search is 8." in out


def test_false_assume_exits_10(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(CORPUS / "AssumeFail.tla"), "-q"])
    err = capsys.readouterr().err
    assert code == 10
    assert "Assumption" in err and "is false" in err and "Traceback" not in err


def test_deadlock_exits_11(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(CORPUS / "Deadlock.tla"), "-q"]) == 11
    assert "Error: Deadlock reached." in capsys.readouterr().out


def test_an_unsupported_temporal_property_is_an_error_unless_skipped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", str(CORPUS / "Temporal.tla"), "-q"]) == 151
    err = capsys.readouterr().err
    assert "Temporal.cfg:3:10: error[E750]: PROPERTY Live:" in err and "--skip-liveness" in err
    assert main(["check", str(CORPUS / "Temporal.tla"), "-q", "--skip-liveness"]) == 0
    out = capsys.readouterr().out
    assert "Warning: the temporal property Live is not checked (--skip-liveness)" in out


def test_a_cfg_naming_an_undefined_invariant_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "S.tla").write_text("---- MODULE S ----\nVARIABLE x\nInit == x = 0\nNext == x' = x\n====\n")
    (tmp_path / "S.cfg").write_text("INIT Init\nNEXT Next\nINVARIANT Typo\n")
    assert main(["check", str(tmp_path / "S.tla"), "-q"]) == 151
    err = capsys.readouterr().err
    assert "Typo" in err and "Traceback" not in err
