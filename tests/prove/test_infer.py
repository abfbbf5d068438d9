"""tlacheck infer: candidate lemmas, filtered by the reachable states, Houdini, then the
lemmas the counterexamples ask for; the printed invariant is accepted by tlacheck prove.

The hand-written invariant to compare with is specs/twophase/TwoPhaseInductive.tla. The
reachable states are pinned to TLC 2.20 (TwoPhase.cfg: 288 distinct states).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main
from checker.prove import predicates as pr
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


def test_voting_predicates_get_their_sorts_from_where_the_spec_applies_them() -> None:
    # VotesSafe applies VotedFor(a, b, v) and SafeAt(b, v) to names bound over Acceptor,
    # Ballot and Value; chosen applies ChosenAt(b, v); VoteFor passes its own b, v (bound
    # in Next) to ShowsSafeAt with Q bound over Quorum. DidNotVoteAt and CannotVoteAt are
    # applied only to names bound over an expression (a \in Q, d \in (c+1)..(b-1)): they
    # get their sorts from their own bodies, which pass a and b on to VotedFor; so does
    # NoneOtherChoosableAt(b, v), which passes them on to VotedFor and CannotVoteAt.
    loaded = load_problem(SPECS / "voting/Voting.tla", "Consistency")
    from checker.tla.model import build_model

    model = build_model(loaded.spec, skip_liveness=True)
    names = [*loaded.spec.constants, *pr.constant_definitions(loaded.spec)]
    sorts = pr.sorts_of(loaded.spec, {n: model.state_function(n)(None) for n in names})
    assert sorted(sorts) == ["Acceptor", "Ballot", "Quorum", "Value"]
    assert sorts["Ballot"] == [0, 1, 2]
    found = {(p.name, p.sorts) for p in pr.predicates_of(loaded.spec, sorts)}
    assert found == {
        ("VotedFor", ("Acceptor", "Ballot", "Value")),
        ("ChosenAt", ("Ballot", "Value")),
        ("SafeAt", ("Ballot", "Value")),
        ("ShowsSafeAt", ("Quorum", "Ballot", "Value")),
        ("DidNotVoteAt", ("Acceptor", "Ballot")),
        ("CannotVoteAt", ("Acceptor", "Ballot")),
        ("NoneOtherChoosableAt", ("Ballot", "Value")),
    }


@pytest.mark.slow
def test_infers_voting_from_consistency_alone_and_prove_accepts_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    voting = SPECS / "voting/Voting.tla"
    # Voting.cfg's instance, without the hand-written IndInv among its invariants.
    cfg = tmp_path / "Voting.cfg"
    cfg.write_text(
        "CONSTANTS\n  Value = {v1, v2}\n  Acceptor = {a1, a2, a3}\n  Quorum = {{a1, a2}, {a1, a3}, {a2, a3}}\n"
        "  MaxBallot = 2\nINIT Init\nNEXT Next\nINVARIANTS TypeOK Consistency\n"
    )
    assert main(["infer", str(voting), "--inv", "Consistency", "--config", str(cfg), "--quiet"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("---- MODULE Voting_IndInv ----\nEXTENDS Voting\n")
    # Lamport's VotesSafe, found as a lemma.
    assert "\\A a1 \\in Acceptor, b1 \\in Ballot, v1 \\in Value : VotedFor(a1, b1, v1) => SafeAt(b1, v1)" in text
    # InferredInv: Voting defines its own IndInv. Consistency alone is not inductive.
    assert_proved_and_needed(tmp_path, text, voting, cfg, "InferredInv", "Consistency", capsys)


def test_a_spec_with_no_atoms_and_no_predicates_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "Count.tla"
    spec.write_text(
        "---- MODULE Count ----\nEXTENDS Naturals\nVARIABLE x\nTypeOK == x \\in 0..3\nInit == x = 0\n"
        "Next == x < 3 /\\ x' = x + 1\nSafe == x <= 3\n====\n"
    )
    assert main(["infer", str(spec), "--inv", "Safe", "--quiet"]) == 12
    out = capsys.readouterr().out
    assert "the spec has no predicate whose parameters range over constant sets" in out


def infer_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], module: str, cfg: str, inv: str
) -> tuple[int, pytest.CaptureResult[str]]:
    """Write the module (named by its first line) and its cfg, run infer; exit code, output."""
    name = module.split("MODULE ")[1].split()[0]
    (tmp_path / f"{name}.cfg").write_text(cfg)
    (tmp_path / f"{name}.tla").write_text(module)
    args = [str(tmp_path / f"{name}.tla"), "--inv", inv, "--config", str(tmp_path / f"{name}.cfg")]
    code = main(["infer", *args])
    return code, capsys.readouterr()


def test_a_model_value_that_no_module_can_name_is_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # tlaplus/Examples' SimpleAllocator in small: r1, r2 are the cfg's model values, members
    # of Resources; an atom "r1 \in alloc[c]" would be text that the printed module cannot
    # read (the run failed with "unknown name 'r1'" in a temporary file).
    code, out = infer_on(
        tmp_path,
        capsys,
        "---- MODULE Alloc ----\nCONSTANTS Clients, Resources\nVARIABLES alloc, free\n"
        "TypeOK == alloc \\in [Clients -> SUBSET Resources] /\\ free \\in SUBSET Resources\n"
        "Init == alloc = [c \\in Clients |-> {}] /\\ free = Resources\n"
        "Take(c, r) == r \\in free /\\ alloc' = [alloc EXCEPT ![c] = @ \\cup {r}] /\\ free' = free \\ {r}\n"
        "Give(c, r) == r \\in alloc[c] /\\ alloc' = [alloc EXCEPT ![c] = @ \\ {r}] /\\ free' = free \\cup {r}\n"
        "Next == \\E c \\in Clients, r \\in Resources : Take(c, r) \\/ Give(c, r)\n"
        "Mutex == \\A c1, c2 \\in Clients : c1 /= c2 => alloc[c1] \\cap alloc[c2] = {}\n====\n",
        "CONSTANTS\n  Clients = {c1, c2}\n  Resources = {r1, r2}\nINIT Init\nNEXT Next\nINVARIANTS TypeOK Mutex\n",
        "Mutex",
    )
    assert "unknown name" not in out.out + out.err
    assert code in (0, 12), out
    assert "r1" not in out.out and "r2" not in out.out


def test_actions_are_not_predicates_and_sorts_never_take_a_built_in_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As tlaplus/Examples' MCBakery: PlusCal's p(self) == ncs(self) \/ ... applies actions
    # (read as a state predicate, it failed with an internal error), and 0..MaxNat would
    # make a sort named Nat, which Naturals defines.
    code, out = infer_on(
        tmp_path,
        capsys,
        "---- MODULE Procs ----\nEXTENDS Naturals\nCONSTANTS Procs, MaxNat\nVARIABLE x\n"
        "TypeOK == x \\in [Procs -> 0..MaxNat]\nInit == x = [q \\in Procs |-> 0]\n"
        "step(self) == x[self] < MaxNat /\\ x' = [x EXCEPT ![self] = @ + 1]\n"
        "p(self) == step(self)\nNext == \\E self \\in Procs : p(self)\n"
        "Below(self, n) == x[self] < n\n"
        "Safe == \\A q \\in Procs : \\A n \\in 0..MaxNat : Below(q, n) \\/ x[q] >= n\n====\n",
        "CONSTANTS\n  Procs = {p1, p2}\n  MaxNat = 2\nINIT Init\nNEXT Next\nINVARIANTS TypeOK Safe\n",
        "Safe",
    )
    assert code == 0, out
    assert "MaxNatRange == 0..MaxNat" in out.err  # not Nat
    assert " p(Procs)" not in out.err and "defined twice" not in out.err


def test_a_spec_without_a_type_invariant_is_a_coded_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "Counter.tla"
    spec.write_text(
        "---- MODULE Counter ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nNext == x' = 1 - x\nSafe == x \\in {0, 1}\n====\n"
    )
    assert main(["infer", str(spec), "--inv", "Safe"]) == 150
    assert "error[E620]: infer needs the types of the variables" in capsys.readouterr().err


@pytest.mark.slow
def test_infers_paxos_from_agreement_alone_and_prove_accepts_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # specs/paxos with ballots 0..1 (TLC 2.20: 3,921 distinct states); the candidates read
    # the messages and the acceptors' variables through relations (checker.prove.relations).
    paxos = SPECS / "paxos/Paxos.tla"
    cfg = tmp_path / "Paxos.cfg"
    cfg.write_text(
        "CONSTANTS\n  None = None\n  Value = {v1, v2}\n  Acceptor = {a1, a2, a3}\n"
        "  Quorum = {{a1, a2}, {a1, a3}, {a2, a3}}\n  MaxBallot = 1\n  Variant = \"correct\"\n"
        "INIT Init\nNEXT Next\nINVARIANTS TypeOK Agreement\n"
    )
    assert main(["infer", str(paxos), "--inv", "Agreement", "--config", str(cfg), "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "candidates true in 3921 reachable states" in text
    # Lamport's MsgInv for 2a messages, on the relation of 2a messages.
    assert 'Msgs2a(bal, val) == [type |-> "2a", bal |-> bal, val |-> val] \\in msgs' in text
    assert "\\A b1 \\in Ballot, v1 \\in Value : Msgs2a(b1, v1) => SafeAt(v1, b1)" in text
    assert_proved_and_needed(tmp_path, text, paxos, cfg, "IndInv", "Agreement", capsys)


def assert_proved_and_needed(
    tmp_path: Path, text: str, spec: Path, cfg: Path, inv: str, safety: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The printed module, pasted into its file, is proved by tlacheck prove; TypeOK and the
    safety property alone are not inductive (the lemmas are needed)."""
    module = tmp_path / f"{spec.stem}_IndInv.tla"
    module.write_text(text)
    lib = ["--config", str(cfg), "--lib", str(spec.parent)]
    assert main(["prove", str(module), "--inv", inv, *lib]) == 0, capsys.readouterr().out
    capsys.readouterr()
    bare = tmp_path / "Bare.tla"
    bare.write_text(f"---- MODULE Bare ----\nEXTENDS {spec.stem}\nBare == TypeOK /\\ {safety}\n====\n")
    assert main(["prove", str(bare), "--inv", "Bare", *lib]) == 12


