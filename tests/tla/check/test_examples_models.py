"""Models of tlaplus/Examples that once stopped at a coded error, checked against TLC 2.20.

Skipped unless ``TLA_EXAMPLES`` names a checkout of tlaplus/Examples (CI has neither it nor
network); the CommunityModules and tlapm ``library/`` checkouts are looked for beside it, as
TLC's users have them on its library path. Every figure is TLC 2.20's, run here with one
worker (``java -DTLA-Library=... tlc2.TLC -workers 1 -config X.cfg X.tla`` in the spec's folder).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.engine import CheckOptions, check
from checker.errors import ModelError
from checker.tla.loader import load_spec_model

EXAMPLES = os.environ.get("TLA_EXAMPLES")
SPECS = Path(EXAMPLES or ".") / "specifications"
LIBS = [
    p
    for p in (
        Path(EXAMPLES or ".").parent / "CommunityModules" / "modules",
        Path(EXAMPLES or ".").parent / "tlapm" / "library",
    )
    if p.is_dir()
]

pytestmark = [
    pytest.mark.skipif(not EXAMPLES, reason="set TLA_EXAMPLES to a tlaplus/Examples checkout"),
    pytest.mark.slow,
]


def _check(spec: str, cfg: str) -> tuple[int, int, int, int, str, int]:
    folder = SPECS / Path(spec).parent
    model = load_spec_model(folder / Path(spec).name, folder / cfg, LIBS)
    result = check(model, CheckOptions())
    headline = result.violations[0].headline() if result.violations else ""
    length = len(result.violations[0].trace.steps) if result.violations else 0
    return result.exit_code, result.stats.generated, result.stats.distinct, result.stats.depth, headline, length


@pytest.mark.parametrize(
    ("spec", "cfg", "figures"),
    [
        # A compound LET definition passed to a parameter that is primed (E212 before).
        # TLC 2.20: 44,581 generated, 14,365 distinct, depth 61.
        ("Disruptor/Disruptor_MPMC.tla", "Disruptor_MPMC_liveliness.cfg", (44_581, 14_365, 61)),
        # TLC 2.20: 422,781 generated, 112,929 distinct, depth 81.
        ("Disruptor/Disruptor_MPMC.tla", "Disruptor_MPMC.cfg", (422_781, 112_929, 81)),
        # `Nat <- [ZSequences] ZSeqNat` and `rotation` passed by name (E212, then E750 on Nat).
        # TLC 2.20: 8,681 generated, 8,554 distinct, depth 95.
        (
            "LeastCircularSubstring/MCLeastCircularSubstring.tla",
            "MCLeastCircularSubstringSmall.cfg",
            (8_681, 8_554, 95),
        ),
        # PROPERTY TDSpec (TD!Spec): ENABLED of WF_vars(DetectTermination), whose variable
        # terminationDetected is mapped to a definition ("tpos used before assigned" before).
        # TLC 2.20: 2,001 generated, 302 distinct, depth 9, no error.
        ("ewd840/EWD840.tla", "EWD840.cfg", (2_001, 302, 9)),
        # Named theorems used as formulas: `QuorumNonEmpty!:`, `ShowsSafety!:` (E204 before).
        # TLC 2.20: 451 generated, 77 distinct, depth 11.
        ("Paxos/MCVoting.tla", "MCVoting.cfg", (451, 77, 11)),
        # Constants only: the ASSUME evaluates `P(Succ)!Reachable0` (a LEMMA of an instance with a
        # parameter) for every Succ (E204 before). TLC 2.20: no error, 0 states, exit 0.
        ("MisraReachability/MCReachabilityTest.tla", "MCReachabilityTestAllGraphs.cfg", (0, 0, 0)),
        ("MisraReachability/MCReachabilityTest.tla", "MCReachabilityTestRandomGraphs.cfg", (0, 0, 0)),
    ],
)
def test_model_gives_tlcs_counts(spec: str, cfg: str, figures: tuple[int, int, int]) -> None:
    code, generated, distinct, depth, _, _ = _check(spec, cfg)
    assert code == 0
    assert (generated, distinct, depth) == figures


@pytest.mark.parametrize("module", ["MCCRDT", "MCReplicatedLog"])
def test_the_cdot_switch_is_off_as_in_tlc_so_the_assumption_fails(module: str) -> None:
    # `ASSUME TLCGet("-Dtlc2.tool.impl.Tool.cdot") = "true"`: TLC 2.20 run without that Java
    # property: "Assumption line 9, col 8 to line 9, col 52 of module MCCRDT is false.", exit 10.
    folder = SPECS / "FiniteMonotonic"
    with pytest.raises(ModelError) as info:
        load_spec_model(folder / f"{module}.tla", folder / f"{module}.cfg", LIBS)
    assert info.value.exit_code == 10


def test_sliding_puzzles_with_a_failing_alias_gives_tlcs_counterexample() -> None:
    # IOUtils' zeroPadN passes a LET definition by name (E212 before); the ALIAS fails on
    # IOUtils' Serialize, and TLC 2.20 then prints the states themselves: invariant KlotskiGoal
    # violated, a trace of 117 states, exit 12.
    code, _, _, _, headline, length = _check("SlidingPuzzles/SlidingPuzzles_anim.tla", "SlidingPuzzles_anim.cfg")
    assert (code, headline, length) == (12, "Error: Invariant KlotskiGoal is violated.", 117)
