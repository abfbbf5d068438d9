"""The encoder on small specs of our own: verdicts and CTIs computed by hand, errors with spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.errors import SpecError
from checker.prove.induction import ProveOptions, check_induction, confirm_with_z3
from checker.prove.problem import load_problem
from checker.prove.report import format_report, prove_spec

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
Safe == y <= x
IndInv == TypeOK /\\ y <= x
Weak == TypeOK /\\ y <= N
Bad == /\\ TypeOK
       /\\ x <= 1
       /\\ y <= x
Broken == TypeOK /\\ ENABLED Inc
Untyped == y <= x
====
"""

CFG = "CONSTANT N = 3\nINIT Init\nNEXT Next\nINVARIANT Safe\n"


def write(tmp_path: Path, name: str, text: str, cfg: str) -> Path:
    spec = tmp_path / f"{name}.tla"
    spec.write_text(text)
    (tmp_path / f"{name}.cfg").write_text(cfg)
    return spec


def test_counter_invariant_is_inductive(tmp_path: Path) -> None:
    # By hand: Inc keeps y <= x (x grows), Copy sets y to x.
    r = check_induction(load_problem(write(tmp_path, "Counter", COUNTER, CFG), "IndInv").problem)
    assert r.verdict == "proved"
    assert r.actions == 2
    assert [c.target for c in r.checks] == ["Init", "Inc", "Copy", "Safe"]
    assert r.conjuncts == ("TypeOK", "IndInv conjunct 2")


def test_weak_invariant_is_inductive_but_does_not_imply_safe(tmp_path: Path) -> None:
    r = check_induction(load_problem(write(tmp_path, "Counter", COUNTER, CFG), "Weak").problem)
    assert [(c.kind, c.target, c.verdict) for c in r.checks] == [
        ("IndInit", "Init", "holds"),
        ("IndNext", "Inc", "holds"),
        ("IndNext", "Copy", "holds"),
        ("IndProp", "Safe", "fails"),
    ]
    (cti,) = r.ctis
    state = cti.trace.steps[0].record
    assert state["y"] > state["x"] and 0 <= state["x"] <= 3 and state["y"] <= 3  # any such state


def test_cti_names_the_action_and_the_broken_conjunct(tmp_path: Path) -> None:
    # By hand: from x = 1, Inc goes to x = 2, which breaks x <= 1; Copy keeps x.
    r = check_induction(load_problem(write(tmp_path, "Counter", COUNTER, CFG), "Bad").problem)
    (failed,) = r.failed("IndNext")
    assert failed.target == "Inc" and failed.broken == ("Bad conjunct 2",)
    assert failed.cti is not None
    before, after = (s.record for s in failed.cti.trace.steps)
    assert before["x"] == 1 and after["x"] == 2 and after["y"] == before["y"]
    assert failed.cti.trace.steps[1].label == "Inc"
    assert confirm_with_z3(r.problem, failed.cti) == "sat"


def test_successor_outside_the_type_is_a_cti_on_the_type(tmp_path: Path) -> None:
    text = """\
---- MODULE Grow ----
VARIABLE s
TypeOK == s \\subseteq {1, 2}
Init == s = {}
Add(e) == s' = s \\cup {e}
Next == \\E e \\in {1, 2, 3} : Add(e)
IndInv == TypeOK
====
"""
    r = check_induction(
        load_problem(write(tmp_path, "Grow", text, "INIT Init\nNEXT Next\n"), "IndInv").problem
    )
    assert [c.target for c in r.failed("IndNext")] == ["Add(3)"]
    (cti,) = r.ctis
    assert cti.left_type == ("s",)
    assert cti.broken[0] == "the type of s"
    assert 3 in cti.trace.steps[1].record["s"]


def test_unsupported_construct_is_an_error_with_its_span(tmp_path: Path) -> None:
    spec = write(tmp_path, "Counter", COUNTER, CFG)
    with pytest.raises(SpecError) as info:
        check_induction(load_problem(spec, "Broken").problem)
    err = info.value
    assert "ENABLED" in err.message
    assert err.span is not None and (err.span.line, err.span.col) == (16, 21)