@pytest.mark.slow
def test_infers_raft_leader_completeness_from_it_alone_and_prove_accepts_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The atomic Raft of specs/raft (TLC 2.20 on RaftInfer.cfg: 7,678 distinct states), whose
    # cfg checks TypeOK only: no other property of the paper is given. Clauses of up to four
    # literals over the relations of its logs, terms, committed entries and quorums, and a
    # comparison after them (--size 5: ElectionSafety's s1 = s2).
    raft = SPECS / "raft/Raft.tla"
    cfg = SPECS / "raft/RaftInfer.cfg"
    args = ["infer", str(raft), "--inv", "LeaderCompleteness", "--config", str(cfg), "--size", "5"]
    assert main([*args, "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "candidates true in 7678 reachable states" in text
    assert "ElectionSafety" not in text and "LogMatching" not in text
    # The lemmas follow Z3's counterexamples (the same on every run of one Z3, but not pinned
    # across versions); every run needs the committed entries and the quorum that holds them.
    assert "InCommitted(t1, t2, t3) == <<t1, t2, t3>> \\in committed" in text
    assert "QuorumLogEntry(k, y) == \\E Q \\in Quorums : \\A q \\in Q : LogEntry(q, k, y)" in text
    assert_proved_and_needed(tmp_path, text, raft, cfg, "IndInv", "LeaderCompleteness", capsys)


def test_the_counterexamples_are_the_same_on_every_check_of_one_problem() -> None:
    # Each check runs in a Z3 context of its own: the terms an earlier check made (here
    # another spec's) do not change Z3's search, so infer's choices do not depend on them.
    from checker.prove.induction import ProveOptions
    from checker.prove.infer import check_text, module_text

    def ctis() -> list[str]:
        text = module_text("Raft_IndInv", "Raft", "LeaderCompleteness", "TypeOK", [])
        options = ProveOptions(per_conjunct=False, only_kinds=("IndNext",))
        result = check_text(text, "Raft_IndInv", SPECS / "raft/Raft.tla", SPECS / "raft/RaftInfer.cfg", [], options)
        return [repr(sorted(c.trace.steps[0].record.items(), key=str)) for c in result.ctis]

    first = ctis()
    text = module_text("TwoPhase_IndInv", "TwoPhase", "TCConsistent", "TPTypeOK", [])
    check_text(text, "TwoPhase_IndInv", TWOPHASE, None, [], ProveOptions(only_kinds=("IndNext",)))
    assert first and ctis() == first


def test_the_printed_module_defines_what_the_lemmas_read_and_nothing_else() -> None:
    from checker.prove.infer import _needed

    definitions = [
        "Term == 0..MaxTerm",
        "LogLen == 1..MaxLogLen",
        "LogEntry(x, k, y) == k <= Len(log[x]) /\\ log[x][k] = y",
        "StateIsLeader(x) == state[x] = \"Leader\"",
        "QuorumLogEntry(k, y) == \\E Q \\in Quorums : \\A q \\in Q : LogEntry(q, k, y)",
    ]
    lemma = "\\A l1 \\in LogLen, t1 \\in Term : QuorumLogEntry(l1, t1) => t1 > 0"
    assert _needed(definitions, [lemma]) == [definitions[0], definitions[1], definitions[2], definitions[4]]
    assert _needed(definitions, ["LogEntryX"]) == []
