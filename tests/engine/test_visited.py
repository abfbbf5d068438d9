"""The compact visited set, the trace links and the frontier on disk (checker/engine/)."""

from __future__ import annotations

import multiprocessing
import random
from array import array
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine import CheckOptions, check
from checker.engine.frontier import Frontier
from checker.engine.visited import FULL, KEPT, FingerprintSet, SharedTable, TraceLinks, atomic_table
from tests.engine.models import Counter

fps = st.integers(min_value=1, max_value=(1 << 64) - 1)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(fps, st.integers(1, 50)), max_size=3000))
def test_add_answers_as_a_set_does_through_growth_and_spills(values: list[int]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        visited = FingerprintSet(memory=16 * 1024, spill_dir=Path(tmp))  # spills every ~1,500
        model: set[int] = set()
        for fp in values:
            assert visited.add(fp) == (fp not in model)
            model.add(fp)
        assert len(visited) == len(model)
        assert sorted(visited) == sorted(model)
        assert all(fp in visited for fp in model)
        assert (len(model) < 1_600) or visited.runs


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(fps, st.integers(1, 50)), max_size=2000))
def test_the_c_probe_fills_the_table_as_the_python_one_does(values: list[int]) -> None:
    # A checkpoint saves the table and a run without the C extension reads it: both probes
    # must put each fingerprint in the same slot, through the table's growth.
    import checker.engine.visited as visited_module

    if visited_module._probe_add is None:
        pytest.skip("checker/engine/_fp.c is not built")
    with_c, by_adder, in_python = FingerprintSet(), FingerprintSet(), FingerprintSet()
    saved = visited_module._probe_add, visited_module._probe_count
    try:
        added_c = [with_c.add(fp) for fp in values]
        added_adder = _add_as_the_search_does(by_adder, values)
        visited_module._probe_add = visited_module._probe_count = None  # type: ignore[assignment]
        added_py = [in_python.add(fp) for fp in values]
    finally:
        visited_module._probe_add, visited_module._probe_count = saved
    assert added_c == added_py == added_adder
    assert with_c.table == in_python.table == by_adder.table
    assert with_c.used == in_python.used == by_adder.used == sum(added_py)


def _add_as_the_search_does(visited: FingerprintSet, values: list[int]) -> list[bool]:
    """bfs's way: the C probe through ``adder()`` (0 there, 1 added, 2 added and to grow)."""
    add = visited.adder() or visited.add
    out = []
    for fp in values:
        added = add(fp)
        out.append(bool(added))
        if added == 2:
            visited.grown()
            add = visited.adder() or visited.add
    return out


@settings(max_examples=20, deadline=None)
@given(st.lists(st.one_of(fps, st.integers(1, 50)), max_size=3000))
def test_the_searchs_adder_answers_as_a_set_does_through_growth_and_spills(values: list[int]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        visited = FingerprintSet(memory=16 * 1024, spill_dir=Path(tmp))  # spills every ~1,500
        model: set[int] = set()
        expected = []
        for fp in values:
            expected.append(fp not in model)
            model.add(fp)
        assert _add_as_the_search_does(visited, values) == expected
        assert len(visited) == len(model) and sorted(visited) == sorted(model)
        assert (len(model) < 1_600) or visited.runs


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(fps, st.integers(1, 50)), max_size=3000), st.booleans())
def test_states_added_in_one_call_and_the_smallest_distance_are_the_definitions(values: list[int], spill: bool) -> None:
    # state_adder (fp_state and the probe in one C call) gives 0 for a state seen before, else
    # its fingerprint, as fingerprint() then add() do; min_distance (in C without runs, numpy
    # or sorted with them) is the smallest difference of the sorted fingerprints, TLC's
    # Long.MAX_VALUE with fewer than two.
    import tempfile

    from checker.engine.bfs import min_distance
    from checker.engine.fingerprint import fingerprint

    states = [(v % 97, "s") for v in values]
    with tempfile.TemporaryDirectory() as tmp:
        visited = FingerprintSet(memory=16 * 1024 if spill else 1 << 30, spill_dir=Path(tmp))
        seen: set[int] = set()
        add = visited.state_adder()
        for state in states:
            fp = fingerprint(state)
            if add is None:  # spilled (or no C): the search fingerprints and adds in two calls
                assert visited.add(fp) == (fp not in seen)
            else:
                assert add(state) == (0 if fp in seen else fp)
                if visited.used > visited.limit:
                    visited.grown()
                    add = visited.state_adder()
            seen.add(fp)
        for fp in values:  # and plain fingerprints, for the distances
            visited.add(fp)
            seen.add(fp)
        ordered = sorted(seen)
        expected = min((b - a for a, b in zip(ordered, ordered[1:])), default=(1 << 63) - 1)
        assert min_distance(visited) == expected


