"""prove reads specs through the front end check uses (checker/tla/spec.py): the cfg's
substitutions, module-scoped and standard-module overrides, instances and ``M!Op``.

instances/Pair.tla is ours (two instances of Counter.tla, ``Bound <- [Counter] MyBound``,
``Nat <- SmallNat``, EXTENDS FiniteSetTheorems without its file). Lamport's Voting and
Paxos from tlaplus/Examples run when TLA_EXAMPLES names that checkout.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from checker.errors import SpecError
from checker.prove.induction import check_induction, confirm_with_z3, without_conjunct
from checker.prove.problem import load_problem
from checker.prove.report import prove_spec

HERE = Path(__file__).resolve().parent
PAIR = HERE / "instances" / "Pair.tla"
SPECS = HERE.parents[1] / "specs"


def test_instances_and_a_module_scoped_override_are_encoded() -> None:
    # IndInv holds only with Counter's Bound replaced by MyBound (3): with Bound = 2, X!Inc
    # would leave X!Ok. TLC 2.20 (Pair.cfg): 25 generated, 16 distinct, depth 7, no error.
    report = prove_spec(PAIR, "IndInv")
    assert report.verdict == "proved" and report.exit_code == 0
    assert report.result.actions == 2
    assert report.reach is not None and report.reach.complete
    assert (report.reach.distinct, report.reach.depth) == (16, 7)


def test_a_standard_module_override_is_encoded() -> None:
    # Loose implies Small only because the cfg replaces Nat by 0..3.
    assert prove_spec(PAIR, "Loose").verdict == "proved"


def test_a_weaker_invariant_gets_a_counterexample() -> None:
    report = prove_spec(PAIR, "Weak")
    assert report.exit_code == 12
    (cti,) = report.result.ctis
    assert cti.kind == "IndProp" and cti.broken == ("Small",)
    assert cti.trace.steps[0].record["y"] in (4, 5)
    assert report.replays[0].confirmed


def test_a_parameterised_instance_is_a_coded_error_with_its_place() -> None:
    with pytest.raises(SpecError) as info:
        check_induction(load_problem(HERE / "instances" / "Param.tla", "IndInv").problem)
    err = info.value
    assert err.code == "E601" and "parameterised instance" in err.message
    assert err.span is not None and (err.span.line, err.span.col) == (7, 9)


def test_prove_shows_which_query_runs(capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[str] = []
    from checker.prove.induction import ProveOptions

    prove_spec(PAIR, "IndInv", options=ProveOptions(progress=seen.append))
    assert seen[0] == "IndInit: Init"
    assert any(s.startswith("IndNext 1/2: ") for s in seen)
    assert "IndProp 1/1: Small" in seen
    assert seen[-1] == "cross-check: BFS of the instance"


@pytest.mark.slow
def test_voting_inductive_is_proved_in_seconds_with_progress() -> None:
    # The explicit model's Init is TypeOK /\ IndInv: its initial states took long to
    # enumerate; the cross-check's time limit stops it (or it gives TLC's count), and
    # progress names what runs.
    from checker.prove.induction import ProveOptions

    seen: list[str] = []
    start = time.monotonic()
    report = prove_spec(
        SPECS / "voting/VotingInductive.tla",
        "IndInv",
        options=ProveOptions(progress=seen.append),
        reach_seconds=3,
    )
    elapsed = time.monotonic() - start
    assert report.verdict == "proved" and report.exit_code == 0
    assert report.reach is not None
    if report.reach.complete:  # TLC 2.20 on VotingInductive.cfg: 2,771 distinct states
        assert report.reach.distinct == 2771
    else:
        assert "BFS stopped after 3s" in report.reach.note
    assert seen[0] == "IndInit: Init" and any(s.startswith("IndNext 18/18: ") for s in seen)
    assert elapsed < 30  # about 7 s on a quiet machine


# -- Lamport's specs from tlaplus/Examples, unchanged ---------------------------------------

EXAMPLES = os.environ.get("TLA_EXAMPLES")
TURING = Path(EXAMPLES or ".") / "specifications" / "PaxosHowToWinATuringAward"
needs_examples = pytest.mark.skipif(not EXAMPLES, reason="set TLA_EXAMPLES to a tlaplus/Examples checkout")


@needs_examples
def test_lamports_voting_is_proved_inductive() -> None:
    # Ballot <- def_ov (0..2) in MCVoting.cfg makes the types finite; TLAPS in EXTENDS.
    problem = load_problem(TURING / "MCVoting.tla", "Inv", TURING / "MCVoting.cfg").problem
    result = check_induction(problem)
    assert result.verdict == "proved"
    assert result.seconds < 5  # 0.3 s measured
    # Without OneValuePerBallot, Inv is not inductive (ShowsSafeAt relies on it): a CTI that
    # Z3 confirms. (Without VotesSafe it stays inductive: VoteFor checks the other votes.)
    weak = without_conjunct(problem, "OneValuePerBallot")
    broken = check_induction(weak)
    assert broken.verdict == "fails"
    assert all(confirm_with_z3(weak, cti) == "sat" for cti in broken.ctis)


@needs_examples
def test_lamports_paxos_inv_is_not_inductive_alone() -> None:
    # MCPaxosSmall.cfg: Ballot <- def_ov and Ballot <- [Voting] def_ov (0..2), V!ShowsSafeAt.
    # Inv is an invariant (TLC 2.20 on MCPaxosTiny: 23,563 generated, 3,921 distinct, depth 17)
    # but not inductive: Phase2a after a 1b saying "no vote" from an acceptor that voted.
    # Paxos.tla states THEOREM Invariance == Spec => []Inv without a proof (no TLAPS proof of
    # this Inv exists in that folder). TLC 2.20 confirms the first CTI: with Init the CTI's first
    # state (a1 voted v2 in ballot 0, yet its 1b for ballot 1 says mbal = -1) and Next
    # Phase2a(1, v1), TLC finds Inv true in the initial state and "Invariant Inv is violated"
    # in the second (2 states generated, 2 distinct, depth 2).
    problem = load_problem(TURING / "MCPaxos.tla", "Inv", TURING / "MCPaxosSmall.cfg").problem
    result = check_induction(problem)
    assert result.verdict == "fails"
    assert {c.action.split("(")[0] for c in result.ctis if c.action} == {"Phase2a"}
    assert all(confirm_with_z3(problem, cti) == "sat" for cti in result.ctis)


@needs_examples
@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "cfg", "figures"),
    [
        # TLC 2.20, one worker: 41,017 generated, 6,752 distinct, depth 16 (Ballot <- def_ov).
        ("MCVoting", "MCVoting", (41_017, 6_752, 16)),
        # TLC 2.20, one worker: 23,563 generated, 3,921 distinct, depth 17
        # (Ballot <- def_ov and Ballot <- [Voting] def_ov; PROPERTY V!Spec).
        ("MCPaxos", "MCPaxosTiny", (23_563, 3_921, 17)),
    ],
)
def test_lamports_models_check_as_tlc(module: str, cfg: str, figures: tuple[int, int, int]) -> None:
    from checker.engine import CheckOptions, check
    from checker.tla.loader import load_spec_model

    libs = [
        Path(EXAMPLES or ".").parent / "tlapm" / "library",
        Path(EXAMPLES or ".").parent / "CommunityModules" / "modules",
    ]
    model = load_spec_model(TURING / f"{module}.tla", TURING / f"{cfg}.cfg", [p for p in libs if p.is_dir()])
    result = check(model, CheckOptions())
    assert result.exit_code == 0
    assert (result.stats.generated, result.stats.distinct, result.stats.depth) == figures
