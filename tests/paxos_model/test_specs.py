"""specs/paxos stays in step with paxos_model: one cfg per factory, same bounds and names.

The counts themselves are compared in test_counts and test_bugs (TLC's figures); the
TLA+ checker's own cross-check of the two encodings lives with specs tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import paxos_model

SPECS = Path(__file__).resolve().parents[2] / "specs" / "paxos"
FACTORIES = ["correct", "any_value", "two_proposals", "accept_lower", "minority_quorums"]


def cfg_for(name: str) -> str:
    return (SPECS / ("MCPaxos.cfg" if name == "correct" else f"MCPaxos_{name}.cfg")).read_text()


@pytest.mark.parametrize("name", FACTORIES)
def test_each_factory_has_a_cfg_with_its_variant_and_default_bounds(name: str) -> None:
    cfg = cfg_for(name)
    assert re.search(rf'Variant = "{name}"', cfg)
    model = getattr(paxos_model, name)()
    assert f"MaxBallot = {model.max_ballot}" in cfg
    quorums = "MCMinorities" if name == "minority_quorums" else "MCMajorities"
    assert f"Quorum <- {quorums}" in cfg
    assert [a.name for a in model.acceptors] == ["a1", "a2", "a3"] and [v.name for v in model.values] == [
        "v1",
        "v2",
    ]


def test_spec_defines_the_models_variables_actions_and_invariants() -> None:
    spec = (SPECS / "Paxos.tla").read_text()
    model = paxos_model.correct(invariants="TypeOK,Agreement,Inv")
    assert re.search(r"VARIABLES maxBal,.*\n\s+maxVBal,.*\n\s+maxVal,.*\n\s+msgs", spec)
    assert tuple(model.variables) == ("maxBal", "maxVBal", "maxVal", "msgs")
    for action in ("Phase1a(b) ==", "Phase1b(a) ==", "Phase2a(b, v) ==", "Phase2b(a) =="):
        assert action in spec
    for invariant in model.invariants:
        assert re.search(rf"^{invariant} ==", spec, re.MULTILINE)
