"""Why the unsound-symmetry warning exists: a model that singles out one element loses errors."""

from __future__ import annotations

from collections.abc import Iterator

from checker.engine.bfs import check
from checker.engine.result import CheckOptions
from checker.model import Model, format_label
from checker.tla.symmetry import SymmetryHazard, symmetry_warning
from checker.values import ModelValue, Value, model_values

NIL = ModelValue("Nil")
SERVERS = model_values("s1", "s2", "s3")


class FirstIsSpecial(Model):
    """One election; the invariant names s1 (``leader /= s1``), which no renaming preserves."""

    variables = ("leader",)
    symmetric_sets = (frozenset(SERVERS),)
    check_deadlock = False
    invariants = {"NotS1": lambda s: s != SERVERS[0]}

    def init_states(self) -> Iterator[Value]:
        yield NIL

    def next_steps(self, s: Value) -> Iterator[tuple[str, Value]]:
        if s == NIL:
            for srv in reversed(SERVERS):  # s3 first: its class is stored, s1's step is a duplicate
                yield format_label("Elect", srv), srv


def test_the_error_is_found_without_symmetry() -> None:
    r = check(FirstIsSpecial(), CheckOptions(symmetry=False))
    assert [(v.name, len(v.trace)) for v in r.violations] == [("NotS1", 2)]


def test_the_error_is_missed_with_symmetry_which_is_what_the_warning_says() -> None:
    # {Elect(s1), Elect(s2), Elect(s3)} is one class; the engine checks the state it
    # stores (s3's), so NotS1, which tells s1 from the others, is never violated.
    r = check(FirstIsSpecial(), CheckOptions(symmetry=True))
    assert r.violations == [] and r.stats.distinct == 2
    warning = symmetry_warning(SymmetryHazard("constant", "Server", "leader /= s1"))
    assert "errors can be missed" in warning
