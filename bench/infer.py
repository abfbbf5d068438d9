"""How long ``tlacheck infer`` takes to find an inductive invariant from a safety property.

    .venv/bin/python bench/infer.py            # TwoPhase 3/5/7 RMs, Voting, Paxos (ballots 0..1, 0..2), Raft
    .venv/bin/python bench/infer.py --quick    # TwoPhase with 3 RMs only

Each row is one whole run (parsing, the reachable states of the cfg's instance, the
candidates, Houdini, the greedy choice, the final check by prove's induction code). The
anchor (issue [infer]): endive (Schultz et al., FMCAD 2022) takes 83 s for two-phase commit
with 7 resource managers. The 5 and 7 RM rows use MCTwoPhase's SYMMETRY (one state per class
of renamed RMs), so the candidates are filtered on the representatives only, which is sound
for lemmas quantified over every RM.

Figures (2026-12-06 18:33-18:41 UTC, one run of this script on the shared 2-core machine
at load 3-6, with two other jobs running):

    spec                     states candidates rounds     result       time
    TwoPhase, 3 RMs             288        222     11  10 lemmas      1.0 s
    TwoPhase, 5 RMs (sym)       314        222     12  11 lemmas      2.2 s
    TwoPhase, 7 RMs (sym)       920        222     11  10 lemmas      3.8 s   (endive: 83 s)
    Voting, ballots 0..2       5000         64      6   4 lemmas     38.8 s
    Paxos, ballots 0..1        3921        495     18  17 lemmas     37.4 s
    Paxos, ballots 0..2        5000        370     25  24 lemmas     97.6 s
    Raft, LeaderCompleteness   5000       1058     14  13 lemmas    101.7 s   (--size 4)
    Raft, StateMachineSafety   5000       1058     15  14 lemmas     60.0 s   (--size 4)

"states" is the sample the candidates are filtered on (5,000 of Voting's 6,752, Paxos
0..2's 185,369 and Raft's 7,678). Paxos and Raft have too many candidates for Houdini: the
choice draws from all of them. The lemmas chosen follow Z3's counterexamples, which vary
from run to run (the Voting row's 4 lemmas are 2 when it runs alone: the guide's output).
Earlier (seventh session, load 6-7): Paxos 0..1 19 lemmas in 30 s, 0..2 23 lemmas in 202 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.prove.infer import infer  # noqa: E402

SPECS = ROOT / "specs"


def twophase_cfg(folder: Path, n: int) -> Path:
    cfg = folder / f"MCTwoPhase{n}.cfg"
    rms = ", ".join(f"r{i}" for i in range(1, n + 1))
    cfg.write_text(
        f"CONSTANT RM = {{{rms}}}\nSPECIFICATION TPSpec\nINVARIANTS TPTypeOK TCConsistent\n"
        "SYMMETRY Perms\nCHECK_DEADLOCK FALSE\n"
    )
    return cfg


def row(name: str, spec: Path, safety: str, config: Path | None = None, size: int = 3) -> None:
    r = infer(spec, safety, config, size=size)
    verdict = f"{len(r.lemmas)} lemmas" if r.verdict == "found" else r.verdict
    print(
        f"{name:<22} {r.states:>8} {r.candidates:>10} {r.rounds:>6} {verdict:>10} {r.seconds:>8.1f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="TwoPhase with 3 RMs only")
    args = parser.parse_args()
    print(f"{'spec':<22} {'states':>8} {'candidates':>10} {'rounds':>6} {'result':>10} {'time':>10}")
    row("TwoPhase, 3 RMs", SPECS / "twophase/TwoPhase.tla", "TCConsistent")
    if args.quick:
        return
    with tempfile.TemporaryDirectory() as tmp:
        for n in (5, 7):
            cfg = twophase_cfg(Path(tmp), n)
            row(f"TwoPhase, {n} RMs (sym)", SPECS / "twophase/MCTwoPhase.tla", "TCConsistent", cfg)
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "Voting.cfg"
        cfg.write_text(
            "CONSTANTS\n  Value = {v1, v2}\n  Acceptor = {a1, a2, a3}\n"
            "  Quorum = {{a1, a2}, {a1, a3}, {a2, a3}}\n  MaxBallot = 2\n"
            "INIT Init\nNEXT Next\nINVARIANTS TypeOK Consistency\n"
        )
        row("Voting, ballots 0..2", SPECS / "voting/Voting.tla", "Consistency", cfg)
    for ballots in (1, 2):
        with tempfile.TemporaryDirectory() as tmp:
            cfg = Path(tmp) / "Paxos.cfg"
            cfg.write_text(
                "CONSTANTS\n  None = None\n  Value = {v1, v2}\n  Acceptor = {a1, a2, a3}\n"
                f"  Quorum = {{{{a1, a2}}, {{a1, a3}}, {{a2, a3}}}}\n  MaxBallot = {ballots}\n"
                '  Variant = "correct"\nINIT Init\nNEXT Next\nINVARIANTS TypeOK Agreement\n'
            )
            row(f"Paxos, ballots 0..{ballots}", SPECS / "paxos/Paxos.tla", "Agreement", cfg)
    raft = SPECS / "raft"
    for safety, short in (("LeaderCompleteness", "LC"), ("StateMachineSafety", "SMS")):
        # From the safety property alone (RaftInfer.cfg checks TypeOK only).
        row(f"Raft, {short} alone", raft / "Raft.tla", safety, raft / "RaftInfer.cfg", size=5)
    for safety, short in (("LeaderCompleteness", "LC"), ("StateMachineSafety", "SMS")):
        # With the paper's other properties among the cfg's invariants: a smaller grammar.
        row(f"Raft, {short} + Fig. 3", raft / "Raft.tla", safety, raft / "RaftInferFigure3.cfg", size=4)


if __name__ == "__main__":
    main()
