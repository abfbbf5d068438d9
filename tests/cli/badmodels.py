"""Models that misbehave, for the command-line error tests."""

from __future__ import annotations

from collections.abc import Iterator

from checker.model import Model

not_a_model = 42


class _Empty(Model):
    variables = ("x",)

    def init_states(self) -> Iterator[int]:
        return iter(())

    def next_steps(self, x: int) -> Iterator[tuple[str, int]]:
        return iter(())


class _Raising(Model):
    variables = ("x",)

    def init_states(self) -> Iterator[int]:
        yield 0

    def next_steps(self, x: int) -> Iterator[tuple[str, int]]:
        yield "Step", x + 1
        if x == 2:
            raise ZeroDivisionError("division by zero")


empty = _Empty()
raising = _Raising()


def counter(limit: int = 3, strict: bool = False, deadlock: bool = False) -> Model:
    class Counter(Model):
        variables = ("x",)
        invariants = {"Below": lambda x: x < limit} if strict else {}
        check_deadlock = deadlock

        def init_states(self) -> Iterator[int]:
            yield 0

        def next_steps(self, x: int) -> Iterator[tuple[str, int]]:
            if x < limit:
                yield "Inc", x + 1

    return Counter()
