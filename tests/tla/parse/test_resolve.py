"""Name resolution: the module search path, standard module signatures, and name errors.

Each error test pins the code and the span; expected outcomes follow SANY's rules
(TLA+ has no shadowing, definitions come before use, INSTANCE needs every parameter).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import SpecError, SpecErrors
from checker.tla.builtins import STANDARD_MODULES
from checker.tla.parser import parse_module
from checker.tla.resolve import ResolvedSpec, SearchPath, resolve_file, resolve_module

COUNTER = """---- MODULE Counter ----
EXTENDS Naturals
CONSTANT Max
VARIABLE count
Init == count = 0
Step(k) == count' = count + k /\\ count + k <= Max
====
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / f"{name}.tla"
    p.write_text(text, encoding="utf-8")
    return p


def module(name: str, body: str, extends: str = "") -> str:
    ext = f"EXTENDS {extends}\n" if extends else ""
    return f"---- MODULE {name} ----\n{ext}{body}====\n"


def resolve_text(body: str, extends: str = "Naturals") -> ResolvedSpec:
    return resolve_module(parse_module(module("M", body, extends), "M.tla"), SearchPath(()), "M.tla")


def errors(body: str, extends: str = "Naturals") -> list[SpecError]:
    with pytest.raises(SpecErrors) as info:
        resolve_text(body, extends)
    return info.value.errors


def where(e: SpecError) -> tuple[str, int, int, int, int]:
    assert e.span is not None
    return (e.code, e.span.line, e.span.col, e.span.end_line, e.span.end_col)


def test_modules_beside_the_spec_then_lib_then_environment(tmp_path: Path) -> None:
    spec = write(tmp_path / "spec", "Spec", module("Spec", "A == B + C + D\n", "Near, Lib, Env"))
    write(tmp_path / "spec", "Near", module("Near", "B == 1\n"))
    write(tmp_path / "lib", "Lib", module("Lib", "C == 2\n"))
    write(tmp_path / "env", "Env", module("Env", "D == 3\n", "Naturals"))
    r = resolve_file(spec, [tmp_path / "lib"], {"TLACHECK_PATH": str(tmp_path / "env")})
    assert sorted(r.modules) == ["Env", "Lib", "Near", "Spec"]
    assert r.standard == frozenset({"Naturals"})
    assert r.files["Lib"] == str(tmp_path / "lib" / "Lib.tla")


def test_a_module_beside_the_spec_wins_over_the_library_and_the_builtins(tmp_path: Path) -> None:
    spec = write(tmp_path / "spec", "Spec", module("Spec", "A == Mine\n", "Naturals, Twin"))
    write(tmp_path / "spec", "Naturals", module("Naturals", "Mine == 1\n"))
    write(tmp_path / "spec", "Twin", module("Twin", "T == 1\n"))
    write(tmp_path / "lib", "Twin", module("Twin", "Other == 1\n"))
    r = resolve_file(spec, [tmp_path / "lib"], {})
    assert "Naturals" in r.modules and r.standard == frozenset()
    assert "T" in r.exports["Twin"] and "Other" not in r.exports["Twin"]


def test_standard_module_signatures() -> None:
    r = resolve_text(
        "A == Len(Append(<<1>>, 2)) + Cardinality({1})\nB == -1 \\in Int\n", "Integers, Sequences, FiniteSets"
    )
    assert r.standard == frozenset({"Integers", "Naturals", "Sequences", "FiniteSets"})
    assert STANDARD_MODULES["Sequences"].ops["SubSeq"] == 3
    assert STANDARD_MODULES["TLC"].ops[":>"] == 2


def test_instances_extends_nested_modules_and_higher_order_operators(tmp_path: Path) -> None:
    body = """CONSTANT N
VARIABLES x, y
INSTANCE Counter WITH count <- x, Max <- N
C == INSTANCE Counter WITH count <- y, Max <- N
Apply(F(_), v) == F(v)
Inc(v) == v + 1
A == C!Step(1) /\\ Init /\\ Apply(Inc, 1) = Apply(LAMBDA v : v, 2)
RECURSIVE Fact(_)
Fact(k) == IF k = 0 THEN 1 ELSE k * Fact(k - 1)
f[k \\in Nat] == IF k = 0 THEN 0 ELSE f[k - 1]
---- MODULE Inner ----
B == N + 1
====
I == INSTANCE Inner
Z == I!B + [r EXCEPT ![1] = @ + 1][1]
r == <<1>>
"""
    spec = write(tmp_path, "M", module("M", body, "Naturals"))
    write(tmp_path, "Counter", COUNTER)
    with pytest.raises(SpecErrors) as info:
        resolve_file(spec, [], {})
    # Only ``r`` is used before its definition (TLA+ needs definitions first).
    assert [where(e) for e in info.value.errors] == [("E202", 17, 13, 17, 14)]
    assert (
        info.value.errors[0].hint
        == "'r' is defined below, at line 18: TLA+ needs a definition before its use"
    )


def test_e201_unknown_module_with_hint() -> None:
    [e] = errors("A == 1\n", "Naturals, Sequence")
    assert where(e) == ("E201", 2, 19, 2, 27)
    assert e.hint == "did you mean 'Sequences'?"


def test_e202_unknown_name_with_did_you_mean() -> None:
    [e] = errors("VARIABLE commitIndex\nA == comitIndex + 1\n")
    assert where(e) == ("E202", 4, 6, 4, 16)
    assert e.message == "unknown name 'comitIndex'"
    assert e.hint == "did you mean 'commitIndex'?"


