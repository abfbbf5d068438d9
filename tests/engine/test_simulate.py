"""Random simulation (checker/engine/simulate.py): TLC's walk and counts, seeds that reproduce, shrink, swarm."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checker.engine.simulate import (
    SimulateOptions,
    format_summary,
    shrink,
    simulate,
    simulate_swarm,
    tlc_action_key,
)
from checker.errors import ModelError
from checker.examples.diehard import DieHard
from checker.model import Model, Temporal, always_eventually, eventually, weak_fairness
from checker.tla.loader import load_spec_model
from checker.views import read_trace
from tests.engine.models import Counter, Graph

ROOT = Path(__file__).resolve().parents[2]

COUNTER_TLA = """---- MODULE Counter ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x < 10 /\\ x' = x + 1
====
"""


def counter_spec(tmp_path: Path, deadlock: bool) -> Any:
    (tmp_path / "Counter.tla").write_text(COUNTER_TLA)
    cfg = "INIT Init\nNEXT Next\n" + ("" if deadlock else "CHECK_DEADLOCK FALSE\n")
    (tmp_path / "Counter.cfg").write_text(cfg)
    return load_spec_model(tmp_path / "Counter.tla", None, [])


# -- TLC's counts ---------------------------------------------------------------------


def test_states_generated_count_initial_states_once_and_every_successor_as_tlc(tmp_path: Path) -> None:
    model = counter_spec(tmp_path, deadlock=False)
    # TLC 2.20 -simulate num=3: "The number of states generated: 31", trace length mean=11.
    result = simulate(model, SimulateOptions(seed=1, num=3))
    assert (result.stats.generated, result.stats.behaviours, result.stats.length_mean()) == (31, 3, 11)
    assert result.exit_code == 0
    assert "The number of states generated: 31" in format_summary(result)
    # TLC 2.20 -simulate num=3 -depth 5: 16 states generated, trace length mean=5.
    result = simulate(model, SimulateOptions(seed=1, num=3, depth=5))
    assert (result.stats.generated, result.stats.length_mean()) == (16, 5)


def test_a_state_without_successors_is_a_deadlock_as_tlc(tmp_path: Path) -> None:
    # TLC 2.20 -simulate: "Error: Deadlock reached." with x = 0 .. 10 (11 states), exit 11.
    result = simulate(counter_spec(tmp_path, deadlock=True), SimulateOptions(seed=1, num=3))
    assert result.violation is not None and result.violation.kind == "deadlock"
    assert [s.record["x"] for s in result.violation.trace.steps] == list(range(11))
    assert result.exit_code == 11
    without = simulate(
        counter_spec(tmp_path, deadlock=True), SimulateOptions(seed=1, num=3, check_deadlock=False)
    )
    assert without.exit_code == 0


def test_constraint_ends_a_behaviour_after_the_first_state_outside_it() -> None:
    result = simulate(Counter(bound=3), SimulateOptions(seed=0, num=2, depth=50))
    # 0..4: 4 is kept (TLC adds the state, then stops); 4 successors checked per behaviour.
    assert result.stats.length_mean() == 5 and result.stats.generated == 1 + 2 * 4


def test_every_successor_of_the_chosen_action_is_checked() -> None:
    # From 0 the action Go has two successors; only one is ever walked to, but the bad one is
    # checked whichever is chosen, so the violation is found in the first behaviour.
    model = Graph(
        [0], {0: [("Go", 1), ("Go", 2)], 1: [("Back", 0)], 2: []}, invariants={"Not2": lambda s: s != 2}
    )
    result = simulate(model, SimulateOptions(seed=3, num=1))
    assert result.violation is not None and result.violation.name == "Not2"
    assert result.violation.trace.states == [0, 2] and result.found is not None
    assert result.found.behaviour == 1


def test_action_properties_are_checked_on_steps() -> None:
    model = Counter()
    model.action_properties = {"SmallSteps": lambda s, t: t < 5}
    result = simulate(model, SimulateOptions(seed=0, num=1))
    assert result.violation is not None and result.violation.kind == "action property"
    assert len(result.violation.trace) == 6 and result.exit_code == 12


def test_depth_bounds_the_states_of_a_behaviour() -> None:
    result = simulate(Counter(), SimulateOptions(seed=0, num=4, depth=7))
    assert result.stats.length_mean() == 7 and result.stats.steps == 4 * 6
    assert result.stats.generated == 1 + 4 * 7  # the last state's successors are checked too (TLC)


def test_the_action_of_a_label_keeps_atoms_and_groups_compound_parameters() -> None:
    # TLC: \E i \in Server : Timeout(i) is one action per server; \E m \in msgs : Receive(m) is one.
    assert tlc_action_key("Timeout(s1)") == "Timeout(s1)"
    assert tlc_action_key("CommitEntry(s1, 2)") == "CommitEntry(s1, 2)"
    assert tlc_action_key('Receive([mtype |-> "a, b", mterm |-> 1])') == "Receive(_)"
    assert tlc_action_key("BecomeLeader(s1, {s1, s2})") == "BecomeLeader(s1, _)"
    assert tlc_action_key("Send(<<1, 2>>, [x |-> <<3>>], 4)") == "Send(_, _, 4)"
    assert tlc_action_key('Say("x(y", TRUE)') == 'Say("x(y", TRUE)'
    assert tlc_action_key("Next") == "Next"


def test_one_action_with_several_successors_is_chosen_as_one() -> None:
    # From 0: Receive(_) has three successors (one per message), Tick one. TLC picks the action
    # first, so Tick is taken about half of the time, not a quarter.
    edges = {0: [("Tick", 9)] + [(f"Receive([m |-> {i}])", i) for i in (1, 2, 3)]}
    model = Graph([0], edges, deadlock=False)
    result = simulate(model, SimulateOptions(seed=0, num=2000, depth=2))
    taken = result.stats.actions["Tick"].taken
    assert 850 < taken < 1150
    assert result.stats.actions["Receive"].generated == 3 * (2000 - taken)  # all three checked


class ByAction(Graph):
    """``Graph`` with ``actions()``: each action's steps are the edges whose label it names
    (``tlc_action_key``); ``next_steps`` must not be called by the walk."""

    def __init__(self, *args: Any, candidates: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = sorted({tlc_action_key(label) for steps in self.edges.values() for label, _ in steps})
        self.names = names + ["Never"]  # an action that is never enabled
        self.calls = {name: 0 for name in self.names}
        if candidates is not None:
            self.enabled_actions = lambda state: list(candidates)

    def next_steps(self, state: Any) -> Iterator[tuple[str, Any]]:
        raise AssertionError("the walk computes only the chosen action's successors")

    def actions(self) -> list[tuple[str, Any]]:
        def steps_of(name: str) -> Any:
            def steps(state: Any) -> list[tuple[str, Any]]:
                self.calls[name] += 1
                return [(lab, t) for lab, t in self.edges.get(state, []) if tlc_action_key(lab) == name]

            return steps

        return [(name, steps_of(name)) for name in self.names]


RECEIVE_OR_TICK = {0: [("Tick", 9)] + [(f"Receive([m |-> {i}])", i) for i in (1, 2, 3)]}


def test_a_model_with_actions_has_only_the_chosen_actions_successors_computed() -> None:
    # The same walk as through next_steps (a random enabled action, all its successors
    # checked, one taken), but an action is drawn first and only its successors computed.
    model = ByAction([0], RECEIVE_OR_TICK, deadlock=False)
    result = simulate(model, SimulateOptions(seed=0, num=2000, depth=2))
    taken = result.stats.actions["Tick"].taken
    assert 850 < taken < 1150  # uniform among the enabled actions: Tick half of the time
    assert result.stats.actions["Receive"].generated == 3 * (2000 - taken)
    # Each behaviour: from 0, draws until Tick or Receive(_); from the next state nothing
    # is enabled, so all three actions are tried (that ends the behaviour, no deadlock).
    assert model.calls["Tick"] + model.calls["Receive(_)"] == 2000 + 2 * 2000
    assert result.stats.generated == 1 + taken + 3 * (2000 - taken)


def test_enabled_actions_narrow_the_draw_to_a_superset_of_the_enabled_ones() -> None:
    # The model says which actions may be enabled; the draw is among those only, and uniform
    # among those of them that are enabled (Never, listed but without successor, costs a draw).
    model = ByAction([0], RECEIVE_OR_TICK, deadlock=False, candidates=[0, 1, 2])
    assert [name for name, _ in model.actions()] == ["Receive(_)", "Tick", "Never"]
    result = simulate(model, SimulateOptions(seed=0, num=2000, depth=2))
    assert 850 < result.stats.actions["Tick"].taken < 1150
    assert model.calls["Never"] > 0
    narrow = ByAction([0], RECEIVE_OR_TICK, deadlock=False, candidates=[1, 2])
    result = simulate(narrow, SimulateOptions(seed=0, num=50, depth=2))
    assert result.stats.actions["Tick"].taken == 50 and narrow.calls["Receive(_)"] == 0


def test_actions_must_be_named_pairs_with_distinct_names() -> None:
    class Twice(ByAction):
        def actions(self) -> list[tuple[str, Any]]:
            return [("A", lambda s: []), ("A", lambda s: [])]

    with pytest.raises(ModelError, match="actions\\(\\) names 'A' twice"):
        simulate(Twice([0], {}), SimulateOptions(seed=0, num=1))

    class Bad(ByAction):
        def actions(self) -> list[tuple[str, Any]]:
            return ["A"]  # type: ignore[list-item]

    with pytest.raises(ModelError, match="must give pairs"):
        simulate(Bad([0], {}), SimulateOptions(seed=0, num=1))


# -- seeds --------------------------------------------------------------------------


def labels_of(model: Any, seed: int, num: int, use_actions: bool = True) -> list[list[str]]:
    out: list[list[str]] = []

    def keep(walker_seed: int, number: int, trace: Any) -> None:
        out.append([str(s.label) for s in trace.steps[1:]])

    options = SimulateOptions(seed=seed, num=num, depth=12, on_behaviour=keep, use_actions=use_actions)
    simulate(model, options)
    return out


def test_the_same_seed_gives_the_same_behaviours() -> None:
    assert labels_of(DieHard(), 5, 10) == labels_of(DieHard(), 5, 10)
    assert labels_of(DieHard(), 5, 10) != labels_of(DieHard(), 6, 10)


def test_a_seed_gives_these_behaviours_on_any_machine() -> None:
    # A golden of the walk itself (random.Random(1), randrange, labels sorted): it changes only
    # if the algorithm of the walk changes, never with the machine, the Python build or the hash seed.
    first = labels_of(DieHard(), 1, 1)[0]
    assert first[:6] == GOLDEN_DIEHARD_SEED_1


GOLDEN_DIEHARD_SEED_1 = ["FillSmall", "EmptySmall", "FillBig", "FillBig", "EmptyBig", "FillBig"]


def test_a_seed_gives_these_behaviours_through_actions_on_any_machine() -> None:
    # The same for the walk through a model's actions() and enabled_actions (the message-level
    # Raft model): draws by random(), whose sequence for a seed Python promises to keep.
    from raft_model.messages import correct

    first = labels_of(correct(), 1, 1)[0]
    assert [tlc_action_key(label) for label in first[:8]] == GOLDEN_RAFT_SEED_1


GOLDEN_RAFT_SEED_1 = [
    "Timeout(s2)",
    "HandleRequestVoteRequest(_)",
    "HandleRequestVoteResponse(_)",
    "BecomeLeader(s2)",
    "ClientRequest(s2)",
    "AppendEntries(s2, s3)",
    "HandleAppendEntriesRequest(_)",
    "HandleRequestVoteRequest(_)",
]


class Tokens(Model):
    """States are sets of strings and next_steps walks them in set order, which PYTHONHASHSEED changes."""

    variables = ("held",)
    check_deadlock = False
    names = ("ann", "bob", "cyd", "dee", "eve", "fay", "gus", "hal")

    def init_states(self) -> Iterator[frozenset[str]]:
        for name in frozenset(self.names):
            yield frozenset(n for n in self.names if n != name)

    def next_steps(self, held: frozenset[str]) -> Iterator[tuple[str, frozenset[str]]]:
        for name in held:  # several successors with one label: the order is the hash's
            yield "Drop", held - {name}
        for name in frozenset(self.names) - held:
            yield f"Take({name})", held | {name}


class TokensByAction(Tokens):
    """``Tokens`` with ``actions()``; ``Drop`` lists its successors in set order too."""

    def actions(self) -> list[tuple[str, Any]]:
        def drop(held: frozenset[str]) -> list[tuple[str, frozenset[str]]]:
            return [(label, t) for label, t in self.next_steps(held) if label == "Drop"]

        def take(name: str) -> Any:
            return lambda held: [] if name in held else [(f"Take({name})", held | {name})]

        return [("Drop", drop)] + [(f"Take({name})", take(name)) for name in self.names]


SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from tests.engine.test_simulate import Tokens, TokensByAction, labels_of
from checker.engine.simulate import SimulateOptions, simulate
print(list(frozenset(Tokens.names)))
for labels in labels_of(Tokens(), 11, 30):
    print(" ".join(labels))
for labels in labels_of(TokensByAction(), 11, 30):
    print(" ".join(labels))
traces = []
simulate(Tokens(), SimulateOptions(seed=11, num=30, depth=12,
         on_behaviour=lambda s, n, t: traces.append([sorted(x.record["held"]) for x in t.steps])))
print(traces)
"""


