"""The BFS engine on tiny models whose figures are computed by hand (or by TLC)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import CheckOptions, Model, check
from checker.engine import Trace
from checker.errors import ModelError
from checker.examples.diehard import DieHard, Jugs

from .models import Counter, Graph


def replays(model: Any, trace: Trace) -> bool:
    """Each label applied to the previous state yields the next state."""
    first = trace.steps[0]
    if first.state not in list(model.init_states()):
        return False
    for before, after in zip(trace.steps, trace.steps[1:]):
        if (after.label, after.state) not in list(model.next_steps(before.state)):
            return False
    return True


def test_counter_with_constraint_counts_as_tlc() -> None:
    # x = 0..3 are distinct; x = 4 is generated from 3, then dropped by the constraint.
    result = check(Counter(bound=3), CheckOptions(check_deadlock=False))
    assert result.ok and result.complete
    assert (result.stats.generated, result.stats.distinct, result.stats.depth) == (5, 4, 4)
    assert result.stats.left_on_queue == 0


def test_state_outside_the_constraint_is_still_checked_against_invariants() -> None:
    result = check(Counter(bound=3, invariant_bound=3))
    assert result.violation is not None
    assert result.violation.name == "Small"
    assert [s.state for s in result.violation.trace.steps] == [0, 1, 2, 3, 4]
    assert result.exit_code == 12


def test_a_state_whose_only_successors_break_the_constraint_is_not_a_deadlock() -> None:
    result = check(Counter(bound=3))
    assert result.ok


def test_deadlock_is_reported_with_its_trace_and_can_be_turned_off() -> None:
    graph = Graph(init=["a"], edges={"a": [("Go", "b")], "b": [("Go", "c")]})
    result = check(graph)
    assert result.violation is not None and result.violation.kind == "deadlock"
    assert [s.state for s in result.violation.trace.steps] == ["a", "b", "c"]
    assert result.exit_code == 11
    quiet = check(graph, CheckOptions(check_deadlock=False))
    assert quiet.ok and (quiet.stats.generated, quiet.stats.distinct, quiet.stats.depth) == (3, 3, 3)


def test_model_can_turn_deadlock_off() -> None:
    assert check(Graph(init=["a"], edges={}, deadlock=False)).ok


def test_two_initial_states() -> None:
    graph = Graph(init=["a", "b", "a"], edges={"a": [("T", "c")], "b": [("T", "c")], "c": [("T", "c")]})
    result = check(graph)
    # generated: 3 initial (one duplicate) + 3 successors; distinct a, b, c; depth 2.
    assert (result.stats.generated, result.stats.distinct, result.stats.depth) == (6, 3, 2)


def test_initial_state_violation_is_a_one_state_trace() -> None:
    graph = Graph(init=["bad"], edges={"bad": [("T", "bad")]}, invariants={"Good": lambda s: s != "bad"})
    result = check(graph)
    assert result.violation is not None
    assert len(result.violation.trace) == 1 and result.violation.trace.steps[0].label is None


def test_action_property_is_checked_on_every_step() -> None:
    class Clock(Model):
        variables = ("h",)
        action_properties = {"Ticks": lambda s, t: t == (s + 1) % 3}

        def init_states(self) -> Iterator[int]:
            yield 0

        def next_steps(self, h: int) -> Iterator[tuple[str, int]]:
            yield "Tick", (h + 1) % 3
            if h == 2:
                yield "Stay", 2  # a step to an already seen state still breaks the property

    result = check(Clock())
    assert result.violation is not None and result.violation.kind == "action property"
    assert [s.state for s in result.violation.trace.steps] == [0, 1, 2, 2]
    assert result.violation.trace.steps[-1].label == "Stay"
    assert result.exit_code == 12


def test_die_hard_counts_equal_tlc() -> None:
    # TLC 2.20 on DieHard.tla with INVARIANT TypeOK: 97 generated, 16 distinct, depth 8.
    result = check(DieHard())
    assert result.ok and result.complete
    assert (result.stats.generated, result.stats.distinct, result.stats.depth) == (97, 16, 8)


def test_die_hard_solution_is_the_shortest_trace_tlc_prints() -> None:
    # TLC 2.20: NotSolved violated, 7 states; 73 generated, 14 distinct, 1 left, depth 7 when it stopped.
    result = check(DieHard(solve=True))
    v = result.violation
    assert v is not None and v.name == "NotSolved"
    assert [s.label for s in v.trace.steps] == [
        None,
        "FillBig",
        "BigToSmall",
        "EmptySmall",
        "BigToSmall",
        "FillBig",
        "BigToSmall",
    ]
    assert v.trace.steps[-1].state == Jugs(small=3, big=4)
    assert (result.stats.generated, result.stats.distinct, result.stats.left_on_queue) == (73, 14, 1)
    assert result.stats.depth == 7
    assert replays(DieHard(solve=True), v.trace)


def test_continue_reports_every_violated_invariant_with_its_shortest_trace() -> None:
    graph = Graph(
        init=[0],
        edges={0: [("A", 1), ("B", 5)], 1: [("A", 2)], 2: [("A", 3)], 5: [("A", 5)], 3: [("A", 3)]},
        invariants={"Not3": lambda s: s != 3, "Not5": lambda s: s != 5},
    )
    first = check(graph)
    assert [v.name for v in first.violations] == ["Not5"]
    every = check(graph, CheckOptions(keep_going=True))
    assert {v.name: len(v.trace) for v in every.violations} == {"Not5": 2, "Not3": 4}
    assert every.stats.distinct == 5


def test_max_depth_stops_expanding_and_reports_the_frontier() -> None:
    result = check(Counter(), CheckOptions(max_depth=3))
    assert (result.stats.distinct, result.stats.depth, result.stats.left_on_queue) == (3, 3, 1)
    assert not result.complete and result.exit_code == 0


def test_coverage_counts_per_action() -> None:
    result = check(DieHard(), CheckOptions(coverage=True))
    cov = result.coverage
    assert set(cov) == {"FillSmall", "FillBig", "EmptySmall", "EmptyBig", "SmallToBig", "BigToSmall"}
    assert all(c.enabled == 16 and c.generated == 16 for c in cov.values())  # every action always enabled
    assert sum(c.distinct for c in cov.values()) == 15  # all but the initial state


def test_a_nondeterministic_model_gets_a_paragraph_not_a_traceback() -> None:
    class Flaky(Model):
        variables = ("x",)
        invariants = {"Small": lambda x: x < 3}

        def __init__(self) -> None:
            self.calls = 0

        def init_states(self) -> Iterator[int]:
            yield 0

        def next_steps(self, x: int) -> Iterator[tuple[str, int]]:
            self.calls += 1
            yield "Inc", x + 1 + (10 if self.calls > 3 else 0)

    with pytest.raises(ModelError) as info:
        check(Flaky())
    text = str(info.value)
    assert "Cannot rebuild the counterexample" in text and "not deterministic" in text


def test_an_exception_in_next_steps_names_the_state_and_the_action() -> None:
    class Broken(Model):
        variables = ("x",)

        def init_states(self) -> Iterator[int]:
            yield 0

        def next_steps(self, x: int) -> Iterator[tuple[str, int]]:
            yield "Inc", x + 1
            if x == 1:
                raise ValueError("boom")

    with pytest.raises(ModelError) as info:
        check(Broken())
    text = str(info.value)
    assert "ValueError: boom" in text and "/\\ x = 1" in text and "after it produced the step Inc" in text


def test_no_initial_state_is_an_error() -> None:
    with pytest.raises(ModelError, match="has no initial state"):
        check(Graph(init=[], edges={}))


def test_ctrl_c_stops_cleanly_with_the_counts_so_far() -> None:
    class Interrupted(Model):
        variables = ("x",)

        def init_states(self) -> Iterator[int]:
            yield 0

        def next_steps(self, x: int) -> Iterator[tuple[str, int]]:
            if x == 5:
                raise KeyboardInterrupt
            yield "Inc", x + 1

    result = check(Interrupted())
    assert result.interrupted and result.exit_code == 75
    assert result.stats.distinct == 6 and result.stats.generated == 6


# -- property: BFS agrees with a plain set-based traversal ---------------------

graphs = st.integers(min_value=1, max_value=12).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.integers(0, n - 1), min_size=1, max_size=3),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n),
        st.sets(st.integers(0, n - 1), max_size=2),
    )
)


def plain_bfs(init: list[int], edges: dict[int, list[tuple[str, int]]]) -> tuple[dict[int, int], int]:
    """Distance (in states) of every reachable node, and the number generated."""
    dist: dict[int, int] = {}
    queue: deque[int] = deque()
    generated = 0
    for s in init:
        generated += 1
        if s not in dist:
            dist[s] = 1
            queue.append(s)
    while queue:
        s = queue.popleft()
        for _, t in edges.get(s, []):
            generated += 1
            if t not in dist:
                dist[t] = dist[s] + 1
                queue.append(t)
    return dist, generated


@settings(max_examples=200, deadline=None)
@given(graphs)
def test_bfs_matches_a_plain_traversal_and_counterexamples_are_shortest(
    spec: tuple[int, list[int], list[tuple[int, int]], set[int]],
) -> None:
    n, init, edge_list, bad = spec
    edges: dict[int, list[tuple[str, int]]] = {}
    for a, b in edge_list:
        edges.setdefault(a, []).append((f"E({a}, {b})", b))
    dist, generated = plain_bfs(init, edges)

    clean = check(Graph(init, edges, deadlock=False))
    assert clean.ok
    assert clean.stats.distinct == len(dist)
    assert clean.stats.generated == generated
    assert clean.stats.depth == max(dist.values())

    model = Graph(init, edges, invariants={"Good": lambda s: s not in bad}, deadlock=False)
    result = check(model)
    reachable_bad = [s for s in dist if s in bad]
    if not reachable_bad:
        assert result.ok
    else:
        v = result.violation
        assert v is not None
        assert len(v.trace) == min(dist[s] for s in reachable_bad)
        assert v.trace.steps[-1].state in bad
        assert replays(model, v.trace)


def test_both_modes_tell_apart_states_that_python_hashes_alike() -> None:
    # CPython: hash(-1) == hash(-2). A counter going down through both must find 4 states;
    # the fingerprints of checker/engine/fingerprint.py have no such blind spot.
    down = Graph(
        init=[(0,)], edges={(0,): [("Dec", (-1,))], (-1,): [("Dec", (-2,))], (-2,): [("Dec", (-3,))]}
    )
    assert hash((-1,)) == hash((-2,))  # the blind spot exact mode used to exist for
    assert check(down, CheckOptions(exact=True, check_deadlock=False)).stats.distinct == 4
    assert check(down, CheckOptions(exact=False, check_deadlock=False)).stats.distinct == 4
    down.exact_states = True  # the model's own choice is the default
    result = check(down, CheckOptions(check_deadlock=False))
    assert result.stats.distinct == 4 and result.stats.depth == 4


def test_exact_mode_gives_the_same_counts_and_traces() -> None:
    for options in (CheckOptions(exact=True), CheckOptions(exact=False)):
        result = check(DieHard(solve=True), options)
        assert result.violation is not None and len(result.violation.trace) == 7
        assert (result.stats.generated, result.stats.distinct) == (73, 14)


def test_the_search_tunes_the_collector_and_restores_it_after() -> None:
    """The one-worker search collects as the workers of parallel.py do (checker/engine/gctune.py),
    and gives the caller its own settings back."""
    import gc

    seen: list[tuple[bool, int]] = []

    class Watched(Counter):
        def next_steps(self, state: Any) -> Iterator[tuple[str, int]]:
            seen.append((gc.isenabled(), gc.get_freeze_count()))
            yield from super().next_steps(state)

    enabled = gc.isenabled()
    gc.enable()
    try:
        assert check(Watched(bound=3)).complete
        assert seen and all(not on and frozen > 0 for on, frozen in seen)
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0
        gc.disable()
        assert check(Watched(bound=3)).complete
        assert not gc.isenabled()  # a caller's collector that was off stays off
    finally:
        if enabled:
            gc.enable()
