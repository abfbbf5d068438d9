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


def _temporal_spec(tmp_path: Path, prop: str) -> Path:
    (tmp_path / "T.tla").write_text(
        "---- MODULE T ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\n"
        "Next == x' = (x + 1) % 3\nSpec == Init /\\ [][Next]_x /\\ WF_x(Next)\n"
        f"Prop == {prop}\n====\n"
    )
    (tmp_path / "T.cfg").write_text("SPECIFICATION Spec\nPROPERTY Prop\n")
    return tmp_path / "T.tla"


def test_a_temporal_formula_tlc_cannot_handle_is_its_error_unless_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # TLC 2.20: "Error: TLC cannot handle the temporal formula line 7, col 9 to ... of module T", exit 255.
    spec = _temporal_spec(tmp_path, "[]<>(x = 1) <=> []<>(x = 2)")
    assert main(["check", str(spec), "-q"]) == 255
    err = capsys.readouterr().err
    assert "T.tla:7:9: error[E752]: PROPERTY Prop: TLC cannot handle the temporal formula line 7, col 9" in err
    assert "--skip-liveness" in err and "Traceback" not in err
    assert main(["check", str(spec), "-q", "--skip-liveness"]) == 0
    out = capsys.readouterr().out
    assert "Warning: the temporal property Prop is not checked (--skip-liveness)" in out


@pytest.mark.parametrize(
    "prop",
    [  # TLC 2.20 exits 255 with "TLC cannot handle the temporal formula" on each
        "[](CASE x = 0 -> <>(x = 1) [] OTHER -> TRUE)",
        "\\AA y : <>(x = 1)",
        "\\A v \\in {x} : <>(x # v)",
        "\\E v \\in 0..x : [](x >= v)",
    ],
)
def test_formulas_tlc_cannot_handle_exit_255(tmp_path: Path, capsys: pytest.CaptureFixture[str], prop: str) -> None:
    assert main(["check", str(_temporal_spec(tmp_path, prop)), "-q"]) == 255
    assert "error[E752]: PROPERTY Prop: TLC cannot handle the temporal formula line 7, col " in capsys.readouterr().err


@pytest.mark.parametrize(
    "prop",
    [  # TLC 2.20 checks these with its tableau, and so does tlacheck now: all hold on the fair counter
        "<>(x = 1) \\/ []<>(x = 2)",
        "~[](x = 1)",
        "<>[]<>(x = 1)",
        "[](x = 1 => <>(x = 2 /\\ <>(x = 0)))",
        "[](IF x = 0 THEN <>(x = 1) ELSE TRUE)",
    ],
)
def test_forms_outside_the_normal_form_are_checked_with_the_tableau(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], prop: str
) -> None:
    assert main(["check", str(_temporal_spec(tmp_path, prop)), "-q"]) == 0
    assert "No error has been found" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("prop", "message"),
    [  # SANY's messages (TLC 2.20 rejects these specs with them)
        ("<>(x' = 1)", "<> followed by action not of form <<A>>_v."),
        ("[](x' > x)", "[] followed by action not of form [A]_v."),
        ("(x = 1) ~> (x' = 2)", "Action used where only temporal formula or state predicate allowed."),
    ],
)
def test_actions_in_the_wrong_place_get_tlcs_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], prop: str, message: str
) -> None:
    assert main(["check", str(_temporal_spec(tmp_path, prop)), "-q"]) == 150
    err = capsys.readouterr().err
    assert f"error[E751]: PROPERTY Prop: {message}" in err


def test_a_liveness_violation_prints_tlcs_lasso_and_exits_13(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(CORPUS / "LiveWeakFair.tla"), "-q"]) == 13
    out = capsys.readouterr().out
    # TLC 2.20 prints the same two states and the same closing line (with its own action text).
    assert (
        "Error: Temporal properties were violated.\n\n"
        "Error: The following behavior constitutes a counter-example:\n\n"
        "State 1: <Initial predicate>\n/\\ got = FALSE\n/\\ light = 0\n\n"
        "State 2: <Toggle>\n/\\ got = FALSE\n/\\ light = 1\n\n"
        "Back to state 1: <Toggle>\n\n"
        "6 states generated, 4 distinct states found, 0 states left on queue."
    ) in out
    assert main(["check", str(CORPUS / "LiveStutter.tla"), "-q"]) == 13
    out = capsys.readouterr().out
    assert "State 2: <Next>\n/\\ x = 1\n\nState 3: Stuttering\n4 states generated" in out


def test_a_cfg_naming_an_undefined_invariant_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "S.tla").write_text("---- MODULE S ----\nVARIABLE x\nInit == x = 0\nNext == x' = x\n====\n")
    (tmp_path / "S.cfg").write_text("INIT Init\nNEXT Next\nINVARIANT Typo\n")
    assert main(["check", str(tmp_path / "S.tla"), "-q"]) == 151
    err = capsys.readouterr().err
    assert "Typo" in err and "Traceback" not in err


def test_an_invariant_among_the_specs_conjuncts_is_tlcs_error_with_liveness(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # TLC 2.20: "Error: TLC cannot handle the temporal formula line 6, col 48 to line 6, col 52
    # of module S", exit 255 (other temporal conjuncts are assumptions: corpus LiveSpecAssumes).
    (tmp_path / "S.tla").write_text(
        "---- MODULE S ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\n"
        "Next == x' = (x + 1) % 3\nSpec == Init /\\ [][Next]_x /\\ WF_x(Next) /\\ [](x < 2)\n"
        "Live == []<>(x = 2)\n====\n"
    )
    (tmp_path / "S.cfg").write_text("SPECIFICATION Spec\nPROPERTY Live\n")
    assert main(["check", str(tmp_path / "S.tla"), "-q"]) == 255
    err = capsys.readouterr().err
    assert "S.tla:6:48: error[E752]: TLC cannot handle the temporal formula line 6, col 48 to line 6, col 52" in err
    assert main(["check", str(tmp_path / "S.tla"), "-q", "--skip-liveness"]) == 0
