"""The compact visited set, the trace links and the frontier on disk (checker/engine/)."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine import CheckOptions, check
from checker.engine.frontier import Frontier
from checker.engine.visited import FingerprintSet, TraceLinks
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
