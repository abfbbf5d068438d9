"""tlacheck infer: candidate lemmas, filtered by the reachable states, Houdini, then the
lemmas the counterexamples ask for; the printed invariant is accepted by tlacheck prove.

The hand-written invariant to compare with is specs/twophase/TwoPhaseInductive.tla. The
reachable states are pinned to TLC 2.20 (TwoPhase.cfg: 288 distinct states).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main
from checker.prove.infer import infer, reachable_states
from checker.prove.problem import load_problem

SPECS = Path(__file__).resolve().parents[2] / "specs"
TWOPHASE = SPECS / "twophase/TwoPhase.tla"


def test_the_candidates_are_filtered_by_every_reachable_state() -> None:
    # TLC 2.20 on TwoPhase.cfg: 288 distinct states (the cfg's comment).
    loaded = load_problem(TWOPHASE, "TCConsistent")
    assert len(reachable_states(loaded.spec)) == 288


@pytest.mark.slow
def test_infers_two_phase_commit_and_prove_accepts_the_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["infer", str(TWOPHASE), "--inv", "TCConsistent", "--quiet"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("---- MODULE TwoPhase_IndInv ----\nEXTENDS TwoPhase\n")
    assert "IndInv == /\\ TPTypeOK\n          /\\ TCConsistent\n          /\\ Lemma1\n" in text
    # What a person would do: paste it into a module and prove it.
    module = tmp_path / "TwoPhase_IndInv.tla"
    module.write_text(text)
    capsys.readouterr()
    code = main(
        [
            "prove",
            str(module),
            "--inv",
            "IndInv",
            "--config",
            str(TWOPHASE.with_suffix(".cfg")),
            "--lib",
            str(TWOPHASE.parent),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    # Without the lemmas, TCConsistent alone is not inductive (the reason to infer them).
    bare = tmp_path / "Bare.tla"
    bare.write_text("---- MODULE Bare ----\nEXTENDS TwoPhase\nBare == TPTypeOK /\\ TCConsistent\n====\n")
    args = ["prove", str(bare), "--inv", "Bare", "--config", str(TWOPHASE.with_suffix(".cfg"))]
    assert main([*args, "--lib", str(TWOPHASE.parent)]) == 12


@pytest.mark.slow
@pytest.mark.parametrize(
    "withheld",
    [
        '"Prepared", rm |->',  # what a Prepared message means (TMPreparedMeaning, RMAbortMeaning)
        "tmPrepared",  # the TM commits only once every RM has prepared (TMCommitMeaning)
        '"Abort"',  # an Abort message means the TM aborted (AbortMsgMeaning)
    ],
)
def test_no_invariant_when_a_needed_lemma_is_withheld(withheld: str) -> None:
    result = infer(TWOPHASE, "TCConsistent", withhold=lambda text: withheld in text)
    assert result.verdict == "none"
    assert result.exit_code == 12
    assert "breaks TCConsistent" in result.reason


@pytest.mark.slow
def test_two_literals_are_not_enough_for_two_phase_commit() -> None:
    # RMAbortMeaning (an aborted RM that sent Prepared implies an Abort message) has three.
    result = infer(TWOPHASE, "TCConsistent", size=2)
    assert result.verdict == "none"


def test_voting_is_outside_the_grammar_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["infer", str(SPECS / "voting/Voting.tla"), "--inv", "Consistency", "--quiet"])
    out = capsys.readouterr().out
    assert code == 12
    assert out.startswith("No inductive invariant found that implies Consistency: the grammar has no atoms")


def test_a_spec_without_a_type_invariant_is_a_coded_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "Counter.tla"
    spec.write_text(
        "---- MODULE Counter ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nNext == x' = 1 - x\nSafe == x \\in {0, 1}\n====\n"
    )
    assert main(["infer", str(spec), "--inv", "Safe"]) == 150
    assert "error[E620]: infer needs the types of the variables" in capsys.readouterr().err
