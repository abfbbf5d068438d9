"""Runtime errors: one spec per kind, each reported with TLC's wording, the span and the state.

TLC 2.20 stops with exit code 75 on each spec of errors/ (checked by running it);
the span asserted is where TLC points too (its "line L, col C" for the failing
expression), except where noted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main
from checker.engine import CheckOptions, check
from checker.errors import SpecError
from checker.tla.loader import load_spec_model
from checker.tla.stdlib import EvalError

ERRORS = Path(__file__).parent / "errors"

# spec: (line, col, words of the message, the state it happened in)
CASES = {
    # TLC 2.20: "Attempted to apply function: <<10, 20>> to argument 11, which is not in the domain".
    "OutsideDomain": (6, 14, "to argument 11, which is not in the domain", "/\\ x = 10"),
    # TLC 2.20: "CHOOSE x \in S: P, but no element of S satisfied P." line 5, col 14.
    "ChooseNoWitness": (5, 14, "no element of S satisfied P", "/\\ x = 2"),
    # TLC 2.20: "Attempted to check equality of integer 0 with non-integer: "zero"".
    "Incomparable": (5, 17, 'equality of integer 0 with non-integer "zero"', "/\\ x = 0"),
    # TLC 2.20: "TLC encountered the non-enumerable quantifier bound Nat" (TLC points at Nat, col 18).
    "InfiniteSet": (5, 9, "infinite set Nat", "/\\ x = 0"),
    # TLC 2.20: "Attempted to select nonexistent field "b" from the record [a |-> 1]" line 5, col 21.
    "MissingField": (5, 21, "nonexistent field 'b'", "/\\ r = [a |-> 1]"),
    # TLC 2.20: "In evaluation, the identifier x is either undefined or not an operator." line 5, col 17.
    "PrimedBeforeAssigned": (5, 17, "variable x was used before it was assigned", "/\\ y = 0"),
    # TLC 2.20: "Successor state is not completely specified by the next-state action. The following
    # variable is not defined: y." (no position; we point at Next).
    "Unassigned": (5, 1, "the variable y is not assigned", "/\\ y = 0"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_runtime_error_has_tlcs_meaning_span_and_state(name: str) -> None:
    line, col, words, state = CASES[name]
    model = load_spec_model(ERRORS / f"{name}.tla", None, [])
    with pytest.raises(EvalError) as info:
        check(model, CheckOptions())
    err = info.value
    assert err.exit_code == 75
    assert err.span is not None and (err.span.line, err.span.col) == (line, col)
    assert err.span.file.endswith(f"{name}.tla")
    assert words in err.message
    text = str(err)
    assert state in text
    assert text.startswith(f"{err.span.file}:{line}:{col}: error[E750]")
    assert "^" in text  # the source line with carets


def test_an_error_inside_operators_names_them_innermost_first(tmp_path: Path) -> None:
    (tmp_path / "Stack.tla").write_text(
        "---- MODULE Stack ----\n"
        "EXTENDS Naturals\n"
        "VARIABLE x\n"
        "Get(f, i) == f[i]\n"
        "Step(k) == x' = Get(<<1, 2>>, k)\n"
        "Init == x = 0\n"
        "Next == \\E k \\in {3} : Step(k)\n"
        "====\n"
    )
    (tmp_path / "Stack.cfg").write_text("INIT Init\nNEXT Next\n")
    with pytest.raises(EvalError) as info:
        check(load_spec_model(tmp_path / "Stack.tla", None, []), CheckOptions())
    err = info.value
    assert (err.span.line, err.span.col) == (4, 14)  # type: ignore[union-attr]
    assert [name for name, _ in err.stack] == ["Get", "Step", "Next"]
    # Get is called on line 5, Step on line 7, and Next is the definition on line 7.
    assert [s.line for _, s in err.stack if s is not None] == [5, 7, 7]


def test_cli_exits_75_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    from checker.cli import main

    code = main(["check", str(ERRORS / "OutsideDomain.tla"), "-q"])
    out = capsys.readouterr()
    assert code == 75
    assert "Traceback" not in out.err + out.out
    assert "OutsideDomain.tla:6:14: error[E750]" in out.err


def test_a_recursive_operator_whose_parameter_is_primed_is_a_coded_error(tmp_path: Path) -> None:
    # Arguments are passed by name (TLC's substitution); a RECURSIVE operator's body is compiled
    # once, with its parameters as values, so a primed parameter cannot be honoured: an error,
    # never the value's meaning silently.
    from checker.errors import SpecError

    (tmp_path / "RecPrime.tla").write_text(
        "---- MODULE RecPrime ----\n"
        "EXTENDS Naturals\n"
        "VARIABLE x\n"
        "RECURSIVE Up(_, _)\n"
        "Up(v, n) == IF n = 0 THEN v' = v + 1 ELSE Up(v, n - 1)\n"
        "Init == x = 0\n"
        "Next == Up(x, 2)\n"
        "====\n"
    )
    (tmp_path / "RecPrime.cfg").write_text("INIT Init\nNEXT Next\n")
    with pytest.raises(SpecError) as info:
        load_spec_model(tmp_path / "RecPrime.tla", None, [])
    assert info.value.code == "E212" and info.value.span is not None
    assert info.value.span.line in (5, 7)  # a call of Up that passes the primed parameter
    assert "parameter v of the RECURSIVE operator Up is primed" in info.value.message


def test_a_recursive_lazy_function_with_branches_in_an_action_fails_where_tlc_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # TLC 2.20 enumerates the body of a lazy function applied in an action, recursive
    # applications included (corpus RecFnAction, RecFnConstDomain). Here R[b - 1] reaches
    # R[-1] in the branch b = 0 \/ ...: TLC 2.20 fails at 6:49 ("the first argument is: -1
    # which is not in its domain"), exit 75, after 2 states generated, 2 distinct.
    (tmp_path / "RecBranch.tla").write_text(
        "---- MODULE RecBranch ----\n"
        "EXTENDS Integers\n"
        "VARIABLE x\n"
        "Init == x = 0\n"
        "SA[b \\in 0..2] == b = 0 \\/ (x >= 0 /\\ SA[b - 1])\n"
        "Next == x < 2 /\\ (LET R[b \\in 0..2] == b = 0 \\/ R[b - 1] IN R[x]) /\\ x' = x + 1\n"
        "====\n"
    )
    (tmp_path / "RecBranch.cfg").write_text("INIT Init\nNEXT Next\n")
    assert main(["check", str(tmp_path / "RecBranch.tla")]) == 75
    err = capsys.readouterr().err
    assert "RecBranch.tla:6:49: error[E750]: Attempted to apply function R to argument -1" in err


@pytest.mark.parametrize(
    "assume",
    ["x # 7", "Big", "1 > 0 /\\ x' = x"],
)
def test_an_assume_that_reads_a_variable_is_a_level_error(tmp_path: Path, assume: str) -> None:
    # TLC 2.20 (SANY): "Level error: assumptions must be level 0 (Constant), but this one has
    # level 1." and exit 150, before any evaluation. The fuzz test found this one as exit 153.
    (tmp_path / "A.tla").write_text(
        "---- MODULE A ----\nEXTENDS Naturals\nVARIABLE x\nBig == x > 3\n"
        f"ASSUME {assume}\nInit == x = 0\nNext == x' = x\n====\n"
    )
    (tmp_path / "A.cfg").write_text("INIT Init\nNEXT Next\n")
    with pytest.raises(SpecError) as info:
        load_spec_model(tmp_path / "A.tla", tmp_path / "A.cfg", [])
    err = info.value
    assert err.code == "E214" and err.exit_code == 150
    assert err.span is not None and (err.span.line, err.span.col) == (5, 8)
    assert "assumptions must be level 0" in err.message


def test_a_substituted_constant_that_cannot_be_evaluated_is_a_cfg_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # TLC 2.20 evaluates `N <- Big` before the search: "The configuration file substitutes
    # constant N with non-constant Big - specifically: ... S was not enumerable.", exit 151
    # (EWD998ChanTrace's `N <- TraceN`, whose ndJsonDeserialize is an unbounded CHOOSE).
    (tmp_path / "SubstBad.tla").write_text(
        "---- MODULE SubstBad ----\nEXTENDS Integers\nCONSTANT N\nVARIABLE x\n"
        "Big == CHOOSE n \\in Nat : n > 3\nInit == x = N\nNext == UNCHANGED x\n====\n"
    )
    (tmp_path / "SubstBad.cfg").write_text("CONSTANT N <- Big\nINIT Init\nNEXT Next\n")
    assert main(["check", str(tmp_path / "SubstBad.tla")]) == 151
    err = capsys.readouterr().err
    assert (
        "SubstBad.cfg:1:10: error[E749]: The configuration file substitutes constant N with non-constant Big"
        in err
    )
    assert "SubstBad.tla:5:8: Attempted to enumerate the infinite set Nat." in err


def test_an_initial_predicate_that_leaves_a_variable_unassigned_exits_255(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # TLC 2.20 (also with -noGenerateSpecTE): "Error: current state is not a legal state",
    # the partial state (y = null), exit 255 (EWD998ChanID_export's MCInit leaves `passes`).
    (tmp_path / "IA.tla").write_text(
        "---- MODULE IA ----\nVARIABLES x, y\nInit == x = 0\nNext == UNCHANGED <<x, y>>\n====\n"
    )
    (tmp_path / "IA.cfg").write_text("INIT Init\nNEXT Next\n")
    assert main(["check", str(tmp_path / "IA.tla")]) == 255
    assert "IA.tla:3:1: error[E750]: The initial predicate does not assign a value to the variable y" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_set_in_a_state_whose_elements_tlc_cannot_compare(workers: str, capsys: pytest.CaptureFixture[str]) -> None:
    # TLC 2.20 on MixedSet.tla: "Attempted to compare string "a" with non-string: 1" while
    # fingerprinting the successor {1, "a"} of x = 1, exit 75, the behaviour up to x = 1
    # (2 states); the set itself is never a state.
    code = main(["check", str(ERRORS / "MixedSet.tla"), "--workers", workers])
    out = capsys.readouterr()
    assert code == 75
    assert "Traceback" not in out.err + out.out
    assert 'error[E750]: Attempted to compare integer 1 with non-integer "a"' in out.err
    trace = out.err[out.err.index("The behavior up to this point") :]
    assert [line for line in trace.splitlines() if line.startswith("/\\ x")] == ["/\\ x = 0", "/\\ x = 1"]


def test_a_boolean_is_not_an_element_of_a_set_of_integers(capsys: pytest.CaptureFixture[str]) -> None:
    # TLC 2.20 on BoolInInts.tla: "Evaluating invariant TypeOK failed. Attempted to check if
    # the value: FALSE is in the integer interval 0..3", exit 76, the behaviour up to x = FALSE
    # (2 states). Python's `False in {0, 1, 2, 3}` is True (0 == False): TypeOK held here before.
    code = main(["check", str(ERRORS / "BoolInInts.tla")])
    out = capsys.readouterr()
    assert code == 76
    assert "BoolInInts.tla:6:11: error[E750]: Attempted to check if the boolean FALSE is an element of" in out.err
    trace = out.err[out.err.index("The behavior up to this point") :]
    assert [line for line in trace.splitlines() if line.startswith("/\\ x")] == ["/\\ x = 0", "/\\ x = FALSE"]


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("TRUE \\in 0..3", "the boolean TRUE is an element of {0, 1, 2, 3}"),
        ("1 \\in BOOLEAN", "the integer 1 is an element of {FALSE, TRUE}"),
        ("0 \\notin BOOLEAN", "the integer 0 is an element of {FALSE, TRUE}"),
        ("TRUE \\in Nat", "the value TRUE is an element of Nat"),
        ("\"a\" \\in Int", "the value \"a\" is an element of Int"),
        ("1 \\in STRING", "the value 1 is an element of STRING"),
    ],
)
def test_membership_of_a_value_of_another_kind_is_tlcs_error(tmp_path: Path, expr: str, words: str) -> None:
    # TLC 2.20 stops on each ("Attempted to check if the value: TRUE is in the integer
    # interval 0..3", "Attempted to compare integer 1 with non-integer: FALSE", "... is an
    # element of Nat"), in the initial predicate as in an action (x' = (e)).
    for init, step in ((f"x = ({expr}) /\\ y = 0", "UNCHANGED <<x, y>>"), ("x = 0 /\\ y = 0", f"x' = 0 /\\ y' = ({expr})")):
        (tmp_path / "K.tla").write_text(
            f"---- MODULE K ----\nEXTENDS Integers\nVARIABLES x, y\nInit == {init}\nNext == {step}\n====\n"
        )
        (tmp_path / "K.cfg").write_text("INIT Init\nNEXT Next\n")
        with pytest.raises(EvalError, match="Attempted to check if") as info:
            check(load_spec_model(tmp_path / "K.tla", None, []), CheckOptions())
        assert words in info.value.message


def test_a_model_value_is_not_an_element_of_a_set_of_integers(tmp_path: Path) -> None:
    # TLC: an (untyped) model value is FALSE in any set of other values, not an error
    # (TLC 2.20 on this spec: 3 states generated, 2 distinct, no error).
    (tmp_path / "K.tla").write_text(
        "---- MODULE K ----\nEXTENDS Naturals\nCONSTANT m\nVARIABLE x\n"
        "Init == x = 0\nNext == x' = IF m \\in 0..3 \\/ m \\in Nat \\/ m \\in BOOLEAN THEN 1 ELSE 2\n====\n"
    )
    (tmp_path / "K.cfg").write_text("CONSTANT m = m\nINIT Init\nNEXT Next\n")
    result = check(load_spec_model(tmp_path / "K.tla", None, []), CheckOptions())
    assert (result.stats.generated, result.stats.distinct) == (3, 2)


@pytest.mark.parametrize(
    ("f", "arg"),
    [("[i \\in {0, 1} |-> i]", "FALSE"), ("[i \\in {1, 2} |-> i]", "TRUE"), ("[b \\in BOOLEAN |-> 5]", "1")],
)
@pytest.mark.parametrize("where", ["variable", "constant"])
def test_a_function_of_integers_applied_to_a_boolean_is_tlcs_error(tmp_path: Path, f: str, arg: str, where: str) -> None:
    # TLC 2.20 stops on each ("Attempted to check equality of integer 0 with non-integer:
    # FALSE", "Attempted to compare integer 1 with non-integer: FALSE"): Python's dict finds 0's
    # value for FALSE. The function a variable (the generated code's f[x]) or written out.
    fn = "f" if where == "variable" else f
    (tmp_path / "K.tla").write_text(
        "---- MODULE K ----\nEXTENDS Integers\nVARIABLES x, f, y\n"
        f"Init == x = {arg} /\\ f = {f} /\\ y = 0\n"
        f"Next == UNCHANGED <<x, f>> /\\ y' = {fn}[x]\n====\n"
    )
    (tmp_path / "K.cfg").write_text("INIT Init\nNEXT Next\n")
    with pytest.raises(EvalError, match="Attempted to apply function"):
        check(load_spec_model(tmp_path / "K.tla", None, []), CheckOptions())