def test_missing_type_says_which_conjunct_to_add(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        check_induction(load_problem(write(tmp_path, "Counter", COUNTER, CFG), "Untyped").problem)
    assert "no type for x, y" in info.value.message
    assert info.value.hint is not None and "x \\in" in info.value.hint


def test_action_that_leaves_a_variable_undetermined_is_an_error(tmp_path: Path) -> None:
    text = COUNTER.replace("Copy == y' = x /\\ UNCHANGED x", "Copy == y' = x")
    with pytest.raises(SpecError) as info:
        check_induction(load_problem(write(tmp_path, "Counter", text, CFG), "IndInv").problem)
    assert "does not determine the next value of x" in info.value.message


def test_unknown_is_reported_as_unknown_never_proved(tmp_path: Path) -> None:
    # Fermat for cubes over unbounded naturals: nonlinear integer arithmetic Z3 cannot decide.
    text = """\
---- MODULE Cubes ----
EXTENDS Naturals
VARIABLES x, y, z
TypeOK == x \\in Nat /\\ y \\in Nat /\\ z \\in Nat
Init == x = 1 /\\ y = 1 /\\ z = 1
Next == \\/ x' = x + 1 /\\ UNCHANGED <<y, z>>
        \\/ y' = y + 1 /\\ UNCHANGED <<x, z>>
        \\/ z' = z + 1 /\\ UNCHANGED <<x, y>>
IndInv == TypeOK /\\ x > 0 /\\ y > 0 /\\ z > 0 /\\ x * x * x + y * y * y /= z * z * z
====
"""
    problem = load_problem(write(tmp_path, "Cubes", text, "INIT Init\nNEXT Next\n"), "IndInv").problem
    r = check_induction(problem, ProveOptions(timeout_ms=300))
    assert r.verdict == "unknown"
    assert {c.verdict for c in r.checks if c.kind == "IndNext"} == {"unknown"}


def test_report_explains_the_cti_with_the_explicit_evaluator(tmp_path: Path) -> None:
    report = prove_spec(write(tmp_path, "Counter", COUNTER, CFG), "Bad")
    assert report.exit_code == 12
    (replayed,) = report.replays
    assert replayed.confirmed
    text = format_report(report)
    assert "Inc: breaks Bad conjunct 2" in text
    assert "State 2: <Inc>" in text
    # Its first state (x = 1, y = 0 or 1) is reachable in one or two steps: BFS says so.
    assert report.reach is not None and report.reach.found[0] in (2, 3)
    assert "Reachable: yes: BFS reaches state 1 in" in text


def test_nondeterministic_assignment_outside_the_type_is_a_cti_on_the_type(tmp_path: Path) -> None:
    text = """\
---- MODULE Pick ----
VARIABLE c
TypeOK == c \\in {"red", "green"}
Init == c = "red"
Next == c' \\in {"red", "green", "blue"}
IndInv == TypeOK
====
"""
    r = check_induction(
        load_problem(write(tmp_path, "Pick", text, "INIT Init\nNEXT Next\n"), "IndInv").problem
    )
    (cti,) = r.ctis
    assert cti.action == "Next" and cti.broken == ("the type of c",) and cti.left_type == ("c",)
    assert cti.trace.steps[1].record["c"] == "blue"


def test_reach_depth_bounds_the_search_for_the_cti(tmp_path: Path) -> None:
    # The CTI's first state has x = 1: one Inc from Init, so BFS needs 2 levels to see it.
    spec = write(tmp_path, "Counter", COUNTER, CFG)
    shallow = prove_spec(spec, "Bad", reach_depth=1)
    assert shallow.reach is not None and not shallow.reach.complete and shallow.reach.found[0] is None
    assert "Reachable: not within depth 1" in format_report(shallow)
    deep = prove_spec(spec, "Bad", reach_depth=3)
    assert deep.reach is not None and deep.reach.found[0] in (2, 3)


def test_an_invariant_with_primes_is_an_error(tmp_path: Path) -> None:
    text = "---- MODULE P ----\nVARIABLE x\nInit == x = 0\nNext == x' = x\nIndInv == x \\in {0, 1} /\\ x' = x\n====\n"
    with pytest.raises(SpecError) as info:
        check_induction(load_problem(write(tmp_path, "P", text, "INIT Init\nNEXT Next\n"), "IndInv").problem)
    assert "mentions primed variables" in info.value.message
    assert info.value.span is not None and info.value.span.line == 5
