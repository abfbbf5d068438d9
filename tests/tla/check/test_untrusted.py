"""A spec is untrusted input: its text only ever becomes data, never Python code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from checker.engine import CheckOptions, check
from checker.tla.compile import fuse
from checker.tla.loader import load_spec_model

ROOT = Path(__file__).resolve().parents[3]
CHECKER_TLA = ROOT / "checker" / "tla"


def test_the_compiler_never_evaluates_or_generates_python_source() -> None:
    """Only checker/tla/compile/fuse.py generates Python (expressions, and whole actions read by
    whole.py); its output is checked below."""
    names = sorted(str(p.relative_to(CHECKER_TLA)) for p in CHECKER_TLA.rglob("*.py") if p.name != "fuse.py")
    assert {
        "compile/compiler.py",
        "compile/binders.py",
        "compile/actions.py",
        "compile/code.py",
        "compile/whole.py",
        "stdlib.py",
    } <= set(names)
    for name in names:
        tree = ast.parse((CHECKER_TLA / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"eval", "exec", "compile", "__import__"}, f"{name}:{node.lineno}"
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"system", "popen"}, f"{name}:{node.lineno}"


def test_strings_and_names_that_look_like_python_stay_tla_values(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payload = f"__import__('os').system('touch {marker}')"
    (tmp_path / "Evil.tla").write_text(
        "---- MODULE Evil ----\n"
        "VARIABLE x\n"
        f'Init == x = "{payload}"\n'
        'Next == x\' = IF x = "\\")); import os #" THEN x ELSE "\\")); import os #"\n'
        "Inv == x \\in {x}\n"
        "====\n"
    )
    (tmp_path / "Evil.cfg").write_text("INIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE\n")
    model = load_spec_model(tmp_path / "Evil.tla", None, [])
    result = check(model, CheckOptions())
    assert result.ok and result.stats.distinct == 2
    assert {s[0] for s in model.init_states()} == {payload}
    assert not marker.exists()


GENERATED_NAME = re.compile(r"^(_t|_s|_p|K|F|S|E|N|D|L|M|P|R|T|C|O)\d+$")
FIXED_NAMES = {
    "e", "type", "int", "str", "frozenset", "tuple", "len", "Fn", "U", "EQT", "CK", "fused", "_v", "_r", "_n", "range",
    "sum", "id", "_x", "_s", "_p", "FG",
}


def generated_sources(monkeypatch: pytest.MonkeyPatch, kinds: set[str] | None = None) -> list[str]:
    sources: list[str] = []

    def spy(src: str, filename: str, mode: str) -> object:
        sources.append(src)
        if kinds is not None:
            kinds.add(filename)
        return compile(src, filename, mode)

    monkeypatch.setattr(fuse, "compile", spy, raising=False)
    return sources


def test_generated_source_holds_no_spec_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fused function is names made by fuse.py, integers and Python operators: the
    spec's strings, field names and values reach it only through its namespace."""
    kinds: set[str] = set()
    sources = generated_sources(monkeypatch, kinds)
    marker = tmp_path / "pwned"
    (tmp_path / "Fields.tla").write_text(
        "---- MODULE Fields ----\n"
        "EXTENDS Integers, Sequences, FiniteSets\n"
        "VARIABLE r\n"
        f"Init == r = [kind |-> \"__import__('os').system('touch {marker}')\", n |-> 0]\n"
        'Step == /\\ r.n < 3 /\\ r.kind # "x\\" or 1 #" /\\ r\' = [r EXCEPT !.n = @ + 1]\n'
        'Keep(k) == /\\ k # "\\" or 1 #" /\\ (\\A j \\in {k, "a"} : j # "__import__" \\/ j = k) /\\ UNCHANGED r\n'
        'Next == Step \\/ \\E k \\in {"a", "__import__(\\"os\\")"} : IF k = "a" THEN Keep(k) ELSE r\' \\in {r}\n'
        'Low(s) == LET t == s.n + 1 IN t > 0 /\\ t < 100 /\\ s.kind # "\\" or t #"\n'
        'Inv == r.n >= 0 /\\ (r.kind = "y" => r.n > 9) /\\ IF r.n > 1 THEN r.n # 7 ELSE TRUE\n'
        "Inv3 == <<r.n, r.kind>>[1] < 4 /\\ <<r.n, r.n>>[(r.n % 2) + 1] # 9\n"
        'Inv4 == [r EXCEPT !.kind = "\\" or 1 #"].n = r.n\n'
        "Inv2 == Low(r)\n"
        'Inv5 == [k \\in {"a", "\\" or 1 #"} |-> Len(<<r.n>>) + Cardinality({k})]["a"] = 2\n'
        'Inv6 == \\A i \\in 1..Len(<<r.n, r.n>>) : SubSeq(Append(<<r.kind>>, "\\" #"), 1, i) # <<>>\n'
        'Inv7 == {k \\in {"a", "\\" or 1 #", r.kind} : k # "\\" #" /\\ r.n >= 0} # {}\n'
        'Inv8 == {IF k = r.kind THEN k ELSE "\\" or 1 #" : k \\in {"a", r.kind}} # {"\\" #"}\n'
        'Inv9 == [[q |-> r] EXCEPT !.q.kind = "\\" or 1 #", !.q.n = @ + 1, !["q"]["n"] = @ - 1].q.n = r.n\n'
        "====\n"
    )
    (tmp_path / "Fields.cfg").write_text(
        "INIT Init\nNEXT Next\nINVARIANTS Inv Inv2 Inv3 Inv4 Inv5 Inv6 Inv7 Inv8 Inv9\nCHECK_DEADLOCK FALSE\n"
    )
    result = check(load_spec_model(tmp_path / "Fields.tla", None, []), CheckOptions())
    assert result.ok and result.stats.distinct == 4
    paxos = ROOT / "specs" / "paxos"
    load_spec_model(paxos / "MCPaxos.tla", paxos / "MCPaxos.cfg", [])
    raft = ROOT / "specs" / "raft"
    load_spec_model(raft / "MCRaft.tla", raft / "MCRaft_correct.cfg", [])  # [s \\in Server |-> ...] in actions
    corpus = Path(__file__).resolve().parent / "corpus"
    load_spec_model(corpus / "PcDispatch.tla", corpus / "PcDispatch.cfg", [])  # pc[self] read once (dispatch)
    load_spec_model(corpus / "LastingDomain.tla", corpus / "LastingDomain.cfg", [])  # domains kept across states
    load_spec_model(corpus / "LastingMemo.tla", corpus / "LastingMemo.cfg", [])  # operators kept across states
    load_spec_model(corpus / "Projected.tla", corpus / "Projected.cfg", [])  # by the part of msgs they read
    load_spec_model(corpus / "Pointwise.tla", corpus / "Pointwise.cfg", [])  # conjuncts checked where a step changed them
    load_spec_model(corpus / "CountLasting.tla", corpus / "CountLasting.cfg", [])  # counts kept across states
    load_spec_model(corpus / "FilterLasting.tla", corpus / "FilterLasting.cfg", [])  # set filters kept across states
    assert len(sources) > 10
    trees = [ast.parse(src) for src in sources]
    assert any(isinstance(n, ast.DictComp) for t in trees for n in ast.walk(t))  # Inv5's constructor
    assert sum(isinstance(n, ast.Dict) for t in trees for n in ast.walk(t)) >= 2  # BecomeLeader's, written out
    assert "<tlacheck: fused filter>" in kinds  # Inv7's {k \\in S : P}, one generated loop
    assert "<tlacheck: fused set map>" in kinds  # Inv8's {e : k \\in S}, one generated comprehension
    assert "<tlacheck: fused action>" in kinds  # Next, written out whole (checker/tla/compile/whole.py)
    assert "<tlacheck: fused invariants>" in kinds  # Inv .. Inv9 at once (checker/tla/model.py's _AllHold)
    assert "<tlacheck: fused except>" in kinds  # Inv9's EXCEPT through nested paths, one generated function
    used = {n.id[0] for src in sources for n in ast.walk(ast.parse(src)) if isinstance(n, ast.Name)}
    assert {"P", "R"} <= used  # a LET definition's slot, filled on first use and cleared on entry
    called = {
        n.func.id
        for src in sources
        for n in ast.walk(ast.parse(src))
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }
    assert "len" in called  # a sequence read inline (Inv3), Len and SubSeq inline (Inv5, Inv6)
    assert "range" in called  # Inv6's 1..Len(...) as a loop over a range
    assert "sum" in called  # Paxos' Phase2a: \A a \in Q : \E m \in Q1b : m.acc = a, counted
    assert "id" in called  # BecomeLeader's quorum, found in the table of ordered sets by identity
    assert "T" in used  # Paxos' VotedForIn, memoised per state, looked up inline in its table
    assert "O" in used  # Projected's HasA, kept across states by the part of msgs it reads
    # LastingMemo's Pending, keyed by the ids of a and msgs (a whole action reads the state's variables
    # once, into _s0, _s1, ...: fuse_action)
    assert any(re.search(r"id\((e\[0\]\[\d+\]|_s\d+)\)", src) for src in sources)
    assert any(re.search(r"^    _s\d+ = _s\[\d+\]$", src, re.M) for src in sources)
    assert any("is str" in src for src in sources)  # PcDispatch's dispatch
    assert any("for _x in _r:" in src for src in sources)  # Pointwise's invariants, where a step changed them
    # CountLasting's count, its table found by the id of msgs's value
    assert any(re.search(r":= K\d+\.get\(id\((e\[0\]\[\d+\]|_s\d+)\)\)\) is None:", src) for src in sources)
    kept = [
        n for src in sources for n in ast.walk(ast.parse(src))
        if isinstance(n, ast.Attribute) and n.attr == "get" and isinstance(n.value, ast.Name) and n.value.id[0] == "K"
    ]
    assert kept  # LastingDomain's loops, their elements looked up in a table kept across states
    for src in sources:
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, ast.Name):
                assert GENERATED_NAME.match(node.id) or node.id in FIXED_NAMES, (node.id, src)
            if isinstance(node, ast.Constant):
                # (None: the prefilter's "no lists" of a generated action, `if _t5 is None`)
                assert type(node.value) in (int, bool, type(None)), (node.value, src)
            # (.state: a memoised operator's table is this state's, `C3.state is e[0]`; .on: an
            # operator's tables kept across states are still used, `... if C4.on else ...`;
            # ._hash: a function copied by a nested EXCEPT, its hash slot filled in; .last and
            # .out: the part of a variable's value an operator reads, once per value, `O5.out if
            # _t6 is O5.last else O5(_t6)`; .trying: what an action keeps across states is still
            # in its trial, `S7(e) if C8.trying else ...`)
            kept = ("get", "state", "on", "_hash", "last", "out", "trying")
            assert not isinstance(node, ast.Attribute) or node.attr in kept, src
    assert not marker.exists()
