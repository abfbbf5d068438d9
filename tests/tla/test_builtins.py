"""The one table of built-in operators (checker/tla/builtins.py) and the stages that read it:
resolve, the compiler and prove's encoder each handle exactly what the table says they do."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main
from checker.prove.encode import _ENCODINGS
from checker.tla.builtins import BUILTINS, EVALUATED, OPERATORS, STANDARD_MODULES

# One use of every built-in the explicit evaluator implements, TRUE in TLC 2.20 (the spec below,
# run with TLC 2.20: every ASSUME holds, 0 states, no error).
EXAMPLES: dict[str, str] = {
    "BOOLEAN": "BOOLEAN = {TRUE, FALSE}",
    "STRING": '"abc" \\in STRING',
    "=": "1 = 1",
    "/=": "1 /= 2",
    "\\in": "1 \\in {1}",
    "\\notin": "2 \\notin {1}",
    "/\\": "TRUE /\\ TRUE",
    "\\/": "FALSE \\/ TRUE",
    "~": "~FALSE",
    "=>": "FALSE => FALSE",
    "<=>": "FALSE <=> FALSE",
    "\\cup": "{1} \\cup {2} = {1, 2}",
    "\\cap": "{1, 2} \\cap {2, 3} = {2}",
    "\\": "{1, 2} \\ {2} = {1}",
    "\\subseteq": "{1} \\subseteq {1, 2}",
    "SUBSET": "SUBSET {1} = {{}, {1}}",
    "UNION": "UNION {{1}, {2}} = {1, 2}",
    "DOMAIN": "DOMAIN <<7, 8>> = {1, 2}",
    "\\X": "{1} \\X {2} = {<<1, 2>>}",
    "Nat": "3 \\in Nat",
    "+": "2 + 3 = 5",
    "-": "2 - 3 = -1",
    "*": "2 * 3 = 6",
    "^": "2 ^ 10 = 1024",
    "<": "2 < 3",
    ">": "3 > 2",
    "<=": "3 <= 3",
    ">=": "3 >= 3",
    "%": "(-7) % 2 = 1",
    "\\div": "(-7) \\div 2 = -4",
    "..": "2..4 = {2, 3, 4}",
    "Int": "-3 \\in Int",
    "-.": "-(2) + 2 = 0",
    "Seq": "<<1, 1>> \\in Seq({1})",
    "Len": "Len(<<1, 2>>) = 2",
    "\\o": "<<1>> \\o <<2>> = <<1, 2>>",
    "Append": "Append(<<1>>, 2) = <<1, 2>>",
    "Head": "Head(<<1, 2>>) = 1",
    "Tail": "Tail(<<1, 2>>) = <<2>>",
    "SubSeq": "SubSeq(<<1, 2, 3>>, 2, 3) = <<2, 3>>",
    "SelectSeq": "SelectSeq(<<1, 2, 3>>, Odd) = <<1, 3>>",
    "IsFiniteSet": "IsFiniteSet({1, 2})",
    "Cardinality": "Cardinality({1, 2}) = 2",
    "IsABag": "IsABag(SetToBag({1}))",
    "BagToSet": "BagToSet(SetToBag({1, 2})) = {1, 2}",
    "SetToBag": "SetToBag({1}) = (1 :> 1)",
    "BagIn": "BagIn(1, SetToBag({1}))",
    "EmptyBag": "EmptyBag = SetToBag({})",
    "\\oplus": "SetToBag({1}) (+) SetToBag({1}) = (1 :> 2)",
    "\\ominus": "(1 :> 2) (-) SetToBag({1}) = (1 :> 1)",
    "BagUnion": "BagUnion({SetToBag({1}), SetToBag({2})}) = SetToBag({1, 2})",
    "\\sqsubseteq": "SetToBag({1}) \\sqsubseteq (1 :> 2)",
    "SubBag": "SubBag(SetToBag({1})) = {EmptyBag, SetToBag({1})}",
    "BagOfAll": "BagOfAll(Double, SetToBag({1, 2})) = SetToBag({2, 4})",
    "BagCardinality": "BagCardinality((1 :> 2)) = 2",
    "CopiesIn": "CopiesIn(1, (1 :> 2)) = 2",
    "Print": "Print(<<\"printed\">>, TRUE)",
    "PrintT": "PrintT(TRUE)",
    "Assert": 'Assert(TRUE, "never")',
    "JavaTime": "JavaTime \\in Nat",
    "TLCGet": 'TLCGet("level") = 0',
    "TLCSet": "TLCSet(1, 5)",
    ":>": "(1 :> 2)[1] = 2",
    "@@": "((1 :> 2) @@ (1 :> 3) @@ (2 :> 4))[1] = 2",
    "Permutations": "Cardinality(Permutations({1, 2, 3})) = 6",
    "SortSeq": "SortSeq(<<3, 1, 2>>, <) = <<1, 2, 3>>",
    "RandomElement": "RandomElement({7}) = 7",
    "ToString": 'ToString(12) = "12"',
    "TLCEval": "TLCEval(1 + 1) = 2",
}
NEED_A_STATE = {"'", "UNCHANGED", "ENABLED", "Trace"}  # the corpus checks them (TraceOp)

SPEC = """---- MODULE Builtins ----
EXTENDS Naturals, Integers, Sequences, FiniteSets, Bags, TLC
Odd(x) == x % 2 = 1
Double(x) == 2 * x
{assumes}
====
"""


def test_every_builtin_the_evaluator_implements_has_an_example() -> None:
    assert set(EXAMPLES) | NEED_A_STATE == EVALUATED


def test_every_example_holds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "Builtins.tla"
    spec.write_text(SPEC.format(assumes="\n".join(f"ASSUME {e}" for e in EXAMPLES.values())))
    (tmp_path / "Builtins.cfg").write_text("")
    assert main(["check", str(spec), "--quiet"]) == 0, capsys.readouterr()
    assert '<<"printed">>' in capsys.readouterr().out


def test_a_false_example_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "Builtins.tla"
    spec.write_text(SPEC.format(assumes="ASSUME SortSeq(<<3, 1, 2>>, >) = <<1, 2, 3>>"))
    (tmp_path / "Builtins.cfg").write_text("")
    assert main(["check", str(spec), "--quiet"]) == 10


@pytest.mark.parametrize(("module", "expr"), [("TLCExt", "AssertEq(1, 1)"), ("TLC", "Any = 1")])
def test_a_builtin_the_evaluator_does_not_implement_is_E299(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], module: str, expr: str
) -> None:
    spec = tmp_path / "Unsupported.tla"
    spec.write_text(f"---- MODULE Unsupported ----\nEXTENDS {module}\nASSUME {expr}\n====\n")
    (tmp_path / "Unsupported.cfg").write_text("")
    assert main(["check", str(spec), "--quiet"]) == 150
    err = capsys.readouterr().err
    assert "error[E299]" in err and f"of module {module} is not supported" in err


def test_prove_encodes_exactly_the_builtins_the_table_marks() -> None:
    assert set(_ENCODINGS) == {b.name for b in BUILTINS.values() if b.prove}


def test_prove_names_a_builtin_it_cannot_encode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "Pow.tla"
    spec.write_text(
        "---- MODULE Pow ----\nEXTENDS Naturals\nVARIABLE x\nTypeOK == x \\in 0..3\n"
        "Init == x = 0\nNext == x' = (x + 1) % 4\nInv == TypeOK /\\ x ^ 1 = x\n====\n"
    )
    (tmp_path / "Pow.cfg").write_text("INIT Init\nNEXT Next\n")
    assert main(["prove", str(spec), "--inv", "Inv", "--quiet"]) == 150
    assert "the operator ^ of module Naturals is not supported by prove" in capsys.readouterr().err


def test_the_standard_modules_are_the_table_grouped_by_module() -> None:
    assert STANDARD_MODULES["Sequences"].ops["SubSeq"] == 3
    assert STANDARD_MODULES["Integers"].extends == ("Naturals",)
    assert OPERATORS["\\X"] == -1 and "Nat" not in OPERATORS
    grouped = {name for m in STANDARD_MODULES.values() for name in m.ops} | set(OPERATORS)
    assert grouped == set(BUILTINS)


@pytest.mark.parametrize(
    ("use", "one_process", "invariants_pure"),
    [
        ("x < 5", False, True),
        ("PrintT(x) /\\ x < 5", False, False),  # an effect: invariants run on every state
        ("TLCSet(1, x) /\\ x < 5", True, False),  # registers shared between states: one process
        ("RandomElement({x}) < 5", True, False),
    ],
)
def test_what_the_run_must_know_comes_from_the_table(
    tmp_path: Path, use: str, one_process: bool, invariants_pure: bool
) -> None:
    from checker.tla.loader import load_spec_model

    spec = tmp_path / "Run.tla"
    spec.write_text(
        "---- MODULE Run ----\nEXTENDS Naturals, TLC\nVARIABLE x\n"
        f"Init == x = 0\nNext == x' = (x + 1) % 3\nInv == {use}\n====\n"
    )
    (tmp_path / "Run.cfg").write_text("INIT Init\nNEXT Next\nINVARIANT Inv\n")
    model = load_spec_model(spec, tmp_path / "Run.cfg", [])
    assert (model.one_process, model.invariants_pure) == (one_process, invariants_pure)
