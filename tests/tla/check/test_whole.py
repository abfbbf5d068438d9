"""Whole actions as generated functions (checker/tla/compile/whole.py) give the closures'
successors, in the closures' order, with the same labels and the same errors."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checker.tla.compile import fuse, whole
from checker.tla.loader import load_spec_model
from checker.tla.stdlib import EvalError

ROOT = Path(__file__).resolve().parents[3]
CORPUS = Path(__file__).resolve().parent / "corpus"

SPECS = [
    ROOT / "specs" / "raft" / "MCRaft.tla:MCRaft_correct.cfg",
    ROOT / "specs" / "raft" / "MCRaftMessages.tla:MCRaftMessages_correct.cfg",
    ROOT / "specs" / "paxos" / "MCPaxos.tla:MCPaxos.cfg",
    ROOT / "specs" / "twophase" / "MCTwoPhase.tla:MCTwoPhase.cfg",
    ROOT / "specs" / "mutex" / "Peterson.tla:Peterson.cfg",
    ROOT / "specs" / "voting" / "Voting.tla:Voting.cfg",
    ROOT / "specs" / "diehard" / "DieHard.tla:DieHard.cfg",
    *(
        CORPUS / f"{name}.tla:{name}.cfg"
        for name in (
            "ActionImplies", "ActionLabels", "AllAssigned", "ForallAction", "ForallWays", "ForallExists", "HoistGuardError",
            "IfActions", "ExceptMany", "Cartesian", "Drop", "ByName", "ByNameLet", "CaseOther", "PcDispatch",
            "DispatchOther", "GuardMemo", "LetMemo", "LastingDomain",
        )
    ),
]


def _load(spec: Path, generated: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    tla, cfg = str(spec).split(":")
    with monkeypatch.context() as m:
        if not generated:
            m.setattr(whole, "generate", lambda *args: None)
        return load_spec_model(Path(tla), Path(tla).parent / cfg, [])


def _steps(model: Any, state: Any) -> list[tuple[str, Any]] | str:
    try:
        return [(str(label), s) for label, s in model.next_steps(state)]
    except EvalError as exc:
        return f"error: {exc}"


def _both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str) -> tuple[Any, Any, Path, Any]:
    """The spec ``module`` (written to tmp_path, INIT Init, NEXT Next): the successors of its one
    initial state by the generated actions and by the closures (each a list, or the error's
    text), the spec's path, and that state."""
    name = module.split()[2]
    (tmp_path / f"{name}.tla").write_text(module)
    (tmp_path / f"{name}.cfg").write_text("INIT Init\nNEXT Next\n")
    spec = Path(f"{tmp_path / name}.tla:{name}.cfg")
    gen, closures = _load(spec, True, monkeypatch), _load(spec, False, monkeypatch)
    (s,) = gen.init_states()
    return _steps(gen, s), _steps(closures, s), spec, s


