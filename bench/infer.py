"""How long ``tlacheck infer`` takes to find an inductive invariant from a safety property.

    .venv/bin/python bench/infer.py            # TwoPhase 3/5/7 RMs, Voting, Paxos (ballots 0..1, 0..2), Raft
    .venv/bin/python bench/infer.py --quick    # TwoPhase with 3 RMs only

Each row is one whole run (parsing, the reachable states of the cfg's instance, the
candidates, Houdini, the greedy choice, the final check by prove's induction code). The
anchor (issue [infer]): endive (Schultz et al., FMCAD 2022) takes 83 s for two-phase commit
with 7 resource managers. The 5 and 7 RM rows use MCTwoPhase's SYMMETRY (one state per class
of renamed RMs), so the candidates are filtered on the representatives only, which is sound
for lemmas quantified over every RM.

Figures (2026-12-06 21:05-21:23 UTC, one run of this script on the shared 2-core machine
at load 3-7, with other jobs running):

    spec                     states candidates rounds     result       time
    TwoPhase, 3 RMs             288        222     13  12 lemmas      4.4 s
    TwoPhase, 5 RMs (sym)       314        222     11  10 lemmas      8.0 s
    TwoPhase, 7 RMs (sym)       920        222     13  12 lemmas     16.0 s   (endive: 83 s)
    Voting, ballots 0..2       6752         64      4   2 lemmas    108.5 s
    Paxos, ballots 0..1        3921        495     24  23 lemmas     56.9 s
    Paxos, ballots 0..2       10000        366     30  29 lemmas    199.7 s
    Raft, LC alone             7678       4025     19  14 lemmas    205.6 s   (--size 5)
    Raft, SMS alone            7678       4025     23  15 lemmas    192.3 s   (--size 5)
    Raft, LC + Fig. 3          7678       1058     17  16 lemmas     91.4 s   (--size 4)
    Raft, SMS + Fig. 3         7678       1058     19  15 lemmas     98.9 s   (--size 4)

"states" is what the candidates are filtered on: every reachable state, or an even sample
of 10,000 (Paxos 0..2 has 185,369). "alone": RaftInfer.cfg checks TypeOK only, so the
invariant comes from the safety property alone; "+ Fig. 3": RaftInferFigure3.cfg lists the
paper's other properties, which infer takes as candidates whole. Paxos and Raft have too
many candidates for Houdini: the choice draws from all of them. Each check runs in a Z3
context of its own, so the lemmas are the same from run to run; the times vary with the
machine's load (the eighth session's run at load 3-6: TwoPhase 7 RMs 3.8 s, Paxos 0..1
37 s, 0..2 98 s on 5,000 states; Raft LC alone then found nothing in 13 minutes).
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
