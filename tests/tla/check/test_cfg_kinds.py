"""Wrong-kind cfg entries, evaluation errors and ALIAS, as TLC 2.20 reports them.

Every exit code, message and trace below is TLC 2.20's on ``cfgkinds/Kinds.tla`` with the
cfg of the same name (``java -cp tla2tools.jar tlc2.TLC -workers 1 -config X.cfg Kinds.tla``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main

KINDS = Path(__file__).parent / "cfgkinds"


def run(cfg: str, capsys: pytest.CaptureFixture[str], spec: str = "Kinds") -> tuple[int, str, str]:
    code = main(["check", str(KINDS / f"{spec}.tla"), "--config", str(KINDS / f"{cfg}.cfg"), "-q"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("cfg", "code", "message"),
    [
        # TLC 2.20: "The invariant Next is not a state predicate (one with no primes or temporal
        # operators)." exit 76.
        (
            "InvariantAction",
            76,
            "InvariantAction.cfg:3:11: error[E760]: The invariant Next is not a state predicate",
        ),
        # TLC 2.20 evaluates them and fails on x' (exit 75); we say what is wrong, with TLC's code.
        ("ViewAction", 75, "ViewAction.cfg:3:6: error[E761]: The view Next is not a state function"),
        (
            "ConstraintAction",
            75,
            "ConstraintAction.cfg:3:12: error[E761]: The constraint Next is not a state",
        ),
        # TLC 2.20: a ClassCastException (exit 75); before, tlacheck took 7 as FALSE and exited 0.
        ("ActionConstraintNumber", 75, "The value of the action constraint Const is not a boolean: 7."),
        # TLC 2.20: "TLC expected a boolean value, but did not find one. 3" (exit 75).
        ("PropertyNumber", 75, "is not a boolean: 3."),
        ("InvariantNumber", 75, "The value of the invariant Num is not a boolean: 3."),
    ],
)
def test_a_wrong_kind_cfg_entry_is_tlcs_error(
    cfg: str, code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    got, out, err = run(cfg, capsys)
    assert got == code
    assert message in out + err


def test_a_root_module_named_unlike_its_file_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    # TLC 2.20: "File name 'Misnamed' does not match the name 'Other' of the top level module it
    # contains." exit 150.
    code, _, err = run("Misnamed", capsys, spec="Misnamed")
    assert code == 150
    assert "error[E703]: File name 'Misnamed' does not match the name 'Other'" in err


TRACE_TO_X2 = (
    "Error: The behavior up to this point is:\n"
    'State 1: <Initial predicate>\n/\\ x = 0\n/\\ y = "a"\n\n'
    'State 2: <{a}>\n/\\ x = 1\n/\\ y = "a"\n\n'
    'State 3: <{a}>\n/\\ x = 2\n/\\ y = "a"\n'
)


@pytest.mark.parametrize(
    ("cfg", "code", "action"),
    [
        ("InvariantFails", 76, "Next"),  # TLC 2.20: "Evaluating invariant BadInv failed.", exit 76
        ("AssertFails", 14, "AssertNext"),  # TLC 2.20: "The first argument of Assert ...", exit 14
        ("NextFails", 75, "BadNext"),  # TLC 2.20: a non-function applied as a function, exit 75
    ],
)
def test_an_evaluation_error_prints_the_behaviour_that_led_to_it(
    cfg: str, code: int, action: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # TLC 2.20 prints the same three states (x = 0, 1, 2) after each of these errors.
    got, out, err = run(cfg, capsys)
    assert got == code
    assert TRACE_TO_X2.format(a=action) in err
    assert "The error occurred in the state:" not in err


def test_alias_replaces_the_variables_in_every_trace_state(capsys: pytest.CaptureFixture[str]) -> None:
    # TLC 2.20, exit 12: the record's fields in their written order; x' of the last state is
    # its own x (2), as TLC evaluates the ALIAS of the last state with itself.
    code, out, _ = run("AliasInvariant", capsys)
    assert code == 12
    assert (
        "State 1: <Initial predicate>\n/\\ xx = 0\n/\\ double = 0\n/\\ nxt = 1\n\n"
        "State 2: <Next>\n/\\ xx = 1\n/\\ double = 2\n/\\ nxt = 2\n\n"
        "State 3: <Next>\n/\\ xx = 2\n/\\ double = 4\n/\\ nxt = 2\n"
    ) in out


def test_alias_on_a_deadlock_trace(capsys: pytest.CaptureFixture[str]) -> None:
    # TLC 2.20, exit 11: four states, nxt = 1, 2, 3, 3.
    code, out, _ = run("AliasDeadlock", capsys)
    assert code == 11
    assert "State 3: <Next>\n/\\ xx = 2\n/\\ double = 4\n/\\ nxt = 3\n" in out
    assert "State 4: <Next>\n/\\ xx = 3\n/\\ double = 6\n/\\ nxt = 3\n" in out


def test_an_evaluation_error_in_a_temporal_property_exits_255_as_tlc(capsys: pytest.CaptureFixture[str]) -> None:
    # TLC 2.20: "Error: The second argument of \\div is 0." while evaluating BadLive (x = 2),
    # exit 255: TLC's exit code 77 is for a property it finds to be a tautology, not this.
    code, _, err = run("LiveEvalFails", capsys)
    assert code == 255
    assert "The second argument of \\div is 0" in err and "while evaluating the property BadLive" in err


def test_a_state_whose_alias_fails_is_printed_as_itself(capsys: pytest.CaptureFixture[str]) -> None:
    # TLC 2.20, exit 12: the ALIAS of states 1 and 2, then state 3's variables (BadAlias fails
    # there on y[1]), and no word of the failure; we add a warning (SlidingPuzzles_anim's ALIAS).
    code, out, err = run("AliasFails", capsys)
    assert code == 12
    assert (
        "State 1: <Initial predicate>\n/\\ xx = 0\n/\\ bad = 0\n\n"
        "State 2: <Next>\n/\\ xx = 1\n/\\ bad = 0\n\n"
        'State 3: <Next>\n/\\ x = 2\n/\\ y = "a"\n'
    ) in out
    assert "warning: the ALIAS could not be evaluated" in err


def test_an_undefined_alias_is_ignored_as_tlc_does_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    # TLC 2.20 ignores ALIAS Nope silently (exit 12, the variables printed); we warn.
    code, out, _ = run("AliasUndefined", capsys)
    assert code == 12
    assert "AliasUndefined.cfg:4:7: warning: ALIAS Nope: the spec defines no 'Nope'" in out
    assert 'State 1: <Initial predicate>\n/\\ x = 0\n/\\ y = "a"\n' in out
