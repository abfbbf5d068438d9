"""The Die Hard jugs puzzle as a Python model: the Model API's smallest complete example.

In *Die Hard with a Vengeance*, McClane must measure exactly 4 gallons with a
3-gallon and a 5-gallon jug. The state is the water in each jug; the six
actions fill, empty or pour one jug into the other. The puzzle is solved by
checking the invariant ``big /= 4``: its counterexample is the solution.
(Lamport, *Specifying Systems*, and the TLA+ video course, lecture 3.)

    tlacheck check checker.examples.diehard:model             # no error
    tlacheck check checker.examples.diehard:puzzle            # the 7-state solution

TLC, on the same puzzle with only the type invariant: 97 states generated,
16 distinct, depth 8.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from checker.model import Model


class Jugs(NamedTuple):
    small: int  # gallons in the 3-gallon jug
    big: int  # gallons in the 5-gallon jug


class DieHard(Model):
    """The jugs; ``solve=True`` adds the invariant ``NotSolved == big /= 4``."""

    variables = ("small", "big")

    def __init__(self, solve: bool = False) -> None:
        self.invariants = {"TypeOK": self.type_ok}
        if solve:
            self.invariants["NotSolved"] = lambda s: s.big != 4
        self.name = "DieHard"

    @staticmethod
    def type_ok(s: Jugs) -> bool:
        return 0 <= s.small <= 3 and 0 <= s.big <= 5

    def init_states(self) -> Iterator[Jugs]:
        yield Jugs(0, 0)

    def next_steps(self, s: Jugs) -> Iterator[tuple[str, Jugs]]:
        yield "FillSmall", Jugs(3, s.big)
        yield "FillBig", Jugs(s.small, 5)
        yield "EmptySmall", Jugs(0, s.big)
        yield "EmptyBig", Jugs(s.small, 0)
        poured = min(s.small, 5 - s.big)
        yield "SmallToBig", Jugs(s.small - poured, s.big + poured)
        poured = min(s.big, 3 - s.small)
        yield "BigToSmall", Jugs(s.small + poured, s.big - poured)


def model() -> DieHard:
    return DieHard()


def puzzle() -> DieHard:
    return DieHard(solve=True)
