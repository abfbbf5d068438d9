"""Several workers give one worker's result: counts, depth, verdict and counterexample.

checker/engine/parallel.py cuts the search into shards by fingerprint; the rule that
picks one worker's counterexample is written there. Every corpus spec (each pinned to TLC
2.20 by tests/tla/check/test_corpus.py) and the Python Raft and Paxos models are checked
here with one worker and with two forked workers, and everything is compared: the counts
(partial ones at a violation included), the depth, the exit code, and every step of
every trace.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any

import pytest

from checker.engine import CheckOptions, CheckResult, Progress, check
from checker.engine.parallel import InlineTransport, ParallelStats, check_parallel
from checker.errors import ModelError
from checker.model import Model
from checker.tla.loader import load_spec_model

ROOT = Path(__file__).parents[2]
CORPUS = ROOT / "tests" / "tla" / "check" / "corpus"


def _corpus() -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location("corpus_expected", CORPUS.parent / "corpus_expected.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_expected"] = module
    spec.loader.exec_module(module)
    return dict(module.CORPUS)


EXPECTED = _corpus()
# Liveness is checked with one worker (the CLI says so); an ASSUME fails before any search.
SAFETY = sorted(
    name
    for name, exp in EXPECTED.items()
    if exp.violation not in ("Assumption", "Temporal", "Error") and not str(exp.violation).startswith("Initial ")
)


def summary(result: CheckResult) -> tuple[Any, ...]:
    """Everything a user sees of a result, traces step by step."""
    s = result.stats
    return (
        s.generated,
        s.distinct,
        s.depth,
        s.left_on_queue,
        result.exit_code,
        result.complete,
        [
            (v.kind, v.name, [str(step.label) for step in v.trace.steps], [dict(step.record) for step in v.trace.steps])
            for v in result.violations
        ],
    )


def both(model: Any, options: CheckOptions | None = None, workers: int = 2) -> tuple[Any, Any]:
    options = options or CheckOptions()
    return summary(check(model, options)), summary(check_parallel(model, options, workers))


@pytest.mark.parametrize("name", SAFETY)
def test_two_workers_give_one_workers_result_on_the_corpus(name: str) -> None:
    model = load_spec_model(CORPUS / f"{name}.tla", None, [], skip_liveness=True)
    one, two = both(model)
    assert two == one


def test_the_corpus_is_compared_whole() -> None:
    assert len(SAFETY) >= 60


@pytest.mark.slow
@pytest.mark.parametrize(
    ("target", "kwargs", "expected"),
    [
        # raft_model/atomic.py pins these (with symmetry).
        ("raft_model:correct", {}, (21_737, 4_504, 15)),
        ("raft_model:ghost_commit", {}, None),
        ("raft_model.messages:correct", {}, (9_475, 4_213, 35)),
        ("raft_model.messages:ghost_commit", {}, None),
        ("paxos_model:correct", {}, None),
        ("paxos_model:any_value", {}, None),
    ],
)
def test_two_workers_give_one_workers_result_on_the_python_models(
    target: str, kwargs: dict[str, Any], expected: tuple[int, int, int] | None
) -> None:
    from checker.cli import load_python_model

    model = load_python_model(target, [f"{k}={v}" for k, v in kwargs.items()])
    one, two = both(model)
    assert two == one
    if expected is not None:
        assert one[:3] == expected


@pytest.mark.slow
def test_three_workers_and_no_symmetry_on_paxos_tla() -> None:
    # TLC 2.20 on MCPaxos.cfg: 23,563 states generated, 3,921 distinct, depth 17.
    model = load_spec_model(ROOT / "specs/paxos/MCPaxos.tla", ROOT / "specs/paxos/MCPaxos.cfg", [])
    result = check_parallel(model, CheckOptions(), 3)
    assert (result.stats.generated, result.stats.distinct, result.stats.depth) == (23_563, 3_921, 17)
    assert result.exit_code == 0


def test_continue_reports_each_property_first_violated_as_one_worker() -> None:
    model = Counter(limit=12, bad=(5, 7))
    one, two = both(model, CheckOptions(keep_going=True))
    assert two == one
    assert [v[1] for v in one[6]] == ["Below5", "Below7", "deadlock"]


def test_max_depth_cuts_the_search_as_one_worker() -> None:
    model = Counter(limit=50)
    one, two = both(model, CheckOptions(max_depth=6))
    assert two == one
    assert one[3] > 0  # states left on the queue


def test_deadlock_is_found_as_one_worker() -> None:
    one, two = both(Counter(limit=9, branching=3))
    assert two == one
    assert one[6][0][0] == "deadlock"


def test_the_inline_transport_gives_the_same_as_processes() -> None:
    model = Counter(limit=12, bad=(9,), branching=3)
    inline = summary(check_parallel(model, CheckOptions(), 3, connect=InlineTransport))
    assert inline == summary(check(model, CheckOptions()))


def test_exact_mode_works_with_workers() -> None:
    one, two = both(Counter(limit=10, bad=(8,)), CheckOptions(exact=True))
    assert two == one


def test_a_failure_in_the_model_is_the_one_worker_reports() -> None:
    model = Counter(limit=10, explode_at=6)
    with pytest.raises(ModelError) as single:
        check(model, CheckOptions())
    with pytest.raises(ModelError) as several:
        check_parallel(model, CheckOptions(), 2)
    assert str(several.value) == str(single.value)


def test_an_evaluation_error_carries_one_workers_trace() -> None:
    model = Counter(limit=10, raise_in_invariant_at=7)
    with pytest.raises(ModelError) as single:
        check(model, CheckOptions())
    with pytest.raises(ModelError) as several:
        check_parallel(model, CheckOptions(), 2)
    assert str(several.value) == str(single.value)
    assert single.value.trace is not None and several.value.trace is not None
    assert several.value.trace.states == single.value.trace.states


@pytest.mark.parametrize("exact", [False, True])
def test_a_successor_outside_the_constraint_is_checked_as_one_worker_does(exact: bool) -> None:
    # The violation and the failure lie only in successors outside the model (x + y = 7).
    options = CheckOptions(exact=exact)
    one, two = both(Bounded(limit=10, bad=(7,)), options)
    assert two == one
    assert one[6][0][1] == "Below7"
    with pytest.raises(ModelError) as single:
        check(Bounded(limit=10, raise_in_invariant_at=7), options)
    with pytest.raises(ModelError) as several:
        check_parallel(Bounded(limit=10, raise_in_invariant_at=7), options, 2)
    assert str(several.value) == str(single.value)
    assert single.value.trace is not None and several.value.trace is not None
    assert several.value.trace.states == single.value.trace.states


def test_shards_exchange_batches_not_states_one_by_one() -> None:
    # Exact mode: states are compared whole, so each shard owns a part of them.
    from checker.cli import load_python_model

    info = ParallelStats()
    options = CheckOptions(exact=True)
    result = check_parallel(load_python_model("raft_model:correct", []), options, 2, stats_out=info)
    assert result.exit_code == 0
    assert info.sent > 0 and info.batches < info.sent / 10
    assert sum(info.per_worker) == result.stats.generated - 1  # all but the initial state


def test_workers_sharing_the_table_send_no_successors() -> None:
    from checker.cli import load_python_model

    info = ParallelStats()
    result = check_parallel(load_python_model("raft_model:correct", []), CheckOptions(), 2, stats_out=info)
    assert result.exit_code == 0
    assert info.sent == info.batches == 0
    assert info.moved < result.stats.distinct / 4  # only to even out the slices
    assert sum(info.per_worker) == result.stats.generated - 1
    assert min(info.per_worker) > 0.3 * sum(info.per_worker)


def test_the_shared_table_leaves_no_file_behind(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Its file is removed as soon as every worker maps it (the memory lives as long as a
    # process maps it), so that a coordinator killed leaves nothing in /dev/shm.
    from checker.engine import parallel
    from checker.engine.visited import SharedTable

    monkeypatch.setattr(SharedTable, "folder", staticmethod(lambda: tmp_path))
    monkeypatch.setattr(parallel, "TABLE_SLOTS", 16)  # grown during the run, too
    seen: list[int] = []
    options = CheckOptions(progress=lambda p: seen.append(len(list(tmp_path.iterdir()))), progress_interval=0.0)
    model = Counter(limit=30)
    assert summary(check_parallel(model, options, 2)) == summary(check(model, CheckOptions()))
    assert seen and not any(seen)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("atomic", [True, False])
def test_levels_searched_again_in_a_larger_table_give_one_workers_result(
    monkeypatch: pytest.MonkeyPatch, atomic: bool
) -> None:
    # A table of 16 slots, never grown ahead: it fills up during levels, which are then
    # searched again from the start in a table four times as large. Without the C
    # extension's atomic table, the Python one (under a lock) gives the same.
    from checker.engine import parallel

    monkeypatch.setattr(parallel, "TABLE_SLOTS", 16)
    monkeypatch.setattr(parallel, "GROW_AHEAD", False)
    if not atomic:
        monkeypatch.setattr(parallel, "atomic_table", lambda: False)
    for model in (Counter(limit=40, bad=(37,)), Counter(limit=15, branching=3)):
        info = ParallelStats()
        one = summary(check(model, CheckOptions()))
        assert summary(check_parallel(model, CheckOptions(), 3, stats_out=info)) == one
        assert info.restarts >= 2


# -- the command line ----------------------------------------------------------------


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def _without_times(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("Finished in")]


@pytest.mark.slow
def test_cli_workers_prints_what_one_worker_prints() -> None:
    one = _run("check", "raft_model:ghost_commit", "-q")
    two = _run("check", "raft_model:ghost_commit", "-q", "-workers", "2")
    assert two.returncode == one.returncode == 12
    first, *rest = _without_times(two.stdout)
    assert first.endswith("with breadth-first search and symmetry on 2 workers.")
    assert rest == _without_times(one.stdout)[1:]


def test_cli_checks_liveness_with_one_worker_and_says_so() -> None:
    # A temporal violation: corpus LiveBoxAction (TLC 2.20: 4 generated, 3 distinct, depth 3,
    # exit 13, a lasso of 3 states back to state 1); --workers is not silently dropped.
    spec = str(CORPUS / "LiveBoxAction.tla")
    one = _run("check", spec, "-q")
    two = _run("check", spec, "-q", "--workers", "2")
    assert two.returncode == one.returncode == 13
    assert _without_times(two.stdout) == _without_times(one.stdout)
    assert "Note: --workers and --cluster are ignored: temporal properties are checked with one worker." in two.stderr
    assert "4 states generated, 3 distinct states found" in one.stdout


def test_cli_refuses_what_several_workers_do_not_do(tmp_path: Path) -> None:
    done = _run("check", "raft_model:correct", "--workers", "2", "--checkpoint", str(tmp_path / "c"))
    assert done.returncode == 2
    assert "--checkpoint is not supported with several workers" in done.stderr


@pytest.mark.slow
def test_progress_has_a_rate_per_worker() -> None:
    from checker.cli import ProgressPrinter, load_python_model

    seen: list[Progress] = []
    options = CheckOptions(progress=seen.append, progress_interval=0.0)
    check_parallel(load_python_model("raft_model:correct", ["max_term=5"]), options, 2)
    assert seen[0].initial
    assert any(len(p.workers) == 2 and min(p.workers) > 0 for p in seen[1:])
    printer = ProgressPrinter()
    printer.format(Progress(0, 0, 0, 0, 0.0, workers=(0, 0)))
    line = printer.format(Progress(3_000, 1_000, 10, 4, 60.0, workers=(1_000, 2_000)))
    assert line.splitlines()[1] == "Workers: 1: 1,000 s/min, 2: 2,000 s/min."


@pytest.mark.slow
def test_ctrl_c_stops_every_worker_and_prints_the_counts() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "checker.cli", "check", "raft_model:correct", "-p", "max_term=9", "-p", "max_log_len=4", "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
        # As a terminal's foreground job: a shell starts a background job (`cmd &`, a CI
        # runner's) with SIGINT ignored, which Python and this child then keep ignoring.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(5)  # past the workers' start (imports, the model built in each)
    children = _children(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole process group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 75, err
    assert "Interrupted" in out
    assert "states generated" in out
    assert len(children) >= 2
    for pid in children:
        assert not _alive(pid)


def _children(pid: int) -> list[int]:
    """The processes ``pid``'s threads started (Linux's /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


