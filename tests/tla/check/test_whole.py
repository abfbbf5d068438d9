"""Whole actions as generated functions (checker/tla/compile/whole.py) give the closures'
successors, in the closures' order, with the same labels and the same errors."""

from __future__ import annotations

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
            "ActionImplies", "ActionLabels", "AllAssigned", "ForallAction", "ForallWays", "HoistGuardError",
            "IfActions", "ExceptMany", "Cartesian", "Drop", "ByName", "ByNameLet", "CaseOther",
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


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: Path(str(p).split(":")[0]).stem)
def test_generated_actions_give_the_closures_successors_in_order(
    spec: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not Path(str(spec).split(":")[0]).exists():
        pytest.skip("not in this checkout")
    made: list[str] = []
    define = fuse._define

    def spy(src: str, env: dict[str, Any], where: str) -> Any:
        made.append(where)
        return define(src, env, where)

    monkeypatch.setattr(fuse, "_define", spy)
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
    made: list[str] = []
    define = fuse._define

    def spy(src: str, env: dict[str, Any], where: str) -> Any:
        made.append(where)
        return define(src, env, where)

    monkeypatch.setattr(fuse, "_define", spy)
    raft = ROOT / "specs" / "raft"
    load_spec_model(raft / "MCRaft.tla", raft / "MCRaft_correct5.cfg", [])
    assert made.count("<tlacheck: fused action>") == 1


def test_a_non_boolean_guard_is_the_closures_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Bad.tla").write_text(
        "---- MODULE Bad ----\n"
        "EXTENDS Naturals\n"
        "VARIABLE x\n"
        "Init == x = 0\n"
        "A(i) == /\\ x < 2 /\\ IF i = 2 THEN 7 ELSE TRUE /\\ x' = x + i\n"
        "Next == \\E i \\in {1, 2} : A(i)\n"
        "====\n"
    )
    (tmp_path / "Bad.cfg").write_text("INIT Init\nNEXT Next\n")
    spec = Path(f"{tmp_path / 'Bad.tla'}:Bad.cfg")
    gen, closures = _load(spec, True, monkeypatch), _load(spec, False, monkeypatch)
    (s,) = gen.init_states()
    ours, theirs = _steps(gen, s), _steps(closures, s)
    assert isinstance(ours, str) and "not a boolean" in ours
    assert ours == theirs
