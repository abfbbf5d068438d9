"""Checkpoints survive SIGKILL at any instant, and a recovered run ends as an uninterrupted one.

A checkpoint is taken at every BFS level boundary (interval 0); the child process kills itself
with SIGKILL at a chosen stage of a chosen checkpoint, through ``CheckOptions.checkpoint_hook``.

Two specs: Paxos (MaxBallot 1, no symmetry), whose complete counts are TLC's, and Die Hard's
NotSolved, whose violation and trace must be the uninterrupted run's. (Paxos's violations are
not used for traces: the compiled spec's order of successors depends on the iteration order of
some sets, and a set read back from a checkpoint may iterate in another order, so a recovered
run can find another shortest trace of the same length.)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from checker.engine import CheckOptions, check

ROOT = Path(__file__).resolve().parents[2]
PAXOS = (ROOT / "specs/paxos/MCPaxos.tla", ROOT / "specs/paxos/MCPaxos.cfg")
DIEHARD = (ROOT / "specs/diehard/DieHard.tla", ROOT / "specs/diehard/DieHardSolve.cfg")

_CHILD = """
import json, os, signal, sys
from pathlib import Path
from checker.engine import CheckOptions, check
from checker.tla.loader import load_spec_model

spec, cfg, mode, directory, stage, nth = sys.argv[1:]
seen = 0

def hook(name):
    global seen
    if name == stage:
        seen += 1
        if seen == int(nth):
            os.kill(os.getpid(), signal.SIGKILL if mode != "term" else signal.SIGTERM)

model = load_spec_model(Path(spec), Path(cfg), [])
where = Path(directory)
options = CheckOptions(
    checkpoint=where, recover=where if mode == "recover" else None,
    checkpoint_interval=0.0, checkpoint_hook=hook,
)
r = check(model, options)
s = r.stats
v = r.violation
print(json.dumps({
    "counts": [s.generated, s.distinct, s.depth],
    "interrupted": r.interrupted,
    "trace": None if v is None else [[str(st.label), repr(sorted(st.record.items()))] for st in v.trace.steps],
}))
"""


def _child(
    spec: tuple[Path, Path], mode: str, directory: Path, stage: str = "", nth: int = 0
) -> tuple[int, dict[str, Any] | None]:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(spec[0]), str(spec[1]), mode, str(directory), stage, str(nth)],
        capture_output=True,
        text=True,
        # One hash seed for every run: tlacheck's order of successors still depends on the
        # iteration order of some sets (a run with another seed may find another shortest
        # trace and other partial counts at the violation, in exact mode as well).
        env=dict(os.environ, PYTHONPATH=str(ROOT), PYTHONHASHSEED="0"),
        timeout=300,
    )
    out = json.loads(proc.stdout) if proc.returncode == 0 else None
    return proc.returncode, out


def _kill_recover_kill_recover(spec: tuple[Path, Path], tmp_path: Path, during: int, after: int) -> Any:
    # Killed while writing a checkpoint (its table written, the rest not): the one before stays.
    code, _ = _child(spec, "fresh", tmp_path, "table", during)
    assert code == -signal.SIGKILL
    assert (tmp_path / "CURRENT").read_text() == f"ckpt-{during - 1}"
    assert (tmp_path / f"ckpt-{during}.tmp").exists()
    # Recovered, then killed just after a checkpoint became the current one.
    code, _ = _child(spec, "recover", tmp_path, "committed", after)
    assert code == -signal.SIGKILL
    assert (tmp_path / "CURRENT").read_text() == f"ckpt-{during - 1 + after}"
    # Recovered again, to the end.
    code, out = _child(spec, "recover", tmp_path)
    assert code == 0
    return out


@pytest.mark.slow
def test_sigkill_during_and_after_a_checkpoint_then_recover_gives_tlcs_counts(tmp_path: Path) -> None:
    out = _kill_recover_kill_recover(PAXOS, tmp_path, during=6, after=4)
    # TLC 2.20: no error; 23,563 generated, 3,921 distinct, depth 17.
    assert out == {"counts": [23_563, 3_921, 17], "interrupted": False, "trace": None}


@pytest.mark.slow
def test_sigkill_during_and_after_a_checkpoint_then_recover_gives_the_same_trace(tmp_path: Path) -> None:
    code, expected = _child(DIEHARD, "fresh", tmp_path / "uninterrupted")
    assert code == 0 and expected is not None
    assert len(expected["trace"]) == 7  # TLC 2.20: NotSolved violated, a trace of 7 states
    assert _kill_recover_kill_recover(DIEHARD, tmp_path / "killed", during=3, after=2) == expected


@pytest.mark.slow
def test_sigterm_writes_a_checkpoint_and_stops_then_recover_finishes(tmp_path: Path) -> None:
    code, out = _child(PAXOS, "term", tmp_path, "committed", 3)
    assert code == 0 and out is not None and out["interrupted"]
    assert (tmp_path / "CURRENT").read_text() == "ckpt-4"  # the one SIGTERM asked for
    code, out = _child(PAXOS, "recover", tmp_path)
    assert code == 0
    # TLC 2.20: no error; 23,563 generated, 3,921 distinct, depth 17.
    assert out == {"counts": [23_563, 3_921, 17], "interrupted": False, "trace": None}


def test_a_checkpoint_folder_is_not_overwritten_by_a_fresh_run(tmp_path: Path) -> None:
    from checker.errors import ModelError
    from tests.engine.models import Counter

    model = Counter(bound=30)
    done = check(model, CheckOptions(check_deadlock=False, checkpoint=tmp_path, checkpoint_interval=0.0))
    assert done.stats.distinct == 31 and (tmp_path / "CURRENT").exists()
    with pytest.raises(ModelError, match="already holds a checkpoint"):
        check(model, CheckOptions(check_deadlock=False, checkpoint=tmp_path))
    with pytest.raises(ModelError, match="--checkpoint and --recover work with fingerprints"):
        check(model, CheckOptions(exact=True, checkpoint=tmp_path / "x"))
