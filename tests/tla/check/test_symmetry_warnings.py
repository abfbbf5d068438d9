"""SYMMETRY with a spec that tells elements apart gets a warning naming the place (TLC's docs)."""

from __future__ import annotations

import re
from pathlib import Path

from checker.tla.loader import load_spec_model

HERE = Path(__file__).parent
SPECS = HERE.parents[2] / "specs"


def test_choose_over_the_symmetric_set_and_named_elements_are_warned_about() -> None:
    model = load_spec_model(HERE / "hazards" / "SymHaz.tla", None, [])
    where = [
        re.search(r"SymHaz\.tla:(\d+:\d+): warning: SYMMETRY may be unsound: `([^`]*)`", w)
        for w in model.warnings
    ]
    assert all(where), model.warnings
    found = sorted((m.group(1), m.group(2)) for m in where if m)
    # the CHOOSE in Init (line 5), and p1, p2, p1 named in Next (line 6)
    assert found == [("5:17", "CHOOSE p \\in Proc : TRUE"), ("6:29", "p1"), ("6:37", "p2"), ("6:45", "p1")]
    assert all("--no-symmetry" in w for w in model.warnings)


def test_the_protocol_specs_declare_sound_symmetry() -> None:
    for spec, cfg in [
        ("raft/MCRaft.tla", "raft/MCRaft_correct.cfg"),
        ("paxos/MCPaxos.tla", "paxos/MCPaxos_symmetry.cfg"),
        ("twophase/MCTwoPhase.tla", "twophase/MCTwoPhase.cfg"),
    ]:
        model = load_spec_model(SPECS / spec, SPECS / cfg, [])
        assert model.has_symmetry
        assert not [w for w in model.warnings if "SYMMETRY" in w], spec
