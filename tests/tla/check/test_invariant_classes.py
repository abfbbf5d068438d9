"""Invariants evaluated once per class of states they cannot tell apart (checker/tla/classes.py
finds the model values, checker/engine/classes.py keeps the memo)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from checker.engine import CheckOptions, check
from checker.engine.classes import ClassMemo, by_class
from checker.tla.loader import load_spec_model
from checker.values import ModelValue, fn_of

ROOT = Path(__file__).resolve().parents[3]
CORPUS = Path(__file__).resolve().parent / "corpus"
P1, P2, P3 = (ModelValue(n) for n in ("p1", "p2", "p3"))


def _counting(model: Any) -> dict[str, list[int]]:
    """Wrap the model's invariants to count their evaluations (under the engine's memo)."""
    counts: dict[str, list[int]] = {}
    for name, inv in list(model.invariants.items()):
        n = counts[name] = [0]

        def counted(state: Any, inv: Any = inv, n: list[int] = n) -> bool:
            n[0] += 1
            return bool(inv(state))

        model.invariants[name] = counted
    return counts


def test_the_sets_are_those_the_invariant_cannot_tell_apart() -> None:
    model = load_spec_model(CORPUS / "ClassMemo.tla", None, [])
    everyone = (frozenset({P1, P2, P3}),)
    assert model.invariant_classes["TypeOK"] == everyone
    assert model.invariant_classes["Bounded"] == everyone
    # FirstSmall names p1: only p2 and p3 are interchangeable.
    assert model.invariant_classes["FirstSmall"] == (frozenset({P2, P3}),)


def test_each_invariant_is_evaluated_once_per_class() -> None:
    model = load_spec_model(CORPUS / "ClassMemo.tla", None, [])
    counts = _counting(model)
    result = check(model, CheckOptions())
    # TLC 2.20: 16,732 generated, 2,197 distinct, depth 16; with SYMMETRY Permutations(Proc)
    # 416 distinct: the classes under permutations of p1, p2, p3.
    assert (result.stats.generated, result.stats.distinct, result.stats.depth) == (16732, 2197, 16)
    assert counts["TypeOK"] == [416]
    assert counts["Bounded"] == [416]
    assert 416 < counts["FirstSmall"][0] < 2197  # classes of p2 and p3 only


def test_paxos_without_symmetry_evaluates_its_invariants_per_class() -> None:
    model = load_spec_model(ROOT / "specs/paxos/MCPaxos.tla", ROOT / "specs/paxos/MCPaxos.cfg", [])
    acceptors = frozenset(ModelValue(a) for a in ("a1", "a2", "a3"))
    values = frozenset(ModelValue(v) for v in ("v1", "v2"))
    # Agreement's bound names v1 and v2 shadow the constants of the same name.
    assert {n: set(s) for n, s in model.invariant_classes.items()} == {
        n: {acceptors, values} for n in ("TypeOK", "Agreement", "Inv")
    }
    counts = _counting(model)
    result = check(model, CheckOptions())
    # TLC 2.20: 23,563 generated, 3,921 distinct; with SYMMETRY (MCPaxos_symmetry.cfg) 443.
    assert (result.stats.generated, result.stats.distinct) == (23563, 3921)
    assert counts == {"TypeOK": [443], "Agreement": [443], "Inv": [443]}


def test_not_looked_for_under_a_symmetry() -> None:
    # The engine would not use them: the states are one per class already.
    model = load_spec_model(ROOT / "specs/paxos/MCPaxos.tla", ROOT / "specs/paxos/MCPaxos_symmetry.cfg", [])
    assert model.symmetric_sets and not model.invariant_classes


def test_not_with_exact_states_nor_with_symmetry() -> None:
    model = load_spec_model(CORPUS / "ClassMemo.tla", None, [])
    counts = _counting(model)
    check(model, CheckOptions(exact=True))
    assert counts["Bounded"] == [2197]


@pytest.mark.parametrize(
    ("body", "others"),
    [
        ("CHOOSE p \\in Proc : TRUE \\in Proc", True),  # TLC's CHOOSE picks by its order of values
        ("ToString(Proc) # \"\"", True),  # not an operator that commutes with renaming
        ("RandomElement(Proc) \\in Proc", False),  # the spec reads the run: no invariant has classes
    ],
)
def test_what_may_tell_model_values_apart_gets_no_classes(tmp_path: Path, body: str, others: bool) -> None:
    (tmp_path / "M.tla").write_text(
        "---- MODULE M ----\nEXTENDS ClassMemo\nInv == " + body + "\n====\n", encoding="utf-8"
    )
    cfg = (CORPUS / "ClassMemo.cfg").read_text(encoding="utf-8").replace("INVARIANT FirstSmall", "INVARIANT Inv")
    (tmp_path / "M.cfg").write_text(cfg, encoding="utf-8")
    model = load_spec_model(tmp_path / "M.tla", tmp_path / "M.cfg", [CORPUS])
    assert "Inv" not in model.invariant_classes
    assert ("Bounded" in model.invariant_classes) is others


def test_keys_tell_true_from_one() -> None:
    memo = ClassMemo((frozenset({P1, P2}),))
    # Python's == takes {1} for {TRUE}; the keys are fingerprints, which do not.
    keys = [memo.of((frozenset({x, P1}), fn_of({P1: x}))) for x in (1, True, 1)]
    assert keys[0] != keys[1] and keys[0] == keys[2]
    # Permuting p1 and p2 gives the same key; the sets are corrected member by member.
    assert memo.of((frozenset({1, P2}), fn_of({P2: 1}))) == keys[0]


def test_a_memo_that_does_not_pay_is_dropped() -> None:
    calls = [0]

    def cheap(state: Any) -> bool:
        calls[0] += 1
        return True

    ((_, inv),) = by_class([("Inv", cheap)], {"Inv": (frozenset({P1, P2}),)})
    for i in range(10_000):  # every state its own class: no hit, so the keys never pay
        assert inv((i, P1))
    calls[0] = 0
    for i in range(100):  # the memo is off: every state is evaluated, classes or not
        assert inv((i % 2, P1 if i % 4 < 2 else P2))
    assert calls[0] == 100


def test_a_memo_that_pays_is_kept() -> None:
    calls = [0]

    def costly(state: Any) -> bool:
        calls[0] += 1
        time.sleep(0.002)
        return True

    ((_, inv),) = by_class([("Inv", costly)], {"Inv": (frozenset({P1, P2}),)})
    for i in range(20_000):  # (k, p1) and (k, p2) are one class: 5 classes
        assert inv((i % 5, P1 if i % 10 < 5 else P2))
    assert calls[0] == 5
