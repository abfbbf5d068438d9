"""The classic small specs of specs/ (Die Hard, two-phase commit, Peterson) give TLC's results."""

from __future__ import annotations

from pathlib import Path

from checker.engine import CheckOptions, check
from checker.tla.loader import load_spec_model

SPECS = Path(__file__).resolve().parents[3] / "specs"


def run(folder: str, module: str, cfg: str, skip_liveness: bool = False):  # type: ignore[no-untyped-def]
    model = load_spec_model(SPECS / folder / f"{module}.tla", SPECS / folder / f"{cfg}.cfg", [], skip_liveness)
    return model, check(model, CheckOptions())


def counts(result) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    return (result.stats.generated, result.stats.distinct, result.stats.depth)


def test_die_hard_type_invariant_holds() -> None:
    _, result = run("diehard", "DieHard", "DieHard")
    assert result.ok and counts(result) == (97, 16, 8)  # TLC 2.20: 97 generated, 16 distinct, depth 8


def test_die_hard_solution_is_tlcs_seven_state_trace() -> None:
    _, result = run("diehard", "DieHard", "DieHardSolve")
    assert result.violation is not None and result.violation.name == "NotSolved"
    # TLC 2.20: NotSolved violated; trace FillBig, BigToSmall, EmptySmall, BigToSmall, FillBig, BigToSmall.
    assert [str(x) for x in result.violation.trace.labels[1:]] == [
        "FillBig", "BigToSmall", "EmptySmall", "BigToSmall", "FillBig", "BigToSmall",
    ]  # fmt: skip
    assert result.violation.trace.steps[-1].record == {"small": 3, "big": 4}
    assert result.exit_code == 12


def test_two_phase_commit_with_an_action_property() -> None:
    model, result = run("twophase", "TwoPhase", "TwoPhase")
    assert list(model.action_properties) == ["TMDecisionStable"]
    assert result.ok and counts(result) == (
        1_146,
        288,
        11,
    )  # TLC 2.20: 1,146 generated, 288 distinct, depth 11


def test_two_phase_commit_with_symmetry() -> None:
    model, result = run("twophase", "MCTwoPhase", "MCTwoPhase")
    assert len(model.symmetric_sets) == 1
    assert result.ok and counts(result) == (318, 80, 11)  # TLC 2.20: 318 generated, 80 distinct, depth 11


def test_peterson_excludes_and_its_broken_variant_does_not() -> None:
    _, result = run("mutex", "Peterson", "Peterson")
    assert result.ok and counts(result) == (46, 26, 7)  # TLC 2.20: 46 generated, 26 distinct, depth 7
    _, broken = run("mutex", "Peterson", "PetersonBroken")
    assert broken.violation is not None and broken.violation.name == "MutualExclusion"
    # TLC 2.20: RaiseFlag(1), GiveTurn(1), Enter(1), RaiseFlag(0), GiveTurn(0), Enter(0).
    assert [str(x) for x in broken.violation.trace.labels[1:]] == [
        "RaiseFlag(1)", "GiveTurn(1)", "Enter(1)", "RaiseFlag(0)", "GiveTurn(0)", "Enter(0)",
    ]  # fmt: skip


def test_peterson_is_starvation_free_as_tlc_finds() -> None:
    model, result = run("mutex", "Peterson", "PetersonLiveness")
    assert "StarvationFree" in str(list(model.liveness))
    assert result.ok and counts(result) == (46, 26, 7)  # TLC 2.20: StarvationFree holds; 46, 26, depth 7