def test_e202_names_the_standard_module_to_extend() -> None:
    [e] = errors("A == Len(<<>>)\n")
    assert where(e) == ("E202", 3, 6, 3, 15)
    assert e.hint == "'Len' is defined in the standard module Sequences: add it to EXTENDS"


def test_e202_operator_without_its_module() -> None:
    [e] = errors("A == 1 + 2\n", extends="")
    assert where(e) == ("E202", 2, 6, 2, 11)


def test_e203_wrong_arity() -> None:
    [e] = errors("F(a, b) == a\nA == F(1)\n")
    assert where(e) == ("E203", 4, 6, 4, 10)
    assert e.message == "'F' takes 2 arguments, not 1"


def test_e204_defined_twice() -> None:
    [e] = errors("A == 1\nA == 2\n")
    assert where(e) == ("E204", 4, 1, 4, 7)
    assert "first at M.tla:3:1" in e.message


def test_e204_redefining_an_imported_operator() -> None:
    [e] = errors("Nat == 1\n")
    assert where(e) == ("E204", 3, 1, 3, 9)


def test_e204_bound_variable_shadows_a_definition() -> None:
    [e] = errors("x == 1\nA == \\E x \\in {1} : x = 1\n")
    assert where(e)[:3] == ("E204", 4, 9)


def test_e205_circular_extends(tmp_path: Path) -> None:
    spec = write(tmp_path, "P", module("P", "A == 1\n", "Q"))
    write(tmp_path, "Q", module("Q", "B == 1\n", "P"))
    with pytest.raises(SpecErrors) as info:
        resolve_file(spec, [], {})
    [e] = info.value.errors
    assert e.code == "E205" and e.message == "circular EXTENDS/INSTANCE: P -> Q -> P"
    assert e.span is not None and (e.span.file, e.span.line, e.span.col) == (str(tmp_path / "Q.tla"), 2, 9)


def test_e206_instance_substitutions(tmp_path: Path) -> None:
    spec = write(tmp_path, "M", module("M", "VARIABLE x\nINSTANCE Counter WITH count <- x, Mx <- 3\n"))
    write(tmp_path, "Counter", COUNTER)
    with pytest.raises(SpecErrors) as info:
        resolve_file(spec, [], {})
    got = [(e.code, e.message) for e in info.value.errors]
    assert got == [
        ("E206", "INSTANCE Counter needs a value for its constant Max"),
        ("E206", "INSTANCE Counter WITH Mx <- ...: Counter has no constant or variable Mx"),
    ]
    assert [where(e) for e in info.value.errors] == [("E206", 3, 1, 3, 42), ("E206", 3, 41, 3, 42)]
    assert info.value.errors[1].hint == "did you mean 'Max'?"


def test_e207_at_outside_except() -> None:
    [e] = errors("A == @ + 1\n")
    assert where(e) == ("E207", 3, 6, 3, 7)


def test_e208_file_holds_another_module(tmp_path: Path) -> None:
    spec = write(tmp_path, "M", module("M", "A == 1\n", "Other"))
    write(tmp_path, "Other", module("NotOther", "B == 1\n"))
    with pytest.raises(SpecErrors) as info:
        resolve_file(spec, [], {})
    [e] = info.value.errors
    assert e.code == "E208" and e.span is not None
    # The span is the whole module in Other.tla.
    assert (e.span.file, e.span.line, e.span.col, e.span.end_line) == (str(tmp_path / "Other.tla"), 1, 1, 3)


def test_several_name_errors_are_collected() -> None:
    errs = errors("A == b + 1\nB == F(1)\nC == A(2)\n")
    assert [where(e)[:3] for e in errs] == [("E202", 3, 6), ("E202", 4, 6), ("E203", 5, 6)]


def test_sany_accepts_a_duplicate_definition_with_the_same_text(tmp_path: Path) -> None:
    body = "Sum(a) == a + 1\nINSTANCE Twin\n"
    spec = write(tmp_path, "M", module("M", body, "Naturals"))
    write(tmp_path, "Twin", module("Twin", "Sum(a) == a + 1\n", "Naturals"))
    r = resolve_file(spec, [], {})
    assert "Sum" in r.exports["M"]


def test_e209_nesting_too_deep_is_an_error_not_a_traceback() -> None:
    text = "---- MODULE M ----\nA == " + "{" * 5_000 + "}" * 5_000 + "\n====\n"
    with pytest.raises(SpecErrors) as info:
        resolve_module(parse_module(text, "M.tla"))
    assert [where(e) for e in info.value.errors] == [("E209", 1, 1, 3, 5)]


def test_a_module_later_in_the_file_is_read_and_a_file_of_its_own_comes_first(tmp_path: Path) -> None:
    # As SANY: modules after the first one of a file are read; a module of the same name in
    # a file of its own takes precedence (TLC's trace modules say so in their comments).
    (tmp_path / "Top.tla").write_text(
        "---- MODULE Top ----\nEXTENDS Low, Mid\nX == <<A, B>>\n====\n"
        "---- MODULE Low ----\nA == 1\n====\n---- MODULE Mid ----\nB == 2\n====\n"
    )
    (tmp_path / "Mid.tla").write_text("---- MODULE Mid ----\nB == 3\nC == 4\n====\n")
    resolved = resolve_file(tmp_path / "Top.tla")
    assert set(resolved.modules) >= {"Top", "Low", "Mid"}
    assert [u.name for u in resolved.modules["Mid"].units] == ["B", "C"]  # Mid.tla's
    low = resolved.modules["Low"]
    assert low.span.line == 5  # its place in Top.tla