def _spy_on_define(monkeypatch: pytest.MonkeyPatch, pick: Callable[[str, str], str]) -> list[str]:
    """What fuse compiles from now on (``pick(source, where)`` of each), as it compiles it."""
    seen: list[str] = []
    define = fuse._define

    def spy(src: str, env: dict[str, Any], where: str) -> Any:
        seen.append(pick(src, where))
        return define(src, env, where)

    monkeypatch.setattr(fuse, "_define", spy)
    return seen


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: Path(str(p).split(":")[0]).stem)
def test_generated_actions_give_the_closures_successors_in_order(
    spec: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not Path(str(spec).split(":")[0]).exists():
        pytest.skip("not in this checkout")
    gen = _load(spec, True, monkeypatch)
    closures = _load(spec, False, monkeypatch)
    seen = set()
    frontier = list(gen.init_states())
    assert frontier == list(closures.init_states())
    count = 0
    while frontier and count < 400:
        state = frontier.pop(0)
        if state in seen:
            continue
        seen.add(state)
        count += 1
        ours, theirs = _steps(gen, state), _steps(closures, state)
        assert ours == theirs, state
        if isinstance(ours, list):
            frontier.extend(s for _, s in ours if s not in seen)
    assert count > 0


def test_raft_next_is_one_generated_function(monkeypatch: pytest.MonkeyPatch) -> None:
    made = _spy_on_define(monkeypatch, lambda src, where: where)
    raft = ROOT / "specs" / "raft"
    load_spec_model(raft / "MCRaft.tla", raft / "MCRaft_correct5.cfg", [])
    assert made.count("<tlacheck: fused action>") == 1


def test_paxos_next_is_one_generated_function(monkeypatch: pytest.MonkeyPatch) -> None:
    """Phase2a's ``\\A a \\in Q : \\E m \\in Q1b : m.acc = a`` is counted in generated code too."""
    made = _spy_on_define(monkeypatch, lambda src, where: where)
    paxos = ROOT / "specs" / "paxos"
    load_spec_model(paxos / "MCPaxos.tla", paxos / "MCPaxos.cfg", [])
    assert made.count("<tlacheck: fused action>") == 1


def test_a_counted_forall_raises_the_error_tlc_meets_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting each element's ways evaluates what entering the elements one by one does, in
    another order; where it raises, the elements are entered one by one (the closures), so
    the error is TLC's. TLC 2.20: "The argument of Len should be a sequence, but instead it
    is: 2" (a = 1 holds for m = 1, and TLC enters a = 2 before trying m = 2's 1 \\div 0)."""
    ours, theirs, spec, s = _both_ways(
        tmp_path,
        monkeypatch,
        "---- MODULE Fe ----\n"
        "EXTENDS Naturals, Sequences\n"
        "VARIABLE x\n"
        "Init == x = 0\n"
        "Next == /\\ x < 2\n"
        "        /\\ \\A a \\in {1, 2} : \\E m \\in {1, 2} : IF a = 1 THEN (IF m = 1 THEN TRUE ELSE 1 \\div 0 = 0) ELSE Len(a) = 0\n"
        "        /\\ x' = x + 1\n"
        "====\n",
    )
    assert isinstance(ours, str) and "argument of Len should be a sequence" in ours
    assert ours == theirs
    # Counted alone, the first error met would be the division's.
    monkeypatch.setattr(whole, "_guarded", lambda run, closures, comp: run)
    counted = _steps(_load(spec, True, monkeypatch), s)
    assert isinstance(counted, str) and "argument of Len" not in counted


def test_a_loop_finds_an_ordered_set_inline(monkeypatch: pytest.MonkeyPatch) -> None:
    # BecomeLeader's \\A v \\in Q: the quorum's elements in order, found by the set's identity in
    # the table of ordered sets without a call (the successors' order: the test above).
    made = _spy_on_define(monkeypatch, lambda src, where: src if where == "<tlacheck: fused action>" else "")
    raft = ROOT / "specs" / "raft"
    load_spec_model(raft / "MCRaft.tla", raft / "MCRaft_correct5.cfg", [])
    (src,) = [s for s in made if s]
    assert "(id(" in src


def test_a_non_boolean_guard_is_the_closures_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ours, theirs, _, _ = _both_ways(
        tmp_path,
        monkeypatch,
        "---- MODULE Bad ----\n"
        "EXTENDS Naturals\n"
        "VARIABLE x\n"
        "Init == x = 0\n"
        "A(i) == /\\ x < 2 /\\ IF i = 2 THEN 7 ELSE TRUE /\\ x' = x + i\n"
        "Next == \\E i \\in {1, 2} : A(i)\n"
        "====\n",
    )
    assert isinstance(ours, str) and "not a boolean" in ours
    assert ours == theirs


def test_a_kept_guard_raises_the_closures_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # h[i] < 5 reads i alone inside the loop over j: its value is kept per i, and for i = 2
    # (a string) it raises each time, as the closures do, with their message and place.
    (tmp_path / "Kept.tla").write_text(
        "---- MODULE Kept ----\n"
        "EXTENDS Naturals\n"
        "VARIABLE x\n"
        "Init == x = 0\n"
        'h == [i \\in {1, 2} |-> IF i = 2 THEN "a" ELSE 1]\n'
        "A(i, j) == /\\ i # j + 5 /\\ h[i] < 5 /\\ x' = x + j\n"
        "Next == \\E i \\in {1, 2}, j \\in {1, 2} : A(i, j)\n"
        "====\n"
    )
    (tmp_path / "Kept.cfg").write_text("INIT Init\nNEXT Next\n")
    seen = _spy_on_define(monkeypatch, lambda src, where: src)
    spec = Path(f"{tmp_path / 'Kept.tla'}:Kept.cfg")
    gen = _load(spec, True, monkeypatch)
    # The kept guard was generated (keyed by i, an element of the constant {1, 2}: no test of its kind).
    assert any(re.search(r"= _t\d+\.get\(_t\d+, U\)", src) for src in seen)
    closures = _load(spec, False, monkeypatch)
    (s,) = gen.init_states()
    ours, theirs = _steps(gen, s), _steps(closures, s)
    assert isinstance(ours, str) and "Kept.tla:6:" in ours
    assert ours == theirs


def _inv_holds_and_bad_raises(spec: Path, message: str) -> None:
    """The spec's Inv holds in its one initial state, and evaluating Bad there raises ``message``."""
    cfg = spec.with_suffix(".cfg")
    cfg.write_text("INIT Init\nNEXT Next\nINVARIANT Inv\n")
    model = load_spec_model(spec, cfg, [])
    (s,) = model.init_states()
    assert model.invariants["Inv"](s) is True
    cfg.write_text("INIT Init\nNEXT Next\nINVARIANT Bad\n")
    model = load_spec_model(spec, cfg, [])
    with pytest.raises(EvalError, match=message):
        model.invariants["Bad"](model.init_states()[0])


def test_one_point_except_as_tlc(tmp_path: Path) -> None:
    """``[f EXCEPT ![a] = v]`` (the compiler's one-call path): a point outside the domain
    leaves f as it is, ``@`` is the old value, a sequence stays a sequence, and EXCEPT on
    a non-function is TLC's error."""
    (tmp_path / "Ex.tla").write_text(
        "---- MODULE Ex ----\n"
        "EXTENDS Naturals, Sequences\n"
        "VARIABLES x, f, y\n"
        'Init == x = <<1, 2>> /\\ f = [i \\in {"a", "b"} |-> 0] /\\ y = 3\n'
        "Next == UNCHANGED <<x, f, y>>\n"
        "Inv == /\\ [x EXCEPT ![3] = 9] = x /\\ [x EXCEPT ![2] = @ + 1] = <<1, 3>>\n"
        '       /\\ Len([x EXCEPT ![1] = 7]) = 2 /\\ [f EXCEPT !["a"] = @ + 5]["a"] = 5\n'
        '       /\\ [f EXCEPT !["c"] = 1] = f /\\ [f EXCEPT !.b = 2].b = 2\n'
        '       /\\ [f EXCEPT !["a"] = 1, !["a"] = @ + 1]["a"] = 2 /\\ [x EXCEPT ![1] = 5, ![2] = @ * 10] = <<5, 20>>\n'
        '       /\\ LET g == [f EXCEPT !["a"] = 9, !.b = 8] IN g.a + g.b = 17 /\\ f.a = 0 /\\ f.b = 0\n'
        "Bad == [y EXCEPT ![1] = 2] = y\n"
        "====\n"
    )
    _inv_holds_and_bad_raises(tmp_path / "Ex.tla", "Attempted to apply EXCEPT to the non-function 3")


def test_except_paths_copy_each_function_once_and_keep_tlc_values(tmp_path: Path) -> None:
    """``[f EXCEPT !a.b = v, !a.c = w]``: the updates through one point change one copy, and a
    later update sees the earlier ones (``@``); the base is left as it was; a copy that a value
    read through ``@`` is not changed by a later update; a point outside the domain leaves f
    as it is; EXCEPT through a non-function is TLC's error."""
    (tmp_path / "Ep.tla").write_text(
        "---- MODULE Ep ----\n"
        "EXTENDS Naturals, Sequences\n"
        "VARIABLES r, s\n"
        'Init == r = [a |-> 0, b |-> [c |-> 0, d |-> <<1, 2>>]] /\\ s = <<[c |-> 0], [c |-> 1]>>\n'
        "Next == UNCHANGED <<r, s>>\n"
        "Inv == /\\ LET g == [r EXCEPT !.b.c = 1, !.b.d[2] = 7, !.a = 3, !.b.c = @ + 1] IN\n"
        "            /\\ g = [a |-> 3, b |-> [c |-> 2, d |-> <<1, 7>>]]\n"
        "            /\\ r = [a |-> 0, b |-> [c |-> 0, d |-> <<1, 2>>]]\n"
        '       /\\ LET h == [r EXCEPT !.b.c = 1, !.b = [k \\in {"p", "q"} |-> @], !.b.p.c = 5] IN\n'
        "            /\\ h.b.p = [c |-> 5, d |-> <<1, 2>>] /\\ h.b.q = [c |-> 1, d |-> <<1, 2>>]\n"
        "       /\\ [s EXCEPT ![1].c = 4, ![2].c = @ + 1, ![3].c = 9] = <<[c |-> 4], [c |-> 2]>>\n"
        "       /\\ [r EXCEPT !.z.c = 1, !.b.z = 2] = r\n"
        "Bad == [r EXCEPT !.b.c = 1, !.a.c = 1] = r\n"
        "====\n"
    )
    _inv_holds_and_bad_raises(tmp_path / "Ep.tla", "Attempted to apply EXCEPT to the non-function 0")


def test_membership_in_a_constant_set_of_records_is_remembered_by_fingerprint(tmp_path: Path) -> None:
    """``x \\in [a : 1..2]`` and ``x \\in [D -> [a : 1..2]]``, remembered by the value's
    fingerprint (the engine's, which the evaluator gets when the engine is imported): each
    record's answer is its own (in the state, built in the expression, nested in a function),
    and an error is raised every time it is met, not remembered."""
    import checker.engine.fingerprint  # noqa: F401  (gives the evaluator its fingerprints)
    from checker.tla import stdlib

    assert stdlib._fingerprints
    (tmp_path / "Mem.tla").write_text(
        "---- MODULE Mem ----\n"
        "EXTENDS Naturals\n"
        "VARIABLE x\n"
        "RS == [a : 1..2]\n"
        "FS == [{1, 2} -> RS]\n"
        "Init == x = [a |-> 1]\n"
        "Next == UNCHANGED x\n"
        "Inv == /\\ x \\in RS /\\ x \\in RS /\\ [a |-> 3] \\notin RS /\\ [a |-> 2] \\in RS\n"
        "       /\\ \\A y \\in {[a |-> 1], [a |-> 3], [a |-> 1, b |-> 1]} : (y \\in RS) = (y = x)\n"
        "       /\\ <<x, x>> \\in FS /\\ <<x, [a |-> 0]>> \\notin FS /\\ <<[a |-> 2], x>> \\in FS\n"
        "       /\\ \\A i \\in 1..3 : (<<x, [a |-> i]>> \\in FS) = (i <= 2)\n"
        "Bad == /\\ \\A i \\in 1..2 : <<x, x>> \\in [{1, 2} -> [a : i]]\n"
        "====\n"
    )
    _inv_holds_and_bad_raises(tmp_path / "Mem.tla", "non-set 1")


def test_nested_quantifier_loops_as_the_closures(tmp_path: Path) -> None:
    """``\\A i, j \\in S : P`` as generated nested loops: the first bound is the outer loop,
    the answer stops at the first deciding pair, and a non-boolean P is the closures' error."""
    (tmp_path / "Q.tla").write_text(
        "---- MODULE Q ----\n"
        "EXTENDS Naturals\n"
        "VARIABLE x\n"
        "Init == x = 1\n"
        "Next == UNCHANGED x\n"
        "Inv == /\\ (\\A i, j \\in 1..3 : i + j <= 6) /\\ ~(\\A a, b \\in 1..3 : a < b + x)\n"
        "       /\\ (\\E i, j \\in 1..3 : i = 3 /\\ j = 1) /\\ ~(\\E a, b \\in 1..3 : a + b > 6)\n"
        "       /\\ (\\A i, j \\in 1..3 : IF i = 1 THEN TRUE ELSE x = 1)\n"
        "Bad == \\A i, j \\in 1..3 : IF i = 2 /\\ j = 3 THEN 7 ELSE TRUE\n"
        "====\n"
    )
    _inv_holds_and_bad_raises(tmp_path / "Q.tla", "A boolean was expected, but the value is 7")


@pytest.mark.parametrize(
    "pc",
    [
        '[i \\in 0..2 |-> "a"]',  # every pc a string: each disjunct's test compared with the value read
        '[i \\in 0..2 |-> IF i = 1 THEN 7 ELSE "b"]',  # 7 = "a": the tests as written (the closures' error)
        '[i \\in 0..1 |-> "c"]',  # pc[2] outside the domain: read as None, the tests' own error
    ],
)
def test_a_pc_dispatch_as_the_closures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pc: str) -> None:
    """PlusCal's ``pc[self] = "label"`` tests (``Walker.dispatch``): ``pc[self]`` read once where
    it is a string, the tests as written where it is not or where reading it fails."""
    (tmp_path / "Pc.tla").write_text(
        "---- MODULE Pc ----\n"
        "EXTENDS Integers\n"
        "VARIABLES x, pc\n"
        f"Init == x = 0 /\\ pc = {pc}\n"
        'a(s) == pc[s] = "a" /\\ x\' = x + 1 /\\ UNCHANGED pc\n'
        "o(s) == x > 1 /\\ x' = 0 /\\ UNCHANGED pc\n"
        'b(s) == pc[s] = "b" /\\ x\' = x + 2 /\\ UNCHANGED pc\n'
        'c(s) == pc[s] = "c" /\\ x < 3 /\\ x\' = x * 2 /\\ UNCHANGED pc\n'
        "Next == \\E s \\in 0..2 : a(s) \\/ o(s) \\/ b(s) \\/ c(s)\n"
        "====\n"
    )
    (tmp_path / "Pc.cfg").write_text("INIT Init\nNEXT Next\n")
    sources = _spy_on_define(monkeypatch, lambda src, where: src)
    spec = Path(f"{tmp_path / 'Pc.tla'}:Pc.cfg")
    gen, closures = _load(spec, True, monkeypatch), _load(spec, False, monkeypatch)
    assert any("is str" in src for src in sources)  # the dispatch was written out
    (s,) = gen.init_states()
    ours, theirs = _steps(gen, s), _steps(closures, s)
    assert ours == theirs
    if "7" in pc or '"c"' in pc:
        assert isinstance(ours, str)
    else:
        assert [label for label, _ in ours] == ["a(0)", "a(1)", "a(2)"]
