"""How long ``tlacheck infer`` takes to find an inductive invariant from a safety property.

    .venv/bin/python bench/infer.py            # TwoPhase 3/5/7 RMs, Voting, Paxos (ballots 0..1, 0..2), Raft
    .venv/bin/python bench/infer.py --quick    # TwoPhase with 3 RMs only

Each row is one whole run (parsing, the reachable states of the cfg's instance, the
candidates, Houdini, the greedy choice, the final check by prove's induction code). The
anchor (issue [infer]): endive (Schultz et al., FMCAD 2022) takes 83 s for two-phase commit
with 7 resource managers. The 5 and 7 RM rows use MCTwoPhase's SYMMETRY (one state per class
of renamed RMs), so the candidates are filtered on the representatives only, which is sound
for lemmas quantified over every RM.

Figures (2026-12-06, the shared 2-core machine otherwise idle; busy, they grow 2-7x):
TwoPhase 3 RMs 288 states, 222 candidates, 10 lemmas (13 before the choice fix), 1.4 s; 5 RMs (sym) 314 states,
11 lemmas, 2.4 s; 7 RMs (sym) 920 states, 12 lemmas, 4.6 s (endive: 83 s). Voting
(the grammar of the spec's predicates, the cfg without the hand-written IndInv): 5,000 of
6,752 states, 86 candidates, 2 lemmas, 33 s of CPU (71 s of wall time on the busy machine).

Paxos (the relations of its messages and acceptors, no Houdini: hundreds of candidates),
2026-12-06 at load 6-7: ballots 0..1, 3,921 states, 19 lemmas, 30 s; ballots 0..2, 5,000 of
185,369 states, 477 candidates, 23 lemmas, 202 s of wall time.
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
    for safety in ("LeaderCompleteness", "StateMachineSafety"):
        raft = SPECS / "raft"
        row(f"Raft, {safety}", raft / "Raft.tla", safety, raft / "RaftInfer.cfg", size=4)


if __name__ == "__main__":
    main()