def test_the_table_holds_at_most_16_bytes_a_fingerprint_once_grown() -> None:
    visited = FingerprintSet()
    for i in range(1, 200_001):
        visited.add(random.getrandbits(64) | 1)
        if i >= 10_000 and i % 997 == 0:
            assert visited.ram_bytes() / len(visited) <= 16.0


def test_trace_links_come_back_from_the_file(tmp_path: Path) -> None:
    links = TraceLinks(tmp_path / "links.bin")
    for i in range(50_000):
        links.append((1 << 64) - 1 - i, i - 1)
    assert len(links) == 50_000
    assert links[0] == ((1 << 64) - 1, -1)
    assert links[49_999] == ((1 << 64) - 50_000, 49_998)
    links.sync()
    assert links[12_345] == ((1 << 64) - 12_346, 12_344)
    links.close()
    again = TraceLinks(tmp_path / "links.bin", keep=100)  # a recovered run keeps its prefix
    assert len(again) == 100 and again[99] == ((1 << 64) - 100, 98)
    again.close()


def test_a_frontier_on_disk_keeps_the_order(tmp_path: Path) -> None:
    frontier = Frontier(tmp_path, chunk=10)
    for i in range(95):
        frontier.items.append(((i, "s"), i))
        frontier.settle()
    assert len(frontier) == 95 and len(frontier.items) < 10
    assert list(frontier.peek()) == [((i, "s"), i) for i in range(95)]
    assert list(frontier) == [((i, "s"), i) for i in range(95)]
    assert not list(tmp_path.iterdir())


def test_tiny_memory_and_frontier_chunks_give_the_same_search() -> None:
    small = CheckOptions(check_deadlock=False, memory=16 * 1024, frontier_chunk=7)
    a = check(Counter(bound=20_000), small)
    b = check(Counter(bound=20_000), CheckOptions(check_deadlock=False))
    assert (a.stats.generated, a.stats.distinct, a.stats.depth) == (
        b.stats.generated,
        b.stats.distinct,
        b.stats.depth,
    )
    assert a.stats.distinct == 20_001


class Grid:
    """(i, j) in 0..n x 0..n, stepping i or j up; "Far" fails at i + j = 2n - 3."""

    variables = ("i", "j")

    def __init__(self, n: int) -> None:
        self.n = n
        self.invariants = {"Far": lambda s: s[0] + s[1] < 2 * n - 3}

    def init_states(self) -> list[tuple[int, int]]:
        return [(0, 0)]

    def next_steps(self, s: tuple[int, int]) -> list[tuple[str, tuple[int, int]]]:
        i, j = s
        out = []
        if i < self.n:
            out.append((f"I({i})", (i + 1, j)))
        if j < self.n:
            out.append((f"J({j})", (i, j + 1)))
        return out

    def as_record(self, s: tuple[int, int]) -> dict[str, int]:
        return {"i": s[0], "j": s[1]}


def test_a_wide_search_through_disk_finds_the_same_counts_and_trace() -> None:
    a = check(Grid(60), CheckOptions(check_deadlock=False, memory=16 * 1024, frontier_chunk=7))
    b = check(Grid(60), CheckOptions(check_deadlock=False))
    c = check(Grid(60), CheckOptions(check_deadlock=False, exact=True))
    for r in (a, b):
        assert (r.stats.generated, r.stats.distinct, r.stats.depth) == (
            c.stats.generated,
            c.stats.distinct,
            c.stats.depth,
        )
        assert r.violation is not None and c.violation is not None
        assert r.violation.trace.labels == c.violation.trace.labels
    assert len(c.violation.trace) == 2 * 60 - 3 + 1  # by hand: one step per unit of i + j