# -- a small model ------------------------------------------------------------------


class Counter(Model):
    """Pairs (x, y) counting up by 1, 2 or 3 to ``limit``: many paths to each state, so
    the shards must pick the parent one worker picks."""

    variables = ("x", "y")

    def __init__(
        self,
        limit: int,
        bad: tuple[int, ...] = (),
        branching: int = 2,
        explode_at: int | None = None,
        raise_in_invariant_at: int | None = None,
    ) -> None:
        self.limit = limit
        self.branching = branching
        self.explode_at = explode_at
        self.raise_at = raise_in_invariant_at
        self.invariants = {f"Below{b}": (lambda s, b=b: s[0] + s[1] != b) for b in bad}
        if raise_in_invariant_at is not None:
            self.invariants["Fails"] = self._fails

    def _fails(self, state: Hashable) -> bool:
        x, y = state  # type: ignore[misc]
        if x + y == self.raise_at:
            raise ModelError(f"cannot evaluate at {x}, {y}")
        return True

    def init_states(self) -> Iterator[Hashable]:
        yield (0, 0)

    def next_steps(self, state: Hashable) -> Iterator[tuple[str, Hashable]]:
        x, y = state  # type: ignore[misc]
        if self.explode_at is not None and x + y == self.explode_at:
            raise ValueError("boom")
        for d in range(1, self.branching + 1):
            if x + d <= self.limit:
                yield (f"X{d}", (x + d, y))
            if y + d <= self.limit and self.branching > 2:
                yield (f"Y{d}", (x, y + d))
        if self.branching == 2 and y < self.limit // 2:
            yield ("Y", (x, y + 1))

    def as_record(self, state: Hashable) -> dict[str, Any]:
        x, y = state  # type: ignore[misc]
        return {"x": x, "y": y}


@pytest.mark.slow
def test_workers_end_when_the_coordinator_is_killed() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "checker.cli", "check", "raft_model:correct", "-p", "max_term=9", "-p", "max_log_len=4", "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    time.sleep(6)
    children = _children(proc.pid)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 60  # a worker notices at its next check (a loaded machine is slow)
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(children) >= 2
    assert not any(_alive(pid) for pid in children)


class Bounded(Counter):
    """Counter with a CONSTRAINT: states with x + y above 6 are checked, not explored."""

    def constraint(self, state: Hashable) -> bool:
        x, y = state  # type: ignore[misc]
        return bool(x + y <= 6)
