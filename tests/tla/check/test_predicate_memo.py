"""The footprint memo of a state predicate's conjuncts (``checker.tla.model._Conjunct``): a
conjunct over values it held on before is not evaluated again, and the memo is kept only
where its hits save more time than its keys cost."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from checker.tla.model import _Conjunct


def test_the_rule_weighs_an_evaluations_cost_against_the_keys() -> None:
    # Raft's LogMatching at 5 servers: 38% hits, an evaluation 24 us, a key 0.1 us: kept.
    assert _Conjunct.keeps_memo(2_000, 760, 24_000.0, 100.0)
    # A membership of TypeOK: the same hit rate, an evaluation 0.5 us: dropped.
    assert not _Conjunct.keeps_memo(2_000, 760, 500.0, 100.0)
    # Even an expensive conjunct drops a memo that never hits.
    assert not _Conjunct.keeps_memo(2_000, 0, 1_000_000.0, 100.0)
    # A cheap conjunct that almost always hits keeps it.
    assert _Conjunct.keeps_memo(2_000, 1_990, 500.0, 100.0)


def _run(conjunct: _Conjunct, n: int) -> None:
    """n states whose variable 0 is the same object one time in three (a hit), else new."""
    shared = ["shared"]
    for i in range(n):
        state = (shared if i % 3 == 0 else [i], "other")
        assert conjunct.holds(state, [state]) is True


def test_a_cheap_conjunct_drops_its_memo_and_an_expensive_one_keeps_it() -> None:
    cheap = _Conjunct(lambda e: True, (0,))
    _run(cheap, _Conjunct.TRIAL + 10)
    assert cheap.footprint is None and cheap.memo == {}

    def expensive(e: list[Any]) -> bool:
        end = time.perf_counter_ns() + 200_000  # 0.2 ms, far more than a key
        while time.perf_counter_ns() < end:
            pass
        return True

    dear = _Conjunct(expensive, (0,))
    _run(dear, _Conjunct.TRIAL + 10)
    assert dear.footprint == (0,) and dear.memo
    assert dear.hits >= _Conjunct.TRIAL // 3 - 1


def test_a_conjunct_is_not_evaluated_again_on_the_same_values() -> None:
    calls = []

    def code(e: list[Any]) -> bool:
        calls.append(e[0])
        return e[0][0] != ["bad"]

    conjunct = _Conjunct(code, (0,))
    a, bad = ["a"], ["bad"]
    assert conjunct.holds((a, 1), [(a, 1)]) is True
    assert conjunct.holds((a, 2), [(a, 2)]) is True  # variable 1 is not in its footprint: a hit
    assert len(calls) == 1
    assert conjunct.holds((bad, 1), [(bad, 1)]) is False
    assert conjunct.holds((bad, 1), [(bad, 1)]) is False  # FALSE is never memoised
    assert len(calls) == 3


def test_a_value_built_again_hits_and_true_is_not_taken_for_one() -> None:
    """Keys are the values' fingerprints (once the engine gives them): a set equal to one the
    conjunct held on, though another object, is a hit; ``{TRUE}`` is not ``{1}`` (equal for
    Python, not for TLA+)."""
    import checker.engine.fingerprint  # noqa: F401  (gives the evaluator its fingerprints)

    calls = []

    def code(e: list[Any]) -> bool:
        calls.append(e[0][0])
        return True

    conjunct = _Conjunct(code, (0,))
    first = frozenset({1, 2})
    assert conjunct.holds((first, 0), [(first, 0)]) is True
    again = frozenset([2, 1])
    assert again is not first
    assert conjunct.holds((again, 0), [(again, 0)]) is True
    assert len(calls) == 1
    for other in (frozenset({True}), frozenset({1}), frozenset({True})):
        assert conjunct.holds((other, 0), [(other, 0)]) is True
    assert [type(next(iter(s))) for s in calls[1:]] == [bool, int]


def test_a_conjunct_that_held_on_this_very_state_is_not_evaluated_again() -> None:
    # Two invariants that share a conjunct share its _Conjunct: the second asks on the same
    # state object, which it answers without evaluating; an impure conjunct (TLCGet,
    # RandomElement: no footprint) is evaluated each time, as TLC does.
    calls = []

    def code(e: list[Any]) -> bool:
        calls.append(1)
        return True

    for pure, evaluations in ((True, 1), (False, 2)):
        calls.clear()
        conjunct = _Conjunct(code, None, pure=pure)
        state = (["a"], 1)
        assert conjunct.holds(state, [state]) is True
        assert conjunct.holds(state, [state]) is True
        assert len(calls) == evaluations
        assert conjunct.holds((["a"], 1), [state]) is True  # an equal state, another object
        assert len(calls) == evaluations + 1


_SHARED = """---- MODULE Shared ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = x + 1
TypeOK == x \\in 0..LIMIT
Small == x < 5
Inv == TypeOK /\\ Small
====
"""


def test_invariants_that_share_a_conjunct_keep_their_verdicts(tmp_path: Path) -> None:
    # Inv == TypeOK /\ Small, checked after TypeOK: its TypeOK is the one TypeOK evaluated.
    # The first invariant in the cfg's order that fails is the one reported, as TLC does.
    from checker.engine import CheckOptions, check
    from checker.tla.loader import load_spec_model

    spec = tmp_path / "Shared.tla"
    for limit, order, violated, depth in (
        (9, "TypeOK Inv", "Inv", 6),  # TLC 2.20: Invariant Inv is violated, trace of 6 states
        (3, "TypeOK Inv", "TypeOK", 5),  # TLC 2.20: Invariant TypeOK is violated, 5 states
        (3, "Inv TypeOK", "Inv", 5),  # Inv fails first (its TypeOK conjunct), as in TLC
    ):
        spec.write_text(_SHARED.replace("LIMIT", str(limit)))
        (tmp_path / "Shared.cfg").write_text(f"INIT Init\nNEXT Next\nINVARIANTS {order}\n")
        model = load_spec_model(spec, tmp_path / "Shared.cfg", [])
        result = check(model, CheckOptions())
        assert [(v.name, len(v.trace.steps)) for v in result.violations] == [(violated, depth)]


def test_the_objects_it_last_held_on_are_skipped_even_without_a_memo() -> None:
    """``held``: a successor's unchanged variables are its parent's objects; a conjunct whose
    footprint is the very objects it last held on is not evaluated again, memo or not (a
    cheap one drops its memo, the identity test stays). An equal value of another object is
    not taken for it, nor are values on which it did not hold."""
    calls = []

    def code(e: list[Any]) -> bool:
        calls.append(e[0])
        return e[0][0] != ["bad"]

    cheap = _Conjunct(code, (0,))
    _run(cheap, _Conjunct.TRIAL + 10)
    assert cheap.footprint is None and cheap.slots == (0,)
    a, bad = ["a"], ["bad"]
    assert not cheap.held((a, 1))
    assert cheap.holds((a, 1), [(a, 1)]) is True
    assert cheap.held((a, 2))  # variable 1 is not in its footprint
    assert not cheap.held((["a"], 1))  # equal, another object
    assert cheap.holds((bad, 1), [(bad, 1)]) is False
    assert not cheap.held((bad, 1))  # it did not hold there
    assert cheap.held((a, 1))  # the last objects it held on are kept

    both = _Conjunct(lambda e: True, (0, 2))
    x, y = ["x"], ["y"]
    assert not both.held((x, 0, y))
    assert both.holds((x, 0, y), [(x, 0, y)]) is True
    assert both.held((x, 1, y)) and not both.held((x, 0, ["y"]))


def test_the_invariants_check_given_the_parent_looks_again_where_the_step_changed() -> None:
    # (checker.tla.model._AllHold: a pointwise part diffs the state's values against the
    # parent's, on which every invariant held, and is evaluated at the keys that differ.)
    from checker.tla.loader import load_spec_model
    from checker.values import point_updater

    corpus = Path(__file__).parent / "corpus"
    model = load_spec_model(corpus / "PointwiseViolation.tla", corpus / "PointwiseViolation.cfg", [])
    assert model.all_invariants_by_parent
    check = model.all_invariants()
    assert check is not None
    (parent,) = model.init_states()
    assert check(parent) is True
    steps = model.next_steps(parent)
    assert steps and all(check(succ, parent) is True for _, succ in steps)
    succ = steps[0][1]  # Step(0): pc[0] = "b", x[0] = 1
    pc, x, seq = succ
    bad = (pc, point_updater()(x, 0, 5), seq)  # pc[0] = "b" => Small(x[0]) fails at key 0 only
    assert check(bad, succ) is False and check(bad, parent) is False and check(bad) is False
    assert check(succ, parent) is True  # (and again, after the failure)