# -- the table shared by forked workers (checker/engine/parallel.py) --------------------

KINDS = ["atomic", "locked"]


def _table(tmp_path: Path, kind: str, slots: int) -> SharedTable:
    if kind == "atomic" and not atomic_table():
        pytest.skip("no C extension")
    lock = None if kind == "atomic" else multiprocessing.get_context("fork").Lock()
    return SharedTable.create(tmp_path, slots, lock)


def _offer(table: SharedTable, fps: list[int], keys: list[int], out: object) -> None:
    """In a forked process: offer each (fp, key); send back the (slot, key) kept."""
    kept = [(r >> 2, key) for fp, key in zip(fps, keys) if (r := table.insert(fp, key)) & 3]
    out.send(kept)  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", KINDS)
def test_forked_processes_inserting_at_once_store_each_fingerprint_once(tmp_path: Path, kind: str) -> None:
    table = _table(tmp_path, kind, 1 << 14)
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(7)
    # 4 processes offer overlapping fingerprints (many collide in the low bits), each with
    # its own keys; the smallest key of each fingerprint must be the one kept.
    universe = [rng.randrange(1, 1 << 64) & ~0xFF | rng.randrange(1, 4) for _ in range(3_000)]
    offers = []
    for p in range(4):
        fps = [rng.choice(universe) for _ in range(4_000)]
        keys = [p << 32 | i for i in range(len(fps))]
        offers.append((fps, keys))
    pipes, procs = [], []
    for fps, keys in offers:
        mine, theirs = ctx.Pipe()
        proc = ctx.Process(target=_offer, args=(table, fps, keys, theirs))
        proc.start()
        pipes.append(mine)
        procs.append(proc)
    kept = [pair for pipe in pipes for pair in pipe.recv()]
    for proc in procs:
        proc.join()
    offered = {fp for fps, _ in offers for fp in fps}
    assert len(table) == len(offered)
    assert sorted(array("Q", table.fingerprints())) == sorted(offered)
    smallest: dict[int, int] = {}
    for fps, keys in offers:
        for fp, key in zip(fps, keys):
            smallest[fp] = min(smallest.get(fp, key), key)
    claimed = table.claim(array("Q", [s for s, _ in kept]).tobytes(), array("Q", [k for _, k in kept]).tobytes())
    winners = sorted(key for (_, key), mine in zip(kept, claimed) if mine)
    assert winners == sorted(smallest.values())  # each state's smallest key, claimed once
    # claimed states are of an earlier level: nothing is kept for them any more
    assert all(table.insert(fp, 0) & 3 == 0 for fp in offered)
    table.close(unlink=True)


@pytest.mark.parametrize("kind", KINDS)
def test_the_smallest_key_is_kept_whatever_the_order(tmp_path: Path, kind: str) -> None:
    table = _table(tmp_path, kind, 8)
    assert table.insert(5, 10) & 3 == KEPT
    assert table.insert(5, 3) & 3 == 2  # found, smaller: kept
    assert table.insert(5, 7) & 3 == 0  # larger than 3
    slot = table.insert(5, 7) >> 2
    assert table.claim(array("Q", [slot] * 3).tobytes(), array("Q", [10, 7, 3]).tobytes()) == b"\0\0\1"
    assert table.add_old(9) and not table.add_old(9)
    assert len(table) == 2
    table.close(unlink=True)


@pytest.mark.parametrize("kind", KINDS)
def test_a_full_table_refuses_new_fingerprints_and_grows_with_the_old_ones(tmp_path: Path, kind: str) -> None:
    table = _table(tmp_path, kind, 8)  # holds 6
    for fp in range(1, 4):
        table.add_old(fp)
    for fp in range(4, 7):
        assert table.insert(fp, fp) & 3 == KEPT  # this level's, not claimed
    assert table.insert(7, 0) & 3 == FULL
    assert table.insert(4, 0) & 3 == 2  # known ones are still found
    grown = table.grown(32)
    assert len(grown) == 3  # the earlier levels' states only: the level is searched again
    assert sorted(array("Q", grown.fingerprints())) == [1, 2, 3]
    assert grown.insert(4, 0) & 3 == KEPT
    table.close(unlink=True)
    grown.close(unlink=True)
