"""Tiny purpose-built models for engine tests, with figures computable by hand."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from checker.model import Model


class Graph(Model):
    """A model given as an explicit graph: ``edges[s]`` lists ``(label, t)``."""

    variables = ("node",)

    def __init__(
        self,
        init: Sequence[Any],
        edges: Mapping[Any, Sequence[tuple[str, Any]]],
        invariants: Mapping[str, Callable[[Any], bool]] | None = None,
        deadlock: bool = True,
    ) -> None:
        self.init = list(init)
        self.edges = {k: list(v) for k, v in edges.items()}
        self.invariants = dict(invariants or {})
        self.check_deadlock = deadlock

    def init_states(self) -> Iterator[Any]:
        yield from self.init

    def next_steps(self, state: Any) -> Iterator[tuple[str, Any]]:
        yield from self.edges.get(state, [])


class Counter(Model):
    """``x = 0, x' = x + 1`` with an optional CONSTRAINT ``x <= bound``."""

    variables = ("x",)

    def __init__(self, bound: int | None = None, invariant_bound: int | None = None) -> None:
        self.bound = bound
        if invariant_bound is not None:
            self.invariants = {"Small": lambda x: x <= invariant_bound}

    def init_states(self) -> Iterator[int]:
        yield 0

    def next_steps(self, x: int) -> Iterator[tuple[str, int]]:
        yield "Inc", x + 1

    def constraint(self, x: int) -> bool:
        return self.bound is None or x <= self.bound