@pytest.mark.slow
def test_the_same_seed_gives_the_same_behaviours_under_any_hash_seed() -> None:
    outputs = []
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(ROOT))
        proc = subprocess.run(
            [sys.executable, "-c", SCRIPT.format(root=str(ROOT))],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        set_order, rest = proc.stdout.split("\n", 1)
        outputs.append((set_order, rest))
    # The two processes iterate sets of strings differently (so the test can fail) ...
    assert outputs[0][0] != outputs[1][0]
    # ... and still walk the same behaviours.
    assert outputs[0][1] == outputs[1][1]


@pytest.mark.slow
def test_the_tla_spec_and_the_python_model_of_raft_walk_the_same_behaviours() -> None:
    # The two encodings have the same labels and the same records, and the walk orders
    # successors by them only, so one seed walks the same behaviours in both.
    from raft_model.messages import correct

    spec = load_spec_model(
        ROOT / "specs/raft/MCRaftMessages.tla", ROOT / "specs/raft/MCRaftMessages_correct.cfg", []
    )
    # The Python model defines actions(), so --simulate draws an action before computing its
    # successors there: the same probabilities but other draws. Walked through next_steps,
    # as the TLA+ spec is, the two give the same behaviours.
    assert labels_of(spec, 4, 20) == labels_of(correct(), 4, 20, use_actions=False)


# -- shrink and swarm ---------------------------------------------------------------


def test_shrink_finds_the_shortest_die_hard_solution() -> None:
    result = simulate(DieHard(solve=True), SimulateOptions(seed=3))
    assert result.violation is not None and len(result.violation.trace) > 7
    short = shrink(DieHard(solve=True), result.violation)
    # TLC 2.20 (BFS, specs/diehard/DieHardSolve.cfg): NotSolved is violated in 7 states.
    assert (short.name, len(short.trace)) == ("NotSolved", 7)
    assert short.trace.steps[-1].record["big"] == 4


def test_shrink_keeps_a_real_behaviour_of_the_model() -> None:
    model = DieHard(solve=True)
    result = simulate(model, SimulateOptions(seed=8))
    assert result.violation is not None
    steps = shrink(model, result.violation).trace.steps
    assert steps[0].state in set(model.init_states())
    for before, after in zip(steps, steps[1:]):
        assert (after.label, after.state) in set(model.next_steps(before.state))


@pytest.mark.slow
def test_swarm_walkers_use_seed_plus_i_and_one_worker_with_that_seed_reproduces_it() -> None:
    model = DieHard(solve=True)
    swarm = simulate_swarm(model, SimulateOptions(seed=40, depth=30), workers=2)
    assert swarm.violation is not None and swarm.found is not None
    assert swarm.found.seed in (40, 41) and swarm.workers == 2
    alone = simulate(model, SimulateOptions(seed=swarm.found.seed, depth=30))
    assert alone.violation is not None and alone.found is not None
    assert alone.violation.trace == swarm.violation.trace
    assert alone.found.behaviour == swarm.found.behaviour


@pytest.mark.slow
def test_a_swarm_walking_through_actions_is_replayed_through_next_steps() -> None:
    # The walker draws through actions(); the parent rebuilds the counterexample from its
    # labels through next_steps: the same trace as one walker with that seed.
    from raft_model.messages import ghost_commit

    swarm = simulate_swarm(ghost_commit(), SimulateOptions(seed=5), workers=2)
    assert swarm.violation is not None and swarm.found is not None
    alone = simulate(ghost_commit(), SimulateOptions(seed=swarm.found.seed))
    assert alone.violation is not None and alone.found is not None
    assert alone.violation.trace == swarm.violation.trace
    assert alone.found.behaviour == swarm.found.behaviour


@pytest.mark.slow
def test_a_swarms_temporal_violation_is_the_lasso_one_walker_finds() -> None:
    # The walker that fails sends its choices; the parent replays the behaviour and finds
    # the same lasso in it (not the behaviour itself).
    prop = always_eventually(lambda x: x == 2)
    swarm = simulate_swarm(_Ring(prop), SimulateOptions(seed=7, num=400, depth=6), workers=2)
    assert swarm.violation is not None and swarm.found is not None
    alone = simulate(_Ring(prop), SimulateOptions(seed=swarm.found.seed, num=400, depth=6))
    assert alone.violation is not None and alone.found is not None
    assert alone.violation.kind == swarm.violation.kind == "temporal"
    assert alone.violation.trace == swarm.violation.trace
    assert alone.found.behaviour == swarm.found.behaviour


@pytest.mark.slow
def test_swarm_shares_num_among_the_walkers() -> None:
    result = simulate_swarm(DieHard(), SimulateOptions(seed=1, num=7, depth=10), workers=2)
    assert result.stats.behaviours == 7 and result.stats.generated == 1 + 7 * 10  # the initial state once


# -- the command line -------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_cli_prints_the_seed_first_and_in_the_counterexample(tmp_path: Path) -> None:
    out = tmp_path / "cex.itf.json"
    proc = run(
        "check",
        "checker.examples.diehard:puzzle",
        "--simulate",
        "--seed",
        "3",
        "--quiet",
        "--trace-out",
        str(out),
    )
    assert proc.returncode == 12, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "Running random simulation of DieHard with seed 3, depth 100, 1 worker."
    assert "Error: Invariant NotSolved is violated." in lines
    assert any(line.startswith("The behaviour is number ") and "--seed 3 " in line for line in lines)
    assert "Simulation using seed 3 and aril 0" in lines
    loaded = read_trace(out)
    assert loaded.meta["seed"] == 3 and loaded.violation is not None
    assert loaded.violation.name == "NotSolved"
    page = tmp_path / "cex.html"
    proc = run(
        "check",
        "checker.examples.diehard:puzzle",
        "--simulate",
        "--seed",
        "3",
        "--quiet",
        "--trace-out",
        str(page),
    )
    assert proc.returncode == 12 and "<title>DieHard (simulation, seed 3)</title>" in page.read_text()


def test_cli_shrink_and_simulate_out(tmp_path: Path) -> None:
    folder = tmp_path / "behaviours"
    proc = run(
        "check",
        "checker.examples.diehard:puzzle",
        "--simulate",
        "--seed",
        "3",
        "--shrink",
        "--quiet",
        "--simulate-out",
        str(folder),
        "--depth",
        "20",
    )
    assert proc.returncode == 12, proc.stderr
    assert "State 7: <BigToSmall>" in proc.stdout and "State 8:" not in proc.stdout
    assert "--shrink shortened it from " in proc.stdout
    files = sorted(p.name for p in folder.iterdir())
    assert "behaviour_3_1.itf.json" in files and "behaviour_3_1.tla" in files
    module = (folder / "behaviour_3_1.tla").read_text()
    assert module.startswith("---------------- MODULE behaviour_3_1 ---") and "STATE_20 == " in module
    assert len(read_trace(folder / "behaviour_3_1.itf.json").trace) == 20


def test_cli_simulation_flags_need_simulate_and_refuse_bfs_only_flags() -> None:
    proc = run("check", "checker.examples.diehard:model", "--depth", "5")
    assert proc.returncode == 2 and "--depth applies to random simulation: add --simulate" in proc.stderr
    proc = run("check", "checker.examples.diehard:model", "--simulate", "--continue")
    assert proc.returncode == 2 and "--continue is not supported with --simulate" in proc.stderr
    proc = run("check", "checker.examples.diehard:model", "--simulate", "--num", "0")
    assert proc.returncode == 2 and "expected a positive integer" in proc.stderr


LIVE_COUNTER = COUNTER_TLA.replace(
    "====",
    "Spec == Init /\\ [][Next]_x\nFairSpec == Spec /\\ WF_x(Next)\nDone == <>(x = 10)\n====",
)
CYCLE_TLA = """---- MODULE Cycle ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 3
FairSpec == Init /\\ [][Next]_x /\\ WF_x(Next)
Visits == []<>(x = 2)
Settles == <>[](x # 1)
====
"""


def test_cli_checks_temporal_properties_on_each_behaviour(tmp_path: Path) -> None:
    (tmp_path / "Counter.tla").write_text(LIVE_COUNTER)
    (tmp_path / "Unfair.cfg").write_text("SPECIFICATION Spec\nCHECK_DEADLOCK FALSE\nPROPERTY Done\n")
    (tmp_path / "Fair.cfg").write_text("SPECIFICATION FairSpec\nCHECK_DEADLOCK FALSE\nPROPERTY Done\n")
    (tmp_path / "Cycle.tla").write_text(CYCLE_TLA)
    (tmp_path / "Visits.cfg").write_text("SPECIFICATION FairSpec\nPROPERTY Visits\n")
    (tmp_path / "Settles.cfg").write_text("SPECIFICATION FairSpec\nPROPERTY Settles\n")

    def sim(spec: str, cfg: str, depth: str) -> subprocess.CompletedProcess[str]:
        return run(
            "check", str(tmp_path / spec), "--config", str(tmp_path / cfg), "--simulate",
            "--num", "3", "--depth", depth, "--seed", "1", "--quiet",
        )  # fmt: skip

    # TLC 2.20 -simulate num=3 -depth 5 -seed 1: the first behaviour, x = 0 .. 5, then
    # stuttering (7 states), 6 states generated, exit 13; with WF_x(Next) no error, 16 generated.
    proc = sim("Counter.tla", "Unfair.cfg", "5")
    assert proc.returncode == 13, proc.stderr
    assert "State 6: <Next>\n/\\ x = 5\n\nState 7: Stuttering" in proc.stdout
    assert "The number of states generated: 6\n" in proc.stdout
    proc = sim("Counter.tla", "Fair.cfg", "5")
    assert proc.returncode == 0, proc.stderr
    assert "The number of states generated: 16\n" in proc.stdout
    # TLC 2.20 does not check a state-predicate PROPERTY in simulation (x = 1 is false in
    # the initial state; exit 0, 16 generated): neither do we, and we say so.
    (tmp_path / "Init.cfg").write_text("SPECIFICATION Spec\nCHECK_DEADLOCK FALSE\nPROPERTY StartsAtOne\n")
    (tmp_path / "Counter.tla").write_text(LIVE_COUNTER.replace("====", "StartsAtOne == x = 1\n===="))
    proc = sim("Counter.tla", "Init.cfg", "5")
    assert proc.returncode == 0, proc.stderr
    assert "The number of states generated: 16\n" in proc.stdout
    assert "Warning: the PROPERTY StartsAtOne is a state predicate: --simulate does not check it" in proc.stdout
    # TLC 2.20 -depth 10: Settles fails on the walked cycle 0 -> 1 -> 2 -> 0 ("Back to state
    # 1", 11 generated, exit 13); Visits holds (31 generated).
    proc = sim("Cycle.tla", "Settles.cfg", "10")
    assert proc.returncode == 13, proc.stderr
    assert "State 3: <Next>\n/\\ x = 2\n\nBack to state 1: <Next>" in proc.stdout
    assert "The number of states generated: 11\n" in proc.stdout
    proc = sim("Cycle.tla", "Visits.cfg", "10")
    assert proc.returncode == 0, proc.stderr
    assert "The number of states generated: 31\n" in proc.stdout


class _Ring:
    """0 -> 1 -> 2 -> 0 by Inc, and Reset from anywhere to 0; Inc weakly fair."""

    variables = ("x",)
    check_deadlock = False
    fairness = (weak_fairness("Inc"),)

    def __init__(self, prop: Temporal) -> None:
        self.liveness = {"P": prop}

    def init_states(self) -> list[int]:
        return [0]

    def next_steps(self, x: int) -> list[tuple[str, int]]:
        return [("Inc", (x + 1) % 3), ("Reset", 0)]

    def as_record(self, x: int) -> dict[str, int]:
        return {"x": x}


def test_a_python_models_fairness_is_asked_of_the_model_not_of_the_walk() -> None:
    # Stuttering at x = 0 is unfair to Inc (enabled there), though a behaviour that only
    # takes Reset never walks an Inc step from 0: <>(x = 1) is violated only by a cycle of
    # Resets, which is unfair too. So no seed finds a violation...
    for seed in range(1, 6):
        result = simulate(_Ring(eventually(lambda x: x == 1)), SimulateOptions(seed=seed, num=20, depth=6))
        assert not result.violations
    # ...while []<>(x = 2) is violated by the fair cycle 0 -> 1 -> 0 (Inc, Reset).
    result = simulate(_Ring(always_eventually(lambda x: x == 2)), SimulateOptions(seed=1, num=50, depth=6))
    assert result.violations and result.violations[0].kind == "temporal"
