"""Caches keyed by an object's identity hold that object, so that no other object made later
at its address finds its entry.

Bindings made while compiling (a LET's definitions, a LAMBDA, the scopes of a temporal
formula's quantifier) sit in reference cycles (a binding's scope holds the binding): the
cyclic collector frees them at moments that depend on everything allocated before, and CPython
gives the next object of the same size the freed address. A per-state memo keyed by the bare
id of such a binding handed another definition's value to a new one: tlaplus/Examples
Disruptor_MPMC gave NoDataRaces violated, or a temporal violation, with some collector
thresholds (and some builds of the modules) only; corpus LetKeys shows it at about half of the
thresholds from 1 to 199.
"""

from __future__ import annotations

import gc
from pathlib import Path

from checker.engine import CheckOptions, check
from checker.tla.compile.compiler import Compiler
from checker.tla.loader import load_spec_model

CORPUS = Path(__file__).parent / "corpus"


def test_let_definitions_freed_while_compiling_never_share_a_memo_entry() -> None:
    # TLC 2.20: 180 generated, 90 distinct, depth 8 (also corpus_expected's "LetKeys").
    old = gc.get_threshold()
    found: dict[tuple[int, int, int], list[int]] = {}
    try:
        for threshold in range(1, 200, 2):
            gc.set_threshold(threshold)  # the collector's moments move with it
            model = load_spec_model(CORPUS / "LetKeys.tla", None, [])
            gc.set_threshold(*old)
            stats = check(model, CheckOptions()).stats
            found.setdefault((stats.generated, stats.distinct, stats.depth), []).append(threshold)
    finally:
        gc.set_threshold(*old)
    assert list(found) == [(180, 90, 8)], {k: v[:5] for k, v in found.items()}


def test_a_memo_number_is_never_given_to_another_object() -> None:
    comp = Compiler.__new__(Compiler)  # memo_key reads these two fields alone
    comp.memo_keys, comp.memo_count = {}, 0
    numbers = []
    for _ in range(2_000):
        owner = [None]  # made and dropped: the next one may take its address
        numbers.append(comp.memo_key(owner))
        assert comp.memo_key(owner) == numbers[-1]
        del owner
    assert len(set(numbers)) == 2_000
